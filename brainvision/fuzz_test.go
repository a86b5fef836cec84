package brainvision

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// fuzzSeeds returns the named file of every edge case (testdata/edge.json)
// and of the shared BrainVision recordings when the data directory exists.
func fuzzSeeds(f *testing.F, ext string) [][]byte {
	var seeds [][]byte
	if b, err := os.ReadFile(filepath.Join("testdata", "edge.json")); err == nil {
		var cases []edgeCase
		if err := json.Unmarshal(b, &cases); err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			content := c.Files["x"+ext]
			data := []byte(content[2:])
			if strings.HasPrefix(content, "h:") {
				data, _ = hex.DecodeString(content[2:])
			}
			seeds = append(seeds, data)
		}
	}
	if dir := testdata.Dir(); dir != "" {
		for _, name := range realFiles {
			if b, err := os.ReadFile(filepath.Join(dir, "formats", "BrainVision", name+ext)); err == nil {
				seeds = append(seeds, b)
			}
		}
	}
	return seeds
}

// FuzzHeader parses arbitrary .vhdr contents: no panic, every error wraps
// a sentinel, and an accepted header describes a usable recording.
func FuzzHeader(f *testing.F) {
	for _, s := range fuzzSeeds(f, ".vhdr") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeader(b, "/fuzz/x.vhdr")
		if err != nil {
			if !errors.Is(err, ErrHeader) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		n := len(h.Channels)
		if n == 0 || len(h.channels) != n || len(h.scale) != n {
			t.Fatalf("%d channels, %d typed, %d scales", n, len(h.channels), len(h.scale))
		}
		if !(h.sfreq > 0) || math.IsInf(h.sfreq, 0) {
			t.Fatalf("sampling rate %v", h.sfreq)
		}
		if h.sampleSize == 0 && h.DataFormat == "BINARY" {
			t.Fatal("binary data without a sample size")
		}
		seen := map[string]bool{}
		for i, c := range h.channels {
			if h.scale[i] == 0 || math.IsNaN(h.scale[i]) {
				t.Fatalf("channel %d scale %v", i, h.scale[i])
			}
			if seen[c.Name] {
				t.Fatalf("duplicate channel %q", c.Name)
			}
			seen[c.Name] = true
		}
	})
}

// FuzzMarkers parses arbitrary .vmrk contents and turns them into
// annotations of a 100-sample, 1 kHz recording: no panic, every error
// wraps a sentinel, and the annotations lie inside the recording, sorted.
func FuzzMarkers(f *testing.F) {
	for _, s := range fuzzSeeds(f, ".vmrk") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		mf, err := parseMarkers(b, "/fuzz/x.vmrk")
		if err != nil {
			if !errors.Is(err, ErrMarkers) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		const sfreq, n = 1000.0, 100
		anns, err := mf.annotations(sfreq, n, mf.measDate, mf.hasMeasDate)
		if err != nil {
			if !errors.Is(err, ErrMarkers) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if len(anns) > len(mf.markers) {
			t.Fatalf("%d annotations from %d markers", len(anns), len(mf.markers))
		}
		// Onsets count from the measurement date whichever date the
		// markers are cropped against.
		lo, hi := 0.0, float64(n)/sfreq
		for i, a := range anns {
			if a.Duration < 0 || a.Onset < lo-1e-6 || a.Onset > hi+1e-6 {
				t.Fatalf("annotation %d %+v outside [%g, %g]", i, a, lo, hi)
			}
			if i > 0 && a.Onset < anns[i-1].Onset {
				t.Fatalf("annotations not sorted: %+v after %+v", a, anns[i-1])
			}
		}
	})
}

// FuzzOpen opens a header, a marker file and a data file and reads the
// whole recording: no panic, errors wrap a sentinel, and an opened
// recording reads in full.
func FuzzOpen(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "edge.json"))
	if err != nil {
		f.Fatal(err)
	}
	var cases []edgeCase
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	file := func(c edgeCase, name string) []byte {
		content := c.Files[name]
		if strings.HasPrefix(content, "h:") {
			data, _ := hex.DecodeString(content[2:])
			return data
		}
		return []byte(content[2:])
	}
	for _, c := range cases {
		f.Add(file(c, "x.vhdr"), file(c, "x.vmrk"), file(c, "x.eeg"))
	}
	f.Fuzz(func(t *testing.T, vhdr, vmrk, eeg []byte) {
		// Open without the file system: the same steps on the bytes.
		sentinel := func(err error) bool {
			for _, s := range []error{ErrHeader, ErrMarkers, ErrData, ErrTruncated, ErrUnsupported} {
				if errors.Is(err, s) {
					return true
				}
			}
			return false
		}
		r, err := openBytes(vhdr, vmrk, eeg)
		if err != nil {
			if !sentinel(err) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		defer r.Close()
		info := r.Info()
		if info.NSamples <= 0 || len(info.Channels) == 0 {
			t.Fatalf("%d samples, %d channels", info.NSamples, len(info.Channels))
		}
		if _, err := raw.ReadAll(r); err != nil && !errors.Is(err, ErrData) {
			t.Fatalf("ReadAll: %v", err)
		}
	})
}

// nopCloser gives a bytes.Reader the data file's Close.
type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// openBytes is Open on in-memory files.
func openBytes(vhdr, vmrk, eeg []byte) (*Reader, error) {
	h, err := parseHeader(vhdr, "/fuzz/x.vhdr")
	if err != nil {
		return nil, err
	}
	mf, err := parseMarkers(vmrk, "/fuzz/x.vmrk")
	if err != nil {
		return nil, err
	}
	return newReader(h, mf, nopCloser{bytes.NewReader(eeg)}, int64(len(eeg)))
}
