package online_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/online"
	"github.com/bcikit/bcikit/paradigm"
)

// synthModel trains pipeline on synthetic two-class trials (class 2 has
// more 10 Hz power on the first channel, class 3 on the second) of nc
// channels at sfreq, with a one-band imagery paradigm of 0–1 s trials.
func synthModel(pipeline string, nc int, sfreq float64) *decode.Model {
	rng := rand.New(rand.NewPCG(1, 1))
	n := int(sfreq) + 1
	var x [][][]float64
	var y []int
	for trial := range 40 {
		class := 2 + trial%2
		tr := make([][]float64, nc)
		for c := range tr {
			tr[c] = make([]float64, n)
			for i := range tr[c] {
				tr[c][i] = rng.NormFloat64()
				if c == class-2 {
					tr[c][i] += 3 * math.Sin(2*math.Pi*10*float64(i)/sfreq+rng.Float64())
				}
			}
		}
		x, y = append(x, tr), append(y, class)
	}
	p, err := decode.New(pipeline)
	if err != nil {
		panic(err)
	}
	if err := decode.Configure(p, decode.Setup{SFreq: sfreq, ClassFreqs: map[int]float64{2: 10, 3: 15}}); err != nil {
		panic(err)
	}
	if err := p.Fit(decode.Data{Trials: x}, y); err != nil {
		panic(err)
	}
	par, _ := json.Marshal(paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 32}}, TMin: 0, TMax: 1, Scale: 1e6})
	names := make([]string, nc)
	for c := range names {
		names[c] = fmt.Sprintf("E%d", c+1)
	}
	return &decode.Model{Pipeline: pipeline, Channels: names, SFreq: sfreq, Classes: []int{2, 3}, Paradigm: par, State: p}
}

// A decoder fed 100-ms chunks of a 4-channel stream at 100 Hz decodes a 1-s
// window every 0.5 s.
func ExampleDecoder() {
	m := synthModel("csp+lda", 4, 100)
	dec, err := online.NewDecoder(m, m.Channels, m.SFreq, online.Config{Window: 1, Step: 0.5, Smooth: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	chunk := make([][]float64, 4)
	for c := range chunk {
		chunk[c] = make([]float64, 10)
	}
	for k := range 30 {
		for c := range chunk {
			for i := range chunk[c] {
				// Class 3's signature: 10 Hz on the second channel.
				chunk[c][i] = 1e-6 * float64(c%2) * math.Sin(2*math.Pi*10*float64(10*k+i)/100)
			}
		}
		var markers []online.Marker
		if k == 12 {
			markers = []online.Marker{{Sample: 125, Code: 3, Label: "cue"}}
		}
		out, err := dec.Push(int64(10*k), chunk, time.Now(), markers)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, d := range out {
			fmt.Printf("window [%d, %d): class %d, smoothed %d, markers %v\n", d.End-int64(d.Length), d.End, d.Predicted, d.Smoothed, d.Markers)
		}
	}
	// Output:
	// window [0, 100): class 3, smoothed 3, markers []
	// window [50, 150): class 3, smoothed 3, markers [{125 3 cue}]
	// window [100, 200): class 3, smoothed 3, markers []
	// window [150, 250): class 3, smoothed 3, markers []
	// window [200, 300): class 3, smoothed 3, markers []
}

// Filtering a stream chunk by chunk gives the one-shot output.
func ExampleFilter() {
	f, err := online.NewBandPass(250, 8, 30, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, 500)
	for i := range x {
		x[i] = 1e-3 + 1e-5*math.Sin(2*math.Pi*12*float64(i)/250)
	}
	y := make([]float64, len(x))
	for start := 0; start < len(x); start += 64 {
		end := min(start+64, len(x))
		if err := f.Process([][]float64{y[start:end]}, [][]float64{x[start:end]}); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The 1 mV offset is gone from the start (sosfilt_zi); the 12 Hz
	// sine passes.
	peak := 0.0
	for _, v := range y[250:] {
		peak = math.Max(peak, math.Abs(v))
	}
	fmt.Printf("first output %.2g V, peak after 1 s %.2g V\n", y[0], peak)
	// Output:
	// first output 0 V, peak after 1 s 1e-05 V
}
