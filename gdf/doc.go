// Package gdf reads GDF 1.x and 2.x recordings (the General Data Format for
// biomedical signals, written by BioSig, OpenViBE, g.tec and others) into
// bcikit's recording model.
//
// A Reader gives the header as a raw.Info and reads any window of samples
// on demand, decoding only the data records that cover it; raw.ReadAll
// loads a whole file. The file's event table is available as stored
// (Reader.Events) and, converted as MNE-Python does, as
// Info().Annotations.
//
// # Agreement with MNE-Python
//
// The reader reproduces mne.io.read_raw_gdf of MNE-Python 1.3 with its
// default arguments, so that a recording read here and there gives the same
// numbers:
//
//   - Channel names are the labels, Latin-1, cut at the first NUL and
//     stripped; repeated names become "X-0", "X-1", .... Every channel is
//     EEG in volts except the first channel named "status" and the first
//     named "trigger" (any case), which are stim channels without unit.
//   - Samples are scaled as (x*cal + offset) * gain with cal and offset from
//     the physical and digital ranges and gain from the physical
//     dimension: "uV" (GDF 1) or code 4275 (GDF 2) gives 1e-6, code 4274
//     (mV) 1e-3, anything else 1. The arithmetic follows numpy's, float32
//     samples included (computed in float32). Stim channels keep gain 1
//     and, at the recording's rate, only the low 17 bits of their integer
//     part.
//   - The sampling rate is that of the fastest non-stim channel. Slower
//     channels are brought up to it record by record: data channels by FFT
//     resampling, stim channels by a zero-order hold, as MNE does.
//   - The GDF 2 start date is converted with MNE's arithmetic; GDF 1 dates
//     that MNE cannot parse (OpenViBE writes blanks) give no date.
//   - Each event becomes an annotation at (position-1)/sfreq lasting
//     max(duration, 1)/sfreq (1/sfreq in tables without durations), named
//     by its decimal code ("33024"); annotations are cropped to the
//     recording and their onsets rounded to the microsecond, as
//     Raw.set_annotations does. The event table's own sampling rate is
//     ignored, as in MNE.
//
// Where MNE fails on a file this package either reads it or reports an
// error, never something else: channels of different sample types (MNE
// reads them all with the first channel's type, or refuses different
// sizes) are each decoded with their own type; GDF 2.10+ files with a
// tag-length-value header after the channel headers (which MNE rejects)
// are read; a record count of -1 (unknown) is replaced by the number of
// whole records in the file, without an event table.
//
// Every size in the header is checked against the file size before it is
// used, and a bad file gives an error wrapping ErrTruncated, ErrHeader or
// ErrUnsupported that names the file, the field and the problem.
package gdf
