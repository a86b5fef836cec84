// Package fif reads MNE-Python's and Neuromag's FIF files: raw recordings
// (*_raw.fif) and event files (*-eve.fif).
//
// A FIF file is a sequence of tags, each a 16-byte big-endian header (kind,
// type, size, next) and its data; FIFF_BLOCK_START and FIFF_BLOCK_END tags
// nest them into blocks (measurement, measurement info, raw data, ...).
// [NewFile] gives that tag-level view: it walks the tags in sequence,
// checking every size against the file size before anything is read, and
// builds the block tree.
//
// On top of it, [Open] and [NewReader] read a raw recording with the
// results of MNE 1.3's mne.io.read_raw_fif(path, preload=True) and its
// defaults (no MaxShield data, no SSP projection and no CTF compensation
// applied):
//
//   - channel names (with MNE's extended records for names longer than 15
//     characters, and duplicates renamed name-0, name-1, ...) and types as
//     MNE's raw.get_channel_types() (eeg, mag, grad, stim, ...; MNE's type
//     names that package raw has no constant for, such as "ref_meg" or
//     "chpi", are kept as they are);
//   - samples calibrated as MNE does: stored value × range × cal, for
//     16-bit, 32-bit integer, float and double buffers; samples of data
//     skips (FIFF_DATA_SKIP) read as zeros;
//   - the first sample (FIFF_FIRST_SAMPLE, moved on by an initial skip) as
//     raw.Info.FirstSample, the measurement date with its microseconds;
//   - the annotations as MNE's raw.annotations: onsets in seconds from the
//     measurement date (from sample 0 of the acquisition without one),
//     annotations outside the recording dropped and those that stick out
//     clipped with MNE's rounding to microseconds, and a BAD_ACQ_SKIP
//     annotation for every data skip;
//   - recordings split over several files (FIFF_REF to the next file),
//     followed by Open.
//
// Complex data buffers are not supported (raw.Raw holds real samples), nor
// channels whose kind MNE cannot name (get_channel_types fails on them
// too): both are errors at Open.
//
// [ReadEvents] reads event files as mne.read_events: the FIF format and
// MNE's text format.
//
// Malformed files give errors that name the file, the tag or field and the
// problem, wrapping [ErrFormat] or [ErrTruncated].
package fif
