package iir

import (
	"errors"
	"math"
	"math/cmplx"
	"sort"
)

// cplxTol is SciPy's default tolerance in _cplxreal, 100 machine epsilons.
const cplxTol = 100 * 2.220446049250313e-16

// errUnpaired reports a complex root without a matching conjugate.
var errUnpaired = errors.New("complex root with no matching conjugate")

// cplxReal splits roots into complex-conjugate pairs (one member of each,
// with positive imaginary part, averaged with its partner) and real roots,
// ordered as scipy.signal._cplxreal orders them: by real part, then by
// magnitude of the imaginary part, runs of equal real part by imaginary
// part. The result is the pairs followed by the reals, the reals with an
// imaginary part of exactly zero.
func cplxReal(z []complex128) ([]complex128, error) {
	if len(z) == 0 {
		return nil, nil
	}
	s := append([]complex128(nil), z...)
	sort.SliceStable(s, func(i, j int) bool {
		if real(s[i]) != real(s[j]) {
			return real(s[i]) < real(s[j])
		}
		return math.Abs(imag(s[i])) < math.Abs(imag(s[j]))
	})
	var zr, zp, zn []complex128
	for _, v := range s {
		switch {
		case math.Abs(imag(v)) <= cplxTol*cmplx.Abs(v):
			zr = append(zr, complex(real(v), 0))
		case imag(v) > 0:
			zp = append(zp, v)
		default:
			zn = append(zn, v)
		}
	}
	if len(zp) != len(zn) {
		return nil, errUnpaired
	}
	// Runs of (approximately) equal real part are sorted by imaginary part.
	for start := 0; start < len(zp); {
		stop := start + 1
		for stop < len(zp) && real(zp[stop])-real(zp[stop-1]) <= cplxTol*cmplx.Abs(zp[stop-1]) {
			stop++
		}
		if stop-start > 1 {
			for _, run := range [][]complex128{zp[start:stop], zn[start:stop]} {
				sort.SliceStable(run, func(i, j int) bool {
					return math.Abs(imag(run[i])) < math.Abs(imag(run[j]))
				})
			}
		}
		start = stop
	}
	out := make([]complex128, 0, len(zp)+len(zr))
	for i := range zp {
		if cmplx.Abs(zp[i]-cmplx.Conj(zn[i])) > cplxTol*cmplx.Abs(zn[i]) {
			return nil, errUnpaired
		}
		out = append(out, (zp[i]+cmplx.Conj(zn[i]))/2)
	}
	return append(out, zr...), nil
}

// isReal reports whether v has an imaginary part of exactly zero, as
// numpy.isreal.
func isReal(v complex128) bool { return imag(v) == 0 }

// remove deletes x[i], keeping the order of the rest.
func remove(x []complex128, i int) []complex128 {
	return append(x[:i], x[i+1:]...)
}

// worst returns the index of the pole closest to the unit circle (first on
// ties), among the indices idx (all when idx is nil).
func worst(p []complex128, idx []int) int {
	best, bestD := -1, math.Inf(1)
	if idx == nil {
		for i, v := range p {
			if d := math.Abs(1 - cmplx.Abs(v)); d < bestD || best < 0 {
				best, bestD = i, d
			}
		}
		return best
	}
	for _, i := range idx {
		if d := math.Abs(1 - cmplx.Abs(p[i])); d < bestD || best < 0 {
			best, bestD = i, d
		}
	}
	return best
}

// rootKind selects the roots nearest looks at.
type rootKind int

const (
	anyRoot rootKind = iota
	realRoot
	complexRoot
)

// nearest returns the index of the root of z of the given kind closest to
// to (scipy _nearest_real_complex_idx; ties go to the lower index).
func nearest(z []complex128, to complex128, kind rootKind) int {
	best, bestD := -1, math.Inf(1)
	for i, v := range z {
		if (kind == realRoot && !isReal(v)) || (kind == complexRoot && isReal(v)) {
			continue
		}
		if d := cmplx.Abs(v - to); d < bestD || best < 0 {
			best, bestD = i, d
		}
	}
	if best < 0 {
		panic("iir: no root of the requested kind")
	}
	return best
}

// poly returns the monic polynomial with the given roots (highest power
// first), dropping the imaginary parts, which vanish for the real or
// conjugate root pairs that zpk2sos builds.
func poly(roots ...complex128) []float64 {
	c := []complex128{1}
	for _, r := range roots {
		next := make([]complex128, len(c)+1)
		for i, v := range c {
			next[i] += v
			next[i+1] += v * -r
		}
		c = next
	}
	out := make([]float64, len(c))
	for i, v := range c {
		out[i] = real(v)
	}
	return out
}

// section builds one second-order section from its zeros and poles,
// right-aligning the polynomials as scipy _single_zpksos.
func section(z, p []complex128) [6]float64 {
	var s [6]float64
	b, a := poly(z...), poly(p...)
	copy(s[3-len(b):3], b)
	copy(s[6-len(a):6], a)
	return s
}

// ToSOS converts a digital filter to second-order sections with SciPy's
// pairing='nearest' (scipy.signal.zpk2sos): the poles closest to the unit
// circle go to the last sections, each paired with the nearest zeros; the
// gain goes to the first section.
func ToSOS(f ZPK) ([][6]float64, error) {
	if len(f.Z) == 0 && len(f.P) == 0 {
		return [][6]float64{{f.K, 0, 0, 1, 0, 0}}, nil
	}
	z := append([]complex128(nil), f.Z...)
	p := append([]complex128(nil), f.P...)
	for len(p) < len(z) {
		p = append(p, 0)
	}
	for len(z) < len(p) {
		z = append(z, 0)
	}
	nSections := (len(p) + 1) / 2
	if len(p)%2 == 1 {
		p = append(p, 0)
		z = append(z, 0)
	}
	var err error
	if z, err = cplxReal(z); err != nil {
		return nil, err
	}
	if p, err = cplxReal(p); err != nil {
		return nil, err
	}

	countReal := func(x []complex128) (n int) {
		for _, v := range x {
			if isReal(v) {
				n++
			}
		}
		return n
	}

	sos := make([][6]float64, nSections)
	for si := nSections - 1; si >= 0; si-- {
		i := worst(p, nil)
		p1 := p[i]
		p = remove(p, i)

		switch {
		case isReal(p1) && countReal(p) == 0:
			// The last remaining real pole pairs with a real zero.
			j := nearest(z, p1, realRoot)
			z1 := z[j]
			z = remove(z, j)
			sos[si] = section([]complex128{z1, 0}, []complex128{p1, 0})

		case len(p)+1 == len(z) && !isReal(p1) && countReal(p) == 1 && countReal(z) == 1:
			// One real pole and one real zero left: a complex pole must
			// take a complex zero.
			j := nearest(z, p1, complexRoot)
			z1 := z[j]
			z = remove(z, j)
			sos[si] = section([]complex128{z1, cmplx.Conj(z1)}, []complex128{p1, cmplx.Conj(p1)})

		default:
			var p2 complex128
			if isReal(p1) {
				var reals []int
				for k, v := range p {
					if isReal(v) {
						reals = append(reals, k)
					}
				}
				k := worst(p, reals)
				p2 = p[k]
				p = remove(p, k)
			} else {
				p2 = cmplx.Conj(p1)
			}
			if len(z) == 0 {
				sos[si] = section(nil, []complex128{p1, p2})
				break
			}
			j := nearest(z, p1, anyRoot)
			z1 := z[j]
			z = remove(z, j)
			switch {
			case !isReal(z1):
				sos[si] = section([]complex128{z1, cmplx.Conj(z1)}, []complex128{p1, p2})
			case len(z) > 0:
				k := nearest(z, p1, realRoot)
				z2 := z[k]
				z = remove(z, k)
				sos[si] = section([]complex128{z1, z2}, []complex128{p1, p2})
			default:
				sos[si] = section([]complex128{z1}, []complex128{p1, p2})
			}
		}
	}
	for i := 0; i < 3; i++ {
		sos[0][i] *= f.K
	}
	return sos, nil
}
