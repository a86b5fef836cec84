package online

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/paradigm"
)

// ErrInput is returned for a stream the decoder cannot take: a chunk with
// the wrong number of channels, channels of different lengths, or a chunk
// that does not start where the previous one ended (a gap or a jump of the
// sample clock).
var ErrInput = errors.New("online: bad stream input")

// ErrConfig is returned for a model or configuration the decoder cannot run.
var ErrConfig = errors.New("online: bad decoder configuration")

// MaxWindow is the longest window, in seconds, a decoder takes (sliding or
// a paradigm's trial): a longer one is a configuration error, not a huge
// buffer.
const MaxWindow = 600

// MaxSmooth is the most decisions Config.Smooth may smooth over.
const MaxSmooth = 10000

// LateCue is how late, in seconds after the end of its trial window, a cue
// marker may arrive and still have its window decoded (Config.Trigger): the
// ring buffer keeps that much more signal.
const LateCue = 1.0

// maxMarkers bounds the markers waiting for a decision.
const maxMarkers = 1024

// DefaultStep is the step between sliding windows when Config.Step is 0.
const DefaultStep = 0.1

// Marker is an event of the stream at a sample (counted from the first
// sample of the stream). Its fields are those of stream.Marker, so one
// converts to the other with a type conversion.
type Marker struct {
	Sample int64  `json:"sample"`
	Code   int    `json:"code"`
	Label  string `json:"label,omitempty"`
}

// Config sets up a Decoder. The zero value decodes sliding windows of the
// paradigm's trial length every DefaultStep seconds.
type Config struct {
	// Window is the length of a sliding window in seconds, at most
	// MaxWindow; 0 means the paradigm's trial length (round(TMax·sfreq) −
	// round(TMin·sfreq) + 1 samples, the length the model was trained on).
	Window float64
	// Step is the time between the ends of two sliding windows in
	// seconds; 0 means DefaultStep, and a negative step turns sliding
	// windows off (with Trigger, only cue windows are decoded).
	Step float64
	// Trigger also decodes the paradigm's trial window after each marker
	// whose code is a class of the model.
	Trigger bool
	// Smooth, when above 1, smooths sliding decisions over the last
	// Smooth ones (see Smoother), at most MaxSmooth.
	Smooth int
	// Now is the clock latencies are measured with; nil means time.Now.
	Now func() time.Time
}

// Decision is the decoder's output for one window.
type Decision struct {
	// End is the number of the sample after the window's last one: the
	// window covers [End−Length, End).
	End    int64 `json:"end"`
	Length int   `json:"length"`
	// Predicted is the class (event code) the model predicts.
	Predicted int `json:"predicted"`
	// Score is the pipeline's two-class score (decision function, or
	// probability of the larger class); HasScore says whether there is
	// one (two-class models only).
	Score    float64 `json:"score"`
	HasScore bool    `json:"has_score"`
	// Smoothed and SmoothedScore are the majority class and mean score of
	// the last Config.Smooth sliding decisions (equal to Predicted and
	// Score without smoothing and for triggered decisions).
	Smoothed      int     `json:"smoothed"`
	SmoothedScore float64 `json:"smoothed_score"`
	// Trigger is the cue of a triggered decision, nil for a sliding one.
	Trigger *Marker `json:"trigger,omitempty"`
	// Markers are the stream's markers at samples before End not given
	// with an earlier decision (at most the latest 1024).
	Markers []Marker `json:"markers,omitempty"`
	// Latency is the time from the arrival of the window's last sample
	// (the arrival time given to Push) to the decision.
	Latency time.Duration `json:"latency_ns"`
}

type trigger struct {
	end    int64
	marker Marker
}

// Decoder decodes a stream window by window with a trained model. Push feeds
// it chunks as they arrive. Apart from what the model's pipeline allocates
// to decode a window, a Decoder allocates nothing per sample or per chunk
// once it has seen its largest chunk. A Decoder is not safe for concurrent
// use; run one per stream.
type Decoder struct {
	model     *decode.Model
	par       paradigm.Paradigm
	sfreq     float64
	nStream   int
	pick      []int
	win, step int
	trigOff   int // round(TMin·sfreq)
	trigLen   int
	trigger   bool
	filters   []*Filter
	rings     []*Ring
	in        [][]float64   // picked channels of the current chunk
	scratch   [][][]float64 // [band][channel][sample] filtered chunk
	views     [][][]float64 // [band][channel] parts of scratch
	winBuf    [][][]float64 // [band][channel][win]
	trigBuf   [][][]float64 // [band][channel][trigLen]
	winData   decode.Data
	trigData  decode.Data
	score     bool
	next      int64
	pending   []trigger
	markers   []Marker
	total     int64
	smoother  *Smoother
	now       func() time.Time
	out       []Decision
	missed    int
	chunkTime time.Time
}

// NewDecoder returns a decoder of model m for a stream whose channels and
// rate are given. The stream must hold every channel of the model (by name,
// in any order, among others) at the model's rate; the model must carry its
// paradigm (as `bcikit train` writes it). Errors wrap ErrConfig or come from
// m.CheckInput.
//
// Decoders only read m, so one model may serve decoders on many goroutines
// (the pipelines' Predict and Score are safe for concurrent use), with one
// exception: a cca model that lacks its rate or stimulation frequencies is
// configured (written) by NewDecoder from its dataset; make the first
// decoder before sharing such a model.
func NewDecoder(m *decode.Model, channels []string, sfreq float64, cfg Config) (*Decoder, error) {
	if m == nil || m.State == nil {
		return nil, fmt.Errorf("%w: no fitted model", ErrConfig)
	}
	if len(m.Paradigm) == 0 {
		return nil, fmt.Errorf("%w: the model has no paradigm section (how its trials were cut and filtered)", ErrConfig)
	}
	var mp struct {
		paradigm.Paradigm
		Dataset string `json:"dataset"`
	}
	if err := json.Unmarshal(m.Paradigm, &mp); err != nil {
		return nil, fmt.Errorf("%w: model paradigm: %v", ErrConfig, err)
	}
	par := mp.Paradigm
	if err := par.Validate(sfreq); err != nil {
		return nil, fmt.Errorf("%w: model paradigm: %w", ErrConfig, err)
	}
	pick := make([]int, len(m.Channels))
	for i, name := range m.Channels {
		j := slices.Index(channels, name)
		if j < 0 {
			return nil, fmt.Errorf("stream: %w", m.CheckInput(channels, sfreq))
		}
		pick[i] = j
	}
	if err := m.CheckInput(m.Channels, sfreq); err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	d := &Decoder{model: m, par: par, sfreq: sfreq, nStream: len(channels), pick: pick,
		trigger: cfg.Trigger, now: cfg.Now, score: len(m.Classes) == 2}
	if d.now == nil {
		d.now = time.Now
	}
	if par.TMax-par.TMin > MaxWindow {
		return nil, fmt.Errorf("%w: the paradigm's trials last %g s, over the %g s a decoder buffers", ErrConfig, par.TMax-par.TMin, float64(MaxWindow))
	}
	lo, hi := roundEven(par.TMin*sfreq), roundEven(par.TMax*sfreq)
	d.trigOff, d.trigLen = lo, hi-lo+1
	d.win = d.trigLen
	if cfg.Window < 0 || math.IsNaN(cfg.Window) || cfg.Window > MaxWindow {
		return nil, fmt.Errorf("%w: window %g s (0 to %g s)", ErrConfig, cfg.Window, float64(MaxWindow))
	}
	if cfg.Window > 0 {
		d.win = roundEven(cfg.Window * sfreq)
		if d.win < 2 {
			return nil, fmt.Errorf("%w: window %g s is under 2 samples at %g Hz", ErrConfig, cfg.Window, sfreq)
		}
	}
	// cca's references have the length of its training trials.
	if c, ok := m.State.(*decode.CCA); ok && c.CCA.Times > 0 && d.win != c.CCA.Times {
		return nil, fmt.Errorf("%w: a cca model decodes windows of its training trials' length only (%d samples, %g s); the window is %d samples", ErrConfig, c.CCA.Times, float64(c.CCA.Times-1)/sfreq, d.win)
	}
	switch step := cfg.Step; {
	case math.IsNaN(step) || math.IsInf(step, 0) || step > MaxWindow:
		return nil, fmt.Errorf("%w: step %g s (at most %g s)", ErrConfig, step, float64(MaxWindow))
	case step < 0:
		d.step = 0
		if !cfg.Trigger {
			return nil, fmt.Errorf("%w: no sliding windows (negative step) and no triggered ones: nothing to decode", ErrConfig)
		}
	default:
		if step == 0 {
			step = DefaultStep
		}
		d.step = roundEven(step * sfreq)
		if d.step < 1 {
			return nil, fmt.Errorf("%w: step %g s is under one sample at %g Hz", ErrConfig, cfg.Step, sfreq)
		}
	}
	if cfg.Smooth < 0 || cfg.Smooth > MaxSmooth {
		return nil, fmt.Errorf("%w: smoothing over %d decisions (0 to %d)", ErrConfig, cfg.Smooth, MaxSmooth)
	}
	if cfg.Smooth > 1 {
		d.smoother = NewSmoother(cfg.Smooth)
	}
	nb := 1
	if m.State.Input() == decode.Bands {
		nb = len(par.Bands)
	}
	nc := len(m.Channels)
	capacity := max(d.win, d.trigLen)
	if d.trigger {
		capacity += roundEven(LateCue * sfreq)
	}
	for b := range nb {
		f, err := NewBandPass(sfreq, par.Bands[b][0], par.Bands[b][1], nc)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		d.filters = append(d.filters, f)
		d.rings = append(d.rings, NewRing(nc, capacity))
	}
	d.in = make([][]float64, nc)
	d.scratch = make([][][]float64, nb)
	d.views = make([][][]float64, nb)
	d.winBuf = make([][][]float64, nb)
	d.trigBuf = make([][][]float64, nb)
	for b := range nb {
		d.scratch[b] = make([][]float64, nc)
		d.views[b] = make([][]float64, nc)
		d.winBuf[b] = alloc2(nc, d.win)
		d.trigBuf[b] = alloc2(nc, d.trigLen)
	}
	if nb > 1 || m.State.Input() == decode.Bands {
		d.winData.Bands = make([][][][]float64, nb)
		d.trigData.Bands = make([][][][]float64, nb)
		for b := range nb {
			d.winData.Bands[b] = [][][]float64{d.winBuf[b]}
			d.trigData.Bands[b] = [][][]float64{d.trigBuf[b]}
		}
	} else {
		d.winData.Trials = [][][]float64{d.winBuf[0]}
		d.trigData.Trials = [][][]float64{d.trigBuf[0]}
	}
	if needsSetup(m.State, sfreq) {
		var freqs map[int]float64
		if ds, err := dataset.Get(mp.Dataset); err == nil {
			freqs = map[int]float64{}
			for _, c := range ds.Classes {
				if c.Freq > 0 {
					freqs[c.Code] = c.Freq
				}
			}
		}
		if err := decode.Configure(m.State, decode.Setup{SFreq: sfreq, ClassFreqs: freqs, TrialSeconds: float64(d.win-1) / sfreq}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
	}
	d.next = int64(d.win)
	if d.step == 0 {
		d.next = math.MaxInt64
	}
	return d, nil
}

// needsSetup says whether p must be configured before decoding: a cca
// model read from a file carries its rate and frequencies, and configuring
// it again would write to a model other decoders may be using.
func needsSetup(p decode.Pipeline, sfreq float64) bool {
	if _, ok := p.(decode.Configurer); !ok {
		return false
	}
	if c, ok := p.(*decode.CCA); ok {
		return c.CCA.SFreq != sfreq || len(c.CCA.Freqs) == 0
	}
	return true
}

func alloc2(r, c int) [][]float64 {
	flat := make([]float64, r*c)
	x := make([][]float64, r)
	for i := range x {
		x[i] = flat[i*c : (i+1)*c : (i+1)*c]
	}
	return x
}

// roundEven rounds half to even, as Python's round() and MNE's sample
// alignment do.
func roundEven(x float64) int { return int(math.RoundToEven(x)) }

// Window returns the length of a sliding window in samples.
func (d *Decoder) Window() int { return d.win }

// Step returns the step between sliding windows in samples (0: none).
func (d *Decoder) Step() int { return d.step }

// TrialWindow returns the offset of a triggered window's first sample from
// its cue and its length in samples.
func (d *Decoder) TrialWindow() (offset, length int) { return d.trigOff, d.trigLen }

// Paradigm returns the model's paradigm.
func (d *Decoder) Paradigm() paradigm.Paradigm { return d.par }

// Total returns the number of samples pushed so far.
func (d *Decoder) Total() int64 { return d.total }

// Missed returns the number of cue markers whose trial window could not be
// decoded because its samples had left the ring buffer when the marker came.
func (d *Decoder) Missed() int { return d.missed }

// Restart makes the decoder start afresh at sample start, as a new stream
// would: the filters restart from the next chunk's first sample, the ring
// buffer is emptied, the first sliding window ends Window samples after
// start, and smoothing forgets the past. Pending cue windows that begin
// before start cannot be decoded and are counted by Missed; markers not yet
// delivered stay. After a gap or a clock jump (Push's ErrInput) or a chunk
// refused for a non-finite sample, Restart(chunk start) lets the stream go
// on.
func (d *Decoder) Restart(start int64) {
	if start < 0 {
		start = 0
	}
	for _, f := range d.filters {
		f.Reset()
	}
	for _, r := range d.rings {
		r.Reset(start)
	}
	d.total = start
	if d.step > 0 {
		d.next = start + int64(d.win)
	}
	kept := d.pending[:0]
	for _, t := range d.pending {
		if t.end-int64(d.trigLen) < start {
			d.missed++
			continue
		}
		kept = append(kept, t)
	}
	d.pending = kept
	if d.smoother != nil {
		d.smoother.Reset()
	}
}

// Push feeds the decoder a chunk of the stream: data[channel][sample] with
// the stream's channels, whose first sample is number start, arrived at the
// given time, with its markers. It returns the decisions of the windows the
// chunk completes, in order of End (a triggered window before a sliding one
// with the same End). The returned slice is reused by the next Push: copy
// the decisions to keep them (their Markers are not reused).
//
// A cue that arrives after its trial window has passed is decoded from the
// ring buffer if it is at most LateCue seconds late (its Latency then counts
// from this chunk's arrival), else counted by Missed. A window the pipeline
// fails on gives no decision: Push goes on with the chunk and returns the
// decisions made with the first such error.
//
// A chunk with the wrong number of channels, channels of different lengths
// or a start other than the number of the next sample (a gap or a clock
// jump) is an error wrapping ErrInput; a NaN or infinite sample in a model
// channel wraps ErrNonFinite and names the channel and sample. Both leave
// the decoder as it was; Restart lets the stream go on after a gap.
func (d *Decoder) Push(start int64, data [][]float64, arrived time.Time, markers []Marker) ([]Decision, error) {
	d.out = d.out[:0]
	if len(data) != d.nStream {
		return nil, fmt.Errorf("%w: chunk of %d channels, the stream has %d", ErrInput, len(data), d.nStream)
	}
	if start != d.total {
		return nil, fmt.Errorf("%w: chunk starts at sample %d, expected %d (gap or clock jump)", ErrInput, start, d.total)
	}
	m := 0
	if len(data) > 0 {
		m = len(data[0])
	}
	for c := range data {
		if len(data[c]) != m {
			return nil, fmt.Errorf("%w: channel %d has %d samples, channel 0 has %d", ErrInput, c, len(data[c]), m)
		}
	}
	for i, c := range d.pick {
		d.in[i] = data[c]
		for j, v := range data[c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: %v in channel %s at sample %d", ErrNonFinite, v, d.model.Channels[i], start+int64(j))
			}
		}
	}
	for b, f := range d.filters {
		for c := range d.scratch[b] {
			if cap(d.scratch[b][c]) < m {
				d.scratch[b][c] = make([]float64, m, max(m, 2*cap(d.scratch[b][c])))
			}
			d.scratch[b][c] = d.scratch[b][c][:m]
		}
		// Every band checks the same samples, so only the first can
		// fail, before any state changed.
		if err := f.Process(d.scratch[b], d.in); err != nil {
			return nil, err
		}
	}
	d.chunkTime = arrived
	for _, mk := range markers {
		if len(d.markers) == maxMarkers {
			// Without sliding windows, markers wait for the next cue's
			// decision; keep only the latest.
			d.markers = append(d.markers[:0], d.markers[1:]...)
		}
		d.markers = append(d.markers, mk)
		if d.trigger && slices.Contains(d.model.Classes, mk.Code) {
			end := mk.Sample + int64(d.trigOff) + int64(d.trigLen)
			d.pending = append(d.pending, trigger{end: end, marker: mk})
		}
	}
	if len(markers) > 0 {
		slices.SortStableFunc(d.markers, func(a, b Marker) int { return cmp.Compare(a.Sample, b.Sample) })
		slices.SortStableFunc(d.pending, func(a, b trigger) int { return cmp.Compare(a.end, b.end) })
	}
	var firstErr error
	pos := 0
	for {
		// Decode every window ending here, then write up to the next end.
		// A late cue whose window has already passed is decoded from the
		// ring if it is still there.
		for len(d.pending) > 0 && d.pending[0].end <= d.total {
			t := d.pending[0]
			d.pending = d.pending[1:]
			if err := d.decide(t.end, d.trigBuf, d.trigData, &t.marker); err != nil {
				if errors.Is(err, ErrGone) {
					d.missed++
				} else if firstErr == nil {
					firstErr = err
				}
			}
		}
		if d.step > 0 && d.next == d.total {
			if err := d.decide(d.next, d.winBuf, d.winData, nil); err != nil && firstErr == nil {
				firstErr = err
			}
			d.next += int64(d.step)
		}
		if pos == m {
			break
		}
		stop := int64(m - pos)
		if d.step > 0 {
			stop = min(stop, d.next-d.total)
		}
		if len(d.pending) > 0 {
			stop = min(stop, d.pending[0].end-d.total)
		}
		k := int(stop)
		for b, r := range d.rings {
			for c := range d.views[b] {
				d.views[b][c] = d.scratch[b][c][pos : pos+k]
			}
			r.Write(d.views[b])
		}
		pos += k
		d.total += int64(k)
	}
	return d.out, firstErr
}

// decide decodes the window ending at end into buf and appends the decision.
func (d *Decoder) decide(end int64, buf [][][]float64, data decode.Data, trig *Marker) error {
	n := len(buf[0][0])
	for b, r := range d.rings {
		if err := r.Read(buf[b], end-int64(n)); err != nil {
			return err
		}
		for _, ch := range buf[b] {
			for i := range ch {
				ch[i] *= d.par.Scale
			}
		}
	}
	// One pass for the prediction and the score (covariances or features
	// computed once) where the pipeline allows it.
	pred, scores, err := decode.PredictScore(d.model.State, data, d.score)
	if err != nil {
		return fmt.Errorf("online: window ending at sample %d: %w", end, err)
	}
	dec := Decision{End: end, Length: n, Predicted: pred[0]}
	if d.score && len(scores) > 0 {
		dec.Score, dec.HasScore = scores[0], true
	}
	dec.Smoothed, dec.SmoothedScore = dec.Predicted, dec.Score
	if trig != nil {
		t := *trig
		dec.Trigger = &t
	} else if d.smoother != nil {
		dec.Smoothed, dec.SmoothedScore = d.smoother.Add(dec.Predicted, dec.Score)
	}
	k := 0
	for k < len(d.markers) && d.markers[k].Sample < end {
		k++
	}
	if k > 0 {
		dec.Markers = slices.Clone(d.markers[:k])
		d.markers = append(d.markers[:0], d.markers[k:]...)
	}
	dec.Latency = d.now().Sub(d.chunkTime)
	d.out = append(d.out, dec)
	return nil
}
