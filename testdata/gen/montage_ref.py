"""Reference positions for package montage: MNE 1.3's standard_1005 montage
(head_size 0.095 m) and eegbci.standardize names.
Run: /usr/bin/python3 testdata/gen/montage_ref.py  (from the repo root)."""
import json

import mne
from mne.datasets import eegbci

m = mne.channels.make_standard_montage("standard_1005")
pos = m.get_positions()["ch_pos"]
out = {"positions": {k: list(map(float, v)) for k, v in pos.items()}}

# eegbci.standardize on EEGMMIDB's labels.
raw = mne.io.read_raw_edf("../shared/data/eegmmidb/S001/S001R04.edf", verbose=False)
before = list(raw.ch_names)
eegbci.standardize(raw)
out["eegbci_names"] = dict(zip(before, raw.ch_names))
with open("montage/testdata/standard_1005.json", "w") as f:
    json.dump(out, f, indent=0)
