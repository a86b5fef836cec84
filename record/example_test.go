package record_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/record"
	"github.com/bcikit/bcikit/stream"
)

// Record two seconds of a two-channel stream with a marker, then read the
// file back.
func Example() {
	dir, err := os.MkdirTemp("", "record")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.bdf")

	hdr := stream.Header{
		Channels: []string{"Cz", "Status"},
		Units:    []string{"V", "NA"},
		Types:    []string{"eeg", "stim"},
		SFreq:    100,
	}
	w, err := record.Create(path, hdr, record.Options{Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}
	for k := range 4 { // chunks of 0.5 s, as a source delivers them
		ch := stream.Chunk{Start: int64(50 * k), Data: [][]float64{make([]float64, 50), make([]float64, 50)}}
		for i := range 50 {
			ch.Data[0][i] = 10e-6 * math.Sin(float64(50*k+i)/10)
		}
		if k == 1 {
			ch.Markers = []stream.Marker{{Sample: 60, Code: 1, Label: "go"}}
			ch.Data[1][10] = 1
		}
		if err := w.Write(ch); err != nil {
			log.Fatal(err) // the file keeps what was written
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	r, err := edf.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	fmt.Println(r.Header().Subtype, r.Header().Records, "records of", r.Header().RecordDuration, "s")
	fmt.Println(info.NSamples, "samples at", info.SFreq, "Hz, from", info.MeasDate.Format(time.DateTime))
	for _, a := range info.Annotations {
		fmt.Printf("%q at %v s\n", a.Description, a.Onset)
	}
	// Output:
	// BDF+C 2 records of 1 s
	// 200 samples at 100 Hz, from 2026-01-02 03:04:05
	// "go" at 0.6 s
}

// Repair a recording whose writer was killed: the header's record count
// is set from the file and a partial record at the end is cut off.
func ExampleRepair() {
	rep, err := record.Repair("session.bdf")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d complete records (the header said %d), %d bytes of a partial record dropped\n", rep.Records, rep.HeaderRecords, rep.DroppedBytes)
}
