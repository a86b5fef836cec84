// Package paradigm cuts a dataset's recordings into labelled trials as
// MOABB's paradigms do (MOABB 0.4.6 BaseParadigm.process_raw with MNE 1.3),
// so that bcikit's pipelines see the same trials as the Python reference.
//
// A Paradigm is plain, JSON-serialisable data: a name, the band-pass bands,
// the trial window after the cue, the scale and the classes. For builds the
// paradigm MOABB would use for a registered dataset:
//
//	imagery     MOABB MotorImagery / LeftRightImagery: one band, 8–32 Hz
//	imagery-fb  MOABB FilterBankMotorImagery: 8–12, 12–16, ..., 28–32 Hz
//	ssvep       MOABB SSVEP: one band, 7–45 Hz
//	ssvep-fb    one band per stimulation frequency f, [f−1, f+1] Hz (the
//	            extended signal of pyRiemann's SSVEP example; see below)
//
// and the window is the dataset's Interval (EEGMMIDB 0–3 s after the cue,
// SSVEP-Exo 2–5 s); Window sets MOABB's tmin/tmax instead.
//
// # What a paradigm does to a recording
//
// Cut (one recording and its events) and Subject (every recording of a
// subject, in session then run order) follow process_raw step by step:
//
//  1. only the events whose code is one of the paradigm's classes are
//     kept; a recording without any is skipped by Subject, as MOABB does
//     (Cut, which has nothing else to do, reports it as ErrNoTrials);
//  2. the EEG channels are picked (pick_types(eeg=True, stim=False));
//  3. for each band the EEG channels are filtered as
//     raw.filter(fmin, fmax, method='iir'): a 4th-order Butterworth
//     band-pass in second-order sections, applied forward and backward
//     with MNE's padding, separately on each stretch between annotations
//     starting with EDGE or BAD_ACQ_SKIP (MNE's skip_by_annotation);
//  4. trials are cut as mne.Epochs(tmin=TMin, tmax=TMax, baseline=None,
//     event_repeated='drop', on_missing='ignore'): round(TMax·sfreq) −
//     round(TMin·sfreq) + 1 samples per trial, MNE's sample alignment and
//     rounding (half to even); a second event on the same sample is
//     dropped ("DROP DUPLICATE"), a window that starts before the
//     recording ("NO_DATA"), ends after it ("TOO_SHORT") or touches an
//     annotation whose description starts with "bad" (MNE's
//     reject_by_annotation) is dropped and listed in Trials.Dropped;
//  5. the trials are multiplied by Scale (1e6: µV, MOABB's unit_factor).
//
// Trials.Bands holds the trials of every band, indexed by band, trial,
// channel and sample: the layout of decode.Data.Bands (MOABB stacks the
// bands on a last axis instead). Trials.X is the first band.
//
// Filtering runs on every core: each job filters up to 8 channels of one
// band (dsp's SIMD lanes) in a per-worker buffer of one recording's length
// and writes the trials straight into the output, so memory beyond the
// trials is a few channels per worker, whatever the number of bands.
//
// # Differences from the references
//
// MOABB's FilterBankSSVEP uses bands of ±0.5 Hz and pyRiemann's SSVEP
// example ±0.1 Hz around each frequency (13, 17, 21 Hz for SSVEP-Exo, in
// that order here too); bcikit's ssvep-fb uses ±1 Hz, the recipe of the
// data's README, by default, and HalfWidth chooses another. MOABB labels
// trials with event names ("left_hand"); Trials.Y holds the event codes
// (Dataset.Class gives the names). MOABB's SSVEPExo interval is [2, 4] s
// where bcikit's dataset uses [2, 5] s, pyRiemann's window (see package
// dataset). MOABB names sessions and runs "session_0" and "run_0"; here
// they are the dataset's Recording names.
package paradigm
