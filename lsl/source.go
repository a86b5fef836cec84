package lsl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bcikit/bcikit/stream"
)

// SpecQuery turns the text after "lsl:" in a source spec into a query: a
// bare NAME is name='NAME'; KEY=VALUE (type=EEG, source_id=X, ...) is
// KEY='VALUE'; anything else is taken as an XPath predicate as it is
// ("type='EEG' and count(desc/channels/channel)=64").
func SpecQuery(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty lsl: spec (want NAME, type=TYPE or a predicate)", ErrQuery)
	}
	if !strings.ContainsAny(s, "='\"()<>!") {
		return "name=" + xpathLit(s), nil
	}
	if k, v, ok := strings.Cut(s, "="); ok && isPlainName(k) && !strings.ContainsAny(v, "='\"()<>!") {
		return k + "=" + xpathLit(v), nil
	}
	if _, err := CompileQuery(s); err != nil {
		return "", err
	}
	return s, nil
}

func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) && s[i] != '/' {
			return false
		}
	}
	return true
}

// SourceOptions tune OpenSource.
type SourceOptions struct {
	// Inlet tunes the inlets (Config there also serves the resolves).
	Inlet InletOptions
	// ResolveTimeout bounds the search for each stream (default 10 s).
	ResolveTimeout time.Duration
	// Markers are queries of marker streams (irregular rate, one channel)
	// whose events become the Chunk markers of the sampled stream.
	Markers []string
	// MarkerDelay holds each chunk back until this long after its last
	// sample was taken and after it arrived, so that markers sent at about
	// the same time arrive before it leaves (default 200 ms when there are
	// marker streams).
	MarkerDelay time.Duration
	// Logf reports reconnections and late markers (default: discarded).
	Logf func(format string, args ...any)
}

// Source is a stream.Source reading an LSL stream of regular rate, with
// the events of marker streams attached to its chunks. Samples come in SI
// units: channels whose unit is microvolts or millivolts (LSL's custom)
// are scaled to volts. Every timestamp is put on the local clock with its
// inlet's time correction; a marker is placed at the sample of the sampled
// stream whose corrected timestamp is nearest to its own.
type Source struct {
	in      *Inlet
	markers []*Inlet
	hdr     stream.Header
	scale   []float64
	rate    float64
	delay   float64
	logf    func(string, ...any)
	next    int64   // index of the next sample
	lastTs  float64 // corrected timestamp of the last sample delivered
	queue   []pending
	pend    []markerEvent
	codes   map[string]int
	data    [][]float64
	mk      []stream.Marker
	ended   bool
	endErr  error
	mclosed []bool // marker inlets that stopped
}

type pending struct {
	arrived float64 // local clock when the chunk came
	start   int64
	ts      []float64 // corrected
	data    [][]float64
}

type markerEvent struct {
	ts    float64 // corrected
	code  int
	label string
}

// OpenSource resolves the stream matching query and the marker streams,
// opens their inlets and waits up to 3 s for their first time correction
// (without one, timestamps are used as they come until one arrives).
func OpenSource(ctx context.Context, query string, opt SourceOptions) (*Source, error) {
	if opt.ResolveTimeout <= 0 {
		opt.ResolveTimeout = 10 * time.Second
	}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opt.Inlet.Logf == nil {
		opt.Inlet.Logf = logf
	}
	if opt.Inlet.Config == nil {
		cfg, err := LoadConfig()
		if err != nil {
			return nil, err
		}
		opt.Inlet.Config = &cfg
	}
	open := func(q string) (*Inlet, error) {
		found, err := Resolve(ctx, q, ResolveOptions{Config: opt.Inlet.Config, Minimum: 1, Timeout: opt.ResolveTimeout, Logf: logf})
		if err != nil {
			return nil, err
		}
		if len(found) > 1 {
			logf("lsl: %d streams match %q: taking the newest, %q (uid %s)", len(found), q, found[len(found)-1].Name, found[len(found)-1].UID)
		}
		return OpenInlet(ctx, found[len(found)-1], opt.Inlet)
	}
	s := &Source{logf: logf, codes: map[string]int{}}
	fail := func(err error) (*Source, error) {
		s.Close()
		return nil, err
	}
	// Marker streams first: an outlet that waits for its first inlet
	// (Publish's WaitFor) then finds its markers' inlets already there.
	for _, q := range opt.Markers {
		m, err := open(q)
		if err != nil {
			return fail(fmt.Errorf("marker stream: %w", err))
		}
		s.markers = append(s.markers, m)
		s.mclosed = append(s.mclosed, false)
		if mi := m.Info(); mi.ChannelCount < 1 {
			return fail(fmt.Errorf("%w: marker stream %q has no channel", ErrInfo, mi.Name))
		}
	}
	in, err := open(query)
	if err != nil {
		return fail(err)
	}
	s.in = in
	info := in.Info()
	if info.NominalSrate <= 0 {
		return fail(fmt.Errorf("%w: stream %q has an irregular rate: it can only be a marker stream", ErrInfo, info.Name))
	}
	if info.Format == String {
		return fail(fmt.Errorf("%w: stream %q carries strings: it can only be a marker stream", ErrInfo, info.Name))
	}
	s.rate = info.NominalSrate
	s.hdr, s.scale = header(info)
	if err := s.hdr.Validate(); err != nil {
		return fail(err)
	}
	if len(s.markers) > 0 {
		s.delay = 0.2
		if opt.MarkerDelay > 0 {
			s.delay = opt.MarkerDelay.Seconds()
		}
	}
	// Wait a little for the first time corrections; an outlet whose
	// service port does not answer (UDP filtered) is read with offset 0
	// until it does, as LabRecorder goes on without one.
	for _, i := range append([]*Inlet{in}, s.markers...) {
		tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		_, _, err := i.TimeCorrection(tctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
				return fail(err)
			}
			logf("lsl: stream %q: no time correction yet (%v): timestamps taken as they are until one comes", i.Info().Name, err)
		}
	}
	return s, nil
}

// header converts an info into a stream header and per-channel scales.
func header(info StreamInfo) (stream.Header, []float64) {
	h := stream.Header{SFreq: info.NominalSrate, Name: info.Name}
	scale := make([]float64, info.ChannelCount)
	seen := map[string]bool{}
	for k := range info.ChannelCount {
		var c Channel
		if k < len(info.Channels) {
			c = info.Channels[k]
		}
		name := strings.TrimSpace(c.Label)
		if name == "" || seen[name] {
			name = "ch" + strconv.Itoa(k+1)
		}
		seen[name] = true
		typ := strings.ToLower(c.Type)
		if typ == "" {
			typ = strings.ToLower(info.Type)
		}
		switch typ {
		case "eeg", "eog", "emg", "ecg", "stim", "misc":
		case "markers", "trigger", "triggers":
			typ = "stim"
		default:
			typ = "misc"
		}
		unit, sc := siUnit(c.Unit, typ)
		h.Channels = append(h.Channels, name)
		h.Units = append(h.Units, unit)
		h.Types = append(h.Types, typ)
		scale[k] = sc
	}
	return h, scale
}

// siUnit maps an LSL unit to its SI unit and scale.
func siUnit(u, typ string) (string, float64) {
	switch strings.ToLower(strings.TrimSpace(u)) {
	case "microvolts", "microvolt", "uv", "µv", "μv":
		return "V", 1e-6
	case "millivolts", "millivolt", "mv":
		return "V", 1e-3
	case "volts", "volt", "v":
		return "V", 1
	case "":
		if typ == "eeg" || typ == "eog" || typ == "emg" || typ == "ecg" {
			return "V", 1e-6 // LSL's EEG convention: microvolts
		}
		return "NA", 1
	}
	return u, 1
}

// Header returns the sampled stream's header.
func (s *Source) Header() stream.Header { return s.hdr }

// Inlet returns the inlet of the sampled stream.
func (s *Source) Inlet() *Inlet { return s.in }

// Close closes every inlet.
func (s *Source) Close() error {
	if s.in != nil {
		s.in.Close()
	}
	for _, m := range s.markers {
		m.Close()
	}
	return nil
}

// Next returns the next chunk of the sampled stream, with the markers that
// fall on its samples; Chunk.Time is the wall-clock time of its last
// sample. After a reconnection the samples missed (judged from the
// timestamps) are skipped in Chunk.Start, so that a gap shows. It returns
// the inlet's error (wrapping ErrLost or ErrFormatChanged) when the stream
// cannot go on.
func (s *Source) Next(ctx context.Context) (stream.Chunk, error) {
	for {
		s.drainMarkers()
		if len(s.queue) > 0 {
			head := s.queue[0]
			due := max(head.ts[len(head.ts)-1], head.arrived) + s.delay
			wait := due - LocalClock()
			if wait <= 0 || s.ended {
				return s.release(), nil
			}
			if err := s.wait(ctx, time.Duration(wait*float64(time.Second))); err != nil {
				return stream.Chunk{}, err
			}
			continue
		}
		if s.ended {
			if s.endErr != nil {
				return stream.Chunk{}, s.endErr
			}
			return stream.Chunk{}, io.EOF
		}
		if err := s.wait(ctx, -1); err != nil {
			return stream.Chunk{}, err
		}
	}
}

// wait receives what arrives within d (d < 0: until something arrives).
func (s *Source) wait(ctx context.Context, d time.Duration) error {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	var mc <-chan *Chunk
	mi := -1
	for i, m := range s.markers {
		if !s.mclosed[i] {
			mc, mi = m.C(), i // others are drained on every loop
			break
		}
	}
	select {
	case c, ok := <-s.in.C():
		if !ok {
			s.ended = true
			s.endErr = s.in.Err()
			if s.endErr == nil {
				s.endErr = io.EOF
			}
			return nil
		}
		s.enqueue(c)
		s.in.Recycle(c)
	case c, ok := <-mc:
		if ok {
			s.addMarkers(s.markers[mi], c)
		} else {
			s.markerEnded(mi)
		}
	case <-timer:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

func (s *Source) drainMarkers() {
	for i, m := range s.markers {
		for !s.mclosed[i] {
			select {
			case c, ok := <-m.C():
				if !ok {
					s.markerEnded(i)
					break
				}
				s.addMarkers(m, c)
				continue
			default:
			}
			break
		}
	}
}

// markerEnded notes a marker stream that stopped: the sampled stream goes
// on without its events.
func (s *Source) markerEnded(i int) {
	s.mclosed[i] = true
	s.logf("lsl: marker stream %q stopped: %v", s.markers[i].Info().Name, s.markers[i].Err())
}

func (s *Source) addMarkers(m *Inlet, c *Chunk) {
	off, _ := m.Offset()
	for i, ts := range c.Timestamps {
		var label string
		if c.Strings != nil {
			label = c.Strings[i][0]
		} else {
			label = strconv.FormatFloat(c.Data[0][i], 'g', -1, 64)
		}
		code, err := strconv.Atoi(strings.TrimSpace(label))
		if err != nil {
			if code = s.codes[label]; code == 0 {
				code = len(s.codes) + 1
				s.codes[label] = code
			}
		}
		s.pend = append(s.pend, markerEvent{ts: ts + off, code: code, label: label})
	}
	m.Recycle(c)
}

func (s *Source) enqueue(c *Chunk) {
	off, _ := s.in.Offset()
	n := c.Len()
	if n == 0 {
		return
	}
	p := pending{arrived: LocalClock(), start: s.next, ts: make([]float64, n), data: make([][]float64, len(c.Data))}
	for i, t := range c.Timestamps {
		p.ts[i] = t + off
	}
	if c.Reconnected && s.lastTs != 0 {
		if gap := int64(math.Round((p.ts[0]-s.lastTs)*s.rate)) - 1; gap > 0 {
			p.start += gap
			s.logf("lsl: stream %q: about %d samples missed while reconnecting", s.hdr.Name, gap)
		}
	}
	for k, d := range c.Data {
		p.data[k] = make([]float64, n)
		for i, v := range d {
			p.data[k][i] = v * s.scale[k]
		}
	}
	s.next = p.start + int64(n)
	s.lastTs = p.ts[n-1]
	s.queue = append(s.queue, p)
}

// release returns the head of the queue with its markers.
func (s *Source) release() stream.Chunk {
	p := s.queue[0]
	s.queue[0] = pending{}
	s.queue = s.queue[1:]
	n := len(p.ts)
	// A marker belongs to this chunk up to half-way to the next sample:
	// the next chunk's first if it is queued, else one sample period on
	// (measured from the timestamps: a replay at N× speed has samples N×
	// closer than the nominal rate says).
	period := 1 / s.rate
	if n > 1 {
		period = (p.ts[n-1] - p.ts[0]) / float64(n-1)
	}
	bound := p.ts[n-1] + period/2
	if len(s.queue) > 0 {
		bound = (p.ts[n-1] + s.queue[0].ts[0]) / 2
	}
	half := period / 2
	s.mk = s.mk[:0]
	keep := s.pend[:0]
	sort.SliceStable(s.pend, func(i, j int) bool { return s.pend[i].ts < s.pend[j].ts })
	for _, m := range s.pend {
		if m.ts >= bound && !(s.ended && len(s.queue) == 0) {
			keep = append(keep, m)
			continue
		}
		// nearest sample by timestamp
		i := sort.SearchFloat64s(p.ts, m.ts)
		switch {
		case i >= n:
			i = n - 1
		case i > 0 && m.ts-p.ts[i-1] < p.ts[i]-m.ts:
			i--
		}
		if m.ts < p.ts[0]-half {
			s.logf("lsl: marker %q came %.1f ms after its sample had left: placed at the next one", m.label, (p.ts[0]-m.ts)*1e3)
		}
		s.mk = append(s.mk, stream.Marker{Sample: p.start + int64(i), Code: m.code, Label: m.label})
	}
	s.pend = keep
	wall := time.Now().Add(-time.Duration((LocalClock() - p.ts[n-1]) * float64(time.Second)))
	return stream.Chunk{Start: p.start, Data: p.data, Time: wall, Markers: append([]stream.Marker(nil), s.mk...)}
}

// PublishOptions tune Publish.
type PublishOptions struct {
	// Name and Type of the stream (default: the header's name, "EEG").
	Name, Type string
	// SourceID of the stream (default: "bcikit-" + Name).
	SourceID string
	// Format of the values (default Float32). Channels in volts are sent
	// in microvolts, with unit "microvolts", as LSL's EEG streams are.
	Format ChannelFormat
	// Markers publishes the source's markers on a second outlet, NAME-Markers
	// of type Markers (one string channel, irregular rate), each stamped
	// with its sample's timestamp.
	Markers bool
	// WaitFor makes Publish wait for that many inlets of the sampled
	// stream before it reads the first chunk (default 0: start at once).
	// (OpenSource connects to marker streams first, so that their inlets
	// are there when the samples start.)
	WaitFor int
	// Outlet tunes the outlets.
	Outlet OutletOptions
	// Ready, if set, is called with the outlets' infos once they are open.
	Ready func(data StreamInfo, markers *StreamInfo)
}

// Publish feeds an outlet from src until src ends (io.EOF: it returns nil),
// fails, or ctx ends. The last sample of a chunk is stamped with the chunk's
// Time (the wall-clock time of its last sample, moved onto the local
// clock), or with the time of the push if Time is zero; the samples before
// it are spread evenly back to the previous chunk's last (at the nominal
// rate for the first chunk, or after a gap), so that a replay at N× speed
// has timestamps N× closer than the nominal rate says and markers keep
// their samples. Every sample carries its timestamp. It does not close src.
func Publish(ctx context.Context, src stream.Source, opt PublishOptions) error {
	h := src.Header()
	if err := h.Validate(); err != nil {
		return err
	}
	if opt.Name == "" {
		opt.Name = h.Name
		if opt.Name == "" {
			opt.Name = "bcikit"
		}
	}
	if opt.Type == "" {
		opt.Type = "EEG"
	}
	if opt.SourceID == "" {
		opt.SourceID = "bcikit-" + opt.Name
	}
	if opt.Format == Undefined {
		opt.Format = Float32
	}
	if opt.Format == String {
		return fmt.Errorf("%w: a sampled stream cannot have format string", ErrInfo)
	}
	info := StreamInfo{Name: opt.Name, Type: opt.Type, ChannelCount: len(h.Channels), NominalSrate: h.SFreq, Format: opt.Format, SourceID: opt.SourceID}
	scale := make([]float64, len(h.Channels))
	for k, name := range h.Channels {
		unit, sc := h.Units[k], 1.0
		if unit == "V" {
			unit, sc = "microvolts", 1e6
		}
		info.Channels = append(info.Channels, Channel{Label: name, Unit: unit, Type: strings.ToUpper(h.Types[k])})
		scale[k] = sc
	}
	out, err := NewOutlet(info, opt.Outlet)
	if err != nil {
		return err
	}
	defer out.Close()
	var mout *Outlet
	if opt.Markers {
		mi := StreamInfo{Name: opt.Name + "-Markers", Type: "Markers", ChannelCount: 1, Format: String, SourceID: opt.SourceID + "-markers",
			Channels: []Channel{{Label: "Marker", Type: "Marker"}}}
		if mout, err = NewOutlet(mi, opt.Outlet); err != nil {
			return err
		}
		defer mout.Close()
	}
	if opt.Ready != nil {
		var mi *StreamInfo
		if mout != nil {
			i := mout.Info()
			mi = &i
		}
		opt.Ready(out.Info(), mi)
	}
	if opt.WaitFor > 0 {
		if err := out.WaitForConsumers(ctx, opt.WaitFor); err != nil {
			return err
		}
	}
	var buf [][]float64
	var times []float64
	prevLast, next := 0.0, int64(-1)
	for {
		c, err := src.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n := c.Len()
		if n == 0 {
			continue
		}
		now := LocalClock()
		ts := now
		if !c.Time.IsZero() {
			ts = now - time.Since(c.Time).Seconds()
		}
		if len(buf) != len(c.Data) {
			buf = make([][]float64, len(c.Data))
		}
		for k, d := range c.Data {
			b := buf[k][:0]
			for _, v := range d {
				b = append(b, v*scale[k])
			}
			buf[k] = b
		}
		// spacing of this chunk's samples
		step := 1 / h.SFreq
		if c.Start == next && ts > prevLast {
			step = (ts - prevLast) / float64(n)
		}
		times = times[:0]
		for s := range n {
			times = append(times, ts-float64(n-1-s)*step)
		}
		prevLast, next = ts, c.Start+int64(n)
		if err := out.PushChunkTimes(buf, times); err != nil {
			return err
		}
		if mout != nil {
			for _, m := range c.Markers {
				label := m.Label
				if label == "" {
					label = strconv.Itoa(m.Code)
				}
				i := min(max(m.Sample-c.Start, 0), int64(n-1))
				if err := mout.PushStrings([]string{label}, times[i]); err != nil {
					return err
				}
			}
		}
	}
}
