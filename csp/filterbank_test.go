package csp

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"
)

type fbFixture struct {
	Shape            []int       `json:"shape"`
	Scale            float64     `json:"scale"`
	Labels           []int       `json:"labels"`
	FitIdx           []int       `json:"fit_idx"`
	K                int         `json:"k"`
	Features         [][]float64 `json:"features"`
	Scores           []float64   `json:"scores"`
	Selected         []int       `json:"selected"`
	SelectedFeatures [][]float64 `json:"selected_features"`
	MIX              [][]float64 `json:"mi_x"`
	MIY              []int       `json:"mi_y"`
	MIScores         []float64   `json:"mi_scores"`
}

// loadBands reads the [band][trial][channel][time] int16 set.
func loadBands(t testing.TB, f *fbFixture) [][][][]float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fbcsp.i16"))
	if err != nil {
		t.Fatal(err)
	}
	nb, nTr, nCh, nT := f.Shape[0], f.Shape[1], f.Shape[2], f.Shape[3]
	if len(b) != 2*nb*nTr*nCh*nT {
		t.Fatalf("fbcsp.i16: %d bytes for shape %v", len(b), f.Shape)
	}
	off := 0
	out := make([][][][]float64, nb)
	for i := range out {
		out[i] = make([][][]float64, nTr)
		for j := range out[i] {
			out[i][j] = make([][]float64, nCh)
			for c := range out[i][j] {
				row := make([]float64, nT)
				for k := range row {
					row[k] = float64(int16(binary.LittleEndian.Uint16(b[off:]))) * f.Scale
					off += 2
				}
				out[i][j][c] = row
			}
		}
	}
	return out
}

func loadFB(t testing.TB) (*fbFixture, [][][][]float64) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fbcsp.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fbFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f, loadBands(t, &f)
}

func compareMatrix(t *testing.T, what string, got *mat.Dense, want [][]float64, rel float64) {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		t.Fatalf("%s: %dx%d, want %dx%d", what, r, c, len(want), len(want[0]))
	}
	s := maxAbs(want)
	for i := range want {
		for j, w := range want[i] {
			if !closeRel(got.At(i, j), w, rel, s) {
				t.Errorf("%s[%d][%d] = %.17g, want %.17g", what, i, j, got.At(i, j), w)
			}
		}
	}
}

// TestFilterBankMOABB compares FilterBank with MOABB's FBCSP pipeline
// (FilterBank(mne CSP(n_components=4)) + SelectKBest(mutual_info_classif,
// k=5)): features to 1e-9 relative, mutual-information scores to 1e-12
// (they are functions of neighbour counts) and the selected columns
// exactly.
func TestFilterBankMOABB(t *testing.T) {
	f, bands := loadFB(t)
	fitBands := make([][][][]float64, len(bands))
	for b := range bands {
		fitBands[b] = pick(bands[b], f.FitIdx)
	}
	fitY := pick(f.Labels, f.FitIdx)

	all := FilterBank{}
	if err := all.Fit(fitBands, fitY); err != nil {
		t.Fatal(err)
	}
	x, err := all.Transform(bands)
	if err != nil {
		t.Fatal(err)
	}
	compareMatrix(t, "features", x, f.Features, 1e-9)

	fb := FilterBank{K: f.K}
	if err := fb.Fit(fitBands, fitY); err != nil {
		t.Fatal(err)
	}
	for i, w := range f.Scores {
		if math.Abs(fb.Scores[i]-w) > 1e-12 {
			t.Errorf("score[%d] = %.17g, want %.17g", i, fb.Scores[i], w)
		}
	}
	if len(fb.Selected) != len(f.Selected) {
		t.Fatalf("selected %v, want %v", fb.Selected, f.Selected)
	}
	for i := range f.Selected {
		if fb.Selected[i] != f.Selected[i] {
			t.Fatalf("selected %v, want %v", fb.Selected, f.Selected)
		}
	}
	xs, err := fb.Transform(bands)
	if err != nil {
		t.Fatal(err)
	}
	compareMatrix(t, "selected features", xs, f.SelectedFeatures, 1e-9)

	// JSON round trip
	buf, err := json.Marshal(&fb)
	if err != nil {
		t.Fatal(err)
	}
	var back FilterBank
	if err := json.Unmarshal(buf, &back); err != nil {
		t.Fatal(err)
	}
	xb, err := back.Transform(bands)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(xs, xb) {
		t.Error("filter bank features differ after a JSON round trip")
	}
}

// TestMutualInfo compares MutualInfoClassif with sklearn's mutual_info_classif
// (random_state=0) on features of several distributions and three
// classes of 8 to 14 samples. Tolerance 1e-12 absolute.
func TestMutualInfo(t *testing.T) {
	f, _ := loadFB(t)
	got := MutualInfoClassif(f.MIX, f.MIY)
	for i, w := range f.MIScores {
		if math.Abs(got[i]-w) > 1e-12 {
			t.Errorf("mi[%d] = %.17g, want %.17g", i, got[i], w)
		}
	}
}

// TestDigamma checks digamma against SciPy values at integers and
// non-integers.
func TestDigamma(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{1, -0.5772156649015329},
		{2, 0.42278433509846713},
		{10, 2.251752589066721},
		{11, 2.3517525890667215},
		{40, 3.6763273740348428},
		{1000, 6.907255195648812},
		{1.5, 0.03648997397857652},
		{0.5, -1.9635100260214235},
		{7.25, 1.9104535268837362},
	} {
		if got := digamma(c.x); math.Abs(got-c.want) > 4e-16*math.Max(1, math.Abs(c.want)) {
			t.Errorf("digamma(%g) = %.17g, want %.17g", c.x, got, c.want)
		}
	}
}
