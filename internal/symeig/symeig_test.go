package symeig

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomSym returns a random symmetric n×n matrix (row-major, full), with
// some repeated eigenvalues when degenerate is set.
func randomSym(n int, seed uint64, degenerate bool) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	q := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			q.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(q)
	var Q mat.Dense
	qr.QTo(&Q)
	lam := make([]float64, n)
	for i := range lam {
		lam[i] = math.Exp(3 * rng.NormFloat64())
		if degenerate && i%3 == 1 {
			lam[i] = lam[i-1]
		}
	}
	a := make([]float64, n*n)
	for i := range n {
		for j := range n {
			s := 0.0
			for k := range n {
				s += Q.At(i, k) * lam[k] * Q.At(j, k)
			}
			a[i*n+j] = s
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			a[j*n+i] = a[i*n+j]
		}
	}
	return a
}

// TestAgainstGonum checks the decomposition against gonum's EigenSym
// (LAPACK dsyev): the same eigenvalues within 1e-13 of the largest, and
// A·v = λ·v with orthonormal vectors within 1e-12.
func TestAgainstGonum(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 64, 130} {
		for _, deg := range []bool{false, true} {
			a := randomSym(n, uint64(n), deg)
			orig := append([]float64(nil), a...)
			var es mat.EigenSym
			if !es.Factorize(mat.NewSymDense(n, append([]float64(nil), a...)), false) {
				t.Fatal("gonum failed")
			}
			want := es.Values(nil)
			w := NewWork(n)
			vals := make([]float64, n)
			if !w.Eigen(a, vals, true) {
				t.Fatalf("n=%d: no convergence", n)
			}
			scale := math.Abs(want[n-1])
			for i := range vals {
				if math.Abs(vals[i]-want[i]) > 1e-13*scale {
					t.Fatalf("n=%d: eigenvalue %d: %v, gonum %v", n, i, vals[i], want[i])
				}
			}
			for j := range n {
				for i := range n {
					av := 0.0
					for k := range n {
						av += orig[i*n+k] * a[k*n+j]
					}
					if math.Abs(av-vals[j]*a[i*n+j]) > 1e-12*scale {
						t.Fatalf("n=%d: A v != λ v at (%d, %d)", n, i, j)
					}
				}
				for k := range n {
					dot := 0.0
					for i := range n {
						dot += a[i*n+j] * a[i*n+k]
					}
					want := 0.0
					if j == k {
						want = 1
					}
					if math.Abs(dot-want) > 1e-12 {
						t.Fatalf("n=%d: vectors %d, %d not orthonormal: %v", n, j, k, dot)
					}
				}
			}
			// Values only.
			b := append([]float64(nil), orig...)
			v2 := make([]float64, n)
			if !w.Eigen(b, v2, false) {
				t.Fatal("values only failed")
			}
			for i := range v2 {
				if math.Abs(v2[i]-want[i]) > 1e-13*scale {
					t.Fatalf("n=%d values only: %v vs %v", n, v2[i], want[i])
				}
			}
		}
	}
}

func TestNaN(t *testing.T) {
	a := randomSym(5, 1, false)
	a[7] = math.NaN()
	vals := make([]float64, 5)
	if NewWork(5).Eigen(a, vals, true) {
		t.Error("NaN input converged")
	}
}

func BenchmarkEigen256(b *testing.B) {
	a := randomSym(256, 9, false)
	w := NewWork(256)
	vals := make([]float64, 256)
	buf := make([]float64, len(a))
	for b.Loop() {
		copy(buf, a)
		w.Eigen(buf, vals, true)
	}
}

func BenchmarkGonumEigen256(b *testing.B) {
	a := randomSym(256, 9, false)
	s := mat.NewSymDense(256, nil)
	var es mat.EigenSym
	for b.Loop() {
		for i := range 256 {
			for j := i; j < 256; j++ {
				s.SetSym(i, j, a[i*256+j])
			}
		}
		es.Factorize(s, true)
	}
}

// TestRotateKernel checks the vector kernel against the Go loop, bit for
// bit, at every length around the vector width.
func TestRotateKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for n := 0; n < 23; n++ {
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		x2, y2 := append([]float64(nil), x...), append([]float64(nil), y...)
		c, s := 0.6, -0.8
		rotate(x, y, c, s)
		rotateGo(x2, y2, c, s)
		for i := range x {
			if x[i] != x2[i] || y[i] != y2[i] {
				t.Fatalf("n=%d: element %d differs", n, i)
			}
		}
	}
}

// TestSweepKernel checks the batched rotations of a QL sweep against
// rotateGo one rotation at a time, bit for bit, at every width around the
// kernels' strips.
func TestSweepKernel(t *testing.T) {
	forModes(t, testSweep)
}

func testSweep(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	rot := rotateGo
	if useFMA {
		rot = rotateFMA
	}
	for n := 2; n < 40; n++ {
		vt := make([]float64, n*n)
		for i := range vt {
			vt[i] = rng.NormFloat64()
		}
		c, s := make([]float64, n), make([]float64, n)
		for i := range c {
			a := rng.Float64() * 6
			c[i], s[i] = math.Cos(a), math.Sin(a)
		}
		for _, lh := range [][2]int{{0, n - 1}, {n / 3, n - 1}, {0, n / 2}, {1, min(2, n-1)}} {
			lo, hi := lh[0], lh[1]
			want := append([]float64(nil), vt...)
			for i := hi - 1; i >= lo; i-- {
				rot(want[i*n:(i+1)*n], want[(i+1)*n:(i+2)*n], c[i], s[i])
			}
			got := append([]float64(nil), vt...)
			sweep(got, n, lo, hi, c, s)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("AVX %v FMA %v n=%d rotations %d..%d: element (%d,%d) differs", useAVX, useFMA, n, lo, hi, i/n, i%n)
				}
			}
		}
	}
}

// TestEigenPair checks that two decompositions interleaved give, bit for
// bit, what each gives alone, for matrices of different sizes of
// spectrum and convergence, and that a failure stays with its matrix.
func TestEigenPair(t *testing.T) {
	for _, n := range []int{1, 2, 5, 24, 64} {
		w1, w2 := NewWork(n), NewWork(n)
		for k := range 3 {
			a := randomSym(n, uint64(10*n+k), k == 1)
			b := randomSym(n, uint64(20*n+k), k == 2)
			if k == 2 && n > 1 {
				b[1] = math.NaN()
			}
			wantA, wantB := append([]float64(nil), a...), append([]float64(nil), b...)
			va, vb := make([]float64, n), make([]float64, n)
			okA, okB := w1.Eigen(wantA, va, true), w1.Eigen(wantB, vb, true)
			ga, gb := append([]float64(nil), a...), append([]float64(nil), b...)
			ua, ub := make([]float64, n), make([]float64, n)
			gotA, gotB := w1.EigenPair(w2, ga, ua, gb, ub)
			if gotA != okA || gotB != okB {
				t.Fatalf("n=%d case %d: pair reports %v, %v; alone %v, %v", n, k, gotA, gotB, okA, okB)
			}
			for _, c := range [][2][]float64{{va, ua}, {vb, ub}, {wantA, ga}, {wantB, gb}} {
				if !okB && (&c[0][0] == &vb[0] || &c[0][0] == &wantB[0]) {
					continue
				}
				for i := range c[0] {
					if c[0][i] != c[1][i] && !(math.IsNaN(c[0][i]) && math.IsNaN(c[1][i])) {
						t.Fatalf("n=%d case %d: element %d: pair %v, alone %v", n, k, i, c[1][i], c[0][i])
					}
				}
			}
		}
	}
}

// benchEigen decomposes random n×n matrices one at a time or two at a
// time (EigenPair); ns/op is per two matrices in both.
func benchEigen(b *testing.B, n int, pair bool) {
	a1, a2 := randomSym(n, 9, false), randomSym(n, 10, false)
	w1, w2 := NewWork(n), NewWork(n)
	v1, v2 := make([]float64, n), make([]float64, n)
	b1, b2 := make([]float64, n*n), make([]float64, n*n)
	for b.Loop() {
		copy(b1, a1)
		copy(b2, a2)
		if pair {
			w1.EigenPair(w2, b1, v1, b2, v2)
		} else {
			w1.Eigen(b1, v1, true)
			w1.Eigen(b2, v2, true)
		}
	}
}

func BenchmarkEigenTwo24(b *testing.B)  { benchEigen(b, 24, false) }
func BenchmarkEigenPair24(b *testing.B) { benchEigen(b, 24, true) }
func BenchmarkEigenTwo64(b *testing.B)  { benchEigen(b, 64, false) }
func BenchmarkEigenPair64(b *testing.B) { benchEigen(b, 64, true) }
