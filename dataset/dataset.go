package dataset

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// Kind is the kind of experiment a dataset records, MOABB's paradigm
// attribute: it says which paradigms can cut its trials.
type Kind string

// The kinds of the registered datasets.
const (
	Imagery Kind = "imagery" // motor imagery or execution
	SSVEP   Kind = "ssvep"   // steady-state visual evoked potentials
)

// ErrUnknown reports a dataset name that is not registered.
var ErrUnknown = errors.New("unknown dataset")

// ErrSubject reports a subject number the dataset does not have.
var ErrSubject = errors.New("no such subject")

// Class is one class of trials of a dataset.
type Class struct {
	// Name is MOABB's event name ("left_hand", "feet", "13", "rest").
	Name string
	// Code is the event code of the class in the events that Read
	// returns (MOABB's event id).
	Code int
	// Freq is the stimulation frequency in Hz of an SSVEP class; 0 for
	// other classes (rest, motor imagery).
	Freq float64
}

// Recording is one file of a subject: a run of a session.
type Recording struct {
	Subject int
	// Session and Run name the recording as the per-trial metadata of a
	// paradigm reports them (see each dataset's documentation).
	Session, Run string
	// File is the recording, relative to the data directory
	// (slash-separated, in the upstream layout).
	File string
	// Events is the event file, relative to the data directory, or ""
	// when the events are the recording's annotations.
	Events string
}

// Dataset describes a named dataset: its subjects, classes, the interval
// of a trial and where its files are. Get returns a fresh value each time,
// so callers may change Dir or Source.
type Dataset struct {
	// Name is the registry name ("eegmmidb-imagery-lr", "ssvep-exo").
	Name string
	// Title is a one-line description with the reference to cite.
	Title string
	// MOABB names the MOABB dataset (and its options) this one mirrors.
	MOABB string
	// Kind says which paradigms apply.
	Kind Kind
	// Subjects lists every subject of the upstream dataset, whether its
	// files are present or not (see Available).
	Subjects []int
	// Classes are the classes of trials, in increasing code order.
	Classes []Class
	// Interval is the part of a trial, in seconds after its cue, that
	// paradigms cut by default (MOABB's dataset.interval).
	Interval [2]float64
	// SFreq is the nominal sampling rate in Hz.
	SFreq float64
	// Channels are the nominal EEG channels, as Read names them.
	Channels []string
	// License is the data licence.
	License string
	// Source is where Download fetches the files from.
	Source string
	// Dir is the data directory; "" means Dir().
	Dir string

	layout layout
}

// layout is what differs between datasets: where a subject's files are,
// how a recording is read and where the public copies are.
type layout interface {
	// recordings lists the recordings of subject present in dir, or
	// an error naming the first missing file.
	recordings(d *Dataset, dir string, subject int) ([]Recording, error)
	// read loads a recording and its events (class codes only).
	read(d *Dataset, dir string, rec Recording) (*raw.Raw, []raw.Event, error)
	// remote lists the files of subject to download, with checksums.
	remote(f *fetch, d *Dataset, subject int) ([]remoteFile, error)
}

// registry builds every registered dataset; each call gives fresh values.
var registry = []func() *Dataset{
	func() *Dataset { return eegmmidb("eegmmidb-imagery-lr", true, false) },
	func() *Dataset { return eegmmidb("eegmmidb-imagery-ff", true, true) },
	func() *Dataset { return eegmmidb("eegmmidb-executed-lr", false, false) },
	func() *Dataset { return eegmmidb("eegmmidb-executed-ff", false, true) },
	ssvepExo,
}

// Names returns the names of the registered datasets, sorted.
func Names() []string {
	names := make([]string, len(registry))
	for i, f := range registry {
		names[i] = f().Name
	}
	slices.Sort(names)
	return names
}

// All returns every registered dataset, in the order of Names.
func All() []*Dataset {
	var all []*Dataset
	for _, n := range Names() {
		d, _ := Get(n)
		all = append(all, d)
	}
	return all
}

// Get returns the dataset called name. An unknown name is an error
// wrapping ErrUnknown that lists the valid ones.
func Get(name string) (*Dataset, error) {
	for _, f := range registry {
		if d := f(); d.Name == name {
			return d, nil
		}
	}
	return nil, fmt.Errorf("dataset: %w %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
}

// Root returns the data directory the dataset reads from: Dir, or
// the package's Dir() when that is empty.
func (d *Dataset) Root() string {
	if d.Dir != "" {
		return d.Dir
	}
	return Dir()
}

// Class returns the class with the given event code.
func (d *Dataset) Class(code int) (Class, bool) {
	for _, c := range d.Classes {
		if c.Code == code {
			return c, true
		}
	}
	return Class{}, false
}

// HasSubject reports whether subject is one of the upstream subjects.
func (d *Dataset) HasSubject(subject int) bool {
	return slices.Contains(d.Subjects, subject)
}

func (d *Dataset) checkSubject(subject int) error {
	if d.HasSubject(subject) {
		return nil
	}
	return fmt.Errorf("dataset: %s: subject %d: %w (subjects are %s)", d.Name, subject, ErrSubject, Ranges(d.Subjects))
}

// Recordings lists the recordings of subject present in the data
// directory, sorted by session then run. A subject whose files are not
// all there is an error naming the first missing file and the directory
// (wrapping ErrMissing), as Path reports it.
func (d *Dataset) Recordings(subject int) ([]Recording, error) {
	if err := d.checkSubject(subject); err != nil {
		return nil, err
	}
	return d.layout.recordings(d, d.Root(), subject)
}

// Available returns the subjects whose files are all present in the data
// directory, in increasing order.
func (d *Dataset) Available() []int {
	root := d.Root()
	var s []int
	for _, sub := range d.Subjects {
		if recs, err := d.layout.recordings(d, root, sub); err == nil && len(recs) > 0 {
			s = append(s, sub)
		}
	}
	return s
}

// Read loads a recording: the signals with the channels named as Channels
// lists them, and its events, only those of the dataset's classes, with the
// class codes (see Classes), sorted by sample.
func (d *Dataset) Read(rec Recording) (*raw.Raw, []raw.Event, error) {
	return d.layout.read(d, d.Root(), rec)
}

// Ranges writes a sorted list of subject numbers as "1-109" or "1-3, 5".
func Ranges(v []int) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		j := i
		for j+1 < len(v) && v[j+1] == v[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", v[i], v[j])
		} else {
			fmt.Fprintf(&b, "%d", v[i])
		}
		i = j + 1
	}
	return b.String()
}

func seq(lo, hi int) []int {
	s := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		s = append(s, i)
	}
	return s
}
