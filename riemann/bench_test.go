package riemann

import (
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/cov"
)

// benchSet returns count Ledoit-Wolf covariances of n-channel × 320-sample
// trials and their labels: n sources with a common random mixing, two
// classes that differ in the power of two sources (as in motor imagery),
// and per-trial power jitter.
func benchSet(count, n int) ([]*mat.SymDense, []int) {
	r := rand.New(rand.NewPCG(3, 4))
	mix := make([]float64, n*n)
	for i := range mix {
		mix[i] = r.NormFloat64()
	}
	trials := make([][][]float64, count)
	y := make([]int, count)
	src := make([]float64, n*320)
	for t := range trials {
		y[t] = t % 2
		for j := range n {
			g := 1 + 0.3*r.NormFloat64()
			if j == y[t] {
				g *= 0.4 // class y attenuates source y
			}
			for s := range 320 {
				src[j*320+s] = g * r.NormFloat64()
			}
		}
		trials[t] = make([][]float64, n)
		for c := range n {
			ch := make([]float64, 320)
			for s := range ch {
				var v float64
				for j := range n {
					v += mix[c*n+j] * src[j*320+s]
				}
				ch[s] = 1e-5 * v
			}
			trials[t][c] = ch
		}
	}
	covs, err := cov.Estimate(trials, cov.LWF)
	if err != nil {
		panic(err)
	}
	return covs, y
}

var bench64 = sync.OnceValues(func() ([]*mat.SymDense, []int) { return benchSet(90, 64) })

// The benchmarks of the brief: 90 covariance matrices of 64 channels.

func BenchmarkMeanRiemann(b *testing.B) {
	covs, _ := bench64()
	if _, it, _ := mean(covs, AffineInvariant, MeanOptions{}); b.N == 1 {
		b.Logf("%d iterations", it)
	}
	for b.Loop() {
		if _, err := Mean(covs, AffineInvariant); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeanLogEuclid(b *testing.B) {
	covs, _ := bench64()
	for b.Loop() {
		if _, err := Mean(covs, LogEuclidean); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTangentSpaceTransform(b *testing.B) {
	covs, _ := bench64()
	var ts TangentSpace
	if err := ts.Fit(covs); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ts.Transform(covs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTangentSpaceVector(b *testing.B) {
	covs, _ := bench64()
	var ts TangentSpace
	if err := ts.Fit(covs); err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, ts.Dim())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.Vector(dst, covs[0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMDMFit(b *testing.B) {
	covs, y := bench64()
	for b.Loop() {
		var clf MDM
		if err := clf.Fit(covs, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMDMPredict(b *testing.B) {
	covs, y := bench64()
	var clf MDM
	if err := clf.Fit(covs, y); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := clf.Predict(covs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFgMDMFit(b *testing.B) {
	covs, y := bench64()
	for b.Loop() {
		var clf FgMDM
		if err := clf.Fit(covs, y); err != nil {
			b.Fatal(err)
		}
	}
}
