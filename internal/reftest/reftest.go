// Package reftest compares a recording read by bcikit with the JSON fixture
// that testdata/gen/mneref.py wrote from MNE-Python's reading of the same
// file: header, annotations, per-channel sums and samples at fixed indices.
package reftest

import (
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"

	"github.com/bcikit/bcikit/raw"
)

// Fixture is what MNE-Python read from one file.
type Fixture struct {
	File        string         `json:"file"` // relative to the data directory
	Reader      string         `json:"reader"`
	Kwargs      map[string]any `json:"kwargs"`
	ChNames     []string       `json:"ch_names"`
	ChTypes     []string       `json:"ch_types"`
	Units       []string       `json:"units"`
	SFreq       float64        `json:"sfreq"`
	NSamples    int            `json:"n_samples"`
	FirstSamp   int            `json:"first_samp"`
	MeasDate    *string        `json:"meas_date"`
	Annotations []struct {
		Onset       float64 `json:"onset"`
		Duration    float64 `json:"duration"`
		Description string  `json:"description"`
	} `json:"annotations"`
	Indices []int       `json:"indices"`
	Values  [][]float64 `json:"values"`
	Sum     []float64   `json:"sum"`
	SumAbs  []float64   `json:"sumabs"`
	SumSq   []float64   `json:"sumsq"`
	MaxAbs  []float64   `json:"maxabs"`
}

// Load reads a fixture file.
func Load(tb testing.TB, path string) *Fixture {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var f Fixture
	if err := json.Unmarshal(b, &f); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return &f
}

// Tol is the tolerance of a comparison.
type Tol struct {
	// Rel is the relative tolerance on samples, scaled by the channel's
	// largest absolute value (1e-9 for the readers).
	Rel float64
	// Step, if non-nil, is an absolute per-channel allowance added to the
	// relative one: one digital step where MNE rounds differently.
	Step []float64
	// SkipUnits leaves units out of the comparison.
	SkipUnits bool
}

// Compare checks r against f and reports every difference through tb.
func Compare(tb testing.TB, r *raw.Raw, f *Fixture, tol Tol) {
	tb.Helper()
	if len(r.Channels) != len(f.ChNames) {
		tb.Fatalf("%s: %d channels, MNE has %d (%v)", f.File, len(r.Channels), len(f.ChNames), f.ChNames)
	}
	for i, c := range r.Channels {
		if c.Name != f.ChNames[i] {
			tb.Errorf("%s: channel %d name %q, MNE %q", f.File, i, c.Name, f.ChNames[i])
		}
		if string(c.Type) != f.ChTypes[i] {
			tb.Errorf("%s: channel %q type %q, MNE %q", f.File, c.Name, c.Type, f.ChTypes[i])
		}
		if !tol.SkipUnits && c.Unit != f.Units[i] {
			tb.Errorf("%s: channel %q unit %q, MNE %q", f.File, c.Name, c.Unit, f.Units[i])
		}
	}
	if r.SFreq != f.SFreq {
		tb.Errorf("%s: sfreq %v, MNE %v", f.File, r.SFreq, f.SFreq)
	}
	if r.NSamples != f.NSamples {
		tb.Fatalf("%s: %d samples, MNE %d", f.File, r.NSamples, f.NSamples)
	}
	if r.FirstSample != f.FirstSamp {
		tb.Errorf("%s: first sample %d, MNE %d", f.File, r.FirstSample, f.FirstSamp)
	}
	switch {
	case f.MeasDate == nil && !r.MeasDate.IsZero():
		tb.Errorf("%s: meas date %v, MNE none", f.File, r.MeasDate)
	case f.MeasDate != nil:
		want, err := time.Parse(time.RFC3339Nano, *f.MeasDate)
		if err != nil {
			tb.Fatalf("fixture meas_date %q: %v", *f.MeasDate, err)
		}
		if !r.MeasDate.Equal(want) {
			tb.Errorf("%s: meas date %v, MNE %v", f.File, r.MeasDate.UTC(), want)
		}
	}
	if len(r.Annotations) != len(f.Annotations) {
		tb.Errorf("%s: %d annotations, MNE %d", f.File, len(r.Annotations), len(f.Annotations))
	} else {
		for i, a := range r.Annotations {
			w := f.Annotations[i]
			if a.Description != w.Description || math.Abs(a.Onset-w.Onset) > 1e-9 || math.Abs(a.Duration-w.Duration) > 1e-9 {
				tb.Errorf("%s: annotation %d = %+v, MNE %+v", f.File, i, a, w)
			}
		}
	}
	bad := 0
	for c := range r.Channels {
		allow := tol.Rel * f.MaxAbs[c]
		if tol.Step != nil {
			allow += tol.Step[c]
		}
		d := r.Data[c]
		for k, i := range f.Indices {
			if got, want := d[i], f.Values[c][k]; math.Abs(got-want) > allow || math.IsNaN(got) != math.IsNaN(want) {
				if bad++; bad <= 10 {
					tb.Errorf("%s: channel %q sample %d = %.17g, MNE %.17g (allowed %.3g)", f.File, r.Channels[c].Name, i, got, want, allow)
				}
			}
		}
		var s, sa float64
		for _, v := range d {
			s += v
			sa += math.Abs(v)
		}
		// Sums over n samples: each sample may differ by allow.
		n := float64(len(d))
		if math.Abs(s-f.Sum[c]) > n*allow+1e-12*f.SumAbs[c] || math.Abs(sa-f.SumAbs[c]) > n*allow+1e-12*f.SumAbs[c] {
			if bad++; bad <= 10 {
				tb.Errorf("%s: channel %q sum %.17g / sum|x| %.17g, MNE %.17g / %.17g", f.File, r.Channels[c].Name, s, sa, f.Sum[c], f.SumAbs[c])
			}
		}
	}
	if bad > 10 {
		tb.Errorf("%s: %d sample mismatches in all", f.File, bad)
	}
}
