package record

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
)

// killedRef is what MNE-Python 1.3 read from testdata/killed.bdf, a
// recording whose writer was killed with SIGKILL (testdata/gen/record_ref.py).
type killedRef struct {
	ChildWritten  int64       `json:"child_written_samples"`
	HeaderRecords int         `json:"header_records"`
	SFreq         float64     `json:"sfreq"`
	NTimes        int         `json:"n_times"`
	ChNames       []string    `json:"ch_names"`
	ChTypes       []string    `json:"ch_types"`
	Data          [][]float64 `json:"data"`
	Annotations   []struct {
		Onset       float64 `json:"onset"`
		Duration    float64 `json:"duration"`
		Description string  `json:"description"`
	} `json:"annotations"`
	MaxErr        float64  `json:"max_abs_error_vs_source"`
	PartialNTimes int      `json:"partial_n_times"`
	PartialEqual  bool     `json:"partial_equal"`
	Warnings      []string `json:"warnings"`
}

// TestKilledFileMNE checks a file whose writer was killed against MNE's
// reading of it: MNE reads it without a warning, with all the samples the
// writer had been given but those of the record being filled, equal to the
// source within half a digital step; bcikit's reader (through format.Open)
// reads the same channels, samples (to 1e-12 of the µV range) and
// annotations (to the microsecond MNE keeps), with or without a half-written
// record at the end.
func TestKilledFileMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/killed_mne.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref killedRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.HeaderRecords != -1 || len(ref.Warnings) != 0 || !ref.PartialEqual || ref.PartialNTimes != ref.NTimes {
		t.Fatalf("MNE on the killed file: header %d records, warnings %v, partial record read the same: %v", ref.HeaderRecords, ref.Warnings, ref.PartialEqual)
	}
	if lost := ref.ChildWritten - int64(ref.NTimes); lost < 0 || lost >= crashRecord || ref.MaxErr > step*(1+1e-9) {
		t.Fatalf("MNE reads %d samples of the %d written (max error %g): more than the record being filled lost", ref.NTimes, ref.ChildWritten, ref.MaxErr)
	}
	whole, err := os.ReadFile("testdata/killed.bdf")
	if err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(t.TempDir(), "partial.bdf")
	const rec = 3 * (4*crashRecord + 171)
	end := 1536 + (len(whole)-1536)/rec*rec
	if err := os.WriteFile(partial, append(whole[:end:end], whole[end-rec:end-rec/2]...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/killed.bdf", partial} {
		r, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := raw.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got.SFreq != ref.SFreq || got.NSamples != ref.NTimes || len(got.Channels) != len(ref.ChNames) {
			t.Fatalf("%s: %v Hz, %d samples, %d channels; MNE %v Hz, %d, %d", path, got.SFreq, got.NSamples, len(got.Channels), ref.SFreq, ref.NTimes, len(ref.ChNames))
		}
		for c, ch := range got.Channels {
			if ch.Name != ref.ChNames[c] || string(ch.Type) != ref.ChTypes[c] {
				t.Fatalf("channel %d: %s %s, MNE %s %s", c, ch.Name, ch.Type, ref.ChNames[c], ref.ChTypes[c])
			}
			scale := 262144e-6
			if c == 3 {
				scale = 8388608
			}
			for i, want := range ref.Data[c] {
				if d := math.Abs(got.Data[c][i] - want); d > 1e-12*scale {
					t.Fatalf("%s channel %s sample %d: %v, MNE %v", path, ch.Name, i, got.Data[c][i], want)
				}
			}
		}
		if len(got.Annotations) != len(ref.Annotations) {
			t.Fatalf("%s: %d annotations, MNE %d", path, len(got.Annotations), len(ref.Annotations))
		}
		for i, a := range got.Annotations {
			w := ref.Annotations[i]
			if a.Description != w.Description || math.Abs(a.Onset-w.Onset) > 1e-9 || a.Duration != w.Duration {
				t.Fatalf("%s: annotation %d: %+v, MNE %+v", path, i, a, w)
			}
		}
		// The file is what the killed writer had been given.
		checkSamples(t, got, 0, got.NSamples)
	}
	eh, err := edf.Open("testdata/killed.bdf")
	if err != nil {
		t.Fatal(err)
	}
	defer eh.Close()
	if eh.Header().Records != -1 {
		t.Fatalf("header records %d, want -1", eh.Header().Records)
	}
}
