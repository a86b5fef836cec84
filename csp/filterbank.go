package csp

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// FilterBank is filter-bank CSP (FBCSP) as MOABB's FBCSP pipelines build
// it: one CSP per frequency band, fitted on that band's trials, with the
// features of all bands concatenated band by band (MOABB's FilterBank
// transformer), optionally followed by the selection of the K most
// informative features, sklearn's SelectKBest(mutual_info_classif, k=K).
//
// The band-pass filtering is the caller's: Fit and Transform take the
// trials already filtered, indexed [band][trial][channel][time].
type FilterBank struct {
	// CSP is the configuration every band's CSP starts from (its fitted
	// fields are ignored).
	CSP CSP `json:"csp"`
	// K is the number of features kept by mutual-information selection;
	// 0 keeps all of them.
	K int `json:"k,omitempty"`

	// Bands are the fitted CSPs, one per band.
	Bands []CSP `json:"bands,omitempty"`
	// Scores are the mutual information of every concatenated training
	// feature with the class (only when K > 0).
	Scores []float64 `json:"scores,omitempty"`
	// Selected are the indices of the kept features in the concatenation,
	// increasing (only when K > 0).
	Selected []int `json:"selected,omitempty"`
}

// Fit fits one CSP per band and, when K > 0, scores the concatenated
// training features by mutual information with y and keeps the K best.
func (fb *FilterBank) Fit(bands [][][][]float64, y []int) error {
	if len(bands) == 0 {
		return fmt.Errorf("csp: filter bank: no bands: %w", ErrShape)
	}
	if fb.K < 0 {
		return fmt.Errorf("csp: filter bank: k %d: %w", fb.K, ErrParam)
	}
	models := make([]CSP, len(bands))
	for b, trials := range bands {
		if len(trials) != len(bands[0]) {
			return fmt.Errorf("csp: filter bank: band %d has %d trials, band 0 has %d: %w", b, len(trials), len(bands[0]), ErrShape)
		}
		m := fb.CSP
		m.Classes, m.Filters, m.Patterns, m.Mean, m.Std = nil, nil, nil, nil, nil
		if err := m.Fit(trials, y); err != nil {
			return fmt.Errorf("%w (band %d)", err, b)
		}
		models[b] = m
	}
	fb.Bands, fb.Scores, fb.Selected = models, nil, nil
	if fb.K == 0 {
		return nil
	}
	x, err := fb.concat(bands)
	if err != nil {
		return err
	}
	r, nf := x.Dims()
	if fb.K > nf {
		fb.Bands = nil
		return fmt.Errorf("csp: filter bank: k %d > %d features: %w", fb.K, nf, ErrParam)
	}
	rows := make([][]float64, r)
	for i := range rows {
		rows[i] = x.RawRowView(i)
	}
	fb.Scores = MutualInfoClassif(rows, y)
	fb.Selected = selectKBest(fb.Scores, fb.K)
	return nil
}

// concat returns the features of every band side by side.
func (fb *FilterBank) concat(bands [][][][]float64) (*mat.Dense, error) {
	if len(fb.Bands) == 0 {
		return nil, ErrNotFitted
	}
	if len(bands) != len(fb.Bands) {
		return nil, fmt.Errorf("csp: filter bank: %d bands, fitted with %d: %w", len(bands), len(fb.Bands), ErrShape)
	}
	parts := make([]*mat.Dense, len(bands))
	cols := 0
	for b := range bands {
		if len(bands[b]) != len(bands[0]) {
			return nil, fmt.Errorf("csp: filter bank: band %d has %d trials, band 0 has %d: %w", b, len(bands[b]), len(bands[0]), ErrShape)
		}
		x, err := fb.Bands[b].Transform(bands[b])
		if err != nil {
			return nil, fmt.Errorf("%w (band %d)", err, b)
		}
		parts[b] = x
		_, c := x.Dims()
		cols += c
	}
	out := mat.NewDense(len(bands[0]), cols, nil)
	off := 0
	for _, p := range parts {
		_, c := p.Dims()
		out.Slice(0, len(bands[0]), off, off+c).(*mat.Dense).Copy(p)
		off += c
	}
	return out, nil
}

// Transform returns the features of trials indexed [band][trial][channel]
// [time]: every band's CSP features side by side, reduced to the selected
// columns when K > 0.
func (fb *FilterBank) Transform(bands [][][][]float64) (*mat.Dense, error) {
	x, err := fb.concat(bands)
	if err != nil {
		return nil, err
	}
	if len(fb.Selected) == 0 {
		return x, nil
	}
	r, nf := x.Dims()
	out := mat.NewDense(r, len(fb.Selected), nil)
	for j, f := range fb.Selected {
		if f < 0 || f >= nf {
			return nil, fmt.Errorf("csp: filter bank: selected feature %d of %d: %w", f, nf, ErrShape)
		}
		for i := 0; i < r; i++ {
			out.Set(i, j, x.At(i, f))
		}
	}
	return out, nil
}
