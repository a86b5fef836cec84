package lda

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Fixture written by testdata/gen/lda_ref.py (scikit-learn 1.2.1).
type refData struct {
	X     [][]float64 `json:"x"`
	Y     []int       `json:"y"`
	XTest [][]float64 `json:"xtest"`
}

type refCase struct {
	Name        string          `json:"name"`
	Data        string          `json:"data"`
	Rows        []int           `json:"rows"`
	Shrinkage   json.RawMessage `json:"shrinkage"`
	Classes     []int           `json:"classes"`
	Priors      []float64       `json:"priors"`
	Means       [][]float64     `json:"means"`
	LWShrinkage []float64       `json:"lw_shrinkage"`
	Coef        [][]float64     `json:"coef"`
	Intercept   []float64       `json:"intercept"`
	Decision    json.RawMessage `json:"decision"`
	Proba       [][]float64     `json:"proba"`
	Predict     []int           `json:"predict"`
}

type refFile struct {
	Data  map[string]refData `json:"data"`
	Cases []refCase          `json:"cases"`
}

func loadRef(t *testing.T) refFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "lda_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f refFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func dense(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// inputs returns the training data, labels and test data of a case.
func (c refCase) inputs(f refFile) (x *mat.Dense, y []int, xt *mat.Dense) {
	d := f.Data[c.Data]
	rows, labels := d.X, d.Y
	if c.Rows != nil {
		rows, labels = nil, nil
		for _, i := range c.Rows {
			rows = append(rows, d.X[i])
			labels = append(labels, d.Y[i])
		}
	}
	x = dense(rows)
	xt = x
	if d.XTest != nil {
		xt = dense(d.XTest)
	}
	return x, labels, xt
}

func (c refCase) shrinkage(t *testing.T) Shrinkage {
	var v any
	if err := json.Unmarshal(c.Shrinkage, &v); err != nil {
		t.Fatal(err)
	}
	switch v := v.(type) {
	case nil:
		return Shrinkage{}
	case string:
		return Auto
	case float64:
		return Fixed(v)
	}
	t.Fatalf("shrinkage %s", c.Shrinkage)
	return Shrinkage{}
}

// relTol is the tolerance of the comparison with sklearn: relative to the
// largest magnitude of the compared array (LAPACK's lstsq and gonum's
// Cholesky/Woodbury solves round differently).
const relTol = 1e-10

func closeAll(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > relTol*math.Max(scale, 1e-300) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (scale %g)", what, i, got[i], want[i], scale)
		}
	}
}

func flat(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func decisionWant(t *testing.T, raw json.RawMessage) []float64 {
	var one []float64
	if err := json.Unmarshal(raw, &one); err == nil {
		return one
	}
	var two [][]float64
	if err := json.Unmarshal(raw, &two); err != nil {
		t.Fatal(err)
	}
	return flat(two)
}

func TestSklearn(t *testing.T) {
	f := loadRef(t)
	for _, force := range []bool{false, true} {
		for _, c := range f.Cases {
			name := c.Name
			if force {
				name += "/dense"
			}
			t.Run(name, func(t *testing.T) {
				if force {
					useWoodbury = false
					defer func() { useWoodbury = true }()
				}
				x, y, xt := c.inputs(f)
				m := New(c.shrinkage(t))
				if err := m.Fit(x, y); err != nil {
					t.Fatal(err)
				}
				if len(m.Classes) != len(c.Classes) {
					t.Fatalf("classes %v, want %v", m.Classes, c.Classes)
				}
				closeAll(t, "priors", m.Priors, c.Priors)
				closeAll(t, "means", flat(m.Means), flat(c.Means))
				if len(c.LWShrinkage) > 0 {
					closeAll(t, "lw shrinkage", m.ClassShrinkage, c.LWShrinkage)
				}
				closeAll(t, "coef", flat(m.Coef), flat(c.Coef))
				closeAll(t, "intercept", m.Intercept, c.Intercept)
				d, err := m.Decision(xt)
				if err != nil {
					t.Fatal(err)
				}
				closeAll(t, "decision", d.RawMatrix().Data, decisionWant(t, c.Decision))
				p, err := m.PredictProba(xt)
				if err != nil {
					t.Fatal(err)
				}
				closeAll(t, "proba", p.RawMatrix().Data, flat(c.Proba))
				pred, err := m.Predict(xt)
				if err != nil {
					t.Fatal(err)
				}
				for i := range pred {
					if pred[i] != c.Predict[i] {
						t.Fatalf("predict[%d] = %d, want %d", i, pred[i], c.Predict[i])
					}
				}
			})
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	f := loadRef(t)
	for _, c := range f.Cases {
		x, y, xt := c.inputs(f)
		m := New(c.shrinkage(t))
		if err := m.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back LDA
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		want, _ := m.PredictProba(xt)
		got, err := back.PredictProba(xt)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, want) {
			t.Fatalf("%s: probabilities differ after JSON round trip", c.Name)
		}
	}
}

func TestErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 2, 3, 4, 5, 6, 7, 9})
	for _, tc := range []struct {
		name string
		m    *LDA
		x    *mat.Dense
		y    []int
		want error
	}{
		{"one class", New(Auto), x, []int{1, 1, 1, 1}, ErrClasses},
		{"labels", New(Auto), x, []int{1, 2, 1}, ErrShape},
		{"samples", New(Auto), mat.NewDense(2, 2, []float64{1, 2, 3, 4}), []int{0, 1}, ErrSamples},
		{"nan", New(Auto), mat.NewDense(3, 1, []float64{1, math.NaN(), 2}), []int{0, 1, 1}, ErrNotFinite},
		{"shrinkage", New(Fixed(1.5)), x, []int{0, 0, 1, 1}, ErrShrinkage},
		{"empty", New(Auto), &mat.Dense{}, nil, ErrShape},
	} {
		if err := tc.m.Fit(tc.x, tc.y); !errors.Is(err, tc.want) {
			t.Errorf("%s: Fit error %v, want %v", tc.name, err, tc.want)
		}
	}
	m := New(Auto)
	if _, err := m.Predict(x); !errors.Is(err, ErrNotFitted) {
		t.Errorf("unfitted Predict: %v", err)
	}
	if err := m.Fit(x, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict(mat.NewDense(1, 3, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("wrong width: %v", err)
	}
	m3 := New(Auto)
	if err := m3.Fit(mat.NewDense(6, 1, []float64{0, 1, 5, 6, 9, 11}), []int{0, 0, 1, 1, 2, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := m3.DecisionFunction(mat.NewDense(1, 1, nil)); !errors.Is(err, ErrNotBinary) {
		t.Errorf("DecisionFunction on 3 classes: %v", err)
	}
}
