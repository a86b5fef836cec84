package stream

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/raw"
)

// Clock tells the time and waits; a Replay paces its chunks with one. Tests
// pass a fake clock whose Sleep only moves its time forward.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx ends (returning ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the wall clock.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ReplayOptions tune a Replay. The zero value replays at real time in
// chunks of 1/32 s, once.
type ReplayOptions struct {
	// Speed is how many times faster than real time the samples come:
	// 1 (or 0) is real time, 2 twice as fast; a negative Speed means as
	// fast as the reader can go, without waiting.
	Speed float64
	// ChunkSamples is the number of samples per chunk (default: the
	// sampling rate / 32, rounded, at least 1).
	ChunkSamples int
	// Loop restarts the recording at its end, forever; sample indices and
	// times keep counting.
	Loop bool
	// Clock paces the chunks (default SystemClock).
	Clock Clock
	// Name names the stream in its header (default: none; OpenReplay
	// sets the file's base name).
	Name string
}

// Replay is a Source that plays a recording as if it were being acquired:
// chunk k, which ends with sample e, is returned at start + e/SFreq/Speed,
// and its Time is that instant. Markers are the recording's annotations
// turned into events with the codes mne.events_from_annotations gives by
// default: raw's default codes (Info.EventsFromAnnotations with nil codes:
// 1, 2, ... in the sorted order of the descriptions), except for
// BrainVision recordings, and FIF recordings whose annotations are all
// BrainVision markers, where MNE's BrainVision codes apply
// ("Stimulus/S 11" → 11, "Response/R 11" → 1011, "Optic/O 1" → 2001,
// "New Segment/" → 99999, others 10001, 10002, ...). Annotations whose
// description starts with "bad" or "edge" are not markers.
type Replay struct {
	r      raw.Reader
	info   *raw.Info
	hdr    Header
	opt    ReplayOptions
	events []Marker // sample counted from the file's first sample
	buf    [][]float64
	pos    int   // next sample in the file
	base   int64 // stream index of the file's sample 0 in this loop
	t0     time.Time
	marks  []Marker
	evi    int // next event in events
}

// NewReplay returns a Replay of r; closing the Replay closes r.
func NewReplay(r raw.Reader, opt ReplayOptions) (*Replay, error) {
	info := r.Info()
	h := Header{SFreq: info.SFreq, Name: opt.Name}
	for _, c := range info.Channels {
		h.Channels = append(h.Channels, c.Name)
		h.Units = append(h.Units, c.Unit)
		h.Types = append(h.Types, string(c.Type))
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("stream: replay: %w", err)
	}
	if info.NSamples <= 0 {
		return nil, fmt.Errorf("stream: replay: the recording has no sample")
	}
	if math.IsNaN(opt.Speed) || math.IsInf(opt.Speed, 0) {
		return nil, fmt.Errorf("stream: replay: speed %v", opt.Speed)
	}
	if opt.Speed == 0 {
		opt.Speed = 1
	}
	if opt.ChunkSamples < 0 {
		return nil, fmt.Errorf("stream: replay: %d samples per chunk", opt.ChunkSamples)
	}
	if opt.ChunkSamples == 0 {
		opt.ChunkSamples = max(1, int(math.Round(info.SFreq/32)))
	}
	if opt.Clock == nil {
		opt.Clock = SystemClock
	}
	// Its only error is annotations that all lie outside the data: then
	// there is no marker to send.
	ev, codes, err := info.EventsFromAnnotations(markerCodes(info))
	if err != nil {
		ev = nil
	}
	labels := make(map[int]string, len(codes))
	for d, c := range codes {
		labels[c] = d
	}
	rp := &Replay{r: r, info: info, hdr: h, opt: opt}
	for _, e := range ev {
		rp.events = append(rp.events, Marker{Sample: int64(e.Sample - info.FirstSample), Code: e.Code, Label: labels[e.Code]})
	}
	rp.buf = raw.NewData(len(info.Channels), opt.ChunkSamples)
	return rp, nil
}

// OpenReplay opens the recording at path (any format package format reads)
// and returns its Replay, named after the file.
func OpenReplay(path string, opt ReplayOptions) (*Replay, error) {
	r, err := format.Open(path)
	if err != nil {
		return nil, err
	}
	if opt.Name == "" {
		opt.Name = filepath.Base(path)
	}
	rp, err := NewReplay(r, opt)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return rp, nil
}

// Header returns the stream's header: the recording's channels, units,
// types and rate.
func (rp *Replay) Header() Header { return rp.hdr }

// Next waits until the next chunk is due and returns it. Its Data is
// reused by the following call.
func (rp *Replay) Next(ctx context.Context) (Chunk, error) {
	if err := ctx.Err(); err != nil {
		return Chunk{}, err
	}
	n := rp.info.NSamples
	if rp.pos >= n {
		if !rp.opt.Loop {
			return Chunk{}, io.EOF
		}
		rp.base += int64(n)
		rp.pos, rp.evi = 0, 0
	}
	ns := min(rp.opt.ChunkSamples, n-rp.pos)
	data := rp.buf
	if ns < rp.opt.ChunkSamples {
		data = make([][]float64, len(rp.buf))
		for i := range data {
			data[i] = rp.buf[i][:ns]
		}
	}
	if err := rp.r.ReadAt(data, rp.pos); err != nil {
		return Chunk{}, fmt.Errorf("stream: replay: samples %d-%d: %w", rp.pos, rp.pos+ns, err)
	}
	start := rp.base + int64(rp.pos)
	end := start + int64(ns)
	// Pace: the chunk is due when its last sample would have been acquired.
	clk := rp.opt.Clock
	var t time.Time
	if rp.opt.Speed > 0 {
		if rp.t0.IsZero() {
			rp.t0 = clk.Now()
		}
		due := rp.t0.Add(time.Duration(float64(end) / rp.hdr.SFreq / rp.opt.Speed * float64(time.Second)))
		if err := clk.Sleep(ctx, due.Sub(clk.Now())); err != nil {
			return Chunk{}, err
		}
		t = due
	} else {
		t = clk.Now()
	}
	rp.marks = rp.marks[:0]
	for rp.evi < len(rp.events) && rp.events[rp.evi].Sample < int64(rp.pos+ns) {
		m := rp.events[rp.evi]
		m.Sample += rp.base
		rp.marks = append(rp.marks, m)
		rp.evi++
	}
	rp.pos += ns
	return Chunk{Start: start, Data: data, Time: t, Markers: rp.marks}, nil
}

// Close closes the underlying reader.
func (rp *Replay) Close() error { return rp.r.Close() }

// openReplaySpec opens "FILE[?speed=N&loop=1&chunk=SAMPLES]" (the part of a
// replay: spec after the colon).
func openReplaySpec(s string) (*Replay, error) {
	path, query := s, ""
	if i := strings.LastIndexByte(s, '?'); i >= 0 {
		path, query = s[:i], s[i+1:]
	}
	path = strings.ReplaceAll(path, "%3F", "?")
	if path == "" {
		return nil, fmt.Errorf("%w: replay: no file name", ErrSpec)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("%w: replay:%s: %v", ErrSpec, s, err)
	}
	var opt ReplayOptions
	for k, v := range q {
		if len(v) != 1 {
			return nil, fmt.Errorf("%w: replay:%s: %s given %d times", ErrSpec, s, k, len(v))
		}
		switch k {
		case "speed":
			if v[0] == "max" {
				opt.Speed = -1
				continue
			}
			f, err := strconv.ParseFloat(v[0], 64)
			if err != nil || !(f > 0) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("%w: replay:%s: speed %q is not a positive number or \"max\"", ErrSpec, s, v[0])
			}
			opt.Speed = f
		case "loop":
			b, err := strconv.ParseBool(v[0])
			if err != nil {
				return nil, fmt.Errorf("%w: replay:%s: loop %q is not a boolean", ErrSpec, s, v[0])
			}
			opt.Loop = b
		case "chunk":
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("%w: replay:%s: chunk %q is not a positive number of samples", ErrSpec, s, v[0])
			}
			opt.ChunkSamples = n
		default:
			return nil, fmt.Errorf("%w: replay:%s: unknown option %q (speed, loop, chunk)", ErrSpec, s, k)
		}
	}
	return OpenReplay(path, opt)
}

// MNE's BrainVision event parser (mne/io/brainvision/brainvision.py,
// _BVEventParser, used by events_from_annotations' event_id="auto").
var (
	bvOffsets = map[string]int{"Event/": 0, "Stimulus/S": 0, "Response/R": 1000, "Optic/O": 2000}
	bvOther   = map[string]int{"New Segment/": 99999, "SyncStatus/Sync On": 99998}
)

const bvOtherOffset = 10001

// markerCodes returns the description → code mapping MNE's
// events_from_annotations uses by default for info, or nil where that is
// raw's default.
func markerCodes(info *raw.Info) map[string]int {
	var descs []string
	for _, a := range info.Annotations {
		if !slices.Contains(descs, a.Description) {
			descs = append(descs, a.Description)
		}
	}
	switch info.Format {
	case "brainvision":
	case "fif":
		// _check_bv_annot: every description, digits and spaces cut off
		// its end, is a BrainVision marker kind.
		for _, d := range descs {
			base := strings.TrimRight(d, "0123456789 ")
			_, a := bvOffsets[base]
			_, b := bvOther[base]
			if !a && !b {
				return nil
			}
		}
	default:
		return nil
	}
	sort.Strings(descs)
	codes := map[string]int{}
	unknown := 0
	for _, d := range descs {
		if l := strings.ToLower(d); strings.HasPrefix(l, "bad") || strings.HasPrefix(l, "edge") {
			continue // MNE's default regexp
		}
		// Python's description[:-3] and description[-3:].strip(), by
		// characters.
		r := []rune(d)
		k := max(0, len(r)-3)
		kind, digits := string(r[:k]), strings.TrimSpace(string(r[k:]))
		if off, ok := bvOffsets[kind]; ok && isDigits(digits) {
			n, _ := strconv.Atoi(digits)
			codes[d] = n + off
		} else if c, ok := bvOther[d]; ok {
			codes[d] = c
		} else {
			codes[d] = bvOtherOffset + unknown
			unknown++
		}
	}
	return codes
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
