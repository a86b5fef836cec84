package dynamics

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bcikit/bcikit/nn"
)

// gradCheck compares a layer's Backward with central finite differences of
// L = Σ y·dy (summed in float64) for up to 40 entries of the input and of
// every trainable tensor: step 1e-2 (float32 values), tolerance 2e-2
// relative to the largest gradient of the tensor, as nn's own check.
func gradCheck(t *testing.T, l nn.Layer, in nn.Shape, n int, prep func()) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	out, err := l.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := l.(Initer); ok {
		i.Init(r)
	}
	if prep != nil {
		prep()
	}
	l.Reserve(n)
	x := make([]float32, n*in.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]float32, n*out.Size())
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	loss := func() float64 {
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
		if scale == 0 {
			t.Errorf("%s %s: gradient is zero everywhere", l.Kind(), name)
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
			check(p.Name, p.W, append([]float32(nil), p.G...))
		}
	}
}

func TestGradCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		l    nn.Layer
		in   nn.Shape
	}{
		{"delay", &DelayConv{Out: 3, MaxDelay: 6, Sigma: 1.5}, nn.Shape{4, 1, 11}},
		{"delay narrow", &DelayConv{Out: 2, MaxDelay: 4, Sigma: 0.7}, nn.Shape{3, 1, 9}},
		// The smooth LIF replaces the spike by its surrogate's integral and
		// drops the reset: Backward's BPTT is then the exact gradient.
		{"lif smooth", &LIF{Tau: 0.05, DT: 0.01, Slope: 2, smooth: true}, nn.Shape{3, 1, 12}},
		{"lif smooth recurrent", &LIF{Tau: 0.1, DT: 0.02, Slope: 2, Recurrent: true, smooth: true}, nn.Shape{2, 2, 10}},
		{"kuramoto", &Kuramoto{Units: 3, Dim: 3, Steps: 5, Gamma: 0.4}, nn.Shape{2, 2, 2}},
		{"kuramoto 2d", &Kuramoto{Units: 4, Dim: 2, Steps: 3, Gamma: 1}, nn.Shape{5, 1, 1}},
		{"ctm", &CTMCore{Neurons: 4, Memory: 3, Hidden: 3, Ticks: 6}, nn.Shape{3, 1, 2}},
		{"ctm short memory", &CTMCore{Neurons: 3, Memory: 2, Hidden: 2, Ticks: 3}, nn.Shape{4, 1, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var prep func()
			if k, ok := c.l.(*CTMCore); ok {
				// Decays away from the clip at 0.
				prep = func() {
					for i := range k.decay.W {
						k.decay.W[i] = 0.05 + 0.1*float32(i%5)
					}
				}
			}
			gradCheck(t, c.l, c.in, 3, prep)
		})
	}
}

// TestBadSettings: unstable or meaningless settings are refused before
// anything runs, with nn.ErrConfig or nn.ErrShape.
func TestBadSettings(t *testing.T) {
	for _, c := range []struct {
		l  nn.Layer
		in nn.Shape
	}{
		{&LIF{Tau: 0.01, DT: 0.01}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: 0.01, DT: 0.02}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: -1, DT: 0.001}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: math.NaN(), DT: 0.001}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: 0.1, DT: 0}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: 0.1, DT: 0.01, Threshold: -1}, nn.Shape{2, 1, 5}},
		{&LIF{Tau: 0.1, DT: 0.01, Slope: float32(math.Inf(1))}, nn.Shape{2, 1, 5}},
		{&Kuramoto{Units: 2, Dim: 2, Steps: 3, Gamma: -0.1}, nn.Shape{2, 1, 1}},
		{&Kuramoto{Units: 2, Dim: 2, Steps: 3}, nn.Shape{2, 1, 1}},
		{&Kuramoto{Units: 2, Dim: 1, Steps: 3, Gamma: 0.1}, nn.Shape{2, 1, 1}},
		{&Kuramoto{Units: 2, Dim: 2, Steps: 0, Gamma: 0.1}, nn.Shape{2, 1, 1}},
		{&DelayConv{Out: 2, MaxDelay: 0}, nn.Shape{2, 1, 5}},
		{&DelayConv{Out: 2, MaxDelay: 3, Sigma: -1}, nn.Shape{2, 1, 5}},
		{&DelayConv{Out: 2, MaxDelay: 3}, nn.Shape{2, 2, 5}},
		{&CTMCore{Neurons: 0, Memory: 2, Hidden: 2, Ticks: 2}, nn.Shape{2, 1, 1}},
		{&CTMCore{Neurons: 2, Memory: 2, Hidden: 2, Ticks: 0}, nn.Shape{2, 1, 1}},
		{&DeltaEncoder{}, nn.Shape{2, 1, 5}},
		{&DeltaEncoder{Threshold: float32(math.NaN())}, nn.Shape{2, 1, 5}},
	} {
		_, err := nn.NewNet(c.in, c.l)
		if !errors.Is(err, nn.ErrConfig) && !errors.Is(err, nn.ErrShape) {
			t.Errorf("%#v on %v: error %v, want ErrConfig or ErrShape", c.l, c.in, err)
		}
	}
}

// TestDelayShiftsInput: a synapse whose delay sits on a tap with a
// narrow Gaussian delays its input by that many steps.
func TestDelayShiftsInput(t *testing.T) {
	l := &DelayConv{Out: 1, MaxDelay: 5, Sigma: 0.05}
	if _, err := l.Build(nn.Shape{1, 1, 8}); err != nil {
		t.Fatal(err)
	}
	l.w.W[0], l.d.W[0] = 2, 3
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	y := make([]float32, 8)
	l.Reserve(1)
	l.Forward(x, y, 1, false)
	want := []float32{0, 0, 0, 2, 4, 6, 8, 10}
	for i := range y {
		if math.Abs(float64(y[i]-want[i])) > 1e-6 {
			t.Fatalf("y = %v, want %v", y, want)
		}
	}
}

// TestLIFClosedForm: a single neuron under a constant current follows
// v[t] = I(1−βᵗ⁺¹)/(1−β) until it crosses the threshold, and fires
// periodically after.
func TestLIFClosedForm(t *testing.T) {
	l := &LIF{Tau: 0.02, DT: 0.001}
	if _, err := l.Build(nn.Shape{1, 1, 200}); err != nil {
		t.Fatal(err)
	}
	const cur = 0.06
	x := make([]float32, 200)
	for i := range x {
		x[i] = cur
	}
	y := make([]float32, 200)
	l.Reserve(1)
	l.Forward(x, y, 1, false)
	beta := math.Exp(-0.001 / 0.02)
	first := -1
	for s := range 200 {
		v := cur * (1 - math.Pow(beta, float64(s+1))) / (1 - beta)
		if first < 0 && v >= 1 {
			first = s
		}
		if first < 0 {
			if y[s] != 0 || math.Abs(float64(l.u[s])-v) > 1e-5 {
				t.Fatalf("step %d: spike %g, membrane %g, closed form %g", s, y[s], l.u[s], v)
			}
		}
	}
	if first < 0 || y[first] != 1 {
		t.Fatalf("no spike at step %d where the closed form crosses the threshold", first)
	}
}

// TestDelayLearns: gradient descent on the squared error moves a synapse's
// delay from 1 step to the 5 steps by which the target lags the input.
func TestDelayLearns(t *testing.T) {
	l := &DelayConv{Out: 1, MaxDelay: 8, Sigma: 1}
	const T = 64
	if _, err := l.Build(nn.Shape{1, 1, T}); err != nil {
		t.Fatal(err)
	}
	l.Reserve(1)
	l.w.W[0], l.d.W[0] = 1, 1
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, T)
	// A smooth input, so that the loss is smooth in the delay.
	var v float64
	for i := range x {
		v = 0.8*v + r.NormFloat64()
		x[i] = float32(v)
	}
	target := make([]float32, T)
	copy(target[5:], x[:T-5])
	y, dy := make([]float32, T), make([]float32, T)
	for range 300 {
		l.Forward(x, y, 1, true)
		for i := range y {
			dy[i] = 2 * (y[i] - target[i]) / T
		}
		clear(l.w.G)
		clear(l.d.G)
		l.Backward(x, y, dy, nil, 1)
		l.w.W[0] -= 0.05 * l.w.G[0]
		l.d.W[0] -= 0.5 * l.d.G[0]
	}
	t.Logf("delay %g, weight %g", l.d.W[0], l.w.W[0])
	if d := l.d.W[0]; math.Abs(float64(d)-5) > 0.1 {
		t.Errorf("delay %g after training, want 5", d)
	}
}

// TestKuramotoOnSphere: every oscillator of the output is a unit vector,
// and with no stimulus and no coupling a 2-D oscillator turns by its
// natural frequency: each step rotates it by atan(γω).
func TestKuramotoOnSphere(t *testing.T) {
	l := &Kuramoto{Units: 1, Dim: 2, Steps: 3, Gamma: 0.2}
	if _, err := l.Build(nn.Shape{1, 1, 1}); err != nil {
		t.Fatal(err)
	}
	l.Reserve(1)
	l.x0.W[0], l.x0.W[1] = 2, 0 // normalised to (1, 0)
	l.om.W[0] = 0.5
	y := make([]float32, 2)
	l.Forward([]float32{1}, y, 1, false)
	// Ω = [[0, ω], [−ω, 0]]: x ← normalise(x + γΩx), an angle of
	// −atan(γω) per step.
	a := -3 * math.Atan(0.2*0.5)
	if math.Abs(float64(y[0])-math.Cos(a)) > 1e-6 || math.Abs(float64(y[1])-math.Sin(a)) > 1e-6 {
		t.Errorf("state %v, want (%g, %g)", y, math.Cos(a), math.Sin(a))
	}
	k := &Kuramoto{Units: 5, Dim: 3, Steps: 7, Gamma: 0.7}
	k.Build(nn.Shape{4, 1, 1})
	k.Init(rand.New(rand.NewPCG(1, 2)))
	k.Reserve(2)
	out := make([]float32, 2*15)
	k.Forward([]float32{1, -2, 3, 0.5, 4, 1, -1, 2}, out, 2, false)
	for u := range 10 {
		v := out[3*u : 3*u+3]
		if n := math.Sqrt(float64(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])); math.Abs(n-1) > 1e-5 {
			t.Errorf("oscillator %d has norm %g", u, n)
		}
	}
}
