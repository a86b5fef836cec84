// Package reference re-references EEG, as MNE-Python's set_eeg_reference
// does: to the average of the EEG channels, or to the mean of named
// channels (a mastoid pair, Cz, ...). Only the channels of the electrode
// type present (EEG, else ECoG, sEEG, DBS) are changed; stim, EOG and other
// channels are left alone.
package reference
