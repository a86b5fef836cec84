package riemann

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The fixture comes from testdata/gen/riemann_ref.py: a NumPy/SciPy
// transcription of pyRiemann 0.6 (pyRiemann itself is not installable
// here), SciPy's own matrix functions, and scikit-learn 1.2's LDA inside
// FGDA.
const fixture = "testdata/riemann_ref.json"

// Tolerances, relative to the largest absolute entry of the reference.
const (
	// relTol is for everything computed by the same algorithm as the
	// reference, the iterative means included: both run the same
	// iterations, so they agree to rounding, far inside the 1e-8 stopping
	// tolerance of mean_riemann.
	relTol = 1e-9
	// scipyTol is for SciPy's Schur-based sqrtm/logm/fractional power and
	// Padé expm against our eigen decomposition (observed: 2e-15 on
	// well-conditioned matrices, 6e-12 at condition number 1e7).
	scipyTol = 1e-9
	// vectorTol bounds single tangent vectors at the affine-invariant
	// mean (see TestTangentSpace).
	vectorTol = 5e-9
	// meanTol is for affine-invariant means of small sets that converge
	// in few iterations, where the first-order updates leave up to 2e-9
	// (TestMeanFirstOrder; the exact iterates are checked at relTol).
	meanTol = 2e-9
)

type matrix [][]float64

type refFile struct {
	Means struct {
		X                         []matrix  `json:"X"`
		Weights                   []float64 `json:"weights"`
		Riemann                   matrix    `json:"riemann"`
		RiemannIterations         int       `json:"riemann_iterations"`
		RiemannWeighted           matrix    `json:"riemann_weighted"`
		RiemannWeightedIterations int       `json:"riemann_weighted_iterations"`
		RiemannMaxiter3           matrix    `json:"riemann_maxiter3"`
		LogEuclid                 matrix    `json:"logeuclid"`
		LogEuclidWeighted         matrix    `json:"logeuclid_weighted"`
		Euclid                    matrix    `json:"euclid"`
		EuclidWeighted            matrix    `json:"euclid_weighted"`
		Harmonic                  matrix    `json:"harmonic"`
		LogDet                    matrix    `json:"logdet"`
		LogDetWeighted            matrix    `json:"logdet_weighted"`
	} `json:"means"`
	Tangent struct {
		Reference matrix `json:"reference"`
		Vectors   matrix `json:"vectors"`
		Perturbed matrix `json:"perturbed"`
		Inverse   []matrix
	} `json:"tangent"`
	Real struct {
		Channels              []string `json:"channels"`
		N                     int      `json:"n"`
		NChannels             int      `json:"n_channels"`
		CovsUpper             string   `json:"covs_upper"`
		Y                     []int    `json:"y"`
		NTrain                int      `json:"n_train"`
		MeanRiemannUpper      string   `json:"mean_riemann_upper"`
		MeanRiemannIterations int      `json:"mean_riemann_iterations"`
		TangentVectors        string   `json:"tangent_vectors"`
		MDMRiemann            mdmRef   `json:"mdm_riemann"`
		MDMLogEuclid          mdmRef   `json:"mdm_logeuclid"`
		FgMDM                 fgmdmRef `json:"fgmdm"`
		CV5                   struct {
			MDMRiemann []int `json:"mdm_riemann"`
			FgMDM      []int `json:"fgmdm"`
		} `json:"cv5"`
	} `json:"real"`
}

type mdmRef struct {
	Means     []matrix `json:"means"`
	Dist      matrix   `json:"dist"`
	Pred      []int    `json:"pred"`
	Proba     matrix   `json:"proba"`
	MinMargin float64  `json:"min_margin"`
}

type fgmdmRef struct {
	Coef      matrix   `json:"coef"`
	Filtered  []matrix `json:"filtered"`
	Dist      matrix   `json:"dist"`
	Pred      []int    `json:"pred"`
	Proba     matrix   `json:"proba"`
	MinMargin float64  `json:"min_margin"`
}

func loadRef(t testing.TB) (*refFile, map[string]any) {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var f refFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	var loose map[string]any
	if err := json.Unmarshal(b, &loose); err != nil {
		t.Fatal(err)
	}
	return &f, loose
}

func sym(m matrix) *mat.SymDense {
	n := len(m)
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, m[i][j])
		}
	}
	return s
}

func syms(ms []matrix) []*mat.SymDense {
	out := make([]*mat.SymDense, len(ms))
	for i, m := range ms {
		out[i] = sym(m)
	}
	return out
}

func asMatrix(v any) matrix {
	rows := v.([]any)
	m := make(matrix, len(rows))
	for i, r := range rows {
		for _, x := range r.([]any) {
			m[i] = append(m[i], x.(float64))
		}
	}
	return m
}

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

// fromUpper rebuilds count n×n symmetric matrices from their upper
// triangles stored row by row.
func fromUpper(v []float64, n int) []*mat.SymDense {
	d := n * (n + 1) / 2
	out := make([]*mat.SymDense, len(v)/d)
	for k := range out {
		s := mat.NewSymDense(n, nil)
		u := v[k*d : (k+1)*d]
		for i := range n {
			for j := i; j < n; j++ {
				s.SetSym(i, j, u[0])
				u = u[1:]
			}
		}
		out[k] = s
	}
	return out
}

// relErr returns max|got−want| / max|want| over all entries.
func relErr(got mat.Matrix, want matrix) float64 {
	var scale, worst float64
	for i := range want {
		for j := range want[i] {
			scale = math.Max(scale, math.Abs(want[i][j]))
		}
	}
	r, c := got.Dims()
	if r != len(want) || (r > 0 && c != len(want[0])) {
		return math.Inf(1)
	}
	for i := range want {
		for j, w := range want[i] {
			d := math.Abs(got.At(i, j) - w)
			if math.IsNaN(d) {
				return math.NaN()
			}
			worst = math.Max(worst, d)
		}
	}
	if scale == 0 {
		return worst
	}
	return worst / scale
}

func check(t *testing.T, what string, got mat.Matrix, want matrix, tol float64) {
	t.Helper()
	if e := relErr(got, want); !(e <= tol) {
		t.Errorf("%s: relative error %.3g > %.0g\n got %v\nwant %v", what, e, tol, mat.Formatted(got), want)
	} else if testing.Verbose() {
		t.Logf("%-40s rel err %.2g", what, e)
	}
}

func rowsOf(v []float64, cols int) matrix {
	var m matrix
	for len(v) >= cols && cols > 0 {
		m = append(m, v[:cols])
		v = v[cols:]
	}
	return m
}

func TestMatrixFunctions(t *testing.T) {
	_, loose := loadRef(t)
	for _, fc := range loose["funcs"].([]any) {
		c := fc.(map[string]any)
		name := c["name"].(string)
		C, S := sym(asMatrix(c["C"])), sym(asMatrix(c["S"]))
		got := map[string]*mat.SymDense{
			"sqrtm":     Sqrtm(nil, C),
			"invsqrtm":  InvSqrtm(nil, C),
			"logm":      Logm(nil, C),
			"expm":      Expm(nil, S),
			"powm_0.3":  Powm(nil, C, 0.3),
			"powm_-1.5": Powm(nil, C, -1.5),
		}
		for k, g := range got {
			check(t, name+" "+k, g, asMatrix(c[k]), relTol)
		}
		for _, k := range []string{"sqrtm", "logm", "expm", "powm_0.3"} {
			check(t, name+" scipy "+k, got[k], asMatrix(c["scipy_"+k]), scipyTol)
		}
	}
	// In place, and into a reused destination.
	a := sym(matrix{{4, 1}, {1, 3}})
	want := Sqrtm(nil, a)
	Sqrtm(a, a)
	if !mat.EqualApprox(a, want, 1e-15) {
		t.Errorf("in-place Sqrtm = %v, want %v", mat.Formatted(a), mat.Formatted(want))
	}
	var empty mat.SymDense
	if Expm(&empty, a); empty.SymmetricDim() != 2 {
		t.Errorf("empty destination not resized")
	}
	nan := Logm(nil, sym(matrix{{1, math.NaN()}, {math.NaN(), 1}}))
	if !math.IsNaN(nan.At(0, 0)) {
		t.Errorf("Logm of a NaN matrix = %v, want NaN", mat.Formatted(nan))
	}
}

func TestDistances(t *testing.T) {
	_, loose := loadRef(t)
	for i, dc := range loose["distances"].([]any) {
		c := dc.(map[string]any)
		A, B := sym(asMatrix(c["A"])), sym(asMatrix(c["B"]))
		for m := range numMetrics {
			want := c[m.String()].(float64)
			got := m.Distance(A, B)
			if d := math.Abs(got-want) / math.Max(want, 1e-300); !(d <= relTol) {
				t.Errorf("case %d %v distance = %.17g, want %.17g (rel %.2g)", i, m, got, want, d)
			}
		}
		if got, want := Distance(B, A), c["riemann_BA"].(float64); math.Abs(got-want) > relTol*want {
			t.Errorf("case %d Distance(B, A) = %v, want %v", i, got, want)
		}
	}
	if d := Distance(sym(matrix{{1, 0}, {0, 1}}), sym(matrix{{1, 2}, {2, 1}})); !math.IsNaN(d) {
		t.Errorf("distance to an indefinite matrix = %v, want NaN", d)
	}
	if d := Euclidean.Distance(sym(matrix{{1, 0}, {0, 1}}), sym(matrix{{1, 2}, {2, 1}})); d != math.Sqrt(8) {
		t.Errorf("Euclidean distance = %v, want √8", d)
	}
}

func TestMeans(t *testing.T) {
	f, _ := loadRef(t)
	r := f.Means
	X := syms(r.X)
	w := r.Weights
	got, it, err := mean(X, AffineInvariant, MeanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "mean riemann", got, r.Riemann, relTol)
	if it != r.RiemannIterations {
		t.Errorf("mean riemann took %d iterations, pyRiemann %d", it, r.RiemannIterations)
	}
	got, it, err = mean(X, AffineInvariant, MeanOptions{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "mean riemann weighted", got, r.RiemannWeighted, relTol)
	if it != r.RiemannWeightedIterations {
		t.Errorf("weighted mean riemann took %d iterations, pyRiemann %d", it, r.RiemannWeightedIterations)
	}
	for _, c := range []struct {
		name string
		m    Metric
		opt  MeanOptions
		want matrix
	}{
		{"riemann maxiter 3", AffineInvariant, MeanOptions{MaxIter: 3}, r.RiemannMaxiter3},
		{"logeuclid", LogEuclidean, MeanOptions{}, r.LogEuclid},
		{"logeuclid weighted", LogEuclidean, MeanOptions{Weights: w}, r.LogEuclidWeighted},
		{"euclid", Euclidean, MeanOptions{}, r.Euclid},
		{"euclid weighted", Euclidean, MeanOptions{Weights: w}, r.EuclidWeighted},
		{"harmonic", Harmonic, MeanOptions{}, r.Harmonic},
		{"logdet", LogDet, MeanOptions{}, r.LogDet},
		{"logdet weighted", LogDet, MeanOptions{Weights: w}, r.LogDetWeighted},
	} {
		got, err := MeanWith(X, c.m, c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		check(t, "mean "+c.name, got, c.want, relTol)
	}
	// Starting from the answer, the descent stops at once.
	got, it, err = mean(X, AffineInvariant, MeanOptions{Init: sym(r.Riemann)})
	if err != nil {
		t.Fatal(err)
	}
	if it > 2 {
		t.Errorf("mean from its own value took %d iterations", it)
	}
	check(t, "mean riemann from itself", got, r.Riemann, 1e-8)
}

func TestTangentSpace(t *testing.T) {
	f, loose := loadRef(t)
	X := syms(f.Means.X)
	var ts TangentSpace
	if err := ts.Fit(X); err != nil {
		t.Fatal(err)
	}
	check(t, "tangent reference", mat.NewDense(ts.N, ts.N, ts.Reference), f.Tangent.Reference, relTol)
	v, err := ts.Transform(X)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "tangent vectors", v, f.Tangent.Vectors, relTol)
	for i, c := range X {
		one, err := ts.Vector(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		// One vector alone, relative to its own norm, carries the
		// reference's deviation from pyRiemann's iterates (the first-order
		// updates of the mean, about 1e-10 of ‖J‖ per iteration; see
		// TestMeanFirstOrder): pyRiemann's mean is itself converged only
		// to ‖J‖ ≤ 1e-8.
		check(t, "tangent Vector", mat.NewDense(1, len(one), one), matrix{f.Tangent.Vectors[i]}, vectorTol)
	}
	p := f.Tangent.Perturbed
	pm := mat.NewDense(len(p), len(p[0]), nil)
	for i := range p {
		pm.SetRow(i, p[i])
	}
	back, err := ts.InverseTransform(pm)
	if err != nil {
		t.Fatal(err)
	}
	inv := loose["tangent"].(map[string]any)["inverse"].([]any)
	for i := range back {
		check(t, "untangent", back[i], asMatrix(inv[i]), relTol)
	}
	// Without the stored C_ref^-½ (an older or hand-written model).
	ts2 := TangentSpace{N: ts.N, Reference: ts.Reference}
	v2, err := ts2.Transform(X)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "tangent vectors without InvSqrtReference", v2, f.Tangent.Vectors, relTol)
}

func TestMDMSynthetic(t *testing.T) {
	_, loose := loadRef(t)
	s := loose["synthetic"].(map[string]any)
	var X []*mat.SymDense
	for _, m := range s["X"].([]any) {
		X = append(X, sym(asMatrix(m)))
	}
	var y []int
	for _, v := range s["y"].([]any) {
		y = append(y, int(v.(float64)))
	}
	nTrain := int(s["n_train"].(float64))
	for m := range numMetrics {
		ref := s["mdm_"+m.String()].(map[string]any)
		clf := MDM{Metric: m}
		if err := clf.Fit(X[:nTrain], y[:nTrain]); err != nil {
			t.Fatalf("%v: %v", m, err)
		}
		for k, mk := range ref["means"].([]any) {
			tol := relTol
			if m == AffineInvariant {
				tol = meanTol
			}
			check(t, "mdm "+m.String()+" mean", mat.NewDense(clf.N, clf.N, clf.Means[k]), asMatrix(mk), tol)
		}
		d, err := clf.Transform(X[nTrain:])
		if err != nil {
			t.Fatal(err)
		}
		check(t, "mdm "+m.String()+" distances", d, asMatrix(ref["dist"]), relTol)
		pr, err := clf.PredictProba(X[nTrain:])
		if err != nil {
			t.Fatal(err)
		}
		check(t, "mdm "+m.String()+" proba", pr, asMatrix(ref["proba"]), relTol)
		pred, err := clf.Predict(X[nTrain:])
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ref["pred"].([]any) {
			if pred[i] != int(p.(float64)) {
				t.Errorf("mdm %v prediction %d = %d, want %v", m, i, pred[i], p)
			}
		}
	}
	var fg FgMDM
	if err := fg.Fit(X[:nTrain], y[:nTrain]); err != nil {
		t.Fatal(err)
	}
	ref := s["fgmdm"].(map[string]any)
	check(t, "fgmdm LDA coef", mat.NewDense(len(fg.FGDA.Coef), len(fg.FGDA.Coef[0]), flatten(fg.FGDA.Coef)), asMatrix(ref["coef"]), relTol)
	filt, err := fg.FGDA.Transform(X[nTrain:])
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ref["filtered"].([]any) {
		check(t, "fgda filtered", filt[i], asMatrix(m), relTol)
	}
	d, err := fg.Transform(X[nTrain:])
	if err != nil {
		t.Fatal(err)
	}
	check(t, "fgmdm distances", d, asMatrix(ref["dist"]), relTol)
	pr, err := fg.PredictProba(X[nTrain:])
	if err != nil {
		t.Fatal(err)
	}
	check(t, "fgmdm proba", pr, asMatrix(ref["proba"]), relTol)
	pred, err := fg.Predict(X[nTrain:])
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ref["pred"].([]any) {
		if pred[i] != int(p.(float64)) {
			t.Errorf("fgmdm prediction %d = %d, want %v", i, pred[i], p)
		}
	}
}

func flatten(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// realData returns the EEGMMIDB OAS covariances and labels of the fixture.
func realData(t testing.TB, f *refFile) ([]*mat.SymDense, []int) {
	r := f.Real
	covs := fromUpper(decodeFloats(t, r.CovsUpper), r.NChannels)
	if len(covs) != r.N || len(r.Y) != r.N {
		t.Fatalf("fixture holds %d matrices and %d labels, want %d", len(covs), len(r.Y), r.N)
	}
	return covs, r.Y
}

func TestRealEEGMMIDB(t *testing.T) {
	f, _ := loadRef(t)
	r := f.Real
	covs, y := realData(t, f)
	n := r.NChannels

	m, it, err := mean(covs, AffineInvariant, MeanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := fromUpper(decodeFloats(t, r.MeanRiemannUpper), n)[0]
	check(t, "real mean riemann", m, denseRows(want), relTol)
	if it != r.MeanRiemannIterations {
		t.Errorf("real mean took %d iterations, pyRiemann %d", it, r.MeanRiemannIterations)
	}
	var ts TangentSpace
	if err := ts.Fit(covs); err != nil {
		t.Fatal(err)
	}
	v, err := ts.Transform(covs)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "real tangent vectors", v, rowsOf(decodeFloats(t, r.TangentVectors), ts.Dim()), relTol)

	train, test := covs[:r.NTrain], covs[r.NTrain:]
	for _, c := range []struct {
		metric Metric
		ref    mdmRef
	}{{AffineInvariant, r.MDMRiemann}, {LogEuclidean, r.MDMLogEuclid}} {
		clf := MDM{Metric: c.metric}
		if err := clf.Fit(train, y[:r.NTrain]); err != nil {
			t.Fatal(err)
		}
		d, err := clf.Transform(test)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "real mdm "+c.metric.String()+" distances", d, c.ref.Dist, relTol)
		pr, err := clf.PredictProba(test)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "real mdm "+c.metric.String()+" proba", pr, c.ref.Proba, relTol)
		pred, err := clf.Predict(test)
		if err != nil {
			t.Fatal(err)
		}
		equalLabels(t, "real mdm "+c.metric.String(), pred, c.ref.Pred)
	}
	var fg FgMDM
	if err := fg.Fit(train, y[:r.NTrain]); err != nil {
		t.Fatal(err)
	}
	d, err := fg.Transform(test)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "real fgmdm distances", d, r.FgMDM.Dist, relTol)
	pr, err := fg.PredictProba(test)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "real fgmdm proba", pr, r.FgMDM.Proba, relTol)
	pred, err := fg.Predict(test)
	if err != nil {
		t.Fatal(err)
	}
	equalLabels(t, "real fgmdm", pred, r.FgMDM.Pred)

	// 5-fold cross-validation (sklearn KFold(5), no shuffling).
	var cvMDM, cvFg []int
	for k := range 5 {
		lo, hi := foldBounds(len(covs), 5, k)
		var trc []*mat.SymDense
		var trl []int
		for i := range covs {
			if i < lo || i >= hi {
				trc = append(trc, covs[i])
				trl = append(trl, y[i])
			}
		}
		clf := MDM{}
		if err := clf.Fit(trc, trl); err != nil {
			t.Fatal(err)
		}
		p, err := clf.Predict(covs[lo:hi])
		if err != nil {
			t.Fatal(err)
		}
		cvMDM = append(cvMDM, p...)
		var fg FgMDM
		if err := fg.Fit(trc, trl); err != nil {
			t.Fatal(err)
		}
		p, err = fg.Predict(covs[lo:hi])
		if err != nil {
			t.Fatal(err)
		}
		cvFg = append(cvFg, p...)
	}
	equalLabels(t, "real cv5 mdm", cvMDM, r.CV5.MDMRiemann)
	equalLabels(t, "real cv5 fgmdm", cvFg, r.CV5.FgMDM)
	t.Logf("5-fold accuracy: MDM %.3f, FgMDM %.3f (pyRiemann transcription: same predictions)",
		accuracy(cvMDM, y), accuracy(cvFg, y))
}

// foldBounds is sklearn KFold's k-th test fold of n samples.
func foldBounds(n, folds, k int) (lo, hi int) {
	for i := range k + 1 {
		size := n / folds
		if i < n%folds {
			size++
		}
		lo, hi = hi, hi+size
	}
	return lo, hi
}

func accuracy(pred, y []int) float64 {
	ok := 0
	for i := range pred {
		if pred[i] == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(pred))
}

func equalLabels(t *testing.T, what string, got, want []int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d predictions, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: prediction %d = %d, want %d", what, i, got[i], want[i])
		}
	}
}

func denseRows(s *mat.SymDense) matrix {
	n := s.SymmetricDim()
	m := make(matrix, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			m[i][j] = s.At(i, j)
		}
	}
	return m
}

// TestMeanFirstOrder checks the first-order updates of the affine-invariant
// mean against decomposing every matrix at every iteration (Exact), on the
// fixture's matrices and on 64-channel covariances of simulated trials,
// and that the updates were used on the latter.
func TestMeanFirstOrder(t *testing.T) {
	f, _ := loadRef(t)
	covs64, _ := benchSet(40, 64)
	for _, c := range []struct {
		name string
		covs []*mat.SymDense
		tol  float64
	}{
		{"fixture", syms(f.Means.X), 2e-9},
		{"64 channels", covs64, 1e-10},
	} {
		exact, itExact, err := mean(c.covs, AffineInvariant, MeanOptions{Exact: true})
		if err != nil {
			t.Fatal(err)
		}
		fast, it, err := mean(c.covs, AffineInvariant, MeanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if it != itExact {
			t.Errorf("%s: %d iterations, %d exact", c.name, it, itExact)
		}
		var d mat.Dense
		d.Sub(fast, exact)
		if e := mat.Norm(&d, 2) / mat.Norm(exact, 2); !(e <= c.tol) {
			t.Errorf("%s: first-order mean differs from the exact one by %.3g relative > %.0g", c.name, e, c.tol)
		}
	}
	perturbed.Store(0)
	if _, err := Mean(covs64, AffineInvariant); err != nil {
		t.Fatal(err)
	}
	if perturbed.Load() == 0 {
		t.Error("no logarithm was updated to first order")
	}
}

// TestExpSmall checks the series exponential of meanRiemann against the
// eigen decomposition's on a symmetric matrix of norm expSeriesMax.
func TestExpSmall(t *testing.T) {
	const n = 24
	covs, _ := benchSet(1, n)
	a := make([]float64, n*n)
	fullFrom(a, covs[0])
	var norm float64
	for _, v := range a {
		norm += v * v
	}
	for i := range a {
		a[i] *= expSeriesMax / math.Sqrt(norm)
	}
	s := getWS(n)
	defer putWS(s)
	want := make([]float64, n*n)
	if !s.eigen(a, n, true) {
		t.Fatal("eigen failed")
	}
	s.apply(want, n, fnExp)
	got := append([]float64(nil), a...)
	s.expSmall(got)
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > 4e-15 { // a few ulps of 1: the rounding of either
			t.Fatalf("entry %d: series %v, eigen %v (|Δ| %.2g)", i, got[i], want[i], d)
		}
		if r, c := i/n, i%n; got[i] != got[c*n+r] {
			t.Fatalf("series exponential not symmetric at (%d, %d)", r, c)
		}
	}
}
