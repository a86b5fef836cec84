package dsp

import (
	"math/cmplx"

	"fmt"
	"github.com/bcikit/bcikit/dsp/internal/iir"
	"math"
	"sort"
	"strconv"
)

// The defaults of MNE-Python 1.3's FIR design (mne.filter): a Hamming
// window (length factor 3.3 periods of the narrowest transition band),
// the 'firwin' design and zero phase.
const (
	hammingLengthFactor = 3.3
	// maxFIRLength bounds designed FIR lengths so that a tiny transition
	// band cannot demand unbounded memory.
	maxFIRLength = 1 << 22
)

// Method selects how FilterData filters.
type Method int

// The filtering methods of FilterData, as MNE's method argument.
const (
	// FIR is MNE's default: a zero-phase windowed-sinc FIR filter applied
	// by FFT overlap-add with 'reflect_limited' edge padding.
	FIR Method = iota
	// IIR is MNE's method='iir' with its default iir_params: a 4th-order
	// Butterworth filter in second-order sections applied forward and
	// backward (sosfiltfilt) with padding from EstimateRingingSamples.
	IIR
)

// String returns MNE's name of the method.
func (m Method) String() string {
	switch m {
	case FIR:
		return "fir"
	case IIR:
		return "iir"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// autoTransition returns MNE's 'auto' transition bandwidths:
// min(max(0.25 f, 2), f) below and min(max(0.25 f, 2), nyq - f) above.
func autoLowTransition(f float64) float64 { return math.Min(math.Max(0.25*f, 2), f) }
func autoHighTransition(f, sfreq float64) float64 {
	return math.Min(math.Max(0.25*f, 2), sfreq/2-f)
}

// autoFilterLength returns MNE's filter_length='auto' for the narrowest
// transition band tb (Hz): ceil(3.3/tb seconds * sfreq) samples, made odd.
// MNE formats the duration as a string and parses it back; Go's shortest
// formatting round-trips the same way, so the float is unchanged.
func autoFilterLength(tb, sfreq float64) (int, error) {
	secs := hammingLengthFactor * 1.0 / tb
	s, _ := strconv.ParseFloat(strconv.FormatFloat(secs, 'g', -1, 64), 64)
	n := math.Ceil(s * sfreq)
	if !(n <= maxFIRLength) {
		return 0, fmt.Errorf("dsp: FIR filter length %v samples (transition band %v Hz) exceeds %d: %w", n, tb, maxFIRLength, ErrParam)
	}
	l := max(int(n), 1)
	l += (l - 1) % 2
	return l, nil
}

// checkFreqArg validates a cut-off argument where 0 means "none".
func checkFreqArg(name string, f float64) error {
	if !(f >= 0) || math.IsInf(f, 0) {
		return fmt.Errorf("dsp: %s = %v must be finite and >= 0 (0 for none): %w", name, f, ErrParam)
	}
	return nil
}

// CreateFilter designs MNE's default FIR filter as
// mne.filter.create_filter(data, sfreq, l_freq, h_freq) with all defaults
// (filter_length='auto', l_trans_bandwidth='auto', h_trans_bandwidth='auto',
// method='fir', phase='zero', fir_window='hamming', fir_design='firwin').
//
// lFreq is the high-pass edge and hFreq the low-pass edge in Hz; 0 stands
// for MNE's None. lFreq < hFreq gives a band-pass, lFreq > hFreq a
// band-stop between hFreq and lFreq. With both 0 the filter is [1].
func CreateFilter(sfreq, lFreq, hFreq float64) ([]float64, error) {
	if err := checkFs(sfreq); err != nil {
		return nil, fmt.Errorf("dsp: create_filter: %w", err)
	}
	if err := checkFreqArg("create_filter: l_freq", lFreq); err != nil {
		return nil, err
	}
	if err := checkFreqArg("create_filter: h_freq", hFreq); err != nil {
		return nil, err
	}
	nyq := sfreq / 2
	switch {
	case lFreq == 0 && hFreq == 0:
		return []float64{1}, nil
	case lFreq == 0: // low-pass
		if hFreq >= nyq {
			return nil, fmt.Errorf("dsp: create_filter: h_freq %v Hz must be below Nyquist %v Hz: %w", hFreq, nyq, ErrParam)
		}
		tb := autoHighTransition(hFreq, sfreq)
		stop := hFreq + tb
		n, err := autoFilterLength(tb, sfreq)
		if err != nil {
			return nil, err
		}
		freq, gain := []float64{0, hFreq, stop}, []float64{1, 1, 0}
		if stop != nyq {
			freq, gain = append(freq, nyq), append(gain, 0)
		}
		return constructFIR(sfreq, freq, gain, n)
	case hFreq == 0: // high-pass
		if lFreq >= nyq {
			return nil, fmt.Errorf("dsp: create_filter: l_freq %v Hz must be below Nyquist %v Hz: %w", lFreq, nyq, ErrParam)
		}
		tb := autoLowTransition(lFreq)
		stop := lFreq - tb
		n, err := autoFilterLength(tb, sfreq)
		if err != nil {
			return nil, err
		}
		freq, gain := []float64{stop, lFreq, nyq}, []float64{0, 1, 1}
		if stop != 0 {
			freq, gain = append([]float64{0}, freq...), append([]float64{0}, gain...)
		}
		return constructFIR(sfreq, freq, gain, n)
	case lFreq < hFreq: // band-pass
		if hFreq >= nyq {
			return nil, fmt.Errorf("dsp: create_filter: h_freq %v Hz must be below Nyquist %v Hz: %w", hFreq, nyq, ErrParam)
		}
		ltb, htb := autoLowTransition(lFreq), autoHighTransition(hFreq, sfreq)
		s1, s2 := lFreq-ltb, hFreq+htb
		n, err := autoFilterLength(math.Min(htb, ltb), sfreq)
		if err != nil {
			return nil, err
		}
		freq, gain := []float64{s1, lFreq, hFreq, s2}, []float64{0, 1, 1, 0}
		if s2 != nyq {
			freq, gain = append(freq, nyq), append(gain, 0)
		}
		if s1 != 0 {
			freq, gain = append([]float64{0}, freq...), append([]float64{0}, gain...)
		}
		return constructFIR(sfreq, freq, gain, n)
	default: // band-stop between hFreq and lFreq
		return bandStopFIR(sfreq, []float64{hFreq}, []float64{lFreq}, math.NaN(), math.NaN())
	}
}

// bandStopFIR designs MNE's band-stop FIR (create_filter's reverse branch
// of _triage_filter_params) with stop bands [lows[i], highs[i]]. lowTB is
// the transition bandwidth at the lower edge of every stop band (MNE's
// h_trans_bandwidth there), highTB at the upper edge (l_trans_bandwidth);
// NaN means 'auto'.
func bandStopFIR(sfreq float64, lows, highs []float64, lowTB, highTB float64) ([]float64, error) {
	nyq := sfreq / 2
	n := len(lows)
	var p1, s1, s2, p2 []float64
	minTB := math.Inf(1)
	for i := 0; i < n; i++ {
		lo, hi := lows[i], highs[i]
		if !(lo > 0) {
			return nil, fmt.Errorf("dsp: band-stop: lower edge %v Hz must be greater than zero: %w", lo, ErrParam)
		}
		if !(hi < nyq) {
			return nil, fmt.Errorf("dsp: band-stop: upper edge %v Hz must be below Nyquist %v Hz: %w", hi, nyq, ErrParam)
		}
		if !(lo < hi) {
			return nil, fmt.Errorf("dsp: band-stop: lower edge %v Hz must be below upper edge %v Hz: %w", lo, hi, ErrParam)
		}
		ltb, htb := lowTB, highTB
		if math.IsNaN(ltb) {
			ltb = autoLowTransition(lo)
		}
		if math.IsNaN(htb) {
			htb = autoHighTransition(hi, sfreq)
		}
		if !(ltb > 0) || !(htb > 0) {
			return nil, fmt.Errorf("dsp: band-stop: transition bandwidths %v and %v Hz must be positive: %w", ltb, htb, ErrParam)
		}
		// MNE computes the stop edge and then moves both back by the
		// transition bandwidth; the rounding of (lo - tb) + tb is kept.
		lStop := lo - ltb
		lStop += ltb
		lPass := lo + ltb
		if lStop < 0 {
			return nil, fmt.Errorf("dsp: band-stop: lower stop frequency %v Hz is negative: %w", lStop, ErrParam)
		}
		hStop := hi + htb
		hStop -= htb
		hPass := hi - htb
		if hStop > nyq {
			return nil, fmt.Errorf("dsp: band-stop: upper stop frequency %v Hz exceeds Nyquist %v Hz: %w", hStop, nyq, ErrParam)
		}
		p1, s1, s2, p2 = append(p1, lStop), append(s1, lPass), append(s2, hPass), append(p2, hStop)
		// MNE takes min(h_check, l_check) of the (scalar) bandwidths.
		minTB = math.Min(minTB, math.Min(htb, ltb))
	}
	length, err := autoFilterLength(minTB, sfreq)
	if err != nil {
		return nil, err
	}
	type edge struct{ f, g float64 }
	edges := make([]edge, 0, 4*n+2)
	for _, f := range p1 {
		edges = append(edges, edge{f, 1})
	}
	for _, f := range s1 {
		edges = append(edges, edge{f, 0})
	}
	for _, f := range s2 {
		edges = append(edges, edge{f, 0})
	}
	for _, f := range p2 {
		edges = append(edges, edge{f, 1})
	}
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].f < edges[j].f })
	if edges[0].f != 0 {
		edges = append([]edge{{0, 1}}, edges...)
	}
	if edges[len(edges)-1].f != nyq {
		edges = append(edges, edge{nyq, 1})
	}
	freq, gain := make([]float64, len(edges)), make([]float64, len(edges))
	for i, e := range edges {
		freq[i], gain[i] = e.f, e.g
	}
	for i := 0; i+2 < len(gain); i++ {
		if math.Abs(gain[i+2]-2*gain[i+1]+gain[i]) > 1 {
			return nil, fmt.Errorf("dsp: band-stop: stop bands are not sufficiently separated: %w", ErrParam)
		}
	}
	return constructFIR(sfreq, freq, gain, length)
}

// constructFIR is MNE's _construct_fir_filter for phase='zero' and
// fir_design='firwin': frequencies normalized to Nyquist, then
// _firwin_design.
func constructFIR(sfreq float64, freq, gain []float64, n int) ([]float64, error) {
	nf := make([]float64, len(freq))
	for i, f := range freq {
		nf[i] = f / (sfreq / 2)
	}
	if nf[0] != 0 || nf[len(nf)-1] != 1 {
		return nil, fmt.Errorf("dsp: FIR design: frequencies must run from 0 to Nyquist, got %v: %w", freq, ErrParam)
	}
	return firwinDesign(n, nf, gain, sfreq)
}

// firwinDesign is MNE's _firwin_design: starting from the gain at Nyquist,
// every change of gain adds or subtracts a Hamming-windowed low-pass
// (scipy firwin) centred in the transition band, each with the length the
// band needs (3.3 / (width/2) taps, made odd), centred in n taps.
func firwinDesign(n int, freq, gain []float64, sfreq float64) ([]float64, error) {
	h := make([]float64, n)
	last := len(freq) - 1
	prevFreq, prevGain := freq[last], gain[last]
	if prevGain == 1 {
		h[n/2] = 1
	}
	for i := last - 1; i >= 0; i-- {
		f, g := freq[i], gain[i]
		if g != prevGain {
			transition := (prevFreq - f) / 2
			v := math.RoundToEven(hammingLengthFactor / transition)
			if !(v <= float64(n)) {
				return nil, fmt.Errorf("dsp: FIR design: the filter length %d is too short for the %.2f Hz transition band: %w", n, transition*sfreq/2, ErrParam)
			}
			thisN := int(v)
			thisN += 1 - thisN%2
			if thisN > n {
				return nil, fmt.Errorf("dsp: FIR design: the filter length %d is too short for the %.2f Hz transition band, which requires %d samples: %w", n, transition*sfreq/2, thisN, ErrParam)
			}
			lp, err := FirWin(thisN, []float64{(prevFreq + f) / 2}, Window{Name: "hamming"}, true, 2)
			if err != nil {
				return nil, err
			}
			off := (n - thisN) / 2
			for k, v := range lp {
				if g == 0 {
					h[off+k] -= v
				} else {
					h[off+k] += v
				}
			}
		}
		prevGain, prevFreq = g, f
	}
	return h, nil
}

// EstimateRingingSamples returns the number of samples the impulse
// response of sos takes to decay below 0.1% of its peak, as
// mne.filter.estimate_ringing_samples (chunks of 1000 samples, at most
// 100000; the result keeps MNE's off-by-one-chunk arithmetic so that
// padding lengths agree).
func EstimateRingingSamples(sos SOS) (int, error) {
	if err := checkSOS(sos); err != nil {
		return 0, err
	}
	const perChunk, maxTry = 1000, 100000
	chunks := (maxTry + perChunk - 1) / perChunk
	zi := make([][2]float64, len(sos))
	x := make([]float64, perChunk)
	lastGood := perChunk
	thresh := 0.0
	for ii := 0; ii < chunks; ii++ {
		for i := range x {
			x[i] = 0
		}
		if ii == 0 {
			x[0] = 1
		}
		sosRun(sos, x, zi)
		peak := 0.0
		for i, v := range x {
			x[i] = math.Abs(v)
			peak = math.Max(peak, x[i])
		}
		thresh = math.Max(0.001*peak, thresh)
		idx := -1
		for i, v := range x {
			if v > thresh {
				idx = i
			}
		}
		if idx < 0 {
			return (ii-1)*perChunk + lastGood, nil
		}
		lastGood = idx
	}
	return perChunk * chunks, nil
}

// CreateIIRFilter designs the IIR filter of
// mne.filter.create_filter(data, sfreq, l_freq, h_freq, method='iir') with
// MNE's default iir_params (4th-order Butterworth, output='sos'): it
// returns the sections and the padding length MNE stores as
// iir_params['padlen'] (EstimateRingingSamples). Frequencies follow
// CreateFilter's conventions (0 for none; lFreq > hFreq is a band-stop).
func CreateIIRFilter(sfreq, lFreq, hFreq float64) (SOS, int, error) {
	const order = 4
	if err := checkFs(sfreq); err != nil {
		return nil, 0, fmt.Errorf("dsp: create_filter: %w", err)
	}
	if err := checkFreqArg("create_filter: l_freq", lFreq); err != nil {
		return nil, 0, err
	}
	if err := checkFreqArg("create_filter: h_freq", hFreq); err != nil {
		return nil, 0, err
	}
	var (
		fpass []float64
		btype BandType
	)
	switch {
	case lFreq == 0 && hFreq == 0:
		return SOS{{1, 0, 0, 1, 0, 0}}, 0, nil
	case lFreq == 0:
		fpass, btype = []float64{hFreq}, Lowpass
	case hFreq == 0:
		fpass, btype = []float64{lFreq}, Highpass
	case lFreq < hFreq:
		fpass, btype = []float64{lFreq, hFreq}, Bandpass
	default:
		fpass, btype = []float64{hFreq, lFreq}, Bandstop
	}
	wn := make([]float64, len(fpass))
	for i, f := range fpass {
		if !(f < sfreq/2) {
			return nil, 0, fmt.Errorf("dsp: create_filter: frequency %v Hz must be below Nyquist %v Hz: %w", f, sfreq/2, ErrParam)
		}
		wn[i] = f / (sfreq / 2) // MNE normalizes as f / (sfreq / 2)
	}
	if len(wn) == 2 && !(wn[0] < wn[1]) {
		return nil, 0, fmt.Errorf("dsp: create_filter: band edges %v Hz must differ: %w", fpass, ErrParam)
	}
	sos, err := designNormalized("butter", order, wn, btype, func() (iir.ZPK, error) {
		return iir.Butter(order), nil
	})
	if err != nil {
		return nil, 0, err
	}
	if err := checkStable(sos); err != nil {
		return nil, 0, err
	}
	pad, err := EstimateRingingSamples(sos)
	if err != nil {
		return nil, 0, err
	}
	return sos, pad, nil
}

// checkStable reports an error when a pole lies outside the unit circle, as
// MNE's _check_coefficients.
func checkStable(sos SOS) error {
	_, p, _ := sos.ZPK()
	for _, v := range p {
		if cmplx.Abs(v) > 1 {
			return fmt.Errorf("dsp: filter pole %v lies outside the unit circle, the filter is unstable: %w", v, ErrParam)
		}
	}
	return nil
}

// FilterData filters every channel of src as
// mne.filter.filter_data(data, sfreq, l_freq, h_freq, method=...) with all
// other arguments at their defaults, and returns the result in dst
// (allocated when nil; dst may be src).
//
// With FIR (MNE's default) the filter is CreateFilter's, applied by
// ApplyFIR. With IIR it is CreateIIRFilter's 4th-order Butterworth applied
// by SOSFiltFilt with padlen = min(EstimateRingingSamples, len(x)-1), as
// MNE's _filtfilt. Frequencies follow CreateFilter's conventions (0 for
// none). Channels are filtered in parallel; a NaN or infinite sample is an
// error (ErrNonFinite) naming its channel and sample.
func FilterData(dst, src [][]float64, sfreq, lFreq, hFreq float64, method Method) ([][]float64, error) {
	switch method {
	case FIR:
		h, err := CreateFilter(sfreq, lFreq, hFreq)
		if err != nil {
			return nil, err
		}
		return ApplyFIR(dst, src, h)
	case IIR:
		sos, pad, err := CreateIIRFilter(sfreq, lFreq, hFreq)
		if err != nil {
			return nil, err
		}
		return sosFiltFiltClamped(dst, src, sos, pad)
	}
	return nil, fmt.Errorf("dsp: filter_data: unknown method %v: %w", method, ErrParam)
}

// sosFiltFiltClamped runs the forward-backward filter with MNE's
// per-signal padding rule padlen = min(pad, len(x)-1) (mne.filter._filtfilt).
func sosFiltFiltClamped(dst, src [][]float64, sos SOS, pad int) ([][]float64, error) {
	dst = prepareDst(dst, src)
	if err := sosFiltFiltLanes(dst, src, sos, func(n int) int { return min(pad, n-1) }); err != nil {
		return nil, err
	}
	return dst, nil
}

// NotchFilter removes the line frequencies freqs (Hz) from every channel
// of src as mne.filter.notch_filter(x, Fs, freqs) with its defaults
// (method='fir', notch_widths=freqs/200, trans_bandwidth=1,
// filter_length='auto', phase='zero', fir_window='hamming'): one FIR
// band-stop filter with a stop band of freq ± (width/2 + 0.5) Hz per
// frequency, applied by ApplyFIR. The result goes to dst (allocated when
// nil; dst may be src).
func NotchFilter(dst, src [][]float64, fs float64, freqs []float64) ([][]float64, error) {
	if err := checkFs(fs); err != nil {
		return nil, fmt.Errorf("dsp: notch_filter: %w", err)
	}
	if len(freqs) == 0 {
		return nil, fmt.Errorf("dsp: notch_filter: no frequencies: %w", ErrParam)
	}
	const tb2 = 1.0 / 2.0 // trans_bandwidth / 2
	lows, highs := make([]float64, len(freqs)), make([]float64, len(freqs))
	for i, f := range freqs {
		if !(f > 0) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("dsp: notch_filter: frequency %v Hz must be positive and finite: %w", f, ErrParam)
		}
		nw := f / 200.0
		lows[i] = f - nw/2.0 - tb2
		highs[i] = f + nw/2.0 + tb2
		if lows[i] > fs/2 {
			return nil, fmt.Errorf("dsp: notch_filter: frequency %v Hz is above Nyquist %v Hz: %w", f, fs/2, ErrParam)
		}
	}
	h, err := bandStopFIR(fs, lows, highs, tb2, tb2)
	if err != nil {
		return nil, fmt.Errorf("dsp: notch_filter: %w", err)
	}
	return ApplyFIR(dst, src, h)
}
