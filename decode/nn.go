package decode

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bcikit/bcikit/nn"
	"github.com/bcikit/bcikit/nn/models"
)

func init() {
	registry["eegnet"] = factory{"EEGNet-8,2 convolutional network (Lawhern 2018), trained with AdamW, early stopping", func() Pipeline { return NewNN("eegnet") }}
	registry["shallow"] = factory{"ShallowFBCSPNet convolutional network (Schirrmeister 2017), trained with AdamW, early stopping", func() Pipeline { return NewNN("shallow") }}
	registry["eegnex"] = factory{"EEGNeX convolutional network (Chen 2024), trained with AdamW, early stopping", func() Pipeline { return NewNN("eegnex") }}
}

// NNEnv names the environment variable that overrides the training
// settings of the neural pipelines, as comma-separated key=value pairs:
// epochs, batch, lr, wd, patience, val (validation fraction), seed,
// and the augmentation of training batches: shift (the largest random time
// shift, in samples), shiftfrac (the same as a fraction of the trial
// length, used when shift is 0), noise (Gaussian noise, in standard
// deviations of the scaled input), chdrop (probability of zeroing an
// electrode), e.g. BCIKIT_NN=epochs=30,patience=8,shift=8.
const NNEnv = "BCIKIT_NN"

// NNTrain are the training settings of a neural pipeline.
type NNTrain struct {
	Epochs      int     `json:"epochs"`
	BatchSize   int     `json:"batch_size"`
	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay"`
	Patience    int     `json:"patience"`
	ValFraction float64 `json:"val_fraction"`
	Seed        uint64  `json:"seed"`
	Shift       int     `json:"shift,omitempty"`
	// ShiftFraction sets the time shift to this fraction of the trial
	// length when Shift is 0.
	ShiftFraction float64 `json:"shift_fraction,omitempty"`
	Noise         float32 `json:"noise,omitempty"`
	ChanDrop      float32 `json:"channel_dropout,omitempty"`
}

// NN is a neural decoding pipeline: eegnet, shallow or eegnex (package
// nn/models). Each trial enters the network as [1, channels, samples]
// after its channel means are removed and it is multiplied by Scale, one
// factor fitted on the training trials so that their values have unit
// standard deviation (amplitude differences between channels and trials,
// which the networks' power features read, are kept). Training holds out
// ValFraction of the trials (stratified) for early stopping with
// Patience and keeps the weights of the best validation loss; AdamW with a
// cosine learning-rate schedule; at the end the batch-norm running
// statistics are set to their average over the training trials
// (nn.Net.RecalibrateBN). A progress bar and one line per epoch go to
// stderr when the BCIKIT_NN_PROGRESS environment variable is set.
type NN struct {
	// Model is the network (models.Names()).
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

	mu  sync.Mutex // the network's buffers serve one call at a time
	net *nn.Net
}

// NewNN returns an untrained neural pipeline for the named model with its
// default training settings, overridden by $BCIKIT_NN:
//
//	eegnet   100 epochs, lr 2e-3, no validation split (fixed epochs with
//	         the cosine schedule), augmentation: time shifts up to 1/30 of
//	         the trial (0.1 s of a 3-s trial) and noise of 0.1
//	shallow   60 epochs, patience 20, lr 6.25e-4 (braindecode's), 20% validation
//	eegnex    30 epochs, patience 8, lr 1e-3, 20% validation (its 8→32-filter
//	          temporal convolution over every electrode costs about 30 times
//	          EEGNet's per trial)
//
// all with batches of 32, no weight decay and seed 42. EEGNet's settings
// were chosen on EEGMMIDB subject 1 within-session (imagined left/right
// fist, ROC AUC over fold seeds 42 and 7: 0.51 and 0.65 with early
// stopping on a 10% validation split, 0.74 and 0.72 with these; imagined
// fists/feet 0.98 to 1.00 either way); read them as tuned on that subject.
func NewNN(model string) *NN {
	t := NNTrain{Epochs: 100, BatchSize: 32, LR: 2e-3, ShiftFraction: 1.0 / 30, Noise: 0.1, Seed: 42}
	switch model {
	case "shallow":
		t = NNTrain{Epochs: 60, BatchSize: 32, LR: 6.25e-4, Patience: 20, ValFraction: 0.2, Seed: 42}
	case "eegnex":
		t = NNTrain{Epochs: 30, BatchSize: 32, LR: 1e-3, Patience: 8, ValFraction: 0.2, Seed: 42}
	}
	return &NN{Model: model, Train: t}
}

// applyEnv overrides the training settings from $BCIKIT_NN.
func (p *NN) applyEnv() error {
	s := strings.TrimSpace(os.Getenv(NNEnv))
	if s == "" {
		return nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return fmt.Errorf("decode: $%s: %q is not key=value", NNEnv, kv)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return fmt.Errorf("decode: $%s: %s=%q is not a non-negative number", NNEnv, k, v)
		}
		switch k {
		case "epochs":
			p.Train.Epochs = int(f)
		case "batch":
			p.Train.BatchSize = int(f)
		case "lr":
			p.Train.LR = f
		case "wd":
			p.Train.WeightDecay = f
		case "patience":
			p.Train.Patience = int(f)
		case "val":
			p.Train.ValFraction = f
		case "seed":
			p.Train.Seed = uint64(f)
		case "shift":
			p.Train.Shift = int(f)
		case "shiftfrac":
			p.Train.ShiftFraction = f
		case "noise":
			p.Train.Noise = float32(f)
		case "chdrop":
			p.Train.ChanDrop = float32(f)
		default:
			return fmt.Errorf("decode: $%s: unknown setting %q (epochs, batch, lr, wd, patience, val, seed, shift, shiftfrac, noise, chdrop)", NNEnv, k)
		}
	}
	return nil
}

// Input implements Pipeline.
func (p *NN) Input() Input { return Trials }

// shape checks that the trials are non-empty and all of one shape.
func trialShape(t [][][]float64) (chans, times int, err error) {
	if len(t) == 0 {
		return 0, 0, fmt.Errorf("decode: no trials")
	}
	chans = len(t[0])
	if chans == 0 {
		return 0, 0, fmt.Errorf("decode: trial 0 has no channels")
	}
	times = len(t[0][0])
	for i, tr := range t {
		if len(tr) != chans {
			return 0, 0, fmt.Errorf("decode: trial %d has %d channels, trial 0 has %d", i, len(tr), chans)
		}
		for c, row := range tr {
			if len(row) != times {
				return 0, 0, fmt.Errorf("decode: trial %d channel %d has %d samples, trial 0 has %d", i, c, len(row), times)
			}
		}
	}
	return chans, times, nil
}

// tensor returns the trials, mean-removed per channel and multiplied by
// scale, as float32 [trial][1][channel][time]; NaN or Inf is an error
// naming the trial.
func tensor(t [][][]float64, chans, times int, scale float64) ([]float32, error) {
	x := make([]float32, len(t)*chans*times)
	for i, tr := range t {
		for c, row := range tr {
			var m float64
			for _, v := range row {
				m += v
			}
			m /= float64(times)
			if math.IsNaN(m) || math.IsInf(m, 0) {
				return nil, fmt.Errorf("decode: trial %d channel %d holds NaN or Inf", i, c)
			}
			dst := x[(i*chans+c)*times:][:times]
			for k, v := range row {
				dst[k] = float32((v - m) * scale)
			}
		}
	}
	return x, nil
}

// Fit implements Pipeline.
func (p *NN) Fit(x Data, y []int) error {
	if err := p.applyEnv(); err != nil {
		return err
	}
	ts, err := newTrainingSet(p.Model, x, y)
	if err != nil {
		return err
	}
	chans, times, raw, scale, classes, idx := ts.chans, ts.times, ts.x, ts.scale, ts.classes, ts.idx
	shift := p.Train.Shift
	if shift == 0 {
		shift = int(math.Round(p.Train.ShiftFraction * float64(times)))
	}
	net, err := models.Build(p.Model, chans, times, len(classes), p.Train.Seed)
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	cfg := p.Train.config(shift)
	cfg.RecalibrateBN = true
	if err := trainNet(p.Model, net, raw, idx, cfg); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Classes, p.Chans, p.Times, p.Scale = classes, chans, times, scale
	p.Weights = net.State()
	p.net = net
	return nil
}

// logits runs the trials through the network.
func (p *NN) logits(x Data) ([]float32, error) {
	return runNet(p.Model, p.net, &p.mu, p.Chans, p.Times, p.Scale, x)
}

// Predict implements Pipeline.
func (p *NN) Predict(x Data) ([]int, error) {
	labels, _, err := p.PredictScore(x)
	return labels, err
}

// Score implements Pipeline: for two classes, the difference of the
// logits (larger class minus smaller), the log-odds of the larger class.
func (p *NN) Score(x Data) ([]float64, error) {
	if len(p.Classes) != 2 {
		return nil, fmt.Errorf("decode: a score needs two classes, the model has %d", len(p.Classes))
	}
	_, s, err := p.PredictScore(x)
	return s, err
}

// UnmarshalJSON reads a trained pipeline and rebuilds its network,
// refusing weights that do not fit the model or are not finite.
func (p *NN) UnmarshalJSON(b []byte) error {
	type plain NN
	var aux plain
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if !models.Known(aux.Model) {
		return fmt.Errorf("unknown network %q (%v)", aux.Model, models.Names())
	}
	if aux.Model != p.Model && p.Model != "" {
		return fmt.Errorf("the state is of network %q, the pipeline's is %q", aux.Model, p.Model)
	}
	if len(aux.Classes) < 2 || aux.Chans <= 0 || aux.Times <= 0 || aux.Chans > 1024 || aux.Times > 1<<17 {
		return fmt.Errorf("%s: %d classes, %d channels × %d samples (at least 2 classes, 1 to 1024 channels, 1 to 131072 samples)", aux.Model, len(aux.Classes), aux.Chans, aux.Times)
	}
	if !(aux.Scale > 0) || math.IsInf(aux.Scale, 0) {
		return fmt.Errorf("%s: scale %g is not a positive number", aux.Model, aux.Scale)
	}
	net, err := models.Build(aux.Model, aux.Chans, aux.Times, len(aux.Classes), 0)
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

// PredictScore implements PredictScorer: labels and, for two classes,
// scores from one pass through the network.
func (p *NN) PredictScore(x Data) ([]int, []float64, error) {
	z, err := p.logits(x)
	if err != nil {
		return nil, nil, err
	}
	k := len(p.Classes)
	labels := make([]int, len(z)/k)
	var scores []float64
	if k == 2 {
		scores = make([]float64, len(labels))
	}
	for i := range labels {
		row := z[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		labels[i] = p.Classes[best]
		if k == 2 {
			scores[i] = float64(row[1]) - float64(row[0])
		}
	}
	return labels, scores, nil
}

// trainingSet is what a neural pipeline is fitted on: the trials as one
// float32 tensor (channel means removed, scaled to unit standard
// deviation over the whole set), that scale, the sorted classes and each
// trial's index into them.
type trainingSet struct {
	x            []float32
	chans, times int
	scale        float64
	classes, idx []int
}

// newTrainingSet checks the trials and labels of model's Fit (same shape,
// one label each, two classes or more, at least four trials a class on
// average, not flat) and builds its trainingSet.
func newTrainingSet(model string, x Data, y []int) (*trainingSet, error) {
	chans, times, err := trialShape(x.Trials)
	if err != nil {
		return nil, err
	}
	if len(y) != len(x.Trials) {
		return nil, fmt.Errorf("decode: %d labels for %d trials", len(y), len(x.Trials))
	}
	classes := slices.Clone(y)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	if len(classes) < 2 {
		return nil, fmt.Errorf("decode: %s needs at least two classes, got %v", model, classes)
	}
	if len(y) < 4*len(classes) {
		return nil, fmt.Errorf("decode: %s needs at least 4 trials per class on average, got %d trials of %d classes", model, len(y), len(classes))
	}
	raw, err := tensor(x.Trials, chans, times, 1)
	if err != nil {
		return nil, err
	}
	var ss float64
	for _, v := range raw {
		ss += float64(v) * float64(v)
	}
	sd := math.Sqrt(ss / float64(len(raw)))
	if !(sd > 0) || math.IsInf(sd, 0) {
		return nil, fmt.Errorf("decode: %s: the training trials are flat (standard deviation %g)", model, sd)
	}
	scale := 1 / sd
	for i := range raw {
		raw[i] = float32(float64(raw[i]) * scale)
	}
	idx := make([]int, len(y))
	for i, c := range y {
		idx[i], _ = slices.BinarySearch(classes, c)
	}
	return &trainingSet{x: raw, chans: chans, times: times, scale: scale, classes: classes, idx: idx}, nil
}

// config is the nn.TrainConfig of these settings with time shifts of up
// to shift samples: AdamW with the cosine schedule.
func (t NNTrain) config(shift int) nn.TrainConfig {
	return nn.TrainConfig{
		Epochs: t.Epochs, BatchSize: t.BatchSize, Optimizer: "adamw",
		LR: t.LR, WeightDecay: t.WeightDecay, Cosine: true,
		ValFraction: t.ValFraction, Patience: t.Patience, Seed: t.Seed,
		Augment: nn.Augment{Shift: shift, Noise: t.Noise, ChannelDropout: t.ChanDrop},
	}
}

// trainNet trains model's network on the scaled trials x labelled by
// class index, with a progress bar on stderr when $BCIKIT_NN_PROGRESS is
// set.
func trainNet(model string, net *nn.Net, x []float32, idx []int, cfg nn.TrainConfig) error {
	if os.Getenv("BCIKIT_NN_PROGRESS") != "" {
		cfg.Progress = os.Stderr
	}
	if _, err := nn.Train(net, x, idx, cfg); err != nil {
		return fmt.Errorf("decode: %s: %w", model, err)
	}
	return nil
}

// runNet runs trials through model's trained network (nil when it is
// not trained), after checking they have the chans × times shape it was
// built for and scaling them as its training trials were; mu serialises
// calls, since the network's buffers serve one at a time.
func runNet(model string, net *nn.Net, mu *sync.Mutex, chans, times int, scale float64, x Data) ([]float32, error) {
	if net == nil {
		return nil, fmt.Errorf("decode: %s is not trained", model)
	}
	c, t, err := trialShape(x.Trials)
	if err != nil {
		return nil, err
	}
	if c != chans || t != times {
		return nil, fmt.Errorf("decode: %s was trained on trials of %d channels × %d samples, got %d × %d", model, chans, times, c, t)
	}
	in, err := tensor(x.Trials, c, t, scale)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	return net.Predict(in, len(x.Trials), 64)
}
