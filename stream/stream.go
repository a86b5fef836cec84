package stream

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Header describes a stream: it is sent once, before the stream's chunks.
type Header struct {
	// Channels are the channel names, in the order of Chunk.Data.
	Channels []string `json:"channels"`
	// Units are the SI units of each channel's samples, as raw.Channel
	// units ("V" for EEG, "NA" for stim channels).
	Units []string `json:"units"`
	// Types are the channel types, as raw.ChannelType names ("eeg",
	// "stim", ...).
	Types []string `json:"types"`
	// SFreq is the sampling rate in Hz.
	SFreq float64 `json:"sfreq"`
	// Name optionally names the stream (a replay uses the file name).
	Name string `json:"name,omitempty"`
}

// Chunk is a block of consecutive samples of every channel.
type Chunk struct {
	// Start is the index of the chunk's first sample, counted from the
	// first sample of the stream (0).
	Start int64
	// Data holds the samples, Data[channel][sample], in SI units. Every
	// channel has the same number of samples. A Source may reuse Data
	// for its next chunk: copy what must outlive the next call to Next.
	Data [][]float64
	// Time is the wall-clock time at which the chunk's last sample was
	// acquired (or, for a replay, was due); the zero Time if unknown.
	Time time.Time
	// Markers are the events inside the chunk, sorted by sample.
	Markers []Marker
}

// Len returns the number of samples per channel in c.
func (c *Chunk) Len() int {
	if len(c.Data) == 0 {
		return 0
	}
	return len(c.Data[0])
}

// Marker is an event of a stream (a cue, a trigger, an annotation).
type Marker struct {
	// Sample is the index of the event's sample since the stream began,
	// in the same count as Chunk.Start.
	Sample int64
	// Code is the event's integer code (as raw.Event codes).
	Code int
	// Label is the event's text (an annotation's description); may be
	// empty.
	Label string
}

// Source yields a stream's header and then its chunks.
type Source interface {
	// Header returns the stream's header. The caller must not modify it.
	Header() Header
	// Next returns the stream's next chunk, waiting for it if need be,
	// and io.EOF after the last one. The returned chunk's Data and
	// Markers may be reused by the following call to Next. Next returns
	// ctx's error if ctx ends first.
	Next(ctx context.Context) (Chunk, error)
	// Close releases the source (a file, a connection). Next must not be
	// called after Close.
	Close() error
}

// Errors of this package; the errors returned wrap them with details
// (which field, which connection, which value).
var (
	// ErrHeader reports a header that is invalid (no channel, units or
	// types not one per channel, a non-positive rate, ...).
	ErrHeader = errors.New("stream: invalid header")
	// ErrFrame reports a malformed frame on the wire: bad magic or
	// version, an unknown frame type, a length over the cap or not
	// matching the contents, non-finite samples, ...
	ErrFrame = errors.New("stream: malformed frame")
	// ErrSpec reports a source spec that Open does not understand.
	ErrSpec = errors.New("stream: bad source spec")
	// ErrRemote reports an error frame sent by the other end: the
	// message is its reason.
	ErrRemote = errors.New("stream: remote error")
	// ErrDropped reports a subscriber the server dropped (slow, stalled,
	// gone, or sending garbage).
	ErrDropped = errors.New("stream: connection dropped")
)

// MaxChannels caps the number of channels of a header.
const MaxChannels = 1 << 16

// Validate checks that h describes a usable stream: at least one channel,
// non-empty distinct names, one unit and one type per channel, and a
// positive finite rate.
func (h *Header) Validate() error {
	n := len(h.Channels)
	if n == 0 {
		return fmt.Errorf("%w: no channel", ErrHeader)
	}
	if n > MaxChannels {
		return fmt.Errorf("%w: %d channels, more than %d", ErrHeader, n, MaxChannels)
	}
	if len(h.Units) != n {
		return fmt.Errorf("%w: %d units for %d channels", ErrHeader, len(h.Units), n)
	}
	if len(h.Types) != n {
		return fmt.Errorf("%w: %d types for %d channels", ErrHeader, len(h.Types), n)
	}
	if !(h.SFreq > 0) || math.IsInf(h.SFreq, 0) {
		return fmt.Errorf("%w: sampling rate %v Hz", ErrHeader, h.SFreq)
	}
	seen := make(map[string]int, n)
	for i, c := range h.Channels {
		if c == "" {
			return fmt.Errorf("%w: channel %d has no name", ErrHeader, i)
		}
		if j, ok := seen[c]; ok {
			return fmt.Errorf("%w: channels %d and %d are both called %q", ErrHeader, j, i, c)
		}
		seen[c] = i
	}
	return nil
}

// CheckChunk reports whether c can follow a chunk that ended before sample
// next (next < 0: c is the first one seen) in a stream of nch channels:
// nch channels of one length, finite samples, markers inside the chunk and
// in order. Serve and Publish check every chunk of their source with it,
// so that a bad source ends with an error rather than with frames every
// reader rejects.
func CheckChunk(c *Chunk, nch int, next int64) error {
	if len(c.Data) != nch {
		return fmt.Errorf("chunk at sample %d has %d channels, the header %d", c.Start, len(c.Data), nch)
	}
	if c.Start < 0 || (next >= 0 && c.Start != next) {
		return fmt.Errorf("chunk starts at sample %d, want %d (chunks follow one another)", c.Start, next)
	}
	ns := c.Len()
	if ns > math.MaxUint32 {
		return fmt.Errorf("chunk at sample %d has %d samples", c.Start, ns)
	}
	for ch, x := range c.Data {
		if len(x) != ns {
			return fmt.Errorf("chunk at sample %d: channel %d has %d samples, channel 0 has %d", c.Start, ch, len(x), ns)
		}
		var acc float64 // v*0 is NaN for NaN and ±Inf, else 0
		for _, v := range x {
			acc += v * 0
		}
		if acc == 0 {
			continue
		}
		for i, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("chunk at sample %d: sample %d of channel %d is %v", c.Start, c.Start+int64(i), ch, v)
			}
		}
	}
	for k, m := range c.Markers {
		if m.Sample < c.Start || m.Sample >= c.Start+int64(ns) || (k > 0 && m.Sample < c.Markers[k-1].Sample) {
			return fmt.Errorf("chunk [%d, %d): marker %d at sample %d is outside it or out of order", c.Start, c.Start+int64(ns), k, m.Sample)
		}
		if len(m.Label) > maxLabelLen || m.Code != int(int32(m.Code)) {
			return fmt.Errorf("chunk at sample %d: marker %d has a label over %d bytes or a code beyond int32", c.Start, k, maxLabelLen)
		}
	}
	return nil
}
