package svm

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Fixture written by testdata/gen/svm_ref.py (scikit-learn 1.2.1).
type refData struct {
	X     [][]float64 `json:"x"`
	Y     []int       `json:"y"`
	XTest [][]float64 `json:"xtest"`
}

type refCase struct {
	Name      string          `json:"name"`
	Data      string          `json:"data"`
	Rows      []int           `json:"rows"`
	Kernel    Kernel          `json:"kernel"`
	C         float64         `json:"C"`
	Shrinking bool            `json:"shrinking"`
	Gamma     float64         `json:"gamma"`
	Classes   []int           `json:"classes"`
	Support   []int           `json:"support"`
	NSupport  []int           `json:"n_support"`
	SVCoef    [][]float64     `json:"sv_coef"`
	NegRho    []float64       `json:"neg_rho"`
	Decision  json.RawMessage `json:"decision"`
	Predict   []int           `json:"predict"`
}

type refFile struct {
	Data  map[string]refData `json:"data"`
	Cases []refCase          `json:"cases"`
}

func loadRef(t testing.TB) refFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "svm_ref.json"))
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

func (c refCase) model() *SVC {
	return &SVC{Kernel: c.Kernel, C: c.C, NoShrinking: !c.Shrinking}
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

// tol is the tolerance against sklearn/LIBSVM. The solver repeats LIBSVM's
// iterations on the same float32 kernel matrix, so the dual solution agrees
// to rounding, far inside the solver's own tolerance (1e-3).
const tol = 1e-9

func TestSklearn(t *testing.T) {
	f := loadRef(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x, y, xt := c.inputs(f)
			m := c.model()
			if err := m.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			if c.Kernel == RBF && m.FitGamma != c.Gamma {
				t.Errorf("gamma = %.17g, want %.17g", m.FitGamma, c.Gamma)
			}
			if !slices.Equal(m.SupportIndex, c.Support) || !slices.Equal(m.NSupport, c.NSupport) {
				t.Fatalf("support %v %v, want %v %v", m.NSupport, m.SupportIndex, c.NSupport, c.Support)
			}
			closeAll(t, "dual coef", tol, flat(m.DualCoef), flat(c.SVCoef))
			negRho := make([]float64, len(m.Rho))
			for i, r := range m.Rho {
				negRho[i] = -r
			}
			closeAll(t, "intercept", tol, negRho, c.NegRho)
			d, err := m.Decision(xt)
			if err != nil {
				t.Fatal(err)
			}
			closeAll(t, "decision", tol, d.RawMatrix().Data, decisionWant(t, c.Decision))
			pred, err := m.Predict(xt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pred, c.Predict) {
				t.Fatalf("predict %v, want %v", pred, c.Predict)
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	f := loadRef(t)
	for _, c := range f.Cases {
		x, y, xt := c.inputs(f)
		m := c.model()
		if err := m.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back SVC
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		want, _ := m.Decision(xt)
		got, err := back.Decision(xt)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, want) {
			t.Fatalf("%s: decision differs after JSON round trip", c.Name)
		}
	}
}

func TestErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{1, 2, 3, 4, 5, 6, 7, 9})
	for _, tc := range []struct {
		name string
		m    *SVC
		x    *mat.Dense
		y    []int
		want error
	}{
		{"one class", New(RBF), x, []int{1, 1, 1, 1}, ErrClasses},
		{"labels", New(RBF), x, []int{1, 2, 1}, ErrShape},
		{"nan", New(Linear), mat.NewDense(3, 1, []float64{1, math.NaN(), 2}), []int{0, 1, 1}, ErrNotFinite},
		{"C", &SVC{Kernel: RBF}, x, []int{0, 0, 1, 1}, ErrParam},
		{"kernel", &SVC{Kernel: "poly", C: 1}, x, []int{0, 0, 1, 1}, ErrParam},
		{"gamma", &SVC{Kernel: RBF, C: 1, Gamma: -1}, x, []int{0, 0, 1, 1}, ErrParam},
		{"empty", New(RBF), &mat.Dense{}, nil, ErrShape},
	} {
		if err := tc.m.Fit(tc.x, tc.y); !errors.Is(err, tc.want) {
			t.Errorf("%s: Fit error %v, want %v", tc.name, err, tc.want)
		}
	}
	m := New(RBF)
	if _, err := m.Predict(x); !errors.Is(err, ErrNotFitted) {
		t.Errorf("unfitted Predict: %v", err)
	}
	if err := m.Fit(x, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict(mat.NewDense(1, 3, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("wrong width: %v", err)
	}
	m3 := New(Linear)
	if err := m3.Fit(mat.NewDense(6, 1, []float64{0, 1, 5, 6, 9, 11}), []int{0, 0, 1, 1, 2, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := m3.DecisionFunction(mat.NewDense(1, 1, nil)); !errors.Is(err, ErrNotBinary) {
		t.Errorf("DecisionFunction on 3 classes: %v", err)
	}
}
