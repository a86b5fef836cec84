package xdawn

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

type fixture struct {
	Shape  []int     `json:"shape"`
	Scale  float64   `json:"scale"`
	Labels []int     `json:"labels"`
	Cases  []refCase `json:"cases"`
	trials [][][]float64
}

type refCase struct {
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	Params    map[string]any  `json:"params"`
	FitIdx    []int           `json:"fit_idx"`
	Classes   []int           `json:"classes"`
	Filters   [][]float64     `json:"filters"`
	Patterns  [][]float64     `json:"patterns"`
	Evokeds   [][]float64     `json:"evokeds"`
	Transform [][][]float64   `json:"transform"`
	Covs      [][][]float64   `json:"covs"`
	raw       json.RawMessage `json:"-"`
}

func loadFixture(t testing.TB, name string) *fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", name+".i16"))
	if err != nil {
		t.Fatal(err)
	}
	nTr, nCh, nT := f.Shape[0], f.Shape[1], f.Shape[2]
	if len(raw) != 2*nTr*nCh*nT {
		t.Fatalf("%s.i16: %d bytes for shape %v", name, len(raw), f.Shape)
	}
	off := 0
	f.trials = make([][][]float64, nTr)
	for i := range f.trials {
		f.trials[i] = make([][]float64, nCh)
		for c := range f.trials[i] {
			row := make([]float64, nT)
			for k := range row {
				row[k] = float64(int16(binary.LittleEndian.Uint16(raw[off:]))) * f.Scale
				off += 2
			}
			f.trials[i][c] = row
		}
	}
	return &f
}

func pick[T any](x []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = x[j]
	}
	return out
}

func ints(v any) []int {
	a := v.([]any)
	out := make([]int, len(a))
	for i, x := range a {
		out[i] = int(x.(float64))
	}
	return out
}

func matrix(v any) [][]float64 {
	a := v.([]any)
	out := make([][]float64, len(a))
	for i, r := range a {
		rr := r.([]any)
		out[i] = make([]float64, len(rr))
		for j, x := range rr {
			out[i][j] = x.(float64)
		}
	}
	return out
}

// xdawnConfig turns the generator's pyRiemann keyword arguments into an
// Xdawn (xdawn=true) or an XdawnCovariances.
func configure(t testing.TB, p map[string]any) (*Xdawn, *XdawnCovariances) {
	t.Helper()
	var x Xdawn
	var xc XdawnCovariances
	for k, v := range p {
		switch k {
		case "nfilter":
			x.NFilter = int(v.(float64))
			xc.NFilter = x.NFilter
		case "classes":
			x.Classes = ints(v)
			xc.Classes = x.Classes
		case "estimator":
			x.Estimator = Estimator(v.(string))
			xc.Estimator = x.Estimator
		case "xdawn_estimator":
			xc.XdawnEstimator = Estimator(v.(string))
		case "baseline_cov":
			x.BaselineCov = matrix(v)
			xc.BaselineCov = x.BaselineCov
		case "applyfilters":
			xc.NoFilters = !v.(bool)
		default:
			t.Fatalf("unknown pyRiemann parameter %q", k)
		}
	}
	return &x, &xc
}

func maxAbs(rows [][]float64) float64 {
	m := 0.0
	for _, r := range rows {
		for _, v := range r {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// signs returns, for each filter, the sign that aligns it with the
// reference filter.
func signs(t *testing.T, got, want [][]float64, rel float64) []float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d filters, want %d", len(got), len(want))
	}
	s := make([]float64, len(got))
	for i := range got {
		dot := 0.0
		for j := range got[i] {
			dot += got[i][j] * want[i][j]
		}
		s[i] = 1
		if dot < 0 {
			s[i] = -1
		}
		for j := range got[i] {
			if math.Abs(s[i]*got[i][j]-want[i][j]) > rel { // unit-norm filters
				t.Errorf("filter[%d][%d] = %.17g, want %.17g", i, j, s[i]*got[i][j], want[i][j])
			}
		}
	}
	return s
}

// compareRows checks got against want row by row, row i multiplied by
// sign[i], relative to the magnitude of the whole table.
func compareRows(t *testing.T, what string, got, want [][]float64, sign []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	sc := maxAbs(want)
	worst := 0.0
	for i := range want {
		for j, w := range want[i] {
			d := math.Abs(sign[i]*got[i][j]-w) / sc
			worst = math.Max(worst, d)
			if d > rel {
				t.Errorf("%s[%d][%d] = %.17g, want %.17g", what, i, j, sign[i]*got[i][j], w)
			}
		}
	}
	t.Logf("%s: max |Δ|/max = %.2e", what, worst)
}

// TestPyRiemann compares Xdawn and XdawnCovariances with the NumPy
// transcription of pyRiemann 0.6 in testdata/gen/xdawn_ref.py (real
// sklearn/NumPy covariance estimators), on synthetic ERPs and on EEGMMIDB
// S001 cue responses. Filters are compared up to sign (unit norm, 1e-9
// absolute); patterns, evoked responses, filtered trials and covariances
// after applying the same signs, to 1e-9 relative to each table's
// magnitude.
func TestPyRiemann(t *testing.T) {
	const rel = 1e-9
	for _, set := range []string{"syn", "eegmmidb_s001"} {
		f := loadFixture(t, set)
		for _, rc := range f.Cases {
			t.Run(set+"/"+rc.Name, func(t *testing.T) {
				x, xc := configure(t, rc.Params)
				fitX, fitY := pick(f.trials, rc.FitIdx), pick(f.Labels, rc.FitIdx)
				show := f.trials[:len(rc.Transform)+len(rc.Covs)]
				switch rc.Kind {
				case "xdawn":
					if err := x.Fit(fitX, fitY); err != nil {
						t.Fatal(err)
					}
					for i, c := range rc.Classes {
						if x.FittedClasses[i] != c {
							t.Fatalf("classes %v, want %v", x.FittedClasses, rc.Classes)
						}
					}
					s := signs(t, x.Filters, rc.Filters, rel)
					compareRows(t, "patterns", x.Patterns, rc.Patterns, s, rel)
					compareRows(t, "evokeds", x.Evokeds, rc.Evokeds, s, rel)
					out, err := x.Transform(show)
					if err != nil {
						t.Fatal(err)
					}
					for i := range rc.Transform {
						compareRows(t, "transform", out[i], rc.Transform[i], s, rel)
					}
				case "xdawncov":
					if err := xc.Fit(fitX, fitY); err != nil {
						t.Fatal(err)
					}
					s := signs(t, xc.Xdawn.Filters, rc.Filters, rel)
					nf := len(s)
					covs, err := xc.Transform(show)
					if err != nil {
						t.Fatal(err)
					}
					for i, want := range rc.Covs {
						m := covs[i].SymmetricDim()
						if m != len(want) {
							t.Fatalf("covariance %d is %dx%d, want %d", i, m, m, len(want))
						}
						// D C D with D the filter signs on the evoked rows and,
						// when the trial is filtered, on the trial rows too.
						d := make([]float64, m)
						for j := range d {
							switch {
							case j < nf:
								d[j] = s[j]
							case !xc.NoFilters:
								d[j] = s[j-nf]
							default:
								d[j] = 1
							}
						}
						sc := maxAbs(want)
						for r := 0; r < m; r++ {
							for c := 0; c < m; c++ {
								got := d[r] * d[c] * covs[i].At(r, c)
								if math.Abs(got-want[r][c]) > rel*sc {
									t.Errorf("cov[%d][%d][%d] = %.17g, want %.17g", i, r, c, got, want[r][c])
								}
							}
						}
					}
				}
			})
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	f := loadFixture(t, "syn")
	xc := XdawnCovariances{NFilter: 2, Estimator: LedoitWolf}
	if err := xc.Fit(f.trials, f.Labels); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(&xc)
	if err != nil {
		t.Fatal(err)
	}
	var back XdawnCovariances
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	c1, err := xc.Transform(f.trials[:3])
	if err != nil {
		t.Fatal(err)
	}
	c2, err := back.Transform(f.trials[:3])
	if err != nil {
		t.Fatal(err)
	}
	for i := range c1 {
		if !mat.Equal(c1[i], c2[i]) {
			t.Errorf("covariance %d differs after a JSON round trip", i)
		}
	}
}

func TestErrors(t *testing.T) {
	good := [][][]float64{
		{{1, 2, 3, 0}, {4, 5, 7, 1}},
		{{1, -2, 3, 1}, {0, 5, 1, 2}},
		{{2, 2, -3, 0}, {1, 0, 7, 3}},
		{{1, 2, 0, 1}, {4, -5, 2, 0}},
	}
	y := []int{0, 1, 0, 1}
	cases := []struct {
		name   string
		x      Xdawn
		trials [][][]float64
		y      []int
		want   error
	}{
		{"no trials", Xdawn{}, nil, nil, ErrShape},
		{"labels", Xdawn{}, good, []int{0}, ErrShape},
		{"ragged", Xdawn{}, [][][]float64{{{1, 2, 3}, {4, 5}}}, []int{0}, ErrShape},
		{"nan", Xdawn{}, [][][]float64{{{1, math.NaN(), 3}, {4, 5, 6}}}, []int{0}, ErrNonFinite},
		{"estimator", Xdawn{Estimator: "mcd"}, good, y, ErrParam},
		{"nfilter", Xdawn{NFilter: -2}, good, y, ErrParam},
		{"empty class", Xdawn{Classes: []int{0, 7}}, good, y, ErrClasses},
		{"baseline size", Xdawn{BaselineCov: [][]float64{{1}}}, good, y, ErrShape},
		{"singular", Xdawn{}, [][][]float64{{{1, 2, 3}, {2, 4, 6}}, {{1, 0, 3}, {2, 0, 6}}}, []int{0, 1}, ErrSingular},
		{"zero channel", Xdawn{}, [][][]float64{{{1, 2, 3}, {0, 0, 0}}, {{1, 0, 3}, {0, 0, 0}}}, []int{0, 1}, ErrSingular},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.x.Fit(tc.trials, tc.y); !errors.Is(err, tc.want) {
				t.Fatalf("Fit error %v, want %v", err, tc.want)
			}
		})
	}
	var x Xdawn
	if _, err := x.Transform(good); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Transform before Fit: %v", err)
	}
	if err := x.Fit(good, y); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Transform([][][]float64{{{1, 2, 3, 4}}}); !errors.Is(err, ErrShape) {
		t.Errorf("Transform with 1 channel: %v", err)
	}
	xc := XdawnCovariances{}
	if err := xc.Fit(good, y); err != nil {
		t.Fatal(err)
	}
	if _, err := xc.Transform([][][]float64{{{1, 2, 3}, {1, 2, 3}}}); !errors.Is(err, ErrShape) {
		t.Errorf("XdawnCovariances with 3 samples: %v", err)
	}
	if _, err := xc.Transform([][][]float64{{{1, 2, 3, math.Inf(1)}, {1, 2, 3, 4}}}); !errors.Is(err, ErrNonFinite) {
		t.Errorf("XdawnCovariances with Inf: %v", err)
	}
}
