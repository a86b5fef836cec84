package gdf

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bcikit/bcikit/raw"
)

// Errors that callers can test for with errors.Is. Every error the package
// returns for a bad file wraps one of them and names the file, the header
// field or section, and the problem.
var (
	// ErrTruncated reports a file shorter than its header says: a
	// header, records or an event table cut off.
	ErrTruncated = errors.New("file truncated")
	// ErrHeader reports a header field that cannot be right: a wrong
	// version string, inconsistent lengths, impossible counts.
	ErrHeader = errors.New("invalid header")
	// ErrUnsupported reports a valid GDF feature that MNE-Python, and so
	// this package, does not read (24-bit samples, for example).
	ErrUnsupported = errors.New("unsupported")
)

// chunkBytes is about how much of the file ReadAt reads in one call to the
// underlying ReaderAt.
const chunkBytes = 1 << 20

// How a channel's record becomes samples at the recording's rate.
const (
	planDirect = iota // same rate: the scaled samples
	planMask          // stim channel at the same rate: low 17 bits
	planHold          // stim channel at another rate: zero-order hold
	planFFT           // data channel at a lower rate: FFT resampling
)

// channel is the reading plan of one channel.
type channel struct {
	chanHeader
	plan int
	hold []int      // planHold: input index of each output sample
	rs   *resampler // planFFT
}

// Reader reads a GDF file. It implements raw.Reader. Its methods may be
// called from several goroutines; ReadAt calls are serialized.
type Reader struct {
	name   string
	r      io.ReaderAt
	closer io.Closer
	h      *header
	info   raw.Info
	events *eventTable
	spr    int // samples per record at info.SFreq (MNE's max_samp)
	chans  []channel

	mu    sync.Mutex // guards the workspace below
	chunk []byte
	in    []float64 // one record of one channel, at its own rate
	out   []float64 // one record of one channel, at info.SFreq
}

// Open opens the GDF file at path (taken literally: brackets and other
// glob characters are not special). The Reader owns the file; Close closes
// it.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gdf: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("gdf: %w", err)
	}
	r, err := NewReader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads the header and event table of the size-byte GDF
// recording in r; name is used in error messages. Samples are read on
// demand by ReadAt. Close does not close r.
//
// The header is interpreted as MNE-Python 1.3's mne.io.read_raw_gdf does
// with its default arguments: channel names, stim channels (those named
// "status" or "trigger" in any case), scaling, sampling rate, start date,
// and annotations from the event table.
func NewReader(r io.ReaderAt, size int64, name string) (*Reader, error) {
	h, err := readHeader(r, size, name)
	if err != nil {
		return nil, err
	}
	et, err := readEvents(r, size, h, name)
	if err != nil {
		return nil, err
	}
	rd := &Reader{name: name, r: r, h: h, events: et}
	if err := rd.setup(); err != nil {
		return nil, err
	}
	return rd, nil
}

// setup builds Info and the per-channel reading plans from the header.
func (rd *Reader) setup() error {
	h := rd.h
	labels := make([]string, len(h.chans))
	for i, c := range h.chans {
		labels[i] = c.label
	}
	stim := stimChannels(labels)

	// The recording's rate is that of the fastest data channel (of the
	// fastest stim channel when there are only stim channels).
	spr, sprAll := 0, 0
	for i, c := range h.chans {
		sprAll = max(sprAll, c.nsamp)
		if !stim[i] {
			spr = max(spr, c.nsamp)
		}
	}
	if spr == 0 {
		spr = sprAll
	}
	rd.spr = spr
	rate := func(nsamp int) float64 {
		return float64(int64(nsamp)*int64(h.recDur[1])) / float64(h.recDur[0])
	}

	names, err := uniqueNames(labels)
	if err != nil {
		return fmt.Errorf("gdf: %s: header field %q: %v: %w", rd.name, "label", err, ErrHeader)
	}
	info := raw.Info{
		Format:   "gdf",
		SFreq:    rate(spr),
		NSamples: int(h.nRecords) * spr,
		MeasDate: h.measDate,
		Channels: make([]raw.Channel, len(h.chans)),
	}
	rd.chans = make([]channel, len(h.chans))
	maxIn := 0
	for i, c := range h.chans {
		ch := raw.Channel{Name: names[i], Type: raw.EEG, Unit: raw.UnitVolt, SFreq: rate(c.nsamp)}
		pc := channel{chanHeader: c, plan: planDirect}
		if stim[i] {
			ch.Type, ch.Unit = raw.Stim, raw.UnitNone
			pc.gain = 1
			pc.plan = planMask
			if c.nsamp != spr {
				pc.plan = planHold
				pc.hold = holdIndex(c.nsamp, spr)
			}
		} else if c.nsamp != spr {
			pc.plan = planFFT
			pc.rs = newResampler(c.nsamp, spr)
		}
		maxIn = max(maxIn, c.nsamp)
		info.Channels[i] = ch
		rd.chans[i] = pc
	}
	ann, err := rd.events.annotations(info.SFreq, info.NSamples, rd.name)
	if err != nil {
		return err
	}
	info.Annotations = ann
	rd.info = info
	rd.in = make([]float64, maxIn)
	rd.out = make([]float64, spr)
	return nil
}

// stimChannels marks the channels MNE's stim_channel="auto" makes stim
// channels: the first one named "status" and the first one named
// "trigger", ignoring case.
func stimChannels(labels []string) []bool {
	stim := make([]bool, len(labels))
	for _, want := range []string{"status", "trigger"} {
		for i, l := range labels {
			if strings.ToLower(l) == want {
				stim[i] = true
				break
			}
		}
	}
	return stim
}

// uniqueNames renames repeated channel names as MNE's
// _unique_channel_names does: the k-th "X" becomes "X-k" (or "X-a", "X-b",
// ... when that name is taken).
func uniqueNames(labels []string) ([]string, error) {
	names := slices.Clone(labels)
	count := make(map[string]int, len(names))
	for _, n := range names {
		count[n]++
	}
	var stems []string
	for _, n := range names {
		if count[n] > 1 && !slices.Contains(stems, n) {
			stems = append(stems, n)
		}
	}
	for _, stem := range stems {
		var overlaps []int
		for i, n := range names {
			if n == stem {
				overlaps = append(overlaps, i)
			}
		}
		for k, i := range overlaps {
			suffixes := []string{strconv.Itoa(k)}
			for c := 'a'; c <= 'z'; c++ {
				suffixes = append(suffixes, string(c))
			}
			var cand string
			for _, s := range suffixes {
				cand = stem + "-" + s
				if !slices.Contains(names, cand) {
					break
				}
			}
			if slices.Contains(names, cand) {
				return nil, fmt.Errorf("no free name for repeated channel %q", stem)
			}
			names[i] = cand
		}
	}
	return names, nil
}

// Info returns the recording's header. The caller must not modify it.
func (rd *Reader) Info() *raw.Info { return &rd.info }

// Events returns a copy of the file's event table as stored (nil when the
// file has none). Info().Annotations holds the same events as MNE turns
// them into annotations.
func (rd *Reader) Events() []Event { return slices.Clone(rd.events.events) }

// EventRate returns the sampling rate of the event table's positions as
// stored, in Hz (0 when the file has no event table or leaves it unset).
// MNE ignores it and uses Info().SFreq.
func (rd *Reader) EventRate() float64 { return rd.events.rate }

// Version returns the GDF version number of the file's header, such as
// 1.25 or 2.2.
func (rd *Reader) Version() float64 { return rd.h.version }

// Close releases the file opened by Open; for a Reader made by NewReader
// it does nothing.
func (rd *Reader) Close() error {
	if rd.closer == nil {
		return nil
	}
	err := rd.closer.Close()
	rd.closer = nil
	return err
}

// ReadAt fills dst with the samples start, start+1, ... of every channel, in
// SI units at Info().SFreq, reading only the records that cover them.
func (rd *Reader) ReadAt(dst [][]float64, start int) error {
	if err := raw.CheckWindow(&rd.info, dst, start); err != nil {
		return fmt.Errorf("gdf: %s: %w", rd.name, err)
	}
	if len(dst) == 0 || len(dst[0]) == 0 {
		return nil
	}
	n := len(dst[0])
	rd.mu.Lock()
	defer rd.mu.Unlock()

	spr := rd.spr
	recBytes := int(rd.h.recBytes)
	first, end := start/spr, (start+n-1)/spr+1
	perChunk := max(1, chunkBytes/recBytes)
	if need := min(perChunk, end-first) * recBytes; cap(rd.chunk) < need {
		rd.chunk = make([]byte, need)
	}
	for rec := first; rec < end; rec += perChunk {
		k := min(perChunk, end-rec)
		buf := rd.chunk[:k*recBytes]
		if err := readFull(rd.r, buf, rd.h.headerLen+int64(rec)*int64(recBytes), rd.name, "data records"); err != nil {
			return err
		}
		for ci := range rd.chans {
			c := &rd.chans[ci]
			size := c.typ.size()
			for j := 0; j < k; j++ {
				recStart := (rec + j) * spr
				lo, hi := max(start, recStart), min(start+n, recStart+spr)
				src := buf[j*recBytes+c.byteOff : j*recBytes+c.byteOff+c.nsamp*size]
				if c.plan == planDirect && lo == recStart && hi == recStart+spr {
					c.decode(dst[ci][lo-start:hi-start], src)
					continue
				}
				rd.record(c, src)
				copy(dst[ci][lo-start:hi-start], rd.out[lo-recStart:hi-recStart])
			}
		}
	}
	return nil
}

// record converts one record of channel c into rd.out (spr samples).
func (rd *Reader) record(c *channel, src []byte) {
	out := rd.out
	switch c.plan {
	case planDirect:
		c.decode(out, src)
	case planMask:
		c.decode(out, src)
		for i, v := range out {
			out[i] = stimMask(v)
		}
	case planHold:
		in := rd.in[:c.nsamp]
		c.decode(in, src)
		for i, k := range c.hold {
			if k < len(in) {
				out[i] = in[k]
			} else {
				out[i] = 0
			}
		}
	case planFFT:
		in := rd.in[:c.nsamp]
		c.decode(in, src)
		c.rs.apply(out, in)
	}
}
