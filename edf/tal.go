package edf

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bcikit/bcikit/raw"
)

// EDF+ stores annotations as time-stamped annotation lists (TALs) in the
// bytes of its "EDF Annotations" signal:
//
//	+onset[\x15duration]\x14text\x14[text\x14...]\x00
//
// MNE-Python 1.3 finds them with the regular expression
//
//	([+-]\d+\.?\d*)(\x15(\d+\.?\d*))?(\x14.*?)\x14\x00
//
// applied (re.findall) to the UTF-8 text of the whole annotation stream;
// scanTALs is a linear-time matcher with the same results (\d is any
// Unicode decimal digit, '.' anything but a newline).

// tal is one match of MNE's TAL pattern.
type tal struct {
	onset, duration float64
	texts           string // the \x14-separated texts, starting with \x14
}

// decodeTAL turns the annotation bytes into text: UTF-8 when valid (MNE's
// default encoding), else Latin-1 (where MNE raises and asks for
// encoding='latin1').
func decodeTAL(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return latin1(b)
}

// scanTALs calls fn for every TAL in s, in order.
func scanTALs(s string, fn func(t tal)) {
	var m talMatcher
	m.s = s
	for i := 0; i < len(s); i++ {
		if s[i] != '+' && s[i] != '-' {
			continue
		}
		if t, end, ok := m.matchAt(i); ok {
			fn(t)
			i = end - 1
		}
	}
}

type talMatcher struct {
	s string
	// The last terminator search: from `from`, the first newline or
	// "\x14\x00" is at `at` (len(s) if none). Searches only move forward,
	// so reusing it keeps the scan linear.
	from, at int
	haveMemo bool
}

// digitsEnd returns the end of the run of decimal digits starting at i.
func (m *talMatcher) digitsEnd(i int) int {
	s := m.s
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if c < '0' || c > '9' {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			return i
		}
		i += n
	}
	return i
}

// number matches \d+\.?\d* at i and returns its end, or i if none.
func (m *talMatcher) number(i int) int {
	j := m.digitsEnd(i)
	if j == i {
		return i
	}
	if j < len(m.s) && m.s[j] == '.' {
		j = m.digitsEnd(j + 1)
	}
	return j
}

// terminator returns the first position p >= from holding a newline or
// the start of "\x14\x00".
func (m *talMatcher) terminator(from int) int {
	if m.haveMemo && from >= m.from && from <= m.at {
		return m.at
	}
	s := m.s
	p := from
	for p < len(s) {
		c := s[p]
		if c == '\n' || (c == 0x14 && p+1 < len(s) && s[p+1] == 0) {
			break
		}
		p++
	}
	m.from, m.at, m.haveMemo = from, p, true
	return p
}

func (m *talMatcher) matchAt(i int) (t tal, end int, ok bool) {
	s := m.s
	k := m.number(i + 1)
	if k == i+1 {
		return t, 0, false
	}
	onset := s[i:k]
	dur := ""
	if k < len(s) && s[k] == 0x15 {
		e := m.number(k + 1)
		if e == k+1 {
			return t, 0, false
		}
		dur = s[k+1 : e]
		k = e
	}
	if k >= len(s) || s[k] != 0x14 {
		return t, 0, false
	}
	q := m.terminator(k + 1)
	if q >= len(s) || s[q] == '\n' {
		return t, 0, false
	}
	t.onset, _ = pyFloat(asciiDigits(onset))
	if dur != "" {
		t.duration, _ = pyFloat(asciiDigits(dur))
	}
	t.texts = s[k:q]
	return t, q + 2, true
}

// asciiDigits replaces every non-ASCII decimal digit of s by its ASCII
// equivalent, as Python's float() reads them.
func asciiDigits(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.IsDigit(r) {
			// Unicode decimal digits come in runs of ten from zero.
			n := 0
			for unicode.IsDigit(r - rune(n) - 1) {
				n++
			}
			r = '0' + rune(n%10)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// talAnnotations returns the annotations in the TAL text s as MNE's
// _read_annotations_edf does: the first TAL's empty text marks the
// time-keeping annotation, whose onset (the sub-second start of the first
// record) is subtracted from every later onset; every non-empty text is an
// annotation.
func talAnnotations(s string) []raw.Annotation {
	var out []raw.Annotation
	offset := 0.0
	k := 0
	scanTALs(s, func(t tal) {
		onset := t.onset + offset
		texts := t.texts[1:]
		for {
			text, rest, more := strings.Cut(texts, "\x14")
			if text != "" {
				// numpy's str arrays drop trailing NULs.
				out = append(out, raw.Annotation{Onset: onset, Duration: t.duration, Description: strings.TrimRight(text, "\x00")})
			} else if k == 0 {
				offset = -onset
			}
			if !more {
				break
			}
			texts = rest
		}
		k++
	})
	return out
}

// firstTALOnset returns the onset of the first TAL in s (the record's
// time-keeping annotation in a valid EDF+ record), or NaN.
func firstTALOnset(s string) float64 {
	var m talMatcher
	m.s = s
	for i := 0; i < len(s); i++ {
		if s[i] == '+' || s[i] == '-' {
			if t, _, ok := m.matchAt(i); ok {
				return t.onset
			}
		}
	}
	return math.NaN()
}

// micros converts seconds to whole microseconds as Python's
// timedelta(seconds=x) does (integer part exact, fraction rounded half to
// even). ok is false beyond timedelta's range, where Python raises.
func micros(x float64) (us int64, ok bool) {
	if !(math.Abs(x) < 86399999999999) { // timedelta.max is just under 1e9 days
		return 0, false
	}
	ip, fp := math.Modf(x)
	return int64(ip)*1_000_000 + int64(math.RoundToEven(fp*1e6)), true
}

// mneAnnotations sorts the annotations by onset then duration (MNE's
// Annotations) and keeps those that overlap the recording of n samples at
// sfreq, clipped to it and with onsets rounded to the microsecond, as
// raw.set_annotations does.
func mneAnnotations(ann []raw.Annotation, n int, sfreq float64) []raw.Annotation {
	sort.SliceStable(ann, func(i, j int) bool {
		if ann[i].Onset != ann[j].Onset {
			return ann[i].Onset < ann[j].Onset
		}
		return ann[i].Duration < ann[j].Duration
	})
	tmax, ok := micros(float64(n-1)/sfreq + 1/sfreq)
	if !ok {
		tmax = math.MaxInt64
	}
	out := ann[:0]
	for _, a := range ann {
		on, ok1 := micros(a.Onset)
		du, ok2 := micros(a.Duration)
		if !ok1 || !ok2 {
			continue // MNE raises OverflowError; such an annotation cannot overlap the data
		}
		off := on + du
		if on > tmax || off < 0 {
			continue
		}
		clip := false
		if on < 0 {
			on, clip = 0, true
		}
		if off > tmax {
			off, clip = tmax, true
		}
		if clip {
			a.Duration = float64(off-on) / 1e6
		}
		a.Onset = float64(on) / 1e6
		out = append(out, a)
	}
	return out
}
