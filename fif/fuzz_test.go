package fif

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// seedFiles adds the small FIF files of testdata and, when the shared data
// is there, the start of a real raw file (its header and first buffers).
func seedRaw(f *testing.F) {
	files, _ := filepath.Glob("testdata/*_raw*.fif")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(defaultSpec().build())
	if d := testdata.Dir(); d != "" {
		real, _ := filepath.Glob(filepath.Join(d, "ssvep-exo", "subject01", "*_raw.fif"))
		if len(real) > 0 {
			if b, err := os.ReadFile(real[0]); err == nil {
				f.Add(b[:min(len(b), 8192)])
			}
		}
	}
}

// FuzzReader checks that no input makes the reader panic or misbehave:
// either an error wrapping ErrFormat, ErrTruncated or ErrSplit, or a
// header whose windows read without error.
func FuzzReader(f *testing.F) {
	seedRaw(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz_raw.fif")
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrSplit) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		in := r.Info()
		if in.NSamples <= 0 || len(in.Channels) == 0 || !(in.SFreq > 0) {
			t.Fatalf("accepted header %+v", in)
		}
		n := min(in.NSamples, 512)
		dst := raw.NewData(len(in.Channels), n)
		for _, start := range []int{0, in.NSamples - n, (in.NSamples - n) / 2} {
			if err := r.ReadAt(dst, start); err != nil {
				t.Fatalf("ReadAt(%d, %d): %v", start, n, err)
			}
		}
	})
}

// FuzzEvents does the same for event files, in both formats.
func FuzzEvents(f *testing.F) {
	for _, p := range []string{"testdata/small-eve.fif", "testdata/small.eve", "testdata/old-eve.lst"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	if d := testdata.Dir(); d != "" {
		real, _ := filepath.Glob(filepath.Join(d, "ssvep-exo", "*", "*-eve.fif"))
		for _, p := range real[:min(len(real), 4)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"fuzz-eve.fif", "fuzz.eve"} {
			ev, err := ReadEventsFrom(bytes.NewReader(data), int64(len(data)), name)
			if err != nil {
				if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTruncated) {
					t.Fatalf("%s: error without a sentinel: %v", name, err)
				}
				continue
			}
			if len(ev) == 0 {
				t.Fatalf("%s: no events and no error", name)
			}
		}
	})
}
