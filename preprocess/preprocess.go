package preprocess

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/resample"
)

// Method selects FIR (MNE's default) or IIR filtering.
type Method = dsp.Method

// The filtering methods, as MNE's method argument.
const (
	FIR = dsp.FIR
	IIR = dsp.IIR
)

// dataChannels returns the channels MNE's raw.filter and notch_filter
// work on by default: the data channels (EEG, MEG, sEEG, ECoG, ...), not
// stim, misc or EOG/ECG/EMG.
func dataChannels(r *raw.Raw) ([]int, error) {
	var idx []int
	for i, c := range r.Channels {
		if c.Type.IsData() {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("preprocess: the recording has no data channel (EEG, MEG, sEEG, ECoG) to filter")
	}
	return idx, nil
}

func rows(r *raw.Raw, idx []int) [][]float64 {
	x := make([][]float64, len(idx))
	for k, i := range idx {
		x[k] = r.Data[i]
	}
	return x
}

// checkFinite reports the first NaN or infinite sample of the given
// channels, naming channel and time, so bad samples are never filtered
// silently into a whole channel.
func checkFinite(r *raw.Raw, idx []int) error {
	for _, c := range idx {
		for i, v := range r.Data[c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("preprocess: channel %q has a non-finite sample (%v) at sample %d (%.3f s)", r.Channels[c].Name, v, i, float64(i)/r.SFreq)
			}
		}
	}
	return nil
}

// Filter filters the data channels of r in place as MNE's
// raw.filter(lFreq, hFreq, method=...) with all other arguments at their
// defaults. A frequency of 0 stands for MNE's None: lFreq 0 is a low-pass,
// hFreq 0 a high-pass, lFreq > hFreq a band-stop.
func Filter(r *raw.Raw, lFreq, hFreq float64, method Method) error {
	if err := checkEdges(r.SFreq, lFreq, hFreq); err != nil {
		return err
	}
	idx, err := dataChannels(r)
	if err != nil {
		return err
	}
	if err := checkFinite(r, idx); err != nil {
		return err
	}
	x := rows(r, idx)
	if _, err := dsp.FilterData(x, x, r.SFreq, lFreq, hFreq, method); err != nil {
		return fmt.Errorf("preprocess: filter: %w", err)
	}
	return nil
}

func checkEdges(sfreq, l, h float64) error {
	nyq := sfreq / 2
	for _, e := range []struct {
		name string
		v    float64
	}{{"l_freq", l}, {"h_freq", h}} {
		switch {
		case math.IsNaN(e.v) || math.IsInf(e.v, 0) || e.v < 0:
			return fmt.Errorf("preprocess: %s=%v: must be a finite frequency >= 0 (0 for none): %w", e.name, e.v, dsp.ErrParam)
		case e.v >= nyq:
			return fmt.Errorf("preprocess: %s=%v Hz: must be below the Nyquist frequency %v Hz: %w", e.name, e.v, nyq, dsp.ErrParam)
		}
	}
	if l == 0 && h == 0 {
		return fmt.Errorf("preprocess: filter: l_freq and h_freq are both none: nothing to do: %w", dsp.ErrParam)
	}
	if l > 0 && h > 0 && l == h {
		return fmt.Errorf("preprocess: l_freq=%v equals h_freq: %w", l, dsp.ErrParam)
	}
	return nil
}

// Notch removes line noise at freqs (Hz) from the data channels of r in
// place, as MNE's raw.notch_filter(freqs) with its defaults.
func Notch(r *raw.Raw, freqs []float64) error {
	if len(freqs) == 0 {
		return fmt.Errorf("preprocess: notch: no frequency given: %w", dsp.ErrParam)
	}
	for _, f := range freqs {
		if !(f > 0) || math.IsInf(f, 0) || f >= r.SFreq/2 {
			return fmt.Errorf("preprocess: notch frequency %v Hz: must be above 0 and below the Nyquist frequency %v Hz: %w", f, r.SFreq/2, dsp.ErrParam)
		}
	}
	idx, err := dataChannels(r)
	if err != nil {
		return err
	}
	if err := checkFinite(r, idx); err != nil {
		return err
	}
	x := rows(r, idx)
	if _, err := dsp.NotchFilter(x, x, r.SFreq, freqs); err != nil {
		return fmt.Errorf("preprocess: notch: %w", err)
	}
	return nil
}

// Resample changes the sampling rate of every channel of r to sfreq Hz as
// MNE's raw.resample(sfreq) with its defaults: FFT resampling (stim
// channels keep their values, MNE's stim handling), the first sample
// scaled and rounded, annotations unchanged in seconds.
func Resample(r *raw.Raw, sfreq float64) error {
	if math.IsNaN(sfreq) || math.IsInf(sfreq, 0) || sfreq <= 0 {
		return fmt.Errorf("preprocess: resample to %v Hz: the rate must be positive and finite: %w", sfreq, resample.ErrParam)
	}
	all := make([]int, len(r.Channels))
	var stim []int
	for i, c := range r.Channels {
		all[i] = i
		if c.Type == raw.Stim {
			stim = append(stim, i)
		}
	}
	if err := checkFinite(r, all); err != nil {
		return err
	}
	out, err := resample.Raw(r.Data, r.SFreq, sfreq, stim, resample.FFTDefaults())
	if err != nil {
		return fmt.Errorf("preprocess: resample: %w", err)
	}
	ratio := sfreq / r.SFreq
	r.Data = out
	r.FirstSample = int(math.RoundToEven(float64(r.FirstSample) * ratio))
	r.SFreq = sfreq
	if len(out) > 0 {
		r.NSamples = len(out[0])
	} else {
		r.NSamples = resample.Length(r.NSamples, sfreq, r.SFreq)
	}
	for i := range r.Channels {
		r.Channels[i].SFreq = sfreq
	}
	return nil
}

// FilterIIR filters the data channels of r in place with a Butterworth
// filter of the given order applied forward and backward, as MNE's
// raw.filter(lFreq, hFreq, method="iir", iir_params=dict(order=order,
// ftype="butter")). Order 4 is MNE's default and what Filter(..., IIR)
// uses.
func FilterIIR(r *raw.Raw, lFreq, hFreq float64, order int) error {
	if order < 1 || order > 64 {
		return fmt.Errorf("preprocess: IIR order %d: must be between 1 and 64: %w", order, dsp.ErrParam)
	}
	if order == 4 {
		return Filter(r, lFreq, hFreq, IIR)
	}
	if err := checkEdges(r.SFreq, lFreq, hFreq); err != nil {
		return err
	}
	// MNE's construct_iir_filter: edges normalised as f / (sfreq / 2).
	nyq := r.SFreq / 2
	var (
		wn    []float64
		btype dsp.BandType
	)
	switch {
	case lFreq == 0:
		wn, btype = []float64{hFreq / nyq}, dsp.Lowpass
	case hFreq == 0:
		wn, btype = []float64{lFreq / nyq}, dsp.Highpass
	case lFreq < hFreq:
		wn, btype = []float64{lFreq / nyq, hFreq / nyq}, dsp.Bandpass
	default:
		wn, btype = []float64{hFreq / nyq, lFreq / nyq}, dsp.Bandstop
	}
	// fs = 2 leaves normalised edges unchanged (SciPy computes 2*Wn/fs).
	sos, err := dsp.Butter(order, wn, btype, 2)
	if err != nil {
		return fmt.Errorf("preprocess: IIR design: %w", err)
	}
	pad, err := dsp.EstimateRingingSamples(sos)
	if err != nil {
		return fmt.Errorf("preprocess: IIR design: %w", err)
	}
	idx, err := dataChannels(r)
	if err != nil {
		return err
	}
	if err := checkFinite(r, idx); err != nil {
		return err
	}
	x := rows(r, idx)
	if _, err := dsp.SOSFiltFilt(x, x, sos, min(pad, r.NSamples-1)); err != nil {
		return fmt.Errorf("preprocess: filter: %w", err)
	}
	return nil
}
