package dynamics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bcikit/bcikit/nn"
)

func TestMeasure(t *testing.T) {
	// Two neurons driven at twice the threshold spike at every one of 10
	// steps; their counts are read out by a Dense layer of 3.
	net, err := nn.NewNet(nn.Shape{2, 1, 10},
		&LIF{Tau: 4, DT: 1, Recurrent: true},
		&nn.Pool2D{Kernel: [2]int{1, 10}},
		&nn.Flatten{},
		&nn.Dense{Out: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 2*20)
	for i := range x {
		x[i] = 2
	}
	c, err := Measure(net, x, 2)
	if err != nil {
		t.Fatal(err)
	}
	// 20 spikes; each reaches 2 neurons through R and one pooling sum;
	// MACs: 20 leaks, 2 divisions, 2×3 dense.
	if want := (Cost{MACs: 28, Events: 60, Spikes: 20}); c != want {
		t.Errorf("cost %+v, want %+v", c, want)
	}
	if _, err := Measure(net, x[:3], 2); !errors.Is(err, nn.ErrShape) {
		t.Errorf("short input: %v", err)
	}
	// A spatial projection of spikes: each of the 20 spikes of two
	// neurons reaches the 3 outputs.
	net, err = nn.NewNet(nn.Shape{1, 2, 10},
		&LIF{Tau: 4, DT: 1},
		&nn.Conv2D{Out: 3, Kernel: [2]int{2, 1}},
		&nn.Flatten{},
		&nn.Dense{Out: 2})
	if err != nil {
		t.Fatal(err)
	}
	c, err = Measure(net, x[:20], 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Cost{MACs: 20 + 30*2, Events: 60, Spikes: 20}); c != want {
		t.Errorf("cost %+v, want %+v", c, want)
	}
}

func TestBuild(t *testing.T) {
	for _, name := range Names() {
		net, err := Build(name, 8, 160, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		x := make([]float32, 4*8*160)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		y, err := net.Predict(x, 4, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range y {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("%s: output %v", name, y)
			}
		}
		c, err := Measure(net, x, 4)
		if err != nil || !(c.MACs > 0) {
			t.Errorf("%s: cost %+v, %v", name, c, err)
		}
		if name == "snn" && !(c.Events > 0 && c.Spikes > 0) {
			t.Errorf("snn: no spikes at initialisation on unit noise: %+v", c)
		}
	}
	if _, err := Build("nope", 8, 160, 2, 1); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("unknown model: %v", err)
	}
	if _, err := Build("snn", 8, 1, 2, 1); !errors.Is(err, nn.ErrShape) {
		t.Errorf("one sample pooled by 2: %v", err)
	}
	if _, err := nn.NewNet(nn.Shape{1, 8, 160}, mustSNN(t, SNNConfig{Tau: 0.5})...); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("tau of half a step: %v", err)
	}
	if _, err := SNN(8, 160, 2, SNNConfig{Delta: -1}); !errors.Is(err, nn.ErrConfig) {
		t.Errorf("negative delta threshold: %v", err)
	}
}

func mustSNN(t *testing.T, cfg SNNConfig) []nn.Layer {
	l, err := SNN(8, 160, 2, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// The spiking decoder for 64-electrode trials of 480 samples, two
// classes; a delta-encoded variant.
func ExampleBuild() {
	net, err := Build("snn", 64, 480, 2, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net.Shapes()[len(net.Shapes())-4:], net.NumParams())
	layers, _ := SNN(64, 480, 2, SNNConfig{Delta: 0.3})
	net, err = nn.NewNet(nn.Shape{1, 64, 480}, layers...)
	if err != nil {
		fmt.Println(err)
		return
	}
	InitNet(net, 42)
	fmt.Println(net.Shapes()[1:3])
	// Output:
	// [[16 1 240] [16 1 1] [16 1 1] [2 1 1]] 1890
	// [[1 64 240] [2 64 240]]
}

func benchModel(b *testing.B, name string) {
	net, err := Build(name, 64, 480, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	const n = 16
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n*64*480)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	dy := make([]float32, n*2)
	for i := range dy {
		dy[i] = 0.1
	}
	for b.Loop() {
		net.Forward(x, n, true)
		net.ZeroGrad()
		net.Backward(dy, n)
	}
}

// Training steps of 16 trials of 64 × 480 (3 s at 160 Hz).
func BenchmarkSNNStep(b *testing.B)   { benchModel(b, "snn") }
func BenchmarkAKOrNStep(b *testing.B) { benchModel(b, "akorn") }
func BenchmarkCTMStep(b *testing.B)   { benchModel(b, "ctm") }

// TestDeltaSNN: the delta-encoded spiking decoder counts the encoder's
// spikes as events of the spatial projection that follows, and trains.
func TestDeltaSNN(t *testing.T) {
	layers, err := SNN(4, 64, 2, SNNConfig{Delta: 0.5, Hidden: 6})
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.NewNet(nn.Shape{1, 4, 64}, layers...)
	if err != nil {
		t.Fatal(err)
	}
	InitNet(net, 3)
	r := rand.New(rand.NewPCG(5, 6))
	const k = 24
	x := make([]float32, k*4*64)
	y := make([]int, k)
	for e := range k {
		y[e] = e % 2
		for c := range 4 {
			for s := range 64 {
				amp := 0.5
				if c == y[e] {
					amp = 2
				}
				x[(e*4+c)*64+s] = float32(amp * r.NormFloat64())
			}
		}
	}
	c, err := Measure(net, x, k)
	if err != nil {
		t.Fatal(err)
	}
	if !(c.Spikes > 0 && c.Events > c.Spikes) {
		t.Errorf("cost %+v", c)
	}
	h, err := nn.Train(net, x, y, nn.TrainConfig{Epochs: 40, BatchSize: 8, LR: 1e-2})
	if err != nil {
		t.Fatal(err)
	}
	if last := h.Epochs[len(h.Epochs)-1]; !(last.Loss < h.Epochs[0].Loss) {
		t.Errorf("training loss %g → %g", h.Epochs[0].Loss, last.Loss)
	}
}

func benchLayer(b *testing.B, l nn.Layer, in nn.Shape, n int) {
	out, err := l.Build(in)
	if err != nil {
		b.Fatal(err)
	}
	if i, ok := l.(Initer); ok {
		i.Init(rand.New(rand.NewPCG(1, 2)))
	}
	l.Reserve(n)
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, n*in.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y, dy, dx := make([]float32, n*out.Size()), make([]float32, n*out.Size()), make([]float32, len(x))
	for i := range dy {
		dy[i] = 0.01
	}
	for b.Loop() {
		l.Forward(x, y, n, true)
		l.Backward(x, y, dy, dx, n)
	}
}

// Forward and backward of 16 examples of 16 neurons over 240 steps.
func BenchmarkLIFRecurrent(b *testing.B) {
	benchLayer(b, &LIF{Tau: 4, DT: 1, Recurrent: true}, nn.Shape{16, 1, 240}, 16)
}

func BenchmarkDelayConv(b *testing.B) {
	benchLayer(b, &DelayConv{Out: 16, MaxDelay: 8}, nn.Shape{16, 1, 240}, 16)
}
