package cov

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

var (
	// ErrEstimator is wrapped by errors about an unknown estimator name or
	// an invalid shrinkage coefficient.
	ErrEstimator = errors.New("cov: invalid estimator")
	// ErrShape is wrapped when trials are empty, ragged, or too short for
	// the estimator; the error names the trial and the sizes.
	ErrShape = errors.New("cov: bad trial shape")
	// ErrNonFinite is wrapped when a sample is NaN or infinite; the error
	// names the trial, channel and sample.
	ErrNonFinite = errors.New("cov: non-finite sample")
	// ErrDegenerate is wrapped when an estimator that divides by channel
	// standard deviations (Corr, SCH) meets a channel of zero variance.
	ErrDegenerate = errors.New("cov: zero-variance channel")
	// ErrParam is wrapped by errors about a bad Augment parameter.
	ErrParam = errors.New("cov: invalid parameter")
)

type kind uint8

const (
	kindSCM kind = iota
	kindCov
	kindLWF
	kindOAS
	kindSCH
	kindCorr
	kindShrunk
)

var kindNames = [...]string{
	kindSCM:  "scm",
	kindCov:  "cov",
	kindLWF:  "lwf",
	kindOAS:  "oas",
	kindSCH:  "sch",
	kindCorr: "corr",
}

// Estimator selects how a trial's covariance matrix is estimated. The zero
// value is SCM. An Estimator marshals to and from its name ("scm", "cov",
// "lwf", "oas", "sch", "corr", "shrunk(0.1)"), so fitted pipelines can
// store it as JSON.
type Estimator struct {
	kind      kind
	shrinkage float64
}

var (
	// SCM is the sample covariance matrix of the centred trial, divided by
	// n_times: pyRiemann's 'scm', sklearn.covariance.empirical_covariance.
	SCM = Estimator{kind: kindSCM}
	// Cov is the unbiased sample covariance, divided by n_times-1:
	// pyRiemann's 'cov', numpy.cov. Needs at least two samples.
	Cov = Estimator{kind: kindCov}
	// LWF is the Ledoit-Wolf shrunk covariance:
	// sklearn.covariance.ledoit_wolf (pyRiemann 'lwf').
	LWF = Estimator{kind: kindLWF}
	// OAS is the oracle approximating shrinkage covariance:
	// sklearn.covariance.oas as of scikit-learn 1.2 (pyRiemann 'oas').
	OAS = Estimator{kind: kindOAS}
	// SCH is the Schäfer-Strimmer shrinkage of the unbiased covariance
	// towards its diagonal (pyRiemann 'sch'). Needs at least two samples
	// and no zero-variance channel.
	SCH = Estimator{kind: kindSCH}
	// Corr is the matrix of correlation coefficients, numpy.corrcoef
	// (pyRiemann 'corr'). Needs at least two samples and no zero-variance
	// channel.
	Corr = Estimator{kind: kindCorr}
)

// Shrunk returns the estimator (1-alpha)·S + alpha·mu·I, where S is the SCM
// and mu = trace(S)/n_channels: sklearn.covariance.shrunk_covariance
// applied to empirical_covariance. Estimate reports an error wrapping
// ErrEstimator unless 0 ≤ alpha ≤ 1.
func Shrunk(alpha float64) Estimator {
	return Estimator{kind: kindShrunk, shrinkage: alpha}
}

// String returns the estimator's name as ParseEstimator reads it.
func (e Estimator) String() string {
	if e.kind == kindShrunk {
		return "shrunk(" + strconv.FormatFloat(e.shrinkage, 'g', -1, 64) + ")"
	}
	if int(e.kind) < len(kindNames) {
		return kindNames[e.kind]
	}
	return fmt.Sprintf("cov.Estimator(%d)", e.kind)
}

// ParseEstimator returns the estimator named s: one of pyRiemann's names
// "scm", "cov", "lwf", "oas", "sch", "corr", or "shrunk(alpha)" with
// 0 ≤ alpha ≤ 1.
func ParseEstimator(s string) (Estimator, error) {
	for k, name := range kindNames {
		if s == name {
			return Estimator{kind: kind(k)}, nil
		}
	}
	if arg, ok := strings.CutPrefix(s, "shrunk("); ok {
		if arg, ok = strings.CutSuffix(arg, ")"); ok {
			a, err := strconv.ParseFloat(arg, 64)
			if err != nil {
				return Estimator{}, fmt.Errorf("%w: %q: %v", ErrEstimator, s, err)
			}
			e := Shrunk(a)
			return e, e.check()
		}
	}
	return Estimator{}, fmt.Errorf("%w: %q (want scm, cov, lwf, oas, sch, corr or shrunk(alpha))", ErrEstimator, s)
}

// MarshalText implements encoding.TextMarshaler.
func (e Estimator) MarshalText() ([]byte, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	return []byte(e.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Estimator) UnmarshalText(b []byte) error {
	v, err := ParseEstimator(string(b))
	if err != nil {
		return err
	}
	*e = v
	return nil
}

func (e Estimator) check() error {
	switch {
	case e.kind > kindShrunk:
		return fmt.Errorf("%w: %v", ErrEstimator, e)
	case e.kind == kindShrunk && !(e.shrinkage >= 0 && e.shrinkage <= 1):
		return fmt.Errorf("%w: shrinkage %v outside [0, 1]", ErrEstimator, e.shrinkage)
	}
	return nil
}

// minTimes is the fewest samples per trial the estimator accepts.
func (e Estimator) minTimes() int {
	switch e.kind {
	case kindCov, kindSCH, kindCorr:
		return 2
	}
	return 1
}

// pyMin and pyMax are Python's built-in min(a, b) and max(a, b) on floats:
// the first argument wins unless the second compares strictly smaller
// (larger), so a NaN second argument yields the first.
func pyMin(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}

func pyMax(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}
