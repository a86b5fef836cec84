package brainvision

// Text rules of the reference implementation.
//
// MNE-Python reads BrainVision files with Python's str methods, int(),
// float(), configparser and datetime.strptime. Files that matter in
// practice are plain ASCII, but the header fields are free text, and where
// Python accepts or refuses a field this reader does the same, so that a
// file opens here exactly when it opens in MNE. The helpers below are the
// Python rules this package relies on, written for Go strings.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// pyIsSpace reports whether Python's str.isspace holds for r: Go's
// unicode.IsSpace plus the ASCII information separators U+001C..U+001F.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyStrip is Python's str.strip() with no argument.
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyRstrip is Python's str.rstrip() with no argument.
func pyRstrip(s string) string { return strings.TrimRightFunc(s, pyIsSpace) }

// pyDecimal returns the value of r if it is a Unicode decimal digit
// (category Nd), which is what Python's int() and float() accept as
// digits. Unicode lays every Nd digit out in runs of ten starting at zero,
// and the runs start where Go's range table entries start, so the value is
// the distance from the entry's start modulo ten.
func pyDecimal(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// digitNotDecimal lists the characters for which Python's str.isdigit
// holds although they are not decimal digits (superscripts, circled
// digits, ...): int() refuses them. Generated from Python 3.11's
// unicodedata (Unicode 14).
var digitNotDecimal = []struct{ lo, hi rune }{
	{0xB2, 0xB3}, {0xB9, 0xB9}, {0x1369, 0x1371}, {0x19DA, 0x19DA}, {0x2070, 0x2070},
	{0x2074, 0x2079}, {0x2080, 0x2089}, {0x2460, 0x2468}, {0x2474, 0x247C}, {0x2488, 0x2490},
	{0x24EA, 0x24EA}, {0x24F5, 0x24FD}, {0x24FF, 0x24FF}, {0x2776, 0x277E}, {0x2780, 0x2788},
	{0x278A, 0x2792}, {0x10A40, 0x10A43}, {0x10E60, 0x10E68}, {0x11052, 0x1105A}, {0x1F100, 0x1F10A},
}

// pyIsDigit is Python's str.isdigit: non-empty and every character a digit.
func pyIsDigit(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if _, ok := pyDecimal(r); ok {
			continue
		}
		found := false
		for _, d := range digitNotDecimal {
			if r >= d.lo && r <= d.hi {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// errSyntax and errRange are the two ways a number field can be wrong.
var (
	errSyntax = errors.New("not a number")
	errRange  = errors.New("number out of range")
)

// pyNumberASCII prepares s as Python's int() and float() do: strip
// whitespace, turn Unicode decimal digits into ASCII ones, and remove the
// underscores Python allows between two digits. It reports a syntax error
// for an underscore anywhere else.
func pyNumberASCII(s string) (string, error) {
	s = pyStrip(s)
	var b strings.Builder
	b.Grow(len(s))
	prevDigit := false
	underscore := false
	for _, r := range s {
		if d, ok := pyDecimal(r); ok {
			b.WriteByte(byte('0' + d))
			prevDigit, underscore = true, false
			continue
		}
		if r == '_' {
			if !prevDigit {
				return "", errSyntax
			}
			prevDigit, underscore = false, true
			continue
		}
		if underscore || r >= utf8.RuneSelf {
			return "", errSyntax
		}
		b.WriteRune(r)
		prevDigit = false
	}
	if underscore {
		return "", errSyntax
	}
	return b.String(), nil
}

// pyInt parses s as Python's int(s) does (base 10: surrounding whitespace,
// a sign, underscores between digits, any Unicode decimal digits). Values
// outside int64 give errRange.
func pyInt(s string) (int64, error) {
	t, err := pyNumberASCII(s)
	if err != nil {
		return 0, err
	}
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" {
		return 0, errSyntax
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return 0, errSyntax
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, errRange
	}
	return v, nil
}

// floatRE is the grammar of a finite decimal literal as Python's float()
// takes it once pyNumberASCII has cleaned it.
var floatRE = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// pyFloat parses s as Python's float(s) does, including "inf",
// "infinity" and "nan" in any case and with a sign. Decimal literals too
// large for float64 give ±Inf, as in Python.
func pyFloat(s string) (float64, error) {
	t, err := pyNumberASCII(s)
	if err != nil {
		return 0, err
	}
	body := t
	sign := 1.0
	if body != "" && (body[0] == '+' || body[0] == '-') {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		return math.Inf(int(sign)), nil
	case "nan":
		return math.NaN(), nil
	}
	if !floatRE.MatchString(t) {
		return 0, errSyntax
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errSyntax
	}
	return v, nil
}

// asciiOnly keeps the ASCII bytes of b, as Python's
// b.decode("ascii", "ignore").
func asciiOnly(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
		}
	}
	return string(out)
}

// codepageRE finds the Codepage setting the way MNE does: the first
// "Codepage=" anywhere in the file (case-sensitive), up to the end of its
// line.
var codepageRE = regexp.MustCompile(`Codepage=(.+)`)

// codec is a text encoding this package can decode.
type codec int

const (
	codecUTF8 codec = iota
	codecUTF8Sig
	codecLatin1
	codecCP1252
	codecASCII
)

func (c codec) String() string {
	switch c {
	case codecUTF8Sig:
		return "UTF-8-sig"
	case codecLatin1:
		return "Latin-1"
	case codecCP1252:
		return "cp1252"
	case codecASCII:
		return "ASCII"
	}
	return "UTF-8"
}

// codecModules and codecAliases are the names Python's encodings package
// knows for the codecs above (encodings.aliases).
var (
	codecModules = map[string]codec{
		"utf_8": codecUTF8, "utf_8_sig": codecUTF8Sig, "latin_1": codecLatin1, "cp1252": codecCP1252, "ascii": codecASCII,
	}
	codecAliases = map[string]codec{
		"cp65001": codecUTF8, "u8": codecUTF8, "utf": codecUTF8, "utf8": codecUTF8, "utf8_ucs2": codecUTF8, "utf8_ucs4": codecUTF8,
		"8859": codecLatin1, "cp819": codecLatin1, "csisolatin1": codecLatin1, "ibm819": codecLatin1, "iso8859": codecLatin1,
		"iso8859_1": codecLatin1, "iso_8859_1": codecLatin1, "iso_8859_1_1987": codecLatin1, "iso_ir_100": codecLatin1,
		"l1": codecLatin1, "latin": codecLatin1, "latin1": codecLatin1,
		"1252": codecCP1252, "windows_1252": codecCP1252,
		"646": codecASCII, "ansi_x3.4_1968": codecASCII, "ansi_x3.4_1986": codecASCII, "ansi_x3_4_1968": codecASCII,
		"cp367": codecASCII, "csascii": codecASCII, "ibm367": codecASCII, "iso646_us": codecASCII,
		"iso_646.irv_1991": codecASCII, "iso_ir_6": codecASCII, "us": codecASCII, "us_ascii": codecASCII,
	}
)

// lookupCodec resolves a Codepage value as Python's codecs.lookup does,
// for the encodings BrainVision writers use. "ANSI" is cp1252, as in MNE.
// Other encodings Python knows are reported as unsupported.
func lookupCodec(name string) (codec, bool) {
	if name == "ANSI" {
		return codecCP1252, true
	}
	// encodings.normalize_encoding after codecs' lower-casing: runs of
	// characters other than letters, digits and '.' become one '_'.
	var b strings.Builder
	punct := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' {
			if punct && b.Len() > 0 {
				b.WriteByte('_')
			}
			if r < utf8.RuneSelf {
				b.WriteRune(r)
			}
			punct = false
		} else {
			punct = true
		}
	}
	norm := b.String()
	if c, ok := codecAliases[norm]; ok {
		return c, true
	}
	if c, ok := codecAliases[strings.ReplaceAll(norm, ".", "_")]; ok {
		return c, true
	}
	c, ok := codecModules[norm]
	return c, ok
}

// cp1252High maps bytes 0x80..0x9F of Windows-1252; 0 marks the five
// bytes Python's cp1252 codec refuses.
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// decodeText decodes b with c. Like MNE, a file that is not valid in its
// declared encoding is read as Latin-1, which never fails. It returns the
// text and the encoding actually used.
func decodeText(b []byte, c codec) (string, codec) {
	switch c {
	case codecUTF8Sig:
		b2 := bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if utf8.Valid(b2) {
			return string(b2), codecUTF8Sig
		}
	case codecUTF8:
		if utf8.Valid(b) {
			return string(b), codecUTF8
		}
	case codecASCII:
		if isASCII(b) {
			return string(b), codecASCII
		}
	case codecCP1252:
		if s, ok := decodeCP1252(b); ok {
			return s, codecCP1252
		}
	}
	runes := make([]rune, len(b))
	for i, x := range b {
		runes[i] = rune(x)
	}
	return string(runes), codecLatin1
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decodeCP1252 decodes Windows-1252, failing on the five bytes that
// Python's codec leaves undefined.
func decodeCP1252(b []byte) (string, bool) {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, x := range b {
		r := rune(x)
		if x >= 0x80 && x < 0xA0 {
			if r = cp1252High[x-0x80]; r == 0 {
				return "", false
			}
		}
		sb.WriteRune(r)
	}
	return sb.String(), true
}

// splitLinesKeepEnds splits s after every '\n', as iterating over a
// Python text stream that does no newline translation (io.StringIO) does.
func splitLinesKeepEnds(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	return lines
}

// splitUniversal splits s into lines at "\r\n", "\r" and "\n", as Python's
// text-mode file reading with universal newlines does; line ends are
// dropped.
func splitUniversal(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return lines
}

// dateRE is the regular expression datetime.strptime builds for
// "%Y%m%d%H%M%S%f" (Python's \d is any Unicode decimal digit; %f takes
// ASCII digits only). Go's regexp picks the same submatches as Python's
// backtracking matcher.
var dateRE = regexp.MustCompile(`^(\p{Nd}{4})(1[0-2]|0[1-9]|[1-9])(3[01]|[12]\p{Nd}|0[1-9]|[1-9]| [1-9])(2[0-3]|[0-1]\p{Nd}|\p{Nd})([0-5]\p{Nd}|\p{Nd})(6[0-1]|[0-5]\p{Nd}|\p{Nd})([0-9]{1,6})`)

// errDate is a measurement date that Python's strptime matches but refuses.
var errDate = errors.New("invalid date")

// parseMeasDate converts a BrainVision date (YYYYMMDDhhmmssuuuuuu) the way
// MNE's _str_to_meas_date does. It returns ok=false for "", "0", all
// zeros and strings that do not match the format (MNE: no date), and an
// error where strptime matches but then fails (digits left over, a day
// that does not exist, second 60), which makes MNE refuse the file.
func parseMeasDate(s string) (t time.Time, ok bool, err error) {
	s = pyStrip(s)
	if s == "" || s == "0" || s == "00000000000000000000" {
		return time.Time{}, false, nil
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false, nil
	}
	if len(m[0]) != len(s) {
		return time.Time{}, false, fmt.Errorf("%w: %q: unconverted data remains", errDate, s)
	}
	var v [7]int
	for i := 1; i <= 6; i++ {
		n, err := pyInt(strings.TrimLeft(m[i], " "))
		if err != nil {
			return time.Time{}, false, fmt.Errorf("%w: %q", errDate, s)
		}
		v[i-1] = int(n)
	}
	frac := m[7] + strings.Repeat("0", 6-len(m[7]))
	us, _ := strconv.Atoi(frac)
	year, month, day, hour, minute, sec := v[0], v[1], v[2], v[3], v[4], v[5]
	if year < 1 || day > daysIn(month, year) || sec > 59 {
		return time.Time{}, false, fmt.Errorf("%w: %q: no such date", errDate, s)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, us*1000, time.UTC), true, nil
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Python datetimes run from 0001-01-01 to 9999-12-31T23:59:59.999999;
// arithmetic leaving that range raises OverflowError, which makes MNE
// refuse the file. Instants are counted here in microseconds since
// 0001-01-01 UTC.
const (
	maxDatetimeUS int64 = 3652059*86400*1000000 - 1
	epochUS       int64 = 62135596800 * 1000000 // 1970-01-01
)

// errDateRange is date arithmetic that leaves Python's datetime range.
var errDateRange = errors.New("date value out of range")

// timeToUS converts t to microseconds since 0001-01-01 UTC.
func timeToUS(t time.Time) int64 {
	return (t.Unix()+62135596800)*1000000 + int64(t.Nanosecond()/1000)
}

// secondsToUS converts seconds to whole microseconds as Python's
// timedelta(seconds=x) does: the integer part exactly, the fraction
// rounded half to even.
func secondsToUS(x float64) (int64, error) {
	if math.IsNaN(x) || math.Abs(x) > 4e11 { // 4e11 s is beyond any datetime
		return 0, errDateRange
	}
	ip, fp := math.Modf(x)
	return int64(ip)*1000000 + int64(math.RoundToEven(fp*1e6)), nil
}

// addUS adds a microsecond offset to an instant, failing where Python's
// datetime arithmetic would.
func addUS(t, d int64) (int64, error) {
	s := t + d
	if s < 0 || s > maxDatetimeUS {
		return 0, errDateRange
	}
	return s, nil
}

// usToSeconds is timedelta.total_seconds(): microseconds / 10**6 rounded
// once, to nearest.
func usToSeconds(us int64) float64 {
	if us > -(1<<53) && us < 1<<53 {
		return float64(us) / 1e6
	}
	f, _ := new(big.Rat).SetFrac64(us, 1000000).Float64()
	return f
}
