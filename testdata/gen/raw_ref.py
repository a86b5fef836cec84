"""Reference for package raw: mne.events_from_annotations defaults and
raw.crop on EEGMMIDB S001R04. Run from the repo root:
/usr/bin/python3 testdata/gen/raw_ref.py"""
import json
import os

import mne

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
raw = mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb/S001/S001R04.edf"), preload=True, verbose=False)
ev, ids = mne.events_from_annotations(raw, verbose=False)
r2 = raw.copy().crop(10.0, 20.5)
out = {"default_ids": ids, "events": ev.tolist(), "crop_first_samp": int(r2.first_samp), "crop_n": int(r2.n_times),
       "crop_ann": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in r2.annotations],
       "crop_first_value": float(r2.get_data()[5, 0]), "crop_last_value": float(r2.get_data()[5, -1])}
with open("raw/testdata/mne_r04.json", "w") as f:
    json.dump(out, f)
