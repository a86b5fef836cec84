package fif

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// fileAnnotations is the content of an MNE annotations block
// (FIFFB_MNE_ANNOTATIONS), before MNE fits it to the recording.
type fileAnnotations struct {
	onset, duration []float64
	description     []string
	orig            int64 // orig_time, microseconds since the epoch
	hasOrig         bool
}

// readAnnotations reads the first annotations block of the file as MNE's
// _read_annotations_fif: onsets (FIFF_MNE_BASELINE_MIN), ends
// (FIFF_MNE_BASELINE_MAX, from which durations are computed in the stored
// precision), colon-separated descriptions (FIFF_COMMENT) and the time
// origin (FIFF_MEAS_DATE). It returns nil when there is none.
func (f *File) readAnnotations() (*fileAnnotations, error) {
	blocks := f.Root.Find(blockMNEAnnotation)
	if len(blocks) == 0 {
		return nil, nil
	}
	b := blocks[0]
	a := &fileAnnotations{}
	var onsetSingle bool
	for _, t := range b.Tags {
		switch t.Kind {
		case kindMNEBaselineMin:
			if t.Size == 0 {
				a.onset = nil
				continue
			}
			v, single, err := f.numbers(t, "annotation onsets")
			if err != nil {
				return nil, err
			}
			a.onset, onsetSingle = v, single
		case kindMNEBaselineMax:
			if t.Size == 0 {
				a.duration = nil
				continue
			}
			v, single, err := f.numbers(t, "annotation ends")
			if err != nil {
				return nil, err
			}
			switch {
			case len(v) == len(a.onset):
			case len(v) == 1: // numpy broadcasts one end to every onset
				for len(v) < len(a.onset) {
					v = append(v, v[0])
				}
				v = v[:len(a.onset)]
			default:
				return nil, f.tagErrorf(t, ErrFormat, "annotations: %d ends for %d onsets", len(v), len(a.onset))
			}
			for i := range v {
				if single && onsetSingle {
					// numpy subtracts two float32 arrays in float32.
					v[i] = float64(float32(v[i]) - float32(a.onset[i]))
				} else {
					v[i] -= a.onset[i]
				}
			}
			a.duration = v
		case kindComment:
			s, err := f.str(t, "annotation descriptions")
			if err != nil {
				return nil, err
			}
			a.description = nil
			if s != "" {
				for _, d := range strings.Split(s, ":") {
					a.description = append(a.description, strings.ReplaceAll(d, "{COLON}", ":"))
				}
			}
		case kindMeasDate:
			v, _, err := f.numbers(t, "annotation time origin (FIFF_MEAS_DATE)")
			if err != nil {
				return nil, err
			}
			var ok bool
			switch len(v) {
			case 0:
			case 1: // old files: seconds as one float
				a.orig, ok = floatMicros(v[0])
			default:
				a.orig, ok = stampMicros(v[0], v[1])
			}
			if !ok {
				return nil, f.tagErrorf(t, ErrFormat, "annotation time origin (FIFF_MEAS_DATE) %v is not a valid date", v)
			}
			a.hasOrig = true
		}
	}
	if len(a.onset) != len(a.duration) || len(a.onset) != len(a.description) {
		return nil, f.errorf(ErrFormat, "annotations: %d onsets, %d durations and %d descriptions",
			len(a.onset), len(a.duration), len(a.description))
	}
	sortAnnotations(a.onset, a.duration, a.description)
	return a, nil
}

// sortAnnotations sorts by onset, then duration, keeping the order of
// ties, as MNE's Annotations._sort.
func sortAnnotations(onset, duration []float64, desc []string) {
	idx := make([]int, len(onset))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := idx[i], idx[j]
		return onset[a] < onset[b] || onset[a] == onset[b] && duration[a] < duration[b]
	})
	o, d, s := make([]float64, len(idx)), make([]float64, len(idx)), make([]string, len(idx))
	for k, i := range idx {
		o[k], d[k], s[k] = onset[i], duration[i], desc[i]
	}
	copy(onset, o)
	copy(duration, d)
	copy(desc, s)
}

// recordingSpan is what MNE's Raw.set_annotations needs to know about the
// recording.
type recordingSpan struct {
	sfreq     float64
	firstSamp int   // MNE's raw.first_samp
	nSamples  int   // n_times
	date      int64 // meas_date, microseconds since the epoch
	dated     bool
}

// fit does to the file's annotations what MNE's Raw.set_annotations does
// when it attaches them to the recording: annotations outside the
// recording are dropped, those that stick out are clipped (times rounded
// to microseconds, as Python's datetime does), and onsets become seconds
// from the measurement date (or from sample 0 of the acquisition when
// there is no date).
func (a *fileAnnotations) fit(s recordingSpan) ([]raw.Annotation, error) {
	if !s.dated && a.hasOrig {
		return nil, errors.New("annotations have a time origin but the recording has no measurement date")
	}
	if len(a.onset) == 0 && !a.hasOrig {
		return nil, nil // MNE's crop returns at once
	}
	firstTime := float64(s.firstSamp) / s.sfreq
	delta := 1 / s.sfreq
	last := float64(s.nSamples-1)/s.sfreq + delta // times[-1] + delta

	var offset, tmin, tmax int64
	if !a.hasOrig {
		var ok bool
		if tmax, ok = floatMicros(last); !ok {
			return nil, errors.New("recording end out of range")
		}
	} else {
		d0, ok0 := pyTimedelta(firstTime)
		d1, ok1 := pyTimedelta(last)
		if !ok0 || !ok1 {
			return nil, errors.New("recording end out of range")
		}
		offset, tmin = a.orig, s.date+d0
		tmax = tmin + d1
		if !inDatetimeRange(tmin) || !inDatetimeRange(tmax) {
			return nil, errors.New("recording end out of range")
		}
	}

	var out []raw.Annotation
	for i, onset := range a.onset {
		dur := a.duration[i]
		if math.IsNaN(dur) {
			dur = 0 // as MNE's crop
		}
		don, ok := pyTimedelta(onset)
		if !ok {
			return nil, fmt.Errorf("annotation %d: onset %v s out of range", i, onset)
		}
		ddur, ok := pyTimedelta(dur)
		if !ok {
			return nil, fmt.Errorf("annotation %d: duration %v s out of range", i, dur)
		}
		on := offset + don
		off := on + ddur
		if !inDatetimeRange(on) || !inDatetimeRange(off) {
			return nil, fmt.Errorf("annotation %d: onset %v s out of range", i, onset)
		}
		if on > tmax || off < tmin {
			continue
		}
		clipped := false
		if on < tmin {
			on, clipped = tmin, true
		}
		if off > tmax {
			off, clipped = tmax, true
		}
		if clipped {
			dur = microsToSeconds(off - on)
		}
		if dur < 0 {
			return nil, fmt.Errorf("annotation %d: negative duration %v s", i, dur)
		}
		out = append(out, raw.Annotation{Onset: microsToSeconds(on - offset), Duration: dur, Description: a.description[i]})
	}
	shift := firstTime
	if a.hasOrig {
		shift = -microsToSeconds(s.date - a.orig)
	}
	for i := range out {
		out[i].Onset += shift
	}
	return out, nil
}

// pyTimedelta returns the microseconds of Python's timedelta(seconds=x):
// the integral seconds exactly, the fraction scaled to microseconds in
// float64 and rounded half to even on the total, as CPython's delta_new.
// It reports false where Python raises (NaN, infinities, more than
// timedelta's 999999999 days).
func pyTimedelta(x float64) (int64, bool) {
	if math.IsNaN(x) || math.Abs(x) >= 86400*999999999 {
		return 0, false
	}
	ip, fp := math.Modf(x)
	us := int64(ip) * 1000000
	if fp == 0 {
		return us, true
	}
	ip2, left := math.Modf(1e6 * fp)
	us += int64(ip2)
	if left != 0 {
		whole := math.Round(left)
		if math.Abs(whole-left) == 0.5 {
			odd := float64(us & 1)
			whole = 2*math.Round((left+odd)*0.5) - odd
		}
		us += int64(whole)
	}
	return us, true
}

// floatMicros returns the microseconds of a time given as float seconds,
// as MNE's _handle_meas_date does for numbers: the integral seconds plus
// the fraction times 1e6 rounded half to even.
func floatMicros(x float64) (int64, bool) {
	if math.IsNaN(x) || math.Abs(x) > 1e12 {
		return 0, false
	}
	ip, fp := math.Modf(x)
	us := int64(ip)*1000000 + int64(math.RoundToEven(fp*1e6))
	return us, inDatetimeRange(us)
}

func inDatetimeRange(us int64) bool { return us >= minDatetimeUS && us <= maxDatetimeUS }

// microsToSeconds is Python's timedelta.total_seconds: microseconds / 1e6
// correctly rounded.
func microsToSeconds(us int64) float64 {
	if us > -1<<53 && us < 1<<53 {
		return float64(us) / 1e6 // both exact: one correctly rounded division
	}
	x, _ := new(big.Rat).SetFrac64(us, 1000000).Float64()
	return x
}
