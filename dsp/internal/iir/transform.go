package iir

import (
	"math"
	"math/cmplx"
)

// degree returns the number of zeros at infinity, len(P) - len(Z).
func (f ZPK) degree() int {
	d := len(f.P) - len(f.Z)
	if d < 0 {
		panic("iir: improper transfer function: more zeros than poles")
	}
	return d
}

// LowToLow scales a low-pass prototype to cut-off wo (scipy lp2lp_zpk).
func LowToLow(f ZPK, wo float64) ZPK {
	d := f.degree()
	z := make([]complex128, len(f.Z))
	for i, v := range f.Z {
		z[i] = complex(wo, 0) * v
	}
	p := make([]complex128, len(f.P))
	for i, v := range f.P {
		p[i] = complex(wo, 0) * v
	}
	return ZPK{Z: z, P: p, K: f.K * math.Pow(wo, float64(d))}
}

// LowToHigh turns a low-pass prototype into a high-pass with cut-off wo
// (scipy lp2hp_zpk): zeros at infinity move to the origin.
func LowToHigh(f ZPK, wo float64) ZPK {
	d := f.degree()
	z := make([]complex128, 0, len(f.Z)+d)
	for _, v := range f.Z {
		z = append(z, complex(wo, 0)/v)
	}
	for i := 0; i < d; i++ {
		z = append(z, 0)
	}
	p := make([]complex128, len(f.P))
	for i, v := range f.P {
		p[i] = complex(wo, 0) / v
	}
	return ZPK{Z: z, P: p, K: f.K * real(prodNeg(f.Z)/prodNeg(f.P))}
}

// shiftPair returns x + sqrt(x^2 - wo^2) and x - sqrt(x^2 - wo^2), the two
// images of a low-pass root under the band transforms.
func shiftPair(x complex128, wo float64) (complex128, complex128) {
	r := cmplx.Sqrt(x*x - complex(wo*wo, 0))
	return x + r, x - r
}

// bandRoots maps each of x (already scaled) to its two band images, all
// "+" images first then all "-" images, as SciPy concatenates them.
func bandRoots(x []complex128, wo float64, extra int) []complex128 {
	out := make([]complex128, 2*len(x), 2*len(x)+extra)
	for i, v := range x {
		out[i], out[len(x)+i] = shiftPair(v, wo)
	}
	return out
}

// LowToBand turns a low-pass prototype into a band-pass centred on wo
// with bandwidth bw (scipy lp2bp_zpk).
func LowToBand(f ZPK, wo, bw float64) ZPK {
	d := f.degree()
	zl := make([]complex128, len(f.Z))
	for i, v := range f.Z {
		zl[i] = v * complex(bw, 0) / 2
	}
	pl := make([]complex128, len(f.P))
	for i, v := range f.P {
		pl[i] = v * complex(bw, 0) / 2
	}
	z := bandRoots(zl, wo, d)
	for i := 0; i < d; i++ {
		z = append(z, 0)
	}
	return ZPK{Z: z, P: bandRoots(pl, wo, 0), K: f.K * math.Pow(bw, float64(d))}
}

// LowToStop turns a low-pass prototype into a band-stop centred on wo
// with bandwidth bw (scipy lp2bs_zpk): zeros at infinity move to +-j wo.
func LowToStop(f ZPK, wo, bw float64) ZPK {
	d := f.degree()
	zh := make([]complex128, len(f.Z))
	for i, v := range f.Z {
		zh[i] = complex(bw/2, 0) / v
	}
	ph := make([]complex128, len(f.P))
	for i, v := range f.P {
		ph[i] = complex(bw/2, 0) / v
	}
	z := bandRoots(zh, wo, 2*d)
	for i := 0; i < d; i++ {
		z = append(z, complex(0, wo))
	}
	for i := 0; i < d; i++ {
		z = append(z, complex(0, -wo))
	}
	return ZPK{Z: z, P: bandRoots(ph, wo, 0), K: f.K * real(prodNeg(f.Z)/prodNeg(f.P))}
}

// Bilinear maps an analog filter to a digital one with the bilinear
// transform at sampling frequency fs (scipy bilinear_zpk): zeros at
// infinity move to Nyquist (z = -1).
func Bilinear(f ZPK, fs float64) ZPK {
	d := f.degree()
	fs2 := complex(2*fs, 0)
	z := make([]complex128, 0, len(f.Z)+d)
	numK, denK := complex(1, 0), complex(1, 0)
	for _, v := range f.Z {
		z = append(z, (fs2+v)/(fs2-v))
		numK *= fs2 - v
	}
	for i := 0; i < d; i++ {
		z = append(z, -1)
	}
	p := make([]complex128, len(f.P))
	for i, v := range f.P {
		p[i] = (fs2 + v) / (fs2 - v)
		denK *= fs2 - v
	}
	return ZPK{Z: z, P: p, K: f.K * real(numK/denK)}
}
