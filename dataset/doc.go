// Package dataset locates recordings on disk and knows the BCI datasets
// bcikit benchmarks on, as MOABB's datasets do: their subjects, sessions,
// runs, files, events and class labels.
//
// # The data directory
//
// BCIKIT_DATA names the data directory; without it bcikit uses the user's
// cache directory (~/.cache/bcikit on Linux). Datasets live under it in
// their upstream layout, for example eegmmidb/S001/S001R04.edf. [Path]
// finds a file there and says which file is missing, and where, when it is
// not.
//
// # Registered datasets
//
// [Get] returns a dataset by name, [Names] lists them:
//
//	eegmmidb-imagery-lr   PhysioNet EEGMMIDB (MOABB PhysionetMI), imagined left vs
//	                      right fist: runs 4, 8, 12; T1 = left_hand, T2 = right_hand
//	eegmmidb-imagery-ff   imagined both fists vs both feet: runs 6, 10, 14;
//	                      T1 = hands, T2 = feet
//	eegmmidb-executed-lr  executed left vs right fist: runs 3, 7, 11
//	eegmmidb-executed-ff  executed fists vs feet: runs 5, 9, 13
//	ssvep-exo             SSVEP exoskeleton dataset (MOABB SSVEPExo/Kalunga2016):
//	                      13, 17, 21 Hz and rest
//
// EEGMMIDB has subjects 1–109, stored as eegmmidb/S001/S001R04.edf (EDF+,
// 64 EEG channels at 160 Hz; subject 88 is at 128 Hz). Each subject has one
// session, "0", holding its three runs ("R04", "R08", "R12"), as in MOABB.
// The cues are the EDF+ annotations T1 and T2, turned into events with
// MOABB's codes (left_hand 2, right_hand 3, hands 4, feet 5); T0 (rest
// between cues) is not a class, as in MOABB's imagery paradigms. Channel
// names are cleaned by montage.Standardize ("Fc5." → "FC5"), which gives
// the names of MNE's eegbci.standardize and of MOABB's renaming. A trial is
// the 3 s after the cue (MOABB's interval [0, 3]).
//
// SSVEP-Exo has subjects 1–12, stored as ssvep-exo/subject01/
// record-[DATE]_raw.fif (8 EEG channels, Oz O1 O2 PO3 POz PO7 PO8 PO4, at
// 256 Hz) with the events in record-[DATE]-eve.fif: codes 1 rest, 2 = 13 Hz,
// 3 = 21 Hz, 4 = 17 Hz. Each raw file of a subject's folder is a session,
// named by its DATE and sorted, with one run "0"; the OpenViBE originals
// (.gdf) in the same folders are not read. A trial is taken from 2 to 5 s
// after its code, as the data's README and pyRiemann's SSVEP example do.
// MOABB differs in two ways: its SSVEPExo puts all recordings of a subject
// in one session "0" as runs, and its interval is [2, 4] (a paradigm's
// TMax of 2 gives MOABB's window). Old MOABB releases also mapped codes 3 and
// 4 to 17 and 21 Hz; Kalunga2016 fixed that to the mapping used here.
//
// A subject is available when all its files are present ([Dataset.Available]);
// [Dataset.Recordings] lists a subject's recordings and [Dataset.Read] loads
// one with its events. Subjects are never assumed present: a missing file
// is an error that names it and the directory it was looked for in.
//
// The formats/ folder of the project's test data holds conformance files
// for the readers (MNE's test files), not a BCI dataset: nothing is
// registered for it.
//
// # Downloading
//
// [Download] fetches subjects from the public sources, resuming
// interrupted transfers and checking every file's checksum before it
// takes its final name (see [Downloader]). EEGMMIDB comes from
// https://physionet.org/files/eegmmidb/1.0.0/ with PhysioNet's
// SHA256SUMS.txt; SSVEP-Exo from the GitHub repository
// https://github.com/sylvchev/dataset-ssvep-exoskeleton (the layout above),
// checked against the git blob hashes GitHub's contents API lists. MOABB
// fetches the same recordings from Zenodo instead
// (https://zenodo.org/record/2392979, files subjectNN_runK_raw.fif with a
// stim channel in place of event files).
package dataset
