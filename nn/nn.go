package nn

import (
	"errors"
	"fmt"
	"math"
)

// Errors reported by the engine; they are wrapped with the layer, step or
// value at fault.
var (
	// ErrShape reports an input whose shape does not fit a layer.
	ErrShape = errors.New("shape does not fit")
	// ErrNonFinite reports a NaN or infinite value in an input, an
	// activation or the loss.
	ErrNonFinite = errors.New("non-finite value")
	// ErrConfig reports an invalid layer, model or training setting.
	ErrConfig = errors.New("invalid setting")
)

// Shape is the shape of one example: channels, height, width.
type Shape [3]int

// Size returns the number of values in one example.
func (s Shape) Size() int { return s[0] * s[1] * s[2] }

// String formats s as [C H W].
func (s Shape) String() string { return fmt.Sprintf("[%d %d %d]", s[0], s[1], s[2]) }

// Param is a tensor a layer owns: a trainable weight with its gradient,
// or a buffer (BatchNorm's running statistics) that is saved with the
// model but not trained.
type Param struct {
	// Name is the layer-local name ("weight", "bias", "running_mean").
	Name string
	// Dims is the PyTorch shape of the tensor.
	Dims []int
	// W holds the values, G the gradient (nil for a buffer).
	W, G []float32
	// Trainable is false for buffers.
	Trainable bool
	// gw holds one gradient accumulator per worker.
	gw [][]float32
}

func newParam(name string, trainable bool, dims ...int) *Param {
	n := 1
	for _, d := range dims {
		n *= d
	}
	p := &Param{Name: name, Dims: dims, W: make([]float32, n), Trainable: trainable}
	if trainable {
		p.G = make([]float32, n)
	}
	return p
}

// workerGrads returns per-worker gradient accumulators, zeroed.
func (p *Param) workerGrads(workers int) [][]float32 {
	for len(p.gw) < workers {
		p.gw = append(p.gw, make([]float32, len(p.W)))
	}
	for w := range workers {
		clear(p.gw[w])
	}
	return p.gw[:workers]
}

// addWorkerGrads adds the per-worker accumulators to G, in worker order.
func (p *Param) addWorkerGrads(workers int) {
	for w := range workers {
		g := p.gw[w]
		for i, v := range g {
			p.G[i] += v
		}
	}
}

// Layer is one step of a network. A layer is built once for its input
// shape, reserved for a batch size, then run forward and backward on
// batches of at most that size.
type Layer interface {
	// Kind names the layer type ("conv2d", "batchnorm2d").
	Kind() string
	// Build checks the input shape and returns the output shape.
	Build(in Shape) (Shape, error)
	// Params returns the layer's tensors, trainable ones and buffers.
	Params() []*Param
	// Reserve sizes per-batch scratch memory for batches of up to n.
	Reserve(n int)
	// Forward computes y from x for n examples; train selects training
	// behaviour (batch statistics, dropout).
	Forward(x, y []float32, n int, train bool)
	// Backward adds the parameter gradients of the last Forward (in
	// training mode, same x and y) given dy, and writes dx unless it is
	// nil.
	Backward(x, y, dy, dx []float32, n int)
}

// finite reports the index of the first NaN or Inf in v, or -1.
func firstNonFinite(v []float32) int {
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return i
		}
	}
	return -1
}
