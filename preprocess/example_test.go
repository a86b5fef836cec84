package preprocess_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/preprocess"
	"github.com/bcikit/bcikit/raw"
)

func ExampleFilter() {
	// 10 s of a 2 Hz + 20 Hz mixture at 200 Hz on one EEG channel.
	r := &raw.Raw{Info: raw.Info{SFreq: 200, NSamples: 2000, Channels: []raw.Channel{{Name: "Cz", Type: raw.EEG}}}}
	r.Data = raw.NewData(1, 2000)
	for i := range r.Data[0] {
		t := float64(i) / 200
		r.Data[0][i] = math.Sin(2*math.Pi*2*t) + math.Sin(2*math.Pi*20*t)
	}
	// Keep 8-30 Hz, as raw.filter(8, 30) in MNE.
	if err := preprocess.Filter(r, 8, 30, preprocess.FIR); err != nil {
		panic(err)
	}
	// The 20 Hz sine (RMS 0.71) stays, the 2 Hz one is gone.
	var ss float64
	for _, v := range r.Data[0][500:1500] {
		ss += v * v
	}
	fmt.Printf("RMS after band-pass: %.2f\n", math.Sqrt(ss/1000))
	// Output: RMS after band-pass: 0.71
}
