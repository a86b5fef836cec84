package resample

import (
	"errors"
	"fmt"
	"slices"

	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/internal/parallel"
)

// Pad is how Poly treats the signal beyond its ends (resample_poly's
// padtype).
type Pad int

const (
	// PadConstant extends the signal with zeros (padtype='constant', cval
	// 0: SciPy's default).
	PadConstant Pad = iota
	// PadMean subtracts the mean before filtering and adds it back after,
	// so the signal is extended with its mean (padtype='mean').
	PadMean
	// PadMedian extends with the median (padtype='median').
	PadMedian
	// PadMinimum extends with the minimum (padtype='minimum').
	PadMinimum
	// PadMaximum extends with the maximum (padtype='maximum').
	PadMaximum
)

// PolyOptions are the options of scipy.signal.resample_poly. The zero
// PolyOptions are SciPy's defaults: window=('kaiser', 5.0),
// padtype='constant'.
type PolyOptions struct {
	// Window shapes the low-pass FIR filter designed by dsp.FirWin; the
	// zero Window is Kaiser with beta 5.
	Window dsp.Window
	// Taps, when not nil, is the FIR filter itself (resample_poly's
	// window given as an array) and Window is ignored.
	Taps []float64
	// Pad selects the extension of the signal beyond its ends.
	Pad Pad
}

// Polyphase resamples signals of one length by a rational factor up/down
// with a polyphase FIR filter, as scipy.signal.resample_poly: the factors
// are reduced by their greatest common divisor, the anti-aliasing filter
// is firwin(2·half+1, 1/max(up, down), window) with half = 10·max(up,
// down), scaled by up, and the output of upfirdn is cut so that its
// samples are centred on the input's. A Polyphase holds no scratch
// memory, so it is safe for concurrent use.
type Polyphase struct {
	n, nOut  int
	up, down int
	h        []float64 // the filter times up, preceded by pre zeros
	pre      int       // output samples of upfirdn dropped at the start
	pad      Pad
}

// NewPolyphase returns a Polyphase for signals of n samples resampled by
// up/down.
func NewPolyphase(n, up, down int, opt PolyOptions) (*Polyphase, error) {
	if up < 1 {
		return nil, paramError("up", "must be >= 1, got %d", up)
	}
	if down < 1 {
		return nil, paramError("down", "must be >= 1, got %d", down)
	}
	if n < 1 {
		return nil, paramError("signal length", "must be >= 1, got %d", n)
	}
	switch opt.Pad {
	case PadConstant, PadMean, PadMedian, PadMinimum, PadMaximum:
	default:
		return nil, paramError("padtype", "unknown value %d", opt.Pad)
	}
	g := gcd(up, down)
	up, down = up/g, down/g
	p := &Polyphase{n: n, up: up, down: down, pad: opt.Pad}
	// n_out = ceil(n·up / down).
	p.nOut = (n*up + down - 1) / down
	if up == 1 && down == 1 {
		return p, nil
	}
	var h []float64
	var half int
	if opt.Taps != nil {
		if len(opt.Taps) == 0 {
			return nil, paramError("taps", "empty filter")
		}
		h = slices.Clone(opt.Taps)
		half = (len(h) - 1) / 2
	} else {
		w := opt.Window
		if w.Name == "" {
			w = dsp.Window{Name: "kaiser", Beta: 5}
		}
		maxRate := max(up, down)
		half = 10 * maxRate
		var err error
		h, err = dsp.FirWin(2*half+1, []float64{1 / float64(maxRate)}, w, true, 2)
		if err != nil {
			if errors.Is(err, dsp.ErrParam) {
				return nil, fmt.Errorf("%w: window: %v", ErrParam, err)
			}
			return nil, err
		}
	}
	for i := range h {
		h[i] *= float64(up)
	}
	// Zero-pad the filter in front so that the output samples fall on the
	// centre of the filter, and drop the leading samples this delays.
	nPre := down - half%down
	p.pre = (half + nPre) / down
	p.h = make([]float64, nPre+len(h))
	copy(p.h[nPre:], h)
	return p, nil
}

// gcd is the greatest common divisor of positive a and b.
func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Len returns the input length the Polyphase is built for.
func (p *Polyphase) Len() int { return p.n }

// OutLen returns the output length, ceil(Len()·up/down).
func (p *Polyphase) OutLen() int { return p.nOut }

// Factors returns up and down after reduction by their common divisor.
func (p *Polyphase) Factors() (up, down int) { return p.up, p.down }

// Apply resamples x (len(x) must be Len()) into dst (allocated when nil,
// else of length OutLen()) and returns it. It does not check x for NaN or
// infinite samples (they spread over a filter length).
func (p *Polyphase) Apply(dst, x []float64) []float64 {
	if len(x) != p.n {
		panic(fmt.Sprintf("resample: signal of %d samples given to a Polyphase for %d", len(x), p.n))
	}
	if dst == nil {
		dst = make([]float64, p.nOut)
	}
	if len(dst) != p.nOut {
		panic("resample: len(dst) != OutLen()")
	}
	if p.h == nil {
		copy(dst, x)
		return dst
	}
	bg := 0.0
	switch p.pad {
	case PadMean:
		bg = mean(x)
	case PadMedian:
		bg = medianOf(x)
	case PadMinimum:
		bg = slices.Min(x)
	case PadMaximum:
		bg = slices.Max(x)
	}
	// upfirdn: y[k] = sum_i x[i]·h[k·down - i·up] over the valid filter
	// indices; only k in [pre, pre+nOut) is kept.
	up, lh := p.up, len(p.h)
	for o := range dst {
		m := (p.pre + o) * p.down
		// i·up in (m - lh, m], 0 <= i < n.
		hi := min(m/up, p.n-1)
		lo := 0
		if m-lh+1 > 0 {
			lo = (m - lh + 1 + up - 1) / up
		}
		s := 0.0
		for i := lo; i <= hi; i++ {
			s += (x[i] - bg) * p.h[m-i*up]
		}
		dst[o] = s + bg
	}
	return dst
}

// mean is the arithmetic mean of x.
func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// medianOf is numpy.median of x, without modifying x.
func medianOf(x []float64) float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	n := len(y)
	if n%2 == 1 {
		return y[n/2]
	}
	return (y[n/2-1] + y[n/2]) / 2
}

// Poly resamples the signal x by up/down as scipy.signal.resample_poly(x,
// up, down) with the given options (the zero PolyOptions for SciPy's
// defaults). A NaN or infinite sample is an error wrapping ErrNonFinite.
func Poly(x []float64, up, down int, opt PolyOptions) ([]float64, error) {
	y, err := PolyChannels([][]float64{x}, up, down, opt)
	if err != nil {
		return nil, err
	}
	return y[0], nil
}

// PolyChannels resamples every channel of x (channel-major, all of one
// length) by up/down as resample_poly along the last axis, running
// runtime.GOMAXPROCS workers over the channels.
func PolyChannels(x [][]float64, up, down int, opt PolyOptions) ([][]float64, error) {
	n, err := commonLength(x)
	if err != nil {
		return nil, err
	}
	p, err := NewPolyphase(n, up, down, opt)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	out := make([][]float64, len(x))
	parallel.ForEach(len(x), parallel.Workers(len(x)), func(_, ch int) {
		out[ch] = p.Apply(nil, x[ch])
	})
	return out, nil
}
