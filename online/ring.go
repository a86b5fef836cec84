package online

import (
	"errors"
	"fmt"
)

// ErrGone is returned when samples asked of a Ring were already overwritten.
var ErrGone = errors.New("online: samples no longer in the ring buffer")

// ErrNotYet is returned when samples asked of a Ring have not been written.
var ErrNotYet = errors.New("online: samples not yet in the ring buffer")

// Ring is a fixed-capacity ring buffer of multichannel samples. It keeps the
// last Cap samples written; samples are numbered from 0, the first one
// written. Write and Read copy and allocate nothing. A Ring is not safe for
// concurrent use.
type Ring struct {
	buf   [][]float64 // [channel][capacity]
	n     int
	total int64
	low   int64 // first sample written since the last Reset
}

// NewRing returns a ring buffer of the given number of channels holding the
// last capacity samples. It panics when either is not positive.
func NewRing(channels, capacity int) *Ring {
	if channels <= 0 || capacity <= 0 {
		panic(fmt.Sprintf("online: NewRing(%d, %d): channels and capacity must be positive", channels, capacity))
	}
	buf := make([][]float64, channels)
	flat := make([]float64, channels*capacity)
	for c := range buf {
		buf[c] = flat[c*capacity : (c+1)*capacity : (c+1)*capacity]
	}
	return &Ring{buf: buf, n: capacity}
}

// Channels returns the number of channels.
func (r *Ring) Channels() int { return len(r.buf) }

// Cap returns the number of samples the ring holds.
func (r *Ring) Cap() int { return r.n }

// Total returns the number of the next sample: the number of samples
// written since the ring was made, or since Reset plus its next.
func (r *Ring) Total() int64 { return r.total }

// Reset empties the ring and numbers the next sample written next (≥ 0).
func (r *Ring) Reset(next int64) {
	if next < 0 {
		panic(fmt.Sprintf("online: Ring.Reset(%d): negative sample number", next))
	}
	r.total, r.low = next, next
}

// Write appends a chunk data[channel][sample]. It panics when the number of
// channels differs from the ring's or the channels differ in length.
func (r *Ring) Write(data [][]float64) {
	if len(data) != len(r.buf) {
		panic(fmt.Sprintf("online: Ring.Write: %d channels, want %d", len(data), len(r.buf)))
	}
	m := len(data[0])
	for c := range data {
		if len(data[c]) != m {
			panic("online: Ring.Write: channels of different lengths")
		}
	}
	src := 0
	if m > r.n { // only the last n samples survive
		src = m - r.n
	}
	pos := int((r.total + int64(src)) % int64(r.n))
	for src < m {
		k := min(m-src, r.n-pos)
		for c, ch := range data {
			copy(r.buf[c][pos:pos+k], ch[src:src+k])
		}
		src += k
		pos = (pos + k) % r.n
	}
	r.total += int64(m)
}

// Read copies the samples [start, start+len(dst[0])) of every channel into
// dst[channel]. It returns an error wrapping ErrGone when some of them were
// overwritten and ErrNotYet when some were not written yet. It panics when
// dst has the wrong number of channels or channels of different lengths.
func (r *Ring) Read(dst [][]float64, start int64) error {
	if len(dst) != len(r.buf) {
		panic(fmt.Sprintf("online: Ring.Read: %d channels, want %d", len(dst), len(r.buf)))
	}
	m := len(dst[0])
	for c := range dst {
		if len(dst[c]) != m {
			panic("online: Ring.Read: channels of different lengths")
		}
	}
	end := start + int64(m)
	if first := max(r.low, r.total-int64(r.n)); start < first {
		return fmt.Errorf("%w: samples from %d asked, the ring holds %d to %d", ErrGone, start, first, r.total)
	}
	if end > r.total {
		return fmt.Errorf("%w: samples to %d asked, %d written", ErrNotYet, end, r.total)
	}
	pos := int(start % int64(r.n))
	dstPos := 0
	for dstPos < m {
		k := min(m-dstPos, r.n-pos)
		for c := range dst {
			copy(dst[c][dstPos:dstPos+k], r.buf[c][pos:pos+k])
		}
		dstPos += k
		pos = (pos + k) % r.n
	}
	return nil
}
