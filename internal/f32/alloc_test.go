package f32

import (
	"math/rand/v2"
	"testing"
)

// TestNoAllocs checks that the kernels a training loop calls allocate
// nothing in steady state. Scratch memory comes from sync.Pools, which a
// garbage collection may empty, so an occasional refill is tolerated: the
// average must stay below 0.1 allocations per call.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	r := rand.New(rand.NewPCG(41, 42))
	a, b, c := randSlice(r, 64*480), randSlice(r, 64*480), randSlice(r, 64*480)
	x, w, y := randSlice(r, 480), randSlice(r, 8*64), randSlice(r, 8*480)
	var conv Conv1D
	for name, f := range map[string]func(){
		"GemmSerial":     func() { GemmSerial(false, false, 8, 480, 64, 1, a, 64, b, 480, 0, c, 480) },
		"GemmSerialNT":   func() { GemmSerial(false, true, 8, 64, 480, 1, a, 480, b, 480, 0, c, 64) },
		"GemmSerialTN":   func() { GemmSerial(true, false, 64, 480, 8, 1, a, 64, b, 480, 0, c, 480) },
		"GemmSerialPack": func() { GemmSerial(false, false, 40, 40, 40, 1, a, 40, b, 40, 1, c, 40) },
		"GemmSmall":      func() { Gemm(false, false, 4, 4, 4, 1, a, 4, b, 4, 0, c, 4) },
		"Forward":        func() { conv.Forward(y, 480, 480, x, w, 64, 1, 31, 0) },
		"GradKernel":     func() { conv.GradKernel(w, x, y, 480, 480, 64, 1, 31, 1) },
		"GradInput":      func() { conv.GradInput(x, y, 480, 480, w, 64, 1, 31, 0) },
		"Correlate":      func() { Correlate(y[:480], x, w[:64], 31) },
		"CorrGradInput":  func() { CorrelateGradInput(x, y[:480], w[:64], 31) },
		"CorrGradKernel": func() { CorrelateGradKernel(w[:64], x, y[:480], 31) },
		"Dot":            func() { Dot(a, b) },
		"SumDot":         func() { SumDot(a, b) },
		"LinComb":        func() { LinComb(c, 0.5, a, 2, b, 1) },
		"MeanVar":        func() { MeanVar(a) },
		"ELU":            func() { ELU(c, a, 1) },
		"Axpy":           func() { Axpy(0.5, a, b) },
		"AdamStep":       func() { AdamStep(a[:100], b[:100], c[:100], y[:100], 1e-3, 0.9, 0.999, 1e-8, 0, 0.1, 0.01) },
	} {
		if n := testing.AllocsPerRun(100, f); n >= 0.1 {
			t.Errorf("%s: %.2f allocations per call", name, n)
		}
	}
}
