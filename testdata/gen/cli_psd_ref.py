"""Reference for bcikit psd: MNE 1.3 raw.compute_psd() defaults on EEGMMIDB
S001R04 with two BAD_ annotations added (samples under them excluded).
Run from the repo root: /usr/bin/python3 testdata/gen/cli_psd_ref.py"""
import json
import os

import mne

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
raw = mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb/S001/S001R04.edf"), preload=True, verbose=False)
bad = [[10.0, 5.0, "BAD_move"], [60.3, 2.71, "bad blink"]]
raw.annotations.append([b[0] for b in bad], [b[1] for b in bad], [b[2] for b in bad])
picks = ["C3..", "Cz..", "C4.."]
sp = raw.compute_psd(picks=picks, verbose=False)
with open("cmd/bcikit/testdata/psd_bad_r04.json", "w") as f:
    json.dump({"bad": bad, "picks": picks, "freqs": sp.freqs.tolist(), "psd": sp.get_data().tolist()}, f)
