package nn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// dynActLayer builds the periodic or gated activation a dyn_act.json case
// describes.
func dynActLayer(t *testing.T, c fixLayer) Layer {
	switch c.Kind {
	case "snake":
		return &Snake{}
	case "fourier":
		l, _ := c.Cfg["learnable"].(bool)
		return &Fourier{Features: int(num(c.Cfg["features"])), Learnable: l}
	case "glu":
		return &Gated{}
	case "swiglu":
		return &Gated{Swish: true}
	}
	t.Fatalf("unknown kind %q", c.Kind)
	return nil
}

// TestActivationsAgainstPyTorch compares Snake, Fourier, GLU and SwiGLU
// with testdata/gen/dyn_act.py (PyTorch 1.13): outputs and the gradients
// of the input and of every parameter within refTol (1e-4 relative).
func TestActivationsAgainstPyTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/dyn_act.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Layers []fixLayer `json:"layers"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Layers) < 6 {
		t.Fatalf("%d cases in the fixture", len(f.Layers))
	}
	for _, c := range f.Layers {
		t.Run(c.Name, func(t *testing.T) {
			l := dynActLayer(t, c)
			n := c.In[0]
			out, err := l.Build(Shape{c.In[1], c.In[2], c.In[3]})
			if err != nil {
				t.Fatal(err)
			}
			if out != (Shape{c.Out[1], c.Out[2], c.Out[3]}) {
				t.Fatalf("output %v, PyTorch %v", out, c.Out)
			}
			ps := l.Params()
			if len(ps) != len(c.Params) {
				t.Fatalf("%d tensors, PyTorch has %d", len(ps), len(c.Params))
			}
			for i, p := range ps {
				copy(p.W, c.Params[i].W)
			}
			l.Reserve(n)
			y := make([]float32, len(c.Y))
			l.Forward(c.X, y, n, true)
			closeTo(t, "y", y, c.Y, refTol)
			dx := make([]float32, len(c.X))
			for i := range dx {
				dx[i] = float32(math.NaN())
			}
			l.Backward(c.X, y, c.DY, dx, n)
			closeTo(t, "dx", dx, c.DX, refTol)
			k := 0
			for _, p := range ps {
				if p.Trainable {
					closeTo(t, "grad "+p.Name, p.G, c.Grads[k].G, refTol)
					k++
				}
			}
			if k != len(c.Grads) {
				t.Errorf("%d trainable tensors, PyTorch has %d", k, len(c.Grads))
			}
		})
	}
}

func TestPeriodicGradCheck(t *testing.T) {
	t.Run("snake", func(t *testing.T) { gradCheck(t, &Snake{Alpha: 0.8}, Shape{3, 2, 5}, 3, normal, nil) })
	t.Run("fourier fixed", func(t *testing.T) {
		gradCheck(t, &Fourier{Features: 3, Sigma: 0.3}, Shape{2, 2, 4}, 3, normal, nil)
	})
	t.Run("fourier learnable", func(t *testing.T) {
		gradCheck(t, &Fourier{Features: 4, Sigma: 0.3, Learnable: true}, Shape{3, 1, 5}, 2, normal, nil)
	})
}

func TestPeriodicBadSettings(t *testing.T) {
	for _, c := range []struct {
		l  Layer
		in Shape
	}{
		{&Snake{Alpha: -1}, Shape{2, 1, 3}},
		{&Snake{Alpha: float32(math.NaN())}, Shape{2, 1, 3}},
		{&Fourier{}, Shape{2, 1, 3}},
		{&Fourier{Features: 2, Sigma: -1}, Shape{2, 1, 3}},
		{&Gated{}, Shape{3, 1, 3}},
		{&Gated{Swish: true}, Shape{5, 2, 2}},
	} {
		_, err := NewNet(c.in, c.l)
		if !errors.Is(err, ErrConfig) && !errors.Is(err, ErrShape) {
			t.Errorf("%s on %v: error %v, want ErrConfig or ErrShape", c.l.Kind(), c.in, err)
		}
	}
}

// A Snake activation between a convolution and the classifier, trained
// like any other layer.
func ExampleSnake() {
	net, err := NewNet(Shape{1, 4, 32},
		&Conv2D{Out: 4, Kernel: [2]int{4, 1}},
		&Snake{},
		&Fourier{Features: 2, Sigma: 0.1},
		&Conv2D{Out: 4, Kernel: [2]int{1, 1}},
		&Gated{Swish: true},
		&Flatten{},
		&Dense{Out: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	net.Init(1)
	fmt.Println(net.Shapes(), net.NumParams())
	// Output: [[1 4 32] [4 1 32] [4 1 32] [4 1 32] [4 1 32] [2 1 32] [64 1 1] [2 1 1]] 166
}

func BenchmarkSnake(b *testing.B) {
	s := &Snake{}
	in := Shape{16, 1, 480}
	s.Build(in)
	x := make([]float32, 32*in.Size())
	r := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = normal(r)
	}
	y, dy, dx := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	for b.Loop() {
		s.Forward(x, y, 32, true)
		s.Backward(x, y, dy, dx, 32)
	}
}
