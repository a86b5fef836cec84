package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

var vecLens = []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 1000, 4096}

func TestDotAxpy(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, n := range vecLens {
			x, y := randSlice(r, n), randSlice(r, n)
			var want, mag float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
				mag += math.Abs(float64(x[i]) * float64(y[i]))
			}
			if got := Dot(x, y); !closeTo(got, want, mag) {
				t.Fatalf("Dot n=%d: %g, want %g", n, got, want)
			}
			y0 := append([]float32(nil), y...)
			Axpy(-0.75, x, y)
			for i := range y {
				w := float64(y0[i]) - 0.75*float64(x[i])
				if !closeTo(y[i], w, math.Abs(float64(y0[i]))+0.75*math.Abs(float64(x[i]))) {
					t.Fatalf("Axpy n=%d [%d]: %g, want %g", n, i, y[i], w)
				}
			}
		}
	})
}

func TestVecHelpers(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	x, y := randSlice(r, 37), randSlice(r, 37)
	d := make([]float32, 37)
	AddScaled(d, x, 2, y)
	for i := range d {
		if d[i] != x[i]+2*y[i] {
			t.Fatalf("AddScaled [%d]", i)
		}
	}
	Mul(d, x, y)
	for i := range d {
		if d[i] != x[i]*y[i] {
			t.Fatalf("Mul [%d]", i)
		}
	}
	ScaleShift(d, x, 3, -1)
	for i := range d {
		if d[i] != 3*x[i]-1 {
			t.Fatalf("ScaleShift [%d]", i)
		}
	}
	copy(d, x)
	Add(d, y)
	for i := range d {
		if d[i] != x[i]+y[i] {
			t.Fatalf("Add [%d]", i)
		}
	}
	copy(d, x)
	Scale(-2, d)
	for i := range d {
		if d[i] != -2*x[i] {
			t.Fatalf("Scale [%d]", i)
		}
	}
	var s, ss float64
	for _, v := range x {
		s += float64(v)
	}
	if got := Sum(x); got != float32(s) {
		t.Fatalf("Sum %g, want %g", got, s)
	}
	mean := s / 37
	for _, v := range x {
		ss += (float64(v) - mean) * (float64(v) - mean)
	}
	m, v := MeanVar(x)
	if math.Abs(m-mean) > 1e-12 || math.Abs(v-ss/37) > 1e-12 {
		t.Fatalf("MeanVar %g %g, want %g %g", m, v, mean, ss/37)
	}
}

func TestAdamStep(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	n := 33
	w, g := randSlice(r, n), randSlice(r, n)
	m, v := randSlice(r, n), randSlice(r, n)
	for i := range v {
		v[i] *= v[i]
	}
	w0, m0, v0 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
	lr, b1, b2, eps, wd := 1e-3, 0.9, 0.999, 1e-8, 0.01
	tstep := 3.0
	bc1, bc2 := 1-math.Pow(b1, tstep), 1-math.Pow(b2, tstep)
	AdamStep(w, g, m, v, float32(lr), float32(b1), float32(b2), float32(eps), float32(wd), float32(bc1), float32(bc2))
	// Tolerance 1e-6 relative to the magnitude of the terms (float32
	// rounding of a few operations).
	for i := range w {
		gi := float64(g[i])
		mi := b1*float64(m0[i]) + (1-b1)*gi
		vi := b2*float64(v0[i]) + (1-b2)*gi*gi
		wi := float64(w0[i])*(1-lr*wd) - lr/bc1*mi/(math.Sqrt(vi)/math.Sqrt(bc2)+eps)
		if math.Abs(float64(m[i])-mi) > 1e-6*(b1*math.Abs(float64(m0[i]))+(1-b1)*math.Abs(gi)) ||
			math.Abs(float64(v[i])-vi) > 1e-6*vi ||
			math.Abs(float64(w[i])-wi) > 1e-6*(math.Abs(wi)+1e-3) {
			t.Fatalf("[%d]: w,m,v = %g %g %g, want %g %g %g", i, w[i], m[i], v[i], wi, mi, vi)
		}
	}
}
