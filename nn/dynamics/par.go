package dynamics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/bcikit/bcikit/nn"
)

// workers returns the number of goroutines used for n examples.
func workers(n int) int { return max(1, min(n, runtime.GOMAXPROCS(0))) }

// parallel calls fn(w, lo, hi) for contiguous ranges covering [0, n), one
// per worker, and returns the number of workers.
func parallel(n int, fn func(w, lo, hi int)) int {
	nw := workers(n)
	if nw == 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return 1
	}
	var wg sync.WaitGroup
	wg.Add(nw - 1)
	for w := range nw - 1 {
		go func() {
			defer wg.Done()
			fn(w, w*n/nw, (w+1)*n/nw)
		}()
	}
	fn(nw-1, (nw-1)*n/nw, n)
	wg.Wait()
	return nw
}

// accum holds per-worker gradient accumulators of a layer's trainable
// tensors, summed into the tensors' gradients in worker order so that
// results do not depend on scheduling.
type accum struct{ g [][][]float32 } // [worker][tensor][value]

// reset sizes and clears the accumulators of nw workers.
func (a *accum) reset(ps []*nn.Param, nw int) {
	for len(a.g) < nw {
		b := make([][]float32, len(ps))
		for i, p := range ps {
			b[i] = make([]float32, len(p.W))
		}
		a.g = append(a.g, b)
	}
	for w := range nw {
		for _, b := range a.g[w] {
			clear(b)
		}
	}
}

// add adds the accumulators to the tensors' gradients.
func (a *accum) add(ps []*nn.Param, nw int) {
	for w := range nw {
		for i, p := range ps {
			for j, v := range a.g[w][i] {
				p.G[j] += v
			}
		}
	}
}

// param returns a trainable tensor of the given PyTorch shape.
func param(name string, dims ...int) *nn.Param {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return &nn.Param{Name: name, Dims: dims, W: make([]float32, n), G: make([]float32, n), Trainable: true}
}

// uniform fills v from U(±bound).
func uniform(r *rand.Rand, v []float32, bound float64) {
	for i := range v {
		v[i] = float32((2*r.Float64() - 1) * bound)
	}
}

// Initer is a layer of this package that draws its initial weights.
type Initer interface {
	// Init draws the layer's weights from r.
	Init(r *rand.Rand)
}

// InitNet initialises net from seed: nn's layers as nn.Net.Init does, then
// the layers of this package, in order.
func InitNet(net *nn.Net, seed uint64) {
	net.Init(seed)
	r := rand.New(rand.NewPCG(seed, 0x64796e616d696373))
	for _, l := range net.Layers {
		if i, ok := l.(Initer); ok {
			i.Init(r)
		}
	}
}

// positive reports whether v is a finite number > 0.
func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// finite reports whether v is a finite number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func cfgErr(kind, format string, a ...any) error {
	return fmt.Errorf("%s: %w: %s", kind, nn.ErrConfig, fmt.Sprintf(format, a...))
}

func errShape(kind, format string, a ...any) error {
	return fmt.Errorf("%s: %w: %s", kind, nn.ErrShape, fmt.Sprintf(format, a...))
}
