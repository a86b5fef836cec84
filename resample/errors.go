package resample

import (
	"errors"
	"fmt"
	"math"
)

var (
	// ErrParam is wrapped by every error about a bad parameter: a factor,
	// a sampling frequency, a padding, a window.
	ErrParam = errors.New("resample: invalid parameter")
	// ErrNonFinite is wrapped when an input sample is NaN or infinite; the
	// error names the channel and the sample.
	ErrNonFinite = errors.New("resample: non-finite sample")
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

// commonLength returns the length shared by every channel of x.
func commonLength(x [][]float64) (int, error) {
	if len(x) == 0 {
		return 0, paramError("x", "no channels")
	}
	n := len(x[0])
	for ch, row := range x {
		if len(row) != n {
			return 0, paramError("x", "channel %d has %d samples, channel 0 has %d", ch, len(row), n)
		}
	}
	if n == 0 {
		return 0, paramError("x", "no samples")
	}
	return n, nil
}
