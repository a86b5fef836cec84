package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzGemm compares Gemm with the float64 reference on shapes, strides,
// transposes and scalars the fuzzer picks (m and n up to 80, k up to 700
// so that the A·Bᵀ dot-product path is reached too, each check fast),
// with the tolerance of TestGemm.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(8), uint8(30), uint16(64), uint8(0), uint8(0), float32(1), float32(0), uint64(1))
	f.Add(uint8(5), uint8(25), uint16(3), uint8(3), uint8(2), float32(-0.5), float32(1), uint64(2))
	f.Add(uint8(0), uint8(7), uint16(9), uint8(1), uint8(1), float32(2), float32(0.5), uint64(3))
	f.Add(uint8(13), uint8(1), uint16(0), uint8(2), uint8(4), float32(0), float32(-1), uint64(4))
	f.Add(uint8(8), uint8(64), uint16(600), uint8(2), uint8(0), float32(1), float32(1), uint64(5))
	f.Fuzz(func(t *testing.T, m, n uint8, k uint16, flags, extra uint8, alpha, beta float32, seed uint64) {
		if math.IsNaN(float64(alpha)) || math.IsInf(float64(alpha), 0) || math.Abs(float64(alpha)) > 1e3 ||
			math.IsNaN(float64(beta)) || math.IsInf(float64(beta), 0) || math.Abs(float64(beta)) > 1e3 {
			t.Skip()
		}
		r := rand.New(rand.NewPCG(seed, 7))
		for _, generic := range []bool{false, true} {
			Generic = generic
			testGemmCase(t, r, flags&1 != 0, flags&2 != 0, int(m%81), int(n%81), int(k%701), int(extra%6), alpha, beta)
		}
		Generic = false
	})
}

// FuzzConv1D compares Conv1D's three methods, on both paths, with the
// direct sums for geometries the fuzzer picks.
func FuzzConv1D(f *testing.F) {
	f.Add(uint16(480), uint8(8), uint8(64), uint8(1), uint8(31), int8(0), uint64(1))
	f.Add(uint16(10), uint8(3), uint8(7), uint8(3), uint8(20), int8(5), uint64(2))
	f.Add(uint16(1), uint8(1), uint8(1), uint8(1), uint8(0), int8(-1), uint64(3))
	f.Fuzz(func(t *testing.T, n uint16, nf, k, dil, pad uint8, dny int8, seed uint64) {
		N, NF, K, D, P := 1+int(n%600), 1+int(nf%12), 1+int(k%80), 1+int(dil%4), int(pad%100)
		ny := N + 2*P - D*(K-1) + int(dny%8)
		if ny < 1 {
			t.Skip()
		}
		r := rand.New(rand.NewPCG(seed, 9))
		x, w, dy := randSlice(r, N), randSlice(r, NF*K), randSlice(r, NF*ny)
		var ref [3][]float32
		for pi, generic := range []bool{true, false} {
			Generic = generic
			var c Conv1D
			y := make([]float32, NF*ny)
			c.Forward(y, ny, ny, x, w, K, D, P, 0)
			dw := make([]float32, NF*K)
			c.GradKernel(dw, x, dy, ny, ny, K, D, P, 0)
			dx := make([]float32, N)
			c.GradInput(dx, dy, ny, ny, w, K, D, P, 0)
			if pi == 0 {
				ref = [3][]float32{y, dw, dx}
				continue
			}
			// Both paths sum the same terms in different orders: compare
			// them within tol of the sum of |terms|, bounded by
			// ‖row‖·‖kernel‖ (Cauchy–Schwarz).
			bound := norm(x) * norm(w)
			for q, got := range [3][]float32{y, dw, dx} {
				bq := bound
				if q > 0 {
					bq = norm(dy) * []float64{0, norm(x), norm(w)}[q]
				}
				for i := range got {
					if math.Abs(float64(got[i]-ref[q][i])) > 4*tol*bq+1e-30 {
						t.Fatalf("N=%d NF=%d K=%d D=%d P=%d ny=%d: output %d [%d]: native %g, generic %g",
							N, NF, K, D, P, ny, q, i, got[i], ref[q][i])
					}
				}
			}
		}
		Generic = false
	})
}

func norm(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}
