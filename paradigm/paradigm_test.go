package paradigm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/preprocess"
	"github.com/bcikit/bcikit/raw"
)

// tol is the largest difference allowed between a bcikit sample and MNE's,
// relative to the peak of its trial. MNE's IIR filtering is matched to
// about 1e-12; 1e-9 leaves room for other BLAS/libm rounding.
const tol = 1e-9

// refCase is one case of testdata/paradigm_ref.json (testdata/gen/paradigm_ref.py).
type refCase struct {
	Name            string          `json:"name"`
	Kind            string          `json:"kind"`
	Dataset         string          `json:"dataset"`
	Subject         int             `json:"subject"`
	File            string          `json:"file"`
	Paradigm        string          `json:"paradigm"`
	Bands           [][2]float64    `json:"bands"`
	TMin            float64         `json:"tmin"`
	TMax            float64         `json:"tmax"`
	Window          []float64       `json:"window"`
	HalfWidth       float64         `json:"half_width"`
	Events          [][3]int        `json:"events"`
	SFreq           float64         `json:"sfreq"`
	ChNames         []string        `json:"ch_names"`
	Shape           [3]int          `json:"shape"`
	NBands          int             `json:"n_bands"`
	Labels          []int           `json:"labels"`
	Samples         []int           `json:"samples"`
	Onsets          []float64       `json:"onsets"`
	Sessions        []string        `json:"sessions"`
	Runs            []string        `json:"runs"`
	DropLog         [][][]string    `json:"drop_log"`
	SampledTrials   []int           `json:"sampled_trials"`
	SampledChannels []int           `json:"sampled_channels"`
	Step            int             `json:"step"`
	Values          [][][][]float64 `json:"values"` // [band][sampled trial][sampled channel][k]
	Sums            [][][]float64   `json:"sums"`   // [band][trial][channel]
	Peaks           [][]float64     `json:"peaks"`  // [band][trial]
}

var (
	refOnce  sync.Once
	refCases map[string]*refCase
)

func ref(t testing.TB, name string) *refCase {
	t.Helper()
	refOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("testdata", "paradigm_ref.json"))
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Cases []*refCase `json:"cases"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		refCases = map[string]*refCase{}
		for _, c := range f.Cases {
			refCases[c.Name] = c
		}
	})
	c, ok := refCases[name]
	if !ok {
		t.Fatalf("fixture has no case %q", name)
	}
	return c
}

// getDataset returns a registered dataset reading from the test data
// directory, skipping the test when there is none.
func getDataset(t testing.TB, name, probe string) *dataset.Dataset {
	t.Helper()
	testdata.Path(t, probe)
	d, err := dataset.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	d.Dir = testdata.Dir()
	return d
}

// compare checks tr against MNE's trials; it returns the largest sample
// error relative to its trial's peak.
func compare(t *testing.T, tr *Trials, c *refCase) float64 {
	t.Helper()
	n, nc, nt := c.Shape[0], c.Shape[1], c.Shape[2]
	if tr.Len() != n || len(tr.Bands) != c.NBands || len(tr.X) != n {
		t.Fatalf("%s: %d trials in %d bands (X %d), MNE %d in %d", c.Name, tr.Len(), len(tr.Bands), len(tr.X), n, c.NBands)
	}
	if !slices.Equal(tr.Channels, c.ChNames) || tr.SFreq != c.SFreq {
		t.Errorf("%s: channels %v at %g Hz, MNE %v at %g Hz", c.Name, tr.Channels, tr.SFreq, c.ChNames, c.SFreq)
	}
	if !slices.Equal(tr.Y, c.Labels) {
		t.Errorf("%s: labels %v, MNE %v", c.Name, tr.Y, c.Labels)
	}
	if c.Kind != "synthetic" && c.Kind != "recording" && c.Kind != "subject-window" &&
		(!slices.Equal(tr.Sessions, c.Sessions) || !slices.Equal(tr.Runs, c.Runs)) {
		t.Errorf("%s: sessions %v runs %v, want %v %v", c.Name, tr.Sessions, tr.Runs, c.Sessions, c.Runs)
	}
	if len(tr.Onsets) != n {
		t.Fatalf("%s: %d onsets for %d trials", c.Name, len(tr.Onsets), n)
	}
	for i, o := range tr.Onsets {
		if math.Abs(o-c.Onsets[i]) > 1e-12 {
			t.Errorf("%s: trial %d onset %g s, MNE %g s", c.Name, i, o, c.Onsets[i])
			break
		}
	}
	if len(tr.Times) != nt || math.Abs(tr.Times[0]-math.RoundToEven(c.TMin*c.SFreq)/c.SFreq) > 1e-12 {
		t.Errorf("%s: %d times from %g s, want %d from %g s", c.Name, len(tr.Times), tr.Times[0], nt, c.TMin)
	}
	worst := 0.0
	bad := 0
	for b := range c.NBands {
		x := tr.Bands[b]
		if b == 0 && &x[0][0][0] != &tr.X[0][0][0] {
			t.Errorf("%s: X is not Bands[0]", c.Name)
		}
		for i := range n {
			peak := c.Peaks[b][i]
			if len(x[i]) != nc {
				t.Fatalf("%s: band %d trial %d has %d channels, MNE %d", c.Name, b, i, len(x[i]), nc)
			}
			got := 0.0
			for ch := range nc {
				if len(x[i][ch]) != nt {
					t.Fatalf("%s: band %d trial %d channel %d has %d samples, MNE %d", c.Name, b, i, ch, len(x[i][ch]), nt)
				}
				s := 0.0
				for _, v := range x[i][ch] {
					s += v
					got = math.Max(got, math.Abs(v))
				}
				if d := math.Abs(s - c.Sums[b][i][ch]); d > float64(nt)*tol*peak {
					if bad++; bad <= 5 {
						t.Errorf("%s: band %d trial %d channel %d: sum %.15g, MNE %.15g", c.Name, b, i, ch, s, c.Sums[b][i][ch])
					}
				}
			}
			if d := math.Abs(got - peak); d > tol*peak {
				if bad++; bad <= 5 {
					t.Errorf("%s: band %d trial %d: peak %.15g, MNE %.15g", c.Name, b, i, got, peak)
				}
			}
		}
		for ti, i := range c.SampledTrials {
			peak := c.Peaks[b][i]
			for ci, ch := range c.SampledChannels {
				want := c.Values[b][ti][ci]
				for k, w := range want {
					g := x[i][ch][k*c.Step]
					e := math.Abs(g-w) / peak
					worst = math.Max(worst, e)
					if e > tol || math.IsNaN(g) {
						if bad++; bad <= 5 {
							t.Errorf("%s: band %d trial %d channel %d sample %d = %.15g, MNE %.15g", c.Name, b, i, ch, k*c.Step, g, w)
						}
					}
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d mismatches", c.Name, bad)
	}
	t.Logf("%s: %d trials × %d channels × %d samples × %d bands; largest sampled error %.2g of the trial's peak", c.Name, n, nc, nt, c.NBands, worst)
	return worst
}

func TestSubjectImagery(t *testing.T) {
	c := ref(t, "imagery_s1")
	d := getDataset(t, c.Dataset, "eegmmidb/S001/S001R04.edf")
	p, err := For(d, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "imagery" || !slices.Equal(p.Bands, c.Bands) || p.TMin != c.TMin || p.TMax != c.TMax || p.Scale != 1e6 {
		t.Fatalf("For(%s, \"\") = %+v", d.Name, p)
	}
	tr, err := p.Subject(context.Background(), d, c.Subject)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, tr, c)
	if tr.Subject != 1 || len(tr.Dropped) != 0 || len(tr.Skipped) != 0 {
		t.Errorf("subject %d, dropped %v, skipped %v", tr.Subject, tr.Dropped, tr.Skipped)
	}
}

func TestCutImageryFilterBank(t *testing.T) {
	c := ref(t, "imagery_fb_r04")
	d := getDataset(t, c.Dataset, c.File)
	p, err := For(d, "imagery-fb")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Bands, c.Bands) {
		t.Fatalf("imagery-fb bands %v, MOABB %v", p.Bands, c.Bands)
	}
	recs, err := d.Recordings(c.Subject)
	if err != nil {
		t.Fatal(err)
	}
	r, ev, err := d.Read(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].File != c.File {
		t.Fatalf("first recording %s, fixture %s", recs[0].File, c.File)
	}
	tr, err := p.Cut(r, ev)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, tr, c)
}

func TestSubjectSSVEP(t *testing.T) {
	for _, name := range []string{"ssvep_s1", "ssvep_fb_s1"} {
		t.Run(name, func(t *testing.T) {
			c := ref(t, name)
			d := getDataset(t, c.Dataset, "ssvep-exo/subject01")
			p, err := For(d, c.Paradigm)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Bands, c.Bands) || p.TMin != c.TMin || p.TMax != c.TMax {
				t.Fatalf("For(%s, %q) = %+v, want bands %v window %g–%g", d.Name, c.Paradigm, p, c.Bands, c.TMin, c.TMax)
			}
			tr, err := p.Subject(context.Background(), d, c.Subject)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, tr, c)
		})
	}
}

func TestSSVEPWindowAndWidth(t *testing.T) {
	c := ref(t, "ssvep_fb05_window")
	d := getDataset(t, c.Dataset, "ssvep-exo/subject01")
	p, err := For(d, "ssvep-fb", Window(c.Window[0], c.Window[1]), HalfWidth(c.HalfWidth))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Bands, c.Bands) || p.TMin != c.TMin || p.TMax != c.TMax {
		t.Fatalf("paradigm %+v, want bands %v window %g–%g", p, c.Bands, c.TMin, c.TMax)
	}
	recs, err := d.Recordings(c.Subject)
	if err != nil {
		t.Fatal(err)
	}
	r, ev, err := d.Read(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.Cut(r, ev)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, tr, c)
}

// synthetic builds the recording of paradigm_ref.py's synthetic().
func synthetic() *raw.Raw {
	const sfreq, n = 100.0, 3000
	r := &raw.Raw{Info: raw.Info{SFreq: sfreq, NSamples: n, Channels: []raw.Channel{
		{Name: "C3", Type: raw.EEG}, {Name: "Cz", Type: raw.EEG}, {Name: "C4", Type: raw.EEG},
		{Name: "EOG", Type: raw.EOG}, {Name: "STI", Type: raw.Stim},
	}}}
	r.Data = raw.NewData(5, n)
	for c := range 4 {
		f1, f2 := 5.0+3.0*float64(c), 23.0+float64(c)
		for i := range n {
			fi := float64(i)
			r.Data[c][i] = 1e-5 * (math.Sin(2*math.Pi*f1*fi/sfreq) + 0.3*math.Sin(2*math.Pi*f2*fi/sfreq+float64(c)) + 0.5*fi/n)
		}
	}
	r.Annotations = []raw.Annotation{
		{Onset: 10, Duration: 1, Description: "BAD_ACQ_SKIP"},
		{Onset: 14, Duration: 0.5, Description: "bad_blink"},
		{Onset: 20, Duration: 0, Description: "EDGE boundary"},
	}
	return r
}

func TestSyntheticEdgeCases(t *testing.T) {
	c := ref(t, "synthetic")
	r := synthetic()
	var ev []raw.Event
	for _, e := range c.Events {
		ev = append(ev, raw.Event{Sample: e[0], Prev: e[1], Code: e[2]})
	}
	p := Paradigm{Name: c.Paradigm, Bands: c.Bands, TMin: c.TMin, TMax: c.TMax, Scale: 1e6, Classes: []int{1, 2}}
	before := slices.Clone(r.Data[0])
	tr, err := p.Cut(r, ev)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, r.Data[0]) {
		t.Error("Cut modified the recording")
	}
	compare(t, tr, c)
	// MNE's drop log, one entry per event of the classes.
	var want []Drop
	k := 0
	for _, e := range ev {
		if e.Code != 1 && e.Code != 2 {
			continue
		}
		if log := c.DropLog[0][k]; len(log) > 0 {
			want = append(want, Drop{Index: k, Event: e, Reason: log[0]})
		}
		k++
	}
	if !slices.Equal(tr.Dropped, want) {
		t.Errorf("dropped %v, MNE %v", tr.Dropped, want)
	}
	if !slices.Equal(tr.Channels, []string{"C3", "Cz", "C4"}) {
		t.Errorf("channels %v: only EEG channels are picked", tr.Channels)
	}
}

// TestSegments checks the stretches raw.filter filters separately.
func TestSegments(t *testing.T) {
	r := synthetic()
	got := segments(r)
	want := [][2]int{{0, 1000}, {1100, 2000}, {2000, 3000}}
	if !slices.Equal(got, want) {
		t.Errorf("segments %v, want %v", got, want)
	}
	r.Annotations = nil
	if got := segments(r); !slices.Equal(got, [][2]int{{0, 3000}}) {
		t.Errorf("no annotation: segments %v", got)
	}
}

// TestSameAsPreprocess checks the band filtering against
// preprocess.FilterIIR (MNE's raw.filter(l, h, method='iir')) applied to
// a copy of the whole recording, cut by hand: the two must agree exactly.
func TestSameAsPreprocess(t *testing.T) {
	d := getDataset(t, "ssvep-exo", "ssvep-exo/subject01")
	recs, err := d.Recordings(1)
	if err != nil {
		t.Fatal(err)
	}
	r, ev, err := d.Read(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	p, err := For(d, "ssvep-fb")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.Cut(r, ev)
	if err != nil {
		t.Fatal(err)
	}
	for b, band := range p.Bands {
		cp := &raw.Raw{Info: r.Info, Data: raw.NewData(len(r.Data), r.NSamples)}
		cp.Channels = slices.Clone(r.Channels)
		for c := range r.Data {
			copy(cp.Data[c], r.Data[c])
		}
		if err := preprocess.FilterIIR(cp, band[0], band[1], 4); err != nil {
			t.Fatal(err)
		}
		start := int(math.RoundToEven(p.TMin * r.SFreq))
		for i, on := range tr.Onsets {
			s := int(math.Round(on*r.SFreq)) + start
			for c := range cp.Data {
				for k, v := range tr.Bands[b][i][c] {
					if w := 1e6 * cp.Data[c][s+k]; v != w {
						t.Fatalf("band %v trial %d channel %d sample %d: %g, preprocess.FilterIIR gives %g", band, i, c, k, v, w)
					}
				}
			}
		}
	}
}

func TestFor(t *testing.T) {
	mi, _ := dataset.Get("eegmmidb-imagery-ff")
	ss, _ := dataset.Get("ssvep-exo")
	p, err := For(mi, "imagery-fb")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{8, 12}, {12, 16}, {16, 20}, {20, 24}, {24, 28}, {28, 32}}
	if !slices.Equal(p.Bands, want) || !slices.Equal(p.Classes, []int{4, 5}) || p.TMin != 0 || p.TMax != 3 {
		t.Errorf("imagery-fb on %s = %+v", mi.Name, p)
	}
	p, err = For(ss, "")
	if err != nil || p.Name != "ssvep" || !slices.Equal(p.Bands, [][2]float64{{7, 45}}) || p.TMin != 2 || p.TMax != 5 ||
		!slices.Equal(p.Classes, []int{1, 2, 3, 4}) {
		t.Errorf("default paradigm of ssvep-exo = %+v, %v", p, err)
	}
	p, err = For(ss, "ssvep-fb")
	if err != nil || !slices.Equal(p.Bands, [][2]float64{{12, 14}, {16, 18}, {20, 22}}) {
		t.Errorf("ssvep-fb = %+v, %v", p, err)
	}
	// MOABB's window: tmin/tmax after the interval's start.
	p, err = For(ss, "ssvep", Window(0, 2))
	if err != nil || p.TMin != 2 || p.TMax != 4 {
		t.Errorf("ssvep with Window(0, 2) = %+v, %v (MOABB's SSVEPExo window is 2–4 s)", p, err)
	}
	if got := Names(); !slices.Equal(got, []string{"imagery", "imagery-fb", "ssvep", "ssvep-fb"}) {
		t.Errorf("Names() = %v", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	ss, _ := dataset.Get("ssvep-exo")
	p, err := For(ss, "ssvep-fb", HalfWidth(0.5))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"name":"ssvep-fb","bands":[[12.5,13.5],[16.5,17.5],[20.5,21.5]],"tmin":2,"tmax":5,"scale":1000000,"classes":[1,2,3,4]}`
	if string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	var q Paradigm
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.Name != p.Name || !slices.Equal(q.Bands, p.Bands) || q.TMin != p.TMin || q.TMax != p.TMax || q.Scale != p.Scale || !slices.Equal(q.Classes, p.Classes) {
		t.Errorf("round trip %+v != %+v", q, p)
	}
}

func TestErrors(t *testing.T) {
	mi, _ := dataset.Get("eegmmidb-imagery-lr")
	ss, _ := dataset.Get("ssvep-exo")
	check := func(name string, err, target error, words ...string) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("%s: error %v, want %v", name, err, target)
			return
		}
		for _, w := range words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", name, err, w)
			}
		}
	}
	_, err := For(mi, "p300")
	check("unknown name", err, ErrUnknown, `"p300"`, "imagery, imagery-fb, ssvep, ssvep-fb")
	_, err = For(mi, "ssvep")
	check("ssvep on imagery", err, ErrKind, "ssvep", "imagery", mi.Name)
	_, err = For(ss, "imagery-fb")
	check("imagery on ssvep", err, ErrKind, "imagery-fb", "ssvep-exo")
	_, err = For(ss, "ssvep-fb", HalfWidth(-1))
	check("negative width", err, ErrParam, "-1")
	_, err = For(ss, "ssvep-fb", HalfWidth(13))
	check("band reaching 0 Hz", err, ErrParam, "0–26 Hz")
	_, err = For(mi, "", Window(2, 1))
	check("reversed window", err, ErrParam, "tmin=2", "tmax=1")
	_, err = For(nil, "")
	check("nil dataset", err, ErrParam)

	r := synthetic() // 100 Hz
	ev := []raw.Event{{Sample: 400, Code: 1}, {Sample: 1200, Code: 2}}
	p := Paradigm{Name: "imagery", Bands: [][2]float64{{8, 60}}, TMin: 0, TMax: 1, Scale: 1e6}
	_, err = p.Cut(r, ev)
	check("band above Nyquist", err, ErrParam, "60 Hz", "Nyquist frequency 50 Hz")
	p.Bands = [][2]float64{{8, 30}}
	p.Classes = []int{1, 2}
	_, err = p.Cut(r, []raw.Event{{Sample: 400, Code: 7}})
	check("no event", err, ErrNoTrials, "no event", "codes 1, 2")
	_, err = p.Cut(r, []raw.Event{{Sample: 2950, Code: 1}, {Sample: 1380, Code: 2}})
	check("all dropped", err, ErrNoTrials, "TOO_SHORT", "sample 2950", "bad_blink")
	q := p
	q.Scale = 0
	_, err = q.Cut(r, ev)
	check("zero scale", err, ErrParam, "scale")
	q = p
	q.Name = "erp"
	_, err = q.Cut(r, ev)
	check("unknown name in Cut", err, ErrUnknown, `"erp"`)
	q = p
	q.Bands = nil
	_, err = q.Cut(r, ev)
	check("no band", err, ErrParam, "no band")
	q = p
	q.TMin, q.TMax = 1, 1
	_, err = q.Cut(r, ev)
	check("empty window", err, ErrParam, "tmin=1")

	nan := synthetic()
	nan.Data[1][1234] = math.NaN()
	_, err = p.Cut(nan, ev)
	if err == nil || !strings.Contains(err.Error(), `"Cz"`) || !strings.Contains(err.Error(), "1234") {
		t.Errorf("NaN sample: error %v, want one naming channel Cz and sample 1234", err)
	}
	noEEG := synthetic()
	for i := range noEEG.Channels {
		noEEG.Channels[i].Type = raw.Misc
	}
	_, err = p.Cut(noEEG, ev)
	check("no EEG", err, ErrParam, "no EEG channel")

	// Subject: kind and classes must fit the dataset.
	ctx := context.Background()
	_, err = p.Subject(ctx, ss, 1)
	check("imagery paradigm on ssvep dataset", err, ErrKind, "ssvep-exo")
	sp, _ := For(ss, "ssvep")
	sp.Classes = []int{1, 9}
	_, err = sp.Subject(ctx, ss, 1)
	check("foreign class", err, ErrParam, "class 9", "13")
	sp, _ = For(ss, "ssvep")
	_, err = sp.Subject(ctx, ss, 99)
	check("no such subject", err, dataset.ErrSubject, "99")
}

// TestSubjectWithoutTrials checks that recordings without events of the
// classes are skipped and a subject left with none is an error.
func TestSubjectWithoutTrials(t *testing.T) {
	d := getDataset(t, "eegmmidb-imagery-lr", "eegmmidb/S001/S001R04.edf")
	p, err := For(d, "imagery")
	if err != nil {
		t.Fatal(err)
	}
	// A window longer than the recordings drops every trial.
	long := p
	long.TMax = 1000
	_, err = long.Subject(context.Background(), d, 1)
	if !errors.Is(err, ErrNoTrials) || !strings.Contains(err.Error(), TooShort) {
		t.Errorf("window past the end: error %v, want ErrNoTrials with TOO_SHORT", err)
	}
	// Cancelled before the first recording.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Subject(ctx, d, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

// TestSkipRecording checks MOABB's skipping of a run without events, with
// a synthetic dataset recording: Cut reports ErrNoTrials, Subject (through
// cut) skips.
func TestSkipRecording(t *testing.T) {
	p := Paradigm{Name: "imagery", Bands: [][2]float64{{8, 30}}, TMin: 0, TMax: 1, Scale: 1e6, Classes: []int{1}}
	if _, err := p.cut(synthetic(), []raw.Event{{Sample: 400, Code: 2}}, "0", "R01"); !errors.Is(err, errNoEvents) {
		t.Errorf("recording without events: %v, want errNoEvents (skipped by Subject)", err)
	}
}

// TestSubjectSkipsRecording builds a data directory holding SSVEP-Exo
// subject 1 with the events of its second session replaced by events of no
// class: Subject skips that session, as MOABB skips a run without events,
// and a subject with no such recording left is ErrNoTrials.
func TestSubjectSkipsRecording(t *testing.T) {
	d := getDataset(t, "ssvep-exo", "ssvep-exo/subject01")
	root, err := filepath.Abs(d.Dir) // symlink targets must not be relative
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Recordings(1)
	if err != nil {
		t.Fatal(err)
	}
	noClass, err := filepath.Abs(filepath.Join("testdata", "no_class-eve.fif"))
	if err != nil {
		t.Fatal(err)
	}
	// build returns a data directory whose subject 1 has the recordings
	// of recs, the events of the k-th replaced when skip[k].
	build := func(skip ...bool) string {
		dir := t.TempDir()
		sub := filepath.Join(dir, "ssvep-exo", "subject01")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for k, rec := range recs {
			eve := filepath.Join(root, filepath.FromSlash(rec.Events))
			if skip[k] {
				eve = noClass
			}
			links := [][2]string{
				{filepath.Join(root, filepath.FromSlash(rec.File)), filepath.Base(rec.File)},
				{eve, filepath.Base(rec.Events)},
			}
			for _, l := range links {
				if err := os.Symlink(l[0], filepath.Join(sub, l[1])); err != nil {
					t.Fatal(err)
				}
			}
		}
		return dir
	}
	p, err := For(d, "ssvep")
	if err != nil {
		t.Fatal(err)
	}
	d.Dir = build(false, true)
	tr, err := p.Subject(context.Background(), d, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() != 32 || len(tr.Skipped) != 1 || tr.Skipped[0] != recs[1].File || tr.Sessions[31] != recs[0].Session {
		t.Errorf("%d trials, skipped %v; want the 32 trials of %s and %s skipped", tr.Len(), tr.Skipped, recs[0].File, recs[1].File)
	}
	d.Dir = build(true, true)
	_, err = p.Subject(context.Background(), d, 1)
	if !errors.Is(err, ErrNoTrials) || !strings.Contains(err.Error(), "no recording holds an event") || !strings.Contains(err.Error(), recs[1].File) {
		t.Errorf("no recording with events: error %v", err)
	}
}

// TestFirstSample checks that a recording whose data starts later in the
// acquisition (FIF's first_samp), with events and annotations counted from
// the acquisition start as raw documents, gives the same trials.
func TestFirstSample(t *testing.T) {
	p := Paradigm{Name: "imagery", Bands: [][2]float64{{8, 30}}, TMin: -0.5, TMax: 1, Scale: 1e6, Classes: []int{1, 2}}
	ev := []raw.Event{{Sample: 400, Code: 1}, {Sample: 1380, Code: 2}, {Sample: 1200, Code: 1}, {Sample: 2000, Code: 2}, {Sample: 2950, Code: 1}}
	want, err := p.Cut(synthetic(), ev)
	if err != nil {
		t.Fatal(err)
	}
	const shift = 12345
	r := synthetic()
	r.FirstSample = shift
	for i := range r.Annotations {
		r.Annotations[i].Onset += shift / r.SFreq
	}
	sev := slices.Clone(ev)
	for i := range sev {
		sev[i].Sample += shift
	}
	got, err := p.Cut(r, sev)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Y, want.Y) || !slices.Equal(got.Onsets, want.Onsets) || len(got.Dropped) != len(want.Dropped) {
		t.Fatalf("shifted: labels %v onsets %v dropped %v; unshifted %v %v %v", got.Y, got.Onsets, got.Dropped, want.Y, want.Onsets, want.Dropped)
	}
	for i := range got.Dropped {
		if got.Dropped[i].Reason != want.Dropped[i].Reason {
			t.Errorf("drop %d: %s, unshifted %s", i, got.Dropped[i].Reason, want.Dropped[i].Reason)
		}
	}
	for i := range got.X {
		for c := range got.X[i] {
			if !slices.Equal(got.X[i][c], want.X[i][c]) {
				t.Fatalf("trial %d channel %d differs when the data start at sample %d", i, c, shift)
			}
		}
	}
}
