package fif

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// ssvepFiles is the number of sessions (raw and event file pairs) of the
// shared ssvep-exo data: subjects 01-08, 2 or 3 sessions each.
const ssvepFiles = 18

// readAll opens path and loads it whole.
func readAll(t testing.TB, path string) (*Reader, *raw.Raw) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, x
}

// The small files written by MNE (testdata/gen/fif_ref.py) read as MNE
// reads them: header, annotations and samples within 1e-9 of each
// channel's largest value, and in fact bit for bit at the compared
// samples since the calibration is the same float64 product.
func TestSmallFilesMatchMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixtures map[string]string
	if err := json.Unmarshal(b, &fixtures); err != nil {
		t.Fatal(err)
	}
	if len(fixtures) < 7 {
		t.Fatalf("only %d fixtures", len(fixtures))
	}
	for file, ref := range fixtures {
		t.Run(file, func(t *testing.T) {
			_, x := readAll(t, filepath.Join("testdata", file))
			fx := reftest.Load(t, filepath.Join("testdata", ref))
			reftest.Compare(t, x, fx, reftest.Tol{Rel: 1e-9})
			exact(t, x, fx)
			if x.Format != "fif" {
				t.Errorf("format %q", x.Format)
			}
		})
	}
}

// exact checks the compared samples bit for bit.
func exact(t *testing.T, x *raw.Raw, fx *reftest.Fixture) {
	t.Helper()
	for c := range x.Channels {
		for k, i := range fx.Indices {
			if got, want := x.Data[c][i], fx.Values[c][k]; got != want {
				t.Errorf("%s: channel %d sample %d = %v, MNE %v", fx.File, c, i, got, want)
				return
			}
		}
	}
}

// Every raw file of the shared SSVEP data reads as MNE reads it.
func TestSSVEPMatchesMNE(t *testing.T) {
	refs, _ := filepath.Glob("testdata/ref_subject*.json")
	if len(refs) != ssvepFiles {
		t.Fatalf("%d ssvep-exo fixtures, want %d", len(refs), ssvepFiles)
	}
	for _, ref := range refs {
		fx := reftest.Load(t, ref)
		t.Run(filepath.Base(fx.File), func(t *testing.T) {
			_, x := readAll(t, testdata.Path(t, fx.File))
			reftest.Compare(t, x, fx, reftest.Tol{Rel: 1e-9})
			exact(t, x, fx)
		})
	}
}

// ReadEvents gives mne.read_events' events for the shared -eve.fif files
// and for small FIF and text event files.
func TestEventsMatchMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/events.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][][3]int
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	n := 0
	for rel, ev := range want {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			var path string
			if p, ok := strings.CutPrefix(rel, "fif/testdata/"); ok {
				path = filepath.Join("testdata", p)
			} else {
				path = testdata.Path(t, rel)
				n++
			}
			got, err := ReadEvents(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(ev) {
				t.Fatalf("%d events, MNE %d", len(got), len(ev))
			}
			for i, e := range ev {
				if g := got[i]; g.Sample != e[0] || g.Prev != e[1] || g.Code != e[2] {
					t.Errorf("event %d = %+v, MNE %v", i, g, e)
				}
			}
		})
	}
	if testdata.Dir() != "" && n != ssvepFiles {
		t.Errorf("%d ssvep-exo event files compared, want %d", n, ssvepFiles)
	}
}

// Windows read with ReadAt equal the same samples of the whole recording,
// across buffer edges, skips and split files.
func TestReadAtWindows(t *testing.T) {
	for _, name := range []string{"short_raw.fif", "double_skip_raw.fif", "split_raw.fif", "int_firstsamp_raw.fif"} {
		t.Run(name, func(t *testing.T) {
			r, all := readAll(t, filepath.Join("testdata", name))
			n := all.NSamples
			rng := rand.New(rand.NewPCG(1, 2))
			for range 200 {
				start := rng.IntN(n)
				m := rng.IntN(n - start + 1)
				dst := raw.NewData(len(all.Channels), m)
				if err := r.ReadAt(dst, start); err != nil {
					t.Fatal(err)
				}
				for c := range dst {
					for i, v := range dst[c] {
						if v != all.Data[c][start+i] {
							t.Fatalf("window %d+%d: channel %d sample %d = %v, whole read %v", start, m, c, start+i, v, all.Data[c][start+i])
						}
					}
				}
			}
			dst := raw.NewData(len(all.Channels), 2)
			if err := r.ReadAt(dst, n-1); !errors.Is(err, raw.ErrWindow) {
				t.Errorf("window past the end: %v, want raw.ErrWindow", err)
			}
		})
	}
}

// Skipped samples read as zeros, where MNE also adds BAD_ACQ_SKIP.
func TestSkipsAreZeros(t *testing.T) {
	_, x := readAll(t, "testdata/double_skip_raw.fif")
	// MNE wrote skips for [1.0, 1.5) s and [2.0, 2.25) s at 200 Hz.
	for _, span := range [][2]int{{200, 300}, {400, 450}} {
		for c := range x.Data {
			for i := span[0]; i < span[1]; i++ {
				if x.Data[c][i] != 0 {
					t.Fatalf("channel %d sample %d = %v in a skip", c, i, x.Data[c][i])
				}
			}
		}
	}
	if x.Data[0][199] == 0 || x.Data[0][300] == 0 {
		t.Errorf("samples next to a skip are zero")
	}
}

// NewReader cannot follow a split recording and names the next file.
func TestNewReaderSplit(t *testing.T) {
	b, err := os.ReadFile("testdata/split_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewReader(bytes.NewReader(b), int64(len(b)), "testdata/split_raw.fif")
	if !errors.Is(err, ErrSplit) || !strings.Contains(err.Error(), "split_raw-1.fif") {
		t.Errorf("err = %v, want ErrSplit naming split_raw-1.fif", err)
	}
}

// A missing split part is an error naming it, not a silent truncation.
func TestMissingSplitPart(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/split_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	// File names with brackets, as in the shared data, are used literally.
	path := filepath.Join(dir, "rec-[1]_raw.fif")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "split_raw-1.fif") {
		t.Errorf("err = %v, want a missing split_raw-1.fif", err)
	}
}

func TestSplitName(t *testing.T) {
	for _, c := range []struct {
		name string
		num  int64
		want string
	}{
		{"d/x_raw.fif", 1, "d/x_raw-1.fif"},
		{"d/x_raw-1.fif", 2, "d/x_raw-2.fif"},
		{"d/a-b_raw.fif.gz", 1, "d/a-b_raw-1.fif.gz"},
		{"x_raw.fif", 3, "x_raw.fi-3.fif"}, // as MNE, odd as it is
	} {
		if got := splitName(c.name, c.num); got != filepath.FromSlash(c.want) {
			t.Errorf("splitName(%q, %d) = %q, want %q", c.name, c.num, got, c.want)
		}
	}
}

// pyTimedelta matches Python's timedelta(seconds=x) (values from CPython
// 3.11), including its round-half-even on the total.
func TestPyTimedelta(t *testing.T) {
	for _, c := range []struct {
		x  float64
		us int64
	}{
		{0.30000001192092896, 300000},
		{1.2345677614212036, 1234568},
		{5e-07, 0},
		{1.5e-06, 2},
		{2.5e-06, 2},
		{-5e-07, 0},
		{-1.5e-06, -2},
		{1.0000005, 1000001},
		{2.0000025, 2000002},
		{123456.7890125, 123456789012},
		{-3.9999995, -3999999},
		{1e-07, 0},
		{0.30000000000000004, 300000},
		{86399.9999995, 86399999999},
		{1000000000.0000005, 1000000000000000},
	} {
		if got, ok := pyTimedelta(c.x); !ok || got != c.us {
			t.Errorf("pyTimedelta(%v) = %d, %v; Python %d", c.x, got, ok, c.us)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), 1e20} {
		if _, ok := pyTimedelta(x); ok {
			t.Errorf("pyTimedelta(%v) accepted", x)
		}
	}
}

// The synthetic file of build_test.go reads as intended.
func TestBuiltFile(t *testing.T) {
	b := defaultSpec().build()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)), "built_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if x.NSamples != 6 || x.SFreq != 100 || len(x.Channels) != 2 {
		t.Fatalf("header %+v", x.Info)
	}
	if want := time.Unix(1600000000, 5000).UTC(); !x.MeasDate.Equal(want) {
		t.Errorf("meas date %v, want %v", x.MeasDate, want)
	}
	cal := float64(float32(1e-6))
	for i := range 6 {
		if x.Data[0][i] != float64(i+1)*cal || x.Data[1][i] != -float64(i+1)*2*cal {
			t.Errorf("sample %d = %v, %v", i, x.Data[0][i], x.Data[1][i])
		}
	}
}

// An initial skip moves the first sample on by whole buffers, a later one
// inserts zeros, as in MNE.
func TestBuiltSkips(t *testing.T) {
	s := defaultSpec()
	s.preBuffer = func(b *builder) {
		b.ints(kindFirstSample, 10)
		b.ints(kindDataSkip, 2)
	}
	s.buffers = append(s.buffers[:1], nil, s.buffers[1])
	data := s.build()
	// Replace the middle (empty) buffer by a skip of one buffer.
	data = bytes.Replace(data, append(be32(kindDataBuffer, typeDAUPack16), be32(0, 0)...),
		append(be32(kindDataSkip, typeInt), be32(4, 0, 1)...), 1)
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), "skip_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	in := r.Info()
	if in.FirstSample != 16 || in.NSamples != 9 {
		t.Fatalf("first sample %d, %d samples; want 16, 9", in.FirstSample, in.NSamples)
	}
	if len(in.Annotations) != 1 || in.Annotations[0] != (raw.Annotation{Onset: 0.19, Duration: 0.03, Description: "BAD_ACQ_SKIP"}) {
		t.Errorf("annotations %+v", in.Annotations)
	}
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if x.Data[0][2] == 0 || x.Data[0][3] != 0 || x.Data[0][5] != 0 || x.Data[0][6] == 0 {
		t.Errorf("channel 0 = %v", x.Data[0])
	}
}

// Duplicate channel names are made unique as MNE does.
func TestDuplicateNames(t *testing.T) {
	s := defaultSpec()
	s.nchan = be32(3)
	s.chans = [][]byte{chanStruct("A", chEEG, coilEEG, unitV, 1, 1), chanStruct("A", chEEG, coilEEG, unitV, 1, 1), chanStruct("A-0", chStim, 0, unitNone, 1, 1)}
	s.buffers = [][]byte{beI16(1, 2, 3)}
	b := s.build()
	r, err := NewReader(bytes.NewReader(b), int64(len(b)), "dup_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	got := r.Info().ChannelNames()
	want := []string{"A-a", "A-1", "A-0"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("names %q, want %q", got, want)
		}
	}
}

// A gzip-compressed event file reads as the plain one.
func TestEventsGzip(t *testing.T) {
	b, err := os.ReadFile("testdata/small-eve.fif")
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	path := filepath.Join(t.TempDir(), "small-eve.fif.gz")
	if err := os.WriteFile(path, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadEvents("testdata/small-eve.fif")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("gzip events %v, plain %v", got, want)
	}
}

// ReadAt may be called from several goroutines.
func TestConcurrentReadAt(t *testing.T) {
	r, all := readAll(t, "testdata/split_raw.fif")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			dst := raw.NewData(len(all.Channels), 50)
			for start := g; start+50 <= all.NSamples; start += 37 {
				if err := r.ReadAt(dst, start); err != nil {
					t.Error(err)
					return
				}
				for c := range dst {
					if !slices.Equal(dst[c], all.Data[c][start:start+50]) {
						t.Errorf("goroutine %d: window %d differs", g, start)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
