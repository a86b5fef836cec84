package gdf

// This file reproduces the few Python conversions that decide what MNE-Python
// reads from a GDF header: Latin-1 text fields cut at the first NUL and
// stripped (mne.io.edf.edf._edf_str followed by str.strip), int() on the
// digits of a GDF 1 start date, and the microsecond rounding of
// datetime.timedelta built from a float (CPython's Modules/_datetimemodule.c,
// accum and delta_new).

import (
	"math"
	"strings"
)

// latin1 decodes b as ISO 8859-1, cuts it at the first NUL and strips
// Python whitespace from both ends, as MNE's _edf_str(b).strip() does.
func latin1(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c == 0 {
			break
		}
		sb.WriteRune(rune(c))
	}
	return strings.TrimFunc(sb.String(), pySpace)
}

// pySpace reports whether r is whitespace for Python's str.strip and int()
// (Py_UNICODE_ISSPACE), restricted to the Latin-1 range GDF text can hold.
func pySpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0:
		return true
	}
	return false
}

// pyInt parses s as Python's int(s) does for base 10: surrounding
// whitespace, an optional sign, and ASCII digits that may be grouped by
// single underscores. It reports false where Python raises ValueError, and
// for values that do not fit in an int (never the case for the short date
// fields it is used on).
func pyInt(s string) (int, bool) {
	s = strings.TrimFunc(s, pySpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false
	}
	v := 0
	prevUnderscore := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			if prevUnderscore {
				return 0, false
			}
			prevUnderscore = true
			continue
		case c < '0' || c > '9':
			return 0, false
		}
		prevUnderscore = false
		if v > (math.MaxInt32-9)/10 {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// Microseconds per unit of the timedelta arguments used here.
const (
	usPerSecond = 1_000_000
	usPerDay    = 86_400 * usPerSecond
)

// pyTimedeltaMicros returns the number of microseconds of
// datetime.timedelta(days=v) (unit usPerDay) or timedelta(seconds=v) (unit
// usPerSecond) for a float v, rounded exactly as CPython does: the integral
// part of v is exact, the fractional part is scaled in double precision and
// what is left below one microsecond is rounded half to even on the total.
// It reports false when v is not finite or so large that the result would
// leave the range of a datetime (years 1 to 9999) from any origin used here.
func pyTimedeltaMicros(v float64, unit int64) (int64, bool) {
	// 3.2e11 s and 3.7e6 days are both a little more than 10000 years.
	limit := 3.2e11
	if unit == usPerDay {
		limit = 3.7e6
	}
	if !(math.Abs(v) < limit) {
		return 0, false
	}
	ip, frac := math.Modf(v)
	x := int64(ip) * unit
	if frac == 0 {
		return x, true
	}
	scaled := float64(unit) * frac
	ip2, left := math.Modf(scaled)
	x += int64(ip2)
	if left != 0 {
		whole := math.Round(left)
		if math.Abs(whole-left) == 0.5 {
			odd := float64(x & 1)
			whole = 2*math.Round((left+odd)*0.5) - odd
		}
		x += int64(whole)
	}
	return x, true
}

// Microseconds from 0001-01-01 to 1970-01-01 and from 1970-01-01 to the
// last microsecond of 9999, the range of a Python datetime.
const (
	usYear1ToEpoch = 62_135_596_800 * usPerSecond
	usEpochTo9999  = 253_402_300_799*usPerSecond + 999_999
)

// inDatetimeRange reports whether us microseconds after the Unix epoch is a
// valid Python datetime.
func inDatetimeRange(us int64) bool {
	return us >= -usYear1ToEpoch && us <= usEpochTo9999
}
