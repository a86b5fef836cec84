package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
)

// dataEnv points the dataset layer at the test data directory.
func dataEnv(t *testing.T) {
	t.Helper()
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	t.Setenv("BCIKIT_DATA", filepath.Dir(filepath.Dir(filepath.Dir(p))))
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestBenchEEGMMIDB(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	out, plot := filepath.Join(dir, "r.csv"), filepath.Join(dir, "r.png")
	code, stdout, e := runCLI(t, "bench", "--dataset", "eegmmidb-imagery-lr", "--subjects", "1-3", "--pipelines", "csp+lda,mdm",
		"--out", out, "--plot", plot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	// Subjects 2 and 3 are not in the test data: skipped with a warning.
	if !strings.Contains(e, "skipping 2 subject(s)") || !strings.Contains(e, "folds") {
		t.Errorf("stderr lacks the skip warning or progress: %q", e)
	}
	if !strings.Contains(stdout, "csp+lda") || !strings.Contains(stdout, "ROC AUC") {
		t.Errorf("summary: %q", stdout)
	}
	rows := readCSV(t, out)
	want := []string{"score", "time", "samples", "subject", "session", "channels", "n_sessions", "dataset", "pipeline"}
	if len(rows) != 3 || !slices.Equal(rows[0][:9], want) {
		t.Fatalf("csv: %v", rows)
	}
	for _, r := range rows[1:] {
		sc, err := strconv.ParseFloat(r[0], 64)
		if err != nil || sc < 0.55 || sc > 1 {
			t.Errorf("score %q (subject 1 imagery decodes above chance)", r[0])
		}
		if r[2] != "45" || r[3] != "1" || r[5] != "64" || r[7] != "eegmmidb-imagery-lr" {
			t.Errorf("row %v", r)
		}
	}
	if st, err := os.Stat(plot); err != nil || st.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
}

func TestBenchSSVEPWithSplits(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	// Folds for subject 1's two sessions of 32 trials: train on the
	// first 24, test on the last 8 (any folds are allowed).
	var splits strings.Builder
	splits.WriteString(`{"version": 1, "splits": [`)
	for i, ses := range []string{"2012.07.06-19.02.16", "2012.07.06-19.06.14"} {
		if i > 0 {
			splits.WriteString(",")
		}
		var tr, te []string
		for k := range 32 {
			if k < 24 {
				tr = append(tr, strconv.Itoa(k))
			} else {
				te = append(te, strconv.Itoa(k))
			}
		}
		splits.WriteString(`{"subject": "1", "session": "` + ses + `", "n_samples": 32, "folds": [{"train": [` + strings.Join(tr, ",") + `], "test": [` + strings.Join(te, ",") + `]}]}`)
	}
	splits.WriteString("]}")
	sp := filepath.Join(dir, "splits.json")
	if err := os.WriteFile(sp, []byte(splits.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "s.csv")
	code, stdout, e := runCLI(t, "bench", "--dataset", "ssvep-exo", "--subjects", "1", "--splits", sp, "--out", out, "--quiet")
	if code != 0 {
		// The session names are the dataset's; if they change, say so.
		t.Fatalf("exit %d: %s", code, e)
	}
	if e != "" {
		t.Errorf("--quiet still wrote %q", e)
	}
	rows := readCSV(t, out)
	if len(rows) != 1+2*3 { // 2 sessions × fb+mdm, fb+ts+lr, cca
		t.Fatalf("%d rows: %v\n%s", len(rows), rows, stdout)
	}
	if !strings.Contains(stdout, "accuracy") {
		t.Errorf("summary: %s", stdout)
	}
	// Filter-bank pipelines alone skip the broadband trials; the scores
	// must not change.
	fbOnly := filepath.Join(dir, "fb.csv")
	if code, _, e := runCLI(t, "bench", "--dataset", "ssvep-exo", "--subjects", "1", "--splits", sp, "--out", fbOnly, "--quiet", "--pipelines", "fb+mdm"); code != 0 {
		t.Fatalf("fb+mdm alone: %s", e)
	}
	all, alone := scoresByKey(t, out), scoresByKey(t, fbOnly)
	if len(alone) != 2 {
		t.Fatalf("fb+mdm alone: %d rows", len(alone))
	}
	for k, v := range alone {
		if all[k] != v {
			t.Errorf("%v: %v alone, %v with cca", k, v, all[k])
		}
	}
}

func TestTrainPredict(t *testing.T) {
	dataEnv(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	if code, _, e := runCLI(t, "train", "--dataset", "eegmmidb-imagery-lr", "--subjects", "1", "--pipeline", "csp+lda", "--out", model); code != 0 {
		t.Fatalf("train: %s", e)
	}
	code, js, e := runCLI(t, "predict", "--model", model, "--json", "eegmmidb/S001/S001R08.edf")
	if code != 0 {
		t.Fatalf("predict: %s", e)
	}
	var res struct {
		Pipeline    string
		Predictions []struct {
			Trial     int
			Onset     float64 `json:"onset_s"`
			Predicted int
			True      *int
		}
	}
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	if res.Pipeline != "csp+lda" || len(res.Predictions) != 15 {
		t.Fatalf("%+v", res)
	}
	for _, p := range res.Predictions {
		if p.True == nil || (p.Predicted != 2 && p.Predicted != 3) || p.Onset <= 0 {
			t.Errorf("prediction %+v", p)
		}
	}
	// A model refuses another rate (SSVEP-Exo is at 256 Hz).
	ssvep := testdata.Path(t, "ssvep-exo/subject01/record-[2012.07.06-19.02.16]_raw.fif")
	code, _, e = runCLI(t, "predict", "--model", model, ssvep)
	if code != 1 || !strings.Contains(e, "160 Hz") {
		t.Errorf("other rate: %d %q", code, e)
	}
	// ... and input without the model's channels.
	bad := filepath.Join(dir, "bad.json")
	b, _ := os.ReadFile(model)
	if err := os.WriteFile(bad, []byte(strings.Replace(string(b), `"C3"`, `"C3x"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e = runCLI(t, "predict", "--model", bad, "eegmmidb/S001/S001R08.edf")
	if code != 1 || !strings.Contains(e, "C3x") {
		t.Errorf("missing channel: %d %q", code, e)
	}
	// A damaged model file.
	if err := os.WriteFile(bad, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e = runCLI(t, "predict", "--model", bad, "eegmmidb/S001/S001R08.edf"); code != 1 || strings.Count(strings.TrimSpace(e), "\n") != 0 {
		t.Errorf("damaged model: %d %q", code, e)
	}
}

func TestBenchBadInput(t *testing.T) {
	dataEnv(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bench", "--dataset", "nope"}, 2, "eegmmidb-imagery-lr"},
		{[]string{"bench", "--pipelines", "csp+lda,nope"}, 2, "ts+lr"},
		{[]string{"bench", "--pipelines", "cca"}, 2, "SSVEP"},
		{[]string{"bench", "--subjects", "0"}, 2, "no subject 0"},
		{[]string{"bench", "--subjects", "5-2"}, 2, "backwards"},
		{[]string{"bench", "--subjects", "2-3"}, 1, "none of the subjects"},
		{[]string{"bench", "--eval", "loo"}, 2, "within-session"},
		{[]string{"bench", "--plot", "x.gif"}, 2, ".png"},
		{[]string{"bench", "--eval", "cross-session"}, 1, "two sessions"},
		{[]string{"bench", "--eval", "cross-subject"}, 1, "two subjects"},
		{[]string{"bench", "--folds", "50", "--quiet"}, 1, "n_splits = 50"},
		{[]string{"train", "--pipeline", "mdm"}, 2, "--out"},
		{[]string{"predict", "--model", "/nonexistent.json", "x.edf"}, 1, "nonexistent"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(e, tc.want) || strings.Count(strings.TrimSpace(e), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, e, tc.code, tc.want)
		}
	}
}

func TestParseRanges(t *testing.T) {
	got, err := parseRanges("5, 1-3,2,9-9")
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 5, 9}) {
		t.Errorf("%v %v", got, err)
	}
	for _, bad := range []string{"", "a", "1-", "3-1", "1-x"} {
		if _, err := parseRanges(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
