package eval

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/bcikit/bcikit/eval/internal/nprand"
)

// Fixture written by testdata/gen/eval_ref.py (NumPy 1.24, scikit-learn
// 1.2.1, SciPy 1.10.1, MOABB's meta-analysis transcribed).

// jfloat reads a JSON number or the strings "NaN", "Infinity", "-Infinity".
type jfloat float64

func (f *jfloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := strconv.ParseFloat(s, 64)
		*f = jfloat(v)
		return err
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = jfloat(v)
	return err
}

func floats(m [][]jfloat) [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		for _, v := range r {
			out[i] = append(out[i], float64(v))
		}
	}
	return out
}

type refFile struct {
	RandomState []struct {
		Seed         uint32           `json:"seed"`
		Uint32       []uint32         `json:"uint32"`
		RandomSample []float64        `json:"random_sample"`
		Permutations map[string][]int `json:"permutations"`
		Randint2     []uint64         `json:"randint2"`
		RandintBig   []string         `json:"randint_big"`
		Choice       []int            `json:"choice"`
	} `json:"randomstate"`
	StratifiedKFold []struct {
		Name    string  `json:"name"`
		Y       []int   `json:"y"`
		NSplits int     `json:"n_splits"`
		Seed    *uint32 `json:"seed"`
		Test    [][]int `json:"test"`
	} `json:"stratified_kfold"`
	Metrics []struct {
		YTrue            []int     `json:"y_true"`
		YPred            []int     `json:"y_pred"`
		Accuracy         float64   `json:"accuracy"`
		BalancedAccuracy float64   `json:"balanced_accuracy"`
		Kappa            float64   `json:"kappa"`
		Score            []float64 `json:"score"`
		ROCAUC           float64   `json:"roc_auc"`
	} `json:"metrics"`
	Wilcoxon []struct {
		Name      string    `json:"name"`
		X         []float64 `json:"x"`
		Y         []float64 `json:"y"`
		Statistic float64   `json:"statistic"`
		P         float64   `json:"p"`
	} `json:"wilcoxon"`
	Meta struct {
		PermExact   metaCase `json:"perm_exact"`
		PermExact13 metaCase `json:"perm_exact13"`
		PermRandom  metaCase `json:"perm_random"`
		Wilcoxon    metaCase `json:"wilcoxon"`
		Effect      metaCase `json:"effect"`
		EffectConst metaCase `json:"effect_const"`
		DatasetStat struct {
			Rows  []Score `json:"rows"`
			Seed  uint32  `json:"seed"`
			Stats []struct {
				Dataset   string      `json:"dataset"`
				Pipelines []string    `json:"pipelines"`
				Subjects  []int       `json:"subjects"`
				Scores    [][]float64 `json:"scores"`
				Mean      []float64   `json:"mean"`
				Test      string      `json:"test"`
				P         [][]jfloat  `json:"p"`
				SMD       [][]jfloat  `json:"smd"`
				NSub      int         `json:"nsub"`
			} `json:"stats"`
			Combined struct {
				Pipelines []string   `json:"pipelines"`
				P         [][]jfloat `json:"p"`
				SMD       [][]jfloat `json:"smd"`
			} `json:"combined"`
		} `json:"dataset_statistics"`
		Stouffer []struct {
			P        []float64 `json:"p"`
			W        []float64 `json:"w"`
			Combined float64   `json:"combined"`
		} `json:"stouffer"`
	} `json:"meta"`
}

type metaCase struct {
	Scores [][]float64 `json:"scores"`
	Seed   uint32      `json:"seed"`
	P      [][]jfloat  `json:"p"`
	SMD    [][]jfloat  `json:"smd"`
}

func loadRef(t testing.TB) *refFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "eval_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f refFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// close reports whether got is within rel of want (relative), NaN and
// infinities matching exactly.
func close(got, want, rel float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return math.IsNaN(got) == math.IsNaN(want) && (math.IsNaN(got) || got == want)
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func matClose(t *testing.T, what string, got, want [][]float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if !close(got[i][j], want[i][j], rel) {
				t.Fatalf("%s[%d][%d] = %.17g, want %.17g", what, i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestRandomState(t *testing.T) {
	for _, c := range loadRef(t).RandomState {
		rs := nprand.New(c.Seed)
		for i, want := range c.Uint32 {
			if got := rs.Uint32(); got != want {
				t.Fatalf("seed %d: uint32[%d] = %d, want %d", c.Seed, i, got, want)
			}
		}
		for i, want := range c.RandomSample {
			if got := rs.Float64(); got != want {
				t.Fatalf("seed %d: random_sample[%d] = %v, want %v", c.Seed, i, got, want)
			}
		}
		for _, n := range []int{1, 2, 10, 100, 1000} {
			if got, want := rs.Permutation(n), c.Permutations[strconv.Itoa(n)]; !slices.Equal(got, want) {
				t.Fatalf("seed %d: permutation(%d) = %v, want %v", c.Seed, n, got, want)
			}
		}
		for i, want := range c.Randint2 {
			if got := rs.Bounded(1); got != want {
				t.Fatalf("seed %d: randint(0, 2)[%d] = %d, want %d", c.Seed, i, got, want)
			}
		}
		for i, s := range c.RandintBig {
			want, _ := strconv.ParseUint(s, 10, 64)
			if got := rs.Bounded(1<<40 - 1); got != want {
				t.Fatalf("seed %d: randint(0, 2**40)[%d] = %d, want %d", c.Seed, i, got, want)
			}
		}
		rc := nprand.New(c.Seed)
		for i, want := range c.Choice {
			if got := 1 - 2*int(rc.Bounded(1)); got != want {
				t.Fatalf("seed %d: choice[%d] = %d, want %d", c.Seed, i, got, want)
			}
		}
	}
}

func TestStratifiedKFold(t *testing.T) {
	for _, c := range loadRef(t).StratifiedKFold {
		var folds []Fold
		var err error
		if c.Seed == nil {
			folds, err = StratifiedKFoldNoShuffle(c.Y, c.NSplits)
		} else {
			folds, err = StratifiedKFold(c.Y, c.NSplits, *c.Seed)
		}
		if c.Test == nil {
			if !errors.Is(err, ErrSplit) {
				t.Errorf("%s k=%d: err %v, want ErrSplit", c.Name, c.NSplits, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s k=%d seed=%v: %v", c.Name, c.NSplits, c.Seed, err)
		}
		for f, want := range c.Test {
			if !slices.Equal(folds[f].Test, want) {
				t.Fatalf("%s k=%d seed=%v fold %d: test %v, want %v", c.Name, c.NSplits, c.Seed, f, folds[f].Test, want)
			}
			if len(folds[f].Train)+len(want) != len(c.Y) {
				t.Fatalf("%s fold %d: train has %d samples", c.Name, f, len(folds[f].Train))
			}
			for _, i := range folds[f].Train {
				if slices.Contains(want, i) {
					t.Fatalf("%s fold %d: %d in train and test", c.Name, f, i)
				}
			}
		}
	}
}

func TestLeaveOneGroupOut(t *testing.T) {
	folds, err := LeaveOneGroupOut([]string{"s2", "s1", "s2", "s3", "s1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Fold{
		{Train: []int{0, 2, 3}, Test: []int{1, 4}},
		{Train: []int{1, 3, 4}, Test: []int{0, 2}},
		{Train: []int{0, 1, 2, 4}, Test: []int{3}},
	}
	for i := range want {
		if !slices.Equal(folds[i].Train, want[i].Train) || !slices.Equal(folds[i].Test, want[i].Test) {
			t.Fatalf("fold %d = %v, want %v", i, folds[i], want[i])
		}
	}
	if _, err := LeaveOneGroupOut([]int{4, 4}); !errors.Is(err, ErrSplit) {
		t.Fatalf("one group: %v", err)
	}
}

// metricTol: sklearn computes the same ratios by other float paths.
const metricTol = 1e-12

func TestMetrics(t *testing.T) {
	for i, c := range loadRef(t).Metrics {
		acc, err := Accuracy(c.YTrue, c.YPred)
		if err != nil || !close(acc, c.Accuracy, metricTol) {
			t.Errorf("case %d: accuracy %v (%v), want %v", i, acc, err, c.Accuracy)
		}
		bal, err := BalancedAccuracy(c.YTrue, c.YPred)
		if err != nil || !close(bal, c.BalancedAccuracy, metricTol) {
			t.Errorf("case %d: balanced accuracy %v (%v), want %v", i, bal, err, c.BalancedAccuracy)
		}
		k, err := CohenKappa(c.YTrue, c.YPred)
		if err != nil || !close(k, c.Kappa, metricTol) {
			t.Errorf("case %d: kappa %.17g (%v), want %.17g", i, k, err, c.Kappa)
		}
		if c.Score != nil {
			auc, err := ROCAUC(c.YTrue, c.Score)
			if err != nil || !close(auc, c.ROCAUC, metricTol) {
				t.Errorf("case %d: roc auc %.17g (%v), want %.17g", i, auc, err, c.ROCAUC)
			}
		}
	}
	if _, err := ROCAUC([]int{1, 1, 1}, []float64{0.1, 0.2, 0.3}); !errors.Is(err, ErrMetric) {
		t.Errorf("roc auc of one class: %v", err)
	}
	if _, err := Accuracy([]int{1}, []int{1, 2}); !errors.Is(err, ErrMetric) {
		t.Errorf("accuracy of mismatched lengths: %v", err)
	}
	if k, _ := CohenKappa([]int{3, 3}, []int{3, 3}); !math.IsNaN(k) {
		t.Errorf("kappa of a single label = %v, want NaN as sklearn", k)
	}
}

func TestITR(t *testing.T) {
	for _, c := range []struct {
		n            int
		p, trial     float64
		bits, perMin float64
	}{
		{2, 1, 4, 1, 15},
		{4, 1, 2, 2, 60},
		{2, 0.5, 4, 0, 0},
		{2, 0.3, 4, 0, 0}, // below chance
		// 4 classes at 0.85: 2 + 0.85·log2(0.85) + 0.15·log2(0.05).
		{4, 0.85, 3, 2 + 0.85*math.Log2(0.85) + 0.15*math.Log2(0.05), 20 * (2 + 0.85*math.Log2(0.85) + 0.15*math.Log2(0.05))},
	} {
		b, m, err := ITR(c.n, c.p, c.trial)
		if err != nil || math.Abs(b-c.bits) > 1e-15 || math.Abs(m-c.perMin) > 1e-13 {
			t.Errorf("ITR(%d, %v, %v) = %v, %v, %v; want %v, %v", c.n, c.p, c.trial, b, m, err, c.bits, c.perMin)
		}
	}
	if _, _, err := ITR(1, 0.5, 1); !errors.Is(err, ErrMetric) {
		t.Errorf("ITR with one class: %v", err)
	}
}

// statTol is the tolerance of p-values against SciPy/MOABB.
const statTol = 1e-9

func TestWilcoxon(t *testing.T) {
	for _, c := range loadRef(t).Wilcoxon {
		r, err := Wilcoxon(c.X, c.Y)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if r.Statistic != c.Statistic || !close(r.P, c.P, statTol) {
			t.Errorf("%s: statistic %v p %.17g, want %v %.17g", c.Name, r.Statistic, r.P, c.Statistic, c.P)
		}
	}
	if _, err := Wilcoxon([]float64{1, 2}, []float64{1, 2}); !errors.Is(err, ErrStat) {
		t.Errorf("all-zero differences: %v", err)
	}
}

func TestPermutation(t *testing.T) {
	m := loadRef(t).Meta
	for name, c := range map[string]metaCase{"exact": m.PermExact, "exact13": m.PermExact13, "random": m.PermRandom} {
		p, err := PermutationPValues(c.Scores, c.Seed)
		if err != nil {
			t.Fatal(err)
		}
		// The counts are integers: the p-values must be equal.
		matClose(t, name, p, floats(c.P), 0)
	}
	w, err := WilcoxonPValues(m.Wilcoxon.Scores)
	if err != nil {
		t.Fatal(err)
	}
	matClose(t, "wilcoxon", w, floats(m.Wilcoxon.P), statTol)
	for name, c := range map[string]metaCase{"effect": m.Effect, "const": m.EffectConst} {
		e, err := SMD(c.Scores)
		if err != nil {
			t.Fatal(err)
		}
		matClose(t, name, e, floats(c.SMD), 1e-12)
	}
	for _, c := range m.Stouffer {
		p, err := Stouffer(c.P, c.W)
		if err != nil || !close(p, c.Combined, statTol) {
			t.Errorf("stouffer(%v, %v) = %.17g (%v), want %.17g", c.P, c.W, p, err, c.Combined)
		}
	}
}

func TestDatasetStatistics(t *testing.T) {
	ds := loadRef(t).Meta.DatasetStat
	got, err := DatasetStatistics(ds.Rows, DefaultPermCutoff, ds.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ds.Stats) {
		t.Fatalf("%d datasets, want %d", len(got), len(ds.Stats))
	}
	for i, want := range ds.Stats {
		g := got[i]
		if g.Dataset != want.Dataset || g.Test != want.Test || g.NSub != want.NSub ||
			!slices.Equal(g.Pipelines, want.Pipelines) || !slices.Equal(g.Subjects, want.Subjects) {
			t.Fatalf("dataset %d: %s %s %d %v, want %s %s %d %v", i, g.Dataset, g.Test, g.NSub, g.Pipelines,
				want.Dataset, want.Test, want.NSub, want.Pipelines)
		}
		matClose(t, want.Dataset+" scores", g.Scores, want.Scores, 1e-15)
		matClose(t, want.Dataset+" mean", [][]float64{g.Mean}, [][]float64{want.Mean}, 1e-15)
		matClose(t, want.Dataset+" p", g.P, floats(want.P), statTol)
		matClose(t, want.Dataset+" smd", g.SMD, floats(want.SMD), 1e-12)
	}
	c, err := FindSignificantDifferences(got)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Pipelines, ds.Combined.Pipelines) {
		t.Fatalf("combined pipelines %v, want %v", c.Pipelines, ds.Combined.Pipelines)
	}
	matClose(t, "combined p", c.P, floats(ds.Combined.P), statTol)
	matClose(t, "combined smd", c.SMD, floats(ds.Combined.SMD), 1e-12)

	r0 := ds.Rows[0]
	missing := slices.DeleteFunc(slices.Clone(ds.Rows), func(r Score) bool {
		return r.Dataset == r0.Dataset && r.Subject == r0.Subject && r.Pipeline == r0.Pipeline
	})
	if _, err := DatasetStatistics(missing, DefaultPermCutoff, 0); !errors.Is(err, ErrStat) {
		t.Errorf("a missing score: %v", err)
	}
}
