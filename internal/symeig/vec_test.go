package symeig

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVecKernels checks the AVX kernels of the tridiagonal reduction
// against their Go loops, bit for bit, at every length around the vector
// width.
func TestVecKernels(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX")
	}
	defer func(v bool) { useAVX = v }(useAVX)
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 35; n++ {
		x, y, z := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i], z[i] = rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		}
		type out struct {
			d1, d2 float64
			z1, z2 []float64
		}
		run := func(avx bool) out {
			useAVX = avx
			var o out
			o.d1 = dot(x, y)
			z1 := append([]float64(nil), z...)
			o.d2 = dotAxpy(x, y, z1, 0.7)
			axpy(y, z1, -1.3)
			z2 := append([]float64(nil), z...)
			axpy2(z2, x, y, 0.3, -2.1)
			o.z1, o.z2 = z1, z2
			return o
		}
		g, a := run(false), run(true)
		if g.d1 != a.d1 || g.d2 != a.d2 {
			t.Fatalf("n=%d: dot %v/%v, dotAxpy %v/%v (Go/AVX)", n, g.d1, a.d1, g.d2, a.d2)
		}
		for i := range n {
			if g.z1[i] != a.z1[i] || g.z2[i] != a.z2[i] {
				t.Fatalf("n=%d: element %d differs", n, i)
			}
		}
		// And the dot products are dot products.
		var s float64
		for i := range x {
			s += x[i] * y[i]
		}
		if math.Abs(s-g.d1) > 1e-13*float64(n+1) {
			t.Fatalf("n=%d: dot %v, want %v", n, g.d1, s)
		}
	}
}

// TestEigenPaths runs the decomposition on the Go loops and on matrices
// whose entries need LAPACK's rescaling reduction, against gonum as
// TestAgainstGonum does.
func TestEigenPaths(t *testing.T) {
	avx := useAVX
	defer func() { useAVX = avx }()
	useAVX = false
	for _, n := range []int{9, 24, 33} {
		checkEigen(t, randomSym(n, uint64(n), false), n, 1)
	}
	useAVX = avx
	for _, scale := range []float64{0x1p-320, 0x1p+320} {
		a := randomSym(16, 3, false)
		for i := range a {
			a[i] *= scale
		}
		checkEigen(t, a, 16, scale)
	}
}

func checkEigen(t *testing.T, a []float64, n int, scale float64) {
	t.Helper()
	orig := append([]float64(nil), a...)
	vals := make([]float64, n)
	if !NewWork(n).Eigen(a, vals, true) {
		t.Fatalf("n=%d scale %g: no convergence", n, scale)
	}
	var top float64
	for _, v := range vals {
		top = math.Max(top, math.Abs(v))
	}
	for j := range n {
		for i := range n {
			var av float64
			for k := range n {
				av += orig[i*n+k] * a[k*n+j]
			}
			if math.Abs(av-vals[j]*a[i*n+j]) > 1e-12*top {
				t.Fatalf("n=%d scale %g: A v != λ v at (%d, %d)", n, scale, i, j)
			}
		}
		for k := range n {
			var d float64
			for i := range n {
				d += a[i*n+j] * a[i*n+k]
			}
			want := 0.0
			if j == k {
				want = 1
			}
			if math.Abs(d-want) > 1e-12 {
				t.Fatalf("n=%d scale %g: vectors %d, %d not orthonormal: %v", n, scale, j, k, d)
			}
		}
	}
}

// TestTridiagonalizeKernels checks the reduction and Qᵀ on the AVX loops
// against the Go loops, bit for bit, at sizes around the vector width.
func TestTridiagonalizeKernels(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX")
	}
	defer func(v bool) { useAVX = v }(useAVX)
	for n := 1; n < 40; n++ {
		a := randomSym(n, uint64(n+100), n%5 == 0)
		type out struct{ a, d, e, tau, qt []float64 }
		run := func(avx bool) out {
			useAVX = avx
			o := out{append([]float64(nil), a...), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n*n)}
			tridiagonalize(o.a, o.d, o.e, o.tau, make([]float64, n), n)
			formQt(o.qt, o.a, o.tau, n)
			return o
		}
		g, v := run(false), run(true)
		for _, c := range [][2][]float64{{g.a, v.a}, {g.d, v.d}, {g.e[:max(n-1, 0)], v.e[:max(n-1, 0)]}, {g.tau[:max(n-1, 0)], v.tau[:max(n-1, 0)]}, {g.qt, v.qt}} {
			for i := range c[0] {
				if c[0][i] != c[1][i] {
					t.Fatalf("n=%d: element %d differs: Go %v, AVX %v", n, i, c[0][i], c[1][i])
				}
			}
		}
	}
}
