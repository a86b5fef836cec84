"""Reference epochs for package epochs: mne.Epochs(...).get_data() on EEGMMIDB
runs, summarised (per epoch×channel sums and sampled values) to keep the
fixture small. Run from the repo root: /usr/bin/python3 testdata/gen/epochs_ref.py
"""
import json
import os

import mne
import numpy as np

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
CASES = [
    # name, run, event_id, tmin, tmax, baseline, reject, decim
    ("r04_lr", "S001/S001R04.edf", {"T1": 1, "T2": 2}, -1.0, 4.0, (None, 0), None, 1),
    ("r06_nobase_decim2", "S001/S001R06.edf", {"T1": 1, "T2": 2}, 0.0, 2.0, None, None, 2),
    ("r04_reject", "S001/S001R04.edf", {"T0": 3, "T1": 1, "T2": 2}, -0.5, 1.5, (-0.5, 0.0), 250e-6, 1),
    ("r08_decim3", "S001/S001R08.edf", {"T1": 1, "T2": 2}, -0.2, 0.5, (None, 0), 200e-6, 3),
    ("r10_edge", "S001/S001R10.edf", {"T0": 1, "T1": 2, "T2": 3}, -2.0, 4.2, (None, None), None, 1),
]
rng = np.random.default_rng(7)
for name, rel, event_id, tmin, tmax, baseline, reject, decim in CASES:
    raw = mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb", rel), preload=True, verbose=False)
    events, _ = mne.events_from_annotations(raw, event_id=event_id, verbose=False)
    ep = mne.Epochs(raw, events, event_id, tmin=tmin, tmax=tmax, baseline=baseline,
                    reject=None if reject is None else dict(eeg=reject), decim=decim,
                    preload=True, verbose=False)
    x = ep.get_data()
    n = x.size
    pick = rng.choice(n, size=min(600, n), replace=False) if n else np.array([], int)
    e, c, t = np.unravel_index(pick, x.shape)
    out = {
        "file": "eegmmidb/" + rel, "event_id": event_id, "tmin": tmin, "tmax": tmax,
        "baseline": None if baseline is None else list(baseline), "reject_eeg": reject, "decim": decim,
        "events": events.tolist(), "shape": list(x.shape), "times": ep.times.tolist(),
        "sfreq": ep.info["sfreq"], "selection": ep.selection.tolist(),
        "drop_log": [list(d) for d in ep.drop_log], "labels": ep.events[:, 2].tolist(),
        "sums": x.sum(axis=2).tolist(), "maxabs": float(np.abs(x).max()) if n else 0.0,
        "at": np.stack([e, c, t]).T.tolist(), "values": x[e, c, t].tolist(),
    }
    with open(f"epochs/testdata/{name}.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(name, x.shape, "dropped", sum(1 for d in ep.drop_log if d))
