package nn

import (
	"math"
	"testing"
)

// TestExpm1Neg compares the ELU's exponential with math.Expm1 over
// [−50, 0], within 1e-8 relative.
func TestExpm1Neg(t *testing.T) {
	for i := 0; i <= 500000; i++ {
		x := -50 * float64(i) / 500000
		if i%7 == 1 {
			x = -math.Pow(10, -float64(i%13)) // tiny arguments
		}
		got, want := expm1Neg(x), math.Expm1(x)
		if math.Abs(got-want) > 1e-8*math.Abs(want) && math.Abs(got-want) > 1e-15 {
			t.Fatalf("expm1Neg(%g) = %g, math.Expm1 %g", x, got, want)
		}
	}
	if v := expm1Neg(math.Inf(-1)); v != -1 {
		t.Errorf("expm1Neg(-Inf) = %g", v)
	}
	if v := expm1Neg(math.NaN()); !math.IsNaN(v) {
		t.Errorf("expm1Neg(NaN) = %g", v)
	}
}
