package gdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// ssvepSeed cuts an OpenViBE GDF 1 file down to its header and a few
// records and appends an event table of the given mode, so that the seed
// stays small but has the layout of the real recordings.
func ssvepSeed(tb testing.TB, path string, mode byte) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	le := binary.LittleEndian
	hl := int(le.Uint64(b[184:]))
	const recs, recBytes = 6, 8 * 8 // 8 float64 channels, 1 sample a record
	seed := slices.Clone(b[:hl+recs*recBytes])
	le.PutUint64(seed[236:], recs)
	pos := []uint32{1, 3, 6, 7, 0}
	typ := []uint16{33024, 32779, 33025, 32780, 33027}
	seed = append(seed, mode, 0, 1, 0)
	seed = le.AppendUint32(seed, uint32(len(pos)))
	for _, p := range pos {
		seed = le.AppendUint32(seed, p)
	}
	for _, t := range typ {
		seed = le.AppendUint16(seed, t)
	}
	if mode == 3 {
		for i := range pos {
			seed = le.AppendUint16(seed, uint16(i))
		}
		for i := range pos {
			seed = le.AppendUint32(seed, uint32(i*2))
		}
	}
	return seed
}

// FuzzReader feeds arbitrary files to NewReader and, when it accepts one,
// reads the event table and every sample, whole and in windows. Any error
// must wrap one of the package's sentinels; nothing may panic.
func FuzzReader(f *testing.F) {
	synth, _ := filepath.Glob("testdata/synth_*.gdf")
	for _, p := range synth {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if testdata.Dir() != "" {
		f.Add(readFile(f, testdata.Path(f, "formats/GDF/test_1ch.gdf")))
		p := testdata.Path(f, "ssvep-exo/subject01/record-[2012.07.06-19.02.16].gdf")
		f.Add(ssvepSeed(f, p, 1))
		f.Add(ssvepSeed(f, p, 3))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), int64(len(b)), "fuzz.gdf")
		if err != nil {
			if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		info := r.Info()
		_ = r.Events()
		if info.NSamples <= 0 || info.SFreq <= 0 || len(info.Channels) == 0 {
			t.Fatalf("accepted an empty recording: %d samples at %g Hz, %d channels", info.NSamples, info.SFreq, len(info.Channels))
		}
		// Every accepted size is bounded by the file, but the product of
		// channels and samples need not be small: cap what is read.
		n := min(info.NSamples, max(1, (1<<21)/len(info.Channels)))
		full := raw.NewData(len(info.Channels), n)
		if err := r.ReadAt(full, 0); err != nil {
			t.Fatalf("reading samples [0, %d): %v", n, err)
		}
		for _, w := range [][2]int{{0, 1}, {n / 3, n / 2}, {n - 1, 1}, {n / 2, 0}} {
			start, length := w[0], min(w[1], n-w[0])
			win := raw.NewData(len(info.Channels), length)
			if err := r.ReadAt(win, start); err != nil {
				t.Fatalf("window [%d, +%d): %v", start, length, err)
			}
			for c := range win {
				for i, v := range win[c] {
					if u := full[c][start+i]; v != u && (v == v || u == u) {
						t.Fatalf("channel %d sample %d: window %v, whole %v", c, start+i, v, u)
					}
				}
			}
		}
		if err := r.ReadAt(raw.NewData(len(info.Channels), 1), info.NSamples); err == nil {
			t.Fatal("read past the end")
		}
	})
}
