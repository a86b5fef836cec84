package dsp

import (
	"fmt"
	"math"
)

// FirWin designs a linear-phase FIR filter as scipy.signal.firwin(numtaps,
// cutoff, window=..., pass_zero=passZero, fs=fs) (scale=True).
//
// cutoff holds the band edges in Hz, strictly increasing inside (0, fs/2).
// With passZero the first band [0, cutoff[0]] passes (low-pass, band-stop);
// without it, it is stopped (high-pass, band-pass). A filter passing the
// Nyquist frequency needs an odd numtaps. The result is scaled to unit gain
// at DC, at Nyquist, or at the centre of the first pass band.
func FirWin(numtaps int, cutoff []float64, w Window, passZero bool, fs float64) ([]float64, error) {
	if numtaps <= 0 {
		return nil, fmt.Errorf("dsp: firwin: numtaps %d must be positive: %w", numtaps, ErrParam)
	}
	if err := checkFs(fs); err != nil {
		return nil, fmt.Errorf("dsp: firwin: %w", err)
	}
	if len(cutoff) == 0 {
		return nil, fmt.Errorf("dsp: firwin: cutoff: at least one frequency is needed: %w", ErrParam)
	}
	nyq := 0.5 * fs
	edges := make([]float64, 0, len(cutoff)+2)
	if passZero {
		edges = append(edges, 0)
	}
	for i, c := range cutoff {
		if !(c > 0 && c < nyq) {
			return nil, fmt.Errorf("dsp: firwin: cutoff[%d] = %v must lie strictly between 0 and fs/2 = %v: %w", i, c, nyq, ErrParam)
		}
		if i > 0 && c <= cutoff[i-1] {
			return nil, fmt.Errorf("dsp: firwin: cutoff %v must be strictly increasing: %w", cutoff, ErrParam)
		}
		edges = append(edges, c/nyq)
	}
	passNyquist := (len(cutoff)%2 == 1) != passZero
	if passNyquist {
		if numtaps%2 == 0 {
			return nil, fmt.Errorf("dsp: firwin: numtaps %d is even but the filter passes the Nyquist frequency: %w", numtaps, ErrParam)
		}
		edges = append(edges, 1)
	}

	h := make([]float64, numtaps)
	if err := symmetricWindow(h, w); err != nil {
		return nil, fmt.Errorf("dsp: firwin: %w", err)
	}
	alpha := 0.5 * float64(numtaps-1)
	for i := range h {
		m := float64(i) - alpha
		var v float64
		for b := 0; b < len(edges); b += 2 {
			left, right := edges[b], edges[b+1]
			v += right * sinc(right*m)
			v -= left * sinc(left*m)
		}
		h[i] *= v
	}

	// Scale to unit gain at the reference frequency of the first pass band.
	left, right := edges[0], edges[1]
	var f float64
	switch {
	case left == 0:
		f = 0
	case right == 1:
		f = 1
	default:
		f = 0.5 * (left + right)
	}
	c := make([]float64, numtaps)
	for i := range c {
		c[i] = h[i] * math.Cos(math.Pi*(float64(i)-alpha)*f)
	}
	s := pairwiseSum(c)
	for i := range h {
		h[i] /= s
	}
	return h, nil
}

// sinc is the normalized sinc sin(pi x)/(pi x), evaluated as numpy.sinc.
func sinc(x float64) float64 {
	if x == 0 {
		x = 1e-20
	}
	y := math.Pi * x
	return math.Sin(y) / y
}

// checkFs reports whether fs is a usable sampling frequency.
func checkFs(fs float64) error {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return fmt.Errorf("sampling frequency fs = %v must be positive and finite: %w", fs, ErrParam)
	}
	return nil
}

// pairwiseSum adds x the way numpy.sum does for a contiguous float64
// array (pairwise summation over blocks of 128 with eight partial sums),
// so that normalizations reproduce NumPy's rounding.
func pairwiseSum(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		var s float64
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += x[i+k]
			}
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += x[i]
		}
		return s
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum(x[:n2]) + pairwiseSum(x[n2:])
	}
}
