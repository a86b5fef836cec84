package record

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bcikit/bcikit/stream"
)

// Errors a caller can branch on with errors.Is.
var (
	// ErrHeader reports a stream header that cannot be recorded as BDF+
	// (no channels, a bad rate, a channel name that does not fit, a unit
	// without a physical range, ...).
	ErrHeader = errors.New("stream header cannot be recorded")
	// ErrChunk reports a chunk that cannot be recorded (wrong number of
	// channels, ragged rows, overlapping samples already written, a gap
	// longer than MaxGap, a marker before the recording).
	ErrChunk = errors.New("chunk cannot be recorded")
	// ErrClosed is returned by Write and Close after Close.
	ErrClosed = errors.New("recording closed")
)

// MaxGap is the longest gap, in seconds, between the end of a chunk and the
// start of the next that Write fills (with "BAD_gap" samples); a longer gap
// is ErrChunk.
const MaxGap = 60.0

// Default option values.
const (
	// DefaultSyncInterval is the longest time a written record waits for
	// an fsync.
	DefaultSyncInterval = time.Second
	// DefaultAnnotationBytes is the room for TALs in every data record.
	DefaultAnnotationBytes = 512
	// maxRecordBytes is the data record size the EDF specification
	// recommends not to exceed; the default duration keeps within it when
	// it can.
	maxRecordBytes = 61440
	// minAnnotationBytes holds the time-keeping TAL and one entry.
	minAnnotationBytes = 128
	// maxText is the longest annotation text written; longer marker
	// labels are cut (at a character boundary).
	maxText = 64
)

// 24-bit digital range and BioSemi's physical range for volts, in µV.
const (
	digMin, digMax = -8388608, 8388607
	voltMin        = "-262144"
	voltMax        = "262143"
)

// Options configure a Writer. The zero value is ready to use.
type Options struct {
	// RecordDuration is the duration of a data record in seconds, at most
	// 1, and holding a whole number of samples. Zero chooses the longest
	// duration of at most one second whose record (at most 61440 bytes
	// when possible) holds a whole number of samples and, at an integer
	// rate, divides one second: 1 s at 160 Hz with 64 channels, 0.25 s at
	// 1000 Hz with 64 channels. A process killed mid-write loses at most
	// one record.
	RecordDuration float64
	// SyncInterval is the longest time a written record stays without
	// fsync; zero means DefaultSyncInterval, a negative value fsyncs after
	// every record.
	SyncInterval time.Duration
	// AnnotationBytes is the room, in bytes, for the TALs of each data
	// record (the time-keeping TAL and the annotations); zero means
	// DefaultAnnotationBytes, and it is at least 128. Annotations that do
	// not fit wait for the next records.
	AnnotationBytes int
	// Start is the time of the first sample. Zero takes it from the first
	// chunk: its Time less the duration of its samples but the last, or
	// the time of the first Write when the chunk has no Time.
	Start time.Time
	// Patient is the EDF+ patient identification ("code sex birthdate
	// name"); empty gives "X X X X".
	Patient string
	// Recording holds the EDF+ recording identification subfields after
	// "Startdate dd-MMM-yyyy" (admin code, technician, equipment); empty
	// gives "X X X".
	Recording string
	// Ranges gives the physical range [min, max] of channels by name, in
	// the channel's SI unit (volts for "V"), replacing the default of its
	// unit (see the package documentation). Channels of units other than
	// "V", "NA" and "" need one.
	Ranges map[string][2]float64
}

// Writer writes a stream to a BDF+ file record by record. Write and Close
// may be called from one goroutine at a time; the Writer's own timer
// fsyncs in the background.
type Writer struct {
	w      io.Writer
	file   *os.File // closed by Close when Create opened it
	name   string
	hdr    stream.Header
	opts   Options
	nch    int
	n      int    // samples per record per channel
	dur    string // record duration field
	durSec float64
	talCap int // bytes of the annotation signal
	recLen int
	gain   []float64 // physical = SI value * gain
	cal    []float64 // physical = digital*cal + add
	add    []float64
	stim   []bool
	zero   []int32 // digital value of NaN samples
	header []byte

	mu       sync.Mutex
	buf      []byte // the record being filled
	fill     int    // samples of buf filled
	flags    []uint8
	queue    [][]byte // annotation entries waiting for a record
	started  bool
	first    int64 // stream index of the file's first sample
	next     int64 // stream index of the next sample
	frac     float64
	records  int
	written  int64 // bytes of complete records and header
	err      error
	closed   bool
	dirty    bool
	lastSync time.Time
	timer    *time.Timer
}

// Create creates the file at path (which must not exist: a recording is
// never overwritten) and returns a Writer recording hdr's stream into it.
// Close the Writer to finish the file.
func Create(path string, hdr stream.Header, opts Options) (*Writer, error) {
	w, err := newWriter(nil, path, hdr, opts)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	w.w, w.file = f, f
	return w, nil
}

// NewWriter returns a Writer recording hdr's stream to w, named name in
// errors. If w is also an io.WriterAt, Close writes the record count into
// the header; if it has a Sync() error method, records are synced as with
// a file; if it has a Truncate(int64) error method, a failed write's
// partial record is cut off. Close does not close w.
func NewWriter(w io.Writer, name string, hdr stream.Header, opts Options) (*Writer, error) {
	return newWriter(w, name, hdr, opts)
}

func newWriter(w io.Writer, name string, hdr stream.Header, opts Options) (*Writer, error) {
	nch := len(hdr.Channels)
	if nch == 0 {
		return nil, fmt.Errorf("record: %s: stream has no channels: %w", name, ErrHeader)
	}
	if len(hdr.Units) != nch || len(hdr.Types) != nch {
		return nil, fmt.Errorf("record: %s: stream has %d channels, %d units and %d types: %w", name, nch, len(hdr.Units), len(hdr.Types), ErrHeader)
	}
	if nch+1 > 9999 {
		return nil, fmt.Errorf("record: %s: %d channels, BDF holds at most 9998: %w", name, nch, ErrHeader)
	}
	if !(hdr.SFreq > 0) || math.IsInf(hdr.SFreq, 0) {
		return nil, fmt.Errorf("record: %s: sampling rate %v Hz: %w", name, hdr.SFreq, ErrHeader)
	}
	if opts.SyncInterval == 0 {
		opts.SyncInterval = DefaultSyncInterval
	}
	if opts.AnnotationBytes == 0 {
		opts.AnnotationBytes = DefaultAnnotationBytes
	}
	if opts.AnnotationBytes < minAnnotationBytes {
		return nil, fmt.Errorf("record: %s: Options.AnnotationBytes %d: at least %d: %w", name, opts.AnnotationBytes, minAnnotationBytes, ErrHeader)
	}
	rw := &Writer{w: w, name: name, hdr: hdr, opts: opts, nch: nch}
	rw.talCap = (opts.AnnotationBytes + 2) / 3 * 3
	if err := rw.channels(); err != nil {
		return nil, err
	}
	if err := rw.recordDuration(); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"patient", opts.Patient}, {"recording", opts.Recording}} {
		l, ok := toLatin1(f.v)
		if !ok || len(l) > 60 {
			return nil, fmt.Errorf("record: %s: %s identification %q: at most 60 Latin-1 characters: %w", name, f.name, f.v, ErrHeader)
		}
	}
	rw.recLen = rw.nch*rw.n*3 + rw.talCap
	rw.buf = make([]byte, rw.recLen)
	return rw, nil
}

// channels checks the channels and chooses their scaling.
func (w *Writer) channels() error {
	seen := map[string]bool{}
	w.gain, w.cal, w.add = make([]float64, w.nch), make([]float64, w.nch), make([]float64, w.nch)
	w.stim, w.zero = make([]bool, w.nch), make([]int32, w.nch)
	labels, dims := make([]string, w.nch), make([]string, w.nch)
	pmins, pmaxs := make([]string, w.nch), make([]string, w.nch)
	for c, name := range w.hdr.Channels {
		label, ok := toLatin1(name)
		if !ok || len(label) > 16 || label == "" || strings.TrimSpace(label) != label {
			return fmt.Errorf("record: %s: channel %d name %q: a BDF label is 1 to 16 Latin-1 characters without surrounding spaces: %w", w.name, c, name, ErrHeader)
		}
		if label == "BDF Annotations" || label == "EDF Annotations" || seen[label] {
			return fmt.Errorf("record: %s: channel %d name %q is reserved or repeated: %w", w.name, c, name, ErrHeader)
		}
		seen[label] = true
		labels[c] = label
		unit, typ := w.hdr.Units[c], w.hdr.Types[c]
		w.gain[c] = 1
		rng, hasRange := w.opts.Ranges[name]
		switch {
		case unit == "V":
			dims[c], w.gain[c] = "uV", 1e6
			pmins[c], pmaxs[c] = voltMin, voltMax
		case typ == "stim" || unit == "NA" || unit == "":
			w.stim[c] = typ == "stim"
			pmins[c], pmaxs[c] = strconv.Itoa(digMin), strconv.Itoa(digMax)
		default:
			dim, ok := toLatin1(unit)
			if !ok || len(dim) > 8 {
				return fmt.Errorf("record: %s: channel %q unit %q does not fit the 8-character physical dimension: %w", w.name, name, unit, ErrHeader)
			}
			if !hasRange {
				return fmt.Errorf("record: %s: channel %q of unit %q needs a physical range (Options.Ranges): %w", w.name, name, unit, ErrHeader)
			}
			dims[c] = dim
		}
		if hasRange {
			lo, hi := rng[0]*w.gain[c], rng[1]*w.gain[c]
			if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				return fmt.Errorf("record: %s: channel %q range %v: want finite min < max: %w", w.name, name, rng, ErrHeader)
			}
			var ok1, ok2 bool
			pmins[c], ok1 = field8(lo)
			pmaxs[c], ok2 = field8(hi)
			if !ok1 || !ok2 {
				return fmt.Errorf("record: %s: channel %q range %v does not fit the 8-character header fields: %w", w.name, name, rng, ErrHeader)
			}
			w.stim[c] = false
		}
		pmin, _ := strconv.ParseFloat(pmins[c], 64)
		pmax, _ := strconv.ParseFloat(pmaxs[c], 64)
		// As a reader computes them.
		w.cal[c] = (pmax - pmin) / (digMax - digMin)
		w.add[c] = pmin - digMin*w.cal[c]
		w.zero[c] = int32(min(max(math.Round(-w.add[c]/w.cal[c]), digMin), digMax))
	}
	w.header = w.headerFields(labels, dims, pmins, pmaxs)
	return nil
}

// field8 formats v in at most 8 characters, exactly.
func field8(v float64) (string, bool) {
	for _, s := range []string{strconv.FormatFloat(v, 'f', -1, 64), strconv.FormatFloat(v, 'g', -1, 64)} {
		if len(s) <= 8 {
			return s, true
		}
	}
	return "", false
}

// recordDuration chooses the samples per record.
func (w *Writer) recordDuration() error {
	sfreq := w.hdr.SFreq
	exact := func(n int) (string, bool) {
		s := strconv.FormatFloat(float64(n)/sfreq, 'f', -1, 64)
		if len(s) > 8 {
			return "", false
		}
		d, err := strconv.ParseFloat(s, 64)
		return s, err == nil && d > 0 && float64(n)/d == sfreq
	}
	size := func(n int) int { return w.nch*n*3 + w.talCap }
	if want := w.opts.RecordDuration; want != 0 {
		n := int(math.Round(want * sfreq))
		s, ok := "", want > 0 && want <= 1 && n >= 1 && math.Abs(want*sfreq-float64(n)) <= 1e-6
		if ok {
			s, ok = exact(n)
		}
		if !ok {
			return fmt.Errorf("record: %s: Options.RecordDuration %v s: want at most 1 s holding a whole number of samples at %v Hz, written exactly in 8 characters: %w", w.name, want, sfreq, ErrHeader)
		}
		w.n, w.dur = n, s
	} else {
		top := max(1, int(math.Floor(sfreq)))
		integer := sfreq == math.Trunc(sfreq)
		best, bestScore := 0, -1
		for n := 1; n <= top; n++ {
			s, ok := exact(n)
			if !ok {
				continue
			}
			score := 0
			if size(n) <= maxRecordBytes {
				score += 2
			}
			if integer && int(sfreq)%n == 0 {
				score++
			}
			if score > bestScore || (score == bestScore && score >= 2) {
				best, bestScore, w.dur = n, score, s
			}
		}
		if best == 0 {
			return fmt.Errorf("record: %s: no record duration of at most 1 s holds a whole number of samples at %v Hz in 8 characters; set Options.RecordDuration: %w", w.name, sfreq, ErrHeader)
		}
		w.n = best
	}
	w.durSec, _ = strconv.ParseFloat(w.dur, 64)
	return nil
}

// headerFields renders the header with the fields that do not depend on
// the start time; startFields fills those.
func (w *Writer) headerFields(labels, dims, pmins, pmaxs []string) []byte {
	ns := w.nch + 1
	var b strings.Builder
	field := func(s string, width int) {
		if len(s) > width {
			s = s[:width]
		}
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", width-len(s)))
	}
	b.WriteString("\xffBIOSEMI")
	field("", 80+80+8+8) // patient, recording, date, time: startFields
	field(strconv.Itoa(256*(ns+1)), 8)
	field("BDF+C", 44)
	field("-1", 8)
	field("", 8) // duration: filled by Create after recordDuration
	field(strconv.Itoa(ns), 4)
	each := func(width int, f func(c int) string, annot string) {
		for c := range labels {
			field(f(c), width)
		}
		field(annot, width)
	}
	each(16, func(c int) string { return labels[c] }, "BDF Annotations")
	each(80, func(int) string { return "" }, "")
	each(8, func(c int) string { return dims[c] }, "")
	each(8, func(c int) string { return pmins[c] }, "-1")
	each(8, func(c int) string { return pmaxs[c] }, "1")
	each(8, func(int) string { return strconv.Itoa(digMin) }, strconv.Itoa(digMin))
	each(8, func(int) string { return strconv.Itoa(digMax) }, strconv.Itoa(digMax))
	each(80, func(int) string { return "" }, "")
	each(8, func(int) string { return "" }, "") // samples per record: later
	each(32, func(int) string { return "" }, "")
	return []byte(b.String())
}

// finishHeader fills the start, duration and samples-per-record fields.
func (w *Writer) finishHeader(start time.Time) []byte {
	h := append([]byte(nil), w.header...)
	put := func(off, width int, s string) {
		copy(h[off:off+width], s+strings.Repeat(" ", width-len(s)))
	}
	patient := w.opts.Patient
	if patient == "" {
		patient = "X X X X"
	}
	rest := w.opts.Recording
	if rest == "" {
		rest = "X X X"
	}
	start = start.UTC()
	patient, _ = toLatin1(patient)
	rest, _ = toLatin1(rest)
	put(8, 80, patient)
	put(88, 80, fmt.Sprintf("Startdate %02d-%s-%04d %s", start.Day(), strings.ToUpper(start.Month().String()[:3]), start.Year(), rest))
	put(168, 8, fmt.Sprintf("%02d.%02d.%02d", start.Day(), int(start.Month()), start.Year()%100))
	put(176, 8, fmt.Sprintf("%02d.%02d.%02d", start.Hour(), start.Minute(), start.Second()))
	put(244, 8, w.dur)
	ns := w.nch + 1
	spr := 256 + ns*(16+80+8+8+8+8+8+80)
	for c := 0; c < w.nch; c++ {
		put(spr+8*c, 8, strconv.Itoa(w.n))
	}
	put(spr+8*w.nch, 8, strconv.Itoa(w.talCap/3))
	return h
}

// Samples returns the number of samples written (or waiting in the record
// being filled) per channel, gaps included, padding not.
func (w *Writer) Samples() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.next - w.first
}

// Records returns the number of complete data records written.
func (w *Writer) Records() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.records
}

// RecordSamples returns the number of samples per channel in a data
// record: at most this many samples are lost when the process dies.
func (w *Writer) RecordSamples() int { return w.n }

// Write appends the chunk's samples and markers to the recording. The
// first chunk's Start is the file's first sample; later chunks must follow
// on (a gap is filled, see the package documentation). Write keeps no
// reference to the chunk. A chunk that cannot be recorded is ErrChunk and
// nothing of it is written; after a failed write every call returns that
// error.
func (w *Writer) Write(ch stream.Chunk) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("record: %s: %w", w.name, ErrClosed)
	}
	if w.err != nil {
		return w.err
	}
	if len(ch.Data) != w.nch {
		return fmt.Errorf("record: %s: chunk at sample %d has %d channels, stream %d: %w", w.name, ch.Start, len(ch.Data), w.nch, ErrChunk)
	}
	ns := len(ch.Data[0])
	for c, d := range ch.Data {
		if len(d) != ns {
			return fmt.Errorf("record: %s: chunk at sample %d: channel %q has %d samples, channel %q %d: %w", w.name, ch.Start, w.hdr.Channels[c], len(d), w.hdr.Channels[0], ns, ErrChunk)
		}
	}
	first, next := w.first, w.next
	if !w.started {
		first, next = ch.Start, ch.Start
	}
	var gap int64
	if ns > 0 {
		if ch.Start < next {
			return fmt.Errorf("record: %s: chunk starts at sample %d, before sample %d that follows the samples written: %w", w.name, ch.Start, next, ErrChunk)
		}
		gap = ch.Start - next
		if float64(gap) > MaxGap*w.hdr.SFreq {
			return fmt.Errorf("record: %s: chunk starts at sample %d, %d samples (%.1f s) after the samples written, more than %v s: %w", w.name, ch.Start, gap, float64(gap)/w.hdr.SFreq, MaxGap, ErrChunk)
		}
	}
	for _, m := range ch.Markers {
		if m.Sample < first {
			return fmt.Errorf("record: %s: marker %d (%q) at sample %d, before the recording's first sample %d: %w", w.name, m.Code, m.Label, m.Sample, first, ErrChunk)
		}
	}
	if !w.started {
		if err := w.start(ch, ns); err != nil {
			return err
		}
	}
	if gap > 0 {
		w.queueRun("BAD_gap", w.next, gap)
		if err := w.padSamples(gap); err != nil {
			return err
		}
	}
	for _, m := range ch.Markers {
		text := m.Label
		if text == "" {
			text = strconv.Itoa(m.Code)
		}
		w.queue = append(w.queue, w.entry(m.Sample, 0, text))
	}
	if ns == 0 {
		return nil
	}
	w.scan(ch.Data, ns)
	off := 0
	for off < ns {
		seg := min(ns-off, w.n-w.fill)
		for c, d := range ch.Data {
			w.encode(c, w.buf[(c*w.n+w.fill)*3:], d[off:off+seg])
		}
		w.fill += seg
		w.next += int64(seg)
		off += seg
		if w.fill == w.n {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// start writes the header.
func (w *Writer) start(ch stream.Chunk, ns int) error {
	start := w.opts.Start
	if start.IsZero() {
		start = ch.Time
		if start.IsZero() {
			start = time.Now()
		} else if ns > 1 {
			start = start.Add(-time.Duration(float64(ns-1) / w.hdr.SFreq * float64(time.Second)))
		}
	}
	if y := start.UTC().Year(); y < 1985 || y > 2084 {
		start = time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC) // EDF+'s unknown date
	}
	w.started = true
	w.first, w.next = ch.Start, ch.Start
	w.frac = float64(start.Nanosecond()) / 1e9
	w.lastSync = time.Now()
	h := w.finishHeader(start)
	if _, err := w.w.Write(h); err != nil {
		return w.fail(fmt.Errorf("record: %s: write header: %w", w.name, err))
	}
	w.written = int64(len(h))
	return nil
}

const (
	flagNaN  = 1
	flagClip = 2
)

// scan marks the NaN and clipped samples of data and queues their
// annotations.
func (w *Writer) scan(data [][]float64, ns int) {
	if cap(w.flags) < ns {
		w.flags = make([]uint8, ns)
	}
	flags := w.flags[:ns]
	clear(flags)
	bad := false
	for c, d := range data {
		g, a, k := w.gain[c], w.add[c], 1/w.cal[c]
		for i, v := range d {
			q := (v*g - a) * k
			if v != v {
				flags[i] |= flagNaN
				bad = true
			} else if q < digMin-0.5 || q >= digMax+0.5 {
				flags[i] |= flagClip
				bad = true
			}
		}
	}
	if !bad {
		return
	}
	for _, f := range []struct {
		bit  uint8
		text string
	}{{flagNaN, "BAD_nan"}, {flagClip, "BAD_clipped"}} {
		for i := 0; i < ns; {
			if flags[i]&f.bit == 0 {
				i++
				continue
			}
			j := i
			for j < ns && flags[j]&f.bit != 0 {
				j++
			}
			w.queueRun(f.text, w.next+int64(i), int64(j-i))
			i = j
		}
	}
}

func (w *Writer) queueRun(text string, sample, n int64) {
	w.queue = append(w.queue, w.entry(sample, n, text))
}

// encode writes the digital values of src to dst (channel c).
func (w *Writer) encode(c int, dst []byte, src []float64) {
	g, a, k, z := w.gain[c], w.add[c], 1/w.cal[c], w.zero[c]
	for i, v := range src {
		x := z
		if v == v {
			q := math.Round((v*g - a) * k)
			x = int32(min(max(q, digMin), digMax))
		}
		dst[3*i] = byte(x)
		dst[3*i+1] = byte(x >> 8)
		dst[3*i+2] = byte(x >> 16)
	}
}

// padSamples writes n samples of the NaN code.
func (w *Writer) padSamples(n int64) error {
	for n > 0 {
		seg := int(min(n, int64(w.n-w.fill)))
		for c := 0; c < w.nch; c++ {
			z := w.zero[c]
			dst := w.buf[(c*w.n+w.fill)*3:]
			for i := 0; i < seg; i++ {
				dst[3*i], dst[3*i+1], dst[3*i+2] = byte(z), byte(z>>8), byte(z>>16)
			}
		}
		w.fill += seg
		w.next += int64(seg)
		n -= int64(seg)
		if w.fill == w.n {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// seconds formats a time in seconds rounded to the nanosecond (finer than
// the microsecond MNE keeps, without the float noise of k*duration).
func seconds(b []byte, s float64) []byte {
	return strconv.AppendFloat(b, math.Round(s*1e9)/1e9, 'f', -1, 64)
}

// entry returns the TAL of an annotation at sample of n samples.
func (w *Writer) entry(sample, n int64, text string) []byte {
	b := make([]byte, 0, 32+len(text))
	b = append(b, '+')
	b = seconds(b, float64(sample-w.first)/w.hdr.SFreq+w.frac)
	if n > 0 {
		b = append(b, 0x15)
		b = seconds(b, float64(n)/w.hdr.SFreq)
	}
	b = append(b, 0x14)
	b = append(b, cleanText(text)...)
	return append(b, 0x14, 0)
}

// cleanText makes text a valid annotation text: valid UTF-8 without the
// TAL separators, at most maxText bytes.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r == 0 || r == 0x14 || r == 0x15 || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	if len(s) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if strings.TrimSpace(s) == "" {
		s = "?"
	}
	return s
}

// flush completes the record in buf with its TALs and writes it.
func (w *Writer) flush() error {
	tal := w.buf[w.nch*w.n*3:]
	b := tal[:0]
	b = append(b, '+')
	b = seconds(b, float64(w.records)*w.durSec+w.frac)
	b = append(b, 0x14, 0x14, 0)
	k := 0
	for ; k < len(w.queue) && len(b)+len(w.queue[k]) <= len(tal); k++ {
		b = append(b, w.queue[k]...)
	}
	clear(tal[len(b):])
	if _, err := w.w.Write(w.buf); err != nil {
		return w.fail(fmt.Errorf("record: %s: write data record %d: %w", w.name, w.records, err))
	}
	w.queue = w.queue[:copy(w.queue, w.queue[k:])]
	w.fill = 0
	w.records++
	w.written += int64(w.recLen)
	w.dirty = true
	return w.maybeSync()
}

type syncer interface{ Sync() error }
type truncater interface{ Truncate(int64) error }

// fail records err and cuts a partial record off the file.
func (w *Writer) fail(err error) error {
	w.err = err
	if t, ok := w.w.(truncater); ok && w.started {
		t.Truncate(w.written)
		if s, ok := w.w.(io.Seeker); ok {
			s.Seek(w.written, io.SeekStart)
		}
	}
	return err
}

func (w *Writer) maybeSync() error {
	s, ok := w.w.(syncer)
	if !ok {
		return nil
	}
	since := time.Since(w.lastSync)
	if w.opts.SyncInterval < 0 || since >= w.opts.SyncInterval {
		return w.sync(s)
	}
	if w.timer == nil {
		w.timer = time.AfterFunc(w.opts.SyncInterval-since, w.timedSync)
	}
	return nil
}

func (w *Writer) sync(s syncer) error {
	w.lastSync = time.Now()
	w.dirty = false
	if err := s.Sync(); err != nil {
		return w.fail(fmt.Errorf("record: %s: sync: %w", w.name, err))
	}
	return nil
}

// timedSync syncs records written since the last sync.
func (w *Writer) timedSync() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = nil
	if w.dirty && !w.closed && w.err == nil {
		w.sync(w.w.(syncer))
	}
}

// Close writes the last record, padded to the record length (the padding
// is annotated "BAD_pad"), and any annotations still waiting (in further
// padded records), writes the record count into the header, syncs, and
// closes the file Create opened. After a failed write it writes only the
// record count, and returns nil if that succeeds: the write error was
// already returned by Write. A stream that never wrote a sample gives a
// file of zero records.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("record: %s: %w", w.name, ErrClosed)
	}
	w.closed = true
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	err := w.finish()
	if w.file != nil {
		if cerr := w.file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("record: %w", cerr)
		}
	}
	return err
}

func (w *Writer) finish() error {
	if w.err == nil && !w.started {
		if err := w.start(stream.Chunk{}, 0); err != nil {
			return err
		}
	}
	at := w.next // stream index of the next padding sample
	for w.err == nil && (w.fill > 0 || len(w.queue) > 0) {
		if pad := w.n - w.fill; pad > 0 {
			e := w.entry(at, int64(pad), "BAD_pad")
			w.queue = append([][]byte{e}, w.queue...)
			for c := 0; c < w.nch; c++ {
				z := w.zero[c]
				dst := w.buf[(c*w.n+w.fill)*3:]
				for i := 0; i < pad; i++ {
					dst[3*i], dst[3*i+1], dst[3*i+2] = byte(z), byte(z>>8), byte(z>>16)
				}
			}
			w.fill = w.n
			at += int64(pad)
		}
		if err := w.flush(); err != nil {
			return err
		}
	}
	if w.written == 0 {
		return nil // not even the header was written
	}
	wa, ok := w.w.(io.WriterAt)
	if !ok {
		return nil
	}
	if _, err := wa.WriteAt([]byte(fmt.Sprintf("%-8d", w.records)), 236); err != nil {
		return fmt.Errorf("record: %s: write record count: %w", w.name, err)
	}
	if s, ok := w.w.(syncer); ok {
		if err := s.Sync(); err != nil {
			return fmt.Errorf("record: %s: sync: %w", w.name, err)
		}
	}
	return nil
}

// toLatin1 encodes s as Latin-1 bytes (in a string).
func toLatin1(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), true
}
