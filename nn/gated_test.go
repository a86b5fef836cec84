package nn

import (
	"math/rand/v2"
	"testing"
)

func TestGatedGradCheck(t *testing.T) {
	t.Run("glu", func(t *testing.T) { gradCheck(t, &Gated{}, Shape{4, 2, 3}, 3, normal, nil) })
	t.Run("swiglu", func(t *testing.T) { gradCheck(t, &Gated{Swish: true}, Shape{6, 1, 4}, 3, normal, nil) })
}

// TestGatedHalves checks torch.nn.GLU's split: the first half is the
// value, the second the gate.
func TestGatedHalves(t *testing.T) {
	g := &Gated{}
	if _, err := g.Build(Shape{2, 1, 1}); err != nil {
		t.Fatal(err)
	}
	y := make([]float32, 2)
	g.Forward([]float32{3, 0, -2, 100}, y, 2, false)
	if y[0] != 1.5 || y[1] != -2 {
		t.Errorf("GLU of [3 | 0], [-2 | 100] = %v, want [1.5 -2]", y)
	}
}

func BenchmarkSwiGLU(b *testing.B) {
	g := &Gated{Swish: true}
	in := Shape{32, 1, 480}
	out, _ := g.Build(in)
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 16*in.Size())
	for i := range x {
		x[i] = normal(r)
	}
	y, dy, dx := make([]float32, 16*out.Size()), make([]float32, 16*out.Size()), make([]float32, len(x))
	for b.Loop() {
		g.Forward(x, y, 16, true)
		g.Backward(x, y, dy, dx, 16)
	}
}
