package spectral

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchSignal is nch channels of n samples of a 10 Hz sine in noise.
func benchSignal(nch, n int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, nch)
	for ch := range x {
		x[ch] = make([]float64, n)
		for i := range x[ch] {
			x[ch][i] = math.Sin(2*math.Pi*10*float64(i)/160) + rng.NormFloat64()
		}
	}
	return x
}

// BenchmarkWelch is SciPy's welch defaults over 64 channels × 20,000
// samples (an eegmmidb run), reusing the Welcher and its outputs.
func BenchmarkWelch(b *testing.B) {
	x := benchSignal(64, 20000)
	w, err := NewWelcher(20000, 160, Defaults())
	if err != nil {
		b.Fatal(err)
	}
	dst, _ := w.PSDs(nil, x)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := w.PSDs(dst, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputePSD is MNE's raw.compute_psd() defaults over 64
// channels × 20,000 samples, including the set-up.
func BenchmarkComputePSD(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := ComputePSD(x, 160, MNEDefaults()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWelchMedian is the median average over 64 × 20,000.
func BenchmarkWelchMedian(b *testing.B) {
	x := benchSignal(64, 20000)
	opt := Defaults()
	opt.Average = Median
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := Welch(x, 160, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHilbert is the analytic signal of one 20,000-sample channel.
func BenchmarkHilbert(b *testing.B) {
	x := benchSignal(1, 20000)[0]
	h := NewHilbert(len(x))
	dst := h.Analytic(nil, x)
	b.SetBytes(20000 * 8)
	for b.Loop() {
		h.Analytic(dst, x)
	}
}

// BenchmarkEnvelope64 is the envelope of 64 channels × 20,000 samples.
func BenchmarkEnvelope64(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := Envelope(x); err != nil {
			b.Fatal(err)
		}
	}
}
