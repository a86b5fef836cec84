package brainvision

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/raw"
)

// edgeCase is one file set of testdata/edge.json (written by
// testdata/gen/brainvision_edge.py) with what MNE-Python 1.3 made of it.
type edgeCase struct {
	Name      string            `json:"name"`
	Files     map[string]string `json:"files"` // "t:" text or "h:" hex
	Deviation *string           `json:"deviation"`
	MNE       struct {
		Error       *string     `json:"error"`
		ChNames     []string    `json:"ch_names"`
		ChTypes     []string    `json:"ch_types"`
		Units       []string    `json:"units"`
		SFreq       float64     `json:"sfreq"`
		MeasDate    *string     `json:"meas_date"`
		Annotations [][3]any    `json:"annotations"`
		Data        [][]float64 `json:"data"`
	} `json:"mne"`
}

// TestMNEEdgeCases checks, on small file sets built to exercise MNE's
// rules (formats, layouts, units, types, configparser syntax, codepages,
// markers, cropping, bad input), that Open succeeds exactly where MNE
// does, except for the documented deviations, and that it then reads the
// same recording: names, types, units, sampling rate, measurement date and
// annotations exactly, samples to 1e-9 relative.
//
// BRAINVISION_EDGE names another fixture file of the same form to check
// instead (for differential runs on generated file sets).
func TestMNEEdgeCases(t *testing.T) {
	fixture := filepath.Join("testdata", "edge.json")
	if p := os.Getenv("BRAINVISION_EDGE"); p != "" {
		fixture = p
	}
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var cases []edgeCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.Name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range c.Files {
				data := []byte(content[2:])
				if strings.HasPrefix(content, "h:") {
					if data, err = hex.DecodeString(content[2:]); err != nil {
						t.Fatal(err)
					}
				}
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rec, err := openAll(filepath.Join(dir, "x.vhdr"))
			mneErr := c.MNE.Error != nil
			if c.Deviation != nil {
				mneErr = !mneErr
				t.Logf("deviation from MNE: %s", *c.Deviation)
			}
			switch {
			case mneErr && err == nil:
				t.Fatalf("opened, MNE fails with %s", *c.MNE.Error)
			case mneErr:
				t.Logf("error as MNE: %v", err)
				return
			case err != nil:
				t.Fatalf("MNE reads it, got %v", err)
			case c.Deviation != nil:
				return // MNE fails: nothing to compare with
			}
			checkEdge(t, rec, &c)
		})
	}
}

func openAll(path string) (*raw.Raw, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return raw.ReadAll(r)
}

func checkEdge(t *testing.T, rec *raw.Raw, c *edgeCase) {
	m := &c.MNE
	if len(rec.Channels) != len(m.ChNames) {
		t.Fatalf("%d channels, MNE %v", len(rec.Channels), m.ChNames)
	}
	for i, ch := range rec.Channels {
		if ch.Name != m.ChNames[i] || string(ch.Type) != m.ChTypes[i] || ch.Unit != m.Units[i] {
			t.Errorf("channel %d = %q %s %s, MNE %q %s %s", i, ch.Name, ch.Type, ch.Unit, m.ChNames[i], m.ChTypes[i], m.Units[i])
		}
	}
	if rec.SFreq != m.SFreq {
		t.Errorf("sfreq %v, MNE %v", rec.SFreq, m.SFreq)
	}
	switch {
	case m.MeasDate == nil && !rec.MeasDate.IsZero():
		t.Errorf("meas date %v, MNE none", rec.MeasDate)
	case m.MeasDate != nil:
		want, err := time.Parse(time.RFC3339Nano, *m.MeasDate)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.MeasDate.Equal(want) {
			t.Errorf("meas date %v, MNE %v", rec.MeasDate, want)
		}
	}
	if len(rec.Annotations) != len(m.Annotations) {
		t.Errorf("annotations %+v, MNE %v", rec.Annotations, m.Annotations)
	} else {
		for i, a := range rec.Annotations {
			w := m.Annotations[i]
			if a.Onset != w[0].(float64) || a.Duration != w[1].(float64) || a.Description != w[2].(string) {
				t.Errorf("annotation %d = %+v, MNE %v", i, a, w)
			}
		}
	}
	if len(m.Data) != len(rec.Data) || len(m.Data[0]) != rec.NSamples {
		t.Fatalf("%d×%d samples, MNE %d×%d", len(rec.Data), rec.NSamples, len(m.Data), len(m.Data[0]))
	}
	for ch, want := range m.Data {
		maxAbs := 0.0
		for _, v := range want {
			maxAbs = math.Max(maxAbs, math.Abs(v))
		}
		for i, v := range want {
			if got := rec.Data[ch][i]; math.Abs(got-v) > 1e-9*maxAbs {
				t.Errorf("channel %d sample %d = %.17g, MNE %.17g", ch, i, got, v)
			}
		}
	}
}
