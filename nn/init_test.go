package nn

import (
	"math"
	"testing"
)

// TestInitBounds checks PyTorch's default initialisation (weights and
// biases U(±1/√fan_in), fan_in = in/groups·kh·kw) and Xavier's
// (U(±√(6/(fan_in+fan_out))), zero biases) by their range and variance.
func TestInitBounds(t *testing.T) {
	for _, c := range []struct {
		name       string
		l          Layer
		in         Shape
		wb, bb     float64 // weight and bias bounds
		zeroBiases bool
	}{
		{"conv default", &Conv2D{Out: 64, Kernel: [2]int{1, 16}, Groups: 4, Bias: true}, Shape{16, 1, 40}, 1 / math.Sqrt(4*16), 1 / math.Sqrt(4*16), false},
		{"dense default", &Dense{Out: 50}, Shape{30, 1, 1}, 1 / math.Sqrt(30), 1 / math.Sqrt(30), false},
		{"conv xavier", &Conv2D{Out: 40, Kernel: [2]int{1, 25}, Bias: true, Init: XavierInit}, Shape{1, 2, 60}, math.Sqrt(6.0 / (25 + 40*25)), 0, true},
	} {
		net, err := NewNet(c.in, c.l)
		if err != nil {
			t.Fatal(err)
		}
		net.Init(1)
		ps := net.Params()
		check := func(what string, v []float32, bound float64) {
			var ss float64
			for _, x := range v {
				if math.Abs(float64(x)) > bound {
					t.Errorf("%s %s: %g outside ±%g", c.name, what, x, bound)
					return
				}
				ss += float64(x) * float64(x)
			}
			want := bound * bound / 3
			if got := ss / float64(len(v)); len(v) > 500 && math.Abs(got-want) > 0.1*want {
				t.Errorf("%s %s: variance %g, want %g", c.name, what, got, want)
			}
		}
		check("weight", ps[0].W, c.wb)
		if len(ps) > 1 {
			if c.zeroBiases {
				for _, b := range ps[1].W {
					if b != 0 {
						t.Errorf("%s: bias %g, want 0", c.name, b)
						break
					}
				}
			} else {
				check("bias", ps[1].W, c.bb)
			}
		}
	}
}
