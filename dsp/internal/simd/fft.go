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
//
// Stages are radix-4 (two radix-2 stages fused into one pass over the
// data, same output order), with one radix-2 stage when log2(n) is odd.
type FFT4 struct {
	n    int
	fwd  []stage // in the order they run
	inv  []stage
	perm []int // bit reversal of log2(n) bits
}

// stage is one pass: radix-2 with half-size half, or radix-4 fusing the
// radix-2 stages of half-sizes half and half/2.
type stage struct {
	radix4 bool
	half   int
	tw     []float64
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
	h := n / 2
	for ; h >= 2; h /= 4 {
		p.fwd = append(p.fwd, stage{radix4: true, half: h, tw: twiddles4(h, -1)})
	}
	if h == 1 {
		p.fwd = append(p.fwd, stage{half: 1, tw: twiddles(1, -1)})
	}
	h = 2
	if bits.TrailingZeros(uint(n))%2 == 1 {
		p.inv = append(p.inv, stage{half: 1, tw: twiddles(1, 1)})
		h = 4
	}
	for ; h <= n/2; h *= 4 {
		p.inv = append(p.inv, stage{radix4: true, half: h, tw: twiddles4(h, 1)})
	}
	return p
}

// twiddles4 returns, for k < half/2, e^{sign i pi m k/half} for m = 1, 2, 3
// as six float64s (re, im of each).
func twiddles4(half int, sign float64) []float64 {
	w := make([]float64, 0, 3*half)
	for k := 0; k < half/2; k++ {
		for m := 1; m <= 3; m++ {
			s, c := math.Sincos(math.Pi * float64(m*k) / float64(half))
			w = append(w, c, sign*s)
		}
	}
	return w
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
	for _, s := range p.fwd {
		if s.radix4 {
			dif4Stage(x, s.tw, s.half, p.n/(2*s.half))
		} else {
			difStage(x, s.tw, s.half, p.n/(2*s.half))
		}
	}
}

// Inverse transforms x (bit-reversed order) in place back to natural
// order, without the 1/n factor.
func (p *FFT4) Inverse(x []float64) {
	p.check(x)
	for _, s := range p.inv {
		if s.radix4 {
			dit4Stage(x, s.tw, s.half, p.n/(2*s.half))
		} else {
			ditStage(x, s.tw, s.half, p.n/(2*s.half))
		}
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

// point returns the point at index i of x.
func point(x []float64, i int) *[8]float64 { return (*[8]float64)(x[8*i : 8*i+8]) }

// cmul returns (ar + i ai)(wr + i wi) without fused multiply-adds.
func cmul(ar, ai, wr, wi float64) (float64, float64) {
	return float64(ar*wr) - float64(ai*wi), float64(ar*wi) + float64(ai*wr)
}

// dif4StageGo fuses the decimation-in-frequency stages of half-sizes half
// and half/2: for k < half/2, with a0..a3 the points k, k+half/2, k+half,
// k+3half/2 of each group and w_m = tw[k][m-1] = e^{-i pi m k/half},
//
//	s0, d0 = a0 + a2, a0 - a2;  s1, d1 = a1 + a3, a1 - a3
//	a0, a1 = s0 + s1, (s0 - s1) w2
//	a2, a3 = (d0 - i d1) w1, (d0 + i d1) w3
func dif4StageGo(x, tw []float64, half, groups int) {
	q := half / 2
	for g := 0; g < groups; g++ {
		base := 2 * half * g
		for k := 0; k < q; k++ {
			p0, p1, p2, p3 := point(x, base+k), point(x, base+k+q), point(x, base+k+2*q), point(x, base+k+3*q)
			w := tw[6*k : 6*k+6]
			for l := 0; l < Lanes; l++ {
				s0r, s0i := p0[l]+p2[l], p0[l+4]+p2[l+4]
				d0r, d0i := p0[l]-p2[l], p0[l+4]-p2[l+4]
				s1r, s1i := p1[l]+p3[l], p1[l+4]+p3[l+4]
				d1r, d1i := p1[l]-p3[l], p1[l+4]-p3[l+4]
				p0[l], p0[l+4] = s0r+s1r, s0i+s1i
				p1[l], p1[l+4] = cmul(s0r-s1r, s0i-s1i, w[2], w[3])
				p2[l], p2[l+4] = cmul(d0r+d1i, d0i-d1r, w[0], w[1])
				p3[l], p3[l+4] = cmul(d0r-d1i, d0i+d1r, w[4], w[5])
			}
		}
	}
}

// dit4StageGo fuses the decimation-in-time stages of half-sizes half/2 and
// half: with a0..a3 as in dif4StageGo and w_m = e^{+i pi m k/half},
//
//	b1, b2, b3 = w2 a1, w1 a2, w3 a3
//	u0, u1 = a0 + b1, a0 - b1;  p, q = b2 + b3, b2 - b3
//	a0, a1, a2, a3 = u0 + p, u1 + i q, u0 - p, u1 - i q
func dit4StageGo(x, tw []float64, half, groups int) {
	q := half / 2
	for g := 0; g < groups; g++ {
		base := 2 * half * g
		for k := 0; k < q; k++ {
			p0, p1, p2, p3 := point(x, base+k), point(x, base+k+q), point(x, base+k+2*q), point(x, base+k+3*q)
			w := tw[6*k : 6*k+6]
			for l := 0; l < Lanes; l++ {
				b1r, b1i := cmul(p1[l], p1[l+4], w[2], w[3])
				b2r, b2i := cmul(p2[l], p2[l+4], w[0], w[1])
				b3r, b3i := cmul(p3[l], p3[l+4], w[4], w[5])
				u0r, u0i := p0[l]+b1r, p0[l+4]+b1i
				u1r, u1i := p0[l]-b1r, p0[l+4]-b1i
				pr, pi := b2r+b3r, b2i+b3i
				qr, qi := b2r-b3r, b2i-b3i
				p0[l], p0[l+4] = u0r+pr, u0i+pi
				p2[l], p2[l+4] = u0r-pr, u0i-pi
				p1[l], p1[l+4] = u1r-qi, u1i+qr
				p3[l], p3[l+4] = u1r+qi, u1i-qr
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
