package cov

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchTrials returns n trials of p channels × nt samples of correlated
// noise with channel offsets, deterministic.
func benchTrials(n, p, nt int) [][][]float64 {
	r := rand.New(rand.NewPCG(1, 2))
	trials := make([][][]float64, n)
	for i := range trials {
		trials[i] = make([][]float64, p)
		for c := range trials[i] {
			ch := make([]float64, nt)
			off := r.NormFloat64() * 1e-5
			for t := range ch {
				ch[t] = off + 1e-5*r.NormFloat64()
				if c > 0 {
					ch[t] += 0.5 * trials[i][c-1][t]
				}
			}
			trials[i][c] = ch
		}
	}
	return trials
}

// BenchmarkEstimate is the benchmark of the brief: 90 trials of 64
// channels × 320 samples.
func BenchmarkEstimate(b *testing.B) {
	trials := benchTrials(90, 64, 320)
	for _, est := range []Estimator{SCM, Cov, LWF, OAS, SCH} {
		b.Run(est.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := Estimate(trials, est); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEstimateTrial(b *testing.B) {
	trial := benchTrials(1, 64, 320)[0]
	dst := mat.NewSymDense(64, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EstimateTrial(dst, trial, LWF); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAugmentCov(b *testing.B) {
	trials := benchTrials(90, 22, 320)
	for b.Loop() {
		aug, err := Augment(trials, 4, 3)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Estimate(aug, Cov); err != nil {
			b.Fatal(err)
		}
	}
}
