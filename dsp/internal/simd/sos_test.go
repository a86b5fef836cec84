package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// scalarSOS is SciPy's _sosfilt for one channel.
func scalarSOS(coef, x, z []float64) {
	nsec := len(coef) / 5
	for i, xc := range x {
		for s := 0; s < nsec; s++ {
			c := coef[5*s:]
			xn := float64(c[0]*xc) + z[2*s]
			z[2*s] = float64(c[1]*xc) - float64(c[3]*xn) + z[2*s+1]
			z[2*s+1] = float64(c[2]*xc) - float64(c[4]*xn)
			xc = xn
		}
		x[i] = xc
	}
}

func TestSOS8MatchesScalarExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, nsec := range []int{1, 2, 4, 7} {
		coef := make([]float64, 5*nsec)
		for s := 0; s < nsec; s++ {
			// A stable section: poles at radius 0.9.
			coef[5*s], coef[5*s+1], coef[5*s+2] = rng.Float64(), rng.Float64()-0.5, rng.Float64()
			coef[5*s+3], coef[5*s+4] = -1.8*rng.Float64()*0.9, 0.81
		}
		const n = 1001
		lanes := make([][]float64, SOSLanes)
		state := make([][]float64, SOSLanes)
		x := make([]float64, SOSLanes*n)
		z := make([]float64, 2*SOSLanes*nsec)
		for l := range lanes {
			lanes[l] = make([]float64, n)
			state[l] = make([]float64, 2*nsec)
			for i := range lanes[l] {
				lanes[l][i] = rng.NormFloat64()
				x[SOSLanes*i+l] = lanes[l][i]
			}
			for s := 0; s < nsec; s++ {
				state[l][2*s], state[l][2*s+1] = rng.NormFloat64(), rng.NormFloat64()
				z[16*s+l], z[16*s+8+l] = state[l][2*s], state[l][2*s+1]
			}
		}
		xg := append([]float64(nil), x...)
		zg := append([]float64(nil), z...)
		SOS8(coef, x, z)
		sos8Go(coef, xg, zg, nsec, false)
		for l := range lanes {
			scalarSOS(coef, lanes[l], state[l])
			for i := range lanes[l] {
				if x[SOSLanes*i+l] != lanes[l][i] || xg[SOSLanes*i+l] != lanes[l][i] {
					t.Fatalf("nsec %d lane %d sample %d: kernel %v, go %v, scalar %v (avx %v)", nsec, l, i, x[SOSLanes*i+l], xg[SOSLanes*i+l], lanes[l][i], HasAVX())
				}
			}
			for s := 0; s < nsec; s++ {
				if z[16*s+l] != state[l][2*s] || z[16*s+8+l] != state[l][2*s+1] {
					t.Fatalf("nsec %d lane %d: final state differs", nsec, l)
				}
			}
		}
	}
}

func TestSOS8ReverseIsReversedForward(t *testing.T) {
	coef := []float64{0.2, 0.1, -0.3, -1.2, 0.5, 1, -2, 1, -1.5, 0.7}
	const n = 333
	x := make([]float64, SOSLanes*n)
	for i := range x {
		x[i] = float64((i*7919)%101) - 50
	}
	rev := make([]float64, len(x))
	for k := 0; k < n; k++ {
		copy(rev[SOSLanes*k:SOSLanes*k+SOSLanes], x[SOSLanes*(n-1-k):SOSLanes*(n-k)])
	}
	for _, avx := range []bool{true, false} {
		a, b := append([]float64(nil), x...), append([]float64(nil), rev...)
		za, zb := make([]float64, 32), make([]float64, 32)
		if avx {
			SOS8Reverse(coef, a, za)
			SOS8(coef, b, zb)
		} else {
			sos8Go(coef, a, za, 2, true)
			sos8Go(coef, b, zb, 2, false)
		}
		for k := 0; k < n; k++ {
			for l := 0; l < SOSLanes; l++ {
				if a[SOSLanes*k+l] != b[SOSLanes*(n-1-k)+l] {
					t.Fatalf("avx=%v sample %d lane %d: reverse %v, forward on reversed %v", avx, k, l, a[SOSLanes*k+l], b[SOSLanes*(n-1-k)+l])
				}
			}
		}
	}
}

func BenchmarkSOS8(b *testing.B) {
	const nsec, n = 4, 20000
	coef := []float64{0.1, 0, -0.1, -1.5, 0.8, 1, 0, -1, -1.6, 0.85, 1, 0, -1, -1.7, 0.9, 1, 0, -1, -1.75, 0.95}
	x := make([]float64, SOSLanes*n)
	z := make([]float64, 2*SOSLanes*nsec)
	for i := range x {
		x[i] = float64(i%17) - 8
	}
	b.Run("kernel", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			SOS8(coef, x, z)
		}
	})
	b.Run("go", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sos8Go(coef, x, z, nsec, false)
		}
	})
}

// TestSOS8GatherScatter checks the fused kernels against interleaving by
// hand and the plain kernels, for the AVX and the portable code.
func TestSOS8GatherScatter(t *testing.T) {
	const L = SOSLanes
	coef := []float64{0.2, 0.1, -0.3, -1.2, 0.5, 1, -2, 1, -1.5, 0.7, 1, 2, 1, -1.1, 0.4}
	const n, off = 517, 3
	rng := rand.New(rand.NewPCG(7, 8))
	var src, dst [L][]float64
	x := make([]float64, L*n)
	for l := range src {
		src[l] = make([]float64, n+off+5)
		dst[l] = make([]float64, n+off+5)
		for i := range src[l] {
			src[l][i] = rng.NormFloat64()
		}
		for i := 0; i < n; i++ {
			x[L*i+l] = src[l][off+i]
		}
	}
	z0 := make([]float64, 2*L*3)
	for i := range z0 {
		z0[i] = rng.NormFloat64()
	}
	want := append([]float64(nil), x...)
	zw := append([]float64(nil), z0...)
	SOS8(coef, want, zw)
	zmid := append([]float64(nil), zw...)
	SOS8Reverse(coef, want, zw)

	for _, avx := range []bool{true, false} {
		prev := SetAVX(avx)
		got := make([]float64, L*n)
		z := append([]float64(nil), z0...)
		if !SOS8Gather(coef, got, z, &src, off) {
			t.Fatalf("avx=%v: finite input reported as non-finite", avx)
		}
		for i := range z {
			if z[i] != zmid[i] {
				t.Fatalf("avx=%v: state after gather pass differs", avx)
			}
		}
		SOS8ScatterReverse(coef, got, z, &dst, off)
		for l := range dst {
			for i := 0; i < n; i++ {
				if dst[l][off+i] != want[L*i+l] {
					t.Fatalf("avx=%v lane %d sample %d: %v, want %v", avx, l, i, dst[l][off+i], want[L*i+l])
				}
			}
			if dst[l][off-1] != 0 || dst[l][off+n] != 0 {
				t.Fatalf("avx=%v lane %d: wrote outside [off, off+n)", avx, l)
			}
		}
		keep := src[5][off+200]
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			src[5][off+200] = bad
			if SOS8Gather(coef, got, append([]float64(nil), z0...), &src, off) {
				t.Errorf("avx=%v: %v input not reported", avx, bad)
			}
		}
		src[5][off+200] = keep
		SetAVX(prev)
	}
}
