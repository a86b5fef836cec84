package epochs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/bcikit/bcikit/internal/npsum"
	"github.com/bcikit/bcikit/raw"
)

// ErrParam reports an invalid parameter.
var ErrParam = errors.New("invalid parameter")

// Baseline is the interval whose mean is subtracted from each epoch and
// channel, in seconds relative to the event. Start = -Inf stands for MNE's
// None (the first sample), End = +Inf for None (the last).
type Baseline struct {
	Start, End float64
}

// DefaultBaseline is MNE's default baseline=(None, 0): from the start of
// the epoch to the event.
var DefaultBaseline = Baseline{Start: math.Inf(-1), End: 0}

// Options say how to cut epochs.
type Options struct {
	// TMin and TMax delimit each epoch in seconds relative to its event,
	// both included (MNE's tmin/tmax).
	TMin, TMax float64
	// Baseline, if not nil, is subtracted from data and auxiliary
	// channels (not stim or misc) as MNE does; nil means no correction.
	Baseline *Baseline
	// Reject drops an epoch in which a channel of the given type has a
	// peak-to-peak amplitude above the threshold (MNE's reject dict).
	Reject map[raw.ChannelType]float64
	// Flat drops an epoch in which a channel of the given type has a
	// peak-to-peak amplitude below the threshold (MNE's flat dict).
	Flat map[raw.ChannelType]float64
	// Decim keeps every Decim-th sample (1 or 0: all), after baseline
	// correction, as MNE's decim.
	Decim int
}

// Drop reasons recorded in DropLog besides channel names, as in MNE.
const (
	NoData    = "NO_DATA"   // the epoch starts before the recording
	TooShort  = "TOO_SHORT" // the epoch ends after the recording
	ReasonSep = ", "        // joins reasons in Dropped
)

// Epochs are equal-length trials cut from one recording.
type Epochs struct {
	// Channels are the channels of every epoch.
	Channels []raw.Channel
	// SFreq is the sampling rate after decimation.
	SFreq float64
	// Times are the sample times in seconds relative to the event.
	Times []float64
	// Data holds the kept epochs, Data[epoch][channel][time], backed
	// by one contiguous array.
	Data [][][]float64
	// Events are the kept events, in order; Events[i].Code is the label
	// of Data[i].
	Events []raw.Event
	// EventID maps event names to codes.
	EventID map[string]int
	// Selection gives, for each kept epoch, its index among the events
	// passed to New that matched EventID.
	Selection []int
	// DropLog has one entry per matched event: nil when kept, else the
	// reasons (NO_DATA, TOO_SHORT, or the names of offending channels).
	DropLog [][]string
}

// New cuts epochs from r around events whose codes are values of eventID
// (events with other codes are ignored, as in MNE). Sample alignment is
// MNE's: epoch i covers samples round(event + tmin*sfreq) to that plus
// round(tmax*sfreq) - round(tmin*sfreq). An event outside the recording is
// an error; an epoch that runs over an edge is dropped (NO_DATA or
// TOO_SHORT in the drop log), as are epochs failing Reject or Flat.
func New(r *raw.Raw, events []raw.Event, eventID map[string]int, opt Options) (*Epochs, error) {
	if err := check(r, events, eventID, &opt); err != nil {
		return nil, err
	}
	sfreq := r.SFreq
	startIdx := int(math.RoundToEven(opt.TMin * sfreq))
	stopIdx := int(math.RoundToEven(opt.TMax * sfreq))
	nRaw := stopIdx - startIdx + 1
	rawTimes := make([]float64, nRaw)
	for i := range rawTimes {
		rawTimes[i] = float64(startIdx+i) / sfreq
	}
	// MNE: i_start = start_idx % decim, with start_idx = round(-tmin*sfreq).
	first := 0
	if opt.Decim > 1 {
		first = ((-startIdx)%opt.Decim + opt.Decim) % opt.Decim
	}
	var keepT []int
	for i := first; i < nRaw; i += max(opt.Decim, 1) {
		keepT = append(keepT, i)
	}
	codes := map[int]bool{}
	for _, c := range eventID {
		codes[c] = true
	}
	nCh := len(r.Channels)
	baseCh := make([]bool, nCh)
	for c, ch := range r.Channels {
		baseCh[c] = ch.Type.IsData() || ch.Type.IsAux()
	}
	ep := &Epochs{
		Channels: append([]raw.Channel(nil), r.Channels...),
		SFreq:    sfreq / float64(max(opt.Decim, 1)),
		EventID:  eventID,
	}
	for _, i := range keepT {
		ep.Times = append(ep.Times, rawTimes[i])
	}
	b0, b1, err := baselineSlice(opt.Baseline, rawTimes, ep.Times, ep.SFreq)
	if err != nil {
		return nil, err
	}
	work := raw.NewData(nCh, nRaw)
	var kept [][]float64 // flattened kept epochs
	matched := 0
	for _, ev := range events {
		if !codes[ev.Code] {
			continue
		}
		idx := matched
		matched++
		start := int(math.RoundToEven(float64(ev.Sample)+rawTimes[0]*sfreq)) - r.FirstSample
		stop := start + nRaw
		switch {
		case start < 0:
			ep.DropLog = append(ep.DropLog, []string{NoData})
			continue
		case stop > r.NSamples:
			ep.DropLog = append(ep.DropLog, []string{TooShort})
			continue
		}
		for c := range work {
			copy(work[c], r.Data[c][start:stop])
			if opt.Baseline != nil && baseCh[c] {
				m := npsum.Mean(work[c][b0:b1]) // bit-identical to MNE's np.mean
				for i := range work[c] {
					work[c][i] -= m
				}
			}
		}
		out := make([]float64, nCh*len(keepT))
		for c := range work {
			row := out[c*len(keepT) : (c+1)*len(keepT)]
			for k, i := range keepT {
				row[k] = work[c][i]
			}
		}
		if bad := rejectReasons(out, len(keepT), ep.Channels, opt); bad != nil {
			ep.DropLog = append(ep.DropLog, bad)
			continue
		}
		ep.DropLog = append(ep.DropLog, nil)
		ep.Selection = append(ep.Selection, idx)
		ep.Events = append(ep.Events, ev)
		kept = append(kept, out)
	}
	ep.Data = make([][][]float64, len(kept))
	nt := len(keepT)
	for e, flat := range kept {
		ep.Data[e] = make([][]float64, nCh)
		for c := range nCh {
			ep.Data[e][c] = flat[c*nt : (c+1)*nt : (c+1)*nt]
		}
	}
	return ep, nil
}

func check(r *raw.Raw, events []raw.Event, eventID map[string]int, opt *Options) error {
	switch {
	case math.IsNaN(opt.TMin) || math.IsNaN(opt.TMax) || math.IsInf(opt.TMin, 0) || math.IsInf(opt.TMax, 0):
		return fmt.Errorf("epochs: tmin=%g, tmax=%g: %w: must be finite", opt.TMin, opt.TMax, ErrParam)
	case opt.TMin > opt.TMax:
		return fmt.Errorf("epochs: tmin=%g > tmax=%g: %w", opt.TMin, opt.TMax, ErrParam)
	case opt.Decim < 0:
		return fmt.Errorf("epochs: decim=%d: %w: must be >= 1", opt.Decim, ErrParam)
	case len(eventID) == 0:
		return fmt.Errorf("epochs: event map: %w: no event names given", ErrParam)
	case r.SFreq <= 0:
		return fmt.Errorf("epochs: sampling rate %g: %w", r.SFreq, ErrParam)
	}
	for k, v := range opt.Reject {
		if math.IsNaN(v) || v <= 0 {
			return fmt.Errorf("epochs: reject[%s]=%g: %w: must be > 0", k, v, ErrParam)
		}
	}
	for k, v := range opt.Flat {
		if math.IsNaN(v) || v < 0 {
			return fmt.Errorf("epochs: flat[%s]=%g: %w: must be >= 0", k, v, ErrParam)
		}
	}
	codes := map[int]string{}
	for name, c := range eventID {
		if prev, dup := codes[c]; dup {
			return fmt.Errorf("epochs: event map: %w: %q and %q share code %d", ErrParam, prev, name, c)
		}
		codes[c] = name
	}
	seen := map[int]bool{}
	n := 0
	for i, ev := range events {
		if _, ok := codes[ev.Code]; !ok {
			continue
		}
		n++
		if ev.Sample < r.FirstSample || ev.Sample >= r.FirstSample+r.NSamples {
			return fmt.Errorf("epochs: event %d (code %d) at sample %d: %w: outside the recording (samples %d to %d)",
				i, ev.Code, ev.Sample, ErrParam, r.FirstSample, r.FirstSample+r.NSamples-1)
		}
		if seen[ev.Sample] {
			return fmt.Errorf("epochs: event %d: %w: two events at sample %d (MNE's event_repeated='error')", i, ErrParam, ev.Sample)
		}
		seen[ev.Sample] = true
	}
	if n == 0 {
		names := make([]string, 0, len(eventID))
		for k := range eventID {
			names = append(names, k)
		}
		sort.Strings(names)
		return fmt.Errorf("epochs: %w: no event has the codes of %s", ErrParam, strings.Join(names, ", "))
	}
	if opt.Decim == 0 {
		opt.Decim = 1
	}
	return nil
}

// baselineSlice returns the index range [b0, b1) of the full-rate epoch
// times inside the baseline, as mne.baseline.rescale computes it. As in
// MNE, open ends and the range check refer to the decimated times (MNE
// checks the baseline after decimating), the mean to the full-rate samples.
func baselineSlice(b *Baseline, times, decimated []float64, sfreq float64) (int, int, error) {
	if b == nil {
		return 0, 0, nil
	}
	if math.IsNaN(b.Start) || math.IsNaN(b.End) {
		return 0, 0, fmt.Errorf("epochs: baseline: %w: NaN", ErrParam)
	}
	t0, t1 := decimated[0], decimated[len(decimated)-1]
	bmin, bmax := b.Start, b.End
	if math.IsInf(bmin, -1) && bmax == 0 && t0 == 0 {
		return 0, 0, fmt.Errorf("epochs: baseline (None, 0) with tmin=0: %w: the baseline is one sample; use 0,0 if that is meant", ErrParam)
	}
	if math.IsInf(bmin, -1) {
		bmin = t0
	}
	if math.IsInf(bmax, 1) {
		bmax = t1
	}
	step := 1 / sfreq
	switch {
	case bmin > bmax:
		return 0, 0, fmt.Errorf("epochs: baseline %g,%g: %w: start after end", bmin, bmax, ErrParam)
	case bmin < t0-step || bmax > t1+step:
		return 0, 0, fmt.Errorf("epochs: baseline %g,%g s: %w: outside the epoch [%g, %g] s", bmin, bmax, ErrParam, t0, t1)
	}
	b0 := sort.SearchFloat64s(times, bmin) // first index with times >= bmin
	b1 := len(times)
	for b1 > 0 && times[b1-1] > bmax {
		b1--
	}
	if b0 >= b1 {
		return 0, 0, fmt.Errorf("epochs: baseline %g,%g s: %w: contains no sample", bmin, bmax, ErrParam)
	}
	return b0, b1, nil
}

// rejectReasons returns the channels that fail Reject or Flat, or nil.
func rejectReasons(flat []float64, nt int, chans []raw.Channel, opt Options) []string {
	if len(opt.Reject) == 0 && len(opt.Flat) == 0 {
		return nil
	}
	var bad []string
	// MNE reports reject offenders first, then flat ones, each in the
	// order of its channel-type indices.
	for _, pass := range []struct {
		th    map[raw.ChannelType]float64
		above bool
	}{{opt.Reject, true}, {opt.Flat, false}} {
		for _, typ := range sortedTypes(pass.th) {
			th := pass.th[typ]
			for c, ch := range chans {
				if ch.Type != typ {
					continue
				}
				row := flat[c*nt : (c+1)*nt]
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range row {
					lo = math.Min(lo, v)
					hi = math.Max(hi, v)
				}
				if ptp := hi - lo; (pass.above && ptp > th) || (!pass.above && ptp < th) {
					bad = append(bad, ch.Name)
				}
			}
		}
	}
	return bad
}

func sortedTypes(m map[raw.ChannelType]float64) []raw.ChannelType {
	t := make([]raw.ChannelType, 0, len(m))
	for k := range m {
		t = append(t, k)
	}
	sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
	return t
}

// Labels returns the event code of each kept epoch.
func (e *Epochs) Labels() []int {
	l := make([]int, len(e.Events))
	for i, ev := range e.Events {
		l[i] = ev.Code
	}
	return l
}

// Dropped returns a human-readable line per dropped epoch: its index among
// the matched events, its sample and why it was dropped.
func (e *Epochs) Dropped() []string {
	var out []string
	for i, d := range e.DropLog {
		if d != nil {
			out = append(out, fmt.Sprintf("epoch %d: %s", i, strings.Join(d, ReasonSep)))
		}
	}
	return out
}
