package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

func corrRef(ny int, x, w []float32, pad int) (want, mag []float64) {
	want, mag = make([]float64, ny), make([]float64, ny)
	for i := range ny {
		for j := range w {
			if t := i + j - pad; t >= 0 && t < len(x) {
				p := float64(w[j]) * float64(x[t])
				want[i] += p
				mag[i] += math.Abs(p)
			}
		}
	}
	return want, mag
}

func gradInputRef(nx int, dy, w []float32, pad int) (want, mag []float64) {
	want, mag = make([]float64, nx), make([]float64, nx)
	for i := range dy {
		for j := range w {
			if t := i + j - pad; t >= 0 && t < nx {
				p := float64(w[j]) * float64(dy[i])
				want[t] += p
				mag[t] += math.Abs(p)
			}
		}
	}
	return want, mag
}

func gradKernelRef(k int, x, dy []float32, pad int) (want, mag []float64) {
	want, mag = make([]float64, k), make([]float64, k)
	for i := range dy {
		for j := range k {
			if t := i + j - pad; t >= 0 && t < len(x) {
				p := float64(x[t]) * float64(dy[i])
				want[j] += p
				mag[j] += math.Abs(p)
			}
		}
	}
	return want, mag
}

// corrCases are (len(x), len(w), pad, len(y)) cases: "same", "valid",
// symmetric padding, EEGNet's shapes and odd corner cases (kernel longer
// than the row, output longer than the padded row).
func corrCases(r *rand.Rand) [][4]int {
	cs := [][4]int{
		{480, 64, 31, 480}, {480, 64, 32, 481}, {480, 64, 0, 417}, {480, 16, 7, 480},
		{120, 16, 8, 121}, {15, 16, 7, 15}, {5, 9, 4, 5}, {1, 1, 0, 1}, {7, 3, 0, 12},
		{33, 8, 20, 40}, {100, 1, 0, 100}, {64, 64, 63, 127},
		{50, 30, 1500, 3000}, {2000, 5, 2, 2000}, // edges longer than corrEdge's buffer
	}
	for range 40 {
		n := 1 + r.IntN(200)
		k := 1 + r.IntN(70)
		pad := r.IntN(k + 3)
		ny := max(1, n+2*pad-k+1+r.IntN(5)-2)
		cs = append(cs, [4]int{n, k, pad, ny})
	}
	return cs
}

func checkVec(t *testing.T, what string, c [4]int, got []float32, base []float32, want, mag []float64) {
	t.Helper()
	for i := range got {
		w := want[i] + float64(base[i])
		if !closeTo(got[i], w, mag[i]+math.Abs(float64(base[i]))) {
			t.Fatalf("%s n=%d k=%d pad=%d ny=%d: [%d] = %g, want %g", what, c[0], c[1], c[2], c[3], i, got[i], w)
		}
	}
}

func TestCorrelate(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, c := range corrCases(r) {
			n, k, pad, ny := c[0], c[1], c[2], c[3]
			x, w, dy := randSlice(r, n), randSlice(r, k), randSlice(r, ny)

			y0 := randSlice(r, ny)
			y := append([]float32(nil), y0...)
			Correlate(y, x, w, pad)
			want, mag := corrRef(ny, x, w, pad)
			checkVec(t, "Correlate", c, y, y0, want, mag)

			dx0 := randSlice(r, n)
			dx := append([]float32(nil), dx0...)
			CorrelateGradInput(dx, dy, w, pad)
			want, mag = gradInputRef(n, dy, w, pad)
			checkVec(t, "CorrelateGradInput", c, dx, dx0, want, mag)

			dw0 := randSlice(r, k)
			dw := append([]float32(nil), dw0...)
			CorrelateGradKernel(dw, x, dy, pad)
			want, mag = gradKernelRef(k, x, dy, pad)
			checkVec(t, "CorrelateGradKernel", c, dw, dw0, want, mag)
		}
	})
}

// TestCorrelateAdjoint checks the defining property of the two gradients:
// <dy, Correlate(x, w)> = <CorrelateGradInput(dy, w), x> = <CorrelateGradKernel(x, dy), w>.
func TestCorrelateAdjoint(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range corrCases(r) {
		n, k, pad, ny := c[0], c[1], c[2], c[3]
		x, w, dy := randSlice(r, n), randSlice(r, k), randSlice(r, ny)
		y := make([]float32, ny)
		Correlate(y, x, w, pad)
		dx := make([]float32, n)
		CorrelateGradInput(dx, dy, w, pad)
		dw := make([]float32, k)
		CorrelateGradKernel(dw, x, dy, pad)
		a, b, d := Dot(dy, y), Dot(dx, x), Dot(dw, w)
		s := 1e-4 * math.Sqrt(float64(n*k))
		if math.Abs(float64(a-b)) > s || math.Abs(float64(a-d)) > s {
			t.Fatalf("%v: <dy,y>=%g <dx,x>=%g <dw,w>=%g", c, a, b, d)
		}
	}
}

func TestCorrelatePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"empty":       func() { Correlate(make([]float32, 3), make([]float32, 3), nil, 0) },
		"negpad":      func() { Correlate(make([]float32, 3), make([]float32, 3), make([]float32, 2), -1) },
		"gradInput":   func() { CorrelateGradInput(make([]float32, 3), make([]float32, 3), nil, 0) },
		"gradKernel":  func() { CorrelateGradKernel(nil, make([]float32, 3), make([]float32, 3), 0) },
		"gradKernel2": func() { CorrelateGradKernel(make([]float32, 2), make([]float32, 3), make([]float32, 3), -2) },
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
