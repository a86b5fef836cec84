package nn

import (
	"fmt"
	"math/rand/v2"
)

// Net is a sequence of layers: a network built for one example shape.
type Net struct {
	// Layers run in order.
	Layers []Layer

	in     Shape
	shapes []Shape // shapes[i] is layer i's input, shapes[len] the output
	batch  int
	acts   [][]float32 // acts[i] is layer i's input, acts[len] the output
	grads  [][]float32 // grads[i] is d loss / d acts[i] (grads[0] unused)
	params []*Param
}

// NewNet builds the layers for examples of shape in; an input that does
// not fit a layer is an error naming the layer.
func NewNet(in Shape, layers ...Layer) (*Net, error) {
	if in[0] <= 0 || in[1] <= 0 || in[2] <= 0 {
		return nil, fmt.Errorf("nn: %w: input shape %v", ErrShape, in)
	}
	n := &Net{Layers: layers, in: in, shapes: []Shape{in}}
	s := in
	for i, l := range layers {
		out, err := l.Build(s)
		if err != nil {
			return nil, fmt.Errorf("nn: layer %d (%s) on input %v: %w", i, l.Kind(), s, err)
		}
		if out[0] <= 0 || out[1] <= 0 || out[2] <= 0 {
			return nil, fmt.Errorf("nn: layer %d (%s): %w: input %v gives output %v", i, l.Kind(), ErrShape, s, out)
		}
		s = out
		n.shapes = append(n.shapes, s)
		n.params = append(n.params, l.Params()...)
	}
	return n, nil
}

// In returns the example shape the network takes.
func (n *Net) In() Shape { return n.in }

// Out returns the example shape the network returns.
func (n *Net) Out() Shape { return n.shapes[len(n.shapes)-1] }

// Shapes returns the input shape of every layer followed by the output
// shape.
func (n *Net) Shapes() []Shape { return n.shapes }

// Params returns every tensor of the network, in layer order (the
// network's slice: do not modify it).
func (n *Net) Params() []*Param { return n.params }

// NumParams returns the number of trainable values (PyTorch's
// sum(p.numel() for p in model.parameters())).
func (n *Net) NumParams() int {
	c := 0
	for _, p := range n.Params() {
		if p.Trainable {
			c += len(p.W)
		}
	}
	return c
}

// Init draws every weight from a generator seeded with seed, and seeds
// the dropout layers; the same seed gives the same network.
func (n *Net) Init(seed uint64) {
	r := rand.New(rand.NewPCG(seed, 0x6263696b6974))
	for _, l := range n.Layers {
		switch l := l.(type) {
		case interface{ initWeights(*rand.Rand) }:
			l.initWeights(r)
		case *Dropout:
			l.seed(r)
		}
	}
}

// Reserve sizes activations and gradients for batches of up to batch
// examples; Forward and Backward then allocate nothing.
func (n *Net) Reserve(batch int) {
	if batch <= n.batch {
		return
	}
	n.batch = batch
	n.acts = n.acts[:0]
	n.grads = n.grads[:0]
	for _, s := range n.shapes {
		n.acts = append(n.acts, make([]float32, batch*s.Size()))
		n.grads = append(n.grads, make([]float32, batch*s.Size()))
	}
	for _, l := range n.Layers {
		l.Reserve(batch)
	}
}

// Forward runs k examples x (k·In().Size() values) through the network
// and returns the output (k·Out().Size() values, owned by the network
// until the next call). train selects batch statistics and dropout.
func (n *Net) Forward(x []float32, k int, train bool) []float32 {
	if len(x) != k*n.in.Size() {
		panic(fmt.Sprintf("nn: Forward got %d values for %d examples of %v", len(x), k, n.in))
	}
	n.Reserve(k)
	copy(n.acts[0], x)
	for i, l := range n.Layers {
		l.Forward(n.acts[i][:k*n.shapes[i].Size()], n.acts[i+1][:k*n.shapes[i+1].Size()], k, train)
	}
	return n.acts[len(n.Layers)][:k*n.Out().Size()]
}

// Constrain applies the layers' max-norm constraints to their weights.
// Training forward passes apply them first, as braindecode's constrained
// layers do at every forward pass; evaluation passes do not (they must not
// write to a model that several goroutines may share), so Train calls
// Constrain after its last step, and so must a caller that steps an
// optimizer itself before evaluating.
func (n *Net) Constrain() {
	for _, l := range n.Layers {
		if c, ok := l.(interface{ constrain() }); ok {
			c.constrain()
		}
	}
}

// ZeroGrad clears every gradient.
func (n *Net) ZeroGrad() {
	for _, p := range n.Params() {
		clear(p.G)
	}
}

// Backward propagates dy, the loss gradient of the last Forward's output,
// adding to every parameter gradient. It does not compute the gradient of
// the input.
func (n *Net) Backward(dy []float32, k int) {
	last := len(n.Layers)
	copy(n.grads[last], dy[:k*n.Out().Size()])
	for i := last - 1; i >= 0; i-- {
		var dx []float32
		if i > 0 {
			dx = n.grads[i][:k*n.shapes[i].Size()]
		}
		n.Layers[i].Backward(n.acts[i][:k*n.shapes[i].Size()], n.acts[i+1][:k*n.shapes[i+1].Size()], n.grads[i+1][:k*n.shapes[i+1].Size()], dx, k)
	}
}

// BackwardInput is Backward that also returns the gradient of the input
// (k·In().Size() values, owned by the network).
func (n *Net) BackwardInput(dy []float32, k int) []float32 {
	last := len(n.Layers)
	copy(n.grads[last], dy[:k*n.Out().Size()])
	for i := last - 1; i >= 0; i-- {
		n.Layers[i].Backward(n.acts[i][:k*n.shapes[i].Size()], n.acts[i+1][:k*n.shapes[i+1].Size()], n.grads[i+1][:k*n.shapes[i+1].Size()], n.grads[i][:k*n.shapes[i].Size()], k)
	}
	return n.grads[0][:k*n.in.Size()]
}

// checkActivations returns an error naming the first layer whose output
// for the last k examples holds a NaN or Inf.
func (n *Net) checkActivations(k int) error {
	for i := range n.Layers {
		a := n.acts[i+1][:k*n.shapes[i+1].Size()]
		if j := firstNonFinite(a); j >= 0 {
			return fmt.Errorf("nn: %w: output of layer %d (%s), example %d, value %g", ErrNonFinite, i, n.Layers[i].Kind(), j/n.shapes[i+1].Size(), a[j])
		}
	}
	return nil
}

// checkParams returns an error naming the first parameter holding a NaN or
// Inf.
func (n *Net) checkParams() error {
	for i, l := range n.Layers {
		for _, p := range l.Params() {
			if j := firstNonFinite(p.W); j >= 0 {
				return fmt.Errorf("nn: %w: %s of layer %d (%s), index %d, value %g", ErrNonFinite, p.Name, i, l.Kind(), j, p.W[j])
			}
		}
	}
	return nil
}

// RecalibrateBN sets the running statistics of every batch normalisation
// to their average over batches of the k examples x, as PyTorch's
// torch.optim.swa_utils.update_bn does (each batch's mean and unbiased
// variance weighted equally), but with dropout off so that the statistics
// are those the layers see in evaluation. Momentum-averaged statistics lag
// behind the weights on small data sets (EEGNet's momentum is 0.01); this
// makes evaluation match the trained weights.
func (n *Net) RecalibrateBN(x []float32, k, batch int) {
	in := n.in.Size()
	if len(x) != k*in || k < 2 {
		return
	}
	batch = max(2, min(batch, k))
	var drops []*Dropout
	var ps []float32
	for _, l := range n.Layers {
		switch l := l.(type) {
		case *BatchNorm2D:
			l.cumulative, l.batches = true, 0
		case *Dropout:
			drops = append(drops, l)
			ps = append(ps, l.P)
			l.P = 0
		}
	}
	for b := 0; b < k; b += batch {
		m := min(batch, k-b)
		if m < 2 {
			break
		}
		n.Forward(x[b*in:(b+m)*in], m, true)
	}
	for _, l := range n.Layers {
		if bn, ok := l.(*BatchNorm2D); ok {
			bn.cumulative = false
		}
	}
	for i, d := range drops {
		d.P = ps[i]
	}
}
