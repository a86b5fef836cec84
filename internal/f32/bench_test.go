package f32

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchGemm reports GFLOPS (2·m·n·k per call) of Gemm on the given
// number of cores (GOMAXPROCS).
func benchGemm(b *testing.B, procs int, transA, transB bool, m, n, k int) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	r := rand.New(rand.NewPCG(1, 1))
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	a, bm, c := randSlice(r, ar*ac), randSlice(r, br*bc), make([]float32, m*n)
	b.ResetTimer()
	for range b.N {
		Gemm(transA, transB, m, n, k, 1, a, ac, bm, bc, 0, c, n)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}

// gemmShapes are a square case and the products of EEGNet's temporal
// convolution done as im2col on one trial (8 filters × 64 taps ×
// 64 channels·480 samples): forward, weight gradient, input gradient.
var gemmShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
}{
	{"256", false, false, 256, 256, 256},
	{"256TT", true, true, 256, 256, 256},
	{"256NT", false, true, 256, 256, 256},
	{"64x64x4096NT", false, true, 64, 64, 4096},
	{"EEGNetFwd", false, false, 8, 64 * 480, 64},
	{"EEGNetGradW", false, true, 8, 64, 64 * 480},
	{"EEGNetGradX", true, false, 64, 64 * 480, 8},
}

func BenchmarkGemm(b *testing.B) {
	for _, s := range gemmShapes {
		for _, procs := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/cores=%d", s.name, procs), func(b *testing.B) {
				benchGemm(b, procs, s.transA, s.transB, s.m, s.n, s.k)
			})
		}
	}
}

func BenchmarkGemmGeneric(b *testing.B) {
	Generic = true
	defer func() { Generic = false }()
	benchGemm(b, 1, false, false, 256, 256, 256)
}
