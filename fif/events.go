package fif

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// ReadEvents reads an MNE event file as mne.read_events(path) does with
// its defaults: a FIF event file (name ending in ".fif" or ".gz", such as
// "*-eve.fif") or, for any other name, MNE's text format (one event per
// line: sample, previous value, code; or the old four columns sample,
// time, previous value, code). Samples count from the acquisition start,
// as in MNE (see raw.Event).
func ReadEvents(path string) ([]raw.Event, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("fif: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("fif: %w", err)
	}
	return ReadEventsFrom(fh, st.Size(), path)
}

// ReadEventsFrom reads the event file held in the size bytes of r. The
// format is chosen from name as ReadEvents does; name is also used in
// errors.
func ReadEventsFrom(r io.ReaderAt, size int64, name string) ([]raw.Event, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".gz":
		b, err := gunzip(io.NewSectionReader(r, 0, size), name)
		if err != nil {
			return nil, err
		}
		return fifEvents(bytes.NewReader(b), int64(len(b)), name)
	case ".fif":
		return fifEvents(r, size, name)
	}
	return textEvents(io.NewSectionReader(r, 0, size), name)
}

// fifEvents reads the event list (FIFF_MNE_EVENT_LIST, triplets of int32)
// of the first MNE events block, as MNE's _read_events_fif.
func fifEvents(r io.ReaderAt, size int64, name string) ([]raw.Event, error) {
	f, err := NewFile(r, size, name)
	if err != nil {
		return nil, err
	}
	blocks := f.Root.Find(blockMNEEvents)
	if len(blocks) == 0 {
		return nil, f.errorf(ErrFormat, "no event block (FIFFB_MNE_EVENTS)")
	}
	t, ok := first(blocks[0], kindMNEEventList)
	if !ok {
		return nil, f.errorf(ErrFormat, "event block has no event list (FIFF_MNE_EVENT_LIST)")
	}
	v, _, err := f.numbers(t, "event list")
	if err != nil {
		return nil, err
	}
	if len(v) == 0 || len(v)%3 != 0 {
		return nil, f.tagErrorf(t, ErrFormat, "event list: %d values is not a whole number of (sample, previous, code) triplets", len(v))
	}
	if err := f.checkEventNames(blocks[0], len(v)/3); err != nil {
		return nil, err
	}
	ev := make([]raw.Event, len(v)/3)
	for i := range ev {
		s, ok1 := toInt(v[3*i])
		p, ok2 := toInt(v[3*i+1])
		c, ok3 := toInt(v[3*i+2])
		if !ok1 || !ok2 || !ok3 {
			return nil, f.tagErrorf(t, ErrFormat, "event %d: %v is not a whole number", i, v[3*i:3*i+3])
		}
		ev[i] = raw.Event{Sample: s, Prev: p, Code: c}
	}
	return ev, nil
}

// checkEventNames fails where MNE fails to parse the event names that may
// follow the list: "name:code" pairs separated by ";" (FIFF_DESCRIPTION) or
// one NUL-terminated name per event (FIFF_MNE_EVENT_COMMENTS).
func (f *File) checkEventNames(b *Block, n int) error {
	const kindMNEEventComments = 3566
	for _, t := range b.Tags {
		switch t.Kind {
		case kindComment:
			s, err := f.str(t, "event names")
			if err != nil {
				return err
			}
			for _, m := range strings.Split(s, ";") {
				i := strings.LastIndex(m, ":")
				if i < 0 {
					return f.tagErrorf(t, ErrFormat, "event names: %q is not name:code", m)
				}
				if _, err := strconv.Atoi(strings.TrimSpace(m[i+1:])); err != nil {
					return f.tagErrorf(t, ErrFormat, "event names: %q is not name:code", m)
				}
			}
			return nil
		case kindMNEEventComments:
			d, err := f.Data(t)
			if err != nil {
				return err
			}
			if c := bytes.Count(d, []byte{0}); c != n {
				return f.tagErrorf(t, ErrFormat, "event names: %d names for %d events", c, n)
			}
			return nil
		}
	}
	return nil
}

// toInt converts as numpy's astype(int) for the values it handles.
func toInt(x float64) (int, bool) {
	if math.IsNaN(x) || math.Abs(x) >= 1<<62 {
		return 0, false
	}
	return int(x), true
}

// textEvents reads MNE's text event format as mne.read_events: numbers
// read with numpy's loadtxt ("#" starts a comment), three columns (sample,
// previous, code) or four (sample, time, previous, code).
func textEvents(r io.Reader, name string) ([]raw.Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var rows [][]float64
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		fields := strings.Fields(s)
		if len(fields) == 0 {
			continue
		}
		row := make([]float64, len(fields))
		for i, fl := range fields {
			x, err := strconv.ParseFloat(fl, 64)
			if err != nil {
				return nil, fmt.Errorf("fif: %s: line %d: %q is not a number: %w", name, line, fl, ErrFormat)
			}
			row[i] = x
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, fmt.Errorf("fif: %s: line %d: %d columns, earlier lines have %d: %w", name, line, len(row), len(rows[0]), ErrFormat)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("fif: %s: %v: %w", name, err, ErrFormat)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("fif: %s: no event lines: %w", name, ErrFormat)
	}
	if len(rows[0]) == 1 {
		// numpy's loadtxt gives a single column as one row.
		one := make([]float64, len(rows))
		for i, r := range rows {
			one[i] = r[0]
		}
		rows = [][]float64{one}
	}
	var cols [3]int
	switch len(rows[0]) {
	case 3:
		cols = [3]int{0, 1, 2}
	case 4:
		cols = [3]int{0, 2, 3} // the old format's second column is a time
	default:
		return nil, fmt.Errorf("fif: %s: %d columns, want 3 or 4: %w", name, len(rows[0]), ErrFormat)
	}
	ev := make([]raw.Event, len(rows))
	for i, row := range rows {
		var v [3]int
		for k, c := range cols {
			x, ok := toInt(row[c])
			if !ok {
				return nil, fmt.Errorf("fif: %s: event %d: %v is not a whole number: %w", name, i, row[c], ErrFormat)
			}
			v[k] = x
		}
		ev[i] = raw.Event{Sample: v[0], Prev: v[1], Code: v[2]}
	}
	return ev, nil
}
