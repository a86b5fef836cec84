// Package brainvision reads BrainVision recordings: a .vhdr header, a
// .vmrk marker file and a .eeg data file, as written by Brain Products'
// Recorder and Analyzer, PyCorder, EEGLAB and many other tools.
//
//	r, err := brainvision.Open("sub-01.vhdr")
//	...
//	defer r.Close()
//	rec, err := raw.ReadAll(r) // or r.ReadAt(window, start)
//
// [Open] checks the header, the markers and the data file's size; the
// returned [Reader] implements raw.Reader and reads only the part of the
// data file a window needs. [Reader.Markers] gives every marker of the
// .vmrk file, [Reader.Header] the header's own fields (original units and
// resolutions, data layout).
//
// # Same numbers as MNE-Python
//
// The reader gives what mne.io.read_raw_brainvision(vhdr, preload=True)
// of MNE-Python 1.3 gives with its defaults, and is tested against it:
//
//   - Header versions 1.0 and 2.0 (and the "Core", "V-Amp" variants);
//     text in the declared Codepage (UTF-8 by default; Latin-1, ANSI as
//     cp1252, ASCII, UTF-8-sig and Python's other names for them),
//     falling back to Latin-1 when the text is not valid in it.
//     The header is an INI file read with Python configparser's rules
//     (see ini.go), up to the [Comment] section.
//   - Data: BINARY INT_16, INT_32 or IEEE_FLOAT_32, little-endian, in
//     MULTIPLEXED or VECTORIZED order, or ASCII in MULTIPLEXED order. The
//     number of samples is what the data file holds (a trailing partial
//     sample is ignored, as in MNE).
//   - Sampling rate 1e6 / SamplingInterval (µs).
//   - Channels "Ch<n>=<name>,<reference>,<resolution>,<unit>": "\1" in a
//     name is a comma; a missing or empty unit is µV; an empty
//     resolution is 1. A sample is value × resolution × unit factor (V 1,
//     mV 1e-3, µV/uV 1e-6, nV 1e-9, µS/uS 1e-6, anything else 1), in
//     float64 exactly as MNE computes it.
//   - Types: HEOGL, HEOGR and VEOGb are EOG; a channel whose unit is not
//     a voltage (V, mV, µV, uV, nV) is misc, with unit "C" for unit C and
//     "NA" otherwise; a channel at the origin (radius 0) in [Coordinates]
//     is misc; "STI 014" is stim; every other channel is EEG, in volts.
//   - Measurement date: the date of the first marker line
//     "Mk<n>=New Segment,<desc>,<pos>,<len>,<chan>,<YYYYMMDDhhmmssuuuuuu>";
//     none if that date is all zeros.
//   - Annotations: one per marker, onset (position−1)/sfreq, duration
//     length/sfreq, description "<type>/<description>" (for example
//     "Stimulus/S253"), sorted by onset then duration. As in MNE's
//     raw.set_annotations, markers entirely outside the recording are
//     dropped and those reaching beyond it are clipped, with onsets
//     rounded to the microsecond. (A five-field "New Segment" marker with
//     a date shifts the annotations as MNE does.)
//
// Where MNE refuses a file, so does this reader, with an error naming the
// file, the field and the problem; every such error wraps one of
// [ErrHeader], [ErrMarkers], [ErrData], [ErrTruncated] or
// [ErrUnsupported]. Examples: a '%' in a header value that is not "%%"
// (configparser interpolation), a repeated key or section, a channel
// number beyond NumberOfChannels, two channels with one name, a resolution
// of 0, a marker with fewer than four fields, a New Segment date such as
// February 30th, an EEG channel missing from [Coordinates].
//
// # Deviations from MNE
//
//   - A first line that is not a BrainVision header (or marker) line is an
//     error here; MNE only warns.
//   - A VECTORIZED data file with fewer samples than the header's
//     DataPoints is ErrTruncated here; MNE reads channels from the wrong
//     offsets.
//   - A negative SamplingInterval is ErrHeader; MNE reads such a file
//     (with a negative sampling rate) when it has no markers.
//   - Encodings other than UTF-8, Latin-1, cp1252 and ASCII are
//     ErrUnsupported.
//   - A header value whose %(key)s references expand beyond 1 MiB is an
//     error (configparser would expand it, exponentially).
//   - MNE reads the marker file once more in the system's text encoding
//     to find the measurement date and fails when it is not valid there
//     (for example a Latin-1 marker file with accents on a UTF-8 system);
//     this reader decodes the marker file once, with its Codepage.
//   - The filter settings and impedances of the [Comment] section are not
//     parsed (raw.Info has no place for them), so the few malformed
//     [Comment] sections that make MNE fail are accepted here.
//   - .ahdr (Analyzer export) files are not supported.
package brainvision
