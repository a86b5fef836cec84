package decode

import (
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/bcikit/bcikit/nn"
	"github.com/bcikit/bcikit/nn/dynamics"
)

func init() {
	registry["snn"] = factory{"spiking network: current injection, LIF, learnable synaptic delays (DCLS), recurrent LIF, spike-count readout; surrogate-gradient BPTT (nn/dynamics)", func() Pipeline { return NewDynamics("snn") }}
	registry["akorn"] = factory{"artificial Kuramoto oscillatory neurons (Miyato 2025) driven by learned log-power features, readout of the final state (nn/dynamics)", func() Pipeline { return NewDynamics("akorn") }}
	registry["ctm"] = factory{"Continuous Thought Machine core (Darlow 2025): neuron-level models over internal ticks, pairwise synchronisation read out (nn/dynamics)", func() Pipeline { return NewDynamics("ctm") }}
}

// Dynamics is a neural-dynamics decoding pipeline: snn, akorn or ctm
// (package nn/dynamics). Trials are prepared and the network trained as
// NN does (channel means removed, one scale fitted on the training
// trials, AdamW with a cosine schedule, a stratified validation split with
// early stopping, settings overridden by $BCIKIT_NN). The models count
// time in samples, so no sampling rate is needed.
type Dynamics struct {
	// Model is the network (dynamics.Names()).
	Model string `json:"model"`
	// Train are the training settings.
	Train NNTrain `json:"train"`
	// Classes are the labels, in the order of the network's outputs.
	Classes []int `json:"classes"`
	// Chans and Times are the trial shape the network was built for.
	Chans int `json:"chans"`
	Times int `json:"times"`
	// Scale multiplies the trials (after mean removal) before the network.
	Scale float64 `json:"scale"`
	// Weights are the network's tensors (nn.Net.State).
	Weights []nn.Tensor `json:"weights"`

	mu  sync.Mutex
	net *nn.Net
}

// NewDynamics returns an untrained pipeline for the named model with
// default training settings, overridden by $BCIKIT_NN: 80 epochs of
// batches of 16 on all the training trials (no validation split: the
// small models train in seconds and the data sets of a subject are a few
// dozen trials), learning rate 3e-3 for snn and 1e-2 for akorn and ctm.
func NewDynamics(model string) *Dynamics {
	t := NNTrain{Epochs: 80, BatchSize: 16, LR: 3e-3, Seed: 42}
	if model != "snn" {
		t.LR = 1e-2
	}
	return &Dynamics{Model: model, Train: t}
}

// Input implements Pipeline.
func (p *Dynamics) Input() Input { return Trials }

// Net returns the trained network (nil before Fit).
func (p *Dynamics) Net() *nn.Net { return p.net }

// Fit implements Pipeline.
func (p *Dynamics) Fit(x Data, y []int) error {
	env := &NN{Train: p.Train}
	if err := env.applyEnv(); err != nil {
		return err
	}
	p.Train = env.Train
	if !dynamics.Known(p.Model) {
		return fmt.Errorf("decode: %w: network %q (%v)", ErrUnknown, p.Model, dynamics.Names())
	}
	ts, err := newTrainingSet(p.Model, x, y)
	if err != nil {
		return err
	}
	chans, times, raw, scale, classes, idx := ts.chans, ts.times, ts.x, ts.scale, ts.classes, ts.idx
	net, err := dynamics.Build(p.Model, chans, times, len(classes), p.Train.Seed)
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if err := trainNet(p.Model, net, raw, idx, p.Train.config(p.Train.Shift)); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Classes, p.Chans, p.Times, p.Scale = classes, chans, times, scale
	p.Weights = net.State()
	p.net = net
	return nil
}

func (p *Dynamics) logits(x Data) ([]float32, error) {
	return runNet(p.Model, p.net, &p.mu, p.Chans, p.Times, p.Scale, x)
}

// Predict implements Pipeline.
func (p *Dynamics) Predict(x Data) ([]int, error) {
	z, err := p.logits(x)
	if err != nil {
		return nil, err
	}
	k := len(p.Classes)
	out := make([]int, len(z)/k)
	for i := range out {
		row := z[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = p.Classes[best]
	}
	return out, nil
}

// Score implements Pipeline: for two classes, the difference of the
// logits (larger class minus smaller).
func (p *Dynamics) Score(x Data) ([]float64, error) {
	if len(p.Classes) != 2 {
		return nil, fmt.Errorf("decode: a score needs two classes, the model has %d", len(p.Classes))
	}
	z, err := p.logits(x)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(z)/2)
	for i := range out {
		out[i] = float64(z[2*i+1]) - float64(z[2*i])
	}
	return out, nil
}

// UnmarshalJSON reads a trained pipeline and rebuilds its network,
// refusing settings and weights that do not fit the model or are not
// finite.
func (p *Dynamics) UnmarshalJSON(b []byte) error {
	type plain struct {
		Model   string      `json:"model"`
		Train   NNTrain     `json:"train"`
		Classes []int       `json:"classes"`
		Chans   int         `json:"chans"`
		Times   int         `json:"times"`
		Scale   float64     `json:"scale"`
		Weights []nn.Tensor `json:"weights"`
	}
	var aux plain
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if !dynamics.Known(aux.Model) {
		return fmt.Errorf("unknown network %q (%v)", aux.Model, dynamics.Names())
	}
	if aux.Model != p.Model && p.Model != "" {
		return fmt.Errorf("the state is of network %q, the pipeline's is %q", aux.Model, p.Model)
	}
	if len(aux.Classes) < 2 || len(aux.Classes) > 1<<10 || aux.Chans <= 0 || aux.Times <= 0 || aux.Chans > 1<<12 || aux.Times > 1<<20 || aux.Chans*aux.Times > 1<<22 {
		return fmt.Errorf("%s: %d classes, %d channels × %d samples", aux.Model, len(aux.Classes), aux.Chans, aux.Times)
	}
	if !(aux.Scale > 0) || math.IsInf(aux.Scale, 0) {
		return fmt.Errorf("%s: scale %g is not a positive number", aux.Model, aux.Scale)
	}
	net, err := dynamics.Build(aux.Model, aux.Chans, aux.Times, len(aux.Classes), 0)
	if err != nil {
		return err
	}
	if err := net.SetState(aux.Weights); err != nil {
		return err
	}
	p.Model, p.Train, p.Classes, p.Chans, p.Times, p.Scale, p.Weights = aux.Model, aux.Train, aux.Classes, aux.Chans, aux.Times, aux.Scale, aux.Weights
	p.net = net
	return nil
}

// Cost measures what one decision of the trained network costs on the
// trials x (dynamics.Measure: multiply-adds, synaptic events, spikes per
// trial), the trials prepared as Predict prepares them.
func (p *Dynamics) Cost(x Data) (dynamics.Cost, error) {
	if p.net == nil {
		return dynamics.Cost{}, fmt.Errorf("decode: %s is not trained", p.Model)
	}
	chans, times, err := trialShape(x.Trials)
	if err != nil {
		return dynamics.Cost{}, err
	}
	if chans != p.Chans || times != p.Times {
		return dynamics.Cost{}, fmt.Errorf("decode: %s was trained on trials of %d channels × %d samples, got %d × %d", p.Model, p.Chans, p.Times, chans, times)
	}
	t, err := tensor(x.Trials, chans, times, p.Scale)
	if err != nil {
		return dynamics.Cost{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return dynamics.Measure(p.net, t, len(x.Trials))
}
