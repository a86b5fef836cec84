package edf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/bcikit/bcikit/raw"
)

// Reader reads an EDF, EDF+, BDF or BDF+ file. Opening it reads the header
// and the annotation signal; ReadAt then reads only the data records that
// cover the requested window, through one reused buffer (at most 256 KiB, or
// one record if records are larger). A Reader is safe for concurrent use;
// calls to ReadAt are serialised.
type Reader struct {
	name   string
	ra     io.ReaderAt
	closer io.Closer
	hdr    Header
	info   raw.Info

	bps      int   // bytes per sample: 2 (EDF) or 3 (BDF)
	recBytes int64 // bytes per data record
	data     int64 // offset of the first data record
	bufLen   int   // samples per record of every output channel
	chans    []channel
	onsets   []float64

	mu      sync.Mutex
	buf     *[]byte // record batch buffer, from bufPool when standard-sized
	scratch scratch
	// wscratch is the scratch of each core decoding a large batch.
	wscratch []scratch
}

// scratch is the workspace for decoding resampled channels.
type scratch struct {
	in, out []float64
	resamp  map[int]*upsampler
}

// channel maps an output channel to its signal in the file.
type channel struct {
	sig      int // index in Header.Signals
	off      int // byte offset of the signal in a record
	n        int // samples per record in the file
	cal, add float64
	gain     float64
	stim     bool
}

// readBatch is the most data the reader reads with one ReadAt call: several
// short records at once, or one long record. 256 KiB stays in the CPU's
// cache while it is decoded and needs few system calls.
const readBatch = 1 << 18

// bufPool recycles the record buffers of closed Readers (those of
// readBatch bytes), so that opening file after file reuses one buffer.
var bufPool = sync.Pool{New: func() any { b := make([]byte, readBatch); return &b }}

// Open opens the EDF or BDF file at path. Close the Reader when done.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("edf: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("edf: %w", err)
	}
	r, err := NewReader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads the header of the EDF or BDF data of size bytes in r;
// name identifies it in errors. The format is told by the version field,
// not by the name. Close does not close r.
//
// The recording is what MNE-Python 1.3's read_raw_edf/read_raw_bdf give
// with default arguments:
//   - channels: every signal but the annotation signals, named by their
//     label with surrounding whitespace removed, duplicates renamed
//     "name-0", "name-1", ...;
//   - types: "eeg" (unit "V") except channels named "status" or "trigger"
//     in any case, which are "stim" (unit "NA");
//   - samples: (digital*cal + offset) * gain with cal and offset from the
//     physical and digital ranges (a zero range counts as 1) and gain 1e-6
//     for a "uV"/"µV" physical dimension, 1e-3 for "mV", 1 otherwise (MNE
//     1.3 knows no other prefix); a stim channel has gain 1, in BDF also
//     cal 1 and offset 0, and keeps the low 17 bits of its integer value;
//   - sampling rate: the highest samples-per-record of the non-stim
//     channels over the record duration; slower channels are resampled
//     per record as MNE does (see resample.go);
//   - number of records: as many complete records as the file holds,
//     whatever the header says;
//   - annotations: the TALs of the annotation signals, relative to the
//     first record's start, as raw.annotations.
func NewReader(r io.ReaderAt, size int64, name string) (*Reader, error) {
	rd := &Reader{name: name, ra: r}
	if err := rd.init(size); err != nil {
		return nil, err
	}
	return rd, nil
}

func (r *Reader) init(size int64) error {
	name := r.name
	if size < 256 {
		return fmt.Errorf("edf: %s: %d bytes, shorter than the 256-byte header: %w", name, size, ErrTruncated)
	}
	fixed := make([]byte, 256)
	if err := readFull(r.ra, fixed, 0, name, "header"); err != nil {
		return err
	}
	h := &r.hdr
	ns, err := parseFixed(fixed, name, h)
	if err != nil {
		return err
	}
	if int64(ns) > size/256-1 {
		return fmt.Errorf("edf: %s: header field \"number of signals\" = %d needs a %d-byte header, file has %d bytes: %w",
			name, ns, 256*(int64(ns)+1), size, ErrTruncated)
	}
	if h.HeaderBytes != 256*(ns+1) {
		return headerError(name, "number of bytes in header", -1, fmt.Sprint(h.HeaderBytes),
			fmt.Sprintf("%d signals need %d bytes", ns, 256*(ns+1)), ErrHeader)
	}
	sigs := make([]byte, 256*ns)
	if err := readFull(r.ra, sigs, 256, name, "signal headers"); err != nil {
		return err
	}
	if err := parseSignals(sigs, ns, name, h); err != nil {
		return err
	}

	r.bps = 2
	if h.Format == "bdf" {
		r.bps = 3
	}
	r.data = int64(h.HeaderBytes)
	var perRecord int64
	for _, s := range h.Signals {
		perRecord += int64(s.SamplesPerRecord)
	}
	r.recBytes = perRecord * int64(r.bps)
	h.RecordsInFile = int((size - r.data) / r.recBytes)
	if h.RecordsInFile == 0 && h.Records != 0 {
		return fmt.Errorf("edf: %s: header promises %s data records of %d bytes after the %d-byte header, file has %d bytes: %w",
			name, recordCount(h.Records), r.recBytes, r.data, size, ErrTruncated)
	}
	if h.Records > 0 && h.RecordsInFile < h.Records {
		return headerError(name, "number of data records", -1, fmt.Sprint(h.Records),
			fmt.Sprintf("the file holds %d complete records of %d bytes after the %d-byte header (%d bytes in all): it was cut short",
				h.RecordsInFile, r.recBytes, r.data, size), ErrTruncated)
	}
	r.setChannels()
	if err := r.readAnnotations(); err != nil {
		return err
	}
	return nil
}

func recordCount(n int) string {
	if n < 0 {
		return "an unknown number of"
	}
	return fmt.Sprint(n)
}

// setChannels builds the channel list, the scaling and the info as MNE's
// _read_edf_header and _get_info do.
func (r *Reader) setChannels() {
	h := &r.hdr
	offs := make([]int, len(h.Signals))
	off := 0
	var names []string
	for i, s := range h.Signals {
		offs[i] = off
		off += s.SamplesPerRecord * r.bps
		if !s.Annotations {
			r.chans = append(r.chans, channel{sig: i, off: offs[i], n: s.SamplesPerRecord})
			names = append(names, s.Label)
		}
	}
	names = uniqueNames(names)
	stim := stimIndices(names)

	r.info.Format = h.Format
	r.info.MeasDate = h.Start
	r.info.Channels = make([]raw.Channel, len(r.chans))
	r.bufLen = 0
	for i := range r.chans {
		c := &r.chans[i]
		s := h.Signals[c.sig]
		c.stim = stim[i]
		physRange := s.PhysicalMax - s.PhysicalMin
		digRange := s.DigitalMax - s.DigitalMin
		if math.IsInf(digRange, 0) || math.IsNaN(digRange) || digRange == 0 {
			digRange = 1
		}
		if physRange == 0 {
			physRange = 1
		}
		c.cal = physRange / digRange
		c.add = s.PhysicalMin - float64(s.DigitalMin*c.cal)
		c.gain = unitGain(s.PhysicalDim)
		typ, unit := raw.EEG, raw.UnitVolt
		if c.stim {
			typ, unit = raw.Stim, raw.UnitNone
			c.gain = 1
			if h.Format == "bdf" {
				c.cal, c.add = 1, 0
			}
		} else {
			r.bufLen = max(r.bufLen, c.n)
		}
		r.info.Channels[i] = raw.Channel{Name: names[i], Type: typ, Unit: unit, SFreq: float64(c.n) / h.RecordDuration}
	}
	if r.bufLen == 0 {
		// Only stim channels (or none): MNE takes the fastest of them, or
		// the first signal when every signal is an annotation signal.
		for _, c := range r.chans {
			r.bufLen = max(r.bufLen, c.n)
		}
		if len(r.chans) == 0 {
			r.bufLen = h.Signals[0].SamplesPerRecord
		}
	}
	r.info.SFreq = float64(r.bufLen) * 1 / h.RecordDuration
	r.info.NSamples = h.RecordsInFile * r.bufLen
}

// unitGain is MNE 1.3's scaling of a physical dimension to SI.
func unitGain(dim string) float64 {
	switch dim {
	case "uV", "\u00b5V", "\u03bcV", "\u0083\u00caV":
		return 1e-6
	case "mV":
		return 1e-3
	}
	return 1
}

// uniqueNames renames duplicate channel names as MNE's
// _unique_channel_names does: every channel of a duplicated name gets
// "-0", "-1", ... (or "-a", "-b", ... when that name is taken). Duplicated
// names are handled in order of first appearance (MNE iterates a set).
func uniqueNames(names []string) []string {
	count := make(map[string]int, len(names))
	for _, n := range names {
		count[n]++
	}
	taken := func(s string) bool {
		for _, n := range names {
			if n == s {
				return true
			}
		}
		return false
	}
	done := make(map[string]bool)
	for _, stem := range append([]string(nil), names...) {
		if count[stem] < 2 || done[stem] {
			continue
		}
		done[stem] = true
		k := 0
		for i, n := range names {
			if n != stem {
				continue
			}
			cand := fmt.Sprintf("%s-%d", stem, k)
			for c := 'a'; taken(cand) && c <= 'z'; c++ {
				cand = fmt.Sprintf("%s-%c", stem, c)
			}
			if !taken(cand) {
				names[i] = cand
			}
			k++
		}
	}
	return names
}

// stimIndices marks the channels MNE's stim_channel='auto' makes stim: the
// first channel named "status" and the first named "trigger", in any case.
func stimIndices(names []string) []bool {
	stim := make([]bool, len(names))
	for _, want := range []string{"status", "trigger"} {
		for i, n := range names {
			// Python's str.lower() == want; for Latin-1 text simple
			// case folding gives the same.
			if strings.EqualFold(n, want) {
				stim[i] = true
				break
			}
		}
	}
	return stim
}

// readAnnotations reads the annotation signals of every record, turns
// their TALs into annotations as MNE does and keeps each record's
// time-keeping onset.
func (r *Reader) readAnnotations() error {
	h := &r.hdr
	nrec := h.RecordsInFile
	var tals []int
	for i, s := range h.Signals {
		if s.Annotations {
			tals = append(tals, i)
		}
	}
	r.onsets = make([]float64, nrec)
	for k := range r.onsets {
		r.onsets[k] = float64(k) * h.RecordDuration
	}
	if len(tals) == 0 {
		return nil
	}
	var total int64
	for _, i := range tals {
		total += int64(h.Signals[i].SamplesPerRecord*r.bps) * int64(nrec)
	}
	all := make([]byte, 0, total)
	off := make([]int64, len(h.Signals))
	for i := 1; i < len(h.Signals); i++ {
		off[i] = off[i-1] + int64(h.Signals[i-1].SamplesPerRecord*r.bps)
	}
	for j, i := range tals {
		n := int64(h.Signals[i].SamplesPerRecord * r.bps)
		for k := 0; k < nrec; k++ {
			b := all[len(all) : int64(len(all))+n]
			if err := readFull(r.ra, b, r.data+int64(k)*r.recBytes+off[i], r.name, "annotation signal"); err != nil {
				return err
			}
			all = all[:int64(len(all))+n]
			if j == 0 {
				r.onsets[k] = firstTALOnset(decodeTAL(b))
			}
		}
	}
	ann := talAnnotations(decodeTAL(all))
	r.info.Annotations = mneAnnotations(ann, r.info.NSamples, r.info.SFreq)
	return nil
}

// Info returns the recording's header in bcikit's model.
func (r *Reader) Info() *raw.Info { return &r.info }

// Header returns the parsed file header.
func (r *Reader) Header() *Header { return &r.hdr }

// RecordOnsets returns the start of every data record in seconds from the
// header's start time: the onset of the record's time-keeping TAL in EDF+
// and BDF+ (NaN where a record has none), k*RecordDuration otherwise. In
// an EDF+D file the gaps between records show here; the samples of
// Info/ReadAt, like MNE-Python 1.3's, run on as if the records were
// contiguous.
func (r *Reader) RecordOnsets() []float64 { return r.onsets }

// Close closes the file opened by Open.
func (r *Reader) Close() error {
	r.mu.Lock()
	if r.buf != nil && len(*r.buf) == readBatch {
		bufPool.Put(r.buf)
	}
	r.buf = nil
	r.mu.Unlock()
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	return err
}

// ReadAt reads samples [start, start+len(dst[0])) of every channel into dst,
// in SI units at Info().SFreq (see raw.Reader). It reads only the records
// that cover the window, a batch of records at a time into a reused
// buffer.
func (r *Reader) ReadAt(dst [][]float64, start int) error {
	if err := raw.CheckWindow(&r.info, dst, start); err != nil {
		return fmt.Errorf("edf: %s: %w", r.name, err)
	}
	if len(dst) == 0 || len(dst[0]) == 0 {
		return nil
	}
	n := len(dst[0])
	r.mu.Lock()
	defer r.mu.Unlock()
	L := r.bufLen
	first, last := start/L, (start+n-1)/L
	if r.buf == nil {
		if r.recBytes <= readBatch {
			r.buf = bufPool.Get().(*[]byte)
		} else {
			b := make([]byte, r.recBytes)
			r.buf = &b
		}
	}
	perBatch := len(*r.buf) / int(r.recBytes)
	for rec := first; rec <= last; {
		k := min(last-rec+1, perBatch)
		buf := (*r.buf)[:int64(k)*r.recBytes]
		if err := readFull(r.ra, buf, r.data+int64(rec)*r.recBytes, r.name, "data records"); err != nil {
			return err
		}
		r.decodeBatch(buf, rec, k, start, n, dst)
		rec += k
	}
	return nil
}

// decodeBatch decodes the k records in buf, the first being record rec,
// into the window [start, start+n) of dst.
func (r *Reader) decodeBatch(buf []byte, rec, k, start, n int, dst [][]float64) {
	// Channels are independent: large batches are split between cores,
	// each with its own resampling scratch.
	workers := min(runtime.GOMAXPROCS(0), len(r.chans), maxDecodeWorkers)
	if workers < 2 || len(buf) < parallelDecodeBytes || n*len(r.chans) < parallelDecodeSamples {
		r.decodeChannels(&r.scratch, buf, rec, k, start, n, dst, 0, len(r.chans))
		return
	}
	if len(r.wscratch) < workers {
		r.wscratch = make([]scratch, workers)
	}
	var wg sync.WaitGroup
	for w := range workers {
		c0, c1 := w*len(r.chans)/workers, (w+1)*len(r.chans)/workers
		wg.Go(func() { r.decodeChannels(&r.wscratch[w], buf, rec, k, start, n, dst, c0, c1) })
	}
	wg.Wait()
}

// Batches of at least parallelDecodeBytes in reads of at least
// parallelDecodeSamples samples (whole recordings, not the windows of a
// streaming reader, which stay allocation-free on one core) are decoded on
// up to maxDecodeWorkers cores.
const (
	parallelDecodeBytes   = 64 << 10
	parallelDecodeSamples = 1 << 18
	maxDecodeWorkers      = 8
)

// decodeChannels decodes channels [c0, c1) of the batch, channel by
// channel, so that each output row is written in one sequential run.
func (r *Reader) decodeChannels(s *scratch, buf []byte, rec, k, start, n int, dst [][]float64, c0, c1 int) {
	L := r.bufLen
	for c := c0; c < c1; c++ {
		for b := 0; b < k; b++ {
			recStart := (rec + b) * L
			lo := max(start, recStart) - recStart
			hi := min(start+n, recStart+L) - recStart
			at := recStart + lo - start
			rb := buf[int64(b)*r.recBytes : int64(b+1)*r.recBytes]
			r.decode(s, &r.chans[c], rb, lo, hi, dst[c][at:at+hi-lo])
		}
	}
}

// decode writes samples [lo, hi) of the channel's share of record rb, at
// the output rate, to out.
func (r *Reader) decode(s *scratch, c *channel, rb []byte, lo, hi int, out []float64) {
	if c.n == r.bufLen {
		r.scale(c, rb, lo, hi, out)
		if c.stim {
			for i, v := range out {
				out[i] = stimBits(v)
			}
		}
		return
	}
	if cap(s.in) < c.n {
		s.in = make([]float64, c.n)
	}
	if cap(s.out) < r.bufLen {
		s.out = make([]float64, r.bufLen)
	}
	in, full := s.in[:c.n], s.out[:r.bufLen]
	r.scale(c, rb, 0, c.n, in)
	if c.stim {
		hold(full, in)
	} else {
		u := s.resamp[c.n]
		if u == nil {
			if s.resamp == nil {
				s.resamp = make(map[int]*upsampler)
			}
			u = newUpsampler(c.n, r.bufLen)
			s.resamp[c.n] = u
		}
		u.resample(full, in)
	}
	copy(out, full[lo:hi])
}

// scale converts samples [lo, hi) of the channel in record rb to physical
// units in out, with MNE's operation order: d*cal, + offset, * gain.
func (r *Reader) scale(c *channel, rb []byte, lo, hi int, out []float64) {
	cal, add, gain := c.cal, c.add, c.gain
	if r.bps == 2 {
		b := rb[c.off+2*lo : c.off+2*hi]
		out = out[:len(b)/2]
		for i := range out {
			d := int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
			out[i] = (float64(float64(d)*cal) + add) * gain
		}
		return
	}
	b := rb[c.off+3*lo : c.off+3*hi]
	out = out[:len(b)/3]
	for i := range out {
		d := int32(uint32(b[3*i])<<8|uint32(b[3*i+1])<<16|uint32(b[3*i+2])<<24) >> 8
		out[i] = (float64(float64(d)*cal) + add) * gain
	}
}

// stimBits is numpy's bitwise_and(x.astype(int), 2**17 - 1): truncation
// toward zero (NaN, infinities and values out of int64 range become
// INT64_MIN, whose low bits are 0), then the low 17 bits.
func stimBits(v float64) float64 {
	if !(v > -9.223372036854775808e18 && v < 9.223372036854775808e18) {
		return 0
	}
	return float64(int64(v) & (1<<17 - 1))
}

// readFull reads len(b) bytes at off; a short read is ErrTruncated.
func readFull(ra io.ReaderAt, b []byte, off int64, name, what string) error {
	n, err := ra.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return fmt.Errorf("edf: %s: %s: %d of %d bytes at offset %d: %w", name, what, n, len(b), off, ErrTruncated)
	}
	return fmt.Errorf("edf: %s: %s: %w", name, what, err)
}
