package special

import "math"

// machEp is Cephes' MACHEP, 2^-53.
const machEp = 1.11022302462515654042e-16

// polevl evaluates the polynomial coef[0] x^n + ... + coef[n] by Horner's
// rule, as Cephes polevl.
func polevl(x float64, coef []float64) float64 {
	v := coef[0]
	for _, c := range coef[1:] {
		v = v*x + c
	}
	return v
}

// ellpkP and ellpkQ are the coefficients of the approximation
// K(m) = P(m1) - log(m1) Q(m1), m1 = 1-m (Cephes ellpk.c).
var (
	ellpkP = []float64{
		1.37982864606273237150e-4,
		2.28025724005875567385e-3,
		7.97404013220415179367e-3,
		9.85821379021226008714e-3,
		6.87489687449949877925e-3,
		6.18901033637687613229e-3,
		8.79078273952743772254e-3,
		1.49380448916805252718e-2,
		3.08851465246711995998e-2,
		9.65735902811690126535e-2,
		1.38629436111989062502e0,
	}
	ellpkQ = []float64{
		2.94078955048598507511e-5,
		9.14184723865917226571e-4,
		5.94058303753167793257e-3,
		1.54850516649762399335e-2,
		2.39089602715924892727e-2,
		3.01204715227604046988e-2,
		3.73774314173823228969e-2,
		4.88280347570998239232e-2,
		7.03124996963957469739e-2,
		1.24999999999870820058e-1,
		4.99999999999999999821e-1,
	}
)

// ellpk is Cephes ellpk: the complete elliptic integral of the first kind
// as a function of the complementary parameter m1 = 1 - m.
func ellpk(m1 float64) float64 {
	switch {
	case m1 < 0 || math.IsNaN(m1):
		return math.NaN()
	case m1 > 1:
		if math.IsInf(m1, 1) {
			return 0
		}
		return ellpk(1/m1) / math.Sqrt(m1)
	case m1 > machEp:
		return polevl(m1, ellpkP) - math.Log(m1)*polevl(m1, ellpkQ)
	case m1 == 0:
		return math.Inf(1)
	default:
		return 1.3862943611198906188 - 0.5*math.Log(m1) // log(4) - log(m1)/2
	}
}

// EllipK returns the complete elliptic integral of the first kind K(m) of
// parameter m, as scipy.special.ellipk.
func EllipK(m float64) float64 { return ellpk(1 - m) }

// EllipKM1 returns K(1 - p), as scipy.special.ellipkm1; it keeps full
// accuracy for m close to 1.
func EllipKM1(p float64) float64 { return ellpk(p) }

// EllipJ returns the Jacobian elliptic functions sn, cn, dn of real
// argument u and parameter 0 <= m <= 1, and the amplitude phi, as
// scipy.special.ellipj (Cephes ellpj.c: arithmetic-geometric mean with
// series near m = 0 and m = 1). Out-of-range m gives NaNs.
func EllipJ(u, m float64) (sn, cn, dn, phi float64) {
	if m < 0 || m > 1 || math.IsNaN(m) {
		nan := math.NaN()
		return nan, nan, nan, nan
	}
	if m < 1e-9 {
		t, b := math.Sin(u), math.Cos(u)
		ai := 0.25 * m * (u - t*b)
		return t - ai*b, b + ai*t, 1 - 0.5*m*t*t, u - ai
	}
	if m >= 0.9999999999 {
		ai := 0.25 * (1 - m)
		b := math.Cosh(u)
		t := math.Tanh(u)
		phi := 1 / b
		twon := b * math.Sinh(u)
		sn = t + ai*(twon-u)/(b*b)
		ph := 2*math.Atan(math.Exp(u)) - math.Pi/2 + ai*(twon-u)/b
		ai *= t * phi
		return sn, phi - ai*(twon-u), phi + ai*(twon+u), ph
	}

	// Arithmetic-geometric mean scale.
	var a, c [9]float64
	a[0] = 1
	b := math.Sqrt(1 - m)
	c[0] = math.Sqrt(m)
	twon := 1.0
	i := 0
	for math.Abs(c[i]/a[i]) > machEp && i <= 7 {
		ai := a[i]
		i++
		c[i] = (ai - b) / 2
		t := math.Sqrt(ai * b)
		a[i] = (ai + b) / 2
		b = t
		twon *= 2
	}

	// Backward recurrence.
	phi = twon * a[i] * u
	for {
		t := c[i] * math.Sin(phi) / a[i]
		b = phi
		phi = (math.Asin(t) + phi) / 2
		i--
		if i == 0 {
			break
		}
	}
	sn = math.Sin(phi)
	t := math.Cos(phi)
	return sn, t, t / math.Cos(phi-b), phi
}
