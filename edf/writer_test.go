package edf

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/raw"
)

var update = flag.Bool("update", false, "rewrite testdata/written_* (then rerun testdata/gen/edf_ref.py)")

// synthetic builds a recording with EEG channels in volts, a stim channel,
// a constant channel and overlapping UTF-8 annotations.
func synthetic(sfreq float64, n, eeg int, seed uint64) *raw.Raw {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := &raw.Raw{Info: raw.Info{
		Format:   "synthetic",
		SFreq:    sfreq,
		NSamples: n,
		MeasDate: time.Date(2021, 3, 4, 5, 6, 7, 250_000_000, time.UTC),
	}}
	for c := 0; c < eeg; c++ {
		r.Channels = append(r.Channels, raw.Channel{Name: "EEG" + twoDigits(c), Type: raw.EEG, Unit: raw.UnitVolt, SFreq: sfreq})
	}
	r.Channels = append(r.Channels,
		raw.Channel{Name: "Flat", Type: raw.EEG, Unit: raw.UnitVolt, SFreq: sfreq},
		raw.Channel{Name: "Status", Type: raw.Stim, Unit: raw.UnitNone, SFreq: sfreq})
	r.Data = raw.NewData(len(r.Channels), n)
	for c := 0; c < eeg; c++ {
		off := (rng.Float64() - 0.5) * 1e-3
		for i := range r.Data[c] {
			r.Data[c][i] = off + 50e-6*math.Sin(float64(i)*0.1*float64(c+1)) + 20e-6*rng.NormFloat64()
		}
	}
	for i := range r.Data[eeg] {
		r.Data[eeg][i] = 12.5e-6
	}
	for i := 0; i < n; i += 97 {
		r.Data[eeg+1][i] = float64(1 + rng.IntN(255))
	}
	dur := float64(n) / sfreq
	// Sorted by onset, inside the recording: as MNE keeps them.
	r.Annotations = []raw.Annotation{
		{Onset: 0, Duration: 0, Description: "start"},
		{Onset: 0.125 * dur, Duration: 0.25 * dur, Description: "left hand"},
		{Onset: 0.25 * dur, Duration: 0.0625 * dur, Description: "仰卧 überlappend"},
		{Onset: dur / 2, Duration: 0, Description: "middle"},
		{Onset: dur - 0.001, Duration: 0, Description: "end"},
	}
	return r
}

// roundTrip writes r, reads it back and checks every sample against half
// a digital step, the annotations and the start.
func roundTrip(t *testing.T, r *raw.Raw, opts WriteOptions) *Reader {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	rd, err := NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "roundtrip")
	if err != nil {
		t.Fatal(err)
	}
	got, err := raw.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	h := rd.Header()
	if h.RecordsInFile*rd.bufLen*rd.bps > 0 && rd.recBytes > MaxRecordBytes {
		t.Errorf("record of %d bytes", rd.recBytes)
	}
	if got.SFreq != r.SFreq {
		t.Errorf("sfreq %v, wrote %v", got.SFreq, r.SFreq)
	}
	if got.NSamples < r.NSamples || got.NSamples-r.NSamples >= h.Signals[0].SamplesPerRecord {
		t.Errorf("%d samples, wrote %d", got.NSamples, r.NSamples)
	}
	if want := r.MeasDate.Truncate(time.Second); !got.MeasDate.Equal(want) {
		t.Errorf("meas date %v, want %v", got.MeasDate, want)
	}
	for c, ch := range r.Channels {
		if got.Channels[c].Name != ch.Name {
			t.Errorf("channel %d name %q, wrote %q", c, got.Channels[c].Name, ch.Name)
		}
		s := h.Signals[c]
		step := (s.PhysicalMax - s.PhysicalMin) / (s.DigitalMax - s.DigitalMin)
		if ch.Unit == raw.UnitVolt {
			step *= 1e-6
		}
		allow := step/2*(1+1e-9) + 1e-15*math.Abs(s.PhysicalMax)
		for i := range got.Data[c] {
			want := 0.0
			if i < r.NSamples {
				want = r.Data[c][i]
			}
			if d := math.Abs(got.Data[c][i] - want); d > allow {
				t.Fatalf("channel %q sample %d = %.17g, wrote %.17g (step %g)", ch.Name, i, got.Data[c][i], want, step)
			}
		}
	}
	if len(got.Annotations) != len(r.Annotations) {
		t.Fatalf("annotations %+v, wrote %+v", got.Annotations, r.Annotations)
	}
	for i, a := range got.Annotations {
		w := r.Annotations[i]
		if a.Description != w.Description || math.Abs(a.Onset-w.Onset) > 0.5e-6+1e-12 || a.Duration != w.Duration {
			t.Errorf("annotation %d = %+v, wrote %+v", i, a, w)
		}
	}
	return rd
}

func TestWriteRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		sfreq  float64
		n, eeg int
		format string
	}{
		{160, 1600, 4, "edf"},
		{160, 1601, 4, "bdf"},
		{1000.0 / 3, 2000, 3, "edf"},
		{2048, 4096, 40, "bdf"},
		{0.5, 40, 2, "edf"},
		{256, 300, 1, ""},
	} {
		r := synthetic(tc.sfreq, tc.n, tc.eeg, uint64(tc.n))
		rd := roundTrip(t, r, WriteOptions{Format: tc.format})
		h := rd.Header()
		if want := map[string]string{"": "EDF+C", "edf": "EDF+C", "bdf": "BDF+C"}[tc.format]; h.Subtype != want {
			t.Errorf("subtype %q", h.Subtype)
		}
		if st := rd.Info().Channels[tc.eeg+1]; st.Type != raw.Stim {
			t.Errorf("status channel read as %s", st.Type)
		}
	}
}

func TestWriteRecordDuration(t *testing.T) {
	r := synthetic(250, 1000, 2, 7)
	rd := roundTrip(t, r, WriteOptions{RecordDuration: 0.2})
	if d := rd.Header().RecordDuration; d != 0.2 {
		t.Errorf("record duration %v", d)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, WriteOptions{RecordDuration: 0.0021}); !errors.Is(err, ErrWrite) {
		t.Errorf("record duration 0.0021 s at 250 Hz: %v", err)
	}
}

func TestWriteFirstSample(t *testing.T) {
	r := synthetic(100, 500, 1, 3)
	r.FirstSample = 250 // 2.5 s into the acquisition
	for i := range r.Annotations {
		r.Annotations[i].Onset += 2.5
	}
	want1 := r.Annotations[1].Onset
	var buf bytes.Buffer
	if err := Write(&buf, r, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	rd, err := NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "rebased")
	if err != nil {
		t.Fatal(err)
	}
	if want := r.MeasDate.Add(2500 * time.Millisecond).Truncate(time.Second); !rd.Info().MeasDate.Equal(want) {
		t.Errorf("meas date %v, want %v", rd.Info().MeasDate, want)
	}
	if a := rd.Info().Annotations[1]; a.Description != "left hand" || math.Abs(a.Onset-0.125*5) > 1e-6 {
		t.Errorf("annotation %+v", a)
	}
	if r.FirstSample != 250 || r.Annotations[1].Onset != want1 {
		t.Error("Write modified its input")
	}
}

func TestWriteErrors(t *testing.T) {
	for name, mod := range map[string]func(r *raw.Raw){
		"long name":         func(r *raw.Raw) { r.Channels[0].Name = "a name of seventeen" },
		"non-latin1 name":   func(r *raw.Raw) { r.Channels[0].Name = "仰卧" },
		"duplicate":         func(r *raw.Raw) { r.Channels[1].Name = r.Channels[0].Name },
		"annotation name":   func(r *raw.Raw) { r.Channels[0].Name = "EDF Annotations" },
		"NaN sample":        func(r *raw.Raw) { r.Data[0][3] = math.NaN() },
		"newline text":      func(r *raw.Raw) { r.Annotations[0].Description = "a\nb" },
		"empty text":        func(r *raw.Raw) { r.Annotations[0].Description = "" },
		"separator text":    func(r *raw.Raw) { r.Annotations[0].Description = "a\x14b" },
		"NaN onset":         func(r *raw.Raw) { r.Annotations[0].Onset = math.NaN() },
		"no samples":        func(r *raw.Raw) { r.NSamples = 0; r.Data = raw.NewData(len(r.Channels), 0) },
		"ragged data":       func(r *raw.Raw) { r.Data[1] = r.Data[1][:10] },
		"stim out of range": func(r *raw.Raw) { r.Data[len(r.Data)-1][0] = 1e6 },
		"infinite uV":       func(r *raw.Raw) { r.Data[0][0] = math.MaxFloat64 },
	} {
		r := synthetic(100, 300, 2, 1)
		mod(r)
		var buf bytes.Buffer
		if err := Write(&buf, r, WriteOptions{}); !errors.Is(err, ErrWrite) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, synthetic(100, 300, 2, 1), WriteOptions{Format: "gdf"}); !errors.Is(err, ErrWrite) {
		t.Errorf("format gdf: %v", err)
	}
}

func TestBound(t *testing.T) {
	for _, v := range []float64{0, 1, -1, 123.456789, -123.456789, 1e-9, -3.2e-12, 99999999, -9999999, 0.1, 12345678.9, 5e7} {
		for _, up := range []bool{false, true} {
			s, ok := bound(v, up)
			if !ok {
				t.Errorf("bound(%v, %v) failed", v, up)
				continue
			}
			x, _ := pyFloat(s)
			if len(s) > 8 || (up && x < v) || (!up && x > v) || math.Abs(x-v) > 1e-5*math.Abs(v)+1e-6 {
				t.Errorf("bound(%v, %v) = %q", v, up, s)
			}
		}
	}
	if s, _ := bound(-1.5e100, false); s != "-2e+100" {
		t.Errorf("bound(-1.5e100) = %q", s)
	}
}

// The files bcikit wrote and MNE's reading of them (testdata/gen/edf_ref.py).
var writtenFixtures = []struct {
	file  string
	opts  WriteOptions
	make  func() *raw.Raw
	patch func([]byte) []byte
}{
	{"written_edf.edf", WriteOptions{}, func() *raw.Raw { return synthetic(1000.0/3, 700, 3, 11) }, nil},
	{"written_bdf.bdf", WriteOptions{Format: "bdf", Patient: "P01 M 01-JAN-1990 Ann_Example"}, func() *raw.Raw { return synthetic(256, 520, 2, 12) }, nil},
	{"written_edfd.edf", WriteOptions{RecordDuration: 1}, func() *raw.Raw { return synthetic(100, 500, 2, 13) }, discontinuous},
}

// discontinuous turns a 5-record EDF+C file with 1-s records starting at
// +0.25 s into an EDF+D file with a 3-s gap before record 3.
func discontinuous(b []byte) []byte {
	b = put(b, 192, 44, "EDF+D")
	for k, to := range map[string]string{"+3.25": "+6.25", "+4.25": "+7.25"} {
		from := []byte(k + "\x14\x14\x00")
		if bytes.Count(b, from) != 1 {
			panic("time-keeping TAL " + k + " not found once")
		}
		b = bytes.Replace(b, from, []byte(to+"\x14\x14\x00"), 1)
	}
	return b
}

// TestWrittenFixtures checks that the writer still writes the committed
// files byte for byte and that MNE-Python read those files as bcikit does.
func TestWrittenFixtures(t *testing.T) {
	for _, w := range writtenFixtures {
		path := filepath.Join("testdata", w.file)
		var buf bytes.Buffer
		if err := Write(&buf, w.make(), w.opts); err != nil {
			t.Fatal(err)
		}
		if w.patch != nil {
			b := w.patch(buf.Bytes())
			buf.Reset()
			buf.Write(b)
		}
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s: now run testdata/gen/edf_ref.py", path)
			continue
		}
		committed, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(committed, buf.Bytes()) {
			t.Errorf("%s: writer output changed (rerun with -update and testdata/gen/edf_ref.py if intended)", w.file)
		}
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := raw.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		f := reftest.Load(t, filepath.Join("testdata", "ref_"+strings.TrimSuffix(w.file, filepath.Ext(w.file))+".json"))
		reftest.Compare(t, got, f, reftest.Tol{Rel: relTol})
	}
}

// TestDiscontinuous checks the EDF+D reading: samples back to back and
// annotations as written (as MNE 1.3), gaps visible in RecordOnsets.
func TestDiscontinuous(t *testing.T) {
	r, err := Open(filepath.Join("testdata", "written_edfd.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	if !h.Discontinuous() || !h.IsPlus() || h.Subtype != "EDF+D" {
		t.Errorf("subtype %q", h.Subtype)
	}
	want := []float64{0.25, 1.25, 2.25, 6.25, 7.25}
	on := r.RecordOnsets()
	for k := range want {
		if on[k] != want[k] {
			t.Errorf("record onsets %v, want %v", on, want)
			break
		}
	}
	if r.Info().NSamples != 500 {
		t.Errorf("%d samples", r.Info().NSamples)
	}
}
