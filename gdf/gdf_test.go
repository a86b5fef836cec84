package gdf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// The readers must match MNE-Python's get_data() within 1e-9 of each
// channel's largest absolute value.
var tol = reftest.Tol{Rel: 1e-9}

// sharedFiles returns the shared recordings and their fixtures
// (testdata/index.json, written by testdata/gen/gdf_ref.py).
func sharedFiles(t testing.TB) map[string]string {
	b, err := os.ReadFile("testdata/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var idx map[string]string
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx
}

func readAll(t testing.TB, path string) (*Reader, *raw.Raw) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	data, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, data
}

// TestShared compares every GDF file of the shared data with MNE.
func TestShared(t *testing.T) {
	idx := sharedFiles(t)
	if len(idx) != 9 {
		t.Fatalf("index.json lists %d files, want 9", len(idx))
	}
	for rel, fx := range idx {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			path := testdata.Path(t, rel)
			_, data := readAll(t, path)
			if data.Format != "gdf" {
				t.Errorf("format %q", data.Format)
			}
			reftest.Compare(t, data, reftest.Load(t, filepath.Join("testdata", fx)), tol)
		})
	}
}

// TestSynthetic compares the small files written by gdf_ref.py, which cover
// the sample types, GDF 1 and 2 event tables, stim channels, lower rates and
// repeated names, with MNE.
func TestSynthetic(t *testing.T) {
	refs, err := filepath.Glob("testdata/ref_synth_*.json")
	if err != nil || len(refs) != 12 {
		t.Fatalf("%d synthetic fixtures (%v), want 12", len(refs), err)
	}
	for _, ref := range refs {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(ref), "ref_"), ".json") + ".gdf"
		t.Run(name, func(t *testing.T) {
			_, data := readAll(t, filepath.Join("testdata", name))
			reftest.Compare(t, data, reftest.Load(t, ref), tol)
		})
	}
}

// TestSSVEPEvents checks the stored event table of an OpenViBE file.
func TestSSVEPEvents(t *testing.T) {
	path := testdata.Path(t, "ssvep-exo/subject01/record-[2012.07.06-19.02.16].gdf")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ev := r.Events()
	if len(ev) != 98 {
		t.Fatalf("%d events, want 98", len(ev))
	}
	// The first stored events (see xxd of the table at 0x37b900).
	want := []Event{{Pos: 3325, Type: 32769}, {Pos: 3837, Type: 33024}}
	for i, w := range want {
		if ev[i] != w {
			t.Errorf("event %d = %+v, want %+v", i, ev[i], w)
		}
	}
	codes := map[uint16]int{}
	for _, e := range ev {
		codes[e.Type]++
	}
	for _, c := range []uint16{33024, 33025, 33026, 33027} {
		if codes[c] != 8 {
			t.Errorf("code %d appears %d times, want 8 (trials per class)", c, codes[c])
		}
	}
	if r.Version() != 1.25 || r.EventRate() != 0 {
		t.Errorf("version %v, event rate %v", r.Version(), r.EventRate())
	}
}

// TestEventsStored checks channels and durations of a mode-3 table, as
// written by gdf_ref.py.
func TestEventsStored(t *testing.T) {
	r, err := Open("testdata/synth_v2_mixed.gdf")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ev := r.Events()
	if len(ev) != 12 {
		t.Fatalf("%d events", len(ev))
	}
	if ev[0] != (Event{Pos: 0, Type: 0x8100}) || ev[3] != (Event{Pos: 100, Type: 0x300, Dur: 400}) ||
		ev[8] != (Event{Pos: 201, Type: 1, Chan: 9}) {
		t.Errorf("events %+v", ev)
	}
	if got := float32(r.EventRate()); got != float32(4*50.0/3) {
		t.Errorf("event rate %v", got)
	}
}

// TestWindows checks that any window read alone equals the same samples of
// a whole-file read, across record boundaries and for every reading plan.
func TestWindows(t *testing.T) {
	files := []string{"testdata/synth_v2_mixed.gdf", "testdata/synth_v1.gdf", "testdata/synth_type16.gdf"}
	if d := testdata.Dir(); d != "" {
		files = append(files, testdata.Path(t, "formats/GDF/test_1ch.gdf"))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, f := range files {
		r, full := readAll(t, f)
		n := full.NSamples
		for range 200 {
			start := rng.IntN(n)
			length := rng.IntN(n - start + 1)
			win := raw.NewData(len(full.Channels), length)
			if err := r.ReadAt(win, start); err != nil {
				t.Fatalf("%s: [%d,+%d): %v", f, start, length, err)
			}
			for c := range win {
				for i, v := range win[c] {
					if w := full.Data[c][start+i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
						t.Fatalf("%s: channel %d sample %d: window gives %v, whole file %v", f, c, start+i, v, w)
					}
				}
			}
		}
		if err := r.ReadAt(raw.NewData(len(full.Channels), 2), n-1); !errors.Is(err, raw.ErrWindow) {
			t.Errorf("%s: window past the end: %v", f, err)
		}
	}
}

// TestConcurrentReads runs ReadAt from several goroutines (for -race).
func TestConcurrentReads(t *testing.T) {
	r, full := readAll(t, "testdata/synth_v2_mixed.gdf")
	done := make(chan error)
	for g := range 4 {
		go func() {
			d := raw.NewData(len(full.Channels), 17)
			var err error
			for i := range 20 {
				if err = r.ReadAt(d, (g*31+i*7)%(full.NSamples-17)); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newReader(b []byte) (*Reader, error) {
	return NewReader(bytes.NewReader(b), int64(len(b)), "test.gdf")
}

// TestHeader3 reads a GDF 2.20 file with a tag-length-value header after the
// channel headers (which MNE refuses) as the same file without it.
func TestHeader3(t *testing.T) {
	orig := readFile(t, "testdata/synth_v2_mixed.gdf")
	hl := int(binary.LittleEndian.Uint16(orig[184:])) * 256
	b := slices.Concat(orig[:hl], make([]byte, 512), orig[hl:])
	binary.LittleEndian.PutUint16(b[184:], uint16(hl/256+2))
	b[hl] = 1 // a tag
	want, err := newReader(orig)
	if err != nil {
		t.Fatal(err)
	}
	got, err := newReader(b)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := raw.ReadAll(want)
	g, err := raw.ReadAll(got)
	if err != nil {
		t.Fatal(err)
	}
	for c := range w.Data {
		if !slices.Equal(w.Data[c], g.Data[c]) {
			t.Fatalf("channel %d differs", c)
		}
	}
	if !slices.Equal(w.Annotations, g.Annotations) {
		t.Errorf("annotations differ")
	}
}

// TestMixedTypes decodes each channel with its own type where MNE would
// read every channel with the first one's.
func TestMixedTypes(t *testing.T) {
	b := readFile(t, "testdata/synth_type3.gdf") // int16: EEG1, STATUS
	const n = 2
	typeOff := 256 + 220*n
	binary.LittleEndian.PutUint32(b[typeOff+4:], uint32(typeUint16)) // STATUS as uint16
	r, err := newReader(b)
	if err != nil {
		t.Fatal(err)
	}
	d, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	// Record 0 of STATUS starts after 5 int16 samples of EEG1; physical
	// and digital ranges are equal, so the values are the raw ones.
	data := 256 * (n + 1)
	for i := range 5 {
		want := float64(binary.LittleEndian.Uint16(b[data+10+2*i:]))
		if got := d.Data[1][i]; got != want {
			t.Errorf("STATUS sample %d = %v, want %v", i, got, want)
		}
	}
}

// TestUnknownRecords: -1 records means as many whole records as the file
// holds, and no event table.
func TestUnknownRecords(t *testing.T) {
	b := readFile(t, "testdata/synth_v1.gdf")
	binary.LittleEndian.PutUint64(b[236:], math.MaxUint64) // -1
	r, err := newReader(b)
	if err != nil {
		t.Fatal(err)
	}
	// 4 channels × 2 int32 samples = 32 bytes a record; 50 records and a
	// 44-byte event table follow the 1280-byte header.
	if got, want := r.Info().NSamples, 2*((len(b)-1280)/32); got != want {
		t.Errorf("%d samples, want %d", got, want)
	}
	if len(r.Events()) != 0 || len(r.Info().Annotations) != 0 {
		t.Errorf("events read from a file of unknown length")
	}
}

// TestBadInput checks that broken files give errors that wrap the right
// sentinel and name the problem.
func TestBadInput(t *testing.T) {
	v2 := readFile(t, "testdata/synth_v2_mixed.gdf") // 9 channels
	v1 := readFile(t, "testdata/synth_v1.gdf")       // 4 channels
	le := binary.LittleEndian
	edit := func(b []byte, f func(b []byte)) []byte {
		b = slices.Clone(b)
		f(b)
		return b
	}
	dataEnd2 := 256*10 + 50*(4+2+3+4+4+3+4+4+1)*2 // records end, event table starts
	cases := []struct {
		name string
		file []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrTruncated, "fixed header"},
		{"fixed header cut", v2[:200], ErrTruncated, "fixed header"},
		{"channel headers cut", v2[:1000], ErrTruncated, "number of signals"},
		{"records cut", v2[:3000], ErrTruncated, "number of data records"},
		{"version", edit(v2, func(b []byte) { copy(b, "EDF 2.20") }), ErrHeader, "version"},
		{"version number", edit(v2, func(b []byte) { copy(b, "GDF x.20") }), ErrHeader, "version"},
		{"version not ASCII", edit(v2, func(b []byte) { b[5] = 0xff }), ErrHeader, "version"},
		{"version 9", edit(v2, func(b []byte) { copy(b, "GDF 9.00") }), ErrHeader, "version"},
		{"no channels", edit(v2, func(b []byte) { le.PutUint16(b[252:], 0) }), ErrHeader, "number of signals"},
		{"absurd channels v1", edit(v1, func(b []byte) { le.PutUint32(b[252:], 1<<31) }), ErrTruncated, "number of signals"},
		{"more channels", edit(v2, func(b []byte) { le.PutUint16(b[252:], 10) }), ErrHeader, "header length"},
		{"header length v2", edit(v2, func(b []byte) { le.PutUint16(b[184:], 9) }), ErrHeader, "header length"},
		{"header length v1", edit(v1, func(b []byte) { le.PutUint64(b[184:], 1024) }), ErrHeader, "header length"},
		{"header length negative", edit(v1, func(b []byte) { le.PutUint64(b[184:], 1<<63) }), ErrHeader, "header length"},
		{"header past EOF", edit(v2, func(b []byte) { copy(b, "GDF 2.51"); le.PutUint16(b[184:], 0xffff) }), ErrTruncated, "header length"},
		{"records claimed", edit(v2, func(b []byte) { le.PutUint64(b[236:], 60) }), ErrTruncated, "number of data records"},
		{"records overflow", edit(v2, func(b []byte) { le.PutUint64(b[236:], 1<<62) }), ErrTruncated, "number of data records"},
		{"records negative", edit(v2, func(b []byte) { le.PutUint64(b[236:], uint64(1<<64-5)) }), ErrHeader, "number of data records"},
		{"no records", edit(v2, func(b []byte) { le.PutUint64(b[236:], 0) }), ErrHeader, "number of data records"},
		{"record duration", edit(v2, func(b []byte) { le.PutUint32(b[248:], 0) }), ErrHeader, "duration"},
		{"samples per record", edit(v2, func(b []byte) { le.PutUint32(b[256+216*9:], 0) }), ErrHeader, "samples per record"},
		{"samples per record negative", edit(v2, func(b []byte) { le.PutUint32(b[256+216*9:], 1<<31) }), ErrHeader, "samples per record"},
		{"samples per record huge", edit(v2, func(b []byte) { le.PutUint32(b[256+216*9:], 1<<30) }), ErrTruncated, "samples per record"},
		{"int24", edit(v2, func(b []byte) { le.PutUint32(b[256+220*9:], 279) }), ErrUnsupported, "data type"},
		{"type 0", edit(v2, func(b []byte) { le.PutUint32(b[256+220*9:], 0) }), ErrUnsupported, "data type"},
		{"type -1", edit(v2, func(b []byte) { le.PutUint32(b[256+220*9:], 0xffffffff) }), ErrUnsupported, "data type"},
		{"start date", edit(v2, func(b []byte) { le.PutUint64(b[168:], math.MaxUint64) }), ErrHeader, "start date"},
		{"event table cut", v2[:len(v2)-3], ErrTruncated, "event table"},
		{"event table header cut", v2[:dataEnd2+5], ErrTruncated, "event table header"},
		{"event count", edit(v2, func(b []byte) { b[dataEnd2+3] = 0xff }), ErrTruncated, "event table"},
		{"event mode", edit(v2, func(b []byte) { b[dataEnd2] = 0xc3 }), ErrHeader, "mode"},
		{"event count v1", edit(v1, func(b []byte) { le.PutUint32(b[len(b)-40:], 1<<31) }), ErrTruncated, "event table"},
		{"duplicate names", edit(v2, func(b []byte) {
			copy(b[256+16*1:], "Fz-0\x00")
			copy(b[256+16*3:], "Fz\x00\x00")
			copy(b[256+16*4:], "Fz\x00\x00\x00\x00\x00")
		}), nil, ""}, // Fz-0 taken: the first Fz becomes Fz-a (MNE's _unique_channel_names)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := newReader(c.file)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := r.Info().ChannelNames()[:5]; !slices.Equal(got, []string{"Fz-a", "Fz-0", "Pz-0", "Fz-1", "Fz-2"}) {
					t.Errorf("names %q", got)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", c.want)
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "test.gdf") {
				t.Errorf("error %q, want %v mentioning %q and the file", err, c.want, c.msg)
			}
		})
	}
}

// TestOpenMissing checks the error of a missing file.
func TestOpenMissing(t *testing.T) {
	_, err := Open("testdata/[missing].gdf")
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "[missing].gdf") {
		t.Errorf("error %v", err)
	}
}

// TestOpenBrackets opens a file whose name holds glob characters.
func TestOpenBrackets(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "record-[2012.07.06-19.02.16]*?.gdf")
	if err := os.WriteFile(p, readFile(t, "testdata/synth_v1.gdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestPyTimedelta checks the microsecond rounding against CPython 3.11's
// datetime.timedelta(seconds=v) and timedelta(days=v).
func TestPyTimedelta(t *testing.T) {
	secs := []struct {
		v  float64
		us int64
	}{
		{0.5e-6, 0}, {1.5e-6, 2}, {2.5e-6, 2}, {-0.5e-6, 0}, {0.1234565, 123456}, {1e-7, 0},
		{3.9999995, 3999999}, {12345.6789012345, 12345678901}, {-2.0000005, -2000001},
	}
	for _, c := range secs {
		if got, ok := pyTimedeltaMicros(c.v, usPerSecond); !ok || got != c.us {
			t.Errorf("timedelta(seconds=%v) = %d µs, want %d", c.v, got, c.us)
		}
	}
	days := []struct {
		v  float64
		us int64
	}{
		{738000.5, 63763243200000000}, {738000.123456789, 63763210666666565},
		{5.787037e-09, 500}, {1.00000000001, 86400000001}, {737001.0, 63676886400000000},
	}
	for _, c := range days {
		if got, ok := pyTimedeltaMicros(c.v, usPerDay); !ok || got != c.us {
			t.Errorf("timedelta(days=%v) = %d µs, want %d", c.v, got, c.us)
		}
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), 1e12} {
		if _, ok := pyTimedeltaMicros(v, usPerSecond); ok {
			t.Errorf("timedelta(seconds=%v) accepted", v)
		}
	}
}

// TestGDF1Date checks the GDF 1 start date against what MNE's parsing
// gives (Python int() on slices of the stripped field).
func TestGDF1Date(t *testing.T) {
	cases := []struct {
		field string
		want  time.Time
	}{
		{"2012070619021637", time.Date(2012, 7, 6, 19, 2, 16, 370000000, time.UTC)},
		{"20120706190216", time.Time{}},                                     // no hundredths: int('') fails
		{"                ", time.Time{}},                                   // OpenViBE
		{" 201207061902160", time.Date(2012, 7, 6, 19, 2, 16, 0, time.UTC)}, // stripped first, hundredths "0"
		{"2012_70619021600", time.Time{}},                                   // int("_7") fails
		{"20120230000000", time.Time{}},
		{"2012023000000000", time.Time{}},                                 // 30 February
		{"2012+20600000000", time.Date(2012, 2, 6, 0, 0, 0, 0, time.UTC)}, // int("+2")
		{"2012-1-6000000\x0000", time.Time{}},
		{"2012 706190216 7", time.Date(2012, 7, 6, 19, 2, 16, 70000000, time.UTC)}, // int(" 7")
	}
	for _, c := range cases {
		if got := gdf1Date([]byte(c.field)); !got.Equal(c.want) {
			t.Errorf("%q: %v, want %v", c.field, got, c.want)
		}
	}
}

func TestPyInt(t *testing.T) {
	good := map[string]int{"12": 12, " 7": 7, "+5": 5, "-3": -3, "1_0": 10, "007": 7, "\u00a0 9\t": 9}
	for s, want := range good {
		if got, ok := pyInt(s); !ok || got != want {
			t.Errorf("pyInt(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", " ", "_1", "1_", "1__0", "+", "1.0", "0x1", "²"} {
		if _, ok := pyInt(s); ok {
			t.Errorf("pyInt(%q) accepted", s)
		}
	}
}

// TestHoldIndex checks the zero-order hold against scipy's interp1d(kind="zero")
// on MNE's abscissae (values from scipy 1.10).
func TestHoldIndex(t *testing.T) {
	cases := []struct {
		n, m int
		want []int
	}{
		{3, 4, []int{0, 0, 1, 2}},
		{2, 4, []int{0, 0, 1, 1}},
		{5, 3, []int{0, 1, 3}},
		{3, 6, []int{0, 0, 1, 1, 2, 2}},
		{1, 3, []int{0, 0, 0}},
	}
	for _, c := range cases {
		if got := holdIndex(c.n, c.m); !slices.Equal(got, c.want) {
			t.Errorf("holdIndex(%d, %d) = %v, want %v", c.n, c.m, got, c.want)
		}
	}
}

// TestBluestein checks the DFT used for lengths with large prime factors
// against a direct sum, and the resampler built on it against the one on
// gonum's FFT.
func TestBluestein(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{67, 134, 131 * 2 * 3} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		b := newBluestein(n)
		got := b.Coefficients(make([]complex128, n/2+1), x)
		for k := range got {
			var want complex128
			for j, v := range x {
				want += complex(v, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k%n)/float64(n)))
			}
			if cmplx.Abs(got[k]-want) > 1e-9 {
				t.Fatalf("n=%d bin %d: %v, want %v", n, k, got[k], want)
			}
		}
		back := b.Sequence(make([]float64, n), got)
		for j := range back {
			if math.Abs(back[j]/float64(n)-x[j]) > 1e-12 {
				t.Fatalf("n=%d: round trip sample %d: %v, want %v", n, j, back[j]/float64(n), x[j])
			}
		}
	}
	// Resampling 60 -> 67 with Bluestein for 67 against a direct
	// evaluation of the band-limited interpolant.
	x := make([]float64, 60)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	rs := newResampler(60, 67)
	if _, ok := rs.to.(*bluestein); !ok {
		t.Fatal("length 67 does not use Bluestein")
	}
	y := make([]float64, 67)
	rs.apply(y, x)
	ref := newResampler(60, 67)
	ref.to = directDFT(67)
	y2 := make([]float64, 67)
	ref.apply(y2, x)
	for i := range y {
		if math.Abs(y[i]-y2[i]) > 1e-12 {
			t.Fatalf("sample %d: %v, direct %v", i, y[i], y2[i])
		}
	}
}

// directDFT is an O(n²) realDFT for tests.
type directDFT int

func (d directDFT) Coefficients(dst []complex128, seq []float64) []complex128 {
	n := int(d)
	for k := range dst {
		dst[k] = 0
		for j, v := range seq {
			dst[k] += complex(v, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k%n)/float64(n)))
		}
	}
	return dst
}

func (d directDFT) Sequence(dst []float64, coeff []complex128) []float64 {
	n := int(d)
	for j := range dst {
		s := real(coeff[0])
		for k := 1; k < len(coeff); k++ {
			c := coeff[k]
			if 2*k == n {
				s += real(c) * math.Cos(math.Pi*float64(j))
				continue
			}
			s += 2 * real(c*cmplx.Exp(complex(0, 2*math.Pi*float64(j*k%n)/float64(n))))
		}
		dst[j] = s
	}
	return dst
}

// TestScaleFloat32 checks numpy's float32 arithmetic (values from numpy
// 1.24: x*cal, += offset, *= gain on a float32 array).
func TestScaleFloat32(t *testing.T) {
	x := float32(1.1)
	if got, want := scaleFloat32(x, 0.001, 0, 1), float64(float32(x*float32(0.001))); got != want {
		t.Errorf("float32 product: %v, want %v", got, want)
	}
	// A calibration beyond 3.4e38 promotes to float64.
	if got, want := scaleFloat32(x, 3.5e38, 0, 1e-6), float64(x)*3.5e38*1e-6; got != want {
		t.Errorf("promoted: %v, want %v", got, want)
	}
	// An offset beyond 3.4e38 is added in float64 and stored as float32: +Inf.
	if got := scaleFloat32(x, 1, 3.5e38, 1); !math.IsInf(got, 1) {
		t.Errorf("in-place overflow: %v", got)
	}
	if stimMask(math.NaN()) != 0 || stimMask(-1) != 131071 || stimMask(1e300) != 0 || stimMask(131073.9) != 1 {
		t.Errorf("stimMask")
	}
}
