// Package fft provides FFT plans of any length with the interface of
// gonum's dsp/fourier (unnormalized transforms, one-sided coefficients for
// real sequences).
//
// Lengths whose factors are small are handed to gonum's FFTPACK. FFTPACK
// falls back to an O(n·p) butterfly for a prime factor p beyond 5, so a
// length with a large prime factor (a prime signal length, say) would take
// seconds, and it can hold at most 13 factors (a length such as 2·3¹³
// would not fit). Those lengths are computed instead with Bluestein's
// algorithm (L. I. Bluestein, "A linear filtering approach to the
// computation of the discrete Fourier transform", IEEE Trans. Audio
// Electroacoust. 18(4), 1970; the method of pocketfft, which SciPy uses):
// the DFT is written as a convolution with a chirp and computed with
// power-of-two FFTs of length at least 2n-1.
package fft

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// maxFactor is the largest prime factor that FFTPACK is left to handle.
// Its generic butterfly costs about n·p operations against the
// 2·m·log2(m) (m ≥ 2n) of Bluestein's power-of-two transforms; the
// cross-over measured on lengths near 20,000 lies between 50 and 100.
const maxFactor = 61

// maxFactors is the number of factors FFTPACK's factor table holds.
const maxFactors = 13

// direct reports whether FFTPACK handles length n: its factors, in the
// order FFTPACK finds them (4 first, then 2, 3, 5, 7, 9, 11, ...), are at
// most maxFactors and none is a prime above maxFactor.
func direct(n int) bool {
	count := 0
	for _, f := range []int{4, 2, 3, 5} {
		for n%f == 0 {
			n /= f
			count++
		}
	}
	for f := 7; n > 1; f += 2 {
		if f > maxFactor {
			return false
		}
		for n%f == 0 {
			n /= f
			count++
		}
	}
	return count <= maxFactors
}

// Real is a plan for the FFT of real sequences of one length. It is not
// safe for concurrent use.
type Real struct {
	n    int
	fast *fourier.FFT
	slow *bluestein
	buf  []complex128 // n, for the Bluestein path
}

// NewReal returns a plan for real sequences of length n. It panics if
// n < 1.
func NewReal(n int) *Real {
	if n < 1 {
		panic("fft: length < 1")
	}
	if direct(n) {
		return &Real{n: n, fast: fourier.NewFFT(n)}
	}
	return &Real{n: n, slow: newBluestein(n), buf: make([]complex128, n)}
}

// Len returns the length of the sequences.
func (p *Real) Len() int { return p.n }

// Coefficients computes the n/2+1 Fourier coefficients of seq (length
// Len()) into dst (allocated when nil) and returns dst.
func (p *Real) Coefficients(dst []complex128, seq []float64) []complex128 {
	if p.fast != nil {
		return p.fast.Coefficients(dst, seq)
	}
	if len(seq) != p.n {
		panic("fft: sequence length mismatch")
	}
	if dst == nil {
		dst = make([]complex128, p.n/2+1)
	} else if len(dst) != p.n/2+1 {
		panic("fft: destination length mismatch")
	}
	for i, v := range seq {
		p.buf[i] = complex(v, 0)
	}
	p.slow.transform(p.buf, p.buf, false)
	copy(dst, p.buf)
	dst[0] = complex(real(dst[0]), 0)
	if p.n%2 == 0 {
		dst[p.n/2] = complex(real(dst[p.n/2]), 0)
	}
	return dst
}

// Sequence computes the real sequence (length Len()) whose Fourier
// coefficients are coeff (n/2+1 values) into dst (allocated when nil) and
// returns it, unnormalized: Sequence after Coefficients multiplies by n.
// The imaginary parts of coeff[0] and, for even n, of coeff[n/2] are
// ignored, as by FFTPACK and pocketfft.
func (p *Real) Sequence(dst []float64, coeff []complex128) []float64 {
	if p.fast != nil {
		return p.fast.Sequence(dst, coeff)
	}
	if len(coeff) != p.n/2+1 {
		panic("fft: coefficients length mismatch")
	}
	if dst == nil {
		dst = make([]float64, p.n)
	} else if len(dst) != p.n {
		panic("fft: destination length mismatch")
	}
	p.buf[0] = complex(real(coeff[0]), 0)
	for k := 1; k < len(coeff); k++ {
		p.buf[k] = coeff[k]
		p.buf[p.n-k] = cmplx.Conj(coeff[k])
	}
	if p.n%2 == 0 {
		p.buf[p.n/2] = complex(real(coeff[p.n/2]), 0)
	}
	p.slow.transform(p.buf, p.buf, true)
	for i, v := range p.buf {
		dst[i] = real(v)
	}
	return dst
}

// Complex is a plan for the FFT of complex sequences of one length. It
// is not safe for concurrent use.
type Complex struct {
	n    int
	fast *fourier.CmplxFFT
	slow *bluestein
}

// NewComplex returns a plan for complex sequences of length n. It panics
// if n < 1.
func NewComplex(n int) *Complex {
	if n < 1 {
		panic("fft: length < 1")
	}
	if direct(n) {
		return &Complex{n: n, fast: fourier.NewCmplxFFT(n)}
	}
	return &Complex{n: n, slow: newBluestein(n)}
}

// Len returns the length of the sequences.
func (p *Complex) Len() int { return p.n }

// Coefficients computes the Fourier coefficients of seq into dst
// (allocated when nil; it may be seq) and returns dst.
func (p *Complex) Coefficients(dst, seq []complex128) []complex128 {
	if p.fast != nil {
		return p.fast.Coefficients(dst, seq)
	}
	return p.slow.transform(p.check(dst, seq), seq, false)
}

// Sequence computes the sequence whose Fourier coefficients are coeff
// into dst (allocated when nil; it may be coeff) and returns it,
// unnormalized: Sequence after Coefficients multiplies by n.
func (p *Complex) Sequence(dst, coeff []complex128) []complex128 {
	if p.fast != nil {
		return p.fast.Sequence(dst, coeff)
	}
	return p.slow.transform(p.check(dst, coeff), coeff, true)
}

// check validates the lengths and allocates dst when nil.
func (p *Complex) check(dst, src []complex128) []complex128 {
	if len(src) != p.n {
		panic("fft: sequence length mismatch")
	}
	if dst == nil {
		return make([]complex128, p.n)
	}
	if len(dst) != p.n {
		panic("fft: destination length mismatch")
	}
	return dst
}

// bluestein computes DFTs of length n as a circular convolution of length
// m (a power of two, m >= 2n-1) with the chirp w[j] = exp(-iπj²/n).
type bluestein struct {
	n     int
	chirp []complex128 // n: w[j]
	kern  []complex128 // m: FFT of the convolution kernel conj(w[|j|])
	radix *radix2
	work  []complex128 // m
}

func newBluestein(n int) *bluestein {
	m := 1
	for m < 2*n-1 {
		m *= 2
	}
	b := &bluestein{n: n, chirp: make([]complex128, n), kern: make([]complex128, m),
		radix: newRadix2(m), work: make([]complex128, m)}
	// j² mod 2n in integers keeps the angle exact for long transforms.
	nn := uint64(2 * n)
	for j := range b.chirp {
		q := uint64(j) * uint64(j) % nn
		s, c := math.Sincos(math.Pi * float64(q) / float64(n))
		b.chirp[j] = complex(c, -s)
	}
	b.kern[0] = cmplx.Conj(b.chirp[0])
	for j := 1; j < n; j++ {
		w := cmplx.Conj(b.chirp[j])
		b.kern[j] = w
		b.kern[m-j] = w
	}
	b.radix.forward(b.kern)
	return b
}

// transform computes the forward DFT of src into dst (they may be the same
// slice), or with inverse the backward DFT (conjugated exponent, no 1/n).
func (b *bluestein) transform(dst, src []complex128, inverse bool) []complex128 {
	// The backward DFT is conj(DFT(conj(x))).
	a := b.work
	for j, v := range src {
		if inverse {
			v = cmplx.Conj(v)
		}
		a[j] = v * b.chirp[j]
	}
	for j := b.n; j < len(a); j++ {
		a[j] = 0
	}
	b.radix.forward(a)
	for k, v := range b.kern {
		a[k] *= v
	}
	b.radix.backward(a)
	scale := 1 / float64(len(a))
	for k := range dst {
		v := a[k] * b.chirp[k]
		v = complex(real(v)*scale, imag(v)*scale)
		if inverse {
			v = cmplx.Conj(v)
		}
		dst[k] = v
	}
	return dst
}

// radix2 is an iterative radix-2 FFT of a power-of-two length.
type radix2 struct {
	m   int
	rev []int32      // bit-reversal permutation
	tw  []complex128 // m/2 twiddles exp(-2πik/m)
}

func newRadix2(m int) *radix2 {
	r := &radix2{m: m, rev: make([]int32, m), tw: make([]complex128, m/2)}
	bits := 0
	for 1<<bits < m {
		bits++
	}
	for i := range r.rev {
		j := 0
		for b := 0; b < bits; b++ {
			j |= (i >> b & 1) << (bits - 1 - b)
		}
		r.rev[i] = int32(j)
	}
	for k := range r.tw {
		s, c := math.Sincos(2 * math.Pi * float64(k) / float64(m))
		r.tw[k] = complex(c, -s)
	}
	return r
}

// forward computes the forward DFT of x in place.
func (r *radix2) forward(x []complex128) { r.run(x, false) }

// backward computes the backward (unnormalized) DFT of x in place.
func (r *radix2) backward(x []complex128) { r.run(x, true) }

func (r *radix2) run(x []complex128, inverse bool) {
	for i, j := range r.rev {
		if int(j) > i {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= r.m; size *= 2 {
		half := size / 2
		step := r.m / size
		for start := 0; start < r.m; start += size {
			for k := range half {
				w := r.tw[k*step]
				if inverse {
					w = cmplx.Conj(w)
				}
				u := x[start+k]
				v := x[start+k+half] * w
				x[start+k] = u + v
				x[start+k+half] = u - v
			}
		}
	}
}
