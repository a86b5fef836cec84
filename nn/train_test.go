package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// toyNet is a small conv net over [1, 4, 32] examples.
func toyNet(t testing.TB) *Net {
	net, err := NewNet(Shape{1, 4, 32},
		&Conv2D{Out: 4, Kernel: [2]int{1, 5}, Same: true},
		&BatchNorm2D{},
		&Conv2D{Out: 8, Kernel: [2]int{4, 1}, Groups: 4, MaxNorm: 1},
		&BatchNorm2D{Momentum: 0.01, Eps: 1e-3},
		&Act{Func: ELU},
		&Pool2D{Kernel: [2]int{1, 4}},
		&Dropout{P: 0.25},
		&Flatten{},
		&Dense{Out: 2, MaxNorm: 0.5},
	)
	if err != nil {
		t.Fatal(err)
	}
	net.Init(3)
	return net
}

// toyData: class 1 has a 4-sample-period oscillation on electrode 0,
// class 0 on electrode 3, in noise.
func toyData(n int, seed uint64) ([]float32, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n*4*32)
	y := make([]int, n)
	for i := range y {
		y[i] = i % 2
		ch := 3 * (1 - y[i])
		for c := range 4 {
			for s := range 32 {
				v := 0.5 * r.NormFloat64()
				if c == ch {
					v += math.Sin(float64(s)*math.Pi/2 + r.Float64())
				}
				x[(i*4+c)*32+s] = float32(v)
			}
		}
	}
	return x, y
}

func accuracy(t *testing.T, net *Net, x []float32, y []int) float64 {
	out, err := net.Predict(x, len(y), 16)
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for i, c := range y {
		if (out[2*i+1] > out[2*i]) == (c == 1) {
			ok++
		}
	}
	return float64(ok) / float64(len(y))
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	x, y := toyData(96, 1)
	xt, yt := toyData(64, 2)
	cfg := TrainConfig{Epochs: 25, BatchSize: 16, LR: 1e-2, Cosine: true, ValFraction: 0.25, Patience: 8, Seed: 5,
		Augment: Augment{Shift: 2, Noise: 0.05, ChannelDropout: 0.05}, RecalibrateBN: true}
	var states [][]Tensor
	for range 2 {
		net := toyNet(t)
		h, err := Train(net, x, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Epochs) == 0 || h.Best >= len(h.Epochs) {
			t.Fatalf("history %+v", h)
		}
		if acc := accuracy(t, net, xt, yt); acc < 0.9 {
			t.Errorf("test accuracy %.2f after training, want ≥ 0.9", acc)
		}
		states = append(states, net.State())
	}
	for i := range states[0] {
		if !slices.Equal(states[0][i].Data, states[1][i].Data) {
			t.Fatalf("same seed, different %s", states[0][i].Name)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	x, y := toyData(32, 1)
	bad := slices.Clone(x)
	bad[5*128+7] = float32(math.NaN())
	if _, err := Train(toyNet(t), bad, y, TrainConfig{Epochs: 1}); !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "example 5") {
		t.Errorf("NaN input: %v", err)
	}
	if _, err := Train(toyNet(t), x[:100], y, TrainConfig{}); !errors.Is(err, ErrShape) {
		t.Errorf("short input: %v", err)
	}
	yb := slices.Clone(y)
	yb[3] = 2
	if _, err := Train(toyNet(t), x, yb, TrainConfig{}); !errors.Is(err, ErrConfig) {
		t.Errorf("label out of range: %v", err)
	}
	if _, err := Train(toyNet(t), x, y, TrainConfig{Optimizer: "lbfgs"}); !errors.Is(err, ErrConfig) {
		t.Errorf("unknown optimizer: %v", err)
	}
	// A learning rate that makes the loss diverge.
	_, err := Train(toyNet(t), x, y, TrainConfig{Epochs: 50, BatchSize: 8, LR: 1e35, Optimizer: "sgd"})
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), "epoch") {
		t.Errorf("diverging training: %v", err)
	} else {
		t.Log(err)
	}
}

func TestNetShapeErrors(t *testing.T) {
	_, err := NewNet(Shape{1, 4, 10}, &Conv2D{Out: 2, Kernel: [2]int{1, 5}}, &Pool2D{Kernel: [2]int{1, 8}})
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "layer 1 (avgpool2d)") {
		t.Errorf("pool wider than its input: %v", err)
	}
	_, err = NewNet(Shape{3, 4, 10}, &Conv2D{Out: 4, Kernel: [2]int{1, 3}, Groups: 2})
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "layer 0 (conv2d)") {
		t.Errorf("groups not dividing channels: %v", err)
	}
	net := toyNet(t)
	if _, err := net.Predict(make([]float32, 10), 1, 4); !errors.Is(err, ErrShape) {
		t.Errorf("predict on a wrong shape: %v", err)
	}
	st := net.State()
	st[0].Data[0] = float32(math.Inf(1))
	if err := toyNet(t).SetState(st); !errors.Is(err, ErrNonFinite) {
		t.Errorf("infinite weight: %v", err)
	}
	if err := toyNet(t).SetState(st[1:]); !errors.Is(err, ErrState) {
		t.Errorf("missing tensor: %v", err)
	}
}

// TestTrainStepAllocs checks that a training step (forward, loss,
// backward, optimizer) allocates nothing once the network is reserved.
func TestTrainStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	x, y := toyData(16, 1)
	net := toyNet(t)
	net.Reserve(16)
	opt := NewAdam(net.Params(), 0, true)
	grad := make([]float32, 32)
	step := func() {
		out := net.Forward(x, 16, true)
		if _, _, err := CrossEntropy(out, y, nil, grad); err != nil {
			t.Fatal(err)
		}
		net.ZeroGrad()
		net.Backward(grad, 16)
		opt.Step(1e-3)
	}
	step()
	if a := testing.AllocsPerRun(20, step); a > 0 {
		t.Errorf("%.1f allocations per training step", a)
	}
}

func TestShiftRow(t *testing.T) {
	v := []float32{1, 2, 3, 4}
	shiftRow(v, 1)
	if !slices.Equal(v, []float32{0, 1, 2, 3}) {
		t.Error(v)
	}
	shiftRow(v, -2)
	if !slices.Equal(v, []float32{2, 3, 0, 0}) {
		t.Error(v)
	}
	shiftRow(v, 9)
	if !slices.Equal(v, []float32{0, 0, 0, 0}) {
		t.Error(v)
	}
}
