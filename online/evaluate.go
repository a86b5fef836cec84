package online

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/bcikit/bcikit/eval"
)

// ErrEval is returned when decisions cannot be evaluated.
var ErrEval = errors.New("online: cannot evaluate")

// Idle is the label of the samples outside every trial, and of the windows
// most of whose samples are.
const Idle = -1

// Kind says whether a window is scored as a task or as idle.
type Kind int

const (
	// Task windows have a trial's class as their label.
	Task Kind = iota
	// IdleWindow windows are labelled Idle.
	IdleWindow
)

// Labels says how Evaluate labels windows: where a trial lies after its cue,
// in samples at SFreq, and which of the model's classes mean "no activation".
type Labels struct {
	// SFreq is the sampling rate in Hz.
	SFreq float64
	// Offset and Length place a trial at the samples
	// [cue+Offset, cue+Offset+Length) (Decoder.TrialWindow).
	Offset, Length int
	// Rest lists the model's classes that are not an activation (a rest
	// or idle class); predicting one of them is never a false activation.
	Rest []int
}

// Label returns the label of the window [end−length, end): each sample is
// labelled with the class of the trial it lies in (where trials overlap, that
// of the later cue in cues, which Evaluate sorts by sample) or Idle, and the window
// takes the label of most of its samples; a tie goes to the tied label
// found latest in the window.
func Label(end int64, length int, cues []Marker, l Labels) (int, Kind) {
	start := end - int64(length)
	lab := make([]int, length)
	paint(lab, start, cues, l)
	return majority(lab, nil)
}

// paint labels the samples lab[i] = sample start+i.
func paint(lab []int, start int64, cues []Marker, l Labels) {
	for i := range lab {
		lab[i] = Idle
	}
	end := start + int64(len(lab))
	for _, c := range cues {
		ts := max(c.Sample+int64(l.Offset), start)
		te := min(c.Sample+int64(l.Offset)+int64(l.Length), end)
		for s := ts; s < te; s++ {
			lab[s-start] = c.Code
		}
	}
}

// tally counts the samples of one label.
type tally struct{ label, n int }

// majority returns the label of most samples of lab (ties: the latest),
// counting in counts (reused; labels are few).
func majority(lab []int, counts []tally) (int, Kind) {
	counts = counts[:0]
	top := 0
	for i, v := range lab {
		if i > 0 && v == lab[i-1] {
			continue // runs of one label are counted below
		}
		j := 0
		for j < len(counts) && counts[j].label != v {
			j++
		}
		if j == len(counts) {
			counts = append(counts, tally{label: v})
		}
		k := i
		for k < len(lab) && lab[k] == v {
			k++
		}
		counts[j].n += k - i
		top = max(top, counts[j].n)
	}
	label := Idle
	for i := len(lab) - 1; i >= 0; i-- {
		if countOf(counts, lab[i]) == top {
			label = lab[i]
			break
		}
	}
	if label == Idle {
		return Idle, IdleWindow
	}
	return label, Task
}

func countOf(counts []tally, label int) int {
	for _, c := range counts {
		if c.label == label {
			return c.n
		}
	}
	return 0
}

// Report is the pseudo-online evaluation of a recording.
type Report struct {
	// Windows counts the sliding decisions; Task and Idle how many were
	// of each kind.
	Windows int `json:"windows"`
	Task    int `json:"task_windows"`
	Idle    int `json:"idle_windows"`
	// Accuracy and BalancedAccuracy score the task windows (sklearn's
	// accuracy_score and balanced_accuracy_score).
	Accuracy         float64 `json:"accuracy"`
	BalancedAccuracy float64 `json:"balanced_accuracy"`
	// NMCC is the normalised Matthews correlation coefficient, (MCC+1)/2,
	// over all windows with idle as a class of its own and a prediction
	// of a Rest class counted as idle (the paper's metric).
	NMCC float64 `json:"nmcc"`
	// Classes is the number of task classes ITR counts.
	Classes int `json:"classes"`
	// ITRBits and ITRBitsPerMin are Wolpaw's information transfer rate
	// of task windows at Accuracy, one selection per window length
	// (windows overlap, so a step would overstate it).
	ITRBits       float64 `json:"itr_bits"`
	ITRBitsPerMin float64 `json:"itr_bits_per_min"`
	// IdleMinutes is the time covered by idle windows (one step each);
	// FalseActivations counts idle windows predicted as a task class, and
	// FalsePerMin is their rate per idle minute.
	IdleMinutes      float64 `json:"idle_minutes"`
	FalseActivations int     `json:"false_activations"`
	FalsePerMin      float64 `json:"false_activations_per_min"`
	// CueWindows counts the triggered decisions (Config.Trigger): the
	// trial windows after the cues, as offline decoding cuts them but
	// filtered causally; CueAccuracy is their accuracy (0 without any).
	CueWindows  int     `json:"cue_windows,omitempty"`
	CueAccuracy float64 `json:"cue_accuracy,omitempty"`
}

// Evaluate scores the sliding decisions of a recording against its cues, as
// the pseudo-online framework does, using each decision's Smoothed class;
// triggered decisions are scored apart (CueAccuracy, their Predicted class
// against their cue's code). Decisions must be of one window length,
// ordered by End, a step apart; cues must be at samples of the recording.
// It is an error (wrapping ErrEval) when there are no sliding decisions or
// no task window.
func Evaluate(ds []Decision, cues []Marker, l Labels) (*Report, error) {
	if l.SFreq <= 0 || l.Length <= 0 {
		return nil, fmt.Errorf("%w: rate %g Hz, trial of %d samples", ErrEval, l.SFreq, l.Length)
	}
	var slide []Decision
	var ct, cp []int
	for _, d := range ds {
		if d.Trigger == nil {
			slide = append(slide, d)
		} else {
			ct, cp = append(ct, d.Trigger.Code), append(cp, d.Predicted)
		}
	}
	if len(slide) == 0 {
		return nil, fmt.Errorf("%w: no sliding-window decision", ErrEval)
	}
	length := slide[0].Length
	step := int64(0)
	if len(slide) > 1 {
		step = slide[1].End - slide[0].End
	}
	for i, d := range slide {
		if d.Length != length || (i > 0 && d.End-slide[i-1].End != step) || (i > 0 && step <= 0) {
			return nil, fmt.Errorf("%w: decision %d (end %d, %d samples) breaks the regular sliding of windows of %d samples every %d", ErrEval, i, d.End, d.Length, length, step)
		}
	}
	if step == 0 {
		step = int64(length)
	}
	rep := &Report{Windows: len(slide), CueWindows: len(ct)}
	// Cues in sample order (a later cue's trial overrides an earlier
	// one's); each window paints the trials that may reach it.
	sorted := slices.Clone(cues)
	slices.SortStableFunc(sorted, func(a, b Marker) int { return cmp.Compare(a.Sample, b.Sample) })
	lab := make([]int, length)
	counts := make([]tally, 0, 8)
	if len(ct) > 0 {
		rep.CueAccuracy, _ = eval.Accuracy(ct, cp)
	}
	var yt, yp, mt, mp []int
	classes := map[int]bool{}
	for _, c := range cues {
		classes[c.Code] = true
	}
	for _, d := range slide {
		start := d.End - int64(length)
		lo, _ := slices.BinarySearchFunc(sorted, start-int64(l.Offset)-int64(l.Length)+1, func(m Marker, s int64) int { return cmp.Compare(m.Sample, s) })
		hi, _ := slices.BinarySearchFunc(sorted, d.End-int64(l.Offset), func(m Marker, s int64) int { return cmp.Compare(m.Sample, s) })
		paint(lab, start, sorted[lo:max(lo, hi)], l)
		label, kind := majority(lab, counts)
		pred := d.Smoothed
		if slices.Contains(l.Rest, pred) {
			pred = Idle
		}
		switch kind {
		case Task:
			rep.Task++
			yt, yp = append(yt, label), append(yp, d.Smoothed)
		case IdleWindow:
			rep.Idle++
			if pred != Idle {
				rep.FalseActivations++
			}
		}
		mt, mp = append(mt, label), append(mp, pred)
	}
	if rep.Task == 0 {
		return nil, fmt.Errorf("%w: no window lies mostly inside a trial (%d windows of %d samples, %d cues)", ErrEval, len(slide), length, len(cues))
	}
	var err error
	if rep.Accuracy, err = eval.Accuracy(yt, yp); err != nil {
		return nil, err
	}
	if rep.BalancedAccuracy, err = eval.BalancedAccuracy(yt, yp); err != nil {
		return nil, err
	}
	rep.NMCC = (MCC(mt, mp) + 1) / 2
	rep.Classes = len(classes)
	if rep.Classes >= 2 {
		if rep.ITRBits, rep.ITRBitsPerMin, err = eval.ITR(rep.Classes, rep.Accuracy, float64(length)/l.SFreq); err != nil {
			return nil, err
		}
	}
	rep.IdleMinutes = float64(rep.Idle) * float64(step) / l.SFreq / 60
	if rep.IdleMinutes > 0 {
		rep.FalsePerMin = float64(rep.FalseActivations) / rep.IdleMinutes
	}
	return rep, nil
}

// MCC returns the multiclass Matthews correlation coefficient of yPred
// against yTrue, as sklearn.metrics.matthews_corrcoef: 0 when it is
// undefined (a constant truth or prediction). It panics when the lengths
// differ.
func MCC(yTrue, yPred []int) float64 {
	if len(yTrue) != len(yPred) {
		panic("online: MCC: len(yTrue) != len(yPred)")
	}
	tk, pk := map[int]float64{}, map[int]float64{}
	correct := 0.0
	for i, t := range yTrue {
		tk[t]++
		pk[yPred[i]]++
		if t == yPred[i] {
			correct++
		}
	}
	s := float64(len(yTrue))
	var pt, pp, tt float64
	for c, n := range tk {
		pt += n * pk[c]
		tt += n * n
	}
	for _, n := range pk {
		pp += n * n
	}
	cov := correct*s - pt
	den := (s*s - pp) * (s*s - tt)
	if den == 0 {
		return 0
	}
	return cov / math.Sqrt(den)
}
