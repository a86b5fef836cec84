package svm

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchData returns n samples of p Gaussian features in two classes whose
// means differ by 0.5 in every feature, and the labels.
func benchData(n, p int) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(n, p, nil)
	y := make([]int, n)
	for i := range n {
		y[i] = i % 2
		row := x.RawRowView(i)
		for j := range row {
			row[j] = rng.NormFloat64() + 0.5*float64(y[i])
		}
	}
	return x, y
}

func benchFitPredict(b *testing.B, n, p int) {
	x, y := benchData(n, p)
	b.ReportAllocs()
	for b.Loop() {
		m := New(RBF)
		if err := m.Fit(x, y); err != nil {
			b.Fatal(err)
		}
		if _, err := m.Predict(x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitPredictTS is the RBF kernel on a 64-channel tangent space:
// 90 × 2080.
func BenchmarkFitPredictTS(b *testing.B) { benchFitPredict(b, 90, 2080) }

// BenchmarkFitPredictCSP is the RBF kernel on CSP log-variances: 90 × 8.
func BenchmarkFitPredictCSP(b *testing.B) { benchFitPredict(b, 90, 8) }

// BenchmarkFitPredictLinearTS is the linear kernel on a 64-channel tangent
// space: 90 × 2080.
func BenchmarkFitPredictLinearTS(b *testing.B) {
	x, y := benchData(90, 2080)
	b.ReportAllocs()
	for b.Loop() {
		m := New(Linear)
		if err := m.Fit(x, y); err != nil {
			b.Fatal(err)
		}
		if _, err := m.Predict(x); err != nil {
			b.Fatal(err)
		}
	}
}
