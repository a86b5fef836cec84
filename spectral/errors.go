package spectral

import (
	"errors"
	"fmt"
	"math"
)

var (
	// ErrParam is wrapped by every error about a bad parameter: a sampling
	// frequency, a segment length, an overlap, a band, a window.
	ErrParam = errors.New("spectral: invalid parameter")
	// ErrNonFinite is wrapped when an input sample is NaN or infinite; the
	// error names the channel and the sample.
	ErrNonFinite = errors.New("spectral: non-finite sample")
)

// paramError returns an error wrapping ErrParam that names the parameter.
func paramError(name string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrParam, name, fmt.Sprintf(format, args...))
}

// checkFinite reports the first NaN or infinite sample of x, naming its
// channel and index.
func checkFinite(x [][]float64) error {
	for ch, row := range x {
		for i, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: channel %d sample %d is %v", ErrNonFinite, ch, i, v)
			}
		}
	}
	return nil
}

// checkFS reports a sampling frequency that is not finite and positive.
func checkFS(name string, fs float64) error {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return paramError(name, "must be finite and > 0, got %v", fs)
	}
	return nil
}
