package dynamics

import (
	"fmt"
	"slices"

	"github.com/bcikit/bcikit/nn"
)

// Names lists the models Build knows.
func Names() []string { return []string{"akorn", "ctm", "snn"} }

// Known reports whether name is a model Build knows.
func Known(name string) bool { return slices.Contains(Names(), name) }

// Build returns the named model (snn, akorn or ctm, with default
// settings) for trials of chans electrodes × times samples and the given
// number of classes, initialised from seed. A trial enters as
// [1, chans, times].
func Build(name string, chans, times, classes int, seed uint64) (*nn.Net, error) {
	if chans <= 0 || times <= 0 || classes < 2 {
		return nil, fmt.Errorf("dynamics: %w: %d channels × %d samples, %d classes (need ≥ 1 channel and sample, ≥ 2 classes)", nn.ErrConfig, chans, times, classes)
	}
	var layers []nn.Layer
	var err error
	switch name {
	case "snn":
		layers, err = SNN(chans, times, classes, SNNConfig{})
	case "akorn":
		layers = AKOrN(chans, times, classes, 16, 4, 8, 0.5)
	case "ctm":
		layers = CTM(chans, times, classes, 16, 4, 4, 8)
	default:
		return nil, fmt.Errorf("dynamics: %w: unknown model %q (%v)", nn.ErrConfig, name, Names())
	}
	if err != nil {
		return nil, err
	}
	net, err := nn.NewNet(nn.Shape{1, chans, times}, layers...)
	if err != nil {
		return nil, fmt.Errorf("dynamics: %s for %d channels × %d samples: %w", name, chans, times, err)
	}
	InitNet(net, seed)
	return net, nil
}

// SNNConfig sets up the spiking decoder; zero values take the defaults in
// brackets.
type SNNConfig struct {
	// Hidden is the number of neurons per spiking layer [16].
	Hidden int
	// Pool is the factor by which time is averaged down before the
	// network: one step of the network is Pool samples [2].
	Pool int
	// MaxDelay is the number of delay taps, in steps [8].
	MaxDelay int
	// Tau is the membranes' time constant in steps [4] (at 160 Hz and
	// Pool 2, 50 ms).
	Tau float64
	// Delta encodes the EEG by delta modulation (DeltaEncoder with this
	// threshold, in units of the scaled input) instead of injecting it as
	// a current through a learned spatial projection [0: current].
	Delta float32
}

// SNN returns the layers of the spiking decoder: time averaged down by
// Pool; the EEG injected as current into Hidden LIF neurons through a
// learned spatial projection and batch normalisation (or, with Delta,
// delta-encoded into ON/OFF spikes first); their spikes sent through
// synapses with learnable delays (DelayConv) and batch normalisation to a
// recurrent LIF layer; its spike counts over the trial read out by a Dense
// layer. Time is counted in steps (Pool samples); an unstable LIF
// (Tau ≤ 1 step) is an error.
func SNN(chans, times, classes int, cfg SNNConfig) ([]nn.Layer, error) {
	if cfg.Hidden == 0 {
		cfg.Hidden = 16
	}
	if cfg.Pool == 0 {
		cfg.Pool = 2
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = 8
	}
	if cfg.Tau == 0 {
		cfg.Tau = 4
	}
	if cfg.Hidden < 1 || cfg.Pool < 1 || cfg.MaxDelay < 1 || cfg.Delta < 0 {
		return nil, fmt.Errorf("dynamics: snn: %w: %d neurons, pool %d, %d delay taps, delta %g", nn.ErrConfig, cfg.Hidden, cfg.Pool, cfg.MaxDelay, cfg.Delta)
	}
	steps := times / cfg.Pool
	if steps < 1 {
		return nil, fmt.Errorf("dynamics: snn: %w: %d samples pooled by %d leave no step", nn.ErrShape, times, cfg.Pool)
	}
	const dt = 1
	var layers []nn.Layer
	if cfg.Pool > 1 {
		layers = append(layers, &nn.Pool2D{Kernel: [2]int{1, cfg.Pool}})
	}
	if cfg.Delta > 0 {
		layers = append(layers, &DeltaEncoder{Threshold: cfg.Delta})
	}
	layers = append(layers,
		&nn.Conv2D{Out: cfg.Hidden, Kernel: [2]int{chans, 1}},
		&nn.BatchNorm2D{},
		&LIF{Tau: cfg.Tau, DT: dt},
		&DelayConv{Out: cfg.Hidden, MaxDelay: cfg.MaxDelay},
		&nn.BatchNorm2D{},
		&LIF{Tau: cfg.Tau, DT: dt, Recurrent: true},
		&nn.Pool2D{Kernel: [2]int{1, steps}},
		&nn.Flatten{},
		&nn.Dense{Out: classes},
	)
	return layers, nil
}

// logPower returns the front end of AKOrN and CTM: features learned
// spatial filters, batch normalisation, the log of the mean power over the
// trial, normalised again: [features, 1, 1].
func logPower(chans, times, features int) []nn.Layer {
	return []nn.Layer{
		&nn.Conv2D{Out: features, Kernel: [2]int{chans, 1}},
		&nn.BatchNorm2D{},
		&nn.Act{Func: nn.Square},
		&nn.Pool2D{Kernel: [2]int{1, times}},
		&nn.Act{Func: nn.SafeLog},
		&nn.BatchNorm2D{},
	}
}

// AKOrN returns the layers of the oscillator decoder: the log-power front
// end (16 learned spatial filters) sets the stimulus of units Kuramoto
// oscillators of dimension dim, updated steps times with step gamma; a
// Dense layer reads their final state.
func AKOrN(chans, times, classes, units, dim, steps int, gamma float32) []nn.Layer {
	return append(logPower(chans, times, 16),
		&Kuramoto{Units: units, Dim: dim, Steps: steps, Gamma: gamma},
		&nn.Dense{Out: classes})
}

// CTM returns the layers of the synchrony decoder: the log-power front end
// (16 learned spatial filters) feeds a CTMCore of neurons neurons with a
// memory of memory pre-activations and neuron-level models of hidden
// units, unrolled over ticks ticks; a Dense layer reads the
// synchronisation of every pair.
func CTM(chans, times, classes, neurons, memory, hidden, ticks int) []nn.Layer {
	return append(logPower(chans, times, 16),
		&CTMCore{Neurons: neurons, Memory: memory, Hidden: hidden, Ticks: ticks},
		&nn.Dense{Out: classes})
}
