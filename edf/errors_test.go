package edf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/raw"
)

// validEDF is a small EDF+ file: 3 channels + annotations, 4 records.
func validEDF(t *testing.T) []byte {
	t.Helper()
	r := synthetic(100, 400, 1, 5)
	var buf bytes.Buffer
	if err := Write(&buf, r, WriteOptions{RecordDuration: 1}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// put overwrites a header field with s, space padded.
func put(b []byte, off, width int, s string) []byte {
	b = bytes.Clone(b)
	copy(b[off:off+width], s+strings.Repeat(" ", width-len(s)))
	return b
}

// signal field offsets in the header, for ns signals.
func sigField(ns, field, sig int) (off, width int) {
	widths := []int{16, 80, 8, 8, 8, 8, 8, 80, 8, 32}
	off = 256
	for f := 0; f < field; f++ {
		off += widths[f] * ns
	}
	return off + widths[field]*sig, widths[field]
}

func TestBadInput(t *testing.T) {
	good := validEDF(t)
	const ns = 4 // 3 channels + annotations
	const name = "bad.edf"
	if _, err := NewReader(bytes.NewReader(good), int64(len(good)), name); err != nil {
		t.Fatal(err)
	}
	pmin, pminW := sigField(ns, 3, 1)
	nsamp, nsampW := sigField(ns, 8, 0)
	recLen := 3*100*2 + 0 // channel bytes; annotations follow
	_ = recLen
	for _, tc := range []struct {
		what string
		file []byte
		want error
		text string // must appear in the message
	}{
		{"empty", nil, ErrTruncated, "256-byte header"},
		{"short header", good[:200], ErrTruncated, "256-byte header"},
		{"version", put(good, 0, 8, "1"), ErrFormat, "version"},
		{"signals not a number", put(good, 252, 4, "x"), ErrHeader, "number of signals"},
		{"zero signals", put(good, 252, 4, "0"), ErrHeader, "number of signals"},
		{"negative signals", put(good, 252, 4, "-2"), ErrHeader, "number of signals"},
		{"absurd signals", put(good, 252, 4, "9999"), ErrTruncated, "number of signals"},
		{"header bytes", put(good, 184, 8, "1024"), ErrHeader, "number of bytes in header"},
		{"records", put(good, 236, 8, "many"), ErrHeader, "number of data records"},
		{"negative records", put(good, 236, 8, "-7"), ErrHeader, "number of data records"},
		{"duration", put(good, 244, 8, "1s"), ErrHeader, "duration of a data record"},
		{"negative duration", put(good, 244, 8, "-1"), ErrHeader, "duration of a data record"},
		{"infinite duration", put(good, 244, 8, "inf"), ErrHeader, "duration of a data record"},
		{"start date", put(put(good, 88, 80, "Startdate X X X X"), 168, 8, "4 March"), ErrHeader, "startdate of recording"},
		{"start time", put(good, 176, 8, "noon"), ErrHeader, "starttime of recording"},
		{"physical minimum", put(good, pmin, pminW, "-1,2.3"), ErrHeader, "physical minimum\" of signal 2"},
		{"samples zero", put(good, nsamp, nsampW, "0"), ErrHeader, "number of samples in each data record\" of signal 1"},
		{"samples negative", put(good, nsamp, nsampW, "-100"), ErrHeader, "number of samples"},
		{"samples overflow", put(good, nsamp, nsampW, "99999999"), ErrTruncated, "header promises"},
		{"samples huge", put(good, nsamp, nsampW, "9e99"), ErrHeader, "number of samples"},
		{"signal headers cut", good[:256+ns*100], ErrTruncated, "number of signals"},
		{"no complete record", good[:256*(ns+1)+10], ErrTruncated, "header promises 4 data records"},
	} {
		_, err := NewReader(bytes.NewReader(tc.file), int64(len(tc.file)), name)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: err = %v, want %v mentioning %q", tc.what, err, tc.want, tc.text)
		}
	}
}

// TestRecordCount checks MNE's choice: the records in the file, not in the
// header, are read when the header's count is unknown or too small.
func TestRecordCount(t *testing.T) {
	good := validEDF(t)
	for _, tc := range []struct {
		what      string
		file      []byte
		header    int
		inFile    int
		nAnnotMax int
	}{
		{"unknown count", put(good, 236, 8, "-1"), -1, 4, 5},
		{"header says fewer", put(good, 236, 8, "2"), 2, 4, 5},
		{"trailing bytes", append(bytes.Clone(good), 1, 2, 3), 4, 4, 5},
	} {
		r, err := NewReader(bytes.NewReader(tc.file), int64(len(tc.file)), tc.what)
		if err != nil {
			t.Errorf("%s: %v", tc.what, err)
			continue
		}
		h := r.Header()
		if h.Records != tc.header || h.RecordsInFile != tc.inFile || r.Info().NSamples != 100*tc.inFile {
			t.Errorf("%s: records %d in header, %d read, %d samples", tc.what, h.Records, h.RecordsInFile, r.Info().NSamples)
		}
		if _, err := raw.ReadAll(r); err != nil {
			t.Errorf("%s: %v", tc.what, err)
		}
	}
}

// TestCutShort checks that a file holding fewer records than its header
// claims is an error naming the field (MNE reads what is there).
func TestCutShort(t *testing.T) {
	good := validEDF(t)
	rd, err := NewReader(bytes.NewReader(good), int64(len(good)), "x")
	if err != nil {
		t.Fatal(err)
	}
	cut := good[:len(good)-int(rd.recBytes)-5]
	_, err = NewReader(bytes.NewReader(cut), int64(len(cut)), "cut.edf")
	if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "number of data records") || !strings.Contains(err.Error(), "cut.edf") {
		t.Fatalf("cut short: %v", err)
	}
}

// failingReaderAt fails every read beyond the header.
type failingReaderAt struct {
	b   []byte
	err error
}

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= 256*5 {
		return 0, f.err
	}
	return bytes.NewReader(f.b).ReadAt(p, off)
}

func TestReadError(t *testing.T) {
	good := validEDF(t)
	boom := fmt.Errorf("disk on fire")
	_, err := NewReader(failingReaderAt{good, boom}, int64(len(good)), "x.edf")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "x.edf") {
		t.Errorf("err = %v", err)
	}
}

func TestPythonNumbers(t *testing.T) {
	for s, want := range map[string]float64{
		" 1 ": 1, "-2.5": -2.5, "+.5": 0.5, "1.": 1, "1_000": 1000, "1e3": 1000, "1E-3": 1e-3,
		"\u00a01\u0085": 1, "inf": math.Inf(1), "-Infinity": math.Inf(-1), "1e400": math.Inf(1), "-" + strings.Repeat("9", 400): math.Inf(-1),
	} {
		got, ok := pyFloat(s)
		if !ok || got != want {
			t.Errorf("pyFloat(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", ".", "1__0", "_1", "1_", "0x10", "1e", "1.2.3", "- 1", "1 2", "e5", "1,5", "nan1"} {
		if v, ok := pyFloat(s); ok {
			t.Errorf("pyFloat(%q) = %v, want an error", s, v)
		}
	}
	for s, want := range map[string]int{" 12 ": 12, "-1": -1, "+7": 7, "1_0": 10, "007": 7} {
		if got, ok := pyInt(s); !ok || got != want {
			t.Errorf("pyInt(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "1.0", "1e3", "x", "--1", "99999999999999999999"} {
		if v, ok := pyInt(s); ok {
			t.Errorf("pyInt(%q) = %v, want an error", s, v)
		}
	}
}

func TestStartDate(t *testing.T) {
	for _, tc := range []struct {
		rec, date, tm, want string
	}{
		{"Startdate 12-AUG-2009 X X BCI2000", "12.08.09", "16.15.00", "2009-08-12T16:15:00Z"},
		{"Startdate 2-aug-1984 X X X", "12.08.09", "16.15.00", "1984-08-02T16:15:00Z"},  // EDF+ date wins
		{"Startdate 31-FEB-2009 X X X", "12.08.84", "01.02.03", "2084-08-12T01:02:03Z"}, // invalid: header date
		{"110 seconds from 13-JUL-2000", "13.07.00", "12.05.48", "2000-07-13T12:05:48Z"},
		{"X", "13.07.85", "12.05.48", "1985-07-13T12:05:48Z"},
		{"X", "00.00.00", "12.05.48", ""}, // impossible date: none
		{"X", "13.07.85", "25.05.48", ""},
	} {
		h := Header{Recording: tc.rec, StartDate: tc.date, StartTime: tc.tm}
		got, err := parseStart(&h, "x")
		if err != nil {
			t.Errorf("%+v: %v", tc, err)
			continue
		}
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02T15:04:05Z07:00")
		}
		if s != tc.want {
			t.Errorf("%q %q %q: %s, want %s", tc.rec, tc.date, tc.tm, s, tc.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	got := uniqueNames([]string{"A", "B", "A", "C", "A", "B", "A-1"})
	want := []string{"A-0", "B-0", "A-a", "C", "A-2", "B-1", "A-1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("uniqueNames = %q, want %q", got, want)
	}
}
