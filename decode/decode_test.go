package decode

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// synth makes two-class trials whose classes differ in the variance of
// channel 0 vs channel 1 (what CSP and covariance decoders pick up), with
// filter-bank copies for fbcsp.
func synth(n int, seed uint64) (Data, Data, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	const nCh, nT, nBands = 6, 200, 3
	trials := make([][][]float64, n)
	y := make([]int, n)
	for i := range trials {
		y[i] = 1 + i%2
		trials[i] = make([][]float64, nCh)
		for c := range trials[i] {
			scale := 1.0
			if (c == 0 && y[i] == 1) || (c == 1 && y[i] == 2) {
				scale = 3
			}
			row := make([]float64, nT)
			for t := range row {
				row[t] = scale*rng.NormFloat64() + 0.3*math.Sin(float64(t)*0.1*float64(c+1))
			}
			trials[i][c] = row
		}
	}
	bands := make([][][][]float64, nBands)
	for b := range bands {
		bands[b] = trials
	}
	return Data{Trials: trials}, Data{Bands: bands}, y
}

func TestPipelinesLearnAndRoundTrip(t *testing.T) {
	xt, xb, y := synth(60, 1)
	tt, tb, ty := synth(40, 2)
	for _, name := range Names() {
		if name == "cca" {
			continue // SSVEP only: TestCCAPipeline
		}
		t.Run(name, func(t *testing.T) {
			p, err := New(name)
			if err != nil {
				t.Fatal(err)
			}
			train, test := xt, tt
			if p.Input() == Bands {
				train, test = xb, tb
			}
			if err := p.Fit(train, y); err != nil {
				t.Fatal(err)
			}
			pred, err := p.Predict(test)
			if err != nil {
				t.Fatal(err)
			}
			ok := 0
			for i := range pred {
				if pred[i] == ty[i] {
					ok++
				}
			}
			if acc := float64(ok) / float64(len(pred)); acc < 0.9 {
				t.Errorf("accuracy %.2f on separable data", acc)
			}
			score, err := p.Score(test)
			if err != nil || len(score) != len(pred) {
				t.Fatalf("score: %v (%d values)", err, len(score))
			}
			var b bytes.Buffer
			m := &Model{Pipeline: name, Channels: []string{"a", "b", "c", "d", "e", "f"}, SFreq: 100, Classes: []int{1, 2}, State: p}
			if err := WriteModel(&b, m); err != nil {
				t.Fatal(err)
			}
			back, err := ReadModel(&b)
			if err != nil {
				t.Fatal(err)
			}
			pred2, err := back.State.Predict(test)
			if err != nil || !slices.Equal(pred, pred2) {
				t.Errorf("after JSON round trip: %v %v", err, pred2)
			}
			score2, _ := back.State.Score(test)
			for i := range score {
				if math.Abs(score[i]-score2[i]) > 1e-9*(1+math.Abs(score[i])) {
					t.Fatalf("score %d: %v vs %v after round trip", i, score[i], score2[i])
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	if _, err := New("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown pipeline: %v", err)
	}
	for name, js := range map[string]string{
		"format":   `{"format":"x","version":1,"pipeline":"mdm","state":{}}`,
		"version":  `{"format":"bcikit-model","version":99,"pipeline":"mdm","state":{}}`,
		"pipeline": `{"format":"bcikit-model","version":1,"pipeline":"zzz","state":{}}`,
		"state":    `{"format":"bcikit-model","version":1,"pipeline":"mdm"}`,
		"garbage":  `{`,
	} {
		if _, err := ReadModel(bytes.NewBufferString(js)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	m := &Model{Channels: []string{"C3", "C4"}, SFreq: 160}
	if err := m.CheckInput([]string{"C3", "C4"}, 250); err == nil {
		t.Error("rate mismatch accepted")
	}
	if err := m.CheckInput([]string{"C3", "Cz"}, 160); err == nil {
		t.Error("channel mismatch accepted")
	}
	if err := m.CheckInput([]string{"C3", "C4"}, 160); err != nil {
		t.Error(err)
	}
	xt, _, y := synth(10, 3)
	p, _ := New("mdm")
	if err := p.Fit(xt, make([]int, len(y))); err == nil {
		t.Error("single class accepted")
	}
}

// TestExtendedSignal checks that fb+mdm is mdm on the bands stacked as
// channels (band 0's channels first), as pyRiemann's SSVEP example builds
// the extended signal with np.vstack.
func TestExtendedSignal(t *testing.T) {
	xt, _, y := synth(40, 3)
	other, _, _ := synth(40, 4)
	bands := Data{Bands: [][][][]float64{xt.Trials, other.Trials}}
	stacked := make([][][]float64, len(y))
	for i := range stacked {
		stacked[i] = append(append([][]float64{}, xt.Trials[i]...), other.Trials[i]...)
	}
	fb, _ := New("fb+mdm")
	if fb.Input() != Bands {
		t.Fatal("fb+mdm does not take bands")
	}
	plain := &MDM{Cov: fb.(*MDM).Cov}
	if err := fb.Fit(bands, y); err != nil {
		t.Fatal(err)
	}
	if err := plain.Fit(Data{Trials: stacked}, y); err != nil {
		t.Fatal(err)
	}
	s1, err1 := fb.Score(bands)
	s2, err2 := plain.Score(Data{Trials: stacked})
	if err1 != nil || err2 != nil || !slices.Equal(s1, s2) {
		t.Fatalf("fb+mdm differs from mdm on the stacked signal: %v %v", err1, err2)
	}
	if _, err := fb.Predict(Data{Trials: stacked}); err == nil {
		t.Error("fb+mdm accepted input without bands")
	}
}

// TestCCAPipeline checks the cca pipeline on synthetic SSVEP trials: it
// must be configured, then decodes each trial's frequency, and survives a
// model-file round trip.
func TestCCAPipeline(t *testing.T) {
	const sfreq, nT, nCh = 128.0, 257, 4
	freqs := map[int]float64{2: 9, 3: 13}
	rng := rand.New(rand.NewPCG(5, 9))
	var trials [][][]float64
	var y []int
	for i := range 30 {
		lab := 2 + i%2
		tr := make([][]float64, nCh)
		for c := range tr {
			tr[c] = make([]float64, nT)
			for k := range tr[c] {
				tr[c][k] = math.Sin(2*math.Pi*freqs[lab]*float64(k)/sfreq+float64(c)) + 2*rng.NormFloat64()
			}
		}
		trials = append(trials, tr)
		y = append(y, lab)
	}
	x := Data{Trials: trials}
	p, _ := New("cca")
	if err := p.Fit(x, y); err == nil {
		t.Error("cca fitted without Configure")
	}
	if err := Configure(p, Setup{SFreq: sfreq}); err == nil {
		t.Error("cca configured without class frequencies")
	}
	if err := Configure(p, Setup{SFreq: sfreq, ClassFreqs: freqs}); err != nil {
		t.Fatal(err)
	}
	if err := p.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	pred, err := p.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pred, y) {
		t.Errorf("cca predictions %v, want %v", pred, y)
	}
	var b bytes.Buffer
	if err := WriteModel(&b, &Model{Pipeline: "cca", SFreq: sfreq, Classes: []int{2, 3}, State: p}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadModel(&b)
	if err != nil {
		t.Fatal(err)
	}
	pred2, err := back.State.Predict(x)
	if err != nil || !slices.Equal(pred, pred2) {
		t.Errorf("after round trip: %v %v", err, pred2)
	}
}

// TestPrecomputedCovs checks that pipelines given the trials' covariances
// (Data.WithCovs, then Subset) decide exactly as when they estimate them.
func TestPrecomputedCovs(t *testing.T) {
	xt, xb, y := synth(40, 21)
	for _, name := range []string{"mdm", "ts+lr", "fgmdm", "fb+mdm", "fb+ts+lr"} {
		p1, _ := New(name)
		p2, _ := New(name)
		d := xt
		if p1.Input() == Bands {
			d = xb
		}
		k, ok := p1.(CovUser).CovKey()
		if !ok {
			t.Fatalf("%s: no cov key", name)
		}
		dc, err := d.WithCovs(k)
		if err != nil {
			t.Fatal(err)
		}
		train, test := make([]int, 30), make([]int, 10)
		for i := range train {
			train[i] = i
		}
		for i := range test {
			test[i] = 30 + i
		}
		if err := p1.Fit(d.Subset(train), y[:30]); err != nil {
			t.Fatal(err)
		}
		if err := p2.Fit(dc.Subset(train), y[:30]); err != nil {
			t.Fatal(err)
		}
		s1, _ := p1.Score(d.Subset(test))
		s2, _ := p2.Score(dc.Subset(test))
		if !slices.Equal(s1, s2) || len(s1) != 10 {
			t.Errorf("%s: scores differ with precomputed covariances", name)
		}
	}
}

// TestPredictScore checks that the one-pass PredictScore equals Predict and
// Score, for every pipeline.
func TestPredictScore(t *testing.T) {
	xt, xb, y := synth(40, 31)
	tt, tb, _ := synth(12, 32)
	for _, name := range Names() {
		if name == "cca" {
			continue
		}
		p, _ := New(name)
		train, test := xt, tt
		if p.Input() == Bands {
			train, test = xb, tb
		}
		if err := p.Fit(train, y); err != nil {
			t.Fatal(err)
		}
		pred, err1 := p.Predict(test)
		score, err2 := p.Score(test)
		pred2, score2, err3 := PredictScore(p, test, true)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("%s: %v %v %v", name, err1, err2, err3)
		}
		if !slices.Equal(pred, pred2) || !slices.Equal(score, score2) {
			t.Errorf("%s: PredictScore differs from Predict and Score", name)
		}
	}
}
