package iir

import (
	"errors"
	"math"
	"math/cmplx"

	"github.com/bcikit/bcikit/dsp/internal/special"
)

// ZPK is a filter as zeros, poles and a real gain. Analog prototypes and
// transforms work on it; the result of Bilinear is a digital filter.
type ZPK struct {
	Z, P []complex128
	K    float64
}

// prodNeg returns prod(-x) multiplied left to right, as numpy.prod(-x).
func prodNeg(x []complex128) complex128 {
	v := complex(1, 0)
	for _, c := range x {
		v *= -c
	}
	return v
}

// Butter returns the analog Butterworth low-pass prototype of order n
// (scipy.signal.buttap): poles on the unit circle, no zeros, unit gain.
func Butter(n int) ZPK {
	p := make([]complex128, n)
	for i := range p {
		m := float64(-n + 1 + 2*i)
		// The middle pole of an odd order is exactly -1.
		p[i] = -cmplx.Exp(complex(0, math.Pi*m/float64(2*n)))
	}
	return ZPK{P: p, K: 1}
}

// Cheby1 returns the analog Chebyshev type I low-pass prototype of order
// n with rp dB of pass-band ripple (scipy.signal.cheb1ap).
func Cheby1(n int, rp float64) ZPK {
	eps := math.Sqrt(math.Pow(10, 0.1*rp) - 1)
	mu := 1 / float64(n) * math.Asinh(1/eps)
	p := make([]complex128, n)
	for i := range p {
		theta := math.Pi * float64(-n+1+2*i) / float64(2*n)
		p[i] = -cmplx.Sinh(complex(mu, theta))
	}
	k := real(prodNeg(p))
	if n%2 == 0 {
		k /= math.Sqrt(1 + eps*eps)
	}
	return ZPK{P: p, K: k}
}

// Cheby2 returns the analog Chebyshev type II low-pass prototype of order
// n with rs dB of stop-band attenuation (scipy.signal.cheb2ap).
func Cheby2(n int, rs float64) ZPK {
	de := 1 / math.Sqrt(math.Pow(10, 0.1*rs)-1)
	mu := math.Asinh(1/de) / float64(n)

	z := make([]complex128, 0, n)
	for m := -n + 1; m < n; m += 2 {
		if m == 0 {
			continue // odd orders have one zero at infinity
		}
		z = append(z, complex(0, 1/math.Sin(float64(m)*math.Pi/(2*float64(n)))))
	}
	p := make([]complex128, n)
	sh, ch := math.Sinh(mu), math.Cosh(mu)
	for i := range p {
		b := -cmplx.Exp(complex(0, math.Pi*float64(-n+1+2*i)/float64(2*n)))
		p[i] = 1 / complex(sh*real(b), ch*imag(b))
	}
	k := real(prodNeg(p) / prodNeg(z))
	return ZPK{Z: z, P: p, K: k}
}

// pow10m1 returns 10^x - 1 accurately for x near 0.
func pow10m1(x float64) float64 { return math.Expm1(math.Log(10) * x) }

// ellipEpsilon is the threshold below which SciPy's ellipap treats a
// Jacobi sn value or a pole's imaginary part as zero.
const ellipEpsilon = 2e-16

// ErrEllip reports a ripple/attenuation pair for which no elliptic filter
// can be designed.
var ErrEllip = errors.New("cannot design an elliptic filter with these rp and rs")

// Ellip returns the analog elliptic (Cauer) low-pass prototype of order n
// with rp dB of pass-band ripple and rs dB of stop-band attenuation
// (scipy.signal.ellipap, after Orfanidis 2006).
func Ellip(n int, rp, rs float64) (ZPK, error) {
	if n == 1 {
		p := -math.Sqrt(1 / pow10m1(0.1*rp))
		return ZPK{P: []complex128{complex(p, 0)}, K: -p}, nil
	}
	epsSq := pow10m1(0.1 * rp)
	eps := math.Sqrt(epsSq)
	ck1Sq := epsSq / pow10m1(0.1*rs)
	if ck1Sq == 0 || !(ck1Sq < 1) {
		return ZPK{}, ErrEllip
	}
	k1 := special.EllipK(ck1Sq)

	m := ellipDeg(n, ck1Sq)
	capK := special.EllipK(m)

	var s, c, d []float64
	for j := 1 - n%2; j < n; j += 2 {
		sj, cj, dj, _ := special.EllipJ(float64(j)*capK/float64(n), m)
		s, c, d = append(s, sj), append(c, cj), append(d, dj)
	}
	var z []complex128
	for _, sj := range s {
		if math.Abs(sj) > ellipEpsilon {
			z = append(z, complex(0, 1/(math.Sqrt(m)*sj)))
		}
	}
	for i, n := 0, len(z); i < n; i++ {
		z = append(z, cmplx.Conj(z[i]))
	}

	r, err := arcJacSC1(1/eps, ck1Sq)
	if err != nil {
		return ZPK{}, err
	}
	v0 := capK * r / (float64(n) * k1)
	sv, cv, dv, _ := special.EllipJ(v0, 1-m)

	p := make([]complex128, len(s))
	var norm float64
	for i := range s {
		den := 1 - (d[i]*sv)*(d[i]*sv)
		p[i] = -complex(c[i]*d[i]*sv*cv, s[i]*dv) / complex(den, 0)
		norm += real(p[i])*real(p[i]) + imag(p[i])*imag(p[i])
	}
	if n%2 == 1 {
		thr := ellipEpsilon * math.Sqrt(norm)
		for i := range s {
			if math.Abs(imag(p[i])) > thr {
				p = append(p, cmplx.Conj(p[i]))
			}
		}
	} else {
		for i := range s {
			p = append(p, cmplx.Conj(p[i]))
		}
	}
	k := real(prodNeg(p) / prodNeg(z))
	if n%2 == 0 {
		k /= math.Sqrt(1 + epsSq)
	}
	return ZPK{Z: z, P: p, K: k}, nil
}

// ellipDeg solves the degree equation with nomes: it returns m with
// K(m)/K'(m) = n K(m1)/K'(m1) (scipy _ellipdeg, 7 terms).
func ellipDeg(n int, m1 float64) float64 {
	const terms = 7
	k1 := special.EllipK(m1)
	k1p := special.EllipKM1(m1)
	q1 := math.Exp(-math.Pi * k1p / k1)
	q := math.Pow(q1, 1/float64(n))
	var num, den [terms + 1]float64
	for i := range num {
		num[i] = math.Pow(q, float64(i*(i+1)))
		den[i] = math.Pow(q, float64((i+1)*(i+1)))
	}
	r := sum8(num) / (1 + 2*sum8(den))
	return 16 * q * math.Pow(r, 4)
}

// sum8 adds eight values in numpy's pairwise order.
func sum8(x [8]float64) float64 {
	return ((x[0] + x[1]) + (x[2] + x[3])) + ((x[4] + x[5]) + (x[6] + x[7]))
}

// arcJacSC1 returns the real z with sc(z, m) = w, the inverse Jacobi sc
// function, by descending Landen transformations (scipy _arc_jac_sc1, which
// evaluates _arc_jac_sn at the imaginary argument i w; here the purely
// imaginary arithmetic is carried out in reals).
func arcJacSC1(w, m float64) (float64, error) {
	k := math.Sqrt(m)
	if k > 1 || math.IsNaN(k) {
		return 0, ErrEllip
	}
	if k == 1 {
		// arctanh(i w) = i arctan(w)
		return math.Atan(w), nil
	}
	complement := func(x float64) float64 { return math.Sqrt((1 - x) * (1 + x)) }
	ks := []float64{k}
	for ks[len(ks)-1] != 0 {
		if len(ks) > 11 {
			return 0, errors.New("landen transformation not converging")
		}
		kp := complement(ks[len(ks)-1])
		ks = append(ks, (1-kp)/(1+kp))
	}
	capK := 1.0
	for _, kn := range ks[1:] {
		capK *= 1 + kn
	}
	capK *= math.Pi / 2

	// Along the imaginary axis, 1 - (k i y)^2 = 1 + (k y)^2.
	y := w
	for i := 0; i+1 < len(ks); i++ {
		ky := ks[i] * y
		y = 2 * y / ((1 + ks[i+1]) * (1 + math.Sqrt(1+ky*ky)))
	}
	// arcsin(i y) = i arcsinh(y)
	return capK * (2 / math.Pi * math.Asinh(y)), nil
}
