// Package simd holds dsp's vectorized inner loops: the second-order-section
// recurrence run on four channels at once (interleaved lane by lane), with
// an AVX implementation on amd64 and a portable Go one elsewhere.
//
// Both implementations perform, lane by lane, exactly the floating-point
// operations of SciPy's _sosfilt in the same order (no fused multiply-add),
// so every lane's output is bit-identical to a scalar run.
package simd

import "unsafe"

// Lanes is the number of complex lanes of FFT4 (four float64s per vector).
const Lanes = 4

// SOSLanes is the number of channels the second-order-section kernels
// filter at once: two vectors of four, two independent dependency chains.
const SOSLanes = 8

// SOS8 filters the eight interleaved channels x (x[8*i+lane] is sample i
// of a lane) in place through nsec second-order sections, carrying the
// state z (len 16*nsec: per section z0 for the eight lanes, then z1). coef
// holds per section b0, b1, b2, a1, a2 (a0 = 1), len 5*nsec.
func SOS8(coef, x, z []float64) {
	if checkSOS8(coef, x, z) {
		sos8(coef, x, z, len(coef)/5, false)
	}
}

// SOS8Reverse is SOS8 run from the last sample to the first, as filtering
// the time-reversed signal: the backward pass of a zero-phase filter
// without reversing the buffer.
func SOS8Reverse(coef, x, z []float64) {
	if checkSOS8(coef, x, z) {
		sos8(coef, x, z, len(coef)/5, true)
	}
}

// SOS8Gather is SOS8 on the samples src[l][off : off+n] of eight
// channels, n = len(x)/8, writing the interleaved outputs to x: the
// forward pass of a zero-phase filter fused with the interleaving of its
// input. It reports false if an input is NaN or infinite (x is then
// unspecified).
func SOS8Gather(coef, x, z []float64, src *[SOSLanes][]float64, off int) bool {
	if !checkSOS8(coef, x, z) {
		return true
	}
	n := len(x) / SOSLanes
	var p [SOSLanes]*float64
	for l := range src {
		p[l] = &src[l][off : off+n][0]
	}
	return sos8Gather(coef, x, z, &p, n)
}

// SOS8ScatterReverse is SOS8Reverse on the interleaved x, writing lane l of
// sample i to dst[l][off+i] (x itself is left unspecified): the backward
// pass of a zero-phase filter fused with de-interleaving its output.
func SOS8ScatterReverse(coef, x, z []float64, dst *[SOSLanes][]float64, off int) {
	if !checkSOS8(coef, x, z) {
		return
	}
	n := len(x) / SOSLanes
	var p [SOSLanes]*float64
	for l := range dst {
		p[l] = &dst[l][off : off+n][0]
	}
	sos8Scatter(coef, x, z, &p, n)
}

// sos8GatherGo is the portable SOS8Gather.
func sos8GatherGo(coef, x, z []float64, src *[SOSLanes]*float64, n int) bool {
	const L = SOSLanes
	ok := true
	for l, p := range src {
		s := unsafe.Slice(p, n)
		for i, v := range s {
			if v-v != 0 {
				ok = false
			}
			x[L*i+l] = v
		}
	}
	sos8Go(coef, x, z, len(coef)/5, false)
	return ok
}

// sos8ScatterGo is the portable SOS8ScatterReverse.
func sos8ScatterGo(coef, x, z []float64, dst *[SOSLanes]*float64, n int) {
	const L = SOSLanes
	sos8Go(coef, x, z, len(coef)/5, true)
	for l, p := range dst {
		d := unsafe.Slice(p, n)
		for i := range d {
			d[i] = x[L*i+l]
		}
	}
}

// checkSOS8 panics on inconsistent lengths and reports whether there is
// work to do.
func checkSOS8(coef, x, z []float64) bool {
	nsec := len(coef) / 5
	if len(coef) != 5*nsec || len(z) != 2*SOSLanes*nsec || len(x)%SOSLanes != 0 {
		panic("simd: SOS8: inconsistent lengths")
	}
	return nsec > 0 && len(x) > 0
}

// sos8Go is the portable SOS8 kernel, run backward when reverse is set.
// The float64 conversions forbid fused multiply-adds.
func sos8Go(coef, x, z []float64, nsec int, reverse bool) {
	const L = SOSLanes
	n := len(x) / L
	for k := 0; k < n; k++ {
		i := L * k
		if reverse {
			i = L * (n - 1 - k)
		}
		v := (*[L]float64)(x[i : i+L])
		for s := 0; s < nsec; s++ {
			c := (*[5]float64)(coef[5*s : 5*s+5])
			st := (*[2 * L]float64)(z[2*L*s : 2*L*s+2*L])
			b0, b1, b2, a1, a2 := c[0], c[1], c[2], c[3], c[4]
			for l := 0; l < L; l++ {
				xc := v[l]
				xn := float64(b0*xc) + st[l]
				st[l] = float64(b1*xc) - float64(a1*xn) + st[L+l]
				st[L+l] = float64(b2*xc) - float64(a2*xn)
				v[l] = xn
			}
		}
	}
}
