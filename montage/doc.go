// Package montage knows where electrodes sit on the head and how to clean up
// channel names so that they can be found.
//
// [Standard1005] gives the positions of the 10-05 system exactly as
// MNE-Python's make_standard_montage("standard_1005") does (the same ASA .elc
// file, shipped with MNE under the BSD-3-Clause licence, in metres as
// written, which is what MNE's default head_size="auto" gives). [Standardize] maps the labels that acquisition systems
// write (EEGMMIDB's "Fc5.", "EEG Fp1-REF", "c3") to the 10-05 spelling.
package montage
