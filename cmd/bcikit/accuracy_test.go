package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
)

// TestAccuracyAgainstPython runs bcikit bench on the folds that the
// MOABB-style Python reference (bench/compare_bench.py: MNE 1.3 paradigm,
// scikit-learn 1.2, pyRiemann 0.6 transcribed in NumPy) used, and compares
// the scores session by session. The issue allows 0.02 per subject and
// 0.01 on the mean; the pipelines are the same computations, so the test
// holds them to 1e-6 (they agree to about 1e-10).
//
// acm+ts+svm is left out: its 256-dimensional Riemannian mean takes minutes
// under the race detector. The fixtures come from bench/testdata/ref/gen.sh.
func TestAccuracyAgainstPython(t *testing.T) {
	dataEnv(t)
	const tol = 1e-6
	for _, tc := range []struct{ dataset, pipelines string }{
		{"eegmmidb-imagery-lr", "csp+lda,ts+lr,ts+svm,mdm,fgmdm,fbcsp+svm"},
		{"ssvep-exo", "fb+mdm,fb+ts+lr,mdm,ts+lr,ts+svm,fgmdm,cca"},
	} {
		t.Run(tc.dataset, func(t *testing.T) {
			ref := filepath.Join(testdata.Root(), "bench", "testdata", "ref", tc.dataset)
			out := filepath.Join(t.TempDir(), "go.csv")
			code, _, e := runCLI(t, "bench", "--dataset", tc.dataset, "--pipelines", tc.pipelines,
				"--splits", ref+".splits.json", "--out", out, "--quiet")
			if code != 0 {
				t.Fatalf("bench: %s", e)
			}
			want := scoresByKey(t, ref+".scores.csv")
			got := scoresByKey(t, out)
			sums := map[string][2]float64{}
			n := map[string]int{}
			for k, g := range got {
				w, ok := want[k]
				if !ok {
					t.Errorf("%v: no reference score", k)
					continue
				}
				if math.Abs(g-w) > tol {
					t.Errorf("%v: bcikit %.6f, Python %.6f", k, g, w)
				}
				s := sums[k[2]]
				sums[k[2]] = [2]float64{s[0] + g, s[1] + w}
				n[k[2]]++
			}
			if len(got) == 0 {
				t.Fatal("no scores")
			}
			for p, s := range sums {
				if d := math.Abs(s[0]-s[1]) / float64(n[p]); d > tol {
					t.Errorf("%s: mean differs by %.3g", p, d)
				}
			}
		})
	}
}

// scoresByKey reads a results CSV into (subject, session, pipeline) → score.
func scoresByKey(t *testing.T, path string) map[[3]string]float64 {
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
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	m := map[[3]string]float64{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[col["score"]], 64)
		if err != nil {
			t.Fatal(err)
		}
		m[[3]string{r[col["subject"]], r[col["session"]], r[col["pipeline"]]}] = v
	}
	return m
}
