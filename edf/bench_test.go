package edf

import (
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// BenchmarkReadEEGMMIDB opens and loads a whole EEGMMIDB run (64 channels,
// 20,000 samples at 160 Hz, 30 annotations), as MNE's
// read_raw_edf(path, preload=True) does; bench/compare_read.sh times both.
// Besides ns/op it reports cpu-ns/op, the process CPU time per read, which
// other jobs on the machine disturb less.
func BenchmarkReadEEGMMIDB(b *testing.B) {
	path := testdata.Path(b, "eegmmidb/S001/S001R04.edf")
	b.ReportAllocs()
	cpu := processCPU()
	defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := raw.ReadAll(r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkReadAtWindow reads one 1-s window (64 channels x 160 samples)
// of an opened EEGMMIDB run: the cost per window of a streaming consumer.
func BenchmarkReadAtWindow(b *testing.B) {
	r, err := Open(testdata.Path(b, "eegmmidb/S001/S001R04.edf"))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	dst := raw.NewData(len(r.Info().Channels), 160)
	b.ReportAllocs()
	start := 0
	for b.Loop() {
		if err := r.ReadAt(dst, start); err != nil {
			b.Fatal(err)
		}
		start = (start + 1234) % (r.Info().NSamples - 160)
	}
}

// BenchmarkReadResampled loads test_reduced.edf, whose channels have 11
// different sampling rates (every slow channel is FFT-resampled per
// record, as MNE does).
func BenchmarkReadResampled(b *testing.B) {
	path := testdata.Path(b, "formats/EDF/test_reduced.edf")
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := raw.ReadAll(r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}
