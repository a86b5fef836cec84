package cov

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The fixture comes from testdata/gen/cov_ref.py: scikit-learn 1.2 and
// NumPy 1.24 estimators as pyRiemann 0.6 wraps them (SCH is a
// transcription of pyRiemann's _sch, Augment of MOABB's AugmentedDataset).
const fixture = "testdata/cov_ref.json"

// relTol is the tolerance of every covariance comparison, relative to the
// largest absolute entry of the reference matrix.
const relTol = 1e-10

type fixtureCase struct {
	Name          string                     `json:"name"`
	Shape         []int                      `json:"shape"`
	Trials        json.RawMessage            `json:"trials"`
	Covs          map[string]json.RawMessage `json:"covs"`
	LWFShrinkage  []float64                  `json:"lwf_shrinkage"`
	OASShrinkage  []float64                  `json:"oas_shrinkage"`
	Channels      []string                   `json:"channels"`
	trials        [][][]float64
	covs          map[string][][]float64
	encodedFloats bool
}

type fixtureFile struct {
	Cases   []*fixtureCase `json:"cases"`
	Augment []struct {
		Shape     []int         `json:"shape"`
		Order     int           `json:"order"`
		Lag       int           `json:"lag"`
		Trials    [][][]float64 `json:"trials"`
		Augmented [][][]float64 `json:"augmented"`
		Cov       [][]float64   `json:"cov"`
	} `json:"augment"`
	Real        *fixtureCase `json:"real"`
	RealAugment struct {
		Order    int    `json:"order"`
		Lag      int    `json:"lag"`
		Channels int    `json:"channels"`
		NTrials  int    `json:"n_trials"`
		Cov      string `json:"cov"`
		LWF      string `json:"lwf"`
	} `json:"real_augment"`
}

func loadFixture(t testing.TB) *fixtureFile {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var f fixtureFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range append(append([]*fixtureCase(nil), f.Cases...), f.Real) {
		c.decode(t)
	}
	return &f
}

// decodeFloats reads base64 little-endian float64s.
func decodeFloats(t testing.TB, s string) []float64 {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float64, len(b)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return v
}

func (c *fixtureCase) decode(t testing.TB) {
	n, p, nt := c.Shape[0], c.Shape[1], c.Shape[2]
	var s string
	if json.Unmarshal(c.Trials, &s) == nil {
		flat := decodeFloats(t, s)
		c.trials = make([][][]float64, n)
		for i := range c.trials {
			c.trials[i] = make([][]float64, p)
			for j := range c.trials[i] {
				o := (i*p + j) * nt
				c.trials[i][j] = flat[o : o+nt]
			}
		}
		c.encodedFloats = true
	} else if err := json.Unmarshal(c.Trials, &c.trials); err != nil {
		t.Fatal(err)
	}
	c.covs = map[string][][]float64{}
	for name, raw := range c.Covs {
		var m [][]float64
		if c.encodedFloats {
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			flat := decodeFloats(t, s)
			for i := range n {
				m = append(m, flat[i*p*p:(i+1)*p*p])
			}
		} else if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		c.covs[name] = m
	}
}

// compareSym checks got against the row-major want within relTol of want's
// largest absolute entry, and returns the worst relative error.
func compareSym(t *testing.T, what string, got *mat.SymDense, want []float64) float64 {
	t.Helper()
	p := got.SymmetricDim()
	if p*p != len(want) {
		t.Fatalf("%s: got %d×%d, want %d values", what, p, p, len(want))
	}
	var scale float64
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	var worst float64
	for i := range p {
		for j := range p {
			d := math.Abs(got.At(i, j) - want[i*p+j])
			if scale > 0 {
				d /= scale
			}
			worst = math.Max(worst, d)
			if !(d <= relTol) {
				t.Errorf("%s: [%d,%d] = %.17g, want %.17g (rel err %.3g)", what, i, j, got.At(i, j), want[i*p+j], d)
				return worst
			}
		}
	}
	return worst
}

func TestEstimateMatchesReference(t *testing.T) {
	f := loadFixture(t)
	for _, c := range append(f.Cases, f.Real) {
		for name, want := range c.covs {
			est, err := ParseEstimator(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Estimate(c.trials, est)
			if err != nil {
				t.Fatalf("%s %s: %v", c.Name, name, err)
			}
			var worst float64
			for i := range got {
				worst = math.Max(worst, compareSym(t, c.Name+" "+name, got[i], want[i]))
			}
			t.Logf("%-20s %-12s worst rel err %.2g", c.Name, name, worst)
		}
	}
}

func TestShrinkageCoefficients(t *testing.T) {
	f := loadFixture(t)
	w := new(work)
	for _, c := range append(f.Cases, f.Real) {
		for i, tr := range c.trials {
			for _, k := range []struct {
				est  Estimator
				want float64
			}{{LWF, c.LWFShrinkage[i]}, {OAS, c.OASShrinkage[i]}} {
				dst := mat.NewSymDense(len(tr), nil)
				got, err := w.estimate(dst, tr, i, k.est)
				if err != nil {
					t.Fatal(err)
				}
				if d := math.Abs(got - k.want); d > 1e-12*math.Max(1, math.Abs(k.want)) {
					t.Errorf("%s trial %d %v shrinkage = %.17g, want %.17g", c.Name, i, k.est, got, k.want)
				}
			}
		}
	}
}

func TestEstimateTrialReusesDestination(t *testing.T) {
	f := loadFixture(t)
	c := f.Real
	dst := mat.NewSymDense(len(c.trials[0]), nil)
	for i, tr := range c.trials {
		got, err := EstimateTrial(dst, tr, LWF)
		if err != nil {
			t.Fatal(err)
		}
		if got != dst {
			t.Fatal("EstimateTrial did not return dst")
		}
		compareSym(t, "EstimateTrial", got, c.covs["lwf"][i])
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := EstimateTrial(dst, c.trials[0], LWF); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 && !raceEnabled {
		t.Errorf("EstimateTrial allocates %v times per call with a reused destination", allocs)
	}
	var empty mat.SymDense
	if _, err := EstimateTrial(&empty, c.trials[0], SCM); err != nil || empty.SymmetricDim() != len(c.trials[0]) {
		t.Errorf("empty destination not resized: %v", err)
	}
}

func TestAugmentMatchesMOABB(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.Augment {
		got, err := Augment(c.Trials, c.Order, c.Lag)
		if err != nil {
			t.Fatalf("order %d lag %d: %v", c.Order, c.Lag, err)
		}
		if len(got) != len(c.Augmented) {
			t.Fatalf("order %d lag %d: %d trials, want %d", c.Order, c.Lag, len(got), len(c.Augmented))
		}
		for i := range got {
			if len(got[i]) != len(c.Augmented[i]) {
				t.Fatalf("order %d lag %d: %d channels, want %d", c.Order, c.Lag, len(got[i]), len(c.Augmented[i]))
			}
			for j := range got[i] {
				if !equal(got[i][j], c.Augmented[i][j]) {
					t.Fatalf("order %d lag %d trial %d channel %d:\n got %v\nwant %v", c.Order, c.Lag, i, j, got[i][j], c.Augmented[i][j])
				}
			}
		}
		covs, err := Estimate(got, Cov)
		if err != nil {
			t.Fatal(err)
		}
		for i := range covs {
			compareSym(t, "augmented cov", covs[i], c.Cov[i])
		}
	}
	// Real EEG: 8 channels of the first two stored epochs, order 4, lag 3.
	ra := f.RealAugment
	var trials [][][]float64
	for _, tr := range f.Real.trials[:ra.NTrials] {
		trials = append(trials, tr[:ra.Channels])
	}
	aug, err := Augment(trials, ra.Order, ra.Lag)
	if err != nil {
		t.Fatal(err)
	}
	p := ra.Channels * ra.Order
	for _, k := range []struct {
		est  Estimator
		want []float64
	}{{Cov, decodeFloats(t, ra.Cov)}, {LWF, decodeFloats(t, ra.LWF)}} {
		covs, err := Estimate(aug, k.est)
		if err != nil {
			t.Fatal(err)
		}
		for i := range covs {
			compareSym(t, "real augmented "+k.est.String(), covs[i], k.want[i*p*p:(i+1)*p*p])
		}
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAugmentAliasesInput(t *testing.T) {
	tr := [][][]float64{{{0, 1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15}}}
	got, err := Augment(tr, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 1}, {10, 11}, {2, 3}, {12, 13}}
	for j := range want {
		if !equal(got[0][j], want[j]) {
			t.Fatalf("channel %d = %v, want %v", j, got[0][j], want[j])
		}
		if cap(got[0][j]) != len(got[0][j]) {
			t.Errorf("channel %d not capped: cap %d len %d", j, cap(got[0][j]), len(got[0][j]))
		}
	}
	if same, err := Augment(tr, 1, 0); err != nil || &same[0] != &tr[0] {
		t.Errorf("order 1 should return the input: %v", err)
	}
}

func TestErrors(t *testing.T) {
	good := [][][]float64{{{1, 2, 3}, {3, 1, 2}}}
	for _, c := range []struct {
		name   string
		trials [][][]float64
		est    Estimator
		want   error
	}{
		{"no trials", nil, SCM, ErrShape},
		{"no channels", [][][]float64{{}}, SCM, ErrShape},
		{"ragged", [][][]float64{{{1, 2}, {1}}}, SCM, ErrShape},
		{"trial size", [][][]float64{good[0], {{1, 2, 3}}}, SCM, ErrShape},
		{"too short cov", [][][]float64{{{1}, {2}}}, Cov, ErrShape},
		{"too short sch", [][][]float64{{{1}, {2}}}, SCH, ErrShape},
		{"no samples", [][][]float64{{{}, {}}}, LWF, ErrShape},
		{"nan", [][][]float64{{{1, math.NaN(), 3}, {3, 1, 2}}}, OAS, ErrNonFinite},
		{"inf", [][][]float64{good[0], {{1, 2, 3}, {3, math.Inf(-1), 2}}}, LWF, ErrNonFinite},
		{"flat corr", [][][]float64{{{1, 1, 1}, {3, 1, 2}}}, Corr, ErrDegenerate},
		{"flat sch", [][][]float64{{{1, 2, 3}, {2, 2, 2}}}, SCH, ErrDegenerate},
		{"shrinkage", good, Shrunk(1.5), ErrEstimator},
		{"shrinkage nan", good, Shrunk(math.NaN()), ErrEstimator},
	} {
		_, err := Estimate(c.trials, c.est)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := Estimate([][][]float64{good[0], {{1, 2, 3}, {3, math.Inf(-1), 2}}}, LWF); err == nil ||
		!strings.Contains(err.Error(), "trial 1 channel 1 sample 1") {
		t.Errorf("non-finite error does not say where: %v", err)
	}
	for _, c := range []struct {
		order, lag int
		want       error
	}{{0, 1, ErrParam}, {2, 0, ErrParam}, {3, 1, ErrShape}, {2, 2, ErrShape}} {
		if _, err := Augment(good, c.order, c.lag); !errors.Is(err, c.want) {
			t.Errorf("Augment(order %d, lag %d): %v, want %v", c.order, c.lag, err, c.want)
		}
	}
}

func TestEstimatorText(t *testing.T) {
	for _, e := range []Estimator{SCM, Cov, LWF, OAS, SCH, Corr, Shrunk(0.25), Shrunk(0)} {
		b, err := json.Marshal(struct{ E Estimator }{e})
		if err != nil {
			t.Fatal(err)
		}
		var back struct{ E Estimator }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if back.E != e {
			t.Errorf("%s round-trips to %v", b, back.E)
		}
	}
	for _, s := range []string{"", "LWF", "shrunk(2)", "shrunk(x)", "shrunk(0.1"} {
		if _, err := ParseEstimator(s); !errors.Is(err, ErrEstimator) {
			t.Errorf("ParseEstimator(%q): %v", s, err)
		}
	}
}

// TestEstimateDeterministic checks that parallel estimation gives the same
// bits as one trial at a time.
func TestEstimateDeterministic(t *testing.T) {
	f := loadFixture(t)
	trials := f.Real.trials
	for _, est := range []Estimator{SCM, LWF, OAS, SCH} {
		all, err := Estimate(trials, est)
		if err != nil {
			t.Fatal(err)
		}
		for i, tr := range trials {
			one, err := EstimateTrial(nil, tr, est)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(one, all[i]) {
				t.Errorf("%v trial %d differs between Estimate and EstimateTrial", est, i)
			}
		}
	}
}
