package nn

import (
	"fmt"
	"math"
)

// Gated is a gated linear unit over the channel axis, as torch.nn.GLU(dim=1):
// the C input channels are split in halves a (first) and b (second), and
// the C/2 output channels are a·σ(b) (GLU, Dauphin et al. 2017) or, with
// Swish set, a·SiLU(b) = a·b·σ(b) (SwiGLU, Shazeer 2020, "GLU variants
// improve Transformer"; PyTorch has no module for it: the usual
// `x, gate = x.chunk(2, dim=1); x * F.silu(gate)`). An odd number of
// channels is an error.
type Gated struct {
	// Swish selects SwiGLU; otherwise GLU.
	Swish bool

	half int // values per example in one half
}

// Kind implements Layer.
func (g *Gated) Kind() string {
	if g.Swish {
		return "swiglu"
	}
	return "glu"
}

// Build implements Layer.
func (g *Gated) Build(in Shape) (Shape, error) {
	if in[0]%2 != 0 {
		return Shape{}, fmt.Errorf("%s: %w: %d channels do not split in halves", g.Kind(), ErrShape, in[0])
	}
	out := Shape{in[0] / 2, in[1], in[2]}
	g.half = out.Size()
	return out, nil
}

// Params implements Layer.
func (g *Gated) Params() []*Param { return nil }

// Reserve implements Layer.
func (g *Gated) Reserve(int) {}

func sigmoid(v float32) float32 { return float32(1 / (1 + math.Exp(-float64(v)))) }

// Forward implements Layer.
func (g *Gated) Forward(x, y []float32, n int, _ bool) {
	h := g.half
	for e := range n {
		a, b, ye := x[2*e*h:(2*e+1)*h], x[(2*e+1)*h:(2*e+2)*h], y[e*h:(e+1)*h]
		for i, bv := range b {
			s := sigmoid(bv)
			if g.Swish {
				s *= bv
			}
			ye[i] = a[i] * s
		}
	}
}

// Backward implements Layer.
func (g *Gated) Backward(x, y, dy, dx []float32, n int) {
	if dx == nil {
		return
	}
	h := g.half
	for e := range n {
		a, b, dye := x[2*e*h:(2*e+1)*h], x[(2*e+1)*h:(2*e+2)*h], dy[e*h:(e+1)*h]
		da, db := dx[2*e*h:(2*e+1)*h], dx[(2*e+1)*h:(2*e+2)*h]
		for i, bv := range b {
			s := sigmoid(bv)
			ds := s * (1 - s)
			if g.Swish {
				ds = s + bv*ds
				s *= bv
			}
			da[i] = dye[i] * s
			db[i] = dye[i] * a[i] * ds
		}
	}
}
