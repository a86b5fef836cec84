package cca

import "testing"

// benchCCA is an SSVEP-Exo sized problem: 32 trials × 8 channels × 769
// samples (3 s at 256 Hz), three frequencies, three harmonics.
func benchCCA(b *testing.B) (*CCA, [][][]float64) {
	trials := ssvepTrials(9, 32, 8, 769, 256, []float64{13, 21, 17})
	y := make([]int, len(trials))
	for i := range y {
		y[i] = 2 + i%3
	}
	c := &CCA{Freqs: map[int]float64{2: 13, 3: 21, 4: 17}, SFreq: 256}
	if err := c.Fit(trials, y); err != nil {
		b.Fatal(err)
	}
	return c, trials
}

// BenchmarkPredict decodes 32 trials (all cores).
func BenchmarkPredict(b *testing.B) {
	c, trials := benchCCA(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Predict(trials); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorrelations is one trial, as an online decoder calls it.
func BenchmarkCorrelations(b *testing.B) {
	c, trials := benchCCA(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Correlations(trials[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReferences rebuilds the references (what Fit and the first
// prediction after loading a model pay once).
func BenchmarkReferences(b *testing.B) {
	c, _ := benchCCA(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newReferences(c); err != nil {
			b.Fatal(err)
		}
	}
}
