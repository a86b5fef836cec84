package dsp

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/bcikit/bcikit/dsp/internal/iir"
)

// BandType is the kind of frequency band a filter passes.
type BandType int

// The band types of IIR and FIR designs.
const (
	Lowpass  BandType = iota // passes below one cut-off
	Highpass                 // passes above one cut-off
	Bandpass                 // passes between two cut-offs
	Bandstop                 // stops between two cut-offs
)

// String returns SciPy's name of the band type ("lowpass", ...).
func (b BandType) String() string {
	switch b {
	case Lowpass:
		return "lowpass"
	case Highpass:
		return "highpass"
	case Bandpass:
		return "bandpass"
	case Bandstop:
		return "bandstop"
	}
	return fmt.Sprintf("BandType(%d)", int(b))
}

// SOS is a digital filter as cascaded second-order sections, one row
// [b0, b1, b2, a0, a1, a2] per section, as SciPy's output='sos'.
type SOS [][6]float64

// maxOrder bounds IIR orders; higher orders are numerically meaningless and
// would only let a bad parameter allocate without limit.
const maxOrder = 200

// Butter designs a digital Butterworth filter of the given order, as
// scipy.signal.butter(order, freqs, btype, output='sos', fs=fs). freqs holds
// one cut-off in Hz for Lowpass and Highpass, two for Bandpass and
// Bandstop (the order is then doubled, as in SciPy).
func Butter(order int, freqs []float64, btype BandType, fs float64) (SOS, error) {
	return design("butter", order, freqs, btype, fs, func() (iir.ZPK, error) {
		return iir.Butter(order), nil
	})
}

// Cheby1 designs a digital Chebyshev type I filter with rp dB of
// pass-band ripple, as scipy.signal.cheby1(order, rp, freqs, btype,
// output='sos', fs=fs).
func Cheby1(order int, rp float64, freqs []float64, btype BandType, fs float64) (SOS, error) {
	if err := checkDB("cheby1", "rp", rp); err != nil {
		return nil, err
	}
	return design("cheby1", order, freqs, btype, fs, func() (iir.ZPK, error) {
		return iir.Cheby1(order, rp), nil
	})
}

// Cheby2 designs a digital Chebyshev type II filter with rs dB of
// stop-band attenuation, as scipy.signal.cheby2(order, rs, freqs, btype,
// output='sos', fs=fs).
func Cheby2(order int, rs float64, freqs []float64, btype BandType, fs float64) (SOS, error) {
	if err := checkDB("cheby2", "rs", rs); err != nil {
		return nil, err
	}
	return design("cheby2", order, freqs, btype, fs, func() (iir.ZPK, error) {
		return iir.Cheby2(order, rs), nil
	})
}

// Ellip designs a digital elliptic (Cauer) filter with rp dB of pass-band
// ripple and rs dB of stop-band attenuation, as scipy.signal.ellip(order,
// rp, rs, freqs, btype, output='sos', fs=fs). It requires rs > rp, without
// which no elliptic filter exists.
func Ellip(order int, rp, rs float64, freqs []float64, btype BandType, fs float64) (SOS, error) {
	if err := checkDB("ellip", "rp", rp); err != nil {
		return nil, err
	}
	if err := checkDB("ellip", "rs", rs); err != nil {
		return nil, err
	}
	if !(rs > rp) {
		return nil, fmt.Errorf("dsp: ellip: rs = %v dB must exceed rp = %v dB: %w", rs, rp, ErrParam)
	}
	return design("ellip", order, freqs, btype, fs, func() (iir.ZPK, error) {
		z, err := iir.Ellip(order, rp, rs)
		if err != nil {
			return z, fmt.Errorf("dsp: ellip: rp = %v, rs = %v: %v: %w", rp, rs, err, ErrParam)
		}
		return z, nil
	})
}

// checkDB validates a ripple or attenuation in dB.
func checkDB(name, field string, v float64) error {
	if !(v > 0) || math.IsInf(v, 0) {
		return fmt.Errorf("dsp: %s: %s = %v dB must be positive and finite: %w", name, field, v, ErrParam)
	}
	return nil
}

// design follows scipy.signal.iirfilter: validate, build the analog
// prototype, pre-warp, transform to the band, map with the bilinear
// transform and pair into second-order sections.
func design(name string, order int, freqs []float64, btype BandType, fs float64, proto func() (iir.ZPK, error)) (SOS, error) {
	if order <= 0 || order > maxOrder {
		return nil, fmt.Errorf("dsp: %s: order %d must lie in [1, %d]: %w", name, order, maxOrder, ErrParam)
	}
	if err := checkFs(fs); err != nil {
		return nil, fmt.Errorf("dsp: %s: %w", name, err)
	}
	wn, err := normFreqs(name, freqs, btype, fs)
	if err != nil {
		return nil, err
	}
	return designNormalized(name, order, wn, btype, proto)
}

// designNormalized designs from cut-offs wn given as fractions of Nyquist.
func designNormalized(name string, order int, wn []float64, btype BandType, proto func() (iir.ZPK, error)) (SOS, error) {
	f, err := proto()
	if err != nil {
		return nil, err
	}

	// Pre-warp for the bilinear transform at fs = 2.
	warped := make([]float64, len(wn))
	for i, w := range wn {
		warped[i] = 2 * 2 * math.Tan(math.Pi*w/2)
	}
	switch btype {
	case Lowpass:
		f = iir.LowToLow(f, warped[0])
	case Highpass:
		f = iir.LowToHigh(f, warped[0])
	case Bandpass:
		f = iir.LowToBand(f, math.Sqrt(warped[0]*warped[1]), warped[1]-warped[0])
	case Bandstop:
		f = iir.LowToStop(f, math.Sqrt(warped[0]*warped[1]), warped[1]-warped[0])
	}
	f = iir.Bilinear(f, 2)
	sos, err := iir.ToSOS(f)
	if err != nil {
		return nil, fmt.Errorf("dsp: %s: %v: %w", name, err, ErrParam)
	}
	for _, s := range sos {
		for _, v := range s {
			if v-v != 0 {
				// SciPy returns NaN here: the gain of a very high order
				// overflows or underflows.
				return nil, fmt.Errorf("dsp: %s: order %d gives non-finite coefficients (gain overflow): %w", name, order, ErrParam)
			}
		}
	}
	return SOS(sos), nil
}

// normFreqs checks the cut-offs of a band type and returns them as
// fractions of the Nyquist frequency.
func normFreqs(name string, freqs []float64, btype BandType, fs float64) ([]float64, error) {
	want := 1
	switch btype {
	case Lowpass, Highpass:
	case Bandpass, Bandstop:
		want = 2
	default:
		return nil, fmt.Errorf("dsp: %s: unknown band type %v: %w", name, btype, ErrParam)
	}
	if len(freqs) != want {
		return nil, fmt.Errorf("dsp: %s: a %v filter needs %d cut-off frequencies, got %d: %w", name, btype, want, len(freqs), ErrParam)
	}
	wn := make([]float64, want)
	for i, f := range freqs {
		if !(f > 0 && f < fs/2) {
			return nil, fmt.Errorf("dsp: %s: cut-off frequency %v Hz must lie strictly between 0 and fs/2 = %v Hz: %w", name, f, fs/2, ErrParam)
		}
		wn[i] = 2 * f / fs
	}
	if want == 2 && !(freqs[0] < freqs[1]) {
		return nil, fmt.Errorf("dsp: %s: low cut-off %v Hz must be below high cut-off %v Hz: %w", name, freqs[0], freqs[1], ErrParam)
	}
	return wn, nil
}

// IIRNotch designs a second-order notch filter removing w0 Hz with quality
// factor Q (bandwidth w0/Q at -3 dB), as scipy.signal.iirnotch(w0, Q, fs).
// It returns the numerator b and denominator a.
func IIRNotch(w0, Q, fs float64) (b, a []float64, err error) {
	if err := checkFs(fs); err != nil {
		return nil, nil, fmt.Errorf("dsp: iirnotch: %w", err)
	}
	if !(w0 > 0 && w0 < fs/2) {
		return nil, nil, fmt.Errorf("dsp: iirnotch: w0 = %v Hz must lie strictly between 0 and fs/2 = %v Hz: %w", w0, fs/2, ErrParam)
	}
	if !(Q > 0) || math.IsInf(Q, 0) {
		return nil, nil, fmt.Errorf("dsp: iirnotch: quality factor Q = %v must be positive and finite: %w", Q, ErrParam)
	}
	w := 2 * w0 / fs
	bw := w / Q * math.Pi
	w *= math.Pi
	gb := 1 / math.Sqrt(2)
	beta := (math.Sqrt(1-gb*gb) / gb) * math.Tan(bw/2)
	gain := 1 / (1 + beta)
	b = []float64{gain, gain * (-2 * math.Cos(w)), gain}
	a = []float64{1, -2 * gain * math.Cos(w), 2*gain - 1}
	return b, a, nil
}

// TF returns the filter as one transfer function, numerator b and
// denominator a (highest power of z^-1 last), as scipy.signal.sos2tf.
func (s SOS) TF() (b, a []float64) {
	b, a = []float64{1}, []float64{1}
	for _, sec := range s {
		b = polyMul(b, sec[:3])
		a = polyMul(a, sec[3:])
	}
	return b, a
}

// polyMul returns the product of two polynomials (coefficient convolution).
func polyMul(x, y []float64) []float64 {
	out := make([]float64, len(x)+len(y)-1)
	for i, u := range x {
		for j, v := range y {
			out[i+j] += u * v
		}
	}
	return out
}

// ZPK returns the zeros, poles and gain of the filter, two zeros and two
// poles per section as scipy.signal.sos2zpk (a first-order section has a
// zero and a pole at the origin).
func (s SOS) ZPK() (z, p []complex128, k float64) {
	k = 1
	for _, sec := range s {
		zs, kb := quadRoots(sec[0], sec[1], sec[2])
		ps, ka := quadRoots(sec[3], sec[4], sec[5])
		z, p = append(z, zs[:]...), append(p, ps[:]...)
		k *= kb / ka
	}
	return z, p, k
}

// quadRoots returns the roots of c0 x^2 + c1 x + c2 (padded with zeros at
// the origin when leading coefficients vanish) and the leading non-zero
// coefficient.
func quadRoots(c0, c1, c2 float64) ([2]complex128, float64) {
	switch {
	case c0 != 0:
		d := complex(c1*c1-4*c0*c2, 0)
		r := cmplx.Sqrt(d)
		// Avoid cancellation: q = -(c1 + sign(c1) sqrt(d)) / 2.
		var q complex128
		if c1 >= 0 {
			q = -(complex(c1, 0) + r) / 2
		} else {
			q = -(complex(c1, 0) - r) / 2
		}
		if q == 0 {
			return [2]complex128{0, 0}, c0
		}
		return [2]complex128{q / complex(c0, 0), complex(c2, 0) / q}, c0
	case c1 != 0:
		return [2]complex128{complex(-c2/c1, 0), 0}, c1
	default:
		return [2]complex128{0, 0}, c2
	}
}
