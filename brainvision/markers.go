package brainvision

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/bcikit/bcikit/raw"
)

// Marker is one entry "Mk<n>=<type>,<description>,<position>,<length>,
// <channel>[,<date>]" of a .vmrk file's [Marker Infos] section.
type Marker struct {
	// Number is the n of Mk<n>.
	Number int
	// Type is the marker type ("Stimulus", "Response", "New Segment",
	// ...) and Description its text ("S253"), with the "\1" escape
	// turned back into a comma. MNE's annotation description is
	// Type + "/" + Description.
	Type, Description string
	// Position is the marker's sample as written in the file, counting
	// from 1: the sample index is Position-1.
	Position int
	// Length is the marker's duration in samples. As in MNE it is 0 when
	// the field is not made of digits only.
	Length int
	// Channel is the channel number the marker belongs to, 0 for all
	// channels; 0 too when the field is missing or not a number.
	Channel int
	// Date is the date of a "New Segment" marker (the YYYYMMDDhhmmssuuuuuu
	// field), in UTC; the zero Time when the marker has none.
	Date time.Time
}

// markerFile is a parsed .vmrk file.
type markerFile struct {
	path     string
	markers  []Marker
	codepage string
	// measDate is the recording start: the date of the first line of the
	// form "Mk<n>=New Segment,<desc>,<pos>,<len>,<chan>,<20 digits>", as
	// MNE's _get_hdr_info takes it.
	measDate    time.Time
	hasMeasDate bool
	// origTime is the time base MNE's _read_mrk gives the annotations:
	// the date of the first "New Segment" marker that has exactly five
	// fields (the date in place of the channel). Usually there is none.
	origTime    time.Time
	hasOrigTime bool
}

var (
	markerInfosRE = regexp.MustCompile(`(?i)\[Marker Infos\]`)
	markerLineRE  = regexp.MustCompile(`(?m)^Mk(\p{Nd}+)=(.*)`)
	measDateRE    = regexp.MustCompile(`^Mk\p{Nd}+=New Segment,.*,\p{Nd}+,\p{Nd}+,-?\p{Nd}+,(\p{Nd}{20})$`)
)

// markerError builds an ErrMarkers error naming the file and the field.
func markerError(path, field, format string, args ...any) error {
	return fmt.Errorf("brainvision: %s: %s: %s: %w", path, field, fmt.Sprintf(format, args...), ErrMarkers)
}

// parseMarkers interprets the bytes of a .vmrk file as MNE does; path is
// used in error messages.
func parseMarkers(b []byte, path string) (*markerFile, error) {
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	if magic := pyStrip(asciiOnly(first)); checkMagic(magic, markerMagic) == 0 {
		return nil, markerError(path, "first line", "%q is not \"Brain Vision Data Exchange Marker File, Version 1.0\" or 2.0", clip(magic))
	}
	name := "utf-8"
	if m := codepageRE.FindStringSubmatch(asciiOnly(b)); m != nil {
		name = pyStrip(m[1])
	}
	cp, ok := lookupCodec(name)
	if !ok {
		return nil, unsupported(path, "Codepage", "encoding %q (this reader decodes UTF-8, Latin-1, ANSI/cp1252 and ASCII)", clip(name))
	}
	text, used := decodeText(b, cp)
	mf := &markerFile{path: path, codepage: used.String()}

	for _, line := range splitUniversal(text) {
		m := measDateRE.FindStringSubmatch(pyStrip(line))
		if m == nil {
			continue
		}
		t, ok, err := parseMeasDate(m[1])
		if err != nil {
			return nil, markerError(path, "New Segment date", "%v", err)
		}
		mf.measDate, mf.hasMeasDate = t, ok
		break
	}

	loc := markerInfosRE.FindStringIndex(text)
	if loc == nil {
		return mf, nil
	}
	body := text[loc[1]:]
	if bracketLineOnly(body) {
		body = ""
	}
	dateStr := ""
	for _, m := range markerLineRE.FindAllStringSubmatch(body, -1) {
		field := "Mk" + m[1]
		f := strings.Split(m[2], ",")
		if len(f) < 4 {
			return nil, markerError(path, field, "%q: want <type>,<description>,<position>,<length>[,<channel>[,<date>]]", clip(m[2]))
		}
		mk := Marker{
			Type:        strings.ReplaceAll(f[0], `\1`, ","),
			Description: strings.ReplaceAll(f[1], `\1`, ","),
		}
		if n, err := pyInt(m[1]); err == nil && n <= math.MaxInt32 {
			mk.Number = int(n)
		}
		pos, err := pyInt(f[2])
		if err == nil && (pos < math.MinInt || pos > math.MaxInt) {
			err = errRange
		}
		if err != nil {
			return nil, markerError(path, field, "position %q: %v", clip(f[2]), err)
		}
		mk.Position = int(pos)
		if pyIsDigit(f[3]) {
			n, err := pyInt(f[3])
			if err == nil && n > math.MaxInt {
				err = errRange
			}
			if err != nil {
				return nil, markerError(path, field, "length %q: %v", clip(f[3]), err)
			}
			mk.Length = int(n)
		}
		if len(f) >= 5 {
			if n, err := pyInt(f[4]); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
				mk.Channel = int(n)
			}
		}
		if len(f) >= 6 {
			if t, ok, err := parseMeasDate(f[5]); ok && err == nil {
				mk.Date = t
			}
		} else if len(f) == 5 && mk.Type == "New Segment" {
			if t, ok, err := parseMeasDate(f[4]); ok && err == nil {
				mk.Date = t
			}
			if dateStr == "" {
				dateStr = f[4]
			}
		}
		mf.markers = append(mf.markers, mk)
	}
	t, ok, err := parseMeasDate(dateStr)
	if err != nil {
		return nil, markerError(path, "New Segment date", "%v", err)
	}
	mf.origTime, mf.hasOrigTime = t, ok
	return mf, nil
}

// bracketLineOnly reports whether MNE's re.search(r"^\[.*\]$", s) matches:
// without MULTILINE that is s being one "[...]" line, with at most a final
// newline. MNE then ignores everything after [Marker Infos].
func bracketLineOnly(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && !strings.Contains(s, "\n")
}

// annotations turns the markers into MNE's raw.annotations for a
// recording of nSamples samples at sfreq, starting at measDate (if
// hasMeas): onset (Position-1)/sfreq, duration Length/sfreq, description
// "Type/Description", sorted by onset then duration; annotations outside
// the recording dropped and those reaching out of it clipped, on
// datetimes with microsecond resolution as MNE's Annotations.crop.
func (mf *markerFile) annotations(sfreq float64, nSamples int, measDate time.Time, hasMeas bool) ([]raw.Annotation, error) {
	type ann struct {
		onset, dur float64
		desc       string
		mk         *Marker
	}
	anns := make([]ann, len(mf.markers))
	for i := range mf.markers {
		mk := &mf.markers[i]
		if mk.Position == math.MinInt {
			return nil, markerError(mf.path, fmt.Sprintf("Mk%d", mk.Number), "position %d out of range", mk.Position)
		}
		// numpy's fixed-width strings drop trailing NUL characters.
		desc := strings.TrimRight(mk.Type+"/"+mk.Description, "\x00")
		if strings.Contains(desc, "{COLON}") {
			return nil, markerError(mf.path, fmt.Sprintf("Mk%d", mk.Number), "MNE does not accept \"{COLON}\" in a description")
		}
		anns[i] = ann{float64(mk.Position-1) / sfreq, float64(mk.Length) / sfreq, desc, mk}
	}
	sort.SliceStable(anns, func(i, j int) bool {
		a, b := anns[i], anns[j]
		return a.onset < b.onset || (a.onset == b.onset && a.dur < b.dur)
	})
	if mf.hasOrigTime && !hasMeas {
		return nil, markerError(mf.path, "New Segment date", "a five-field New Segment marker dates the markers but no six-field one dates the recording (MNE refuses this as ambiguous)")
	}
	if len(anns) == 0 {
		return nil, nil
	}

	// MNE's raw.set_annotations: annotations are cropped to
	// [tmin, tmin + times[-1] + 1/sfreq], on absolute datetimes.
	offset, tmin := epochUS, epochUS
	if mf.hasOrigTime {
		offset, tmin = timeToUS(mf.origTime), timeToUS(measDate)
	}
	span, err := secondsToUS(float64(nSamples-1)/sfreq + 1/sfreq)
	if err == nil {
		_, err = addUS(tmin, span)
	}
	if err != nil {
		return nil, markerError(mf.path, "markers", "recording end: %v", err)
	}
	tmax := tmin + span
	out := make([]raw.Annotation, 0, len(anns))
	for _, a := range anns {
		on, err := secondsToUS(a.onset)
		if err == nil {
			on, err = addUS(offset, on)
		}
		var off int64
		if err == nil {
			off, err = secondsToUS(a.dur)
		}
		if err == nil {
			off, err = addUS(on, off)
		}
		if err != nil {
			return nil, markerError(mf.path, fmt.Sprintf("Mk%d", a.mk.Number), "position %d, length %d: %v", a.mk.Position, a.mk.Length, err)
		}
		if on > tmax || off < tmin {
			continue // outside the recording: MNE drops it
		}
		dur := a.dur
		if on < tmin || off > tmax {
			on, off = max(on, tmin), min(off, tmax)
			dur = usToSeconds(off - on)
		}
		out = append(out, raw.Annotation{Onset: usToSeconds(on - offset), Duration: dur, Description: a.desc})
	}
	if mf.hasOrigTime {
		shift := usToSeconds(timeToUS(measDate) - timeToUS(mf.origTime))
		for i := range out {
			out[i].Onset -= shift
		}
	}
	return out, nil
}
