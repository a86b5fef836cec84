package cca_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/cca"
)

// trial makes 8 channels × 2 s at 128 Hz of a 10 Hz response mixed
// differently into each channel, plus a deterministic "noise".
func trial(freq float64) [][]float64 {
	x := make([][]float64, 8)
	for ch := range x {
		x[ch] = make([]float64, 256)
		for i := range x[ch] {
			t := float64(i) / 128
			x[ch][i] = float64(ch+1)*math.Sin(2*math.Pi*freq*t+float64(ch)) +
				3*math.Sin(float64(i*i*(ch+3))) // broadband
		}
	}
	return x
}

func ExampleCCA() {
	// Classes 2, 3, 4 flicker at 13, 21 and 17 Hz (SSVEP-Exo); class 1 is
	// rest and has no frequency.
	c := cca.CCA{Freqs: map[int]float64{2: 13, 3: 21, 4: 17}, SFreq: 128}
	trials := [][][]float64{trial(13), trial(17), trial(21)}
	if err := c.Fit(trials, []int{2, 4, 3}); err != nil {
		panic(err)
	}
	pred, err := c.Predict(trials)
	if err != nil {
		panic(err)
	}
	fmt.Println("classes", c.FreqClasses(), "predicted", pred)
	corr, _ := c.Correlations(trials[1])
	fmt.Printf("17 Hz trial: %.2f\n", corr)
	// Output:
	// classes [2 3 4] predicted [2 4 3]
	// 17 Hz trial: [0.22 0.25 0.97]
}

func ExampleCanonical() {
	// y holds a sine and a cosine; x a phase-shifted sine of the same
	// frequency: a combination of y reproduces it exactly.
	n := 100
	x := [][]float64{make([]float64, n)}
	y := [][]float64{make([]float64, n), make([]float64, n)}
	for i := range n {
		a := 2 * math.Pi * 5 * float64(i) / float64(n)
		x[0][i] = math.Sin(a + 1)
		y[0][i], y[1][i] = math.Sin(a), math.Cos(a)
	}
	r, err := cca.Canonical(x, y)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.6f\n", r)
	// Output:
	// 1.000000
}
