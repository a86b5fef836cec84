package edf_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/raw"
)

// Open a file, look at its header and read a window of one second.
func Example() {
	r, err := edf.Open("testdata/written_edf.edf")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	fmt.Println(r.Header().Subtype, info.ChannelNames(), info.SFreq, "Hz,", info.NSamples, "samples")
	for _, a := range info.Annotations {
		fmt.Printf("%.4f s %q\n", a.Onset, a.Description)
	}

	n := int(info.SFreq) // one second
	win := raw.NewData(len(info.Channels), n)
	if err := r.ReadAt(win, 100); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %.3g V\n", info.Channels[0].Name, win[0][0])
	// Output:
	// EDF+C [EEG00 EEG01 EEG02 Flat Status] 333.3333333333333 Hz, 700 samples
	// 0.0000 s "start"
	// 0.2625 s "left hand"
	// 0.5250 s "仰卧 überlappend"
	// 1.0500 s "middle"
	// 2.0990 s "end"
	// EEG00: -0.000171 V
}

// Write a recording as BDF+ and read it back.
func ExampleWrite() {
	rec := &raw.Raw{Info: raw.Info{
		SFreq:    256,
		NSamples: 512,
		MeasDate: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		Channels: []raw.Channel{{Name: "Cz", Type: raw.EEG, Unit: raw.UnitVolt, SFreq: 256}},
		Annotations: []raw.Annotation{
			{Onset: 0.5, Duration: 1, Description: "stimulus"},
		},
	}}
	rec.Data = raw.NewData(1, 512)
	for i := range rec.Data[0] {
		rec.Data[0][i] = float64(i%64-32) * 1e-6
	}

	var buf bytes.Buffer
	if err := edf.Write(&buf, rec, edf.WriteOptions{Format: "bdf"}); err != nil {
		log.Fatal(err)
	}
	r, err := edf.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "memory.bdf")
	if err != nil {
		log.Fatal(err)
	}
	back, err := raw.ReadAll(r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Header().Subtype, r.Header().RecordDuration, "s records,", back.NSamples, "samples")
	fmt.Println(back.MeasDate, back.Annotations)
	fmt.Printf("sample 10: %.6g V (wrote %.6g V)\n", back.Data[0][10], rec.Data[0][10])
	// Output:
	// BDF+C 1 s records, 512 samples
	// 2024-05-06 07:08:09 +0000 UTC [{0.5 1 stimulus}]
	// sample 10: -2.2e-05 V (wrote -2.2e-05 V)
}
