package nn

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Augment describes the random transformations applied to each training
// example, drawn anew for every batch. The example's height axis is taken
// as the electrodes and its width as time.
type Augment struct {
	// Shift is the largest random time shift in samples (uniform in
	// [−Shift, Shift], zeros shifted in).
	Shift int
	// Noise is the standard deviation of Gaussian noise added to every
	// value.
	Noise float32
	// ChannelDropout is the probability that an electrode's row is zeroed.
	ChannelDropout float32
}

// TrainConfig sets up Train. Zero values take the defaults in brackets.
type TrainConfig struct {
	// Epochs is the most passes over the training set [100].
	Epochs int
	// BatchSize is the number of examples per step [64].
	BatchSize int
	// Optimizer is "adam", "adamw" or "sgd" [adamw].
	Optimizer string
	// LR is the base learning rate [1e-3]; WeightDecay and (SGD) Momentum
	// as in PyTorch.
	LR, WeightDecay, Momentum float64
	// Cosine anneals the learning rate from LR to MinLR over Epochs
	// (CosineAnnealingLR stepped once per epoch).
	Cosine bool
	MinLR  float64
	// ValFraction of the examples (stratified by class) is held out for
	// validation; Patience > 0 stops after that many epochs without a
	// lower validation loss, and the weights of the best epoch are kept.
	ValFraction float64
	Patience    int
	// ClassWeights weight the loss per class (nil: equal).
	ClassWeights []float32
	// Augment is applied to the training batches.
	Augment Augment
	// RecalibrateBN ends training with Net.RecalibrateBN on the training
	// examples (not the validation ones).
	RecalibrateBN bool
	// Seed drives shuffling, the split and the augmentation.
	Seed uint64
	// Progress receives a progress bar and one line per epoch (nil: none).
	Progress io.Writer
}

// Epoch is what one epoch of training measured.
type Epoch struct {
	LR, Loss, Acc, ValLoss, ValAcc float64
}

// History is the record of a training run.
type History struct {
	Epochs []Epoch
	// Best is the epoch whose weights were kept (the last one without
	// validation).
	Best int
}

// Train fits net to the k examples x (k·In().Size() values) with class
// indices y (in [0, Out().Size())), by mini-batch gradient descent on the
// softmax cross-entropy. NaN or Inf in x, labels out of range, and a loss
// that stops being finite are errors naming the example, or the layer and
// step; a network whose weights are not finite is never returned as
// trained.
func Train(net *Net, x []float32, y []int, cfg TrainConfig) (*History, error) {
	in := net.In().Size()
	classes := net.Out().Size()
	k := len(y)
	if k == 0 || len(x) != k*in {
		return nil, fmt.Errorf("nn: train: %w: %d values for %d examples of %v", ErrShape, len(x), k, net.In())
	}
	if i := firstNonFinite(x); i >= 0 {
		return nil, fmt.Errorf("nn: train: %w: input of example %d holds %g", ErrNonFinite, i/in, x[i])
	}
	for i, c := range y {
		if c < 0 || c >= classes {
			return nil, fmt.Errorf("nn: train: %w: label %d of example %d is not in [0, %d)", ErrConfig, c, i, classes)
		}
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 100
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 64
	}
	if cfg.LR == 0 {
		cfg.LR = 1e-3
	}
	if cfg.Epochs < 0 || cfg.BatchSize < 2 || !(cfg.LR > 0) || cfg.ValFraction < 0 || cfg.ValFraction >= 1 || cfg.Augment.Shift < 0 || cfg.Augment.Noise < 0 || cfg.Augment.ChannelDropout < 0 || cfg.Augment.ChannelDropout >= 1 {
		return nil, fmt.Errorf("nn: train: %w: epochs %d, batch %d, lr %g, validation fraction %g, augmentation %+v", ErrConfig, cfg.Epochs, cfg.BatchSize, cfg.LR, cfg.ValFraction, cfg.Augment)
	}
	opt, err := NewOptimizer(cfg.Optimizer, net.Params(), cfg.WeightDecay, cfg.Momentum)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x747261696e))
	trainIdx, valIdx := split(y, classes, cfg.ValFraction, r)
	if len(trainIdx) < 2 {
		return nil, fmt.Errorf("nn: train: %w: %d training examples (need at least 2)", ErrConfig, len(trainIdx))
	}
	bs := min(cfg.BatchSize, len(trainIdx))
	net.Reserve(bs)
	xb := make([]float32, bs*in)
	yb := make([]int, bs)
	grad := make([]float32, bs*classes)
	var best []*Param
	bestLoss := math.Inf(1)
	h := &History{}
	bar := progress{w: cfg.Progress}
	for ep := range cfg.Epochs {
		lr := cfg.LR
		if cfg.Cosine {
			lr = Cosine(cfg.LR, cfg.MinLR, ep, cfg.Epochs)
		}
		r.Shuffle(len(trainIdx), func(i, j int) { trainIdx[i], trainIdx[j] = trainIdx[j], trainIdx[i] })
		var lossSum float64
		var correct, seen int
		for b := 0; b < len(trainIdx); b += bs {
			m := min(bs, len(trainIdx)-b)
			if m < 2 {
				break // a batch of one has no batch statistics
			}
			for i, e := range trainIdx[b : b+m] {
				copy(xb[i*in:(i+1)*in], x[e*in:(e+1)*in])
				yb[i] = y[e]
			}
			augment(xb[:m*in], net.In(), cfg.Augment, r)
			out := net.Forward(xb[:m*in], m, true)
			loss, c, err := CrossEntropy(out, yb[:m], cfg.ClassWeights, grad[:m*classes])
			if err != nil {
				return nil, err
			}
			step := b/bs + 1
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				if err := net.checkActivations(m); err != nil {
					return nil, fmt.Errorf("nn: train: epoch %d, step %d: %w", ep+1, step, err)
				}
				return nil, fmt.Errorf("nn: train: epoch %d, step %d: %w: the loss is %g (diverging; lower the learning rate)", ep+1, step, ErrNonFinite, loss)
			}
			net.ZeroGrad()
			net.Backward(grad[:m*classes], m)
			opt.Step(lr)
			lossSum += loss * float64(m)
			correct += c
			seen += m
			bar.step(ep+1, cfg.Epochs, seen, len(trainIdx), lossSum/float64(seen), float64(correct)/float64(seen))
		}
		if err := net.checkParams(); err != nil {
			return nil, fmt.Errorf("nn: train: epoch %d: %w (diverging; lower the learning rate)", ep+1, err)
		}
		e := Epoch{LR: lr, Loss: lossSum / float64(max(seen, 1)), Acc: float64(correct) / float64(max(seen, 1)), ValLoss: math.NaN(), ValAcc: math.NaN()}
		if len(valIdx) > 0 {
			net.Constrain()
			e.ValLoss, e.ValAcc, err = evaluate(net, x, y, valIdx, cfg.ClassWeights, xb, grad)
			if err != nil {
				return nil, fmt.Errorf("nn: train: epoch %d, validation: %w", ep+1, err)
			}
		}
		h.Epochs = append(h.Epochs, e)
		bar.epoch(ep+1, cfg.Epochs, e)
		if len(valIdx) == 0 {
			h.Best = ep
			continue
		}
		if e.ValLoss < bestLoss {
			bestLoss, h.Best = e.ValLoss, ep
			best = snapshot(net, best)
		} else if cfg.Patience > 0 && ep-h.Best >= cfg.Patience {
			break
		}
	}
	if best != nil {
		for i, p := range net.Params() {
			copy(p.W, best[i].W)
		}
	}
	net.Constrain()
	if cfg.RecalibrateBN {
		xt := make([]float32, len(trainIdx)*in)
		for i, e := range trainIdx {
			copy(xt[i*in:(i+1)*in], x[e*in:(e+1)*in])
		}
		net.RecalibrateBN(xt, len(trainIdx), bs)
	}
	if err := net.checkParams(); err != nil {
		return nil, fmt.Errorf("nn: train: %w", err)
	}
	return h, nil
}

// snapshot copies every tensor of net into dst (allocated when nil).
func snapshot(net *Net, dst []*Param) []*Param {
	ps := net.Params()
	if dst == nil {
		dst = make([]*Param, len(ps))
		for i, p := range ps {
			dst[i] = &Param{W: make([]float32, len(p.W))}
		}
	}
	for i, p := range ps {
		copy(dst[i].W, p.W)
	}
	return dst
}

// split draws a stratified validation set of about frac of each class.
func split(y []int, classes int, frac float64, r *rand.Rand) (train, val []int) {
	byClass := make([][]int, classes)
	for i, c := range y {
		byClass[c] = append(byClass[c], i)
	}
	for _, idx := range byClass {
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		nv := int(math.Round(frac * float64(len(idx))))
		if frac > 0 && nv == 0 && len(idx) > 2 {
			nv = 1
		}
		val = append(val, idx[:nv]...)
		train = append(train, idx[nv:]...)
	}
	slices.Sort(train)
	slices.Sort(val)
	return train, val
}

// evaluate returns the loss and accuracy on the examples idx, in
// evaluation mode, using xb and grad as scratch.
func evaluate(net *Net, x []float32, y []int, idx []int, weights, xb, grad []float32) (float64, float64, error) {
	in := net.In().Size()
	classes := net.Out().Size()
	bs := len(xb) / in
	yb := make([]int, bs)
	var lossSum, wsum float64
	var correct int
	for b := 0; b < len(idx); b += bs {
		m := min(bs, len(idx)-b)
		for i, e := range idx[b : b+m] {
			copy(xb[i*in:(i+1)*in], x[e*in:(e+1)*in])
			yb[i] = y[e]
		}
		out := net.Forward(xb[:m*in], m, false)
		loss, c, err := CrossEntropy(out, yb[:m], weights, grad[:m*classes])
		if err != nil {
			return 0, 0, err
		}
		lossSum += loss * float64(m)
		wsum += float64(m)
		correct += c
	}
	return lossSum / wsum, float64(correct) / float64(len(idx)), nil
}

// augment transforms each example of xb in place.
func augment(xb []float32, s Shape, a Augment, r *rand.Rand) {
	if a.Shift == 0 && a.Noise == 0 && a.ChannelDropout == 0 {
		return
	}
	size := s.Size()
	w := s[2]
	for e := 0; e < len(xb)/size; e++ {
		ex := xb[e*size : (e+1)*size]
		if a.Shift > 0 {
			sh := r.IntN(2*a.Shift+1) - a.Shift
			for row := 0; row < s[0]*s[1]; row++ {
				shiftRow(ex[row*w:(row+1)*w], sh)
			}
		}
		if a.ChannelDropout > 0 {
			for c := range s[0] {
				for h := range s[1] {
					if r.Float32() < a.ChannelDropout {
						clear(ex[(c*s[1]+h)*w : (c*s[1]+h+1)*w])
					}
				}
			}
		}
		if a.Noise > 0 {
			for i := range ex {
				ex[i] += a.Noise * float32(r.NormFloat64())
			}
		}
	}
}

// shiftRow moves v by sh samples (right when positive), filling zeros.
func shiftRow(v []float32, sh int) {
	switch {
	case sh > 0 && sh < len(v):
		copy(v[sh:], v[:len(v)-sh])
		clear(v[:sh])
	case sh < 0 && -sh < len(v):
		copy(v, v[-sh:])
		clear(v[len(v)+sh:])
	case sh != 0:
		clear(v)
	}
}

// progress draws a bar and per-epoch lines.
type progress struct{ w io.Writer }

func (p progress) step(ep, epochs, done, total int, loss, acc float64) {
	if p.w == nil {
		return
	}
	const width = 20
	n := done * width / total
	fmt.Fprintf(p.w, "\repoch %d/%d [%s%s] loss %.4f acc %.3f", ep, epochs, strings.Repeat("=", n), strings.Repeat(" ", width-n), loss, acc)
}

func (p progress) epoch(ep, epochs int, e Epoch) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\repoch %d/%d lr %.2e loss %.4f acc %.3f", ep, epochs, e.LR, e.Loss, e.Acc)
	if !math.IsNaN(e.ValLoss) {
		fmt.Fprintf(p.w, " val_loss %.4f val_acc %.3f", e.ValLoss, e.ValAcc)
	}
	fmt.Fprintln(p.w, strings.Repeat(" ", 8))
}

// Predict returns the network's outputs (k·Out().Size() values, a new
// slice) for the k examples x, in evaluation mode and batches of at most
// batch.
func (n *Net) Predict(x []float32, k, batch int) ([]float32, error) {
	in := n.In().Size()
	if len(x) != k*in {
		return nil, fmt.Errorf("nn: predict: %w: %d values for %d examples of %v", ErrShape, len(x), k, n.In())
	}
	if i := firstNonFinite(x); i >= 0 {
		return nil, fmt.Errorf("nn: predict: %w: input of example %d holds %g", ErrNonFinite, i/in, x[i])
	}
	batch = max(1, batch)
	out := make([]float32, 0, k*n.Out().Size())
	for b := 0; b < k; b += batch {
		m := min(batch, k-b)
		out = append(out, n.Forward(x[b*in:(b+m)*in], m, false)...)
	}
	return out, nil
}
