package csp

import (
	"math/rand/v2"
	"testing"
)

// benchTrials returns n random trials of nCh channels × nT samples in two
// classes whose variance differs on a few channels.
func benchTrials(n, nCh, nT int) ([][][]float64, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	trials := make([][][]float64, n)
	y := make([]int, n)
	for i := range trials {
		y[i] = i % 2
		trials[i] = make([][]float64, nCh)
		for c := range trials[i] {
			g := 1e-5
			if c < 3 && y[i] == 1 {
				g *= 2
			}
			row := make([]float64, nT)
			for k := range row {
				row[k] = g * rng.NormFloat64()
			}
			trials[i][c] = row
		}
	}
	return trials, y
}

// BenchmarkFit fits MNE's default CSP on 90 trials of 64 channels × 320
// samples (EEGMMIDB-sized motor imagery epochs).
func BenchmarkFit(b *testing.B) {
	trials, y := benchTrials(90, 64, 320)
	b.ReportAllocs()
	for b.Loop() {
		var c CSP
		if err := c.Fit(trials, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitLedoitWolf is BenchmarkFit with reg='ledoit_wolf'.
func BenchmarkFitLedoitWolf(b *testing.B) {
	trials, y := benchTrials(90, 64, 320)
	for b.Loop() {
		c := CSP{Reg: LedoitWolf}
		if err := c.Fit(trials, y); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransform computes the 4 log-power features of 90 trials.
func BenchmarkTransform(b *testing.B) {
	trials, y := benchTrials(90, 64, 320)
	var c CSP
	if err := c.Fit(trials, y); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Transform(trials); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFeatures is the online case: one trial, reused destination.
func BenchmarkFeatures(b *testing.B) {
	trials, y := benchTrials(90, 64, 320)
	var c CSP
	if err := c.Fit(trials, y); err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Features(dst, trials[0]); err != nil {
			b.Fatal(err)
		}
	}
}
