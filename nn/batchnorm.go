package nn

import (
	"fmt"
	"math"
	"sync"

	"github.com/bcikit/bcikit/internal/f32"
)

// BatchNorm2D is torch.nn.BatchNorm2d: per channel, over the batch and the
// two spatial axes, x is normalised by the batch mean and (biased) variance
// in training and by the running averages in evaluation, then scaled by
// weight and shifted by bias. Running averages move by Momentum per
// training batch, the variance's unbiased.
type BatchNorm2D struct {
	// Momentum of the running averages; zero means PyTorch's 0.1.
	Momentum float32
	// Eps is added to the variance; zero means PyTorch's 1e-5.
	Eps float32

	shape                     Shape
	weight, bias, rmean, rvar *Param
	mean, istd                []float32 // per channel, last training batch
	n                         int
	train                     bool
	cumulative                bool // running stats as the average over batches (RecalibrateBN)
	batches                   int
	x, y, dy, dx              []float32
	wg                        sync.WaitGroup
	fwd, bwd                  func(w, lo, hi int)
}

// Kind implements Layer.
func (b *BatchNorm2D) Kind() string { return "batchnorm2d" }

// Build implements Layer.
func (b *BatchNorm2D) Build(in Shape) (Shape, error) {
	if b.Momentum == 0 {
		b.Momentum = 0.1
	}
	if b.Eps == 0 {
		b.Eps = 1e-5
	}
	if b.Momentum < 0 || b.Momentum > 1 || b.Eps < 0 {
		return Shape{}, fmt.Errorf("batchnorm2d: %w: momentum %g, eps %g", ErrConfig, b.Momentum, b.Eps)
	}
	c := in[0]
	b.shape = in
	if b.weight == nil || len(b.weight.W) != c {
		b.weight = newParam("weight", true, c)
		b.bias = newParam("bias", true, c)
		b.rmean = newParam("running_mean", false, c)
		b.rvar = newParam("running_var", false, c)
		for i := range c {
			b.weight.W[i] = 1
			b.rvar.W[i] = 1
		}
	}
	b.mean = make([]float32, c)
	b.istd = make([]float32, c)
	b.fwd, b.bwd = b.forwardRange, b.backwardRange
	return in, nil
}

// Params implements Layer.
func (b *BatchNorm2D) Params() []*Param { return []*Param{b.weight, b.bias, b.rmean, b.rvar} }

// Reserve implements Layer.
func (b *BatchNorm2D) Reserve(int) {}

// Forward implements Layer.
func (b *BatchNorm2D) Forward(x, y []float32, n int, train bool) {
	b.x, b.y, b.n, b.train = x, y, n, train
	getPool().run(&b.wg, b.shape[0], b.fwd)
	b.x, b.y = nil, nil
	if train && b.cumulative {
		b.batches++
	}
}

func (b *BatchNorm2D) forwardRange(_, lo, hi int) {
	c, hw := b.shape[0], b.shape[1]*b.shape[2]
	m := b.n * hw
	for ch := lo; ch < hi; ch++ {
		var mean, istd float32
		if b.train {
			// Per-plane means and variances (float64 sums), combined.
			var sm, sv float64
			for s0 := range b.n {
				pm, pv := f32.MeanVar(b.x[(s0*c+ch)*hw : (s0*c+ch+1)*hw])
				sm += pm
				sv += pv + pm*pm
			}
			mu := sm / float64(b.n)
			v := max(0, sv/float64(b.n)-mu*mu)
			mean, istd = float32(mu), float32(1/math.Sqrt(v+float64(b.Eps)))
			b.mean[ch], b.istd[ch] = mean, istd
			mo := b.Momentum
			if b.cumulative {
				mo = 1 / float32(b.batches+1)
			}
			unb := v
			if m > 1 {
				unb = v * float64(m) / float64(m-1)
			}
			b.rmean.W[ch] = (1-mo)*b.rmean.W[ch] + mo*mean
			b.rvar.W[ch] = (1-mo)*b.rvar.W[ch] + mo*float32(unb)
		} else {
			mean = b.rmean.W[ch]
			istd = float32(1 / math.Sqrt(float64(b.rvar.W[ch])+float64(b.Eps)))
		}
		sc := b.weight.W[ch] * istd
		sh := b.bias.W[ch] - mean*sc
		for s0 := range b.n {
			o := (s0*c + ch) * hw
			f32.ScaleShift(b.y[o:o+hw], b.x[o:o+hw], sc, sh)
		}
	}
}

// Backward implements Layer.
func (b *BatchNorm2D) Backward(x, y, dy, dx []float32, n int) {
	b.x, b.dy, b.dx, b.n = x, dy, dx, n
	getPool().run(&b.wg, b.shape[0], b.bwd)
	b.x, b.dy, b.dx = nil, nil, nil
}

func (b *BatchNorm2D) backwardRange(_, lo, hi int) {
	c, hw := b.shape[0], b.shape[1]*b.shape[2]
	m := float64(b.n * hw)
	for ch := lo; ch < hi; ch++ {
		mean, istd := float64(b.mean[ch]), float64(b.istd[ch])
		var sdy, sdyx float64
		for s0 := range b.n {
			o := (s0*c + ch) * hw
			xr, dr := b.x[o:o+hw], b.dy[o:o+hw]
			ps := float64(f32.Sum(dr))
			sdy += ps
			sdyx += float64(f32.Dot(dr, xr)) - mean*ps
		}
		dgamma := sdyx * istd
		b.weight.G[ch] += float32(dgamma)
		b.bias.G[ch] += float32(sdy)
		if b.dx == nil {
			continue
		}
		// dx = k·(dy − mean(dy) − (x−μ)·mdx) = k·(dy − mdx·x) + k·(μ·mdx − mean(dy))
		k := float64(b.weight.W[ch]) * istd
		mdy := sdy / m
		mdx := dgamma * istd / m
		for s0 := range b.n {
			o := (s0*c + ch) * hw
			xo := b.dx[o : o+hw]
			f32.AddScaled(xo, b.dy[o:o+hw], float32(-mdx), b.x[o:o+hw])
			f32.ScaleShift(xo, xo, float32(k), float32(k*(mean*mdx-mdy)))
		}
	}
}
