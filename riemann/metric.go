package riemann

import (
	"errors"
	"fmt"
)

var (
	// ErrShape is wrapped when matrices are missing, of different sizes,
	// or do not match what an estimator was fitted on; the error names the
	// expected and the actual size.
	ErrShape = errors.New("riemann: shape mismatch")
	// ErrNonFinite is wrapped when an input matrix holds NaN or ±Inf.
	ErrNonFinite = errors.New("riemann: non-finite value")
	// ErrNotSPD is wrapped when a matrix that must be symmetric positive
	// definite is not (a zero or negative eigenvalue, or a failed Cholesky
	// factorisation).
	ErrNotSPD = errors.New("riemann: matrix not positive definite")
	// ErrParam is wrapped by errors about a bad parameter: a metric name,
	// weights, labels, tolerances.
	ErrParam = errors.New("riemann: invalid parameter")
	// ErrClasses is wrapped when training labels hold fewer than two
	// classes.
	ErrClasses = errors.New("riemann: need at least two classes")
	// ErrNotFitted is wrapped when an estimator is used before Fit (or
	// after unmarshalling an incomplete model).
	ErrNotFitted = errors.New("riemann: estimator not fitted")
)

// Metric selects a geometry on symmetric positive definite matrices: how
// Mean averages them and how Metric.Distance measures them. The zero value
// is AffineInvariant. A Metric marshals to and from pyRiemann's name for it.
type Metric uint8

const (
	// AffineInvariant is the affine-invariant Riemannian metric
	// (pyRiemann 'riemann'): d(A, B) = ‖log(B^-1/2 A B^-1/2)‖_F, mean by
	// pyRiemann's mean_riemann gradient descent.
	AffineInvariant Metric = iota
	// LogEuclidean is the log-Euclidean metric (pyRiemann 'logeuclid'):
	// d(A, B) = ‖log A − log B‖_F, mean exp(Σ wᵢ log Cᵢ).
	LogEuclidean
	// Euclidean is the Frobenius metric (pyRiemann 'euclid'):
	// d(A, B) = ‖A − B‖_F, mean Σ wᵢ Cᵢ.
	Euclidean
	// Harmonic is the harmonic metric (pyRiemann 'harmonic'):
	// d(A, B) = ‖A⁻¹ − B⁻¹‖_F, mean (Σ wᵢ Cᵢ⁻¹)⁻¹.
	Harmonic
	// LogDet is the log-determinant (Stein) metric (pyRiemann 'logdet'):
	// d(A, B)² = log det((A+B)/2) − ½ log det(AB), mean by pyRiemann's
	// mean_logdet fixed-point iteration.
	LogDet
	numMetrics
)

var metricNames = [numMetrics]string{
	AffineInvariant: "riemann",
	LogEuclidean:    "logeuclid",
	Euclidean:       "euclid",
	Harmonic:        "harmonic",
	LogDet:          "logdet",
}

// String returns pyRiemann's name of the metric.
func (m Metric) String() string {
	if m < numMetrics {
		return metricNames[m]
	}
	return fmt.Sprintf("riemann.Metric(%d)", m)
}

// ParseMetric returns the metric pyRiemann calls s: "riemann",
// "logeuclid", "euclid", "harmonic" or "logdet".
func ParseMetric(s string) (Metric, error) {
	for m, name := range metricNames {
		if s == name {
			return Metric(m), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown metric %q (want riemann, logeuclid, euclid, harmonic or logdet)", ErrParam, s)
}

// MarshalText implements encoding.TextMarshaler.
func (m Metric) MarshalText() ([]byte, error) {
	if m >= numMetrics {
		return nil, fmt.Errorf("%w: %v", ErrParam, m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Metric) UnmarshalText(b []byte) error {
	v, err := ParseMetric(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

func (m Metric) check() error {
	if m >= numMetrics {
		return fmt.Errorf("%w: %v", ErrParam, m)
	}
	return nil
}
