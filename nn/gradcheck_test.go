package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gradCheck compares a layer's Backward with central finite differences of
// L = Σ y·dy (summed in float64) for up to 40 entries of the input and of
// every trainable parameter. Inputs are float32, so the step is 1e-2 and
// the tolerance 2e-2 relative to the largest gradient of the tensor.
func gradCheck(t *testing.T, l Layer, in Shape, n int, xfn func(r *rand.Rand) float32, reset func()) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	out, err := l.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := l.(interface{ initWeights(*rand.Rand) }); ok {
		c.initWeights(r)
	}
	for _, p := range l.Params() {
		if p.Trainable && p.Name == "weight" {
			for i := range p.W {
				p.W[i] += 0.1 * float32(r.NormFloat64())
			}
		}
	}
	l.Reserve(n)
	x := make([]float32, n*in.Size())
	for i := range x {
		x[i] = xfn(r)
	}
	y := make([]float32, n*out.Size())
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	loss := func() float64 {
		if reset != nil {
			reset()
		}
		l.Forward(x, y, n, true)
		var s float64
		for i, v := range y {
			s += float64(v) * float64(dy[i])
		}
		return s
	}
	loss()
	for _, p := range l.Params() {
		clear(p.G)
	}
	dx := make([]float32, len(x))
	l.Backward(x, y, dy, dx, n)
	check := func(name string, v, g []float32) {
		var scale float64
		for _, gv := range g {
			scale = max(scale, math.Abs(float64(gv)))
		}
		step := max(1, len(v)/40)
		for i := 0; i < len(v); i += step {
			old := v[i]
			const h = 1e-2
			v[i] = old + h
			lp := loss()
			v[i] = old - h
			lm := loss()
			v[i] = old
			fd := (lp - lm) / (2 * h)
			if d := math.Abs(fd - float64(g[i])); d > 2e-2*max(scale, 1e-3) {
				t.Errorf("%s %s[%d]: backward %g, finite difference %g", l.Kind(), name, i, g[i], fd)
				return
			}
		}
	}
	check("input", x, dx)
	for _, p := range l.Params() {
		if p.Trainable {
			g := append([]float32(nil), p.G...)
			check(p.Name, p.W, g)
		}
	}
}

func normal(r *rand.Rand) float32 { return float32(r.NormFloat64()) }

// awayFromZero draws |v| ≥ 0.1, away from the kinks of ReLU and SafeLog.
func awayFromZero(r *rand.Rand) float32 {
	v := float32(0.1 + r.ExpFloat64())
	if r.IntN(2) == 0 {
		return -v
	}
	return v
}

func TestGradCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		l    Layer
		in   Shape
		x    func(*rand.Rand) float32
	}{
		{"conv same", &Conv2D{Out: 3, Kernel: [2]int{1, 7}, Same: true, Bias: true}, Shape{2, 2, 12}, normal},
		{"conv stride dilation", &Conv2D{Out: 4, Kernel: [2]int{2, 3}, Stride: [2]int{2, 2}, Dilation: [2]int{1, 2}, Padding: [4]int{1, 0, 2, 1}, Bias: true}, Shape{2, 5, 13}, normal},
		{"conv depthwise", &Conv2D{Out: 4, Kernel: [2]int{3, 1}, Groups: 2}, Shape{2, 3, 6}, normal},
		{"conv groups dilated same", &Conv2D{Out: 4, Kernel: [2]int{1, 4}, Dilation: [2]int{1, 3}, Groups: 2, Same: true}, Shape{4, 1, 15}, normal},
		{"dense", &Dense{Out: 3}, Shape{2, 2, 3}, normal},
		{"batchnorm", &BatchNorm2D{}, Shape{3, 2, 4}, normal},
		{"elu", &Act{Func: ELU}, Shape{2, 2, 5}, normal},
		{"relu", &Act{Func: ReLU}, Shape{2, 2, 5}, awayFromZero},
		{"gelu", &Act{Func: GELU}, Shape{2, 2, 5}, normal},
		{"square", &Act{Func: Square}, Shape{2, 2, 5}, normal},
		{"safelog", &Act{Func: SafeLog}, Shape{2, 2, 5}, func(r *rand.Rand) float32 { return 0.5 + float32(r.ExpFloat64()) }},
		{"avgpool", &Pool2D{Kernel: [2]int{2, 3}, Stride: [2]int{1, 2}, Padding: [2]int{1, 1}}, Shape{2, 4, 9}, normal},
		{"maxpool", &Pool2D{Max: true, Kernel: [2]int{2, 2}}, Shape{2, 4, 6}, func(r *rand.Rand) float32 { return float32(r.IntN(1000)) / 10 }},
		{"flatten", &Flatten{}, Shape{2, 3, 4}, normal},
	} {
		t.Run(c.name, func(t *testing.T) { gradCheck(t, c.l, c.in, 3, c.x, nil) })
	}
	t.Run("dropout", func(t *testing.T) {
		d := &Dropout{P: 0.4}
		gradCheck(t, d, Shape{2, 3, 4}, 3, normal, func() { d.rng = rand.New(rand.NewPCG(3, 4)) })
	})
}

func TestCrossEntropyGradCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	z := make([]float32, 12)
	for i := range z {
		z[i] = normal(r)
	}
	target := []int{0, 2, 1, 2}
	w := []float32{1, 0.5, 2}
	g := make([]float32, len(z))
	scratch := make([]float32, len(z))
	if _, _, err := CrossEntropy(z, target, w, g); err != nil {
		t.Fatal(err)
	}
	for i := range z {
		old := z[i]
		const h = 1e-2
		z[i] = old + h
		lp, _, _ := CrossEntropy(z, target, w, scratch)
		z[i] = old - h
		lm, _, _ := CrossEntropy(z, target, w, scratch)
		z[i] = old
		if fd := (lp - lm) / (2 * h); math.Abs(fd-float64(g[i])) > 1e-3 {
			t.Errorf("logit %d: gradient %g, finite difference %g", i, g[i], fd)
		}
	}
}
