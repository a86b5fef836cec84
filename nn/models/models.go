// Package models builds the EEG decoding networks of the braindecode
// family on package nn: EEGNet-8,2 (Lawhern et al. 2018), ShallowFBCSPNet
// (Schirrmeister et al. 2017) and EEGNeX (Chen et al. 2024), for trials of
// a given number of electrodes and samples. A trial enters as an example
// of shape [1, electrodes, samples]; the output is one logit per class.
//
// The PyTorch definitions the layers are checked against are in
// testdata/gen/nn_layers.py; they follow braindecode's EEGNetv4,
// ShallowFBCSPNet and EEGNeX with these differences, which keep the
// number of parameters: EEGNet pads its temporal convolutions "same" as
// Lawhern's Keras model does (braindecode pads k/2 on both sides, one
// sample longer) and ends in a Dense layer with max-norm 0.25 as Lawhern's
// (braindecode: a convolution over the remaining time); ShallowFBCSPNet
// runs time along the width axis and ends in a Dense layer (braindecode: a
// convolution over the remaining time, the same weights transposed).
package models

import (
	"fmt"
	"slices"

	"github.com/bcikit/bcikit/nn"
)

// Names lists the models Build knows.
func Names() []string { return []string{"eegnet", "eegnex", "shallow"} }

// Build returns the named model for trials of chans electrodes × times
// samples and the given number of classes, initialised from seed.
func Build(name string, chans, times, classes int, seed uint64) (*nn.Net, error) {
	if chans <= 0 || times <= 0 || classes < 2 {
		return nil, fmt.Errorf("models: %w: %d channels × %d samples, %d classes (need ≥ 1 channel and sample, ≥ 2 classes)", nn.ErrConfig, chans, times, classes)
	}
	var layers []nn.Layer
	switch name {
	case "eegnet":
		layers = EEGNet(chans, classes, 0.25)
	case "shallow":
		layers = Shallow(chans, classes, 40, 0.5)
	case "eegnex":
		layers = EEGNeX(chans, classes, 8, 32, 2, 0.5)
	default:
		return nil, fmt.Errorf("models: %w: unknown model %q (%v)", nn.ErrConfig, name, Names())
	}
	net, err := nn.NewNet(nn.Shape{1, chans, times}, layers...)
	if err != nil {
		return nil, fmt.Errorf("models: %s for %d channels × %d samples: %w", name, chans, times, err)
	}
	net.Init(seed)
	return net, nil
}

// Known reports whether name is a model Build knows.
func Known(name string) bool { return slices.Contains(Names(), name) }

// EEGNet returns the layers of EEGNet-8,2: a temporal convolution (8
// filters of 64 samples), a depthwise spatial convolution (depth 2,
// max-norm 1), a separable convolution (16 samples, 16 filters), batch
// normalisation (momentum 0.01, eps 1e-3 as Keras), ELU, average pooling
// by 4 then 8, dropout, and a Dense classifier with max-norm 0.25.
func EEGNet(chans, classes int, dropout float32) []nn.Layer {
	const f1, d, f2 = 8, 2, 16
	bn := func() nn.Layer { return &nn.BatchNorm2D{Momentum: 0.01, Eps: 1e-3} }
	return []nn.Layer{
		&nn.Conv2D{Out: f1, Kernel: [2]int{1, 64}, Same: true},
		bn(),
		&nn.Conv2D{Out: f1 * d, Kernel: [2]int{chans, 1}, Groups: f1, MaxNorm: 1},
		bn(),
		&nn.Act{Func: nn.ELU},
		&nn.Pool2D{Kernel: [2]int{1, 4}},
		&nn.Dropout{P: dropout},
		&nn.Conv2D{Out: f1 * d, Kernel: [2]int{1, 16}, Same: true, Groups: f1 * d},
		&nn.Conv2D{Out: f2, Kernel: [2]int{1, 1}},
		bn(),
		&nn.Act{Func: nn.ELU},
		&nn.Pool2D{Kernel: [2]int{1, 8}},
		&nn.Dropout{P: dropout},
		&nn.Flatten{},
		&nn.Dense{Out: classes, MaxNorm: 0.25},
	}
}

// Shallow returns the layers of braindecode's ShallowFBCSPNet: a temporal
// convolution (filters of 25 samples, with bias), a spatial convolution
// over all electrodes (no bias), batch normalisation, square,
// average pooling (75 samples, stride 15), safe log, dropout and a Dense
// classifier; Xavier-uniform weights and zero biases as braindecode.
// braindecode's default is 40 filters.
func Shallow(chans, classes, filters int, dropout float32) []nn.Layer {
	return []nn.Layer{
		&nn.Conv2D{Out: filters, Kernel: [2]int{1, 25}, Bias: true, Init: nn.XavierInit},
		&nn.Conv2D{Out: filters, Kernel: [2]int{chans, 1}, Init: nn.XavierInit},
		&nn.BatchNorm2D{Momentum: 0.1, Eps: 1e-5},
		&nn.Act{Func: nn.Square},
		&nn.Pool2D{Kernel: [2]int{1, 75}, Stride: [2]int{1, 15}},
		&nn.Act{Func: nn.SafeLog},
		&nn.Dropout{P: dropout},
		&nn.Flatten{},
		&nn.Dense{Out: classes, Init: nn.XavierInit},
	}
}

// EEGNeX returns the layers of braindecode's EEGNeX with f1 and f2
// filters and depth multiplier d (braindecode's defaults: 8, 32, 2),
// kernels 64 and 16, dilations 2 and 4, pooling 4 and 8 (padded by 1),
// ELU, max-norm 1 on the depthwise convolution and 0.25 on the
// classifier.
func EEGNeX(chans, classes, f1, f2, d int, dropout float32) []nn.Layer {
	bn := func() nn.Layer { return &nn.BatchNorm2D{} }
	return []nn.Layer{
		&nn.Conv2D{Out: f1, Kernel: [2]int{1, 64}, Same: true},
		bn(),
		&nn.Conv2D{Out: f2, Kernel: [2]int{1, 64}, Same: true},
		bn(),
		&nn.Conv2D{Out: f2 * d, Kernel: [2]int{chans, 1}, Groups: f2, MaxNorm: 1},
		bn(),
		&nn.Act{Func: nn.ELU},
		&nn.Pool2D{Kernel: [2]int{1, 4}, Padding: [2]int{0, 1}},
		&nn.Dropout{P: dropout},
		&nn.Conv2D{Out: f2, Kernel: [2]int{1, 16}, Dilation: [2]int{1, 2}, Same: true},
		bn(),
		&nn.Conv2D{Out: f1, Kernel: [2]int{1, 16}, Dilation: [2]int{1, 4}, Same: true},
		bn(),
		&nn.Act{Func: nn.ELU},
		&nn.Pool2D{Kernel: [2]int{1, 8}, Padding: [2]int{0, 1}},
		&nn.Dropout{P: dropout},
		&nn.Flatten{},
		&nn.Dense{Out: classes, MaxNorm: 0.25},
	}
}
