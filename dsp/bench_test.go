package dsp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchData returns the benchmark signal: by default syntheticBenchData;
// built with -tags edfbench (bench/compare_dsp.sh), the 64 EEG channels of
// EEGMMIDB S001R04 read with the edf package.
var benchData = syntheticBenchData

// syntheticBenchData returns a deterministic signal of the shape of one
// EEGMMIDB run: 64 channels × 20000 samples at 160 Hz (125 s), a random
// walk plus alpha and line components, scaled like EEG in volts.
func syntheticBenchData() [][]float64 {
	const channels, samples, fs = 64, 20000, 160.0
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, channels)
	for c := range x {
		x[c] = make([]float64, samples)
		w := 0.0
		for i := range x[c] {
			w += rng.NormFloat64()
			t := float64(i) / fs
			x[c][i] = 1e-6 * (w + 10*math.Sin(2*math.Pi*10*t+float64(c)) + 5*math.Sin(2*math.Pi*60*t))
		}
	}
	return x
}

// benchFiltering reports the time to filter every channel of benchData
// with f, reusing the output buffers. Besides ns/op it reports cpu-ns/op,
// the process CPU time per operation (all threads), which is less
// sensitive to other load on the machine.
func benchFiltering(b *testing.B, x [][]float64, f func(dst, src [][]float64) error) {
	dst := make([][]float64, len(x))
	for i := range dst {
		dst[i] = make([]float64, len(x[i]))
	}
	b.SetBytes(int64(8 * len(x) * len(x[0])))
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := f(dst, x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkSOSFilt(b *testing.B) {
	x := benchData()
	sos, err := Butter(4, []float64{7, 30}, Bandpass, 160)
	if err != nil {
		b.Fatal(err)
	}
	benchFiltering(b, x, func(dst, src [][]float64) error {
		for c := range src {
			if _, err := SOSFilt(dst[c], sos, src[c], nil); err != nil {
				return err
			}
		}
		return nil
	})
}

func BenchmarkSOSFiltFilt(b *testing.B) {
	x := benchData()
	sos, err := Butter(4, []float64{7, 30}, Bandpass, 160)
	if err != nil {
		b.Fatal(err)
	}
	benchFiltering(b, x, func(dst, src [][]float64) error {
		_, err := SOSFiltFilt(dst, src, sos, DefaultPad)
		return err
	})
}

func BenchmarkFiltFilt(b *testing.B) {
	x := benchData()
	sos, err := Butter(4, []float64{7, 30}, Bandpass, 160)
	if err != nil {
		b.Fatal(err)
	}
	bb, aa := sos.TF()
	benchFiltering(b, x, func(dst, src [][]float64) error {
		_, err := FiltFilt(dst, src, bb, aa, DefaultPad)
		return err
	})
}

func BenchmarkFilterDataFIR(b *testing.B) {
	x := benchData()
	benchFiltering(b, x, func(dst, src [][]float64) error {
		_, err := FilterData(dst, src, 160, 7, 30, FIR)
		return err
	})
}

func BenchmarkFilterDataIIR(b *testing.B) {
	x := benchData()
	benchFiltering(b, x, func(dst, src [][]float64) error {
		_, err := FilterData(dst, src, 160, 7, 30, IIR)
		return err
	})
}

func BenchmarkNotchFilter(b *testing.B) {
	x := benchData()
	benchFiltering(b, x, func(dst, src [][]float64) error {
		_, err := NotchFilter(dst, src, 160, []float64{60})
		return err
	})
}

func BenchmarkButter(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Butter(4, []float64{7, 30}, Bandpass, 160); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEllip(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Ellip(8, 0.5, 60, []float64{7, 30}, Bandpass, 160); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateFilter(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := CreateFilter(160, 7, 30); err != nil {
			b.Fatal(err)
		}
	}
}
