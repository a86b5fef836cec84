package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dense is torch.nn.Linear on the flattened example: y = x·Wᵀ + b with
// weight [Out, In]. Its output shape is [Out, 1, 1].
type Dense struct {
	// Out is the number of outputs.
	Out int
	// NoBias drops the bias.
	NoBias bool
	// MaxNorm, when positive, rescales each output's weights to an L2 norm
	// of at most MaxNorm before every training forward pass
	// (braindecode's LinearWithConstraint).
	MaxNorm float32
	// Init is the weight initialisation.
	Init Init

	in           int
	weight, bias *Param
}

// Kind implements Layer.
func (d *Dense) Kind() string { return "dense" }

// Build implements Layer.
func (d *Dense) Build(in Shape) (Shape, error) {
	if d.Out <= 0 {
		return Shape{}, fmt.Errorf("dense: %w: %d outputs", ErrConfig, d.Out)
	}
	d.in = in.Size()
	if d.weight == nil || len(d.weight.W) != d.Out*d.in {
		d.weight = newParam("weight", true, d.Out, d.in)
		d.bias = nil
		if !d.NoBias {
			d.bias = newParam("bias", true, d.Out)
		}
	}
	return Shape{d.Out, 1, 1}, nil
}

// Params implements Layer.
func (d *Dense) Params() []*Param {
	if d.bias != nil {
		return []*Param{d.weight, d.bias}
	}
	return []*Param{d.weight}
}

func (d *Dense) initWeights(r *rand.Rand) {
	initUniform(r, d.Init, d.weight, d.bias, d.in, d.Out)
}

// Reserve implements Layer.
func (d *Dense) Reserve(int) {}

// constrain applies the max-norm constraint.
func (d *Dense) constrain() {
	if d.MaxNorm > 0 {
		renorm(d.weight.W, d.Out, d.MaxNorm)
	}
}

// Forward implements Layer.
func (d *Dense) Forward(x, y []float32, n int, train bool) {
	if train {
		d.constrain()
	}
	gemm(false, true, n, d.Out, d.in, 1, x, d.in, d.weight.W, d.in, 0, y, d.Out)
	if d.bias != nil {
		for s := range n {
			yr := y[s*d.Out : (s+1)*d.Out]
			for o, b := range d.bias.W {
				yr[o] += b
			}
		}
	}
}

// Backward implements Layer.
func (d *Dense) Backward(x, y, dy, dx []float32, n int) {
	gemm(true, false, d.Out, d.in, n, 1, dy, d.Out, x, d.in, 1, d.weight.G, d.in)
	if d.bias != nil {
		for s := range n {
			for o, v := range dy[s*d.Out : (s+1)*d.Out] {
				d.bias.G[o] += v
			}
		}
	}
	if dx != nil {
		gemm(false, false, n, d.in, d.Out, 1, dy, d.Out, d.weight.W, d.in, 0, dx, d.in)
	}
}
