package brainvision

import (
	"os"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// BenchmarkReadAll opens test.vhdr (32 channels × 7900 INT_16 samples)
// and reads it whole, as mne.io.read_raw_brainvision(preload=True).
func BenchmarkReadAll(b *testing.B) {
	path := testdata.Path(b, "formats/BrainVision/test.vhdr")
	st, err := os.Stat(testdata.Path(b, "formats/BrainVision/test.eeg"))
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

// BenchmarkReadAt reads test.eeg whole into a reused buffer: the decoding
// cost without opening and allocating.
func BenchmarkReadAt(b *testing.B) {
	r, err := Open(testdata.Path(b, "formats/BrainVision/test.vhdr"))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	dst := raw.NewData(len(info.Channels), info.NSamples)
	b.SetBytes(int64(len(info.Channels) * info.NSamples * 2))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.ReadAt(dst, 0); err != nil {
			b.Fatal(err)
		}
	}
}
