package online

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/paradigm"
	"github.com/bcikit/bcikit/raw"
)

// imagery returns EEGMMIDB's left/right imagery dataset on the test data.
func imagery(t testing.TB) *dataset.Dataset {
	t.Helper()
	testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	d, err := dataset.Get("eegmmidb-imagery-lr")
	if err != nil {
		t.Fatal(err)
	}
	d.Dir = testdata.Dir()
	return d
}

// recording reads subject 1's imagery run (4, 8 or 12).
func recording(t testing.TB, d *dataset.Dataset, run string) (*raw.Raw, []raw.Event) {
	t.Helper()
	recs, err := d.Recordings(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if strings.HasSuffix(rec.File, "R"+run+".edf") {
			r, ev, err := d.Read(rec)
			if err != nil {
				t.Fatal(err)
			}
			return r, ev
		}
	}
	t.Fatalf("no run %s among %v", run, recs)
	return nil, nil
}

var (
	modelMu    sync.Mutex
	modelCache = map[string]*decode.Model{}
)

// trainedModel trains pipeline on subject 1's imagery runs 8 and 12 as
// `bcikit train` does (offline paradigm, MNE's forward-backward filter) and
// returns the model with its paradigm section. Pipelines other than csp+lda
// are trained on the 21 sensorimotor channels (FC*, C*, CP*) only, to keep
// the tests short: the decoder then picks them out of the 64-channel stream.
func trainedModel(t testing.TB, pipeline string) *decode.Model {
	t.Helper()
	modelMu.Lock()
	defer modelMu.Unlock()
	if m, ok := modelCache[pipeline]; ok {
		return m
	}
	d := imagery(t)
	p, err := decode.New(pipeline)
	if err != nil {
		t.Fatal(err)
	}
	pname := ""
	if p.Input() == decode.Bands {
		pname = "imagery-fb"
	}
	par, err := paradigm.For(d, pname)
	if err != nil {
		t.Fatal(err)
	}
	var x decode.Data
	var y []int
	var tr *paradigm.Trials
	for _, run := range []string{"08", "12"} {
		r, ev := recording(t, d, run)
		if pipeline != "csp+lda" {
			var keep []string
			for _, c := range channelNames(r) {
				if strings.HasPrefix(c, "FC") || strings.HasPrefix(c, "C") {
					keep = append(keep, c)
				}
			}
			if err := r.Pick(keep...); err != nil {
				t.Fatal(err)
			}
		}
		if tr, err = par.Cut(r, ev); err != nil {
			t.Fatal(err)
		}
		if p.Input() == decode.Bands {
			if x.Bands == nil {
				x.Bands = make([][][][]float64, len(tr.Bands))
			}
			for b := range tr.Bands {
				x.Bands[b] = append(x.Bands[b], tr.Bands[b]...)
			}
		} else {
			x.Trials = append(x.Trials, tr.X...)
		}
		y = append(y, tr.Y...)
	}
	if err := p.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	pj, err := json.Marshal(struct {
		paradigm.Paradigm
		Dataset string `json:"dataset"`
	}{par, d.Name})
	if err != nil {
		t.Fatal(err)
	}
	m := &decode.Model{Pipeline: pipeline, Channels: tr.Channels, SFreq: tr.SFreq,
		Classes: slices.Compact(slices.Sorted(slices.Values(y))), Paradigm: pj, State: p}
	// Round trip through the model file, as a served model is read.
	var sb strings.Builder
	if err := decode.WriteModel(&sb, m); err != nil {
		t.Fatal(err)
	}
	m, err = decode.ReadModel(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	modelCache[pipeline] = m
	return m
}

func channelNames(r *raw.Raw) []string {
	n := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		n[i] = c.Name
	}
	return n
}

// causal filters the model's channels of r forward only, as offline
// dsp.SOSFilt of the whole recording with sosfilt_zi·x[0], for each band.
func causal(t testing.TB, r *raw.Raw, m *decode.Model, par paradigm.Paradigm) [][][]float64 {
	t.Helper()
	nb := 1
	if m.State.Input() == decode.Bands {
		nb = len(par.Bands)
	}
	out := make([][][]float64, nb)
	for b := range nb {
		sos, _, err := dsp.CreateIIRFilter(r.SFreq, par.Bands[b][0], par.Bands[b][1])
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range m.Channels {
			x := r.Data[slices.Index(channelNames(r), name)]
			zi := dsp.SOSFiltZi(sos)
			for s := range zi {
				zi[s][0] *= x[0]
				zi[s][1] *= x[0]
			}
			y, err := dsp.SOSFilt(nil, sos, x, zi)
			if err != nil {
				t.Fatal(err)
			}
			out[b] = append(out[b], y)
		}
	}
	return out
}

// cut returns the scaled windows [end−n, end) of the filtered bands.
func cut(f [][][]float64, ends []int64, n int, scale float64, in decode.Input) decode.Data {
	var x decode.Data
	bands := make([][][][]float64, len(f))
	for b := range f {
		for _, e := range ends {
			w := make([][]float64, len(f[b]))
			for c := range w {
				w[c] = make([]float64, n)
				for i := range n {
					w[c][i] = f[b][c][int(e)-n+i] * scale
				}
			}
			bands[b] = append(bands[b], w)
		}
	}
	if in == decode.Bands {
		x.Bands = bands
	} else {
		x.Trials = bands[0]
	}
	return x
}

// replay pushes r through dec in random chunk sizes with its events as
// markers, returning every decision.
func replay(t testing.TB, dec *Decoder, r *raw.Raw, events []raw.Event, seed uint64) []Decision {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	n := len(r.Data[0])
	var all []Decision
	pos, ev := 0, 0
	for _, k := range randomChunks(rng, n, 64) {
		var mk []Marker
		for ev < len(events) && events[ev].Sample-r.FirstSample < pos+k {
			mk = append(mk, Marker{Sample: int64(events[ev].Sample - r.FirstSample), Code: events[ev].Code})
			ev++
		}
		out, err := dec.Push(int64(pos), slice2(r.Data, pos, pos+k), time.Now(), mk)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range out {
			d.Markers = slices.Clone(d.Markers)
			all = append(all, d)
		}
		pos += k
	}
	return all
}

// TestDecoderOffline trains on runs 8 and 12 and replays run 4 in random
// chunks: every decision (sliding and cue-triggered) equals the pipeline's
// prediction and score on the same window cut offline from the whole run
// filtered causally, exactly.
func TestDecoderOffline(t *testing.T) {
	d := imagery(t)
	r, events := recording(t, d, "04")
	// Filter-bank input (decode.Bands) is covered by fb+mdm in
	// TestDecoderSSVEP; fbcsp+svm, slow to train, passes the same way.
	for _, pipeline := range []string{"csp+lda", "mdm"} {
		t.Run(pipeline, func(t *testing.T) {
			m := trainedModel(t, pipeline)
			dec, err := NewDecoder(m, channelNames(r), r.SFreq, Config{Step: 1, Trigger: true, Smooth: 3})
			if err != nil {
				t.Fatal(err)
			}
			par := dec.Paradigm()
			all := replay(t, dec, r, events, 9)
			f := causal(t, r, m, par)
			var slide, trig []Decision
			for _, x := range all {
				if x.Trigger != nil {
					trig = append(trig, x)
				} else {
					slide = append(slide, x)
				}
			}
			n := len(r.Data[0])
			if want := (n-dec.Window())/dec.Step() + 1; len(slide) != want {
				t.Fatalf("%d sliding decisions, want %d", len(slide), want)
			}
			off, length := dec.TrialWindow()
			var cues []int64
			for _, e := range events {
				if end := int64(e.Sample - r.FirstSample + off + length); end <= int64(n) {
					cues = append(cues, end)
				}
			}
			if len(trig) != len(cues) || len(cues) < 10 {
				t.Fatalf("%d triggered decisions, %d cues", len(trig), len(cues))
			}
			for _, c := range []struct {
				ds []Decision
				n  int
			}{{slide, dec.Window()}, {trig, length}} {
				ends := make([]int64, len(c.ds))
				for i, x := range c.ds {
					ends[i] = x.End
					if x.Length != c.n {
						t.Fatalf("decision %d: length %d, want %d", i, x.Length, c.n)
					}
				}
				x := cut(f, ends, c.n, par.Scale, m.State.Input())
				pred, err := m.State.Predict(x)
				if err != nil {
					t.Fatal(err)
				}
				score, err := m.State.Score(x)
				if err != nil {
					t.Fatal(err)
				}
				for i, x := range c.ds {
					if x.Predicted != pred[i] || !x.HasScore || x.Score != score[i] {
						t.Fatalf("window ending at %d: online %d (%v), offline %d (%v)", x.End, x.Predicted, x.Score, pred[i], score[i])
					}
				}
			}
			for i, x := range trig {
				if x.End != cues[i] {
					t.Fatalf("triggered decision %d ends at %d, cue window at %d", i, x.End, cues[i])
				}
			}
			// Smoothing: majority of the last 3 sliding predictions.
			for i := range slide {
				s := NewSmoother(3)
				var maj int
				var mean float64
				for j := max(0, i-2); j <= i; j++ {
					maj, mean = s.Add(slide[j].Predicted, slide[j].Score)
				}
				if slide[i].Smoothed != maj || math.Abs(slide[i].SmoothedScore-mean) > 1e-12*math.Max(1, math.Abs(mean)) {
					t.Fatalf("sliding decision %d smoothed to %d (%v), want %d (%v)", i, slide[i].Smoothed, slide[i].SmoothedScore, maj, mean)
				}
			}
			// Every marker is delivered once, with the first decision ending after it.
			var got []Marker
			for _, x := range all {
				for _, mk := range x.Markers {
					if mk.Sample >= x.End {
						t.Fatalf("marker at %d delivered with the window ending at %d", mk.Sample, x.End)
					}
					got = append(got, mk)
				}
			}
			last := all[len(all)-1].End
			want := 0
			for _, e := range events {
				if int64(e.Sample-r.FirstSample) < last {
					want++
				}
			}
			if len(got) != want {
				t.Fatalf("%d markers delivered, %d before the last decision", len(got), want)
			}
			// Sanity: the cue windows are decoded better than chance
			// (offline, MNE's zero-phase filter, these runs give ~0.7).
			tr, err := par.Cut(r, events)
			if err != nil {
				t.Fatal(err)
			}
			ok := 0
			for i, x := range trig {
				if x.Predicted == tr.Y[i] {
					ok++
				}
			}
			t.Logf("%s: %d sliding, %d cue decisions; cue accuracy %.3f (causal filter)", pipeline, len(slide), len(trig), float64(ok)/float64(len(trig)))
		})
	}
}

func TestDecoderErrors(t *testing.T) {
	d := imagery(t)
	r, _ := recording(t, d, "04")
	m := trainedModel(t, "csp+lda")
	names := channelNames(r)
	if _, err := NewDecoder(m, names[1:], r.SFreq, Config{}); err == nil || !strings.Contains(err.Error(), names[0]) {
		t.Errorf("missing channel: %v", err)
	}
	if _, err := NewDecoder(m, names, 2*r.SFreq, Config{}); err == nil {
		t.Error("other rate accepted")
	}
	for _, cfg := range []Config{{Window: -1}, {Window: math.Inf(1)}, {Window: 1e12}, {Step: math.NaN()}, {Step: 1e300}, {Step: math.Inf(1)}, {Step: -1}, {Smooth: -2}, {Smooth: 1 << 40}, {Window: 0.001}} {
		if _, err := NewDecoder(m, names, r.SFreq, cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	long := *m
	long.Paradigm = []byte(`{"name": "imagery", "bands": [[8, 30]], "tmin": 0, "tmax": 1e9, "scale": 1e6}`)
	if _, err := NewDecoder(&long, names, r.SFreq, Config{}); !errors.Is(err, ErrConfig) {
		t.Errorf("trials of 1e9 s: %v", err)
	}
	noPar := *m
	noPar.Paradigm = nil
	if _, err := NewDecoder(&noPar, names, r.SFreq, Config{}); !errors.Is(err, ErrConfig) {
		t.Errorf("no paradigm: %v", err)
	}
	// Channels reordered with an extra one are fine.
	rev := append(slices.Clone(names), "STI")
	slices.Reverse(rev)
	dec, err := NewDecoder(m, rev, r.SFreq, Config{})
	if err != nil {
		t.Fatal(err)
	}
	chunk := alloc2(len(rev), 10)
	if _, err := dec.Push(0, chunk[1:], time.Now(), nil); !errors.Is(err, ErrInput) {
		t.Errorf("wrong channel count: %v", err)
	}
	if _, err := dec.Push(5, chunk, time.Now(), nil); !errors.Is(err, ErrInput) {
		t.Errorf("gap: %v", err)
	}
	ragged := alloc2(len(rev), 10)
	ragged[3] = ragged[3][:4]
	if _, err := dec.Push(0, ragged, time.Now(), nil); !errors.Is(err, ErrInput) {
		t.Errorf("ragged: %v", err)
	}
	chunk[7][3] = math.Inf(1)
	if _, err := dec.Push(0, chunk, time.Now(), nil); !errors.Is(err, ErrNonFinite) {
		t.Errorf("Inf: %v", err)
	}
	chunk[7][3] = 0
	if _, err := dec.Push(0, chunk, time.Now(), nil); err != nil {
		t.Errorf("after refused chunks: %v", err)
	}
	if dec.Total() != 10 {
		t.Errorf("total %d", dec.Total())
	}
}

// TestDecoderLatency: latency is measured from the chunk's arrival with the
// configured clock.
func TestDecoderLatency(t *testing.T) {
	d := imagery(t)
	r, _ := recording(t, d, "04")
	m := trainedModel(t, "csp+lda")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dec, err := NewDecoder(m, channelNames(r), r.SFreq, Config{Window: 1, Step: 0.25, Now: func() time.Time { return t0.Add(3 * time.Millisecond) }})
	if err != nil {
		t.Fatal(err)
	}
	out, err := dec.Push(0, slice2(r.Data, 0, 400), t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Windows of 160 samples every 40: ends 160, 200, ..., 400.
	if len(out) != 7 || out[0].End != 160 || out[6].End != 400 {
		t.Fatalf("%d decisions: %+v", len(out), out)
	}
	for _, x := range out {
		if x.Latency != 3*time.Millisecond {
			t.Errorf("latency %v", x.Latency)
		}
	}
}

// fixed is a pipeline that always predicts class 1, allocating nothing: it
// isolates the decoder's own allocations.
type fixed struct {
	pred  []int
	score []float64
	in    decode.Input
}

func (f *fixed) Input() decode.Input          { return f.in }
func (f *fixed) Fit(decode.Data, []int) error { return nil }
func (f *fixed) Predict(x decode.Data) ([]int, error) {
	f.pred[0] = 1
	if x.Len() != 1 {
		return nil, errors.New("one window expected")
	}
	return f.pred, nil
}
func (f *fixed) Score(decode.Data) ([]float64, error) { return f.score, nil }

// TestDecoderNoAlloc: once it has seen its largest chunk, Push allocates
// nothing beyond what the pipeline does, decisions and markers aside.
func TestDecoderNoAlloc(t *testing.T) {
	for _, in := range []decode.Input{decode.Trials, decode.Bands} {
		par, _ := json.Marshal(paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 12}, {12, 30}}, TMin: 0, TMax: 1, Scale: 1e6})
		m := &decode.Model{Channels: []string{"a", "b", "c"}, SFreq: 250, Classes: []int{1, 2}, Paradigm: par,
			State: &fixed{pred: make([]int, 1), score: make([]float64, 1), in: in}}
		dec, err := NewDecoder(m, []string{"x", "c", "b", "a"}, 250, Config{Window: 0.5, Step: 0.1, Smooth: 5})
		if err != nil {
			t.Fatal(err)
		}
		chunk := alloc2(4, 25)
		var start int64
		push := func() {
			out, err := dec.Push(start, chunk, time.Now(), nil)
			if err != nil {
				t.Fatal(err)
			}
			start += 25
			if start > 250 && len(out) != 1 {
				t.Fatalf("%d decisions", len(out))
			}
		}
		for range 20 {
			push()
		}
		if n := testing.AllocsPerRun(50, push); n != 0 {
			t.Errorf("input %d: %v allocations per chunk", in, n)
		}
	}
}

// TestDecoderTriggerOnly: without sliding windows only cue windows are
// decoded; a cue arriving late is decoded while its window is in the ring
// (LateCue) and missed after.
func TestDecoderTriggerOnly(t *testing.T) {
	par, _ := json.Marshal(paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 30}}, TMin: 0.5, TMax: 1.5, Scale: 1e6})
	m := &decode.Model{Channels: []string{"a"}, SFreq: 100, Classes: []int{1, 2}, Paradigm: par,
		State: &fixed{pred: make([]int, 1), score: make([]float64, 1)}}
	dec, err := NewDecoder(m, []string{"a"}, 100, Config{Step: -1, Trigger: true})
	if err != nil {
		t.Fatal(err)
	}
	if off, n := dec.TrialWindow(); off != 50 || n != 101 {
		t.Fatalf("trial window %d+%d", off, n)
	}
	chunk := alloc2(1, 50)
	var got []Decision
	push := func(mk ...Marker) {
		t.Helper()
		out, err := dec.Push(dec.Total(), chunk, time.Now(), mk)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out...)
	}
	push(Marker{Sample: 20, Code: 1}, Marker{Sample: 30, Code: 7, Label: "other"})
	for range 4 {
		push()
	}
	// Window [70, 171) decided when sample 170 arrived (chunk [150, 200)).
	if len(got) != 1 || got[0].End != 171 || got[0].Trigger == nil || got[0].Trigger.Sample != 20 || len(got[0].Markers) != 2 {
		t.Fatalf("decisions %+v", got)
	}
	// At 250 samples: a cue at 60 (window [110, 211)) is 39 samples late,
	// within LateCue; one at 0 ([50, 151)) too; one at -100 is missed.
	push(Marker{Sample: 60, Code: 2}, Marker{Sample: 0, Code: 1}, Marker{Sample: -100, Code: 1})
	if len(got) != 3 || got[1].End != 151 || got[2].End != 211 || dec.Missed() != 1 {
		t.Fatalf("late cues: %d missed, decisions %+v", dec.Missed(), got)
	}
	for range 4 {
		push()
	}
	push(Marker{Sample: 20, Code: 2}) // 450 samples: [70, 171) has left the ring
	if len(got) != 3 || dec.Missed() != 2 {
		t.Fatalf("very late cue: %d missed, %d decisions", dec.Missed(), len(got))
	}
}

// TestDecoderRestart: after a refused chunk (NaN) and a gap, Restart lets
// the stream go on, and the decisions after it are those of a fresh decoder
// fed the rest of the stream with its sample numbers.
func TestDecoderRestart(t *testing.T) {
	d := imagery(t)
	r, _ := recording(t, d, "04")
	m := trainedModel(t, "csp+lda")
	names := channelNames(r)
	cfg := Config{Window: 1, Step: 0.5, Smooth: 2}
	dec, err := NewDecoder(m, names, r.SFreq, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Push(0, slice2(r.Data, 0, 1000), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	bad := alloc2(len(names), 50)
	bad[slices.Index(names, m.Channels[3])][7] = math.NaN()
	_, err = dec.Push(1000, bad, time.Now(), nil)
	if !errors.Is(err, ErrNonFinite) || !strings.Contains(err.Error(), m.Channels[3]) || !strings.Contains(err.Error(), "1007") {
		t.Fatalf("NaN chunk: %v", err)
	}
	// The source moved on; the next chunk starts at 1050.
	if _, err := dec.Push(1050, slice2(r.Data, 1050, 1100), time.Now(), nil); !errors.Is(err, ErrInput) {
		t.Fatalf("gap: %v", err)
	}
	dec.Restart(1050)
	fresh, err := NewDecoder(m, names, r.SFreq, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []Decision
	for pos := 1050; pos < 3000; pos += 70 {
		end := min(pos+70, 3000)
		out, err := dec.Push(int64(pos), slice2(r.Data, pos, end), time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out...)
		out, err = fresh.Push(int64(pos-1050), slice2(r.Data, pos, end), time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, out...)
	}
	if len(got) != len(want) || len(got) < 10 || got[0].End != 1050+160 {
		t.Fatalf("%d decisions after restart (first ends at %d), %d fresh", len(got), got[0].End, len(want))
	}
	for i := range got {
		if got[i].End != want[i].End+1050 || got[i].Predicted != want[i].Predicted || got[i].Score != want[i].Score || got[i].Smoothed != want[i].Smoothed {
			t.Fatalf("decision %d: %+v after restart, %+v fresh", i, got[i], want[i])
		}
	}
}
