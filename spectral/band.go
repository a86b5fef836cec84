package spectral

import "math"

// PSD is a power spectrum of several channels: Power[ch][k] is the power
// of channel ch at frequency Freqs[k] (Hz).
type PSD struct {
	Freqs []float64
	Power [][]float64
}

// BandRule is how BandPower reduces the bins of a band to one number.
type BandRule int

const (
	// Trapezoid integrates the spectrum over the bins f with
	// fmin <= f <= fmax by the trapezoidal rule, as
	// scipy.integrate.trapezoid(psd[mask], freqs[mask]): the absolute
	// band power (units² for a density). The integral runs from the first
	// to the last bin inside the band, not from fmin to fmax exactly; a
	// band with fewer than two bins has power 0.
	Trapezoid BandRule = iota
	// MeanBins is the mean of the spectrum over the bins with
	// fmin <= f <= fmax (the default reduction of MNE's band topomaps,
	// psd[..., mask].mean(-1)): a mean density, not an integral. A band
	// with no bin is an error.
	MeanBins
)

// BandPower reduces the spectrum psd, sampled at the increasing
// frequencies freqs, over the band [fmin, fmax] with the given rule.
func BandPower(psd, freqs []float64, fmin, fmax float64, rule BandRule) (float64, error) {
	if len(psd) != len(freqs) {
		panic("spectral: len(psd) != len(freqs)")
	}
	lo, hi, err := bandBins(freqs, fmin, fmax)
	if err != nil {
		return 0, err
	}
	switch rule {
	case Trapezoid:
		s := 0.0
		for k := lo + 1; k < hi; k++ {
			s += (freqs[k] - freqs[k-1]) * (psd[k] + psd[k-1]) / 2
		}
		return s, nil
	case MeanBins:
		if hi == lo {
			return 0, paramError("band", "no frequency bin between fmin=%v and fmax=%v", fmin, fmax)
		}
		s := 0.0
		for _, v := range psd[lo:hi] {
			s += v
		}
		return s / float64(hi-lo), nil
	}
	return 0, paramError("rule", "unknown band rule %d", rule)
}

// BandPower returns the band power of every channel of p over [fmin,
// fmax] (see the package function BandPower).
func (p *PSD) BandPower(fmin, fmax float64, rule BandRule) ([]float64, error) {
	out := make([]float64, len(p.Power))
	for ch, row := range p.Power {
		v, err := BandPower(row, p.Freqs, fmin, fmax, rule)
		if err != nil {
			return nil, err
		}
		out[ch] = v
	}
	return out, nil
}

// bandBins returns the half-open range of the bins in [fmin, fmax]; freqs
// is increasing, so the mask fmin <= f <= fmax is one contiguous run.
func bandBins(freqs []float64, fmin, fmax float64) (lo, hi int, err error) {
	if math.IsNaN(fmin) || math.IsInf(fmin, 0) {
		return 0, 0, paramError("fmin", "must be finite, got %v", fmin)
	}
	if math.IsNaN(fmax) {
		return 0, 0, paramError("fmax", "must not be NaN")
	}
	if fmin > fmax {
		return 0, 0, paramError("fmin", "%v is above fmax %v", fmin, fmax)
	}
	lo = len(freqs)
	for k, f := range freqs {
		if f >= fmin {
			lo = k
			break
		}
	}
	hi = lo
	for hi < len(freqs) && freqs[hi] <= fmax {
		hi++
	}
	return lo, hi, nil
}
