package simd

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestFFT4MatchesGonum checks every lane of Forward against gonum's complex
// FFT, Inverse(Forward(x)) = n x, and that the AVX and Go kernels agree to
// the bit.
func TestFFT4MatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{2, 4, 8, 16, 32, 64, 1024, 2048, 4096} {
		p := NewFFT4(n)
		x := make([]float64, 8*n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		orig := append([]float64(nil), x...)
		p.Forward(x)

		g := append([]float64(nil), orig...)
		prev := SetAVX(false)
		p.Forward(g)
		SetAVX(prev)
		for i := range g {
			if g[i] != x[i] {
				t.Fatalf("n=%d: AVX and Go forward differ at %d: %v vs %v", n, i, x[i], g[i])
			}
		}

		ref := fourier.NewCmplxFFT(n)
		for l := 0; l < Lanes; l++ {
			seq := make([]complex128, n)
			for i := range seq {
				seq[i] = complex(orig[8*i+l], orig[8*i+4+l])
			}
			want := ref.Coefficients(nil, seq)
			for k := range want {
				b := p.BitReverse(k)
				got := complex(x[8*b+l], x[8*b+4+l])
				if cmplx.Abs(got-want[k]) > 1e-12*math.Sqrt(float64(n))*float64(bitsLen(n)) {
					t.Fatalf("n=%d lane %d bin %d: %v, gonum %v", n, l, k, got, want[k])
				}
			}
		}

		gi := append([]float64(nil), x...)
		p.Inverse(x)
		prev = SetAVX(false)
		p.Inverse(gi)
		SetAVX(prev)
		for i := range x {
			if gi[i] != x[i] {
				t.Fatalf("n=%d: AVX and Go inverse differ at %d", n, i)
			}
			if math.Abs(x[i]/float64(n)-orig[i]) > 1e-13 {
				t.Fatalf("n=%d: round trip %v, want %v", n, x[i]/float64(n), orig[i])
			}
		}

		h := make([]float64, 2*n)
		for i := range h {
			h[i] = rng.NormFloat64()
		}
		a, b := append([]float64(nil), x...), append([]float64(nil), x...)
		MulSpectrum(a, h)
		mulSpectrumGo(b, h)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("n=%d: MulSpectrum kernels differ at %d", n, i)
			}
		}
		if got, want := complex(a[4*2+1], a[4*2+4+1]), complex(x[8*1+1], x[8*1+4+1])*complex(h[2], h[3]); cmplx.Abs(got-want) > 1e-12*cmplx.Abs(want) {
			t.Fatalf("n=%d: MulSpectrum point 1 lane 1 = %v, want %v", n, got, want)
		}
	}
}

func bitsLen(n int) int {
	k := 0
	for ; n > 1; n >>= 1 {
		k++
	}
	return k
}

func BenchmarkFFT4(b *testing.B) {
	const n = 2048
	p := NewFFT4(n)
	x := make([]float64, 8*n)
	h := make([]float64, 2*n)
	for i := range x {
		x[i] = float64(i%13) - 6
	}
	for i := range h {
		h[i] = 1 / float64(n)
	}
	for i := 0; i < b.N; i++ {
		p.Forward(x)
		MulSpectrum(x, h)
		p.Inverse(x)
	}
}
