package brainvision

import (
	"math"
	"testing"
	"time"
)

// TestCodecNames checks Codepage names against what Python 3.11's
// codecs.lookup answers for them.
func TestCodecNames(t *testing.T) {
	for name, want := range map[string]string{
		"UTF-8": "UTF-8", "utf8": "UTF-8", "UTF_8": "UTF-8", "U8": "UTF-8", "UTF 8": "UTF-8", " utf-8": "UTF-8",
		"utf--8": "UTF-8", "utf-8-sig": "UTF-8-sig", "latin-1": "Latin-1", "LATIN 1": "Latin-1",
		"ISO-8859-1": "Latin-1", "ISO_8859-1:1987": "Latin-1", "L1": "Latin-1", "cp819": "Latin-1",
		"cp1252": "cp1252", "windows-1252": "cp1252", "WINDOWS_1252": "cp1252", "1252": "cp1252", "ANSI": "cp1252",
		"ascii": "ASCII", "US-ASCII": "ASCII", "646": "ASCII",
		// Python: LookupError.
		"UTF8-SIG": "", "Windows1252": "", "ansi": "", "utf.8": "", "": "", "klingon": "",
	} {
		c, ok := lookupCodec(name)
		got := ""
		if ok {
			got = c.String()
		}
		if got != want {
			t.Errorf("lookupCodec(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestDecodeFallback checks that text invalid in its codec is read as
// Latin-1, as MNE's except UnicodeDecodeError branch.
func TestDecodeFallback(t *testing.T) {
	for _, c := range []struct {
		in    string
		codec codec
		want  string
		used  codec
	}{
		{"a\xc2\xb5", codecUTF8, "aµ", codecUTF8},
		{"a\xb5", codecUTF8, "aµ", codecLatin1},
		{"\xef\xbb\xbfx", codecUTF8Sig, "x", codecUTF8Sig},
		{"\xef\xbb\xbfx", codecUTF8, "\ufeffx", codecUTF8},
		{"\x80\x9f", codecCP1252, "€Ÿ", codecCP1252},
		{"\x81", codecCP1252, "\u0081", codecLatin1},
		{"\xe9", codecASCII, "é", codecLatin1},
	} {
		got, used := decodeText([]byte(c.in), c.codec)
		if got != c.want || used != c.used {
			t.Errorf("decode(%q, %v) = %q, %v; want %q, %v", c.in, c.codec, got, used, c.want, c.used)
		}
	}
}

// TestPyNumbers checks int() and float() parsing against Python's rules.
func TestPyNumbers(t *testing.T) {
	ints := map[string]int64{"7": 7, " -7 ": -7, "+1_000": 1000, "\u0663\u0660": 30, "007": 7, "\t12\x1c": 12}
	for s, want := range ints {
		if got, err := pyInt(s); err != nil || got != want {
			t.Errorf("pyInt(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "1.0", "1__0", "_1", "1_", "+-1", "0x10", "²", "1 2", "99999999999999999999"} {
		if _, err := pyInt(s); err == nil {
			t.Errorf("pyInt(%q) accepted", s)
		}
	}
	floats := map[string]float64{"1": 1, " 1.5e3 ": 1500, ".5": 0.5, "5.": 5, "-inf": math.Inf(-1), "Infinity": math.Inf(1),
		"1_0.2_5": 10.25, "1e400": math.Inf(1), "\u0661.\u0665": 1.5}
	for s, want := range floats {
		if got, err := pyFloat(s); err != nil || got != want {
			t.Errorf("pyFloat(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if v, err := pyFloat("-NaN"); err != nil || !math.IsNaN(v) {
		t.Errorf("pyFloat(-NaN) = %v, %v", v, err)
	}
	for _, s := range []string{"", ".", "e5", "1e", "0x1p3", "1_.5", "1._5", "1e_5", "inf inity", "1,5", "nan1"} {
		if _, err := pyFloat(s); err == nil {
			t.Errorf("pyFloat(%q) accepted", s)
		}
	}
	// Decimal digits of other scripts (checked once against Python's
	// unicodedata.decimal for every Nd character Go and Python share).
	for r, want := range map[rune]int{'\u0663': 3, '\uff10': 0, '\U0001D7D7': 9, '\u07c9': 9, '\u0e55': 5, '7': 7} {
		if got, ok := pyDecimal(r); !ok || got != want {
			t.Errorf("pyDecimal(%U) = %d, %v; want %d", r, got, ok, want)
		}
	}
	if _, ok := pyDecimal('\u00b2'); ok {
		t.Error("superscript two is not a decimal digit")
	}
	if !pyIsDigit("12") || !pyIsDigit("\u00b2") || pyIsDigit("") || pyIsDigit("1 ") || pyIsDigit("+1") {
		t.Error("pyIsDigit")
	}
}

// TestMeasDate checks the strptime("%Y%m%d%H%M%S%f") rules MNE relies on.
func TestMeasDate(t *testing.T) {
	ok := map[string]time.Time{
		"20131113161403794232":   time.Date(2013, 11, 13, 16, 14, 3, 794232000, time.UTC),
		" 20240229000000000001 ": time.Date(2024, 2, 29, 0, 0, 0, 1000, time.UTC),
		"2013111316140379":       time.Date(2013, 11, 13, 16, 14, 3, 790000000, time.UTC),
		"2013111316140":          time.Date(2013, 11, 13, 16, 1, 4, 0, time.UTC), // as strptime splits it
		"201311 5161403":         time.Date(2013, 11, 5, 16, 14, 0, 300000000, time.UTC),
	}
	for s, want := range ok {
		got, found, err := parseMeasDate(s)
		if err != nil || !found || !got.Equal(want) {
			t.Errorf("parseMeasDate(%q) = %v, %v, %v; want %v", s, got, found, err, want)
		}
	}
	for _, s := range []string{"", "0", "00000000000000000000", "20130013161403794232", "x"} {
		if _, found, err := parseMeasDate(s); found || err != nil {
			t.Errorf("parseMeasDate(%q): found %v, err %v; want no date", s, found, err)
		}
	}
	for _, s := range []string{"20131313161403794232", "20230230000000000000", "20230101000060000000", "00000101000000000000"} {
		if _, _, err := parseMeasDate(s); err == nil {
			t.Errorf("parseMeasDate(%q) accepted", s)
		}
	}
}
