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

// TestVecHelpers checks the elementwise helpers and the float64 sums
// against float64 evaluations. An elementwise result is one or two
// float32 roundings (one when fused) from the exact value: tolerance 1e-6
// relative to the magnitude of its terms. Sum and MeanVar accumulate in
// float64: 1e-12 relative.
func TestVecHelpers(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, n := range vecLens {
			x, y := randSlice(r, n), randSlice(r, n)
			for i := range x {
				x[i] += 3 // a mean away from 0 tests the variance's two passes
			}
			d := make([]float32, n)
			check := func(what string, got []float32, want func(i int) (v, mag float64)) {
				t.Helper()
				for i := range got {
					v, mag := want(i)
					if math.Abs(float64(got[i])-v) > 1e-6*mag {
						t.Fatalf("%s n=%d [%d]: %g, want %g", what, n, i, got[i], v)
					}
				}
			}
			xf := func(i int) float64 { return float64(x[i]) }
			yf := func(i int) float64 { return float64(y[i]) }
			AddScaled(d, x, 2, y)
			check("AddScaled", d, func(i int) (float64, float64) { return xf(i) + 2*yf(i), math.Abs(xf(i)) + 2*math.Abs(yf(i)) })
			Mul(d, x, y)
			check("Mul", d, func(i int) (float64, float64) { return xf(i) * yf(i), math.Abs(xf(i) * yf(i)) })
			ScaleShift(d, x, 3, -1)
			check("ScaleShift", d, func(i int) (float64, float64) { return 3*xf(i) - 1, 3*math.Abs(xf(i)) + 1 })
			copy(d, x)
			ScaleShift(d, d, -0.5, 2) // in place
			check("ScaleShift in place", d, func(i int) (float64, float64) { return -0.5*xf(i) + 2, 0.5*math.Abs(xf(i)) + 2 })
			copy(d, x)
			Add(d, y)
			check("Add", d, func(i int) (float64, float64) { return xf(i) + yf(i), math.Abs(xf(i)) + math.Abs(yf(i)) })
			copy(d, x)
			Scale(-2, d)
			check("Scale", d, func(i int) (float64, float64) { return -2 * xf(i), 2 * math.Abs(xf(i)) })

			LinComb(d, 1.5, x, -0.25, y, 0.75)
			check("LinComb", d, func(i int) (float64, float64) {
				return 1.5*xf(i) - 0.25*yf(i) + 0.75, 1.5*math.Abs(xf(i)) + 0.25*math.Abs(yf(i)) + 0.75
			})
			var sx, sxy, sxa, sxya float64
			for i := range x {
				sx += xf(i)
				sxy += xf(i) * yf(i)
				sxa += math.Abs(xf(i))
				sxya += math.Abs(xf(i) * yf(i))
			}
			if gx, gxy := SumDot(x, y); math.Abs(gx-sx) > 1e-12*sxa || math.Abs(gxy-sxy) > 1e-12*sxya {
				t.Fatalf("SumDot n=%d: %g %g, want %g %g", n, gx, gxy, sx, sxy)
			}

			var s, sa float64
			for _, v := range x {
				s += float64(v)
				sa += math.Abs(float64(v))
			}
			if got := Sum(x); math.Abs(float64(got)-s) > 1e-7*sa {
				t.Fatalf("Sum n=%d: %g, want %g", n, got, s)
			}
			if n == 0 {
				continue
			}
			mean := s / float64(n)
			var ss float64
			for _, v := range x {
				ss += (float64(v) - mean) * (float64(v) - mean)
			}
			m, v := MeanVar(x)
			if math.Abs(m-mean) > 1e-12*sa/float64(n) || math.Abs(v-ss/float64(n)) > 1e-12*(ss/float64(n)+mean*mean) {
				t.Fatalf("MeanVar n=%d: %g %g, want %g %g", n, m, v, mean, ss/float64(n))
			}
		}
	})
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

// ulps returns the distance in units in the last place between float32
// a and b (of the same sign).
func ulps(a, b float32) int64 {
	d := int64(math.Float32bits(a)) - int64(math.Float32bits(b))
	if d < 0 {
		d = -d
	}
	return d
}

// TestELU checks ELU against float64 math.Exp rounded to float32, minus
// 1 (PyTorch's formula, see ELU): eˣ within 1 ulp, so with alpha = 1 the
// result is within ulp(eˣ) + ulp(result), on a dense grid of [−100, 5]
// and special values; with alpha = 0.7 within 0.7·ulp(eˣ) + 3e−7
// relative; the gradient through the output exactly.
func TestELU(t *testing.T) {
	bothPaths(t, func(t *testing.T) {
		var x []float32
		for v := -100.0; v < 5; v += 0.0137 {
			x = append(x, float32(v))
		}
		for e := -45; e <= 0; e++ {
			x = append(x, -float32(math.Pow(2, float64(e))), -float32(1.37*math.Pow(2, float64(e))))
		}
		x = append(x, 0, float32(math.Copysign(0, -1)), -87, -87.5, -88, -89, 1e-30, -1e-38, -1e-45,
			float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 88, -0.3465, 0.3466, -0.3467)
		ulp := func(v float32) float64 {
			a := float32(math.Abs(float64(v)))
			return float64(math.Nextafter32(a, float32(math.Inf(1))) - a)
		}
		y := make([]float32, len(x))
		ELU(y, x, 1)
		for i, v := range x {
			if v != v {
				if y[i] == y[i] {
					t.Fatalf("ELU(NaN) = %g", y[i])
				}
				continue
			}
			if v > 0 {
				if y[i] != v {
					t.Fatalf("ELU(%g) = %g", v, y[i])
				}
				continue
			}
			e := float32(math.Exp(float64(v)))
			want := e - 1
			if math.Abs(float64(y[i]-want)) > ulp(e)+ulp(want) {
				t.Fatalf("ELU(%g) = %g, want %g", v, y[i], want)
			}
		}
		const alpha = 0.7
		ELU(y, x, alpha)
		for i, v := range x {
			if v != v || v > 0 {
				continue
			}
			e := float32(math.Exp(float64(v)))
			want := alpha * float64(e-1)
			if math.Abs(float64(y[i])-want) > alpha*ulp(e)+3e-7*math.Abs(want) {
				t.Fatalf("ELU(%g, alpha 0.7) = %g, want %g", v, y[i], want)
			}
		}
		dy := randSlice(rand.New(rand.NewPCG(1, 2)), len(y))
		dx := make([]float32, len(y))
		ELUBackward(dx, dy, y, alpha)
		for i := range dx {
			want := dy[i]
			if !(y[i] > 0) {
				want = dy[i] * (y[i] + alpha)
			}
			if dx[i] != want && !(dx[i] != dx[i] && want != want) {
				t.Fatalf("ELUBackward y=%g dy=%g: %g, want %g", y[i], dy[i], dx[i], want)
			}
		}
	})
}
