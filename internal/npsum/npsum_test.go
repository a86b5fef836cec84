package npsum

import (
	"encoding/json"
	"os"
	"testing"
)

// Sum and Mean are bit-identical to numpy's on vectors of every length
// class (short, one block, recursive).
func TestMatchesNumpy(t *testing.T) {
	b, err := os.ReadFile("testdata/sums.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		X         []float64
		Sum, Mean float64
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if got := Sum(c.X); got != c.Sum {
			t.Errorf("n=%d: Sum %.17g, numpy %.17g", len(c.X), got, c.Sum)
		}
		if got := Mean(c.X); got != c.Mean {
			t.Errorf("n=%d: Mean %.17g, numpy %.17g", len(c.X), got, c.Mean)
		}
	}
}

func BenchmarkSum(b *testing.B) {
	x := make([]float64, 20000)
	for i := range x {
		x[i] = float64(i)
	}
	for b.Loop() {
		Sum(x)
	}
}
