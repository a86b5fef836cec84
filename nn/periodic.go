package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// snakeEps keeps Snake's 1/α finite at α = 0, as BigVGAN's
// activations.Snake does (1/(α + 1e-9)).
const snakeEps = 1e-9

// Snake is the periodic activation of Ziyin, Hartwig and Ueda (2020),
// "Neural networks fail to learn periodic functions and how to fix it":
// y = x + sin²(αx)/α, with one learnable α per channel (PyTorch tensor
// "alpha" of shape [C], initialised to Alpha, 1 when zero), as BigVGAN's
// activations.Snake defines it (1/(α + 1e-9), so α = 0 stays finite).
type Snake struct {
	// Alpha is the initial frequency of every channel [1].
	Alpha float32

	shape        Shape
	alpha        *Param
	x, y, dy, dx []float32
	ga           [][]float32
	wg           sync.WaitGroup
	fwd, bwd     func(w, lo, hi int)
}

// Kind implements Layer.
func (s *Snake) Kind() string { return "snake" }

// Build implements Layer.
func (s *Snake) Build(in Shape) (Shape, error) {
	a := s.Alpha
	if a == 0 {
		a = 1
	}
	if math.IsNaN(float64(a)) || math.IsInf(float64(a), 0) || a <= 0 {
		return Shape{}, fmt.Errorf("snake: %w: alpha %g is not a positive number", ErrConfig, s.Alpha)
	}
	if s.alpha == nil || len(s.alpha.W) != in[0] {
		s.alpha = newParam("alpha", true, in[0])
		for i := range s.alpha.W {
			s.alpha.W[i] = a
		}
	}
	s.shape = in
	s.fwd, s.bwd = s.forwardRange, s.backwardRange
	return in, nil
}

// Params implements Layer.
func (s *Snake) Params() []*Param { return []*Param{s.alpha} }

func (s *Snake) initWeights(*rand.Rand) {
	a := s.Alpha
	if a == 0 {
		a = 1
	}
	for i := range s.alpha.W {
		s.alpha.W[i] = a
	}
}

// Reserve implements Layer.
func (s *Snake) Reserve(int) {}

// Forward implements Layer.
func (s *Snake) Forward(x, y []float32, n int, _ bool) {
	s.x, s.y = x, y
	getPool().run(&s.wg, n, s.fwd)
	s.x, s.y = nil, nil
}

func (s *Snake) forwardRange(_, lo, hi int) {
	hw := s.shape[1] * s.shape[2]
	for e := lo; e < hi; e++ {
		for c, a := range s.alpha.W {
			off := (e*s.shape[0] + c) * hw
			x, y := s.x[off:off+hw], s.y[off:off+hw]
			af := float64(a)
			inv := 1 / (af + snakeEps)
			for i, v := range x {
				sn := math.Sin(af * float64(v))
				y[i] = float32(float64(v) + sn*sn*inv)
			}
		}
	}
}

// Backward implements Layer.
func (s *Snake) Backward(x, y, dy, dx []float32, n int) {
	nw := getPool().split(n)
	s.ga = s.alpha.workerGrads(nw)
	s.x, s.dy, s.dx = x, dy, dx
	getPool().run(&s.wg, n, s.bwd)
	s.x, s.dy, s.dx = nil, nil, nil
	s.alpha.addWorkerGrads(nw)
}

func (s *Snake) backwardRange(w, lo, hi int) {
	hw := s.shape[1] * s.shape[2]
	ga := s.ga[w]
	for e := lo; e < hi; e++ {
		for c, a := range s.alpha.W {
			off := (e*s.shape[0] + c) * hw
			x, dy := s.x[off:off+hw], s.dy[off:off+hw]
			af := float64(a)
			inv := 1 / (af + snakeEps)
			var g float64
			for i, v := range x {
				vf := float64(v)
				sn, cs := math.Sincos(af * vf)
				// d/dα sin²(αx)/(α+ε) = x·sin(2αx)/(α+ε) − sin²(αx)/(α+ε)²
				g += float64(dy[i]) * (vf*2*sn*cs*inv - sn*sn*inv*inv)
				if s.dx != nil {
					s.dx[off+i] = dy[i] * float32(1+2*sn*cs)
				}
			}
			ga[c] += float32(g)
		}
	}
}

// Fourier is a Fourier-feature mapping (Tancik et al. 2020, "Fourier
// features let networks learn high frequency functions in low dimensional
// domains"): at every position (h, w) the vector v of the C input
// channels becomes [cos(2π·B·v), sin(2π·B·v)], 2·Features output
// channels, with B of shape [Features, C] drawn from N(0, Sigma²)
// ("weight", Sigma 1 when zero). B is trained when Learnable is set
// (learnable Fourier features, Li et al. 2021), fixed otherwise.
type Fourier struct {
	// Features is the number of frequencies (rows of B).
	Features int
	// Sigma is the standard deviation of B's entries [1].
	Sigma float32
	// Learnable trains B.
	Learnable bool

	in           Shape
	b            *Param
	z            []float32 // per example 2π·B·v, reused
	x, y, dy, dx []float32
	gb           [][]float32
	wg           sync.WaitGroup
	fwd, bwd     func(w, lo, hi int)
}

// Kind implements Layer.
func (f *Fourier) Kind() string { return "fourier" }

// Build implements Layer.
func (f *Fourier) Build(in Shape) (Shape, error) {
	if f.Features <= 0 {
		return Shape{}, fmt.Errorf("fourier: %w: %d features", ErrConfig, f.Features)
	}
	if math.IsNaN(float64(f.Sigma)) || math.IsInf(float64(f.Sigma), 0) || f.Sigma < 0 {
		return Shape{}, fmt.Errorf("fourier: %w: sigma %g is not a non-negative number", ErrConfig, f.Sigma)
	}
	if f.b == nil || len(f.b.W) != f.Features*in[0] || f.b.Trainable != f.Learnable {
		f.b = newParam("weight", f.Learnable, f.Features, in[0])
	}
	f.in = in
	f.fwd, f.bwd = f.forwardRange, f.backwardRange
	return Shape{2 * f.Features, in[1], in[2]}, nil
}

// Params implements Layer.
func (f *Fourier) Params() []*Param { return []*Param{f.b} }

func (f *Fourier) initWeights(r *rand.Rand) {
	s := f.Sigma
	if s == 0 {
		s = 1
	}
	for i := range f.b.W {
		f.b.W[i] = s * float32(r.NormFloat64())
	}
}

// Reserve implements Layer.
func (f *Fourier) Reserve(n int) {
	if m := n * f.Features * f.in[1] * f.in[2]; len(f.z) < m {
		f.z = make([]float32, m)
	}
}

// Forward implements Layer.
func (f *Fourier) Forward(x, y []float32, n int, _ bool) {
	f.x, f.y = x, y
	getPool().run(&f.wg, n, f.fwd)
	f.x, f.y = nil, nil
}

func (f *Fourier) forwardRange(_, lo, hi int) {
	c, hw, k := f.in[0], f.in[1]*f.in[2], f.Features
	for e := lo; e < hi; e++ {
		z := f.z[e*k*hw : (e+1)*k*hw]
		gemm(false, false, k, hw, c, 2*math.Pi, f.b.W, c, f.x[e*c*hw:], hw, 0, z, hw)
		y := f.y[e*2*k*hw : (e+1)*2*k*hw]
		for i, v := range z {
			sn, cs := math.Sincos(float64(v))
			y[i] = float32(cs)
			y[k*hw+i] = float32(sn)
		}
	}
}

// Backward implements Layer.
func (f *Fourier) Backward(x, y, dy, dx []float32, n int) {
	if !f.b.Trainable && dx == nil {
		return
	}
	nw := getPool().split(n)
	if f.b.Trainable {
		f.gb = f.b.workerGrads(nw)
	}
	f.x, f.y, f.dy, f.dx = x, y, dy, dx
	getPool().run(&f.wg, n, f.bwd)
	f.x, f.y, f.dy, f.dx = nil, nil, nil, nil
	if f.b.Trainable {
		f.b.addWorkerGrads(nw)
	}
}

func (f *Fourier) backwardRange(w, lo, hi int) {
	c, hw, k := f.in[0], f.in[1]*f.in[2], f.Features
	for e := lo; e < hi; e++ {
		// dz = −sin(z)·dy_cos + cos(z)·dy_sin, written over z (the
		// forward's z is needed no more).
		z := f.z[e*k*hw : (e+1)*k*hw]
		y := f.y[e*2*k*hw : (e+1)*2*k*hw]
		dy := f.dy[e*2*k*hw : (e+1)*2*k*hw]
		for i := range z {
			z[i] = -y[k*hw+i]*dy[i] + y[i]*dy[k*hw+i]
		}
		if f.b.Trainable {
			gemm(false, true, k, c, hw, 2*math.Pi, z, hw, f.x[e*c*hw:], hw, 1, f.gb[w], c)
		}
		if f.dx != nil {
			gemm(true, false, c, hw, k, 2*math.Pi, f.b.W, c, z, hw, 0, f.dx[e*c*hw:], hw)
		}
	}
}
