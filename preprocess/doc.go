// Package preprocess applies the cleaning steps of MNE-Python's Raw
// methods to a raw.Raw: band-pass/high-pass/low-pass filtering
// (raw.filter), line-noise notch filtering (raw.notch_filter) and
// resampling (raw.resample), with MNE's defaults and MNE's choice of
// channels. The numerical kernels live in dsp and resample; this package
// decides which channels they run on and keeps the recording's header
// consistent.
package preprocess
