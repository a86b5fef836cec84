package f32

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func testGemmCase(t *testing.T, r *rand.Rand, transA, transB bool, m, n, k, extra int, alpha, beta float32) {
	t.Helper()
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	lda, ldb, ldc := max(1, ac)+extra, max(1, bc)+extra, max(1, n)+extra
	a := randSlice(r, max(0, (ar-1)*lda+ac))
	b := randSlice(r, max(0, (br-1)*ldb+bc))
	c := randSlice(r, max(0, (m-1)*ldc+n))
	if beta == 0 {
		for i := range c {
			if i%3 == 0 {
				c[i] = float32(math.NaN())
			}
		}
	}
	c0 := append([]float32(nil), c...)
	want, mag := gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	for i := range m {
		for j := range n {
			got := c[i*ldc+j]
			if !closeTo(got, want[i*n+j], mag[i*n+j]) {
				t.Fatalf("tA=%v tB=%v m=%d n=%d k=%d ld+%d alpha=%g beta=%g: C[%d,%d] = %g, want %g (mag %g)",
					transA, transB, m, n, k, extra, alpha, beta, i, j, got, want[i*n+j], mag[i*n+j])
			}
		}
		// Padding between rows is untouched.
		for j := n; j < ldc && i*ldc+j < len(c); j++ {
			if c[i*ldc+j] != c0[i*ldc+j] && !(math.IsNaN(float64(c[i*ldc+j])) && math.IsNaN(float64(c0[i*ldc+j]))) {
				t.Fatalf("m=%d n=%d k=%d: C padding [%d,%d] changed", m, n, k, i, j)
			}
		}
	}
}

func TestGemm(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		sizes := []int{0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 23, 31, 33, 48, 64, 65}
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for range 60 {
					m := sizes[r.IntN(len(sizes))]
					n := sizes[r.IntN(len(sizes))]
					k := sizes[r.IntN(len(sizes))]
					extra := r.IntN(2) * (1 + r.IntN(5))
					alphas := []float32{1, -0.5, 0, 2.5}
					betas := []float32{0, 1, -1.5, 0.25}
					testGemmCase(t, r, tA, tB, m, n, k, extra, alphas[r.IntN(4)], betas[r.IntN(4)])
				}
			}
		}
	})
}

func TestGemmLarge(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		// Shapes crossing each cache block (mc = 128 rows, kc = 256,
		// nc = 4080 columns, the dot path's 1024) and EEGNet's im2col
		// shapes, shortened.
		for _, s := range [][3]int{{8, 600, 64}, {16, 8, 1500}, {130, 30, 260}, {20, 4200, 5}, {5, 4100, 3}, {8, 64, 1100}, {37, 50, 600}} {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					testGemmCase(t, r, tA, tB, s[0], s[1], s[2], 3, 1, 0.5)
				}
			}
		}
	})
}

func TestGemmPanics(t *testing.T) {
	cases := []struct {
		name string
		f    func()
	}{
		{"negative", func() { Gemm(false, false, -1, 1, 1, 1, nil, 1, nil, 1, 0, nil, 1) }},
		{"lda", func() {
			Gemm(false, false, 2, 2, 3, 1, make([]float32, 6), 2, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		}},
		{"short A", func() {
			Gemm(false, false, 2, 2, 3, 1, make([]float32, 5), 3, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		}},
		{"short C", func() {
			Gemm(false, false, 2, 2, 3, 1, make([]float32, 6), 3, make([]float32, 6), 2, 0, make([]float32, 3), 2)
		}},
		{"short Bt", func() {
			Gemm(false, true, 2, 2, 3, 1, make([]float32, 6), 3, make([]float32, 5), 3, 0, make([]float32, 4), 2)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s := fmt.Sprint(r); len(s) < 5 || s[:4] != "f32:" {
					t.Fatalf("panic %q lacks the f32: prefix", s)
				}
			}()
			c.f()
		})
	}
}

// TestGemmBlockedKernels runs the blocking and packing with every
// micro-kernel the CPU runs (portable Go, AVX2, AVX-512), so each is
// checked whichever one Gemm picks, and the blocking apart from the
// assembly.
func TestGemmBlockedKernels(t *testing.T) {
	for name, kern := range microKernels() {
		r := rand.New(rand.NewPCG(21, 22))
		for range 30 {
			m, n, k := 1+r.IntN(40), 1+r.IntN(110), 1+r.IntN(300)
			if r.IntN(4) == 0 {
				m = 100 + r.IntN(60) // past mc = 128 rows
			}
			tA, tB := r.IntN(2) == 1, r.IntN(2) == 1
			ar, ac := m, k
			if tA {
				ar, ac = k, m
			}
			br, bc := k, n
			if tB {
				br, bc = n, k
			}
			lda, ldb, ldc := ac+1, bc+2, n+3
			a, b, c := randSlice(r, (ar-1)*lda+ac), randSlice(r, (br-1)*ldb+bc), randSlice(r, (m-1)*ldc+n)
			beta := []float32{0, 1, 0.5}[r.IntN(3)]
			want, mag := gemmRef(tA, tB, m, n, k, 1.5, a, lda, b, ldb, beta, c, ldc)
			gemmBlocked(kern, 1+r.IntN(3), tA, tB, m, n, k, 1.5, a, lda, b, ldb, beta, c, ldc)
			for i := range m {
				for j := range n {
					if !closeTo(c[i*ldc+j], want[i*n+j], mag[i*n+j]) {
						t.Fatalf("%s m=%d n=%d k=%d tA=%v tB=%v beta=%g: C[%d,%d] = %g, want %g", name, m, n, k, tA, tB, beta, i, j, c[i*ldc+j], want[i*n+j])
					}
				}
			}
		}
	}
}

// TestGemmNT runs the dot-product path for A·Bᵀ on the portable and
// (where it runs) the assembly kernel, over partial tiles and k that is
// not a multiple of 8 or spans several blocks.
func TestGemmNT(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for name, kern := range dotKernels() {
		for range 30 {
			m, n := 1+r.IntN(20), 1+r.IntN(20)
			k := 1 + r.IntN(2500)
			lda, ldb, ldc := k+r.IntN(3), k+r.IntN(3), n+r.IntN(3)
			a, b, c := randSlice(r, (m-1)*lda+k), randSlice(r, (n-1)*ldb+k), randSlice(r, (m-1)*ldc+n)
			alpha, beta := float32(0.75), []float32{0, 1, -2}[r.IntN(3)]
			if beta == 0 {
				c[0] = float32(math.NaN()) // not read
			}
			want, mag := gemmRef(false, true, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			gemmNT(kern, 1+r.IntN(3), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			for i := range m {
				for j := range n {
					if !closeTo(c[i*ldc+j], want[i*n+j], mag[i*n+j]) {
						t.Fatalf("%s m=%d n=%d k=%d: C[%d,%d] = %g, want %g", name, m, n, k, i, j, c[i*ldc+j], want[i*n+j])
					}
				}
			}
		}
	}
}

func TestGemmSerial(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	m, n, k := 70, 90, 110
	a, b := randSlice(r, m*k), randSlice(r, k*n)
	c1, c2 := make([]float32, m*n), make([]float32, m*n)
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c1, n)
	GemmSerial(false, false, m, n, k, 1, a, k, b, n, 0, c2, n)
	want, mag := gemmRef(false, false, m, n, k, 1, a, k, b, n, 0, c1, n)
	for i := range c2 {
		if !closeTo(c2[i], want[i], mag[i]) || c1[i] != c2[i] {
			t.Fatalf("[%d]: serial %g, parallel %g, want %g", i, c2[i], c1[i], want[i])
		}
	}
}

// TestGemmConcurrent runs large products from several goroutines at once
// (as a layer's workers do): each result must equal the same product run
// alone, and the count of running calls must come back to zero.
func TestGemmConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	const m, n, k, g = 64, 200, 96, 4
	a, b := randSlice(r, m*k), randSlice(r, k*n)
	want := make([]float32, m*n)
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
	got := make([][]float32, g)
	done := make(chan int)
	for i := range g {
		got[i] = make([]float32, m*n)
		go func() {
			for range 5 {
				Gemm(false, false, m, n, k, 1, a, k, b, n, 0, got[i], n)
			}
			done <- i
		}()
	}
	for range g {
		i := <-done
		for j := range want {
			if got[i][j] != want[j] {
				t.Fatalf("goroutine %d: C[%d] = %g, alone %g", i, j, got[i][j], want[j])
			}
		}
	}
	if v := inFlight.Load(); v != 0 {
		t.Fatalf("%d Gemm calls still counted as running", v)
	}
}
