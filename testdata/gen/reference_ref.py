"""Reference re-referenced data for package reference: MNE 1.3's
set_eeg_reference on EEGMMIDB runs, dumped in the shared fixture format.
Run from the repo root: /usr/bin/python3 testdata/gen/reference_ref.py"""
import os
import sys

import mne

sys.path.insert(0, os.path.dirname(__file__))
from mneref import dump  # noqa: E402

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
for name, rel, ref in [
    ("avg_r04", "eegmmidb/S001/S001R04.edf", "average"),
    ("cz_r04", "eegmmidb/S001/S001R04.edf", ["Cz.."]),
    ("mastoids_r06", "eegmmidb/S001/S001R06.edf", ["T9..", "T10."]),
]:
    raw = mne.io.read_raw_edf(os.path.join(DATA, rel), preload=True, verbose=False)
    raw.set_eeg_reference(ref, verbose=False)
    dump(raw, rel, f"reference/testdata/{name}.json", reader="read_raw_edf+set_eeg_reference",
         kwargs={"ref_channels": ref}, spread=40, edge=5)
    print(name)
