package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestConv1D checks the three Conv1D methods against float64 sums of the
// defining formulas (tolerance tol·Σ|terms|), for dilations, paddings,
// output lengths, strides and beta, on both paths.
func TestConv1D(t *testing.T) {
	bothPaths(t, checkConv1D)
	// The assembly path's blocking and Toeplitz reads with the portable
	// micro and dot kernels.
	oldG, oldN := gemmKernel, ntKernel
	defer func() { gemmKernel, ntKernel = oldG, oldN }()
	gemmKernel, ntKernel = kernGo, dotGoNT
	t.Run("gokernels", checkConv1D)
}

func checkConv1D(t *testing.T) {
	{
		r := rand.New(rand.NewPCG(31, 32))
		type geo struct{ n, nf, k, dil, pad, ny int }
		cases := []geo{
			{480, 8, 64, 1, 31, 480}, {480, 8, 64, 1, 32, 481}, {120, 16, 16, 1, 7, 120},
			{480, 1, 25, 1, 0, 456}, {100, 3, 5, 3, 6, 100}, {7, 5, 9, 2, 8, 7}, {1, 1, 1, 1, 0, 1},
		}
		for range 30 {
			k, dil := 1+r.IntN(40), 1+r.IntN(3)
			n, pad := 1+r.IntN(300), r.IntN(dil*(k-1)+3)
			ny := max(1, n+2*pad-dil*(k-1)+r.IntN(5)-2)
			cases = append(cases, geo{n, 1 + r.IntN(10), k, dil, pad, ny})
		}
		var c Conv1D
		for _, g := range cases {
			ldy := g.ny + r.IntN(3)
			x, w := randSlice(r, g.n), randSlice(r, g.nf*g.k)
			dy := randSlice(r, (g.nf-1)*ldy+g.ny)
			beta := []float32{0, 1, 0.5}[r.IntN(3)]
			tap := func(i, j int) int { return i + j*g.dil - g.pad }

			y := randSlice(r, (g.nf-1)*ldy+g.ny)
			y0 := append([]float32(nil), y...)
			if beta == 0 {
				y[0] = float32(math.NaN())
			}
			c.Forward(y, g.ny, ldy, x, w, g.k, g.dil, g.pad, beta)
			for f := range g.nf {
				for i := range g.ny {
					want := float64(beta) * float64(y0[f*ldy+i])
					mag := math.Abs(want)
					for j := range g.k {
						if tt := tap(i, j); tt >= 0 && tt < g.n {
							p := float64(w[f*g.k+j]) * float64(x[tt])
							want += p
							mag += math.Abs(p)
						}
					}
					if got := y[f*ldy+i]; !closeTo(got, want, mag) {
						t.Fatalf("Forward %+v beta=%g: y[%d,%d] = %g, want %g", g, beta, f, i, got, want)
					}
				}
			}

			dw := randSlice(r, g.nf*g.k)
			dw0 := append([]float32(nil), dw...)
			c.GradKernel(dw, x, dy, g.ny, ldy, g.k, g.dil, g.pad, beta)
			for f := range g.nf {
				for j := range g.k {
					want := float64(beta) * float64(dw0[f*g.k+j])
					mag := math.Abs(want)
					for i := range g.ny {
						if tt := tap(i, j); tt >= 0 && tt < g.n {
							p := float64(dy[f*ldy+i]) * float64(x[tt])
							want += p
							mag += math.Abs(p)
						}
					}
					if got := dw[f*g.k+j]; !closeTo(got, want, mag) {
						t.Fatalf("GradKernel %+v beta=%g: dw[%d,%d] = %g, want %g", g, beta, f, j, got, want)
					}
				}
			}

			dx := randSlice(r, g.n)
			dx0 := append([]float32(nil), dx...)
			c.GradInput(dx, dy, g.ny, ldy, w, g.k, g.dil, g.pad, beta)
			want, mag := make([]float64, g.n), make([]float64, g.n)
			for tt := range g.n {
				want[tt] = float64(beta) * float64(dx0[tt])
				mag[tt] = math.Abs(want[tt])
			}
			for f := range g.nf {
				for i := range g.ny {
					for j := range g.k {
						if tt := tap(i, j); tt >= 0 && tt < g.n {
							p := float64(w[f*g.k+j]) * float64(dy[f*ldy+i])
							want[tt] += p
							mag[tt] += math.Abs(p)
						}
					}
				}
			}
			for tt := range g.n {
				if !closeTo(dx[tt], want[tt], mag[tt]) {
					t.Fatalf("GradInput %+v beta=%g: dx[%d] = %g, want %g", g, beta, tt, dx[tt], want[tt])
				}
			}
		}
	}
}

func TestConv1DPanics(t *testing.T) {
	var c Conv1D
	y, x := make([]float32, 10), make([]float32, 10)
	for name, f := range map[string]func(){
		"partial filter": func() { c.Forward(y, 5, 5, x, make([]float32, 7), 3, 1, 0, 0) },
		"dilation":       func() { c.Forward(y, 5, 5, x, make([]float32, 6), 3, 0, 0, 0) },
		"ldy":            func() { c.Forward(y, 5, 4, x, make([]float32, 6), 3, 1, 0, 0) },
		"short y":        func() { c.Forward(y[:9], 5, 5, x, make([]float32, 6), 3, 1, 0, 0) },
		"short dy":       func() { c.GradKernel(make([]float32, 6), x, y[:9], 5, 5, 3, 1, 0, 0) },
		"empty":          func() { c.GradInput(x, y, 5, 5, nil, 3, 1, 0, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}
