package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The tests compare every kernel with a float64 reference computed from
// the same float32 inputs. A float32 sum of n products differs from the
// exact value by at most about n·ε·Σ|terms| (ε = 2⁻²⁴); the kernels'
// blocked sums do much better. We require
//
//	|got − want| ≤ tol·Σ|terms| + tiny,  tol = 1e-5,
//
// i.e. 1e-5 relative to the magnitude of the sum, for sums of length ≤ 4096.
const tol = 1e-5

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// close reports whether got is within tol·mag (+1e-30) of want.
func closeTo(got float32, want, mag float64) bool {
	return math.Abs(float64(got)-want) <= tol*mag+1e-30
}

// bothPaths runs f with the assembly kernels (where they exist), with
// the AVX2 ones where AVX-512 would run, and with the portable Go ones.
func bothPaths(t *testing.T, f func(t *testing.T)) {
	t.Run("native", f)
	if useAVX512 {
		t.Run("avx2", func(t *testing.T) {
			defer onlyAVX2()()
			f(t)
		})
	}
	t.Run("generic", func(t *testing.T) {
		old := Generic
		Generic = true
		defer func() { Generic = old }()
		f(t)
	})
}

func gemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, mag []float64) {
	want = make([]float64, m*n)
	mag = make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s, am float64
			for p := range k {
				var av, bv float64
				if transA {
					av = float64(a[p*lda+i])
				} else {
					av = float64(a[i*lda+p])
				}
				if transB {
					bv = float64(b[j*ldb+p])
				} else {
					bv = float64(b[p*ldb+j])
				}
				s += av * bv
				am += math.Abs(av * bv)
			}
			w := float64(alpha) * s
			mg := math.Abs(float64(alpha)) * am
			if beta != 0 {
				cv := float64(beta) * float64(c[i*ldc+j])
				w += cv
				mg += math.Abs(cv)
			}
			want[i*n+j] = w
			mag[i*n+j] = mg
		}
	}
	return want, mag
}
