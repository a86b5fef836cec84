package fft

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// naive is the O(n²) DFT with exact angles (jk mod n in integers).
func naive(x []complex128, inverse bool) []complex128 {
	n := len(x)
	out := make([]complex128, n)
	sign := -1.0
	if inverse {
		sign = 1
	}
	for k := range out {
		var s complex128
		for j, v := range x {
			q := j * k % n
			sn, cs := math.Sincos(2 * math.Pi * float64(q) / float64(n))
			s += v * complex(cs, sign*sn)
		}
		out[k] = s
	}
	return out
}

func randComplex(n int, seed uint64) []complex128 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]complex128, n)
	for i := range x {
		x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	return x
}

// maxDiff is the largest |a-b| over the largest |b|.
func maxDiff(a, b []complex128) float64 {
	d, s := 0.0, 0.0
	for i := range b {
		d = math.Max(d, cmplx.Abs(a[i]-b[i]))
		s = math.Max(s, cmplx.Abs(b[i]))
	}
	return d / s
}

func TestDirect(t *testing.T) {
	for _, c := range []struct {
		n    int
		want bool
	}{
		{1, true}, {256, true}, {20000, true}, {61, true}, {2 * 61 * 61, true},
		{67, false}, {20011, false}, {2 * 1594323, false}, {1 << 26, true}, {1 << 27, false},
	} {
		if got := direct(c.n); got != c.want {
			t.Errorf("direct(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

// TestComplexAgainstDFT checks both paths against the naive DFT.
func TestComplexAgainstDFT(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 64, 67, 100, 101, 127, 243, 509, 1000, 1009} {
		x := randComplex(n, uint64(n))
		p := NewComplex(n)
		for _, inverse := range []bool{false, true} {
			var got []complex128
			if inverse {
				got = p.Sequence(nil, x)
			} else {
				got = p.Coefficients(nil, x)
			}
			if d := maxDiff(got, naive(x, inverse)); d > 1e-13 {
				t.Errorf("n=%d inverse=%v: relative error %g", n, inverse, d)
			}
		}
	}
}

// TestBluesteinAgainstGonum forces Bluestein on smooth lengths.
func TestBluesteinAgainstGonum(t *testing.T) {
	for _, n := range []int{2, 16, 1000, 4096, 6000} {
		x := randComplex(n, 9)
		b := newBluestein(n)
		g := fourier.NewCmplxFFT(n)
		if d := maxDiff(b.transform(make([]complex128, n), x, false), g.Coefficients(nil, x)); d > 1e-13 {
			t.Errorf("n=%d forward: %g", n, d)
		}
		if d := maxDiff(b.transform(make([]complex128, n), x, true), g.Sequence(nil, x)); d > 1e-13 {
			t.Errorf("n=%d backward: %g", n, d)
		}
	}
}

// TestRealRoundTrip checks Real on direct and Bluestein lengths against
// gonum's real FFT semantics and the round trip.
func TestRealRoundTrip(t *testing.T) {
	for _, n := range []int{1, 2, 5, 67, 68, 134, 1009, 2018, 1000} {
		xc := randComplex(n, uint64(n)+1)
		x := make([]float64, n)
		for i, v := range xc {
			x[i] = real(v)
		}
		p := NewReal(n)
		c := p.Coefficients(nil, x)
		want := naive(func() []complex128 {
			z := make([]complex128, n)
			for i, v := range x {
				z[i] = complex(v, 0)
			}
			return z
		}(), false)[:n/2+1]
		if d := maxDiff(c, want); d > 1e-13 {
			t.Errorf("n=%d coefficients: %g", n, d)
		}
		// Imaginary parts of DC and Nyquist are ignored.
		c[0] += 5i
		if n%2 == 0 {
			c[n/2] -= 3i
		}
		y := p.Sequence(nil, c)
		for i := range y {
			if math.Abs(y[i]/float64(n)-x[i]) > 1e-12 {
				t.Fatalf("n=%d round trip [%d]: %v, want %v", n, i, y[i]/float64(n), x[i])
			}
		}
	}
}

func BenchmarkComplex(b *testing.B) {
	// 20000 and 2·3·53·61 go to FFTPACK, 20011 (prime) and 2·3·53·67 to
	// Bluestein.
	for _, n := range []int{20000, 20011, 2 * 3 * 53 * 61, 2 * 3 * 53 * 67} {
		x := randComplex(n, 1)
		dst := make([]complex128, n)
		p := NewComplex(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				p.Coefficients(dst, x)
			}
		})
	}
}
