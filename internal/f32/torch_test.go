package f32

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// torchRef is testdata/torch_ref.json, written by testdata/gen/torch_ref.py
// from PyTorch 1.13.
type torchRef struct {
	Conv1D []struct {
		N, NF, K, Dil, Pad, NY int
		X, W, Y, DY, DX, DW    []float32
	} `json:"conv1d"`
	ELU []struct {
		Alpha        float32
		X, Y, DY, DX []float32
	} `json:"elu"`
	Adam []struct {
		Name                string
		LR, B1, B2, Eps, WD float64
		W0, W               []float32
		Grads               [][]float32
	} `json:"adam"`
	MeanVar struct {
		X         []float32
		Mean, Var float64
	} `json:"meanvar"`
}

func loadTorch(t *testing.T) *torchRef {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var r torchRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestTorchConv1D checks Conv1D (and the single-filter Correlate kernels)
// against torch.nn.functional.conv1d and its autograd gradients, with
// the padding conventions of "same" (even kernel: the extra zero on the
// right), braindecode's k/2 padding, "valid" and dilation. Tolerance:
// tol (1e-5) of Σ|terms| of each output, which both float32 results lie
// well within.
func TestTorchConv1D(t *testing.T) {
	ref := loadTorch(t)
	bothPaths(t, func(t *testing.T) {
		var c Conv1D
		for _, g := range ref.Conv1D {
			y := make([]float32, g.NF*g.NY)
			c.Forward(y, g.NY, g.NY, g.X, g.W, g.K, g.Dil, g.Pad, 0)
			dw := make([]float32, g.NF*g.K)
			c.GradKernel(dw, g.X, g.DY, g.NY, g.NY, g.K, g.Dil, g.Pad, 0)
			dx := make([]float32, g.N)
			c.GradInput(dx, g.DY, g.NY, g.NY, g.W, g.K, g.Dil, g.Pad, 0)
			tap := func(i, j int) int { return i + j*g.Dil - g.Pad }
			for f := range g.NF {
				for i := range g.NY {
					var mag float64
					for j := range g.K {
						if x := tap(i, j); x >= 0 && x < g.N {
							mag += math.Abs(float64(g.W[f*g.K+j]) * float64(g.X[x]))
						}
					}
					if o := f*g.NY + i; !closeTo(y[o], float64(g.Y[o]), mag) {
						t.Fatalf("n=%d k=%d dil=%d pad=%d: y[%d,%d] = %g, torch %g", g.N, g.K, g.Dil, g.Pad, f, i, y[o], g.Y[o])
					}
				}
				for j := range g.K {
					var mag float64
					for i := range g.NY {
						if x := tap(i, j); x >= 0 && x < g.N {
							mag += math.Abs(float64(g.DY[f*g.NY+i]) * float64(g.X[x]))
						}
					}
					if o := f*g.K + j; !closeTo(dw[o], float64(g.DW[o]), mag) {
						t.Fatalf("n=%d k=%d dil=%d pad=%d: dw[%d,%d] = %g, torch %g", g.N, g.K, g.Dil, g.Pad, f, j, dw[o], g.DW[o])
					}
				}
			}
			dxMag := make([]float64, g.N)
			for f := range g.NF {
				for i := range g.NY {
					for j := range g.K {
						if x := tap(i, j); x >= 0 && x < g.N {
							dxMag[x] += math.Abs(float64(g.DY[f*g.NY+i]) * float64(g.W[f*g.K+j]))
						}
					}
				}
			}
			for x := range dx {
				if !closeTo(dx[x], float64(g.DX[x]), dxMag[x]) {
					t.Fatalf("n=%d k=%d dil=%d pad=%d: dx[%d] = %g, torch %g", g.N, g.K, g.Dil, g.Pad, x, dx[x], g.DX[x])
				}
			}
			if g.Dil != 1 {
				continue
			}
			// The single-filter kernels on filter 0.
			y1 := make([]float32, g.NY)
			Correlate(y1, g.X, g.W[:g.K], g.Pad)
			dx1 := make([]float32, g.N)
			CorrelateGradInput(dx1, g.DY[:g.NY], g.W[:g.K], g.Pad)
			dw1 := make([]float32, g.K)
			CorrelateGradKernel(dw1, g.X, g.DY[:g.NY], g.Pad)
			for i := range y1 {
				if math.Abs(float64(y1[i]-g.Y[i])) > 1e-5*(1+math.Abs(float64(g.Y[i]))) {
					t.Fatalf("Correlate n=%d k=%d pad=%d: y[%d] = %g, torch %g", g.N, g.K, g.Pad, i, y1[i], g.Y[i])
				}
			}
			for j := range dw1 {
				if math.Abs(float64(dw1[j]-g.DW[j])) > 1e-5*(1+math.Abs(float64(g.DW[j]))) {
					t.Fatalf("CorrelateGradKernel n=%d k=%d pad=%d: dw[%d] = %g, torch %g", g.N, g.K, g.Pad, j, dw1[j], g.DW[j])
				}
			}
			if g.NF == 1 {
				for x := range dx1 {
					if math.Abs(float64(dx1[x]-g.DX[x])) > 1e-5*(1+math.Abs(float64(g.DX[x]))) {
						t.Fatalf("CorrelateGradInput: dx[%d] = %g, torch %g", x, dx1[x], g.DX[x])
					}
				}
			}
		}
	})
}

// TestTorchELU checks ELU against torch.nn.functional.elu, which computes
// alpha·(eˣ − 1) with eˣ rounded to float32: within alpha·2⁻²³ (1 ulp of
// eˣ ≤ 1) plus 3e-7 relative. The gradient from the output,
// dy·(y + alpha), differs from PyTorch's dy·alpha·eˣ (from the input) by
// the rounding of y: at most 2⁻²³·alpha·|dy| absolute, plus 4e-7
// relative.
func TestTorchELU(t *testing.T) {
	ref := loadTorch(t)
	bothPaths(t, func(t *testing.T) {
		for _, e := range ref.ELU {
			y := make([]float32, len(e.X))
			ELU(y, e.X, e.Alpha)
			dx := make([]float32, len(e.X))
			ELUBackward(dx, e.DY, y, e.Alpha)
			for i := range y {
				if d := math.Abs(float64(y[i] - e.Y[i])); d > 0x1p-23*float64(e.Alpha)+3e-7*math.Abs(float64(e.Y[i])) {
					t.Fatalf("alpha %g: ELU(%g) = %g, torch %g", e.Alpha, e.X[i], y[i], e.Y[i])
				}
				lim := 4e-7*math.Abs(float64(e.DX[i])) + 0x1p-23*float64(e.Alpha)*math.Abs(float64(e.DY[i]))
				if d := math.Abs(float64(dx[i] - e.DX[i])); d > lim {
					t.Fatalf("alpha %g x=%g: ELUBackward = %g, torch %g", e.Alpha, e.X[i], dx[i], e.DX[i])
				}
			}
		}
	})
}

// TestTorchAdam replays five steps of torch.optim.Adam and AdamW with
// AdamStep: the weights agree within 1e-6 absolute (they move by about
// lr = 1e-2 per step; float32 rounding of the update is ~1e-9).
func TestTorchAdam(t *testing.T) {
	ref := loadTorch(t)
	for _, a := range ref.Adam {
		n := len(a.W0)
		w := append([]float32(nil), a.W0...)
		m, v := make([]float32, n), make([]float32, n)
		for step, g := range a.Grads {
			tt := float64(step + 1)
			bc1, bc2 := 1-math.Pow(a.B1, tt), 1-math.Pow(a.B2, tt)
			AdamStep(w, append([]float32(nil), g...), m, v, float32(a.LR), float32(a.B1), float32(a.B2),
				float32(a.Eps), float32(a.WD), float32(bc1), float32(bc2))
		}
		for i := range w {
			if math.Abs(float64(w[i]-a.W[i])) > 1e-6 {
				t.Fatalf("%s: w[%d] = %g, torch %g", a.Name, i, w[i], a.W[i])
			}
		}
	}
}

// TestTorchMeanVar checks MeanVar against torch.var_mean(unbiased=False),
// the statistics BatchNorm2d normalises with: 1e-6 relative.
func TestTorchMeanVar(t *testing.T) {
	ref := loadTorch(t).MeanVar
	bothPaths(t, func(t *testing.T) {
		m, v := MeanVar(ref.X)
		if math.Abs(m-ref.Mean) > 1e-6*math.Abs(ref.Mean) || math.Abs(v-ref.Var) > 1e-6*ref.Var {
			t.Fatalf("MeanVar = %g, %g; torch %g, %g", m, v, ref.Mean, ref.Var)
		}
	})
}
