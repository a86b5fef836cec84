// Package edf reads and writes EDF, EDF+, BDF and BDF+ recordings.
//
// [Open] and [NewReader] read the header (and the annotation signal) and
// return a [Reader], a raw.Reader that reads any window of samples on demand
// from the data records that cover it, so a file far larger than memory
// reads window by window in constant memory. raw.ReadAll loads it all.
//
// # Same numbers as MNE-Python
//
// The recording is the one MNE-Python 1.3's mne.io.read_raw_edf and
// read_raw_bdf give with default arguments (preload=True): channel names,
// types, units, scaling, sampling rate, start date, annotations and
// samples, with every quirk that changes a number. In particular:
//
//   - the physical dimension scales to volts only for "uV"/"µV" (1e-6) and
//     "mV" (1e-3); anything else, "nV" and "V" included, is taken as is;
//   - the start date is whole seconds from the header: the sub-second start
//     of an EDF+ file (its first time-keeping TAL, "+0.5") is not added to
//     it but subtracted from the annotation onsets instead, which keeps
//     them aligned with the samples;
//   - annotation onsets are rounded to the microsecond and annotations
//     outside the recording are dropped or clipped, as
//     raw.set_annotations does;
//   - channels with fewer samples per record than the fastest data channel
//     are upsampled one record at a time (FFT resampling, or a zero-order
//     hold for stim channels), edge effects at record boundaries included;
//   - the number of records is taken from the file size, not the header: a
//     recording that was not closed properly (-1 records) reads up to its
//     last complete record, trailing bytes beyond the last complete record
//     are ignored, and an extra record beyond the header's count is read,
//     as MNE does. [Header].Records keeps what the header said. A file
//     without a single complete record is [ErrTruncated].
//
// Where MNE 1.3 fails on a file the reader is more forgiving or more
// precise, and says so in its errors:
//
//   - a file that holds fewer complete records than its header's "number
//     of data records" (a positive count) was cut short: it is
//     [ErrTruncated], naming the field, where MNE silently reads what is
//     there;
//   - the format comes from the version field ("0" or "\xffBIOSEMI"), not
//     the file extension; any other version is [ErrFormat];
//   - annotation text that is not valid UTF-8 is read as Latin-1 (MNE
//     raises and suggests encoding='latin1');
//   - malformed header fields are [ErrHeader] errors naming the field and
//     the signal, never a panic.
//
// # Discontinuous files (EDF+D, BDF+D)
//
// MNE-Python 1.3 reads the records of an EDF+D file back to back as if they
// were contiguous and keeps the annotation onsets as written (seconds from
// the start time), so after a gap an annotation no longer falls on the
// sample it marks. This reader does the same so that its numbers stay
// MNE's, and exposes the time-keeping onset of every record through
// [Reader.RecordOnsets] so that a caller can find the gaps and map times
// to samples itself.
//
// # Writing
//
// [Write] and [Create] write a raw.Raw as EDF+ (16-bit) or BDF+ (24-bit),
// with its annotations in an "EDF Annotations"/"BDF Annotations" signal.
// Each channel's physical range is the range of its data, so a value read
// back is within half a digital step of the value written; volts are
// written in µV so that MNE reads them back in volts.
package edf
