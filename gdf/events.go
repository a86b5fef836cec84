package gdf

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/bcikit/bcikit/raw"
)

// Event is one entry of a GDF event table, as stored in the file.
type Event struct {
	// Pos is the event's position: a 1-based sample index at the event
	// table's rate (see Reader.EventRate). MNE places the annotation at
	// (Pos-1)/SFreq seconds.
	Pos uint32
	// Type is the event code, for example 0x8100 (33024) for an OpenViBE
	// stimulation.
	Type uint16
	// Chan is the channel the event belongs to, 0 for all channels. It is
	// 0 in tables of mode 1, which do not store it.
	Chan uint16
	// Dur is the duration in samples. It is 0 in tables of mode 1, which
	// do not store it.
	Dur uint32
}

// eventTable is the parsed event table.
type eventTable struct {
	mode   byte // 1 or 3 as stored (0 when there is no table)
	rate   float64
	events []Event
	// withDur reports whether the table stores channels and durations
	// (mode 3).
	withDur bool
}

// readEvents reads the event table that follows the last record. Like MNE,
// it finds no table when the file ends with the records, and (GDF 1) when
// the mode byte is neither 1 nor 3.
func readEvents(r io.ReaderAt, size int64, h *header, name string) (*eventTable, error) {
	et := &eventTable{}
	if h.recordsUnknown {
		return et, nil
	}
	pos := h.headerLen + h.nRecords*h.recBytes
	if pos >= size {
		return et, nil
	}
	var head [8]byte
	n, err := r.ReadAt(head[:], pos)
	if n == 0 {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("gdf: %s: event table: %w", name, err)
		}
		return et, nil
	}
	mode := head[0]
	if h.gdf1 && mode != 1 && mode != 3 {
		return et, nil
	}
	if !h.gdf1 && mode >= 0x80 {
		// MNE decodes the mode byte as UTF-8 and fails on this one.
		return nil, fmt.Errorf("gdf: %s: event table at offset %d: mode byte %#x: %w", name, pos, mode, ErrHeader)
	}
	if n < len(head) {
		return nil, fmt.Errorf("gdf: %s: event table header: %d of 8 bytes at offset %d: %w", name, n, pos, ErrTruncated)
	}
	le := binary.LittleEndian
	uint24 := func(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }
	var count uint64
	if h.gdf1 || h.version < 1.94 {
		et.rate = float64(uint24(head[1:4]))
		count = uint64(le.Uint32(head[4:]))
	} else {
		count = uint64(uint24(head[1:4]))
		et.rate = float64(math.Float32frombits(le.Uint32(head[4:])))
	}
	// MNE reads channels and durations for mode 3 only; in GDF 2 it takes
	// every other mode as mode 1.
	et.mode = mode
	et.withDur = mode == 3
	per := uint64(6)
	if et.withDur {
		per = 12
	}
	avail := uint64(size - pos - 8)
	if count > avail/per {
		return nil, fmt.Errorf("gdf: %s: event table: %d events of %d bytes need %d bytes, file holds %d after the table header: %w",
			name, count, per, count*per, avail, ErrTruncated)
	}
	buf := make([]byte, count*per)
	if err := readFull(r, buf, pos+8, name, "event table"); err != nil {
		return nil, err
	}
	cnt := int(count)
	et.events = make([]Event, cnt)
	for i := range et.events {
		e := &et.events[i]
		e.Pos = le.Uint32(buf[4*i:])
		e.Type = le.Uint16(buf[4*cnt+2*i:])
		if et.withDur {
			e.Chan = le.Uint16(buf[6*cnt+2*i:])
			e.Dur = le.Uint32(buf[8*cnt+4*i:])
		}
	}
	return et, nil
}

// annotations turns the event table into raw.Annotations exactly as MNE's
// RawGDF does: onset (Pos-1)/sfreq (with Pos-1 wrapping around in uint32
// for Pos 0, as numpy does), duration max(Dur, 1)/sfreq (1/sfreq without
// durations), description the decimal code; sorted by onset then duration,
// then cropped to the recording by Raw.set_annotations, which works in
// whole microseconds: annotations starting after the end (one sample past
// the last) are dropped, those running past it are shortened, and every
// kept onset is rounded to the microsecond.
func (et *eventTable) annotations(sfreq float64, nsamples int, name string) ([]raw.Annotation, error) {
	if len(et.events) == 0 {
		return nil, nil
	}
	type ann struct {
		onset, dur float64
		code       uint16
	}
	anns := make([]ann, len(et.events))
	for i, e := range et.events {
		d := uint32(1)
		if et.withDur && e.Dur > 1 {
			d = e.Dur
		}
		anns[i] = ann{float64(e.Pos-1) / sfreq, float64(d) / sfreq, e.Type}
	}
	sort.SliceStable(anns, func(i, j int) bool {
		if anns[i].onset != anns[j].onset {
			return anns[i].onset < anns[j].onset
		}
		return anns[i].dur < anns[j].dur
	})

	// tmax = raw.times[-1] + 1/sfreq, turned into a datetime by
	// _handle_meas_date: whole seconds plus round-half-even microseconds.
	tmax := float64(nsamples-1)/sfreq + 1/sfreq
	ip, frac := math.Modf(tmax)
	tmaxUS := int64(ip)*usPerSecond + int64(math.RoundToEven(frac*1e6))
	if !(tmax < 3.2e11) || !inDatetimeRange(tmaxUS) {
		return nil, fmt.Errorf("gdf: %s: recording of %g s is too long for MNE's annotation cropping: %w", name, tmax, ErrHeader)
	}
	var out []raw.Annotation
	for _, a := range anns {
		on, ok1 := pyTimedeltaMicros(a.onset, usPerSecond)
		du, ok2 := pyTimedeltaMicros(a.dur, usPerSecond)
		if !ok1 || !ok2 || !inDatetimeRange(on) || !inDatetimeRange(on+du) {
			return nil, fmt.Errorf("gdf: %s: event at %g s lasting %g s is outside the dates MNE can represent: %w", name, a.onset, a.dur, ErrHeader)
		}
		off := on + du
		if on > tmaxUS || off < 0 {
			continue
		}
		dur := a.dur
		if off > tmaxUS {
			dur = float64(tmaxUS-on) / usPerSecond
		}
		out = append(out, raw.Annotation{
			Onset:       float64(on) / usPerSecond,
			Duration:    dur,
			Description: strconv.Itoa(int(a.code)),
		})
	}
	return out, nil
}
