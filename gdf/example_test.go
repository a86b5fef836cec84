package gdf_test

import (
	"fmt"
	"log"

	"github.com/bcikit/bcikit/gdf"
	"github.com/bcikit/bcikit/raw"
)

// Open a GDF file, look at its header and events, and load it.
func ExampleOpen() {
	r, err := gdf.Open("testdata/synth_v1.gdf")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	info := r.Info()
	fmt.Printf("GDF %.2f, %d channels at %g Hz, %d samples, start %s\n",
		r.Version(), len(info.Channels), info.SFreq, info.NSamples, info.MeasDate.Format("2006-01-02 15:04:05.00"))
	for _, c := range info.Channels {
		fmt.Printf("  %-7s %-4s %s\n", c.Name, c.Type, c.Unit)
	}
	// The event table as stored, and the annotations MNE makes of it.
	fmt.Println("first stored event:", r.Events()[0])
	for _, a := range info.Annotations[:3] {
		fmt.Printf("  %.3f s  %s\n", a.Onset, a.Description)
	}

	data, err := raw.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("C3[0] = %.4g V\n", data.Data[0][0])
	// Output:
	// GDF 1.25, 4 channels at 200 Hz, 100 samples, start 2012-07-06 19:02:16.37
	//   C3      eeg  V
	//   C4      eeg  V
	//   Cz      eeg  V
	//   trigger stim NA
	// first stored event: {3 33024 0 0}
	//   0.000 s  32779
	//   0.010 s  33024
	//   0.490 s  33025
	// C3[0] = 0.007462 V
}
