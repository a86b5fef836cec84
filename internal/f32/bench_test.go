package f32

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/bcikit/bcikit/internal/parallel"
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

// setPath runs the benchmark on the assembly or the portable kernels.
func setPath(b *testing.B, generic bool) {
	old := Generic
	Generic = generic
	b.Cleanup(func() { Generic = old })
}

var paths = []struct {
	name    string
	generic bool
}{{"native", false}, {"generic", true}}

// BenchmarkCorrelate times the single-row kernels on EEGNet's temporal
// convolution row (480 samples, 64 taps, "same"), in GFLOPS (2·k
// flops per output or weight-gradient term).
func BenchmarkCorrelate(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	n, k, pad := 480, 64, 31
	x, w, y := randSlice(r, n), randSlice(r, k), randSlice(r, n)
	flops := 2 * float64(n) * float64(k)
	for _, p := range paths {
		b.Run("Forward/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			b.ReportAllocs()
			for range b.N {
				Correlate(y, x, w, pad)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
		b.Run("GradInput/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				CorrelateGradInput(x, y, w, pad)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
		b.Run("GradKernel/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				CorrelateGradKernel(w, x, y, pad)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

// BenchmarkConv1D times a bank of EEGNet's 8 temporal filters (64 taps,
// "same") on one 480-sample row: the work of one EEG channel of one trial.
func BenchmarkConv1D(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	n, nf, k, pad := 480, 8, 64, 31
	x, w, y := randSlice(r, n), randSlice(r, nf*k), randSlice(r, nf*n)
	dw, dx := make([]float32, nf*k), make([]float32, n)
	flops := 2 * float64(nf*n*k)
	var c Conv1D
	for _, p := range paths {
		b.Run("Forward/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				c.Forward(y, n, n, x, w, k, 1, pad, 0)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
		b.Run("GradKernel/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				c.GradKernel(dw, x, y, n, n, k, 1, pad, 1)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
		b.Run("GradInput/"+p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				c.GradInput(dx, y, n, n, w, k, 1, pad, 0)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func BenchmarkDot(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	x, y := randSlice(r, 4096), randSlice(r, 4096)
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			setPath(b, p.generic)
			var s float32
			for range b.N {
				s += Dot(x, y)
			}
			b.ReportMetric(2*4096*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func BenchmarkAxpy(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	x, y := randSlice(r, 4096), randSlice(r, 4096)
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				Axpy(1e-3, x, y)
			}
			b.ReportMetric(2*4096*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

// BenchmarkBatchNorm times the helpers of a batch normalisation on one
// plane of EEGNet's first layer (64 channels × 480 samples), in
// elements per second.
func BenchmarkBatchNorm(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	n := 64 * 480
	x, y, d := randSlice(r, n), randSlice(r, n), make([]float32, n)
	for _, p := range paths {
		for _, op := range []struct {
			name string
			f    func()
		}{
			{"MeanVar", func() { MeanVar(x) }},
			{"Sum", func() { Sum(x) }},
			{"ScaleShift", func() { ScaleShift(d, x, 1.5, 0.5) }},
			{"AddScaled", func() { AddScaled(d, x, -0.5, y) }},
			{"SumDot", func() { SumDot(x, y) }},
			{"LinComb", func() { LinComb(d, 0.5, x, -0.5, y, 1) }},
		} {
			b.Run(op.name+"/"+p.name, func(b *testing.B) {
				setPath(b, p.generic)
				for range b.N {
					op.f()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
			})
		}
	}
}

func BenchmarkELU(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	n := 16 * 480
	x, y := randSlice(r, n), make([]float32, n)
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) {
			setPath(b, p.generic)
			for range b.N {
				ELU(y, x, 1)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
		})
	}
}

// BenchmarkEEGNetConv1 times EEGNet's temporal convolution (8 filters ×
// 64 taps, "same", 480 samples) over a batch of 64 trials × 64 channels
// with Conv1D, forward and weight gradient, on 1 or 2 workers (one
// Conv1D each, trials split between them): the work PyTorch's
// Conv2d(1, 8, (1, 64), padding="same") does on a (64, 1, 64, 480) batch.
// testdata/compare/compare_torch.sh runs it beside PyTorch.
func BenchmarkEEGNetConv1(b *testing.B) {
	r := rand.New(rand.NewPCG(13, 14))
	const trials, chans, n, nf, k, pad = 64, 64, 480, 8, 64, 31
	x := randSlice(r, trials*chans*n)
	w := randSlice(r, nf*k)
	y := make([]float32, trials*nf*chans*n)
	dy := randSlice(r, len(y))
	for _, workers := range []int{1, 2} {
		dws := make([][]float32, workers)
		convs := make([]Conv1D, workers)
		for i := range dws {
			dws[i] = make([]float32, nf*k)
		}
		run := func(bwd bool) {
			parallel.ForEach(workers, workers, func(_, wk int) {
				c := &convs[wk]
				for s := wk * trials / workers; s < (wk+1)*trials/workers; s++ {
					for ch := range chans {
						xr := x[(s*chans+ch)*n : (s*chans+ch+1)*n]
						// y[s, f, ch, :] has row stride chans·n between filters.
						o := s*nf*chans*n + ch*n
						if bwd {
							c.GradKernel(dws[wk], xr, dy[o:], n, chans*n, k, 1, pad, 1)
						} else {
							c.Forward(y[o:], n, chans*n, xr, w, k, 1, pad, 0)
						}
					}
				}
			})
		}
		flops := 2 * float64(trials*chans*nf*n*k)
		for _, bwd := range []bool{false, true} {
			name := "Forward"
			if bwd {
				name = "GradKernel"
			}
			b.Run(fmt.Sprintf("%s/workers=%d", name, workers), func(b *testing.B) {
				for range b.N {
					run(bwd)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}
