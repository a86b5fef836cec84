package resample

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

// BenchmarkPoly160to250 is resample_poly(x, 25, 16) over 64 channels ×
// 20,000 samples (an eegmmidb run, 160 Hz to 250 Hz).
func BenchmarkPoly160to250(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := PolyChannels(x, 250, 160, PolyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPolyDown2 is resample_poly(x, 1, 2) over 64 × 20,000.
func BenchmarkPolyDown2(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := PolyChannels(x, 1, 2, PolyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRaw160to250 is raw.resample(250) over 64 × 20,000 at 160 Hz.
func BenchmarkRaw160to250(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := Raw(x, 160, 250, nil, FFTDefaults()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRaw160to100 is raw.resample(100) over 64 × 20,000 at 160 Hz.
func BenchmarkRaw160to100(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := Raw(x, 160, 100, nil, FFTDefaults()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawOddRatio is raw.resample(173) over 64 × 20,000 at 160 Hz,
// whose resampled padded length has a large prime factor (Bluestein).
func BenchmarkRawOddRatio(b *testing.B) {
	x := benchSignal(64, 20000)
	b.SetBytes(64 * 20000 * 8)
	for b.Loop() {
		if _, err := Raw(x, 160, 173, nil, FFTDefaults()); err != nil {
			b.Fatal(err)
		}
	}
}
