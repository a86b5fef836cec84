package record

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/stream"
)

// testHeader is a small stream: three EEG channels and a stim channel.
func testHeader(sfreq float64) stream.Header {
	return stream.Header{
		Channels: []string{"C3", "Cz", "C4", "STI"},
		Units:    []string{"V", "V", "V", "NA"},
		Types:    []string{"eeg", "eeg", "eeg", "stim"},
		SFreq:    sfreq,
	}
}

// synth returns the value of channel c at stream sample i: EEG-like
// microvolt signals and a stim code.
func synth(c int, i int64) float64 {
	if c == 3 {
		return float64(i % 7)
	}
	x := float64(i)
	return 1e-6 * (40*math.Sin(0.05*x*float64(c+1)) + 3*math.Cos(0.31*x) + float64(c))
}

// chunk returns the synthetic chunk of n samples from start.
func chunk(nch int, start int64, n int) stream.Chunk {
	d := make([][]float64, nch)
	for c := range d {
		d[c] = make([]float64, n)
		for i := range d[c] {
			d[c][i] = synth(c, start+int64(i))
		}
	}
	return stream.Chunk{Start: start, Data: d}
}

// step is the largest error of a value read back: half BioSemi's µV step.
const step = 524287.0 / 16777215 * 1e-6 / 2

// readBack opens a recorded file with bcikit's reader.
func readBack(t *testing.T, path string) (*edf.Reader, *raw.Raw) {
	t.Helper()
	r, err := edf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	all, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, all
}

// checkSamples checks that the first n samples of rec equal the source's
// from stream sample first, within half a digital step.
func checkSamples(t *testing.T, rec *raw.Raw, first int64, n int) {
	t.Helper()
	if rec.NSamples < n {
		t.Fatalf("%d samples read back, want at least %d", rec.NSamples, n)
	}
	for c := 0; c < 4; c++ {
		tol := step * (1 + 1e-9)
		if c == 3 {
			tol = 0
		}
		for i := 0; i < n; i++ {
			want := synth(c, first+int64(i))
			if got := rec.Data[c][i]; math.Abs(got-want) > tol {
				t.Fatalf("channel %d sample %d: %v, want %v (±%g)", c, i, got, want, tol)
			}
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.bdf")
	start := time.Date(2026, 3, 1, 10, 20, 30, 250e6, time.UTC)
	w, err := Create(path, testHeader(256), Options{RecordDuration: 0.25, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if w.RecordSamples() != 64 {
		t.Fatalf("RecordSamples %d, want 64", w.RecordSamples())
	}
	var pos int64 = 1000 // a stream joined after its start
	sizes := []int{1, 37, 64, 200, 5, 0, 63, 129}
	for k, n := range sizes {
		ch := chunk(4, pos, n)
		if k == 2 {
			ch.Markers = []stream.Marker{{Sample: pos + 3, Code: 2, Label: "left"}, {Sample: pos + 10, Code: 7}}
		}
		if err := w.Write(ch); err != nil {
			t.Fatal(err)
		}
		pos += int64(n)
	}
	total := int(pos - 1000)
	if got := w.Samples(); got != int64(total) {
		t.Fatalf("Samples %d, want %d", got, total)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v, want ErrClosed", err)
	}
	if err := w.Write(chunk(4, pos, 1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: %v, want ErrClosed", err)
	}
	r, rec := readBack(t, path)
	h := r.Header()
	nrec := (total + 63) / 64
	if h.Records != nrec || h.RecordsInFile != nrec || h.Subtype != "BDF+C" || h.RecordDuration != 0.25 {
		t.Fatalf("header: %d records (%d in file), %s, %v s; want %d, BDF+C, 0.25 s", h.Records, h.RecordsInFile, h.Subtype, h.RecordDuration, nrec)
	}
	if rec.SFreq != 256 || rec.NSamples != nrec*64 {
		t.Fatalf("read %v Hz, %d samples; want 256 Hz, %d", rec.SFreq, rec.NSamples, nrec*64)
	}
	if !rec.MeasDate.Equal(start.Truncate(time.Second)) {
		t.Fatalf("start %v, want %v", rec.MeasDate, start.Truncate(time.Second))
	}
	if rec.Channels[0].Unit != "V" || rec.Channels[3].Type != raw.EEG {
		t.Fatalf("channels %+v", rec.Channels)
	}
	checkSamples(t, rec, 1000, total)
	// The padding reads back as the digital value closest to 0.
	for i := total; i < rec.NSamples; i++ {
		if v := rec.Data[0][i]; math.Abs(v) > step {
			t.Fatalf("padding sample %d = %v, want about 0", i, v)
		}
	}
	want := []raw.Annotation{
		{Onset: float64(1+37+3) / 256, Description: "left"},
		{Onset: float64(1+37+10) / 256, Description: "7"},
		{Onset: float64(total) / 256, Duration: float64(nrec*64-total) / 256, Description: "BAD_pad"},
	}
	checkAnnotations(t, rec.Annotations, want)
	// Time-keeping: record k starts at k*0.25 s plus the start's 0.25 s.
	for k, on := range r.RecordOnsets() {
		if math.Abs(on-(float64(k)*0.25+0.25)) > 1e-9 {
			t.Fatalf("record %d onset %v", k, on)
		}
	}
}

func checkAnnotations(t *testing.T, got, want []raw.Annotation) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("annotations %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i].Description != want[i].Description || math.Abs(got[i].Onset-want[i].Onset) > 1e-6 || math.Abs(got[i].Duration-want[i].Duration) > 1e-6 {
			t.Fatalf("annotation %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestBadSamples(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.bdf")
	w, err := Create(path, testHeader(100), Options{RecordDuration: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	ch := chunk(4, 0, 50)
	ch.Data[1][10] = math.NaN()
	ch.Data[2][11] = math.NaN()
	ch.Data[0][20] = math.Inf(1)
	ch.Data[0][30] = -1 // 1 V: beyond ±0.262 V
	ch.Data[3][31] = 1e9
	if err := w.Write(ch); err != nil {
		t.Fatal(err)
	}
	// A gap of 25 samples, then 25 more.
	if err := w.Write(chunk(4, 75, 25)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, rec := readBack(t, path)
	if rec.NSamples != 100 {
		t.Fatalf("%d samples, want 100", rec.NSamples)
	}
	checkAnnotations(t, rec.Annotations, []raw.Annotation{
		{Onset: 0.10, Duration: 0.02, Description: "BAD_nan"},
		{Onset: 0.20, Duration: 0.01, Description: "BAD_clipped"},
		{Onset: 0.30, Duration: 0.02, Description: "BAD_clipped"},
		{Onset: 0.50, Duration: 0.25, Description: "BAD_gap"},
	})
	if v := rec.Data[1][10]; math.Abs(v) > step {
		t.Fatalf("NaN sample read back as %v, want about 0", v)
	}
	if v := rec.Data[0][20]; math.Abs(v-262143e-6) > 1e-12 {
		t.Fatalf("+Inf read back as %v, want the physical maximum", v)
	}
	if v := rec.Data[0][30]; math.Abs(v+262144e-6) > 1e-12 {
		t.Fatalf("-1 V read back as %v, want the physical minimum", v)
	}
	if v := rec.Data[3][31]; v != 8388607 {
		t.Fatalf("stim 1e9 read back as %v, want 8388607", v)
	}
	for i := 50; i < 75; i++ {
		if v := rec.Data[2][i]; math.Abs(v) > step {
			t.Fatalf("gap sample %d = %v, want about 0", i, v)
		}
	}
	for i := 75; i < 100; i++ {
		if got, want := rec.Data[2][i], synth(2, int64(i)); math.Abs(got-want) > step {
			t.Fatalf("sample %d after the gap = %v, want %v", i, got, want)
		}
	}
}

func TestMarkerLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.bdf")
	w, err := Create(path, testHeader(10), Options{RecordDuration: 1, AnnotationBytes: 128})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 100)
	ch := chunk(4, 0, 10)
	ch.Markers = []stream.Marker{{Sample: 1, Label: "a\x14b\x00c\nd"}, {Sample: 2, Label: long}, {Sample: 3, Label: "\xff\xfe"}, {Sample: 4, Label: "   "}}
	// More markers than a 128-byte annotation signal holds: they spill
	// into the following records, and into padded records at Close.
	for i := 0; i < 20; i++ {
		ch.Markers = append(ch.Markers, stream.Marker{Sample: 5, Code: 100 + i})
	}
	if err := w.Write(ch); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, rec := readBack(t, path)
	if r.Header().Records < 3 {
		t.Fatalf("%d records: the markers should have needed padded records", r.Header().Records)
	}
	got := map[string]bool{}
	for _, a := range rec.Annotations {
		got[a.Description] = true
	}
	for _, d := range []string{"a b c d", strings.Repeat("é", 32), "?", "100", "119", "BAD_pad"} {
		if !got[d] {
			t.Errorf("annotation %q missing from %v", d, rec.Annotations)
		}
	}
	markers, pads := 0, 0
	for _, a := range rec.Annotations {
		if a.Description == "BAD_pad" {
			pads++
		} else {
			markers++
		}
	}
	if markers != 24 || pads != r.Header().Records-1 {
		t.Errorf("%d markers and %d BAD_pad in %d records, want 24 and one per padded record", markers, pads, r.Header().Records)
	}
}

func TestRanges(t *testing.T) {
	h := stream.Header{Channels: []string{"T1", "X"}, Units: []string{"K", "V"}, Types: []string{"misc", "eeg"}, SFreq: 50}
	path := filepath.Join(t.TempDir(), "r.bdf")
	if _, err := Create(path, h, Options{}); !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), `"T1"`) {
		t.Fatalf("unit K without a range: %v", err)
	}
	w, err := Create(path, h, Options{Ranges: map[string][2]float64{"T1": {250, 350}, "X": {-1e-3, 1e-3}}})
	if err != nil {
		t.Fatal(err)
	}
	ch := stream.Chunk{Data: [][]float64{make([]float64, 50), make([]float64, 50)}}
	for i := range 50 {
		ch.Data[0][i] = 300 + float64(i)
		ch.Data[1][i] = 1e-5 * float64(i)
	}
	if err := w.Write(ch); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, rec := readBack(t, path)
	for i := range 50 {
		if got := rec.Data[0][i]; math.Abs(got-ch.Data[0][i]) > 100.0/16777215/2*1.0001 {
			t.Fatalf("K sample %d: %v, want %v", i, got, ch.Data[0][i])
		}
		if got := rec.Data[1][i]; math.Abs(got-ch.Data[1][i]) > 2e-3/16777215/2*1.0001 {
			t.Fatalf("V sample %d: %v, want %v", i, got, ch.Data[1][i])
		}
	}
	if len(rec.Annotations) != 1 || rec.Annotations[0].Description != "BAD_clipped" {
		// 300+i K passes 350 K at i = 51: none clipped; 1e-5*i V stays in range.
		if len(rec.Annotations) != 0 {
			t.Fatalf("annotations %v", rec.Annotations)
		}
	}
}

func TestRecordDuration(t *testing.T) {
	for _, tc := range []struct {
		nch   int
		sfreq float64
		n     int
	}{
		{64, 160, 160},  // EEGMMIDB: 1 s records
		{64, 1000, 250}, // 0.25 s keeps a record within 61440 bytes
		{8, 256, 256},   // 1 s
		{4, 512.5, 492}, // 0.96 s is the longest whole-sample duration up to 1 s
		{256, 2048, 64}, // 1/32 s
		{1, 0.5, 1},     // 2 s: no shorter record holds a sample
		{9000, 1000, 2}, // 0.002 s, within 61440 bytes
	} {
		h := stream.Header{SFreq: tc.sfreq}
		for c := range tc.nch {
			h.Channels = append(h.Channels, "E"+strconv.Itoa(c))
			h.Units = append(h.Units, "V")
			h.Types = append(h.Types, "eeg")
		}
		w, err := NewWriter(nil, "x", h, Options{})
		if err != nil {
			t.Fatalf("%d ch at %v Hz: %v", tc.nch, tc.sfreq, err)
		}
		if w.RecordSamples() != tc.n {
			t.Errorf("%d ch at %v Hz: %d samples per record, want %d", tc.nch, tc.sfreq, w.RecordSamples(), tc.n)
		}
	}
}

func TestBadInput(t *testing.T) {
	good := testHeader(100)
	for _, tc := range []struct {
		name string
		h    func(h *stream.Header)
		o    Options
		want string
	}{
		{"no channels", func(h *stream.Header) { *h = stream.Header{SFreq: 1} }, Options{}, "no channels"},
		{"units", func(h *stream.Header) { h.Units = h.Units[:2] }, Options{}, "units"},
		{"rate", func(h *stream.Header) { h.SFreq = math.NaN() }, Options{}, "sampling rate"},
		{"long name", func(h *stream.Header) { h.Channels[0] = strings.Repeat("x", 17) }, Options{}, "16 Latin-1"},
		{"repeated", func(h *stream.Header) { h.Channels[1] = "C3" }, Options{}, "repeated"},
		{"reserved", func(h *stream.Header) { h.Channels[1] = "BDF Annotations" }, Options{}, "reserved"},
		{"duration", nil, Options{RecordDuration: 2}, "RecordDuration"},
		{"duration samples", nil, Options{RecordDuration: 0.015}, "RecordDuration"},
		{"annotation bytes", nil, Options{AnnotationBytes: 10}, "AnnotationBytes"},
		{"range", nil, Options{Ranges: map[string][2]float64{"C3": {1, -1}}}, "range"},
		{"wide range", nil, Options{Ranges: map[string][2]float64{"C3": {-1.234567891, 1}}}, "8-character"},
		{"patient", nil, Options{Patient: strings.Repeat("p", 61)}, "patient"},
	} {
		h := good
		h.Channels = append([]string(nil), good.Channels...)
		h.Units = append([]string(nil), good.Units...)
		if tc.h != nil {
			tc.h(&h)
		}
		_, err := NewWriter(nil, "x.bdf", h, tc.o)
		if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrHeader naming %q", tc.name, err, tc.want)
		}
	}

	path := filepath.Join(t.TempDir(), "c.bdf")
	w, err := Create(path, good, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(path, good, Options{}); !errors.Is(err, os.ErrExist) {
		t.Fatalf("Create over an existing file: %v, want os.ErrExist", err)
	}
	if err := w.Write(chunk(4, 10, 30)); err != nil {
		t.Fatal(err)
	}
	ragged := chunk(4, 40, 5)
	ragged.Data[2] = ragged.Data[2][:4]
	for _, tc := range []struct {
		name string
		ch   stream.Chunk
		want string
	}{
		{"channels", chunk(3, 40, 5), "3 channels"},
		{"ragged", ragged, "4 samples"},
		{"overlap", chunk(4, 39, 5), "before sample 40"},
		{"gap", chunk(4, 40+6001, 5), "more than 60 s"},
		{"marker", stream.Chunk{Start: 40, Data: make([][]float64, 4), Markers: []stream.Marker{{Sample: 9}}}, "before the recording"},
	} {
		if err := w.Write(tc.ch); !errors.Is(err, ErrChunk) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrChunk naming %q", tc.name, err, tc.want)
		}
	}
	// Nothing of a rejected chunk was written; the recording goes on.
	if err := w.Write(chunk(4, 40, 70)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, rec := readBack(t, path)
	checkSamples(t, rec, 10, 100)
}

func TestEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.bdf")
	w, err := Create(path, testHeader(100), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Samples() != 0 || w.Records() != 0 {
		t.Fatalf("%d samples, %d records", w.Samples(), w.Records())
	}
	r, err := edf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Header().Records != 0 || r.Info().NSamples != 0 {
		t.Fatalf("empty recording: %d records, %d samples", r.Header().Records, r.Info().NSamples)
	}
}

// TestSync checks that written records are synced within the interval
// even when no further record comes.
func TestSync(t *testing.T) {
	f := &countSync{}
	w, err := NewWriter(f, "s", testHeader(100), Options{RecordDuration: 0.1, SyncInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for k := range 5 {
		if err := w.Write(chunk(4, int64(10*k), 10)); err != nil {
			t.Fatal(err)
		}
	}
	// No record waits longer than the interval for its sync.
	deadline := time.Now().Add(5 * time.Second)
	for f.syncs() < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	n := f.syncs()
	if n < 1 {
		t.Fatal("records written but never synced")
	}
	// A record written after the interval is synced at once.
	time.Sleep(60 * time.Millisecond)
	if err := w.Write(chunk(4, 50, 10)); err != nil {
		t.Fatal(err)
	}
	if f.syncs() != n+1 {
		t.Fatalf("%d syncs after a record written past the interval, want %d", f.syncs(), n+1)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
