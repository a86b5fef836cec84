package epochs

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

type fixture struct {
	File      string         `json:"file"`
	EventID   map[string]int `json:"event_id"`
	TMin      float64        `json:"tmin"`
	TMax      float64        `json:"tmax"`
	Baseline  []*float64     `json:"baseline"`
	RejectEEG *float64       `json:"reject_eeg"`
	Decim     int            `json:"decim"`
	Events    [][3]int       `json:"events"`
	Shape     [3]int         `json:"shape"`
	Times     []float64      `json:"times"`
	SFreq     float64        `json:"sfreq"`
	Selection []int          `json:"selection"`
	DropLog   [][]string     `json:"drop_log"`
	Labels    []int          `json:"labels"`
	Sums      [][]float64    `json:"sums"`
	MaxAbs    float64        `json:"maxabs"`
	At        [][3]int       `json:"at"`
	Values    []float64      `json:"values"`
}

func readRaw(t *testing.T, rel string) *raw.Raw {
	t.Helper()
	r, err := edf.Open(testdata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Epochs equal mne.Epochs(...).get_data() on EEGMMIDB runs: same events
// from annotations, same kept/dropped epochs and reasons, same times, and
// samples within 1e-9 of the largest absolute value (the EDF reader is
// itself within 1e-9 of MNE; baseline means add rounding of ~1e-16).
func TestMatchesMNE(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var f fixture
			if err := json.Unmarshal(b, &f); err != nil {
				t.Fatal(err)
			}
			r := readRaw(t, f.File)
			events, _, err := r.EventsFromAnnotations(f.EventID)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != len(f.Events) {
				t.Fatalf("%d events, MNE %d", len(events), len(f.Events))
			}
			for i, ev := range events {
				if ev.Sample != f.Events[i][0] || ev.Code != f.Events[i][2] {
					t.Fatalf("event %d = %+v, MNE %v", i, ev, f.Events[i])
				}
			}
			opt := Options{TMin: f.TMin, TMax: f.TMax, Decim: f.Decim}
			if f.Baseline != nil {
				bl := Baseline{Start: math.Inf(-1), End: math.Inf(1)}
				if f.Baseline[0] != nil {
					bl.Start = *f.Baseline[0]
				}
				if f.Baseline[1] != nil {
					bl.End = *f.Baseline[1]
				}
				opt.Baseline = &bl
			}
			if f.RejectEEG != nil {
				opt.Reject = map[raw.ChannelType]float64{raw.EEG: *f.RejectEEG}
			}
			ep, err := New(r, events, f.EventID, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(ep.Data) != f.Shape[0] || len(ep.Channels) != f.Shape[1] || len(ep.Times) != f.Shape[2] {
				t.Fatalf("shape %d×%d×%d, MNE %v", len(ep.Data), len(ep.Channels), len(ep.Times), f.Shape)
			}
			if ep.SFreq != f.SFreq {
				t.Errorf("sfreq %v, MNE %v", ep.SFreq, f.SFreq)
			}
			for i, tt := range ep.Times {
				if math.Abs(tt-f.Times[i]) > 1e-12 {
					t.Fatalf("time %d = %v, MNE %v", i, tt, f.Times[i])
				}
			}
			if !slices.Equal(ep.Selection, f.Selection) {
				t.Errorf("selection %v, MNE %v", ep.Selection, f.Selection)
			}
			for i, d := range ep.DropLog {
				if !slices.Equal(d, f.DropLog[i]) && !(len(d) == 0 && len(f.DropLog[i]) == 0) {
					t.Errorf("drop log %d = %v, MNE %v", i, d, f.DropLog[i])
				}
			}
			if !slices.Equal(ep.Labels(), f.Labels) {
				t.Errorf("labels %v, MNE %v", ep.Labels(), f.Labels)
			}
			tol := 1e-9 * f.MaxAbs
			for k, at := range f.At {
				if got := ep.Data[at[0]][at[1]][at[2]]; math.Abs(got-f.Values[k]) > tol {
					t.Errorf("data%v = %.17g, MNE %.17g", at, got, f.Values[k])
				}
			}
			for e := range ep.Data {
				for c, row := range ep.Data[e] {
					var s float64
					for _, v := range row {
						s += v
					}
					if math.Abs(s-f.Sums[e][c]) > float64(len(row))*tol {
						t.Errorf("sum of epoch %d channel %d = %g, MNE %g", e, c, s, f.Sums[e][c])
					}
				}
			}
		})
	}
}

func synth(n int) *raw.Raw {
	r := &raw.Raw{Info: raw.Info{SFreq: 100, NSamples: n, Channels: []raw.Channel{
		{Name: "C3", Type: raw.EEG, Unit: raw.UnitVolt, SFreq: 100},
		{Name: "STI", Type: raw.Stim, Unit: raw.UnitNone, SFreq: 100},
	}}}
	r.Data = raw.NewData(2, n)
	for i := range n {
		r.Data[0][i] = float64(i)
		r.Data[1][i] = 5
	}
	return r
}

func TestBaselineSkipsStim(t *testing.T) {
	r := synth(1000)
	ep, err := New(r, []raw.Event{{Sample: 500, Code: 1}}, map[string]int{"a": 1},
		Options{TMin: -0.1, TMax: 0.1, Baseline: &DefaultBaseline})
	if err != nil {
		t.Fatal(err)
	}
	// EEG ramp 490..510, baseline mean of 490..500 = 495.
	if got := ep.Data[0][0][0]; got != -5 {
		t.Errorf("eeg first sample %v, want -5", got)
	}
	if got := ep.Data[0][1][0]; got != 5 {
		t.Errorf("stim changed by baseline: %v", got)
	}
}

func TestBadInput(t *testing.T) {
	r := synth(1000)
	ev := []raw.Event{{Sample: 500, Code: 1}}
	id := map[string]int{"a": 1}
	cases := map[string]struct {
		ev  []raw.Event
		id  map[string]int
		opt Options
	}{
		"tmin>tmax":                     {ev, id, Options{TMin: 1, TMax: 0}},
		"nan tmin":                      {ev, id, Options{TMin: math.NaN(), TMax: 1}},
		"negative decim":                {ev, id, Options{TMax: 1, Decim: -2}},
		"event outside":                 {[]raw.Event{{Sample: 5000, Code: 1}}, id, Options{TMax: 1}},
		"no matching code":              {[]raw.Event{{Sample: 10, Code: 2}}, id, Options{TMax: 1}},
		"empty event map":               {ev, nil, Options{TMax: 1}},
		"shared codes":                  {ev, map[string]int{"a": 1, "b": 1}, Options{TMax: 1}},
		"repeated event":                {[]raw.Event{{Sample: 10, Code: 1}, {Sample: 10, Code: 1}}, id, Options{TMax: 1}},
		"baseline outside":              {ev, id, Options{TMin: -0.1, TMax: 0.1, Baseline: &Baseline{Start: -1, End: 0}}},
		"baseline one sample at tmin=0": {ev, id, Options{TMax: 0.1, Baseline: &DefaultBaseline}},
		"negative reject":               {ev, id, Options{TMax: 0.1, Reject: map[raw.ChannelType]float64{raw.EEG: -1}}},
	}
	for name, c := range cases {
		if _, err := New(r, c.ev, c.id, c.opt); !errors.Is(err, ErrParam) {
			t.Errorf("%s: error %v, want ErrParam", name, err)
		}
	}
}

func TestEdgeEpochsDropped(t *testing.T) {
	r := synth(1000)
	ep, err := New(r, []raw.Event{{Sample: 5, Code: 1}, {Sample: 500, Code: 1}, {Sample: 995, Code: 1}},
		map[string]int{"a": 1}, Options{TMin: -0.1, TMax: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ep.Data) != 1 || ep.DropLog[0][0] != NoData || ep.DropLog[2][0] != TooShort {
		t.Fatalf("kept %d, drop log %v", len(ep.Data), ep.DropLog)
	}
	if d := ep.Dropped(); len(d) != 2 {
		t.Errorf("Dropped() = %v", d)
	}
}

// TestHalfSampleRounding checks MNE's rounding of a window edge that falls
// exactly half-way between samples: Python's round() goes to the even
// neighbour (round(0.5) == 0, round(2.5) == 2), not away from zero.
// MNE 1.3 gives [500 501 502] for this case.
func TestHalfSampleRounding(t *testing.T) {
	r := synth(1000)
	// At 100 Hz, tmin = 0.005 s is sample 0.5 → 0; tmax = 0.025 s is
	// 2.5 → 2: three samples starting at the event.
	ep, err := New(r, []raw.Event{{Sample: 500, Code: 1}}, map[string]int{"a": 1}, Options{TMin: 0.005, TMax: 0.025})
	if err != nil {
		t.Fatal(err)
	}
	if got := ep.Data[0][0]; len(got) != 3 || got[0] != 500 || got[2] != 502 {
		t.Errorf("epoch %v, want samples 500..502", got)
	}
}
