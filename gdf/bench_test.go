package gdf

import (
	"os"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// BenchmarkReadAll reads a whole OpenViBE GDF recording of the SSVEP
// dataset (8 float64 channels, 57024 samples at 256 Hz, one sample per
// record, 3.6 MB): open, header, event table and every sample.
func BenchmarkReadAll(b *testing.B) {
	path := testdata.Path(b, "ssvep-exo/subject01/record-[2012.07.06-19.02.16].gdf")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
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

// BenchmarkReadWindow reads 1 s windows (256 samples) of the same file
// into a reused buffer, as an online consumer would.
func BenchmarkReadWindow(b *testing.B) {
	path := testdata.Path(b, "ssvep-exo/subject01/record-[2012.07.06-19.02.16].gdf")
	r, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	dst := raw.NewData(len(info.Channels), 256)
	b.ReportAllocs()
	start := 0
	for b.Loop() {
		if err := r.ReadAt(dst, start); err != nil {
			b.Fatal(err)
		}
		start = (start + 256) % (info.NSamples - 256)
	}
}
