package fif

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// BenchmarkReadAll opens one ssvep-exo session (8 channels, 256 Hz, about
// 5 minutes of float32 buffers) and reads it whole.
func BenchmarkReadAll(b *testing.B) {
	path := testdata.Path(b, "ssvep-exo/subject01/record-[2012.07.06-19.06.14]_raw.fif")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
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

// BenchmarkReadAtWindow reads one-second windows into a reused buffer, as
// an online decoder replaying a file does.
func BenchmarkReadAtWindow(b *testing.B) {
	path := testdata.Path(b, filepath.FromSlash("ssvep-exo/subject01/record-[2012.07.06-19.06.14]_raw.fif"))
	r, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	in := r.Info()
	win := raw.NewData(len(in.Channels), int(in.SFreq))
	start := 0
	for b.Loop() {
		if start+len(win[0]) > in.NSamples {
			start = 0
		}
		if err := r.ReadAt(win, start); err != nil {
			b.Fatal(err)
		}
		start += len(win[0])
	}
}
