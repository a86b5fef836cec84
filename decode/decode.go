package decode

import (
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/cca"
	"github.com/bcikit/bcikit/cov"
	"github.com/bcikit/bcikit/csp"
	"github.com/bcikit/bcikit/lda"
	"github.com/bcikit/bcikit/logreg"
	"github.com/bcikit/bcikit/riemann"
	"github.com/bcikit/bcikit/svm"
)

// ErrUnknown reports a pipeline name that does not exist.
var ErrUnknown = errors.New("unknown pipeline")

// Input is what a pipeline needs from the paradigm.
type Input int

const (
	// Trials are band-passed trials [trial][channel][time].
	Trials Input = iota
	// Bands are trials filtered in each band of a filter bank,
	// [band][trial][channel][time]. The SSVEP "fb" pipelines stack them as
	// channels, band after band (the extended signal).
	Bands
)

// Data is the input of a pipeline: Trials, or Bands for filter-bank
// pipelines.
type Data struct {
	Trials [][][]float64
	Bands  [][][][]float64
	// Covs optionally holds the covariance matrix of every trial, by how
	// it was estimated; pipelines that start with a covariance use these
	// instead of estimating them again (bench fills them once per
	// subject, not once per fold and pipeline). They must not be
	// modified.
	Covs map[CovKey][]*mat.SymDense
}

// CovKey names a set of per-trial covariances: the estimator, and whether
// the bands were stacked as channels (the SSVEP extended signal).
type CovKey struct {
	Estimator cov.Estimator
	Stack     bool
}

// CovUser is implemented by pipelines whose first step is a covariance
// matrix per trial: CovKey says which (ok false when the pipeline needs
// something else, e.g. augmented trials).
type CovUser interface {
	CovKey() (k CovKey, ok bool)
}

// WithCovs returns d with the covariances of every trial for key k
// computed (on all cores) and added to Covs.
func (d Data) WithCovs(k CovKey) (Data, error) {
	if c := d.Covs[k]; len(c) == d.Len() && c != nil {
		return d, nil
	}
	c, err := d.covsFor(k)
	if err != nil {
		return d, err
	}
	m := make(map[CovKey][]*mat.SymDense, len(d.Covs)+1)
	for kk, v := range d.Covs {
		m[kk] = v
	}
	m[k] = c
	d.Covs = m
	return d, nil
}

// covsFor returns the precomputed covariances for k, or estimates them.
func (d Data) covsFor(k CovKey) ([]*mat.SymDense, error) {
	if c, ok := d.Covs[k]; ok && len(c) == d.Len() {
		return c, nil
	}
	t, err := d.signal(k.Stack)
	if err != nil {
		return nil, err
	}
	return cov.Estimate(t, k.Estimator)
}

// Len returns the number of trials.
func (d Data) Len() int {
	if d.Bands != nil {
		if len(d.Bands) == 0 {
			return 0
		}
		return len(d.Bands[0])
	}
	return len(d.Trials)
}

// Subset returns the trials at idx (sharing the samples).
func (d Data) Subset(idx []int) Data {
	pick := func(t [][][]float64) [][][]float64 {
		out := make([][][]float64, len(idx))
		for k, i := range idx {
			out[k] = t[i]
		}
		return out
	}
	var covs map[CovKey][]*mat.SymDense
	if len(d.Covs) > 0 {
		covs = make(map[CovKey][]*mat.SymDense, len(d.Covs))
		for k, c := range d.Covs {
			sub := make([]*mat.SymDense, len(idx))
			for j, i := range idx {
				sub[j] = c[i]
			}
			covs[k] = sub
		}
	}
	if d.Bands != nil {
		b := make([][][][]float64, len(d.Bands))
		for i := range d.Bands {
			b[i] = pick(d.Bands[i])
		}
		return Data{Bands: b, Covs: covs}
	}
	return Data{Trials: pick(d.Trials), Covs: covs}
}

// Pipeline is a decoder from trials to labels.
type Pipeline interface {
	// Input says which kind of Data the pipeline takes.
	Input() Input
	// Fit trains the pipeline on x labelled y.
	Fit(x Data, y []int) error
	// Predict returns the label of each trial.
	Predict(x Data) ([]int, error)
	// Score returns, for a two-class pipeline, one continuous score per
	// trial that grows with the larger label (the decision function, or
	// the probability of the larger class where the final estimator has
	// no decision function, as scikit-learn's roc_auc scorer chooses).
	Score(x Data) ([]float64, error)
}

type factory struct {
	summary string
	new     func() Pipeline
}

var registry = map[string]factory{
	"csp+lda":    {"MNE CSP (4 log-variance components) + shrinkage LDA", func() Pipeline { return &CSPLDA{CSP: csp.CSP{NComponents: 4}, LDA: lda.LDA{Shrinkage: lda.Auto}} }},
	"ts+lr":      {"OAS covariances + Riemannian tangent space + logistic regression", func() Pipeline { return &TSClassifier{Cov: cov.OAS, LR: logreg.New()} }},
	"ts+svm":     {"OAS covariances + tangent space + linear SVM", func() Pipeline { return &TSClassifier{Cov: cov.OAS, SVM: svm.New(svm.Linear)} }},
	"mdm":        {"OAS covariances + minimum distance to Riemannian mean", func() Pipeline { return &MDM{Cov: cov.OAS} }},
	"fgmdm":      {"OAS covariances + geodesic-filtered MDM", func() Pipeline { return &FgMDM{Cov: cov.OAS} }},
	"acm+ts+svm": {"augmented covariance (order 4, lag 2) + tangent space + RBF SVM", func() Pipeline { return &TSClassifier{Cov: cov.Cov, Order: 4, Lag: 2, SVM: svm.New(svm.RBF)} }},
	"fbcsp+svm": {"filter-bank CSP + 10 best features by mutual information + linear SVM", func() Pipeline {
		return &FBCSPSVM{FB: csp.FilterBank{CSP: csp.CSP{NComponents: 4}, K: 10}, SVM: *svm.New(svm.Linear)}
	}},
	"cca":      {"SSVEP canonical correlation with sine/cosine references (3 harmonics) of each class's frequency", func() Pipeline { return &CCA{} }},
	"fb+mdm":   {"SSVEP filter-bank extended signal + Ledoit-Wolf covariances + MDM", func() Pipeline { return &MDM{Cov: cov.LWF, Stack: true} }},
	"fb+ts+lr": {"SSVEP filter-bank extended signal + Ledoit-Wolf covariances + tangent space + logistic regression", func() Pipeline { return &TSClassifier{Cov: cov.LWF, Stack: true, LR: logreg.New()} }},
}

// Names returns the pipeline names, sorted.
func Names() []string {
	n := make([]string, 0, len(registry))
	for k := range registry {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Summary returns a one-line description of the named pipeline.
func Summary(name string) string { return registry[name].summary }

// New returns a fresh pipeline by name; an unknown name is an error that
// lists the valid ones.
func New(name string) (Pipeline, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("decode: %w %q (pipelines: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return f.new(), nil
}

// classifier is a feature-matrix classifier (lda, logreg, svm).
type classifier interface {
	Fit(x *mat.Dense, y []int) error
	Predict(x *mat.Dense) ([]int, error)
	DecisionFunction(x *mat.Dense) ([]float64, error)
}

// CSPLDA is csp+lda.
type CSPLDA struct {
	CSP csp.CSP `json:"csp"`
	LDA lda.LDA `json:"lda"`
}

// Input implements Pipeline.
func (p *CSPLDA) Input() Input { return Trials }

// Fit implements Pipeline.
func (p *CSPLDA) Fit(x Data, y []int) error {
	if err := p.CSP.Fit(x.Trials, y); err != nil {
		return err
	}
	f, err := p.CSP.Transform(x.Trials)
	if err != nil {
		return err
	}
	return p.LDA.Fit(f, y)
}

// Predict implements Pipeline.
func (p *CSPLDA) Predict(x Data) ([]int, error) {
	f, err := p.CSP.Transform(x.Trials)
	if err != nil {
		return nil, err
	}
	return p.LDA.Predict(f)
}

// Score implements Pipeline.
func (p *CSPLDA) Score(x Data) ([]float64, error) {
	f, err := p.CSP.Transform(x.Trials)
	if err != nil {
		return nil, err
	}
	return p.LDA.DecisionFunction(f)
}

// TSClassifier is covariances (optionally of the delay-embedded trials,
// Order > 0) → tangent space → a classifier: ts+lr, ts+svm, acm+ts+svm,
// fb+ts+lr.
type TSClassifier struct {
	Cov   cov.Estimator `json:"cov"`
	Order int           `json:"order,omitempty"`
	Lag   int           `json:"lag,omitempty"`
	// Stack takes Bands and stacks the bands as channels (the SSVEP
	// extended signal of fb+ts+lr).
	Stack bool                 `json:"stack,omitempty"`
	TS    riemann.TangentSpace `json:"ts"`
	// Exactly one classifier is set.
	LR  *logreg.LogReg `json:"lr,omitempty"`
	SVM *svm.SVC       `json:"svm,omitempty"`
}

func (p *TSClassifier) clf() classifier {
	if p.LR != nil {
		return p.LR
	}
	return p.SVM
}

// Input implements Pipeline.
func (p *TSClassifier) Input() Input { return inputOf(p.Stack) }

// CovKey implements CovUser (not for augmented trials).
func (p *TSClassifier) CovKey() (CovKey, bool) {
	return CovKey{p.Cov, p.Stack}, p.Order == 0
}

func (p *TSClassifier) covs(x Data) ([]*mat.SymDense, error) {
	if k, ok := p.CovKey(); ok {
		return x.covsFor(k)
	}
	t, err := x.signal(p.Stack)
	if err != nil {
		return nil, err
	}
	if p.Order > 0 {
		var err error
		if t, err = cov.Augment(t, p.Order, p.Lag); err != nil {
			return nil, err
		}
	}
	return cov.Estimate(t, p.Cov)
}

// Fit implements Pipeline.
func (p *TSClassifier) Fit(x Data, y []int) error {
	c, err := p.covs(x)
	if err != nil {
		return err
	}
	if err := p.TS.Fit(c); err != nil {
		return err
	}
	f, err := p.TS.Transform(c)
	if err != nil {
		return err
	}
	return p.clf().Fit(f, y)
}

func (p *TSClassifier) features(x Data) (*mat.Dense, error) {
	c, err := p.covs(x)
	if err != nil {
		return nil, err
	}
	return p.TS.Transform(c)
}

// Predict implements Pipeline.
func (p *TSClassifier) Predict(x Data) ([]int, error) {
	f, err := p.features(x)
	if err != nil {
		return nil, err
	}
	return p.clf().Predict(f)
}

// Score implements Pipeline.
func (p *TSClassifier) Score(x Data) ([]float64, error) {
	f, err := p.features(x)
	if err != nil {
		return nil, err
	}
	return p.clf().DecisionFunction(f)
}

// MDM is covariances → minimum distance to mean: mdm, fb+mdm.
type MDM struct {
	Cov cov.Estimator `json:"cov"`
	// Stack takes Bands and stacks the bands as channels (the SSVEP
	// extended signal of fb+mdm).
	Stack bool        `json:"stack,omitempty"`
	MDM   riemann.MDM `json:"mdm"`
}

// Input implements Pipeline.
func (p *MDM) Input() Input { return inputOf(p.Stack) }

// CovKey implements CovUser.
func (p *MDM) CovKey() (CovKey, bool) { return CovKey{p.Cov, p.Stack}, true }

func (p *MDM) covs(x Data) ([]*mat.SymDense, error) { return x.covsFor(CovKey{p.Cov, p.Stack}) }

// Fit implements Pipeline.
func (p *MDM) Fit(x Data, y []int) error {
	c, err := p.covs(x)
	if err != nil {
		return err
	}
	return p.MDM.Fit(c, y)
}

// Predict implements Pipeline.
func (p *MDM) Predict(x Data) ([]int, error) {
	c, err := p.covs(x)
	if err != nil {
		return nil, err
	}
	return p.MDM.Predict(c)
}

// Score implements Pipeline: the probability of the larger class
// (pyRiemann's MDM has no decision function).
func (p *MDM) Score(x Data) ([]float64, error) {
	c, err := p.covs(x)
	if err != nil {
		return nil, err
	}
	pr, err := p.MDM.PredictProba(c)
	if err != nil {
		return nil, err
	}
	return lastColumn(pr)
}

// FgMDM is covariances → FgMDM.
type FgMDM struct {
	Cov   cov.Estimator `json:"cov"`
	FgMDM riemann.FgMDM `json:"fgmdm"`
}

// Input implements Pipeline.
func (p *FgMDM) Input() Input { return Trials }

// CovKey implements CovUser.
func (p *FgMDM) CovKey() (CovKey, bool) { return CovKey{Estimator: p.Cov}, true }

// Fit implements Pipeline.
func (p *FgMDM) Fit(x Data, y []int) error {
	c, err := x.covsFor(CovKey{Estimator: p.Cov})
	if err != nil {
		return err
	}
	return p.FgMDM.Fit(c, y)
}

// Predict implements Pipeline.
func (p *FgMDM) Predict(x Data) ([]int, error) {
	c, err := x.covsFor(CovKey{Estimator: p.Cov})
	if err != nil {
		return nil, err
	}
	return p.FgMDM.Predict(c)
}

// Score implements Pipeline: the probability of the larger class.
func (p *FgMDM) Score(x Data) ([]float64, error) {
	c, err := x.covsFor(CovKey{Estimator: p.Cov})
	if err != nil {
		return nil, err
	}
	pr, err := p.FgMDM.PredictProba(c)
	if err != nil {
		return nil, err
	}
	return lastColumn(pr)
}

// FBCSPSVM is filter-bank CSP → feature selection → linear SVM.
type FBCSPSVM struct {
	FB  csp.FilterBank `json:"fb"`
	SVM svm.SVC        `json:"svm"`
}

// Input implements Pipeline.
func (p *FBCSPSVM) Input() Input { return Bands }

// Fit implements Pipeline.
func (p *FBCSPSVM) Fit(x Data, y []int) error {
	// Keep all features when there are no more than K of them (sklearn's
	// SelectKBest would refuse k > n_features).
	if len(x.Bands) > 0 && len(x.Bands[0]) > 0 {
		nc := p.FB.CSP.NComponents
		if nc == 0 || nc > len(x.Bands[0][0]) {
			nc = len(x.Bands[0][0])
		}
		if p.FB.K >= len(x.Bands)*nc {
			p.FB.K = 0
		}
	}
	if err := p.FB.Fit(x.Bands, y); err != nil {
		return err
	}
	f, err := p.FB.Transform(x.Bands)
	if err != nil {
		return err
	}
	return p.SVM.Fit(f, y)
}

// Predict implements Pipeline.
func (p *FBCSPSVM) Predict(x Data) ([]int, error) {
	f, err := p.FB.Transform(x.Bands)
	if err != nil {
		return nil, err
	}
	return p.SVM.Predict(f)
}

// Score implements Pipeline.
func (p *FBCSPSVM) Score(x Data) ([]float64, error) {
	f, err := p.FB.Transform(x.Bands)
	if err != nil {
		return nil, err
	}
	return p.SVM.DecisionFunction(f)
}

func inputOf(stack bool) Input {
	if stack {
		return Bands
	}
	return Trials
}

// signal returns the trials a pipeline reads: Trials, or with stack the
// bands stacked as channels (band 0's channels first), sharing the
// samples.
func (d Data) signal(stack bool) ([][][]float64, error) {
	if !stack {
		return d.Trials, nil
	}
	if len(d.Bands) == 0 {
		return nil, fmt.Errorf("decode: the pipeline needs filter-bank trials (Bands), the input has none")
	}
	n := len(d.Bands[0])
	out := make([][][]float64, n)
	for i := range out {
		var rows [][]float64
		for b, band := range d.Bands {
			if len(band) != n {
				return nil, fmt.Errorf("decode: band %d has %d trials, band 0 has %d", b, len(band), n)
			}
			rows = append(rows, band[i]...)
		}
		out[i] = rows
	}
	return out, nil
}

func lastColumn(m *mat.Dense) ([]float64, error) {
	r, c := m.Dims()
	if c != 2 {
		return nil, fmt.Errorf("decode: a score needs two classes, the model has %d", c)
	}
	out := make([]float64, r)
	for i := range out {
		out[i] = m.At(i, c-1)
	}
	return out, nil
}

// CCA is the SSVEP canonical-correlation decoder (MOABB's SSVEP_CCA): it
// needs the stimulation frequency of each class and the sampling rate,
// given by Configure.
type CCA struct {
	CCA cca.CCA `json:"cca"`
}

// Input implements Pipeline.
func (p *CCA) Input() Input { return Trials }

// Configure implements Configurer: the classes' frequencies and the rate.
func (p *CCA) Configure(s Setup) error {
	if len(s.ClassFreqs) == 0 {
		return fmt.Errorf("decode: cca needs the stimulation frequency of each class (an SSVEP dataset)")
	}
	if s.SFreq <= 0 {
		return fmt.Errorf("decode: cca needs the sampling rate")
	}
	p.CCA.SFreq = s.SFreq
	p.CCA.Freqs = maps.Clone(s.ClassFreqs)
	return nil
}

// Fit implements Pipeline.
func (p *CCA) Fit(x Data, y []int) error { return p.CCA.Fit(x.Trials, y) }

// Predict implements Pipeline.
func (p *CCA) Predict(x Data) ([]int, error) { return p.CCA.Predict(x.Trials) }

// Score implements Pipeline: the correlation of the larger class minus
// that of the smaller (two frequency classes only).
func (p *CCA) Score(x Data) ([]float64, error) { return p.CCA.Score(x.Trials) }

// PredictScore implements PredictScorer: covariances and distances once.
func (p *MDM) PredictScore(x Data) ([]int, []float64, error) {
	c, err := p.covs(x)
	if err != nil {
		return nil, nil, err
	}
	pred, pr, err := p.MDM.PredictWithProba(c)
	if err != nil {
		return nil, nil, err
	}
	if _, k := pr.Dims(); k != 2 {
		return pred, nil, nil
	}
	s, err := lastColumn(pr)
	return pred, s, err
}

// PredictScore implements PredictScorer: features once.
func (p *TSClassifier) PredictScore(x Data) ([]int, []float64, error) {
	f, err := p.features(x)
	if err != nil {
		return nil, nil, err
	}
	pred, err := p.clf().Predict(f)
	if err != nil {
		return nil, nil, err
	}
	if !twoClasses(p.clf()) {
		return pred, nil, nil
	}
	s, err := p.clf().DecisionFunction(f)
	return pred, s, err
}

// PredictScore implements PredictScorer: CSP features once.
func (p *CSPLDA) PredictScore(x Data) ([]int, []float64, error) {
	f, err := p.CSP.Transform(x.Trials)
	if err != nil {
		return nil, nil, err
	}
	pred, err := p.LDA.Predict(f)
	if err != nil || len(p.LDA.Classes) != 2 {
		return pred, nil, err
	}
	s, err := p.LDA.DecisionFunction(f)
	return pred, s, err
}

// twoClasses reports whether the fitted classifier has two classes.
func twoClasses(c classifier) bool {
	switch m := c.(type) {
	case *logreg.LogReg:
		return len(m.Classes) == 2
	case *svm.SVC:
		return len(m.Classes) == 2
	}
	return false
}
