// Package record writes a live stream to a BDF+ file incrementally and
// crash-safely, and repairs a file whose writer died mid-write.
//
// # Crash safety
//
// Create (or NewWriter) returns a Writer. Its first Write writes the BDF+
// header with "number of data records" -1 (unknown, as the EDF+
// specification allows while recording); every data record is then written
// to the file with a single write as soon as it is complete, with its
// annotation signal (the time-keeping TAL, the chunk's markers as
// annotations). Records last at most one second (Options.RecordDuration),
// so a process killed at any moment (kill -9) loses at most the record it
// was filling: the operating system keeps what was written. Written records
// are also flushed to the disk (fsync) at least once per
// Options.SyncInterval (one second by default), so that a power cut loses
// little more. Close pads and writes the last, partial record and rewrites
// the record count.
//
// A file cut off mid-write reads as it is: bcikit's edf reader and
// MNE-Python 1.3's read_raw_bdf both count the records from the file size
// and ignore a trailing partial record. Repair (bcikit repair) makes the
// file clean for every other reader: it drops the partial record and writes
// the true record count into the header.
//
// # Scaling
//
// Samples are 24-bit. The physical range of a channel comes from its unit:
//
//   - "V" (EEG, EOG, EMG, ...): written in µV with BioSemi's range, physical
//     -262144 to 262143 µV over digital -8388608 to 8388607: a step of
//     about 0.031 µV, so EEG in volts keeps far better than µV resolution,
//     and potentials up to ±262 mV are representable;
//   - stim channels (type "stim") and channels of unit "NA" or "": integer
//     codes, rounded, with a digital step of exactly 1 (physical = digital,
//     -8388608 to 8388607), so trigger codes read back exactly (MNE-Python
//     reads a channel named "Status" or "Trigger" as BioSemi's trigger
//     word and keeps only its low bits: codes from 0 to 65535 are safe);
//   - any other unit: the range must be given in Options.Ranges (SI units),
//     else Create reports ErrHeader naming the channel.
//
// # Bad samples
//
// A NaN sample is written as the digital value closest to 0, and a value
// outside the channel's physical range (±Inf included) is clipped to it; the
// samples where any channel was NaN, or clipped, are marked by annotations
// "BAD_nan" and "BAD_clipped" (one per run of consecutive samples within a
// chunk), which MNE's reject_by_annotation honours. A chunk that starts
// after the next expected sample leaves a gap: the missing samples are
// written as NaN samples are, marked "BAD_gap", so that file time stays
// stream time; a gap of more than MaxGap seconds, a chunk that overlaps the
// samples already written, or a chunk of the wrong shape is ErrChunk, and
// nothing of it is written. The padding Close adds to fill the last record
// is marked "BAD_pad".
//
// EDF has no channel type field: readers tell types from channel names
// (MNE reads "Status" and "Trigger" as stim, everything else as EEG).
//
// # Errors
//
// A failed write (disk full, a vanished disk) makes the Writer fail: the
// file keeps every complete record written so far (a partial record is cut
// off when the file can be truncated), and Close still writes the record
// count. Every later Write returns the first error.
package record
