package csp_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/csp"
)

// Two classes of trials whose variance differs on the first of three
// mixed sources: CSP finds a filter whose output power separates them.
func Example() {
	trial := func(class, k int) [][]float64 {
		x := make([][]float64, 3)
		for c := range x {
			x[c] = make([]float64, 200)
		}
		gain := 1.0
		if class == 1 {
			gain = 3
		}
		for t := range x[0] {
			s0 := gain * math.Sin(0.3*float64(t*(k+1)))
			s1 := math.Cos(0.7*float64(t) + float64(k))
			s2 := math.Sin(1.1*float64(t) + 2*float64(k))
			x[0][t] = s0 + 0.5*s1
			x[1][t] = 0.3*s0 + s1 + 0.2*s2
			x[2][t] = s2 - 0.4*s1
		}
		return x
	}
	var trials [][][]float64
	var labels []int
	for k := 0; k < 10; k++ {
		for class := 0; class < 2; class++ {
			trials = append(trials, trial(class, k))
			labels = append(labels, class)
		}
	}

	c := csp.CSP{NComponents: 2} // otherwise MNE's defaults
	if err := c.Fit(trials, labels); err != nil {
		fmt.Println(err)
		return
	}
	x, err := c.Transform(trials)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The first component's log-power is higher for class 1 in every pair.
	higher := 0
	for k := 0; k < 10; k++ {
		if x.At(2*k+1, 0) > x.At(2*k, 0) {
			higher++
		}
	}
	r, cols := x.Dims()
	fmt.Printf("%d trials × %d features; class 1 has the larger first-component power in %d of 10 pairs\n", r, cols, higher)
	// Output:
	// 20 trials × 2 features; class 1 has the larger first-component power in 10 of 10 pairs
}
