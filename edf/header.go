package edf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Sentinel errors; every error the package returns for a bad file wraps one
// of them together with the file name and the field at fault.
var (
	// ErrFormat reports a file that is not EDF or BDF at all (its version
	// field is neither "0" nor "\xffBIOSEMI").
	ErrFormat = errors.New("not an EDF or BDF file")
	// ErrHeader reports a header field that cannot be parsed or holds an
	// impossible value.
	ErrHeader = errors.New("bad header")
	// ErrTruncated reports a file that ends before its header does, or
	// before the first data record the header promises.
	ErrTruncated = errors.New("file truncated")
)

// Header is the parsed EDF/BDF header.
type Header struct {
	// Format is "edf" (16-bit samples) or "bdf" (24-bit samples).
	Format string
	// Version is the 8-byte version field as read ("0" for EDF,
	// "\xffBIOSEMI" for BDF, trailing spaces removed).
	Version string
	// Subtype is "EDF", "EDF+C", "EDF+D", "BDF", "BDF+C" or "BDF+D", from
	// the start of the reserved field.
	Subtype string
	// Patient and Recording are the local patient and recording
	// identification fields (Latin-1, trailing whitespace removed).
	Patient, Recording string
	// StartDate and StartTime are the raw "dd.mm.yy" and "hh.mm.ss" fields.
	StartDate, StartTime string
	// Start is the recording start as MNE-Python 1.3 reads it (the
	// four-digit year of an EDF+ "Startdate" when present, whole seconds,
	// UTC); the zero Time when the date is invalid.
	Start time.Time
	// HeaderBytes is the size of the header, 256*(len(Signals)+1).
	HeaderBytes int
	// Reserved is the 44-byte reserved field (trailing spaces removed).
	Reserved string
	// Records is the number of data records the header declares (-1 while
	// recording, as the specification allows).
	Records int
	// RecordsInFile is the number of complete data records the file
	// holds; this is what the reader reads, as MNE-Python does, whatever
	// Records says.
	RecordsInFile int
	// RecordDuration is the duration of a data record in seconds. A 0 in
	// the file is read as 1, as MNE-Python does.
	RecordDuration float64
	// Signals describes every signal, the annotation signals included.
	Signals []Signal
}

// Signal is the header of one signal.
type Signal struct {
	// Label is the 16-byte label with surrounding ASCII whitespace removed.
	Label string
	// Transducer is the transducer type.
	Transducer string
	// PhysicalDim is the physical dimension ("uV", "mV", ...).
	PhysicalDim string
	// PhysicalMin, PhysicalMax, DigitalMin and DigitalMax define the
	// linear map from stored integers to physical values.
	PhysicalMin, PhysicalMax float64
	DigitalMin, DigitalMax   float64
	// Prefilter is the prefiltering field ("HP:0.1Hz LP:75Hz").
	Prefilter string
	// SamplesPerRecord is the number of samples of this signal in each
	// data record.
	SamplesPerRecord int
	// Reserved is the 32-byte reserved field.
	Reserved string
	// Annotations is true for an "EDF Annotations"/"BDF Annotations"
	// signal, which holds time-stamped annotation lists, not samples.
	Annotations bool
}

// IsPlus reports whether the file is EDF+ or BDF+.
func (h *Header) IsPlus() bool { return strings.Contains(h.Subtype, "+") }

// Discontinuous reports whether the file is EDF+D or BDF+D.
func (h *Header) Discontinuous() bool { return strings.HasSuffix(h.Subtype, "+D") }

// maxSamplesPerRecord bounds a signal's samples per record before the file
// size is known to hold them; the real bound is the file size.
const maxSamplesPerRecord = 1 << 31

// headerError builds an error that names the file, the field and, for a
// per-signal field, the signal.
func headerError(name, field string, sig int, raw string, problem string, kind error) error {
	where := fmt.Sprintf("header field %q", field)
	if sig >= 0 {
		where = fmt.Sprintf("header field %q of signal %d", field, sig+1)
	}
	return fmt.Errorf("edf: %s: %s = %q: %s: %w", name, where, raw, problem, kind)
}

// parseFixed parses the 256-byte fixed part of a header and returns the
// number of signals it announces.
func parseFixed(b []byte, name string, h *Header) (int, error) {
	switch {
	case bytes.Equal(b[:8], []byte("\xffBIOSEMI")):
		h.Format = "bdf"
	case strings.TrimRight(string(b[:8]), " \x00") == "0":
		h.Format = "edf"
	default:
		return 0, fmt.Errorf("edf: %s: version field %q: %w", name, b[:8], ErrFormat)
	}
	h.Version = strings.TrimRight(latin1(b[:8]), " ")
	h.Patient = pyRstrip(latin1(b[8:88]))
	h.Recording = pyRstrip(latin1(b[88:168]))
	h.StartDate = latin1(b[168:176])
	h.StartTime = latin1(b[176:184])
	h.Reserved = strings.TrimRight(latin1(b[192:236]), " \x00")
	h.Subtype = strings.ToUpper(h.Format)
	for _, s := range []string{"EDF+C", "EDF+D", "BDF+C", "BDF+D"} {
		if strings.HasPrefix(h.Reserved, s) {
			h.Subtype = h.Subtype + s[3:]
			break
		}
	}
	start, err := parseStart(h, name)
	if err != nil {
		return 0, err
	}
	h.Start = start

	field := func(lo, hi int) string { return latin1(b[lo:hi]) }
	ns, ok := pyInt(beforeNUL(field(252, 256)))
	if !ok {
		return 0, headerError(name, "number of signals", -1, field(252, 256), "not an integer", ErrHeader)
	}
	if ns < 1 {
		return 0, headerError(name, "number of signals", -1, field(252, 256), "need at least one signal", ErrHeader)
	}
	hb, ok := pyInt(beforeNUL(field(184, 192)))
	if !ok {
		return 0, headerError(name, "number of bytes in header", -1, field(184, 192), "not an integer", ErrHeader)
	}
	h.HeaderBytes = hb
	rec, ok := pyInt(beforeNUL(field(236, 244)))
	if !ok {
		return 0, headerError(name, "number of data records", -1, field(236, 244), "not an integer", ErrHeader)
	}
	if rec < -1 {
		return 0, headerError(name, "number of data records", -1, field(236, 244), "negative", ErrHeader)
	}
	h.Records = rec
	dur, ok := pyFloat(beforeNUL(field(244, 252)))
	if !ok {
		return 0, headerError(name, "duration of a data record", -1, field(244, 252), "not a number", ErrHeader)
	}
	if dur == 0 {
		dur = 1 // MNE: "Default record length set to 1."
	}
	if !(dur > 0) || math.IsInf(dur, 0) {
		return 0, headerError(name, "duration of a data record", -1, field(244, 252), "must be a positive number of seconds", ErrHeader)
	}
	h.RecordDuration = dur
	return ns, nil
}

// parseSignals parses the per-signal part of the header (b holds ns*256
// bytes).
func parseSignals(b []byte, ns int, name string, h *Header) error {
	h.Signals = make([]Signal, ns)
	off := 0
	next := func(width int) func(i int) []byte {
		base := off
		off += width * ns
		return func(i int) []byte { return b[base+i*width : base+(i+1)*width] }
	}
	label, transducer, dim := next(16), next(80), next(8)
	pmin, pmax, dmin, dmax := next(8), next(8), next(8), next(8)
	prefilter, nsamp, reserved := next(80), next(8), next(32)
	num := func(field string, i int, get func(int) []byte) (float64, error) {
		s := latin1(get(i))
		v, ok := pyFloat(strings.ReplaceAll(beforeNUL(s), ",", "."))
		if !ok {
			return 0, headerError(name, field, i, s, "not a number", ErrHeader)
		}
		return v, nil
	}
	for i := range h.Signals {
		s := &h.Signals[i]
		s.Label = latin1(stripBytes(label(i)))
		s.Annotations = s.Label == "EDF Annotations" || s.Label == "BDF Annotations"
		s.Transducer = pyRstrip(latin1(transducer(i)))
		s.PhysicalDim = latin1(stripBytes(dim(i)))
		var err error
		if s.PhysicalMin, err = num("physical minimum", i, pmin); err != nil {
			return err
		}
		if s.PhysicalMax, err = num("physical maximum", i, pmax); err != nil {
			return err
		}
		if s.DigitalMin, err = num("digital minimum", i, dmin); err != nil {
			return err
		}
		if s.DigitalMax, err = num("digital maximum", i, dmax); err != nil {
			return err
		}
		s.Prefilter = pyStrip(beforeNUL(latin1(prefilter(i))))
		raw := latin1(nsamp(i))
		n, ok := pyInt(beforeNUL(raw))
		switch {
		case !ok:
			return headerError(name, "number of samples in each data record", i, raw, "not an integer", ErrHeader)
		case n < 1:
			return headerError(name, "number of samples in each data record", i, raw, "must be at least 1", ErrHeader)
		case n > maxSamplesPerRecord:
			return headerError(name, "number of samples in each data record", i, raw, "too large", ErrHeader)
		}
		s.SamplesPerRecord = n
		s.Reserved = strings.TrimRight(latin1(reserved(i)), " \x00")
	}
	return nil
}

// parseStart reads the start date and time as MNE-Python 1.3 does: the
// date of an EDF+ "Startdate dd-MMM-yyyy ..." recording field when it has
// exactly five space-separated parts and a valid date, else the
// "dd.mm.yy" field (yy < 85 is 20yy). An unparsable date or time field is
// an error (MNE raises); a parsable but impossible date gives the zero
// Time (MNE warns and sets no date).
func parseStart(h *Header, name string) (time.Time, error) {
	var year, month, day int
	valid := false
	if parts := strings.Split(h.Recording, " "); len(parts) == 5 {
		year, month, day, valid = parseStartdate(parts[1])
	}
	if !valid {
		f := strings.Split(h.StartDate, ".")
		ok := len(f) == 3
		if ok {
			var ok1, ok2, ok3 bool
			day, ok1 = pyInt(f[0])
			month, ok2 = pyInt(f[1])
			year, ok3 = pyInt(f[2])
			ok = ok1 && ok2 && ok3
		}
		if !ok {
			return time.Time{}, headerError(name, "startdate of recording", -1, h.StartDate, "want dd.mm.yy", ErrHeader)
		}
		if year < 85 {
			year += 2000
		} else {
			year += 1900
		}
	}
	f := strings.Split(h.StartTime, ".")
	var hour, minute, sec int
	ok := len(f) == 3
	if ok {
		var ok1, ok2, ok3 bool
		hour, ok1 = pyInt(f[0])
		minute, ok2 = pyInt(f[1])
		sec, ok3 = pyInt(f[2])
		ok = ok1 && ok2 && ok3
	}
	if !ok {
		return time.Time{}, headerError(name, "starttime of recording", -1, h.StartTime, "want hh.mm.ss", ErrHeader)
	}
	if !validDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, nil
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), nil
}

var monthAbbr = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// parseStartdate parses "dd-MMM-yyyy" as Python's
// datetime.strptime(s, "%d-%b-%Y") does (one- or two-digit day, month
// abbreviation in any case, four-digit year).
func parseStartdate(s string) (year, month, day int, ok bool) {
	i := strings.IndexByte(s, '-')
	if i < 1 || i > 2 {
		return
	}
	d := s[:i]
	for _, c := range []byte(d) {
		if c < '0' || c > '9' {
			return
		}
	}
	day = int(d[0] - '0')
	if len(d) == 2 {
		day = 10*day + int(d[1]-'0')
	}
	if day < 1 || day > 31 {
		return
	}
	rest := s[i+1:]
	if len(rest) != 3+1+4 || rest[3] != '-' {
		return
	}
	for m, a := range monthAbbr {
		if strings.EqualFold(rest[:3], a) {
			month = m + 1
		}
	}
	if month == 0 {
		return
	}
	for _, c := range []byte(rest[4:]) {
		if c < '0' || c > '9' {
			return
		}
	}
	year = int(rest[4]-'0')*1000 + int(rest[5]-'0')*100 + int(rest[6]-'0')*10 + int(rest[7]-'0')
	if !validDate(year, month, day) {
		return
	}
	return year, month, day, true
}

// validDate reports whether Python's datetime accepts the date.
func validDate(year, month, day int) bool {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
