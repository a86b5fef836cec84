package dsp_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/dsp"
)

// A 4th-order Butterworth band-pass in second-order sections, as
// scipy.signal.butter(4, [7, 30], 'bandpass', output='sos', fs=160).
func ExampleButter() {
	sos, err := dsp.Butter(4, []float64{7, 30}, dsp.Bandpass, 160)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sos {
		fmt.Printf("%8.5f\n", s)
	}
	// Output:
	// [ 0.01616  0.03233  0.01616  1.00000 -0.78941  0.27469]
	// [ 1.00000  2.00000  1.00000  1.00000 -1.46834  0.57905]
	// [ 1.00000 -2.00000  1.00000  1.00000 -0.66033  0.62073]
	// [ 1.00000 -2.00000  1.00000  1.00000 -1.79224  0.86646]
}

// Band-pass filtering every channel as MNE's raw.filter(7, 30) does.
func ExampleFilterData() {
	const fs = 160.0
	x := make([][]float64, 2)
	for c := range x {
		x[c] = make([]float64, 1600)
		for i := range x[c] {
			t := float64(i) / fs
			// 10 Hz (kept) plus 1 Hz and 50 Hz (removed).
			x[c][i] = math.Sin(2*math.Pi*10*t) + math.Sin(2*math.Pi*1*t) + math.Sin(2*math.Pi*50*t)
		}
	}
	y, err := dsp.FilterData(nil, x, fs, 7, 30, dsp.FIR)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Far from the edges only the 10 Hz component is left.
	worst := 0.0
	for i := 400; i < 1200; i++ {
		worst = math.Max(worst, math.Abs(y[0][i]-math.Sin(2*math.Pi*10*float64(i)/fs)))
	}
	fmt.Printf("max deviation from the 10 Hz sine: %.3f\n", worst)
	// Output:
	// max deviation from the 10 Hz sine: 0.003
}

// Filtering a stream chunk by chunk: the state carried in zi makes the
// output identical to filtering the whole signal at once.
func ExampleSOSFilt() {
	sos, _ := dsp.Butter(2, []float64{10}, dsp.Lowpass, 100)
	signal := []float64{1, 0, 0, 0, 0, 0, 0, 0}
	whole, _ := dsp.SOSFilt(nil, sos, signal, nil)

	zi := make([][2]float64, len(sos))
	first, _ := dsp.SOSFilt(nil, sos, signal[:3], zi)
	second, _ := dsp.SOSFilt(nil, sos, signal[3:], zi)
	chunked := append(first, second...)
	fmt.Println(fmt.Sprint(whole) == fmt.Sprint(chunked))
	// Output:
	// true
}

// A Kaiser-window low-pass FIR filter, as scipy.signal.firwin(5, 10,
// window=('kaiser', 5), fs=100).
func ExampleFirWin() {
	h, err := dsp.FirWin(5, []float64{10}, dsp.Window{Name: "kaiser", Beta: 5}, true, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.6f\n", h)
	// Output:
	// [0.013294 0.247465 0.478482 0.247465 0.013294]
}
