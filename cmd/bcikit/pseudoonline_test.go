package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
)

// TestPseudoOnline trains csp+lda on EEGMMIDB subject 1 and evaluates run 4
// pseudo-online: sane window counts and scores, and the usage errors.
func TestPseudoOnline(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--dataset", "eegmmidb-imagery-lr", "--subjects", "1", "--pipeline", "csp+lda", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	code, js, e := runCLI(t, "pseudo-online", "--model", model, "--step", "1", "--smooth", "3", "--json", "eegmmidb/S001/S001R04.edf")
	if code != 0 {
		t.Fatalf("pseudo-online: %s", e)
	}
	var res pseudoOnlineResult
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	t.Logf("%+v", res)
	// Run 4 lasts 125 s at 160 Hz: windows of 481 samples every 160.
	if res.Window != 481.0/160 || res.Step != 1 || res.Windows != (20000-481)/160+1 {
		t.Errorf("window %g s, step %g s, %d windows", res.Window, res.Step, res.Windows)
	}
	if res.Task+res.Idle != res.Windows || res.Task < 30 || res.Idle < 15 {
		t.Errorf("window kinds: %+v", res.Report)
	}
	// The model was trained on this run among others: well above chance.
	if res.Accuracy < 0.7 || res.BalancedAccuracy < 0.7 || res.NMCC <= 0.5 || res.ITRBitsPerMin <= 0 {
		t.Errorf("scores: %+v", res.Report)
	}
	if res.FalseActivations != res.Idle || math.Abs(res.FalsePerMin-60) > 1e-9 {
		t.Errorf("a model without a rest class activates on every idle window: %+v", res.Report)
	}
	// The 15 cues of run 4 (one too close to the end for its window).
	if res.CueWindows < 14 || res.CueWindows > 15 || res.CueAccuracy < 0.7 {
		t.Errorf("cue windows %d, accuracy %v", res.CueWindows, res.CueAccuracy)
	}
	if res.LatencyMedian <= 0 || res.LatencyP99 < res.LatencyMedian || res.LatencyMax < res.LatencyP99 {
		t.Errorf("latencies %v %v %v", res.LatencyMedian, res.LatencyP99, res.LatencyMax)
	}

	code, out, e := runCLI(t, "pseudo-online", "--model", model, "--window", "1", "--step", "2", "eegmmidb/S001/S001R04.edf")
	if code != 0 || !strings.Contains(out, "accuracy") || !strings.Contains(out, "false activations") || !strings.Contains(out, "cue windows") {
		t.Errorf("text output (code %d): %s %s", code, out, e)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"pseudo-online", "eegmmidb/S001/S001R04.edf"}, "--model"},
		{[]string{"pseudo-online", "--model", model, "--step", "0", "eegmmidb/S001/S001R04.edf"}, "--step"},
		{[]string{"pseudo-online", "--model", model, "--rest", "7", "eegmmidb/S001/S001R04.edf"}, "not a class"},
		{[]string{"pseudo-online", "--model", model, "--window", "200", "eegmmidb/S001/S001R04.edf"}, "shorter than one window"},
		{[]string{"pseudo-online", "--model", filepath.Join(dir, "none.json"), "eegmmidb/S001/S001R04.edf"}, "none.json"},
	} {
		code, _, e := runCLI(t, c.args...)
		if code == 0 || !strings.Contains(e, c.want) || strings.Count(strings.TrimSpace(e), "\n") > 1 {
			t.Errorf("%v: code %d, %q", c.args, code, e)
		}
	}
}

// TestPseudoOnlineRest: an SSVEP-Exo model has a rest class, which
// pseudo-online takes as "no activation" by default: idle windows predicted
// as rest are no false activations.
func TestPseudoOnlineRest(t *testing.T) {
	dataEnv(t)
	testdata.Path(t, "ssvep-exo/subject01")
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--dataset", "ssvep-exo", "--subjects", "1", "--pipeline", "fb+mdm", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	code, js, e := runCLI(t, "pseudo-online", "--model", model, "--step", "1", "--json", "ssvep-exo/subject01/record-[2012.07.06-19.06.14]_raw.fif")
	if code != 0 {
		t.Fatalf("pseudo-online: %s", e)
	}
	var res pseudoOnlineResult
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	t.Logf("%+v", res)
	if len(res.Rest) != 1 || res.Rest[0] != 1 || res.Classes != 4 || res.CueWindows != 32 {
		t.Errorf("rest classes %v, %d classes, %d cue windows", res.Rest, res.Classes, res.CueWindows)
	}
	if res.FalseActivations <= 0 || res.FalseActivations >= res.Idle || res.Accuracy < 0.5 {
		t.Errorf("%+v", res.Report)
	}
	// --rest 1 names the same class explicitly: the same report.
	code, js2, e := runCLI(t, "pseudo-online", "--model", model, "--step", "1", "--rest", "1", "--json", "ssvep-exo/subject01/record-[2012.07.06-19.06.14]_raw.fif")
	if code != 0 {
		t.Fatalf("pseudo-online --rest 1: %s", e)
	}
	var res2 pseudoOnlineResult
	if err := json.Unmarshal([]byte(js2), &res2); err != nil {
		t.Fatal(err)
	}
	if res2.Report != res.Report {
		t.Errorf("--rest 1 changed the report: %+v vs %+v", res2.Report, res.Report)
	}
}
