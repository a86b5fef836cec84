package models

import (
	"math/rand/v2"
	"testing"

	"github.com/bcikit/bcikit/nn"
)

// benchEpoch trains one epoch of the named model on 1,024 random trials of
// 64 channels × 480 samples, batch 64, Adam (the speed goal of issue 5).
func benchEpoch(b *testing.B, name string, trials int) {
	const chans, times = 64, 480
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, trials*chans*times)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int, trials)
	for i := range y {
		y[i] = i % 2
	}
	net, err := Build(name, chans, times, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg := nn.TrainConfig{Epochs: 1, BatchSize: 64, Optimizer: "adam", LR: 1e-3}
	b.ResetTimer()
	for range b.N {
		if _, err := nn.Train(net, x, y, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/epoch")
}

func BenchmarkEEGNetEpoch(b *testing.B)  { benchEpoch(b, "eegnet", 1024) }
func BenchmarkShallowEpoch(b *testing.B) { benchEpoch(b, "shallow", 256) }
func BenchmarkEEGNeXEpoch(b *testing.B)  { benchEpoch(b, "eegnex", 128) }

// BenchmarkEEGNeXSmall trains one epoch of EEGNeX on 48 trials of 6
// channels × 200 samples (decode's test data).
func BenchmarkEEGNeXSmall(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 48*6*200)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int, 48)
	for i := range y {
		y[i] = i % 2
	}
	net, err := Build("eegnex", 6, 200, 2, 1)
	if err != nil {
		b.Fatal(err)
	}
	cfg := nn.TrainConfig{Epochs: 1, BatchSize: 32, Optimizer: "adam", LR: 1e-3}
	for range b.N {
		if _, err := nn.Train(net, x, y, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
