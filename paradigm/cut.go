package paradigm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/raw"
)

// Drop reasons in Trials.Dropped besides the description of a bad
// annotation, as in MNE's drop log.
const (
	NoData    = "NO_DATA"        // the window starts before the recording
	TooShort  = "TOO_SHORT"      // the window ends after the recording
	Duplicate = "DROP DUPLICATE" // a second event on the same sample
)

// Trials are the labelled trials a paradigm cut from a subject's
// recordings or from one recording.
type Trials struct {
	// X holds the trials of the first band, [trial][channel][time],
	// scaled by the paradigm's Scale.
	X [][][]float64
	// Bands holds every band, [band][trial][channel][time] (the layout
	// of decode.Data.Bands); Bands[0] is X.
	Bands [][][][]float64
	// Y is the event code of each trial.
	Y []int
	// Subject is the subject number (0 from Cut).
	Subject int
	// Sessions and Runs name the recording of each trial (empty from
	// Cut), as the dataset's Recordings do.
	Sessions, Runs []string
	// Onsets are the times of the trials' cues in seconds from the first
	// sample of their recording.
	Onsets []float64
	// Channels are the EEG channels of every trial, in recording order.
	Channels []string
	// SFreq is the sampling rate in Hz.
	SFreq float64
	// Times are the times of a trial's samples in seconds after the cue.
	Times []float64
	// Dropped lists the events of the paradigm's classes that gave no
	// trial, with MNE's reason.
	Dropped []Drop
	// Skipped lists the recordings (their files) that hold no event of
	// the paradigm's classes and were skipped, as MOABB does.
	Skipped []string
}

// Drop is an event that gave no trial.
type Drop struct {
	// Session and Run name its recording (empty from Cut).
	Session, Run string
	// Index is its position among the recording's events of the
	// paradigm's classes (MNE's drop-log index).
	Index int
	// Event is the event itself.
	Event raw.Event
	// Reason is NoData, TooShort, Duplicate or the description of the
	// bad annotation the window touches.
	Reason string
}

// String describes the drop for a log line.
func (d Drop) String() string {
	where := ""
	if d.Session != "" || d.Run != "" {
		where = fmt.Sprintf("session %s run %s ", d.Session, d.Run)
	}
	return fmt.Sprintf("%sevent %d (code %d, sample %d): %s", where, d.Index, d.Event.Code, d.Event.Sample, d.Reason)
}

// Len returns the number of trials.
func (t *Trials) Len() int { return len(t.Y) }

// errNoEvents marks a recording without any event of the classes; Subject
// skips it, Cut reports it.
var errNoEvents = errors.New("no event of the paradigm's classes")

// Cut cuts the trials of one recording r, whose events (with sample
// numbers counted as raw.Event does) give the cues. Events whose code is
// not in p.Classes are ignored (all are used when Classes is empty). An
// invalid paradigm, a recording without EEG channels or with a NaN or
// infinite EEG sample is an error; so is having no trial at all
// (ErrNoTrials, saying why). Trials dropped as MNE drops them are listed
// in Trials.Dropped. r is not modified.
func (p Paradigm) Cut(r *raw.Raw, events []raw.Event) (*Trials, error) {
	if r == nil {
		return nil, fmt.Errorf("paradigm %s: no recording: %w", p.Name, ErrParam)
	}
	if err := p.Validate(r.SFreq); err != nil {
		return nil, err
	}
	c, err := p.cut(r, events, "", "")
	if errors.Is(err, errNoEvents) {
		return nil, fmt.Errorf("paradigm %s: %w: %v (%s)", p.Name, ErrNoTrials, err, p.classList())
	}
	if err != nil {
		return nil, err
	}
	if c.Len() == 0 {
		return nil, fmt.Errorf("paradigm %s: %w: every trial was dropped: %s", p.Name, ErrNoTrials, dropSummary(c.Dropped))
	}
	return c, nil
}

// Subject cuts the trials of every recording of subject in d, concatenated
// in the order of d.Recordings (session, then run). Recordings without an
// event of the paradigm's classes are skipped (Trials.Skipped), as MOABB
// does; a subject left with no trial is an error wrapping ErrNoTrials. The
// paradigm must suit d's kind (ErrKind) and its classes must be d's
// (ErrParam). ctx is checked before each recording.
func (p Paradigm) Subject(ctx context.Context, d *dataset.Dataset, subject int) (*Trials, error) {
	if d == nil {
		return nil, fmt.Errorf("paradigm %s: no dataset: %w", p.Name, ErrParam)
	}
	kind, err := kindOf(p.Name)
	if err != nil {
		return nil, err
	}
	if kind != d.Kind {
		return nil, fmt.Errorf("paradigm: %s is a paradigm for %s data; %s is a %s dataset: %w", p.Name, kind, d.Name, d.Kind, ErrKind)
	}
	for _, c := range p.Classes {
		if _, ok := d.Class(c); !ok {
			return nil, fmt.Errorf("paradigm %s: class %d is not a class of %s (%s): %w", p.Name, c, d.Name, datasetClasses(d), ErrParam)
		}
	}
	recs, err := d.Recordings(subject)
	if err != nil {
		return nil, fmt.Errorf("paradigm %s: %w", p.Name, err)
	}
	all := &Trials{Subject: subject, Bands: make([][][][]float64, len(p.Bands))}
	for _, rec := range recs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("paradigm %s: %s subject %d: %w", p.Name, d.Name, subject, err)
		}
		r, events, err := d.Read(rec)
		if err != nil {
			return nil, fmt.Errorf("paradigm %s: %w", p.Name, err)
		}
		if err := p.Validate(r.SFreq); err != nil {
			return nil, fmt.Errorf("%s: %w", rec.File, err)
		}
		c, err := p.cut(r, events, rec.Session, rec.Run)
		if errors.Is(err, errNoEvents) {
			all.Skipped = append(all.Skipped, rec.File)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rec.File, err)
		}
		if err := all.add(c, rec.File); err != nil {
			return nil, err
		}
	}
	if all.Len() == 0 {
		why := "every trial was dropped: " + dropSummary(all.Dropped)
		if len(all.Dropped) == 0 {
			why = fmt.Sprintf("no recording holds an event of its classes (%s): skipped %s", p.classList(), strings.Join(all.Skipped, ", "))
		}
		return nil, fmt.Errorf("paradigm %s: %s subject %d: %w: %s", p.Name, d.Name, subject, ErrNoTrials, why)
	}
	all.X = all.Bands[0]
	return all, nil
}

// add appends the trials of one recording, which must have the channels
// and rate of those before.
func (t *Trials) add(c *Trials, file string) error {
	if t.Channels == nil {
		t.Channels, t.SFreq, t.Times = c.Channels, c.SFreq, c.Times
	} else if !slices.Equal(t.Channels, c.Channels) || t.SFreq != c.SFreq {
		return fmt.Errorf("paradigm: %s has %d EEG channels at %g Hz where the subject's first recordings have %d at %g Hz (or other names): trials cannot be stacked",
			file, len(c.Channels), c.SFreq, len(t.Channels), t.SFreq)
	}
	for b := range t.Bands {
		t.Bands[b] = append(t.Bands[b], c.Bands[b]...)
	}
	t.Y = append(t.Y, c.Y...)
	t.Sessions = append(t.Sessions, c.Sessions...)
	t.Runs = append(t.Runs, c.Runs...)
	t.Onsets = append(t.Onsets, c.Onsets...)
	t.Dropped = append(t.Dropped, c.Dropped...)
	return nil
}

func (p Paradigm) classList() string {
	if len(p.Classes) == 0 {
		return "any code"
	}
	s := make([]string, len(p.Classes))
	for i, c := range p.Classes {
		s[i] = fmt.Sprint(c)
	}
	return "codes " + strings.Join(s, ", ")
}

func datasetClasses(d *dataset.Dataset) string {
	s := make([]string, len(d.Classes))
	for i, c := range d.Classes {
		s[i] = fmt.Sprintf("%d %s", c.Code, c.Name)
	}
	return strings.Join(s, ", ")
}

func dropSummary(d []Drop) string {
	const most = 5
	s := make([]string, 0, most+1)
	for i, x := range d {
		if i == most {
			s = append(s, fmt.Sprintf("and %d more", len(d)-most))
			break
		}
		s = append(s, x.String())
	}
	return strings.Join(s, "; ")
}

// cut runs the paradigm on one recording (p already validated for its
// rate). It returns errNoEvents when no event has a class code.
func (p Paradigm) cut(r *raw.Raw, events []raw.Event, session, run string) (*Trials, error) {
	sfreq := r.SFreq
	var picks []int
	for i, ch := range r.Channels {
		if ch.Type == raw.EEG {
			picks = append(picks, i)
		}
	}
	if len(picks) == 0 {
		return nil, fmt.Errorf("paradigm %s: %w: the recording has no EEG channel", p.Name, ErrParam)
	}
	for _, c := range picks {
		if len(r.Data[c]) != r.NSamples {
			return nil, fmt.Errorf("paradigm %s: channel %q holds %d samples, the header says %d: %w", p.Name, r.Channels[c].Name, len(r.Data[c]), r.NSamples, ErrParam)
		}
		for i, v := range r.Data[c] {
			if !finite(v) {
				return nil, fmt.Errorf("paradigm %s: channel %q has a non-finite sample (%v) at sample %d (%.3f s): %w",
					p.Name, r.Channels[c].Name, v, i, float64(i)/sfreq, dsp.ErrNonFinite)
			}
		}
	}

	// Events of the classes (mne.pick_events), then event_repeated='drop'.
	var ev []raw.Event
	for _, e := range events {
		if len(p.Classes) == 0 || slices.Contains(p.Classes, e.Code) {
			ev = append(ev, e)
		}
	}
	if len(ev) == 0 {
		return nil, errNoEvents
	}
	out := &Trials{SFreq: sfreq}
	index := make([]int, len(ev)) // drop-log index of each event
	for i := range index {
		index[i] = i
	}
	ev, index, out.Dropped = dropRepeated(ev, index, session, run)

	// mne.Epochs: _raw_times = arange(round(tmin*sfreq), round(tmax*sfreq)+1)/sfreq.
	startIdx := int(math.RoundToEven(p.TMin * sfreq))
	stopIdx := int(math.RoundToEven(p.TMax * sfreq))
	nT := stopIdx - startIdx + 1
	t0 := float64(startIdx) / sfreq
	for i := range nT {
		out.Times = append(out.Times, float64(startIdx+i)/sfreq)
	}
	bad := badSpans(r)
	var starts []int
	for k, e := range ev {
		start := int(math.RoundToEven(float64(e.Sample)+t0*sfreq)) - r.FirstSample
		stop := start + nT
		reason := ""
		switch {
		case start < 0:
			reason = NoData
		case stop > r.NSamples:
			reason = TooShort
		}
		if start >= 0 {
			// MNE looks at bad annotations before it finds the data short.
			if desc := bad.overlaps(start, stop, sfreq); desc != "" {
				reason = desc
			}
		}
		if reason != "" {
			out.Dropped = append(out.Dropped, Drop{Session: session, Run: run, Index: index[k], Event: e, Reason: reason})
			continue
		}
		starts = append(starts, start)
		out.Y = append(out.Y, e.Code)
		out.Onsets = append(out.Onsets, float64(e.Sample-r.FirstSample)/sfreq)
		out.Sessions = append(out.Sessions, session)
		out.Runs = append(out.Runs, run)
	}
	sort.SliceStable(out.Dropped, func(i, j int) bool { return out.Dropped[i].Index < out.Dropped[j].Index })
	for _, c := range picks {
		out.Channels = append(out.Channels, r.Channels[c].Name)
	}
	out.Bands = make([][][][]float64, len(p.Bands))
	for b := range out.Bands {
		out.Bands[b] = newTrials(len(starts), len(picks), nT)
	}
	out.X = out.Bands[0]
	if len(starts) == 0 {
		return out, nil
	}
	if err := p.filterCut(r, picks, starts, out.Bands); err != nil {
		return nil, err
	}
	return out, nil
}

// dropRepeated applies MNE's event_repeated='drop': when two events share
// a sample only the first is kept, and the kept events come out sorted by
// sample (np.unique). Without repeats the events keep their order, as in
// MNE.
func dropRepeated(ev []raw.Event, index []int, session, run string) ([]raw.Event, []int, []Drop) {
	seen := make(map[int]bool, len(ev))
	var drops []Drop
	keepEv, keepIdx := ev[:0:0], index[:0:0]
	for k, e := range ev {
		if seen[e.Sample] {
			drops = append(drops, Drop{Session: session, Run: run, Index: index[k], Event: e, Reason: Duplicate})
			continue
		}
		seen[e.Sample] = true
		keepEv, keepIdx = append(keepEv, e), append(keepIdx, index[k])
	}
	if drops == nil {
		return ev, index, nil
	}
	order := make([]int, len(keepEv))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return keepEv[order[i]].Sample < keepEv[order[j]].Sample })
	sEv, sIdx := make([]raw.Event, len(order)), make([]int, len(order))
	for i, o := range order {
		sEv[i], sIdx[i] = keepEv[o], keepIdx[o]
	}
	return sEv, sIdx, drops
}

// newTrials allocates n trials of nCh×nT in one block.
func newTrials(n, nCh, nT int) [][][]float64 {
	flat := make([]float64, n*nCh*nT)
	rows := make([][]float64, n*nCh)
	for i := range rows {
		rows[i] = flat[i*nT : (i+1)*nT : (i+1)*nT]
	}
	x := make([][][]float64, n)
	for i := range x {
		x[i] = rows[i*nCh : (i+1)*nCh : (i+1)*nCh]
	}
	return x
}

// spans are annotations as sample-free time spans relative to the first
// sample (MNE's _sync_onset).
type spans []struct {
	onset, dur float64
	desc       string
}

// badSpans returns the annotations MNE's reject_by_annotation looks at:
// those whose description starts with "bad", in any case.
func badSpans(r *raw.Raw) spans {
	var s spans
	first := float64(r.FirstSample) / r.SFreq
	for _, a := range r.Annotations {
		if strings.HasPrefix(strings.ToLower(a.Description), "bad") {
			s = append(s, struct {
				onset, dur float64
				desc       string
			}{a.Onset - first, a.Duration, a.Description})
		}
	}
	return s
}

// overlaps returns the description of the first bad span that overlaps
// samples [start, stop) as MNE's _check_bad_segment tests it (onset <
// stop/sfreq and onset+duration > start/sfreq), or "".
func (s spans) overlaps(start, stop int, sfreq float64) string {
	for _, a := range s {
		if a.onset < float64(stop)/sfreq && a.onset+a.dur > float64(start)/sfreq {
			return a.desc
		}
	}
	return ""
}

// segments returns the stretches [start, stop) of samples that MNE's
// raw.filter filters separately: the complement of the annotations whose
// description starts with EDGE or BAD_ACQ_SKIP (skip_by_annotation),
// where an annotation that rounds to no sample still splits the data
// (mne.annotations._annotations_starts_stops with invert=True).
func segments(r *raw.Raw) [][2]int {
	n := r.NSamples
	first := float64(r.FirstSample) / r.SFreq
	var skip bool
	mask := []bool(nil)
	var extraOn, extraOff []int
	for _, a := range r.Annotations {
		d := strings.ToUpper(a.Description)
		if !strings.HasPrefix(d, "EDGE") && !strings.HasPrefix(d, "BAD_ACQ_SKIP") {
			continue
		}
		if !skip {
			skip, mask = true, make([]bool, n)
		}
		on := a.Onset - first
		// raw.time_as_index(use_rounding=True): np.round, half to even.
		i0 := clampInt(int(math.RoundToEven(on*r.SFreq)), 0, n)
		i1 := clampInt(int(math.RoundToEven((on+a.Duration)*r.SFreq)), 0, n)
		for i := i0; i < i1; i++ {
			mask[i] = true
		}
		if i0 == i1 {
			extraOn, extraOff = append(extraOn, i0), append(extraOff, i1)
		}
	}
	if !skip {
		return [][2]int{{0, n}}
	}
	var on, off []int
	for i := 0; i < n; i++ {
		if !mask[i] && (i == 0 || mask[i-1]) {
			on = append(on, i)
		}
		if !mask[i] && (i == n-1 || mask[i+1]) {
			off = append(off, i+1)
		}
	}
	on, off = append(on, extraOn...), append(off, extraOff...)
	slices.Sort(on)
	slices.Sort(off)
	seg := make([][2]int, len(on))
	for i := range on {
		seg[i] = [2]int{on[i], off[i]}
	}
	return seg
}

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// filterCut filters the picked channels of r in every band and writes the
// scaled trials starting at starts into out[band][trial][channel]. Jobs of
// one band and up to lanes channels run on a pool of GOMAXPROCS workers,
// each with a buffer of lanes channels reused from job to job.
func (p Paradigm) filterCut(r *raw.Raw, picks, starts []int, out [][][][]float64) error {
	const lanes = 8 // dsp filters 8 channels at once (its SIMD lanes)
	type design struct {
		sos dsp.SOS
		pad int
	}
	designs := make([]design, len(p.Bands))
	for b, band := range p.Bands {
		sos, pad, err := dsp.CreateIIRFilter(r.SFreq, band[0], band[1])
		if err != nil {
			return fmt.Errorf("paradigm %s: band %g–%g Hz: %w", p.Name, band[0], band[1], err)
		}
		designs[b] = design{sos, pad}
	}
	segs := segments(r)
	type job struct{ band, ch0 int }
	var jobs []job
	for b := range p.Bands {
		for c := 0; c < len(picks); c += lanes {
			jobs = append(jobs, job{b, c})
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	next := make(chan job)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := range workers {
		go func() {
			defer wg.Done()
			buf := make([]float64, lanes*r.NSamples)
			rows := make([][]float64, lanes)
			sub := make([][]float64, lanes)
			do := func(j job) error {
				nc := min(lanes, len(picks)-j.ch0)
				for l := range nc {
					rows[l] = buf[l*r.NSamples : (l+1)*r.NSamples]
					copy(rows[l], r.Data[picks[j.ch0+l]])
				}
				d := designs[j.band]
				for _, s := range segs {
					if s[1] <= s[0] {
						continue
					}
					for l := range nc {
						sub[l] = rows[l][s[0]:s[1]]
					}
					// mne.filter._filtfilt: padlen = min(padlen, n - 1).
					if _, err := dsp.SOSFiltFilt(sub[:nc], sub[:nc], d.sos, min(d.pad, s[1]-s[0]-1)); err != nil {
						return fmt.Errorf("paradigm %s: filtering channels %s: %w", p.Name, channelRange(r, picks, j.ch0, nc), err)
					}
				}
				x := out[j.band]
				for k, st := range starts {
					for l := range nc {
						dst := x[k][j.ch0+l]
						for i, v := range rows[l][st : st+len(dst)] {
							dst[i] = p.Scale * v
						}
					}
				}
				return nil
			}
			for j := range next {
				if errs[w] == nil {
					errs[w] = do(j)
				}
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func channelRange(r *raw.Raw, picks []int, c0, n int) string {
	return fmt.Sprintf("%s to %s", r.Channels[picks[c0]].Name, r.Channels[picks[c0+n-1]].Name)
}
