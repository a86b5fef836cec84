package raw

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// ChannelType is the kind of signal a channel carries. The values are
// MNE-Python's channel type names so that a comparison with MNE is a string
// comparison.
type ChannelType string

// Channel types produced by the readers. Readers of formats that know about
// more kinds (FIF: MEG magnetometers and gradiometers, respiration, ...)
// use MNE's name for them too.
const (
	EEG  ChannelType = "eeg"
	EOG  ChannelType = "eog"
	EMG  ChannelType = "emg"
	ECG  ChannelType = "ecg"
	Stim ChannelType = "stim"
	Misc ChannelType = "misc"
	Mag  ChannelType = "mag"
	Grad ChannelType = "grad"
	Resp ChannelType = "resp"
	Seeg ChannelType = "seeg"
	Ecog ChannelType = "ecog"
	Bio  ChannelType = "bio"
)

// Units as reported by MNE-Python's human-readable unit names.
const (
	UnitVolt  = "V"   // electrical potentials: EEG, EOG, EMG, ECG, ...
	UnitTesla = "T"   // magnetometers
	UnitTm    = "T/m" // gradiometers
	UnitNone  = "NA"  // stim, misc and other unit-less channels
)

// Channel describes one channel of a recording.
type Channel struct {
	// Name is the channel label as stored in the file (after the same
	// trimming MNE does); see montage.Standardize for cleaned-up names.
	Name string
	// Type is the signal kind (eeg, stim, ...).
	Type ChannelType
	// Unit is the SI unit of the samples in Raw.Data ("V", "NA", ...).
	Unit string
	// SFreq is the channel's own sampling rate in the file, in Hz. It can
	// differ from Info.SFreq in formats that allow per-channel rates; the
	// samples in Raw.Data are always at Info.SFreq (readers upsample as
	// MNE does).
	SFreq float64
}

// Annotation marks a span (or an instant, with Duration 0) of a recording.
type Annotation struct {
	Onset       float64 // seconds from the acquisition start (see package doc)
	Duration    float64 // seconds
	Description string
}

// Info is the header of a recording: everything but the samples.
type Info struct {
	// Format names the file format the recording was read from ("edf",
	// "bdf", "gdf", "brainvision", "fif", ...).
	Format string
	// Channels lists the channels in file order.
	Channels []Channel
	// SFreq is the sampling rate of Raw.Data, in Hz.
	SFreq float64
	// NSamples is the number of samples per channel at SFreq.
	NSamples int
	// FirstSample is the index of the first sample counted from the
	// acquisition start (MNE's raw.first_samp); 0 for most formats.
	FirstSample int
	// MeasDate is the measurement start time in UTC; the zero Time when
	// the file does not record it.
	MeasDate time.Time
	// Annotations are sorted by onset.
	Annotations []Annotation
}

// Reader is an opened recording whose samples are read on demand. Every
// file reader in bcikit implements it; callers that only need a window of a
// long file read just that window.
type Reader interface {
	// Info returns the recording's header. The caller must not modify it.
	Info() *Info
	// ReadAt fills dst[ch][i] with sample start+i of channel ch, for
	// len(dst) == number of channels and every dst[ch] of the same
	// length n, in SI units at Info().SFreq. start counts from 0 (the
	// first sample in the file, not FirstSample). Reading past
	// NSamples is an error.
	ReadAt(dst [][]float64, start int) error
	// Close releases the underlying file.
	Close() error
}

// Raw is a recording with its samples loaded in memory.
type Raw struct {
	Info
	// Data holds the samples, Data[channel][sample], in SI units; see
	// the package documentation for why this layout.
	Data [][]float64
}

// ErrWindow reports a window that is not inside the recording.
var ErrWindow = errors.New("window outside the recording")

// CheckWindow validates a ReadAt request against a header. Readers call it
// first so that every format reports a bad window the same way.
func CheckWindow(info *Info, dst [][]float64, start int) error {
	if len(dst) != len(info.Channels) {
		panic(fmt.Sprintf("raw: ReadAt: dst has %d channels, recording has %d", len(dst), len(info.Channels)))
	}
	n := 0
	if len(dst) > 0 {
		n = len(dst[0])
	}
	for _, d := range dst {
		if len(d) != n {
			panic("raw: ReadAt: dst rows have different lengths")
		}
	}
	if start < 0 || n < 0 || start > info.NSamples || n > info.NSamples-start {
		return fmt.Errorf("samples [%d, %d) of %d: %w", start, start+n, info.NSamples, ErrWindow)
	}
	return nil
}

// ReadAll loads the whole recording of r into memory. It does not close r.
func ReadAll(r Reader) (*Raw, error) {
	info := *r.Info()
	info.Channels = slices.Clone(info.Channels)
	info.Annotations = slices.Clone(info.Annotations)
	data := NewData(len(info.Channels), info.NSamples)
	if err := r.ReadAt(data, 0); err != nil {
		return nil, err
	}
	return &Raw{Info: info, Data: data}, nil
}

// NewData allocates a channels×samples block backed by one contiguous
// allocation.
func NewData(channels, samples int) [][]float64 {
	buf := make([]float64, channels*samples)
	d := make([][]float64, channels)
	for i := range d {
		d[i] = buf[i*samples : (i+1)*samples : (i+1)*samples]
	}
	return d
}

// ChannelNames returns the channel names in order.
func (in *Info) ChannelNames() []string {
	names := make([]string, len(in.Channels))
	for i, c := range in.Channels {
		names[i] = c.Name
	}
	return names
}

// Index returns the position of the channel called name, or -1.
func (in *Info) Index(name string) int {
	for i, c := range in.Channels {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Duration returns the length of the recording in seconds.
func (in *Info) Duration() float64 {
	if in.SFreq <= 0 {
		return 0
	}
	return float64(in.NSamples) / in.SFreq
}

// Times returns the time of every sample in seconds from the first sample,
// as MNE's raw.times.
func (r *Raw) Times() []float64 {
	t := make([]float64, r.NSamples)
	for i := range t {
		t[i] = float64(i) / r.SFreq
	}
	return t
}

// indices resolves channel names to positions, naming any unknown one.
func (in *Info) indices(names []string) ([]int, error) {
	idx := make([]int, len(names))
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		j := in.Index(n)
		if j < 0 {
			return nil, fmt.Errorf("raw: unknown channel %q (have %s)", n, strings.Join(in.ChannelNames(), ", "))
		}
		if seen[n] {
			return nil, fmt.Errorf("raw: channel %q named twice", n)
		}
		seen[n] = true
		idx[i] = j
	}
	return idx, nil
}

// Pick keeps only the named channels, in the order given.
func (r *Raw) Pick(names ...string) error {
	idx, err := r.indices(names)
	if err != nil {
		return err
	}
	r.keep(idx)
	return nil
}

// PickTypes keeps only the channels whose type is one of types, in their
// original order.
func (r *Raw) PickTypes(types ...ChannelType) error {
	var idx []int
	for i, c := range r.Channels {
		if slices.Contains(types, c.Type) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return fmt.Errorf("raw: no channel of type %v", types)
	}
	r.keep(idx)
	return nil
}

// Drop removes the named channels.
func (r *Raw) Drop(names ...string) error {
	drop, err := r.indices(names)
	if err != nil {
		return err
	}
	var idx []int
	for i := range r.Channels {
		if !slices.Contains(drop, i) {
			idx = append(idx, i)
		}
	}
	r.keep(idx)
	return nil
}

func (r *Raw) keep(idx []int) {
	chans := make([]Channel, len(idx))
	data := make([][]float64, len(idx))
	for k, i := range idx {
		chans[k] = r.Channels[i]
		data[k] = r.Data[i]
	}
	r.Channels, r.Data = chans, data
}

// Crop keeps the samples between tmin and tmax seconds (both included, as
// MNE's raw.crop with include_tmax=True), measured from the first sample.
// A negative tmax means the end of the recording. Annotations are clipped
// to the new span as MNE's raw.crop does (see ClipAnnotations).
func (r *Raw) Crop(tmin, tmax float64) error {
	if tmax < 0 {
		tmax = float64(r.NSamples-1) / r.SFreq
	}
	if math.IsNaN(tmin) || math.IsNaN(tmax) || tmin < 0 || tmax < tmin {
		return fmt.Errorf("raw: crop: need 0 <= tmin <= tmax, got tmin=%g tmax=%g", tmin, tmax)
	}
	last := float64(r.NSamples-1) / r.SFreq
	if tmax > last+0.5/r.SFreq {
		return fmt.Errorf("raw: crop: tmax=%g s is after the end of the recording (%g s)", tmax, last)
	}
	i0 := int(math.Round(tmin * r.SFreq))
	i1 := int(math.Round(tmax*r.SFreq)) + 1
	if i1 > r.NSamples {
		i1 = r.NSamples
	}
	for c := range r.Data {
		r.Data[c] = r.Data[c][i0:i1:i1]
	}
	r.FirstSample += i0
	r.NSamples = i1 - i0
	r.Annotations = ClipAnnotations(r.Annotations, &r.Info)
	return nil
}

// ClipAnnotations returns the annotations that overlap the data of info,
// clipped to it, as MNE does whenever it sets a recording's annotations:
// the span runs from the first sample to one sample period after the last
// (bounds rounded to the microsecond, as MNE's datetime arithmetic does);
// annotations wholly outside are dropped, the others cut to the span.
func ClipAnnotations(ann []Annotation, info *Info) []Annotation {
	us := func(t float64) float64 { return math.RoundToEven(t*1e6) / 1e6 }
	t0 := us(float64(info.FirstSample) / info.SFreq)
	t1 := us(t0 + float64(info.NSamples)/info.SFreq)
	var out []Annotation
	for _, a := range ann {
		on, off := a.Onset, a.Onset+a.Duration
		if on > t1 || off < t0 {
			continue
		}
		on, off = math.Max(on, t0), math.Min(off, t1)
		out = append(out, Annotation{Onset: on, Duration: off - on, Description: a.Description})
	}
	return out
}

// Event is one event as in MNE's events array: the sample (counted from the
// acquisition start, see package doc), the value before it and the code.
type Event struct {
	Sample int
	Prev   int
	Code   int
}

// EventsFromAnnotations turns annotations into events, as
// mne.events_from_annotations does: each annotation whose description is a
// key of codes becomes an event at the sample nearest to its onset. If codes
// is nil every distinct description, except those starting with "bad" or
// "edge" in any case (MNE's default regexp), gets a code 1, 2, ... in sorted
// order, as MNE's default. It returns the events sorted by sample and the
// part of the mapping that was used.
func (in *Info) EventsFromAnnotations(codes map[string]int) ([]Event, map[string]int, error) {
	if codes == nil {
		var descs []string
		for _, a := range in.Annotations {
			if !slices.Contains(descs, a.Description) {
				descs = append(descs, a.Description)
			}
		}
		descs = slices.DeleteFunc(descs, func(d string) bool {
			l := strings.ToLower(d)
			return strings.HasPrefix(l, "bad") || strings.HasPrefix(l, "edge")
		})
		sort.Strings(descs)
		codes = make(map[string]int, len(descs))
		for i, d := range descs {
			codes[d] = i + 1
		}
	}
	used := make(map[string]int)
	var ev []Event
	for _, a := range in.Annotations {
		code, ok := codes[a.Description]
		if !ok {
			continue
		}
		used[a.Description] = code
		// MNE: inds = raw.time_as_index(onsets, use_rounding=True, origin=meas_date)
		// which rounds (onset - first_time) * sfreq, then adds first_samp.
		s := int(math.Round((a.Onset-float64(in.FirstSample)/in.SFreq)*in.SFreq)) + in.FirstSample
		if s < in.FirstSample || s >= in.FirstSample+in.NSamples {
			continue
		}
		ev = append(ev, Event{Sample: s, Code: code})
	}
	if len(codes) > 0 && len(ev) == 0 {
		return nil, used, fmt.Errorf("raw: no annotation matches the event mapping (descriptions present: %s)", strings.Join(in.descriptions(), ", "))
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Sample < ev[j].Sample })
	return ev, used, nil
}

func (in *Info) descriptions() []string {
	var d []string
	for _, a := range in.Annotations {
		if !slices.Contains(d, a.Description) {
			d = append(d, a.Description)
		}
	}
	return d
}

// RenameChannels renames every channel through f (for example
// montage.Standardize). Two channels ending up with one name is an error.
func (in *Info) RenameChannels(f func(string) string) error {
	seen := make(map[string]string, len(in.Channels))
	names := make([]string, len(in.Channels))
	for i, c := range in.Channels {
		n := f(c.Name)
		if prev, dup := seen[n]; dup {
			return fmt.Errorf("raw: renaming %q and %q both give %q", prev, c.Name, n)
		}
		seen[n] = c.Name
		names[i] = n
	}
	for i := range in.Channels {
		in.Channels[i].Name = names[i]
	}
	return nil
}

// CheckFinite reports the first channel and sample holding a NaN or an
// infinity, so that processing can refuse such data with a clear message.
func (r *Raw) CheckFinite() error {
	for c, d := range r.Data {
		for i, v := range d {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("raw: channel %q sample %d is %v", r.Channels[c].Name, i, v)
			}
		}
	}
	return nil
}

// Rebase makes the first sample of the data the acquisition start: it moves
// MeasDate forward by FirstSample/SFreq, shifts the annotations back by as
// much and sets FirstSample to 0. Writers of formats with no notion of a
// first sample (EDF, BDF, CSV) call it so that absolute times stay right.
func (in *Info) Rebase() {
	if in.FirstSample == 0 {
		return
	}
	dt := float64(in.FirstSample) / in.SFreq
	if !in.MeasDate.IsZero() {
		in.MeasDate = in.MeasDate.Add(time.Duration(math.Round(dt * 1e9)))
	}
	for i := range in.Annotations {
		in.Annotations[i].Onset -= dt
	}
	in.FirstSample = 0
}

// IsData reports whether MNE-Python counts channels of type t as data
// channels (its _DATA_CH_TYPES_SPLIT plus reference magnetometers): the
// channels raw.filter, resampling and re-referencing work on by default.
// Stim, misc and auxiliary (EOG, ECG, EMG, ...) channels are not data.
func (t ChannelType) IsData() bool {
	switch t {
	case Mag, Grad, EEG, Seeg, Ecog, "csd", "dbs", "ref_meg":
		return true
	}
	return strings.HasPrefix(string(t), "fnirs") || t == "hbo" || t == "hbr"
}

// IsAux reports whether t is one of the auxiliary physiological types
// (EOG, ECG, EMG, bio) that MNE baseline-corrects along with the data
// channels.
func (t ChannelType) IsAux() bool {
	switch t {
	case EOG, ECG, EMG, Bio:
		return true
	}
	return false
}
