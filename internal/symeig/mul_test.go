package symeig

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// naiveMul is the definition of every entry: Σ_k a[i,k]·b[k,j], k
// ascending, over k ≤ i when lower, with fused multiply-adds when fma.
func naiveMul(a, b []float64, n int, lower, fma bool) []float64 {
	c := make([]float64, n*n)
	for i := range n {
		for j := range n {
			var s float64
			for k := range n {
				if lower && k > i {
					break
				}
				if fma {
					s = math.FMA(a[i*n+k], b[k*n+j], s)
				} else {
					s += a[i*n+k] * b[k*n+j]
				}
			}
			c[i*n+j] = s
		}
	}
	return c
}

// TestMul checks the blocked products (kernel and Go edges) bit for bit
// against the plain triple loop, at every size around the block sizes, on
// general, lower-triangular and symmetric-result inputs.
func TestMul(t *testing.T) {
	forModes(t, testMul)
}

// forModes runs test with every combination of the kernels (useAVX) and
// fused multiply-adds (useFMA) the CPU allows: the Go loops with and
// without FMA everywhere.
func forModes(t *testing.T, test func(*testing.T)) {
	avx, fma := useAVX, useFMA
	defer func() { useAVX, useFMA = avx, fma }()
	for _, m := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		if (m[0] && !avx) || (m[1] && !fma && m[0]) {
			continue
		}
		useAVX, useFMA = m[0], m[1]
		test(t)
	}
}

func testMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 34; n++ {
		a, b := make([]float64, n*n), make([]float64, n*n)
		for i := range a {
			a[i], b[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		l := make([]float64, n*n)
		for i := range n {
			copy(l[i*n:i*n+i+1], a[i*n:i*n+i+1])
		}
		// A symmetric product: a·diag(d)·aᵀ as (a·diag(d))·aᵀ.
		ad, at := make([]float64, n*n), make([]float64, n*n)
		for i := range n {
			for j := range n {
				ad[i*n+j] = a[i*n+j] * float64(j+1)
				at[j*n+i] = a[i*n+j]
			}
		}
		// l·s·lᵀ with s symmetric: z = l·s, then l·zᵀ.
		s := make([]float64, n*n)
		for i := range n {
			for j := range n {
				s[i*n+j] = b[i*n+j] + b[j*n+i]
			}
		}
		zt := naiveMul(l, s, n, true, useFMA)
		transpose(zt, append([]float64(nil), zt...), n)
		for _, c := range []struct {
			name       string
			f          func(dst, a, b []float64, n int)
			a, b       []float64
			lower, sym bool
		}{
			{"Mul", Mul, a, b, false, false},
			{"MulLower", MulLower, l, b, true, false},
			{"MulSym", MulSym, ad, at, false, true},
			{"MulLowerSym", MulLowerSym, l, zt, true, true},
		} {
			want := naiveMul(c.a, c.b, n, c.lower, useFMA)
			if c.sym {
				for i := range n {
					for j := range i {
						want[i*n+j] = want[j*n+i]
					}
				}
			}
			got := make([]float64, n*n)
			for i := range got {
				got[i] = 99 // every entry must be written
			}
			c.f(got, c.a, c.b, n)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s (AVX %v, FMA %v) n=%d: entry (%d,%d) = %v, want %v", c.name, useAVX, useFMA, n, i/n, i%n, got[i], want[i])
				}
			}
		}
	}
}

func benchMul(b *testing.B, n int, gonum bool) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y, z := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	for i := range x {
		x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	g := func(d []float64) blas64.General { return blas64.General{Rows: n, Cols: n, Stride: n, Data: d} }
	for b.Loop() {
		if gonum {
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, g(x), g(y), 0, g(z))
		} else {
			Mul(z, x, y, n)
		}
	}
}

func BenchmarkMul64(b *testing.B)      { benchMul(b, 64, false) }
func BenchmarkGonumMul64(b *testing.B) { benchMul(b, 64, true) }
func BenchmarkMul24(b *testing.B)      { benchMul(b, 24, false) }
func BenchmarkGonumMul24(b *testing.B) { benchMul(b, 24, true) }
