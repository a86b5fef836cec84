package edf

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The header fields are ASCII text. MNE-Python decodes them as Latin-1 and
// converts them with Python's int() and float(); the helpers below accept
// exactly what those accept (surrounding Unicode whitespace, a sign,
// single underscores between digits, "inf"/"nan" for floats) so that a file
// MNE reads is read here too, and one it rejects is rejected.

// latin1 decodes b as ISO 8859-1, as Python's bytes.decode('latin-1').
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(2 * len(b))
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// asciiSpace is the set bytes.strip() removes.
const asciiSpace = " \t\n\r\v\f"

// stripBytes trims b as Python's bytes.strip() does (ASCII whitespace).
func stripBytes(b []byte) []byte {
	for len(b) > 0 && strings.IndexByte(asciiSpace, b[0]) >= 0 {
		b = b[1:]
	}
	for len(b) > 0 && strings.IndexByte(asciiSpace, b[len(b)-1]) >= 0 {
		b = b[:len(b)-1]
	}
	return b
}

// pySpace reports whether Python's str.isspace() holds for r.
func pySpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0:
		return true
	}
	return r > 0xff && unicode.IsSpace(r)
}

// pyStrip trims s as Python's str.strip() does.
func pyStrip(s string) string { return strings.TrimFunc(s, pySpace) }

// pyRstrip trims the end of s as Python's str.rstrip() does.
func pyRstrip(s string) string { return strings.TrimRightFunc(s, pySpace) }

// beforeNUL returns the part of s before its first NUL, as MNE's
// _edf_str (x.decode('latin-1').split('\x00')[0]).
func beforeNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// digits checks that s is a run of ASCII digits with single underscores
// between digits (Python's integer literal rule) and returns it without
// the underscores.
func digits(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if !strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", false
			}
		}
		return s, true
	}
	var sb strings.Builder
	prevDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			sb.WriteByte(c)
			prevDigit = true
		case c == '_' && prevDigit && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			prevDigit = false
		default:
			return "", false
		}
	}
	return sb.String(), true
}

// pyInt parses s as Python's int(s) does, within the range of int.
func pyInt(s string) (int, bool) {
	s = pyStrip(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	d, ok := digits(s)
	if !ok {
		return 0, false
	}
	if neg {
		d = "-" + d
	}
	v, err := strconv.ParseInt(d, 10, 0)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// pyFloat parses s as Python's float(s) does.
func pyFloat(s string) (float64, bool) {
	s = pyStrip(s)
	if plainDecimal(s) {
		// Python and strconv agree on [+-]digits[.digits] (and on the
		// forms with no digit before or after the point).
		return parseFloat(s)
	}
	body := s
	sign := ""
	if body != "" && (body[0] == '+' || body[0] == '-') {
		sign, body = body[:1], body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if sign == "-" {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	// mantissa [exponent]; mantissa is digits[.digits] or .digits
	mant, exp := body, ""
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		mant, exp = body[:i], body[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			e, ok := digits(exp[1:])
			if !ok {
				return 0, false
			}
			exp = exp[:1] + e
		} else {
			e, ok := digits(exp)
			if !ok {
				return 0, false
			}
			exp = e
		}
	}
	ip, fp, dot := mant, "", false
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		ip, fp, dot = mant[:i], mant[i+1:], true
	}
	if ip == "" && fp == "" {
		return 0, false
	}
	var sb strings.Builder
	sb.WriteString(sign)
	if ip != "" {
		d, ok := digits(ip)
		if !ok {
			return 0, false
		}
		sb.WriteString(d)
	} else {
		sb.WriteByte('0')
	}
	if dot {
		sb.WriteByte('.')
		if fp != "" {
			d, ok := digits(fp)
			if !ok {
				return 0, false
			}
			sb.WriteString(d)
		}
	}
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		sb.WriteByte('e')
		sb.WriteString(exp)
	}
	return parseFloat(sb.String())
}

// parseFloat is strconv.ParseFloat with Python's overflow rule: a number
// too large gives ±Inf, not an error.
func parseFloat(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return v, true
		}
		return 0, false
	}
	return v, true
}

// plainDecimal reports whether s is [+-]d*[.]d* with at least one digit.
func plainDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	dot, digit := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digit
}
