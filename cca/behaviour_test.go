package cca

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// ssvepTrials makes n trials of nCh channels × nT samples at sfreq, trial
// i carrying freqs[i%len(freqs)] (with a second harmonic) in unit noise.
func ssvepTrials(seed uint64, n, nCh, nT int, sfreq float64, freqs []float64) [][][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][][]float64, n)
	for i := range out {
		f := freqs[i%len(freqs)]
		ph := rng.Float64() * 2 * math.Pi
		out[i] = make([][]float64, nCh)
		for ch := range out[i] {
			g := rng.Float64()*2 - 1
			row := make([]float64, nT)
			for k := range row {
				t := float64(k) / sfreq
				row[k] = g*(math.Sin(2*math.Pi*f*t+ph)+0.3*math.Cos(4*math.Pi*f*t)) + rng.NormFloat64()
			}
			out[i][ch] = row
		}
	}
	return out
}

func fitted(t testing.TB) (*CCA, [][][]float64, []int) {
	t.Helper()
	trials := ssvepTrials(1, 9, 4, 256, 128, []float64{8, 10, 12})
	y := []int{1, 2, 3, 1, 2, 3, 1, 2, 3}
	c := &CCA{Freqs: map[int]float64{1: 8, 2: 10, 3: 12}, SFreq: 128}
	if err := c.Fit(trials, y); err != nil {
		t.Fatal(err)
	}
	return c, trials, y
}

func TestPredictsSyntheticSSVEP(t *testing.T) {
	c, trials, y := fitted(t)
	pred, err := c.Predict(trials)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pred, y) {
		t.Errorf("predicted %v, want %v", pred, y)
	}
	if c.Harmonics != 0 || c.harmonics() != DefaultHarmonics || c.Channels != 4 || c.Times != 256 {
		t.Errorf("fitted %+v", c)
	}
}

// A rest class (no frequency) is a class of the problem but never predicted.
func TestRestNeverPredicted(t *testing.T) {
	trials := ssvepTrials(2, 8, 3, 200, 100, []float64{9, 13})
	y := []int{2, 3, 2, 3, 1, 1, 1, 1} // 1 = rest
	c := &CCA{Freqs: map[int]float64{2: 9, 3: 13}, SFreq: 100, Harmonics: 2}
	if err := c.Fit(trials, y); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Classes, []int{1, 2, 3}) || !slices.Equal(c.FreqClasses(), []int{2, 3}) {
		t.Fatalf("classes %v, frequency classes %v", c.Classes, c.FreqClasses())
	}
	pred, err := c.Predict(trials)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(pred, 1) {
		t.Errorf("rest predicted: %v", pred)
	}
	if _, err := c.Score(trials); !errors.Is(err, ErrClass) {
		t.Errorf("Score with a rest class: %v, want ErrClass", err)
	}
	// A frequency class absent from y is still predicted (MOABB builds a
	// reference for every frequency it is given).
	c2 := &CCA{Freqs: map[int]float64{2: 9, 3: 13}, SFreq: 100, Harmonics: 2}
	if err := c2.Fit(trials[:1], y[:1]); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c2.FreqClasses(), []int{2, 3}) {
		t.Errorf("frequency classes %v after training on class 2 only", c2.FreqClasses())
	}
}

// The canonical correlation depends on the spaces the channels span, not on
// the channels: a rescaled, offset channel, an extra channel that is a
// combination of others (common average reference) and a flat channel
// change nothing.
func TestInvariances(t *testing.T) {
	c, trials, _ := fitted(t)
	base, err := c.Correlations(trials[0])
	if err != nil {
		t.Fatal(err)
	}
	tr := make([][]float64, 4)
	for ch := range tr {
		tr[ch] = slices.Clone(trials[0][ch])
	}
	for k := range tr[1] {
		tr[1][k] = 1e-6*tr[1][k] + 3e-3
	}
	got, err := c.Correlations(tr)
	if err != nil {
		t.Fatal(err)
	}
	for j := range got {
		if math.Abs(got[j]-base[j]) > 1e-12 {
			t.Errorf("rescaled channel: class %d %v, was %v", j, got[j], base[j])
		}
	}

	// Five channels: the four and their sum, then the four and a flat one.
	sum := make([]float64, len(tr[0]))
	for _, row := range trials[0] {
		for k, v := range row {
			sum[k] += v
		}
	}
	flat := make([]float64, len(sum))
	for k := range flat {
		flat[k] = 0.1 // its mean is not exactly 0.1: centring leaves rounding
	}
	for name, extra := range map[string][]float64{"sum": sum, "flat": flat} {
		x := append(slices.Clone(trials[0]), extra)
		for j, ref := range c.refSignals(t) {
			r, err := Canonical(x, ref)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r-base[j]) > 1e-12 {
				t.Errorf("%s channel: class %d %.17g, was %.17g", name, j, r, base[j])
			}
		}
	}
}

// refSignals rebuilds the (uncentred) reference signals of c's frequency
// classes for c.Times samples.
func (c *CCA) refSignals(t testing.TB) [][][]float64 {
	t.Helper()
	var out [][][]float64
	n := c.Times
	slen := c.Duration
	if slen == 0 {
		slen = float64(n-1) / c.SFreq
	}
	for _, k := range c.FreqClasses() {
		f := c.Freqs[k]
		var rows [][]float64
		for h := 1; h <= c.harmonics(); h++ {
			s, co := make([]float64, n), make([]float64, n)
			for i := range n {
				ti := float64(i) * slen / float64(n-1)
				s[i], co[i] = math.Sin(2*math.Pi*f*float64(h)*ti), math.Cos(2*math.Pi*f*float64(h)*ti)
			}
			rows = append(rows, s, co)
		}
		out = append(out, rows)
	}
	return out
}

// Correlations equal Canonical with the reference signals themselves.
func TestCorrelationsAreCanonical(t *testing.T) {
	c, trials, _ := fitted(t)
	refs := c.refSignals(t)
	for i, tr := range trials {
		got, err := c.Correlations(tr)
		if err != nil {
			t.Fatal(err)
		}
		for j, ref := range refs {
			want, err := Canonical(tr, ref)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got[j]-want) > 1e-13 {
				t.Errorf("trial %d class %d: %v, Canonical %v", i, j, got[j], want)
			}
		}
	}
}

// A harmonic at the Nyquist frequency has a sine that vanishes at every
// sample: it is dropped from the reference instead of becoming noise.
func TestHarmonicAtNyquist(t *testing.T) {
	trials := ssvepTrials(3, 2, 3, 300, 100, []float64{25})
	c := &CCA{Freqs: map[int]float64{1: 25, 2: 12}, SFreq: 100, Harmonics: 2} // 2·25 Hz = Nyquist
	if err := c.Fit(trials, []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	r, err := c.references()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.bases[0]) != 3 || len(r.bases[1]) != 4 {
		t.Errorf("reference ranks %d and %d, want 3 and 4", len(r.bases[0]), len(r.bases[1]))
	}
	// Same as the reference without the vanishing sine.
	sig := c.refSignals(t)[0]
	want, err := Canonical(trials[0], [][]float64{sig[0], sig[1], sig[3]})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Correlations(trials[0])
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got[0]-want) > 1e-13 {
		t.Errorf("correlation %v, want %v", got[0], want)
	}
}

func TestScore(t *testing.T) {
	trials := ssvepTrials(4, 6, 3, 256, 128, []float64{11, 15})
	y := []int{5, 7, 5, 7, 5, 7}
	c := &CCA{Freqs: map[int]float64{7: 15, 5: 11}, SFreq: 128}
	if err := c.Fit(trials, y); err != nil {
		t.Fatal(err)
	}
	s, err := c.Score(trials)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range trials {
		corr, _ := c.Correlations(tr)
		if s[i] != corr[1]-corr[0] {
			t.Errorf("trial %d: score %v, correlations %v", i, s[i], corr)
		}
		if (s[i] > 0) != (y[i] == 7) {
			t.Errorf("trial %d (class %d): score %v", i, y[i], s[i])
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	c, trials, _ := fitted(t)
	c.Duration = 2
	want, err := c.Predict(trials)
	if err != nil {
		t.Fatal(err)
	}
	wantCorr, _ := c.Correlations(trials[4])
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var d CCA
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	got, err := d.Predict(trials)
	if err != nil {
		t.Fatal(err)
	}
	gotCorr, _ := d.Correlations(trials[4])
	if !slices.Equal(got, want) || !slices.Equal(gotCorr, wantCorr) {
		t.Errorf("after JSON %s: %v %v, want %v %v", b, got, gotCorr, want, wantCorr)
	}
	// Settings changed after Fit are honoured (the references follow).
	d.Freqs = map[int]float64{1: 12, 2: 10, 3: 8}
	swapped, _ := d.Correlations(trials[4])
	if swapped[0] != wantCorr[2] || swapped[2] != wantCorr[0] {
		t.Errorf("after swapping frequencies: %v, was %v", swapped, wantCorr)
	}
}

// Many goroutines on one CCA freshly decoded from JSON (references built
// concurrently on first use): run with -race.
func TestConcurrentUse(t *testing.T) {
	c, trials, _ := fitted(t)
	want, _ := c.Predict(trials)
	b, _ := json.Marshal(c)
	var d CCA
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			if g%2 == 0 {
				got, err := d.Predict(trials)
				if err != nil || !slices.Equal(got, want) {
					t.Errorf("Predict: %v %v", got, err)
				}
				return
			}
			for i, tr := range trials {
				corr, err := d.Correlations(tr)
				if err != nil || slices.Index(corr, slices.Max(corr)) != want[i]-1 {
					t.Errorf("Correlations: %v %v", corr, err)
				}
			}
		})
	}
	wg.Wait()
}

func TestErrors(t *testing.T) {
	good := ssvepTrials(5, 3, 2, 64, 64, []float64{10})
	y := []int{1, 1, 1}
	fr := map[int]float64{1: 10, 2: 13}
	nan := ssvepTrials(5, 3, 2, 64, 64, []float64{10})
	nan[2][1][7] = math.NaN()
	ragged := ssvepTrials(5, 3, 2, 64, 64, []float64{10})
	ragged[1][1] = ragged[1][1][:60]
	short := ssvepTrials(5, 1, 2, 8, 64, []float64{10}) // 8 ≤ 2 + 2·3
	flat := [][]float64{make([]float64, 64), make([]float64, 64)}

	fitCases := []struct {
		name   string
		c      CCA
		trials [][][]float64
		y      []int
		want   error
		msg    string
	}{
		{"no trials", CCA{Freqs: fr, SFreq: 64}, nil, nil, ErrShape, "no trials"},
		{"ragged", CCA{Freqs: fr, SFreq: 64}, ragged, y, ErrShape, "trial 1 channel 1 has 60 samples"},
		{"labels", CCA{Freqs: fr, SFreq: 64}, good, y[:2], ErrShape, "2 labels for 3 trials"},
		{"too short", CCA{Freqs: fr, SFreq: 64}, short, y[:1], ErrShape, "need more than 8"},
		{"nan", CCA{Freqs: fr, SFreq: 64}, nan, y, ErrNonFinite, "trial 2 channel 1 sample 7 is NaN"},
		{"unknown class", CCA{Freqs: fr, SFreq: 64, Classes: []int{1, 2}}, good, []int{1, 3, 1}, ErrClass, "label 3 of trial 1"},
		{"repeated class", CCA{Freqs: fr, SFreq: 64, Classes: []int{1, 1}}, good, y, ErrClass, "repeat"},
		{"no frequencies", CCA{SFreq: 64}, good, y, ErrClass, "none of the classes [1]"},
		{"frequencies of other classes", CCA{Freqs: fr, SFreq: 64, Classes: []int{4, 5}}, good, []int{4, 5, 4}, ErrClass, "none of the classes"},
		{"nyquist", CCA{Freqs: map[int]float64{1: 32}, SFreq: 64}, good, y, ErrParam, "at or above the Nyquist frequency 32 Hz"},
		{"above nyquist", CCA{Freqs: map[int]float64{1: 40}, SFreq: 64}, good, y, ErrParam, "class 1: frequency 40 Hz"},
		{"zero frequency", CCA{Freqs: map[int]float64{1: 0}, SFreq: 64}, good, y, ErrParam, "must be positive"},
		{"nan frequency", CCA{Freqs: map[int]float64{1: math.NaN()}, SFreq: 64}, good, y, ErrParam, "NaN Hz"},
		{"no sfreq", CCA{Freqs: fr}, good, y, ErrParam, "sampling rate 0 Hz"},
		{"negative harmonics", CCA{Freqs: fr, SFreq: 64, Harmonics: -1}, good, y, ErrParam, "-1 harmonics"},
		{"negative duration", CCA{Freqs: fr, SFreq: 64, Duration: -1}, good, y, ErrParam, "duration -1 s"},
	}
	for _, tc := range fitCases {
		err := tc.c.Fit(tc.trials, tc.y)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt0(err), tc.msg) {
			t.Errorf("Fit %s: %v, want %v mentioning %q", tc.name, err, tc.want, tc.msg)
		}
	}

	var unfitted CCA
	if _, err := unfitted.Predict(good); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Predict before Fit: %v", err)
	}
	if _, err := unfitted.Correlations(good[0]); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Correlations before Fit: %v", err)
	}
	if _, err := unfitted.Score(good); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Score before Fit: %v", err)
	}

	c := CCA{Freqs: fr, SFreq: 64}
	if err := c.Fit(good, y); err != nil {
		t.Fatal(err)
	}
	other := ssvepTrials(5, 2, 3, 64, 64, []float64{10})
	longer := ssvepTrials(5, 2, 2, 65, 64, []float64{10})
	inf := ssvepTrials(5, 2, 2, 64, 64, []float64{10})
	inf[1][0][3] = math.Inf(-1)
	huge := ssvepTrials(5, 2, 2, 64, 64, []float64{10})
	huge[0][1][0] = 1e200
	predCases := []struct {
		name   string
		trials [][][]float64
		want   error
		msg    string
	}{
		{"no trials", nil, ErrShape, "no trials"},
		{"channels", other, ErrShape, "trial 0 has 3 channels, want 2"},
		{"samples", longer, ErrShape, "trial 0 channel 0 has 65 samples, want 64"},
		{"inf", inf, ErrNonFinite, "trial 1: channel 0 sample 3 is -Inf"},
		{"overflow", huge, ErrNonFinite, "trial 0: channel 1: values too large"},
		{"flat", [][][]float64{good[0], flat}, ErrFlat, "trial 1: all 2 channels are flat"},
	}
	for _, tc := range predCases {
		_, err := c.Predict(tc.trials)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt0(err), tc.msg) {
			t.Errorf("Predict %s: %v, want %v mentioning %q", tc.name, err, tc.want, tc.msg)
		}
	}
	if _, err := c.Correlations(flat); !errors.Is(err, ErrFlat) {
		t.Errorf("Correlations of a flat trial: %v", err)
	}
	if _, err := c.Correlations(other[0]); !errors.Is(err, ErrShape) {
		t.Errorf("Correlations of a 3-channel trial: %v", err)
	}
	if _, err := c.Score(good); err != nil {
		t.Errorf("Score with one class in y, two frequencies: %v", err)
	}
	three := CCA{Freqs: map[int]float64{1: 10, 2: 13, 3: 17}, SFreq: 64}
	if err := three.Fit(good, y); err != nil {
		t.Fatal(err)
	}
	if _, err := three.Score(good); !errors.Is(err, ErrClass) {
		t.Errorf("Score with three frequency classes: %v", err)
	}
	// Settings broken after Fit are caught at Predict.
	bad := c
	bad.Freqs = map[int]float64{1: 50}
	if _, err := bad.Predict(good); !errors.Is(err, ErrParam) {
		t.Errorf("Predict after setting 50 Hz at 64 Hz: %v", err)
	}

	canon := []struct {
		name string
		x, y [][]float64
		want error
	}{
		{"empty x", nil, good[0], ErrShape},
		{"columns", good[0], longer[0], ErrShape},
		{"short", short[0], ssvepTrials(6, 1, 6, 8, 64, []float64{10})[0], ErrShape}, // 8 samples, 2+6 rows
		{"nan", nan[2], good[0], ErrNonFinite},
		{"flat y", good[0], flat, ErrFlat},
	}
	for _, tc := range canon {
		r, err := Canonical(tc.x, tc.y)
		if !errors.Is(err, tc.want) {
			t.Errorf("Canonical %s: %v, %v; want %v", tc.name, r, err, tc.want)
		}
	}
}

func fmt0(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
