package online

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/bcikit/bcikit/eval"
)

// TestMCCSklearn: MCC and balanced accuracy equal sklearn's on random labels.
func TestMCCSklearn(t *testing.T) {
	const tol = 1e-12
	for i, c := range readFixture(t).Metrics {
		if got := MCC(c.YTrue, c.YPred); math.Abs(got-c.MCC) > tol {
			t.Errorf("case %d: MCC %v, sklearn %v", i, got, c.MCC)
		}
		if got, err := eval.BalancedAccuracy(c.YTrue, c.YPred); err != nil || math.Abs(got-c.Balanced) > tol {
			t.Errorf("case %d: balanced accuracy %v (%v), sklearn %v", i, got, err, c.Balanced)
		}
	}
	if got := MCC([]int{1, 1, 1}, []int{1, 2, 1}); got != 0 {
		t.Errorf("constant truth: MCC %v, sklearn 0", got)
	}
}

func TestLabel(t *testing.T) {
	l := Labels{SFreq: 100, Offset: 0, Length: 300}
	cues := []Marker{{Sample: 1000, Code: 2}, {Sample: 2000, Code: 3}}
	check := func(end int64, label int, kind Kind) {
		t.Helper()
		if gl, gk := Label(end, 200, cues, l); gl != label || gk != kind {
			t.Errorf("window ending at %d: (%d, %d), want (%d, %d)", end, gl, gk, label, kind)
		}
	}
	// Windows of 200 samples; trials [1000,1300) and [2000,2300).
	check(900, Idle, IdleWindow)  // [700,900)
	check(1000, Idle, IdleWindow) // ends at the trial's first sample
	check(1001, Idle, IdleWindow) // 1 sample in
	check(1099, Idle, IdleWindow) // 99 in
	check(1100, 2, Task)          // 100 in, 100 out: the later (trial) wins
	check(1101, 2, Task)          // 101 in
	check(1300, 2, Task)          // inside
	check(1399, 2, Task)          // [1199,1399): 101 in
	check(1400, Idle, IdleWindow) // [1200,1400): a tie, the later is idle
	check(1500, Idle, IdleWindow) // [1300,1500)
	check(2150, 3, Task)
	// A window over two trials takes the one it overlaps most.
	short := Labels{SFreq: 100, Length: 100}
	if gl, gk := Label(1210, 200, []Marker{{Sample: 1000, Code: 2}, {Sample: 1100, Code: 3}}, short); gl != 3 || gk != Task {
		t.Errorf("two trials: (%d, %d)", gl, gk)
	}
}

func TestEvaluate(t *testing.T) {
	l := Labels{SFreq: 100, Length: 200, Rest: []int{9}}
	cues := []Marker{{Sample: 1000, Code: 2}, {Sample: 2000, Code: 3}}
	var ds []Decision
	for end := int64(200); end <= 3000; end += 50 {
		label, kind := Label(end, 200, cues, l)
		pred := 2
		switch {
		case kind == Task:
			pred = label
		case end < 900:
			pred = 9 // rest predicted: no activation
		}
		ds = append(ds, Decision{End: end, Length: 200, Predicted: pred, Smoothed: pred})
	}
	// Triggered decisions are scored apart.
	ds = append(ds, Decision{End: 1300, Length: 300, Trigger: &Marker{Sample: 1000, Code: 2}, Predicted: 3, Smoothed: 3},
		Decision{End: 2300, Length: 300, Trigger: &Marker{Sample: 2000, Code: 3}, Predicted: 3, Smoothed: 3})
	rep, err := Evaluate(ds, cues, l)
	if err != nil {
		t.Fatal(err)
	}
	if rep.CueWindows != 2 || rep.CueAccuracy != 0.5 {
		t.Errorf("cue windows %d, accuracy %v", rep.CueWindows, rep.CueAccuracy)
	}
	if rep.Accuracy != 1 || rep.BalancedAccuracy != 1 {
		t.Errorf("perfect task windows: %+v", rep)
	}
	// Trials [1000,1200) and [2000,2200): the windows ending 1100, 1150,
	// 1200, 1250 (and 2100 ... 2250) are mostly inside; the other 49 are
	// idle, of which the 14 ending before 900 predict rest.
	if rep.Windows != rep.Task+rep.Idle || rep.Windows != 57 || rep.Task != 8 {
		t.Errorf("window counts %+v", rep)
	}
	if rep.Idle != 49 || rep.FalseActivations != 49-14 {
		t.Errorf("idle %d, false activations %d", rep.Idle, rep.FalseActivations)
	}
	if want := 49 * 0.5 / 60; math.Abs(rep.IdleMinutes-want) > 1e-15 {
		t.Errorf("idle minutes %v, want %v", rep.IdleMinutes, want)
	}
	if math.Abs(rep.FalsePerMin-35/(49*0.5/60)) > 1e-12 {
		t.Errorf("false per min %v", rep.FalsePerMin)
	}
	if b, _, _ := eval.ITR(2, 1, 2); rep.ITRBits != b || rep.ITRBitsPerMin != 30 {
		t.Errorf("ITR %v bits, %v bits/min", rep.ITRBits, rep.ITRBitsPerMin)
	}
	if rep.NMCC <= 0.5 || rep.NMCC >= 1 {
		t.Errorf("nMCC %v", rep.NMCC)
	}

	if _, err := Evaluate(ds[:3], cues, l); !errors.Is(err, ErrEval) {
		t.Errorf("no task window: %v", err)
	}
	bad := append([]Decision{}, ds[:5]...)
	bad[3].End++
	if _, err := Evaluate(bad, cues, l); !errors.Is(err, ErrEval) {
		t.Errorf("irregular ends: %v", err)
	}
	if _, err := Evaluate(nil, cues, l); !errors.Is(err, ErrEval) {
		t.Errorf("no decisions: %v", err)
	}
}

// TestPseudoOnline trains on runs 8 and 12 and evaluates run 4 pseudo-online.
func TestPseudoOnline(t *testing.T) {
	d := imagery(t)
	r, events := recording(t, d, "04")
	m := trainedModel(t, "csp+lda")
	dec, err := NewDecoder(m, channelNames(r), r.SFreq, Config{Step: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	var cues []Marker
	for _, e := range events {
		cues = append(cues, Marker{Sample: int64(e.Sample - r.FirstSample), Code: e.Code})
	}
	var all []Decision
	const chunk = 16
	for pos := 0; pos < len(r.Data[0]); pos += chunk {
		out, err := dec.Push(int64(pos), slice2(r.Data, pos, min(pos+chunk, len(r.Data[0]))), time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out...)
	}
	off, n := dec.TrialWindow()
	rep, err := Evaluate(all, cues, Labels{SFreq: r.SFreq, Offset: off, Length: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *rep)
	if rep.Task < 50 || rep.Idle < 50 || rep.Classes != 2 {
		t.Errorf("window counts %+v", rep)
	}
	if rep.Accuracy < 0.5 || rep.Accuracy > 1 || rep.BalancedAccuracy < 0.5 {
		t.Errorf("task accuracy %v (balanced %v) below chance", rep.Accuracy, rep.BalancedAccuracy)
	}
	// A two-class model without a rest class activates on every idle window.
	if rep.FalseActivations != rep.Idle || math.Abs(rep.FalsePerMin-240) > 1e-9 {
		t.Errorf("false activations %d of %d idle windows, %v/min", rep.FalseActivations, rep.Idle, rep.FalsePerMin)
	}
}

// TestEvaluateReference: a whole evaluation equals the NumPy/sklearn
// reference of testdata/gen/online.py on a synthetic sequence of decisions.
func TestEvaluateReference(t *testing.T) {
	const tol = 1e-12 // relative
	ref := readFixture(t).Evaluate
	ds := make([]Decision, len(ref.Ends))
	for i, e := range ref.Ends {
		ds[i] = Decision{End: e, Length: ref.Length, Predicted: ref.Predicted[i], Smoothed: ref.Predicted[i]}
	}
	rep, err := Evaluate(ds, ref.Cues, Labels{SFreq: ref.SFreq, Offset: ref.Offset, Length: ref.Trial, Rest: ref.Rest})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Windows != len(ds) || rep.Task != ref.Task || rep.Idle != ref.Idle ||
		rep.Classes != ref.Classes || rep.FalseActivations != ref.FalseActivations {
		t.Fatalf("counts %+v, reference %+v", *rep, ref)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"accuracy", rep.Accuracy, ref.Accuracy},
		{"balanced accuracy", rep.BalancedAccuracy, ref.Balanced},
		{"nMCC", rep.NMCC, ref.NMCC},
		{"ITR bits", rep.ITRBits, ref.ITRBits},
		{"ITR bits/min", rep.ITRBitsPerMin, ref.ITRBitsPerMin},
		{"idle minutes", rep.IdleMinutes, ref.IdleMinutes},
		{"false activations/min", rep.FalsePerMin, ref.FalsePerMin},
	} {
		if math.Abs(c.got-c.want) > tol*math.Abs(c.want) {
			t.Errorf("%s: %v, reference %v", c.name, c.got, c.want)
		}
	}
}
