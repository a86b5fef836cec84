package online

import (
	"errors"
	"fmt"
	"math"

	"github.com/bcikit/bcikit/dsp"
)

// ErrNonFinite is returned when a chunk holds a NaN or infinite sample.
var ErrNonFinite = errors.New("online: non-finite sample")

// Filter applies second-order sections causally to a multichannel stream,
// chunk by chunk, carrying each channel's state: the output equals
// dsp.SOSFilt of the concatenated signal with the initial state
// dsp.SOSFiltZi(sos) scaled by the channel's first sample (SciPy's
// sosfilt(sos, x, zi=sosfilt_zi(sos)*x[0])), bit for bit, whatever the chunk
// sizes. Process allocates nothing. A Filter is not safe for concurrent use.
type Filter struct {
	sos     dsp.SOS
	zi0     [][2]float64   // sosfilt_zi
	zi      [][][2]float64 // [channel][section]
	started bool
	total   int64
}

// NewFilter returns a causal filter of the sections sos for a stream of the
// given number of channels. Invalid sections are an error wrapping
// dsp.ErrParam.
func NewFilter(sos dsp.SOS, channels int) (*Filter, error) {
	if channels <= 0 {
		return nil, fmt.Errorf("%w: %d channels", dsp.ErrParam, channels)
	}
	// Validate the sections by filtering one sample.
	if _, err := dsp.SOSFilt(nil, sos, []float64{0}, nil); err != nil {
		return nil, err
	}
	f := &Filter{sos: sos, zi0: dsp.SOSFiltZi(sos), zi: make([][][2]float64, channels)}
	for c := range f.zi {
		f.zi[c] = make([][2]float64, len(sos))
	}
	return f, nil
}

// NewBandPass returns the causal form of the band-pass a paradigm applies:
// the sections of MNE's IIR filter (dsp.CreateIIRFilter: 4th-order
// Butterworth) from low to high Hz at sfreq, applied forward only.
func NewBandPass(sfreq, low, high float64, channels int) (*Filter, error) {
	sos, _, err := dsp.CreateIIRFilter(sfreq, low, high)
	if err != nil {
		return nil, fmt.Errorf("online: band %g-%g Hz at %g Hz: %w", low, high, sfreq, err)
	}
	return NewFilter(sos, channels)
}

// Channels returns the number of channels.
func (f *Filter) Channels() int { return len(f.zi) }

// Reset forgets the state: the next chunk starts the filter afresh.
func (f *Filter) Reset() { f.started, f.total = false, 0 }

// Process filters the chunk src[channel][sample] into dst, which must have
// the same shape (dst may be src). A chunk with a NaN or infinite sample is
// an error wrapping ErrNonFinite that names its channel and sample (counted
// from the start of the stream) and leaves the state unchanged. It panics
// when the shapes differ from the filter's channels or each other.
func (f *Filter) Process(dst, src [][]float64) error {
	if len(src) != len(f.zi) || len(dst) != len(f.zi) {
		panic(fmt.Sprintf("online: Filter.Process: %d/%d channels, want %d", len(dst), len(src), len(f.zi)))
	}
	m := len(src[0])
	for c := range src {
		if len(src[c]) != m || len(dst[c]) != m {
			panic("online: Filter.Process: channels of different lengths")
		}
		for i, v := range src[c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: %v at channel %d, sample %d", ErrNonFinite, v, c, f.total+int64(i))
			}
		}
	}
	if m == 0 {
		return nil
	}
	if !f.started {
		for c, z := range f.zi {
			x0 := src[c][0]
			for s := range z {
				z[s] = [2]float64{f.zi0[s][0] * x0, f.zi0[s][1] * x0}
			}
		}
		f.started = true
	}
	for c := range src {
		if _, err := dsp.SOSFilt(dst[c], f.sos, src[c], f.zi[c]); err != nil {
			return err // unreachable: sections and samples were checked
		}
	}
	f.total += int64(m)
	return nil
}
