package svm

import (
	"encoding/json"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// FuzzModelJSON feeds arbitrary model files to the prediction methods:
// they must return errors, never panic, on inconsistent fitted state.
func FuzzModelJSON(f *testing.F) {
	x := mat.NewDense(6, 2, []float64{0, 0.1, 0.2, -0.1, -0.1, 0.3, 2, 2.1, 2.2, 1.8, 1.9, 2.3})
	for _, y := range [][]int{{7, 7, 7, 9, 9, 9}, {1, 1, 2, 2, 3, 3}} {
		m := New(RBF)
		if err := m.Fit(x, y); err != nil {
			f.Fatal(err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"classes": [1, 2, 3]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m SVC
		if json.Unmarshal(b, &m) != nil {
			return
		}
		p := m.NumFeatures()
		if p == 0 || p > 1000 {
			p = 2
		}
		x := mat.NewDense(3, p, nil)
		for i := range 3 {
			x.Set(i, 0, float64(i)-1)
		}
		m.Predict(x)
		m.Decision(x)
		m.DecisionFunction(x)
	})
}
