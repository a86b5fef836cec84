package fif_test

import (
	"fmt"
	"log"
	"os"

	"github.com/bcikit/bcikit/fif"
	"github.com/bcikit/bcikit/raw"
)

func ExampleOpen() {
	r, err := fif.Open("testdata/int_firstsamp_raw.fif")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	in := r.Info()
	fmt.Println(in.Format, len(in.Channels), "channels at", in.SFreq, "Hz")
	fmt.Println(in.Channels[0].Name, in.Channels[0].Type, in.Channels[0].Unit)
	fmt.Println("first sample", in.FirstSample, "samples", in.NSamples)
	for _, a := range in.Annotations {
		fmt.Printf("%q at %.2f s for %.2f s\n", a.Description, a.Onset, a.Duration)
	}

	// Read one second from the start.
	win := raw.NewData(len(in.Channels), int(in.SFreq))
	if err := r.ReadAt(win, 0); err != nil {
		log.Fatal(err)
	}
	// Output:
	// fif 10 channels at 200 Hz
	// Fz eeg V
	// first sample 100 samples 500
	// "a" at 0.75 s for 0.50 s
	// "b" at 1.50 s for 0.00 s
}

func ExampleReadEvents() {
	ev, err := fif.ReadEvents("testdata/small-eve.fif")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ev[:3] {
		fmt.Println(e.Sample, e.Prev, e.Code)
	}
	// Output:
	// 10 0 1
	// 55 0 2
	// 120 2 3
}

func ExampleNewFile() {
	// The tag level: list the blocks of an event file.
	fh, err := os.Open("testdata/small-eve.fif")
	if err != nil {
		log.Fatal(err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		log.Fatal(err)
	}
	f, err := fif.NewFile(fh, st.Size(), fh.Name())
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range f.Root.Children {
		fmt.Println("block", b.Kind, "with", len(b.Tags), "tag(s)")
		for _, t := range b.Tags {
			data, err := f.Data(t)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println("  tag", t.Kind, "type", t.Type, "bytes", len(data))
		}
	}
	// Output:
	// block 361 with 1 tag(s)
	//   tag 3561 type 3 bytes 60
}
