package paradigm

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/bcikit/bcikit/dataset"
)

var (
	// ErrUnknown reports a paradigm name that is not one of Names.
	ErrUnknown = errors.New("unknown paradigm")
	// ErrKind reports a paradigm used on a dataset of another kind (an
	// SSVEP paradigm on motor imagery data, or the reverse).
	ErrKind = errors.New("paradigm does not suit the dataset")
	// ErrParam reports an invalid paradigm: a band that is empty,
	// reversed or not below the Nyquist frequency, a window that is not
	// increasing, a scale that is not positive, classes the dataset does
	// not have.
	ErrParam = errors.New("invalid paradigm")
	// ErrNoTrials reports a recording or subject from which no trial
	// could be cut.
	ErrNoTrials = errors.New("no trials")
)

// DefaultHalfWidth is the half width in Hz of the bands of ssvep-fb: each
// stimulation frequency f gets the band [f−1, f+1] Hz.
const DefaultHalfWidth = 1.0

// DefaultScale multiplies the trials: volts to µV, MOABB's unit_factor.
const DefaultScale = 1e6

// Paradigm says how trials are cut from a recording. It is plain data that
// a trained model stores (its JSON form is in docs/model-format.md), so
// predict can cut the same trials from a recording of no registered
// dataset.
type Paradigm struct {
	// Name is one of Names; it says which kind of dataset the paradigm
	// suits.
	Name string `json:"name"`
	// Bands are the band-pass filters (low, high) in Hz, each applied to
	// a copy of the recording (MNE IIR: 4th-order Butterworth, forward
	// and backward). The first is the paradigm's main signal.
	Bands [][2]float64 `json:"bands"`
	// TMin and TMax delimit a trial, in seconds after its cue, both
	// included (mne.Epochs' tmin and tmax).
	TMin float64 `json:"tmin"`
	TMax float64 `json:"tmax"`
	// Scale multiplies the filtered signals (1e6: volts to µV).
	Scale float64 `json:"scale"`
	// Classes are the event codes that start a trial; events with other
	// codes are ignored. Empty means every event given to Cut.
	Classes []int `json:"classes,omitempty"`
}

// names maps each paradigm to the dataset kind it suits, in Names order.
var names = []struct {
	name string
	kind dataset.Kind
}{
	{"imagery", dataset.Imagery},
	{"imagery-fb", dataset.Imagery},
	{"ssvep", dataset.SSVEP},
	{"ssvep-fb", dataset.SSVEP},
}

// Names returns the names of the paradigms, sorted.
func Names() []string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = n.name
	}
	return s
}

// kindOf returns the dataset kind a paradigm name suits.
func kindOf(name string) (dataset.Kind, error) {
	for _, n := range names {
		if n.name == name {
			return n.kind, nil
		}
	}
	return "", fmt.Errorf("paradigm: %w %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
}

// Option changes a paradigm that For builds.
type Option func(*config) error

type config struct {
	window     bool
	tmin, tmax float64
	halfWidth  float64
}

// Window sets the trial window as MOABB's tmin and tmax do: in seconds
// after the start of the dataset's interval, so a trial runs from
// Interval[0]+tmin to Interval[0]+tmax after its cue. Without it the
// window is the dataset's Interval.
func Window(tmin, tmax float64) Option {
	return func(c *config) error {
		if !finite(tmin) || !finite(tmax) || tmin >= tmax {
			return fmt.Errorf("paradigm: window tmin=%g, tmax=%g: %w: tmin must be below tmax (MOABB's rule)", tmin, tmax, ErrParam)
		}
		c.window, c.tmin, c.tmax = true, tmin, tmax
		return nil
	}
}

// HalfWidth sets the half width in Hz of the bands of ssvep-fb (default
// DefaultHalfWidth; MOABB's FilterBankSSVEP uses 0.5, pyRiemann's example
// 0.1). Other paradigms ignore it.
func HalfWidth(hz float64) Option {
	return func(c *config) error {
		if !finite(hz) || hz <= 0 {
			return fmt.Errorf("paradigm: half width %g Hz: %w: must be positive", hz, ErrParam)
		}
		c.halfWidth = hz
		return nil
	}
}

// For returns the paradigm called name for dataset d, with MOABB's
// settings: its bands, the dataset's interval as the window, a scale of
// 1e6 and every class of d. An empty name is the default paradigm of d's
// kind (imagery or ssvep). An unknown name is an error wrapping ErrUnknown
// that lists the valid ones; a paradigm of another kind than d's wraps
// ErrKind.
func For(d *dataset.Dataset, name string, opts ...Option) (Paradigm, error) {
	if d == nil {
		return Paradigm{}, fmt.Errorf("paradigm: no dataset: %w", ErrParam)
	}
	if name == "" {
		switch d.Kind {
		case dataset.Imagery:
			name = "imagery"
		case dataset.SSVEP:
			name = "ssvep"
		default:
			return Paradigm{}, fmt.Errorf("paradigm: dataset %s is of kind %q, which no paradigm suits: %w", d.Name, d.Kind, ErrKind)
		}
	}
	kind, err := kindOf(name)
	if err != nil {
		return Paradigm{}, err
	}
	if kind != d.Kind {
		return Paradigm{}, fmt.Errorf("paradigm: %s is a paradigm for %s data; %s is a %s dataset: %w", name, kind, d.Name, d.Kind, ErrKind)
	}
	c := config{halfWidth: DefaultHalfWidth}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return Paradigm{}, err
		}
	}
	p := Paradigm{Name: name, TMin: d.Interval[0], TMax: d.Interval[1], Scale: DefaultScale}
	if c.window {
		// MOABB: tmin + interval[0], tmax + interval[0].
		p.TMin, p.TMax = d.Interval[0]+c.tmin, d.Interval[0]+c.tmax
	}
	for _, cl := range d.Classes {
		p.Classes = append(p.Classes, cl.Code)
	}
	switch name {
	case "imagery":
		p.Bands = [][2]float64{{8, 32}}
	case "imagery-fb":
		for lo := 8.0; lo < 32; lo += 4 {
			p.Bands = append(p.Bands, [2]float64{lo, lo + 4})
		}
	case "ssvep":
		p.Bands = [][2]float64{{7, 45}}
	case "ssvep-fb":
		var freqs []float64
		for _, cl := range d.Classes {
			if cl.Freq > 0 {
				freqs = append(freqs, cl.Freq)
			}
		}
		slices.Sort(freqs)
		freqs = slices.Compact(freqs)
		if len(freqs) == 0 {
			return Paradigm{}, fmt.Errorf("paradigm: ssvep-fb: dataset %s has no class with a stimulation frequency: %w", d.Name, ErrKind)
		}
		for _, f := range freqs {
			p.Bands = append(p.Bands, [2]float64{f - c.halfWidth, f + c.halfWidth})
		}
	}
	if err := p.Validate(d.SFreq); err != nil {
		return Paradigm{}, err
	}
	return p, nil
}

// Validate checks p for recordings sampled at sfreq Hz (0 skips the
// Nyquist check): a known name, at least one band, each band with
// 0 < low < high < sfreq/2, TMin < TMax, a positive scale and distinct
// classes. Errors wrap ErrUnknown or ErrParam and name the bad value.
func (p Paradigm) Validate(sfreq float64) error {
	if _, err := kindOf(p.Name); err != nil {
		return err
	}
	if len(p.Bands) == 0 {
		return fmt.Errorf("paradigm %s: %w: no band", p.Name, ErrParam)
	}
	for i, b := range p.Bands {
		lo, hi := b[0], b[1]
		switch {
		case !finite(lo) || !finite(hi) || lo <= 0 || lo >= hi:
			return fmt.Errorf("paradigm %s: band %d (%g–%g Hz): %w: need 0 < low < high", p.Name, i, lo, hi, ErrParam)
		case sfreq > 0 && hi >= sfreq/2:
			return fmt.Errorf("paradigm %s: band %d (%g–%g Hz): %w: %g Hz is not below the Nyquist frequency %g Hz of a recording at %g Hz",
				p.Name, i, lo, hi, ErrParam, hi, sfreq/2, sfreq)
		}
	}
	if !finite(p.TMin) || !finite(p.TMax) || p.TMin >= p.TMax {
		return fmt.Errorf("paradigm %s: window tmin=%g, tmax=%g s: %w: tmin must be below tmax", p.Name, p.TMin, p.TMax, ErrParam)
	}
	if !finite(p.Scale) || p.Scale <= 0 {
		return fmt.Errorf("paradigm %s: scale %g: %w: must be positive (1e6 gives µV)", p.Name, p.Scale, ErrParam)
	}
	seen := map[int]bool{}
	for _, c := range p.Classes {
		if seen[c] {
			return fmt.Errorf("paradigm %s: class %d listed twice: %w", p.Name, c, ErrParam)
		}
		seen[c] = true
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
