package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dropout is torch.nn.Dropout: in training each value is zeroed with
// probability P and the others scaled by 1/(1-P); in evaluation it is the
// identity. Masks are drawn from the network's seeded generator.
type Dropout struct {
	// P is the probability of dropping a value.
	P float32

	shape Shape
	mask  []float32
	rng   *rand.Rand
}

// Kind implements Layer.
func (d *Dropout) Kind() string { return "dropout" }

// Build implements Layer.
func (d *Dropout) Build(in Shape) (Shape, error) {
	if !(d.P >= 0 && d.P < 1) {
		return Shape{}, fmt.Errorf("dropout: %w: p %g is outside [0, 1)", ErrConfig, d.P)
	}
	d.shape = in
	return in, nil
}

// Params implements Layer.
func (d *Dropout) Params() []*Param { return nil }

// Reserve implements Layer.
func (d *Dropout) Reserve(n int) {
	if len(d.mask) < n*d.shape.Size() {
		d.mask = make([]float32, n*d.shape.Size())
	}
}

func (d *Dropout) seed(r *rand.Rand) { d.rng = rand.New(rand.NewPCG(r.Uint64(), r.Uint64())) }

// Forward implements Layer.
func (d *Dropout) Forward(x, y []float32, n int, train bool) {
	m := n * d.shape.Size()
	if !train || d.P == 0 {
		copy(y[:m], x[:m])
		return
	}
	if d.rng == nil {
		d.rng = rand.New(rand.NewPCG(1, 2))
	}
	keep := 1 / (1 - d.P)
	mask := d.mask[:m]
	for i := range mask {
		if d.rng.Float32() < d.P {
			mask[i] = 0
		} else {
			mask[i] = keep
		}
		y[i] = x[i] * mask[i]
	}
}

// Backward implements Layer.
func (d *Dropout) Backward(x, y, dy, dx []float32, n int) {
	if dx == nil {
		return
	}
	m := n * d.shape.Size()
	if d.P == 0 {
		copy(dx[:m], dy[:m])
		return
	}
	for i, k := range d.mask[:m] {
		dx[i] = dy[i] * k
	}
}

// Flatten is torch.nn.Flatten: [C, H, W] becomes [C·H·W, 1, 1], values
// unchanged.
type Flatten struct{ size int }

// Kind implements Layer.
func (f *Flatten) Kind() string { return "flatten" }

// Build implements Layer.
func (f *Flatten) Build(in Shape) (Shape, error) {
	f.size = in.Size()
	return Shape{f.size, 1, 1}, nil
}

// Params implements Layer.
func (f *Flatten) Params() []*Param { return nil }

// Reserve implements Layer.
func (f *Flatten) Reserve(int) {}

// Forward implements Layer.
func (f *Flatten) Forward(x, y []float32, n int, _ bool) { copy(y[:n*f.size], x[:n*f.size]) }

// Backward implements Layer.
func (f *Flatten) Backward(x, y, dy, dx []float32, n int) {
	if dx != nil {
		copy(dx[:n*f.size], dy[:n*f.size])
	}
}
