package spectral_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/spectral"
)

// A 10 Hz sine in two channels, analysed with SciPy's welch defaults and
// with MNE's raw.compute_psd() defaults, then reduced to alpha band power.
func Example() {
	const fs = 160.0
	x := make([][]float64, 2)
	for ch := range x {
		x[ch] = make([]float64, 1600)
		for i := range x[ch] {
			x[ch][i] = float64(ch+1) * math.Sin(2*math.Pi*10*float64(i)/fs)
		}
	}
	p, err := spectral.Welch(x, fs, spectral.Defaults())
	if err != nil {
		fmt.Println(err)
		return
	}
	alpha, err := p.BandPower(8, 12, spectral.Trapezoid)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("scipy welch: %d bins of %.3f Hz, alpha power %.3f %.3f\n", len(p.Freqs), p.Freqs[1], alpha[0], alpha[1])

	m, err := spectral.ComputePSD(x, fs, spectral.MNEDefaults())
	if err != nil {
		fmt.Println(err)
		return
	}
	peak := 0
	for k, v := range m.Power[0] {
		if v > m.Power[0][peak] {
			peak = k
		}
	}
	fmt.Printf("mne compute_psd: peak at %.2f Hz\n", m.Freqs[peak])
	// Output:
	// scipy welch: 129 bins of 0.625 Hz, alpha power 0.500 2.000
	// mne compute_psd: peak at 10.00 Hz
}

// The envelope of an amplitude-modulated tone.
func ExampleHilbert() {
	const n = 1000
	x := make([]float64, n)
	for i := range x {
		t := float64(i) / n
		x[i] = (1 + 0.5*math.Cos(2*math.Pi*2*t)) * math.Sin(2*math.Pi*100*t)
	}
	h := spectral.NewHilbert(n)
	env := h.Envelope(nil, x)
	fmt.Printf("envelope at t=0: %.3f, at t=0.25: %.3f\n", env[0], env[250])
	// Output:
	// envelope at t=0: 1.500, at t=0.25: 0.500
}

// A Welcher sized once computes the spectrum of successive one-second
// windows of a stream without allocating.
func ExampleWelcher() {
	const fs = 250.0
	w, err := spectral.NewWelcher(250, fs, spectral.Options{
		Window: spectral.Window{Name: "hamming"}, NPerSeg: 125, NOverlap: spectral.Auto,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	window := make([]float64, 250)
	psd := make([]float64, len(w.Freqs()))
	for second := range 3 {
		for i := range window {
			t := float64(second) + float64(i)/fs
			window[i] = math.Sin(2 * math.Pi * float64(8+2*second) * t)
		}
		w.PSD(psd, window)
		peak := 0
		for k := range psd {
			if psd[k] > psd[peak] {
				peak = k
			}
		}
		fmt.Printf("second %d: peak at %.0f Hz\n", second, w.Freqs()[peak])
	}
	// Output:
	// second 0: peak at 8 Hz
	// second 1: peak at 10 Hz
	// second 2: peak at 12 Hz
}
