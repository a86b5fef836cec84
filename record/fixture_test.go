package record

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/stream"
)

// fixtureEnv names the file TestFixtureChild writes for
// testdata/gen/record_ref.py.
const fixtureEnv = "BCIKIT_RECORD_FIXTURE"

// fixtureHeader is the stream of the closed-recording fixture: three EEG
// channels and BioSemi's Status channel at 512 Hz.
var fixtureHeader = stream.Header{
	Channels: []string{"Fp1", "Oz", "EXG1", "Status"},
	Units:    []string{"V", "V", "V", "NA"},
	Types:    []string{"eeg", "eeg", "eog", "stim"},
	SFreq:    512,
}

// fixtureValue is the source's sample of channel c at stream sample i.
func fixtureValue(c int, i int64) float64 {
	if c == 3 {
		return float64(i / 50 % 256)
	}
	x := float64(i)
	return 1e-6 * (80*math.Sin(0.013*x*float64(c+1)) + 20*math.Sin(0.2*x) - 5*float64(c))
}

// writeFixture records the fixture stream to path: chunks of varied
// sizes starting at stream sample 1000, markers (one with non-ASCII text),
// NaN samples, clipped samples, a gap, and a sub-second start; Close pads
// the last record.
func writeFixture(path string) error {
	start := time.Date(2026, 3, 1, 10, 20, 30, 750e6, time.UTC)
	w, err := Create(path, fixtureHeader, Options{Start: start})
	if err != nil {
		return err
	}
	pos := int64(1000)
	sizes := []int{16, 300, 1, 77, 512, 250, 33, 400}
	for k, n := range sizes {
		if k == 6 {
			pos += 100 // a gap
		}
		ch := stream.Chunk{Start: pos, Data: make([][]float64, 4)}
		for c := range ch.Data {
			ch.Data[c] = make([]float64, n)
			for i := range n {
				ch.Data[c][i] = fixtureValue(c, pos+int64(i))
			}
		}
		switch k {
		case 1:
			ch.Markers = []stream.Marker{{Sample: pos + 10, Code: 1, Label: "left"}, {Sample: pos + 200, Code: 2, Label: "rechts-ü"}}
			ch.Data[1][50], ch.Data[1][51] = math.NaN(), math.NaN()
		case 4:
			ch.Markers = []stream.Marker{{Sample: pos + 5, Code: 3}}
			ch.Data[0][100] = 0.5 // 0.5 V: clipped
			ch.Data[2][101] = math.Inf(-1)
		}
		if err := w.Write(ch); err != nil {
			return err
		}
		pos += int64(n)
	}
	return w.Close()
}

// TestFixtureChild writes the fixture for testdata/gen/record_ref.py.
func TestFixtureChild(t *testing.T) {
	path := os.Getenv(fixtureEnv)
	if path == "" {
		t.Skip("run by testdata/gen/record_ref.py")
	}
	if err := writeFixture(path); err != nil {
		t.Fatal(err)
	}
}

// closedRef is what MNE-Python 1.3 read from the fixture recording.
type closedRef struct {
	SFreq       float64     `json:"sfreq"`
	NTimes      int         `json:"n_times"`
	ChNames     []string    `json:"ch_names"`
	ChTypes     []string    `json:"ch_types"`
	MeasDate    string      `json:"meas_date"`
	Data        [][]float64 `json:"data"`
	Annotations []struct {
		Onset       float64 `json:"onset"`
		Duration    float64 `json:"duration"`
		Description string  `json:"description"`
	} `json:"annotations"`
	Warnings []string `json:"warnings"`
}

// TestClosedFileMNE writes the fixture recording (deterministic) and
// compares bcikit's reading of it with MNE 1.3's reading of the same
// writer's output: channels, types, start, samples (to 1e-12 of each
// channel's range) and annotations (markers, BAD_nan, BAD_clipped,
// BAD_gap, BAD_pad, to the microsecond MNE keeps); and the samples with the
// source's, within half a step.
func TestClosedFileMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/closed_mne.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref closedRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Warnings) != 0 {
		t.Fatalf("MNE warned: %v", ref.Warnings)
	}
	path := filepath.Join(t.TempDir(), "fixture.bdf")
	if err := writeFixture(path); err != nil {
		t.Fatal(err)
	}
	got, err := format.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.SFreq != ref.SFreq || got.NSamples != ref.NTimes || len(got.Channels) != 4 {
		t.Fatalf("%v Hz, %d samples; MNE %v Hz, %d", got.SFreq, got.NSamples, ref.SFreq, ref.NTimes)
	}
	if md := got.MeasDate.Format("2006-01-02T15:04:05-07:00"); md != ref.MeasDate {
		t.Fatalf("start %s, MNE %s", md, ref.MeasDate)
	}
	for c, ch := range got.Channels {
		if ch.Name != ref.ChNames[c] || string(ch.Type) != ref.ChTypes[c] {
			t.Fatalf("channel %d: %s %s, MNE %s %s", c, ch.Name, ch.Type, ref.ChNames[c], ref.ChTypes[c])
		}
		scale := 262144e-6
		if c == 3 {
			scale = 65536
		}
		for i, want := range ref.Data[c] {
			if d := math.Abs(got.Data[c][i] - want); d > 1e-12*scale {
				t.Fatalf("channel %s sample %d: %v, MNE %v", ch.Name, i, got.Data[c][i], want)
			}
		}
	}
	if len(got.Annotations) != len(ref.Annotations) {
		t.Fatalf("%d annotations %v, MNE %d", len(got.Annotations), got.Annotations, len(ref.Annotations))
	}
	for i, a := range got.Annotations {
		w := ref.Annotations[i]
		if a.Description != w.Description || math.Abs(a.Onset-w.Onset) > 1e-9 || math.Abs(a.Duration-w.Duration) > 1e-9 {
			t.Fatalf("annotation %d: %+v, MNE %+v", i, a, w)
		}
	}
	// Against the source: sample j of the file is stream sample 1000+j.
	for c := range 4 {
		for j := 0; j < got.NSamples; j++ {
			i := int64(1000 + j)
			if inBad(got.Annotations, float64(j)/512) {
				continue
			}
			if d := math.Abs(got.Data[c][j] - fixtureValue(c, i)); d > step*(1+1e-9) {
				t.Fatalf("channel %d sample %d: %v, source %v", c, j, got.Data[c][j], fixtureValue(c, i))
			}
		}
	}
}

// inBad reports whether time s falls in a BAD_ annotation (whose bounds
// readers round to the microsecond).
func inBad(ann []raw.Annotation, s float64) bool {
	for _, a := range ann {
		if len(a.Description) > 4 && a.Description[:4] == "BAD_" && s >= a.Onset-1e-6 && s < a.Onset+a.Duration-1e-6 {
			return true
		}
	}
	return false
}
