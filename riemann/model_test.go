package riemann

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestJSONRoundTrip fits every estimator on the real EEGMMIDB covariances,
// marshals it, unmarshals it into a fresh value and checks that the
// predictions and outputs are bit-identical.
func TestJSONRoundTrip(t *testing.T) {
	f, _ := loadRef(t)
	covs, y := realData(t, f)
	train, test := covs[:30], covs[30:]
	roundTrip := func(v, into any) {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s: %v", b[:min(len(b), 80)], err)
		}
	}
	for m := range numMetrics {
		clf := MDM{Metric: m}
		if err := clf.Fit(train, y[:30]); err != nil {
			t.Fatal(err)
		}
		var back MDM
		roundTrip(&clf, &back)
		if back.Metric != m {
			t.Errorf("metric %v came back as %v", m, back.Metric)
		}
		sameOutputs(t, "MDM "+m.String(), clf.PredictProba, back.PredictProba, test)
	}
	var ts TangentSpace
	if err := ts.Fit(train); err != nil {
		t.Fatal(err)
	}
	var tsBack TangentSpace
	roundTrip(&ts, &tsBack)
	sameOutputs(t, "TangentSpace", ts.Transform, tsBack.Transform, test)

	var fg FgMDM
	if err := fg.Fit(train, y[:30]); err != nil {
		t.Fatal(err)
	}
	var fgBack FgMDM
	roundTrip(&fg, &fgBack)
	sameOutputs(t, "FgMDM", fg.PredictProba, fgBack.PredictProba, test)
	p1, _ := fg.Predict(test)
	p2, err := fgBack.Predict(test)
	if err != nil {
		t.Fatal(err)
	}
	equalLabels(t, "FgMDM after JSON", p2, p1)
}

func sameOutputs(t *testing.T, what string, a, b func([]*mat.SymDense) (*mat.Dense, error), x []*mat.SymDense) {
	t.Helper()
	ra, err := a(x)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b(x)
	if err != nil {
		t.Fatalf("%s after JSON: %v", what, err)
	}
	if !mat.Equal(ra, rb) {
		t.Errorf("%s: outputs differ after a JSON round trip", what)
	}
}

func TestErrors(t *testing.T) {
	spd := sym(matrix{{2, 0.5}, {0.5, 1}})
	spd3 := sym(matrix{{2, 0, 0}, {0, 1, 0}, {0, 0, 1}})
	indef := sym(matrix{{1, 2}, {2, 1}})
	nan := sym(matrix{{1, math.NaN()}, {math.NaN(), 1}})
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"mean of nothing", second(Mean(nil, AffineInvariant)), ErrShape},
		{"mean of mixed sizes", second(Mean([]*mat.SymDense{spd, spd3}, AffineInvariant)), ErrShape},
		{"mean of NaN", second(Mean([]*mat.SymDense{spd, nan}, LogEuclidean)), ErrNonFinite},
		{"riemann mean of indefinite", second(Mean([]*mat.SymDense{spd, indef}, AffineInvariant)), ErrNotSPD},
		{"logeuclid mean of indefinite", second(Mean([]*mat.SymDense{indef}, LogEuclidean)), ErrNotSPD},
		{"harmonic mean of indefinite", second(Mean([]*mat.SymDense{indef}, Harmonic)), ErrNotSPD},
		{"logdet mean of indefinite", second(Mean([]*mat.SymDense{spd, indef}, LogDet)), ErrNotSPD},
		{"bad metric", second(Mean([]*mat.SymDense{spd}, Metric(9))), ErrParam},
		{"weights length", second(MeanWith([]*mat.SymDense{spd}, Euclidean, MeanOptions{Weights: []float64{1, 2}})), ErrParam},
		{"negative weight", second(MeanWith([]*mat.SymDense{spd, spd}, Euclidean, MeanOptions{Weights: []float64{1, -2}})), ErrParam},
		{"zero weights", second(MeanWith([]*mat.SymDense{spd}, Euclidean, MeanOptions{Weights: []float64{0}})), ErrParam},
		{"init size", second(MeanWith([]*mat.SymDense{spd}, AffineInvariant, MeanOptions{Init: spd3})), ErrShape},
		{"negative tol", second(MeanWith([]*mat.SymDense{spd}, AffineInvariant, MeanOptions{Tol: -1})), ErrParam},
		{"mdm one class", (&MDM{}).Fit([]*mat.SymDense{spd, spd}, []int{1, 1}), ErrClasses},
		{"mdm labels", (&MDM{}).Fit([]*mat.SymDense{spd, spd}, []int{1}), ErrShape},
		{"mdm unfitted", second((&MDM{}).Predict([]*mat.SymDense{spd})), ErrNotFitted},
		{"ts unfitted", second((&TangentSpace{}).Transform([]*mat.SymDense{spd})), ErrNotFitted},
		{"fgmdm unfitted", second((&FgMDM{}).Predict([]*mat.SymDense{spd})), ErrNotFitted},
		{"fgmdm one class", (&FgMDM{}).Fit([]*mat.SymDense{spd, spd}, []int{1, 1}), ErrClasses},
		{"metric name", second(ParseMetric("Riemann")), ErrParam},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, c.err, c.want)
		}
	}

	var clf MDM
	if err := clf.Fit([]*mat.SymDense{spd, sym(matrix{{1, 0}, {0, 3}})}, []int{4, 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := clf.Predict([]*mat.SymDense{spd3}); !errors.Is(err, ErrShape) {
		t.Errorf("predict on 3×3 with a 2×2 model: %v", err)
	}
	if _, err := clf.Predict([]*mat.SymDense{spd, indef}); !errors.Is(err, ErrNotSPD) {
		t.Errorf("predict on an indefinite matrix: %v", err)
	}
	if _, err := clf.Predict([]*mat.SymDense{nan}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("predict on NaN: %v", err)
	}
	var ts TangentSpace
	if err := ts.Fit([]*mat.SymDense{spd}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.InverseTransform(mat.NewDense(1, 4, nil)); !errors.Is(err, ErrShape) {
		t.Errorf("inverse transform of 4-vectors for 2×2: %v", err)
	}
	if _, err := ts.Transform([]*mat.SymDense{indef}); !errors.Is(err, ErrNotSPD) {
		t.Errorf("tangent vector of an indefinite matrix: %v", err)
	}
	// A corrupt model read from JSON.
	var bad MDM
	if err := json.Unmarshal([]byte(`{"metric":"riemann","n":2,"classes":[1,2],"means":[[1,0,0,1],[1,2]]}`), &bad); err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Predict([]*mat.SymDense{spd}); !errors.Is(err, ErrShape) {
		t.Errorf("corrupt model: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"metric":"nope"}`), &bad); !errors.Is(err, ErrParam) {
		t.Errorf("unknown metric in JSON: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestMetricText(t *testing.T) {
	for m := range numMetrics {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Metric
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("%v round-trips to %v, %v", m, back, err)
		}
	}
	if _, err := Metric(numMetrics).MarshalText(); !errors.Is(err, ErrParam) {
		t.Errorf("marshal of an unknown metric: %v", err)
	}
}

// TestDeterministic checks that the parallel paths give the same bits as
// running on one matrix at a time.
func TestDeterministic(t *testing.T) {
	f, _ := loadRef(t)
	covs, y := realData(t, f)
	var ts TangentSpace
	if err := ts.Fit(covs); err != nil {
		t.Fatal(err)
	}
	all, err := ts.Transform(covs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range covs {
		v, err := ts.Vector(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		for j, x := range v {
			if x != all.At(i, j) {
				t.Fatalf("Transform and Vector differ at matrix %d entry %d", i, j)
			}
		}
	}
	clf := MDM{}
	if err := clf.Fit(covs, y); err != nil {
		t.Fatal(err)
	}
	d, _ := clf.Transform(covs)
	for i, c := range covs {
		for k, m := range clf.Means {
			want := Distance(c, mat.NewSymDense(clf.N, m))
			if math.Abs(d.At(i, k)-want) > 1e-12*want {
				t.Fatalf("MDM distance %d,%d = %v, Distance gives %v", i, k, d.At(i, k), want)
			}
		}
	}
}
