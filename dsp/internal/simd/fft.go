package simd

import (
	"math"
	"math/bits"
)

// FFT4 is a radix-2 complex FFT of a power-of-two size on four interleaved
// lanes. A point occupies eight float64s: the real parts of the four lanes,
// then their imaginary parts. Forward runs by decimation in frequency
// (natural order in, bit-reversed order out) and Inverse by decimation in
// time (bit-reversed in, natural out), so a convolution needs no
// permutation pass: multiply the spectrum in bit-reversed order.
// Neither direction normalizes.
type FFT4 struct {
	n    int
	fwd  [][]float64 // per stage (half = n/2, n/4, ..., 1): e^{-i pi j/half} as re, im pairs
	inv  [][]float64 // per stage (half = 1, 2, ..., n/2): e^{+i pi j/half}
	perm []int       // bit reversal of log2(n) bits
}

// NewFFT4 returns an FFT4 of size n, a power of two >= 2.
func NewFFT4(n int) *FFT4 {
	if n < 2 || n&(n-1) != 0 {
		panic("simd: FFT4 size must be a power of two >= 2")
	}
	p := &FFT4{n: n, perm: make([]int, n)}
	shift := bits.UintSize - bits.TrailingZeros(uint(n))
	for k := range p.perm {
		p.perm[k] = int(bits.Reverse(uint(k)) >> shift)
	}
	for half := n / 2; half >= 1; half /= 2 {
		p.fwd = append(p.fwd, twiddles(half, -1))
	}
	for half := 1; half <= n/2; half *= 2 {
		p.inv = append(p.inv, twiddles(half, 1))
	}
	return p
}

// twiddles returns e^{sign i pi j/half} for j < half as re, im pairs.
func twiddles(half int, sign float64) []float64 {
	w := make([]float64, 2*half)
	for j := 0; j < half; j++ {
		s, c := math.Sincos(math.Pi * float64(j) / float64(half))
		w[2*j], w[2*j+1] = c, sign*s
	}
	return w
}

// Len returns the transform size.
func (p *FFT4) Len() int { return p.n }

// BitReverse returns the position of frequency k in Forward's output.
func (p *FFT4) BitReverse(k int) int { return p.perm[k] }

// Forward transforms x (8*Len() float64s, natural order) in place; the
// result is in bit-reversed order.
func (p *FFT4) Forward(x []float64) {
	p.check(x)
	for s, half := 0, p.n/2; half >= 1; s, half = s+1, half/2 {
		difStage(x, p.fwd[s], half, p.n/(2*half))
	}
}

// Inverse transforms x (bit-reversed order) in place back to natural
// order, without the 1/n factor.
func (p *FFT4) Inverse(x []float64) {
	p.check(x)
	for s, half := 0, 1; half <= p.n/2; s, half = s+1, half*2 {
		ditStage(x, p.inv[s], half, p.n/(2*half))
	}
}

func (p *FFT4) check(x []float64) {
	if len(x) != 8*p.n {
		panic("simd: FFT4: len(x) != 8*size")
	}
}

// MulSpectrum multiplies every point of x (four lanes) by the complex
// number h[2k] + i h[2k+1] of its position k.
func MulSpectrum(x, h []float64) {
	if len(x) != 4*len(h) {
		panic("simd: MulSpectrum: len(x) != 4*len(h)")
	}
	mulSpectrum(x, h)
}

// difStageGo is the portable decimation-in-frequency butterfly stage:
// p, q = p + q, (p - q) w_j.
func difStageGo(x, tw []float64, half, groups int) {
	for g := 0; g < groups; g++ {
		base := 16 * half * g
		for j := 0; j < half; j++ {
			p := (*[8]float64)(x[base+8*j : base+8*j+8])
			q := (*[8]float64)(x[base+8*(j+half) : base+8*(j+half)+8])
			wr, wi := tw[2*j], tw[2*j+1]
			for l := 0; l < Lanes; l++ {
				pr, pi, qr, qi := p[l], p[l+4], q[l], q[l+4]
				dr, di := pr-qr, pi-qi
				p[l], p[l+4] = pr+qr, pi+qi
				q[l] = float64(dr*wr) - float64(di*wi)
				q[l+4] = float64(dr*wi) + float64(di*wr)
			}
		}
	}
}

// ditStageGo is the portable decimation-in-time butterfly stage:
// t = w_j q; p, q = p + t, p - t.
func ditStageGo(x, tw []float64, half, groups int) {
	for g := 0; g < groups; g++ {
		base := 16 * half * g
		for j := 0; j < half; j++ {
			p := (*[8]float64)(x[base+8*j : base+8*j+8])
			q := (*[8]float64)(x[base+8*(j+half) : base+8*(j+half)+8])
			wr, wi := tw[2*j], tw[2*j+1]
			for l := 0; l < Lanes; l++ {
				qr, qi := q[l], q[l+4]
				tr := float64(qr*wr) - float64(qi*wi)
				ti := float64(qr*wi) + float64(qi*wr)
				pr, pi := p[l], p[l+4]
				p[l], p[l+4] = pr+tr, pi+ti
				q[l], q[l+4] = pr-tr, pi-ti
			}
		}
	}
}

// mulSpectrumGo is the portable MulSpectrum.
func mulSpectrumGo(x, h []float64) {
	for k := 0; 2*k < len(h); k++ {
		v := (*[8]float64)(x[8*k : 8*k+8])
		hr, hi := h[2*k], h[2*k+1]
		for l := 0; l < Lanes; l++ {
			xr, xi := v[l], v[l+4]
			v[l] = float64(xr*hr) - float64(xi*hi)
			v[l+4] = float64(xr*hi) + float64(xi*hr)
		}
	}
}
