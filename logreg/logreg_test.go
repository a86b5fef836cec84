package logreg

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Fixture written by testdata/gen/logreg_ref.py (scikit-learn 1.2.1).
type refData struct {
	X     [][]float64 `json:"x"`
	Y     []int       `json:"y"`
	XTest [][]float64 `json:"xtest"`
}

type refCase struct {
	Name    string  `json:"name"`
	Data    string  `json:"data"`
	Rows    []int   `json:"rows"`
	C       float64 `json:"C"`
	Classes []int   `json:"classes"`
	// sklearn's own output (tol=1e-10, stopped by L-BFGS-B's ftol).
	Coef      [][]float64     `json:"coef"`
	Intercept []float64       `json:"intercept"`
	Decision  json.RawMessage `json:"decision"`
	Proba     [][]float64     `json:"proba"`
	Predict   []int           `json:"predict"`
	// The optimum: sklearn's solution refined by Newton steps.
	OptCoef      [][]float64     `json:"opt_coef"`
	OptIntercept []float64       `json:"opt_intercept"`
	OptDecision  json.RawMessage `json:"opt_decision"`
	OptProba     [][]float64     `json:"opt_proba"`
	OptPredict   []int           `json:"opt_predict"`
}

type refFile struct {
	Data  map[string]refData `json:"data"`
	Cases []refCase          `json:"cases"`
}

func loadRef(t testing.TB) refFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "logreg_ref.json"))
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

// closeAll compares relative to the largest magnitude of want.
func closeAll(t *testing.T, what string, tol float64, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*math.Max(scale, 1e-300) {
			t.Fatalf("%s[%d] = %.17g, want %.17g (scale %g, tol %g)", what, i, got[i], want[i], scale, tol)
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

const (
	// optTol: against the Newton-refined optimum (Fit converges to rounding;
	// what is left is the conditioning of the problem).
	optTol = 1e-9
	// sklearnTol: against sklearn's lbfgs output, which stops up to 3e-4
	// relative from the optimum on these cases (the intercepts; 7e-5 for
	// the weights; see logreg_ref.py).
	sklearnTol = 5e-4
)

func TestSklearn(t *testing.T) {
	f := loadRef(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x, y, xt := c.inputs(f)
			m := &LogReg{C: c.C}
			if err := m.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			if !m.Converged {
				t.Fatalf("not converged after %d iterations", m.NIter)
			}
			t.Logf("%d Newton iterations", m.NIter)
			closeAll(t, "coef/opt", optTol, flat(m.Coef), flat(c.OptCoef))
			closeAll(t, "intercept/opt", optTol, m.Intercept, c.OptIntercept)
			closeAll(t, "coef/sklearn", sklearnTol, flat(m.Coef), flat(c.Coef))
			closeAll(t, "intercept/sklearn", sklearnTol, m.Intercept, c.Intercept)
			d, err := m.Decision(xt)
			if err != nil {
				t.Fatal(err)
			}
			closeAll(t, "decision/opt", optTol, d.RawMatrix().Data, decisionWant(t, c.OptDecision))
			closeAll(t, "decision/sklearn", sklearnTol, d.RawMatrix().Data, decisionWant(t, c.Decision))
			p, err := m.PredictProba(xt)
			if err != nil {
				t.Fatal(err)
			}
			closeAll(t, "proba/opt", optTol, p.RawMatrix().Data, flat(c.OptProba))
			closeAll(t, "proba/sklearn", sklearnTol, p.RawMatrix().Data, flat(c.Proba))
			pred, err := m.Predict(xt)
			if err != nil {
				t.Fatal(err)
			}
			for i := range pred {
				if pred[i] != c.OptPredict[i] || pred[i] != c.Predict[i] {
					t.Fatalf("predict[%d] = %d, want %d (sklearn %d)", i, pred[i], c.OptPredict[i], c.Predict[i])
				}
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	f := loadRef(t)
	for _, c := range f.Cases {
		x, y, xt := c.inputs(f)
		m := &LogReg{C: c.C}
		if err := m.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back LogReg
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
		m    *LogReg
		x    *mat.Dense
		y    []int
		want error
	}{
		{"one class", New(), x, []int{1, 1, 1, 1}, ErrClasses},
		{"labels", New(), x, []int{1, 2, 1}, ErrShape},
		{"inf", New(), mat.NewDense(3, 1, []float64{1, math.Inf(1), 2}), []int{0, 1, 1}, ErrNotFinite},
		{"C", &LogReg{}, x, []int{0, 0, 1, 1}, ErrParam},
		{"max iter", &LogReg{C: 1, MaxIter: -1}, x, []int{0, 0, 1, 1}, ErrParam},
		{"empty", New(), &mat.Dense{}, nil, ErrShape},
	} {
		if err := tc.m.Fit(tc.x, tc.y); !errors.Is(err, tc.want) {
			t.Errorf("%s: Fit error %v, want %v", tc.name, err, tc.want)
		}
	}
	m := New()
	if _, err := m.Predict(x); !errors.Is(err, ErrNotFitted) {
		t.Errorf("unfitted Predict: %v", err)
	}
	if err := m.Fit(x, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict(mat.NewDense(1, 3, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("wrong width: %v", err)
	}
	m3 := New()
	if err := m3.Fit(mat.NewDense(6, 1, []float64{0, 1, 5, 6, 9, 11}), []int{0, 0, 1, 1, 2, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := m3.DecisionFunction(mat.NewDense(1, 1, nil)); !errors.Is(err, ErrNotBinary) {
		t.Errorf("DecisionFunction on 3 classes: %v", err)
	}
}

// TestExtreme checks that far-apart classes with huge feature values (the
// probabilities saturate) still converge.
func TestExtreme(t *testing.T) {
	x := mat.NewDense(6, 1, []float64{-1e6, -2e6, -3e6, 1e6, 2e6, 3e6})
	m := New()
	if err := m.Fit(x, []int{0, 0, 0, 1, 1, 1}); err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pred {
		if want := i / 3; p != want {
			t.Fatalf("predict[%d] = %d, want %d (coef %v)", i, p, want, m.Coef)
		}
	}
}
