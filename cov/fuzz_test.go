package cov

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzEstimate feeds arbitrary samples, shapes and estimators to
// EstimateTrial and Augment: neither may panic, and an accepted trial of
// moderate magnitude (nothing whose square overflows or underflows) gives
// finite entries.
func FuzzEstimate(f *testing.F) {
	seed := func(p, nt int, vals ...float64) []byte {
		b := []byte{byte(p), byte(nt)}
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(2, 3, 1, 2, 3, 3, 1, 2), uint8(2), uint8(1), uint8(1))
	f.Add(seed(1, 4, 1, 1, 1, 1), uint8(4), uint8(2), uint8(1))
	f.Add(seed(3, 2, 0, 1e300, -1e300, 5, 6, math.NaN()), uint8(5), uint8(1), uint8(2))
	trial := benchTrials(1, 4, 20)[0]
	var vals []float64
	for _, ch := range trial {
		vals = append(vals, ch...)
	}
	f.Add(seed(4, 20, vals...), uint8(3), uint8(3), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, estKind, order, lag uint8) {
		if len(data) < 2 {
			return
		}
		p, nt := int(data[0]%8), int(data[1]%64)
		data = data[2:]
		trial := make([][]float64, p)
		moderate := true
		for c := range trial {
			trial[c] = make([]float64, nt)
			for k := range trial[c] {
				if len(data) >= 8 {
					v := math.Float64frombits(binary.LittleEndian.Uint64(data))
					trial[c][k] = v
					data = data[8:]
					if a := math.Abs(v); a > 1e100 || (a != 0 && a < 1e-100) {
						moderate = false
					}
				}
			}
		}
		est := Estimator{kind: kind(estKind % 8), shrinkage: float64(estKind) / 255}
		c, err := EstimateTrial(nil, trial, est)
		if err == nil && moderate {
			for i := range p {
				for j := range p {
					if v := c.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%v: entry [%d,%d] = %v for finite moderate data", est, i, j, v)
					}
				}
			}
		}
		aug, err := Augment([][][]float64{trial}, int(order%6), int(lag%6))
		if err == nil && len(aug[0]) > 0 {
			_, _ = Estimate(aug, est)
		}
	})
}
