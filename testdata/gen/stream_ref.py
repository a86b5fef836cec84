"""Reference for package stream: what a replay of a recording must carry,
from MNE-Python — the header (channel names, units, types, rate), the markers
(mne.events_from_annotations with its default codes, samples counted from
the first sample of the data) and the samples at a few indices.
Run from the repo root: /usr/bin/python3 testdata/gen/stream_ref.py"""
import json
import os

import mne
import numpy as np
from mne.io.constants import FIFF

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
UNITS = {FIFF.FIFF_UNIT_V: "V", FIFF.FIFF_UNIT_NONE: "NA", FIFF.FIFF_UNIT_CEL: "C"}
FILES = [("eegmmidb/S001/S001R04.edf", mne.io.read_raw_edf),
         ("formats/BrainVision/test.vhdr", mne.io.read_raw_brainvision)]

out = []
for rel, reader in FILES:
    raw = reader(os.path.join(DATA, rel), preload=True, verbose=False)
    ev, ids = mne.events_from_annotations(raw, verbose=False)
    labels = {v: k for k, v in ids.items()}
    data = raw.get_data()
    n = data.shape[1]
    idx = sorted(set([0, 1, 2, n // 3, n // 2, n - 2, n - 1]))
    chans = [0, len(raw.ch_names) // 2, len(raw.ch_names) - 1]
    out.append({
        "file": rel,
        "channels": raw.ch_names,
        "units": [UNITS.get(c["unit"], str(c["unit"])) for c in raw.info["chs"]],
        "types": raw.get_channel_types(),
        "sfreq": raw.info["sfreq"],
        "n_times": n,
        "markers": [[int(s - raw.first_samp), int(c), labels[int(c)]] for s, _, c in ev],
        "sample_channels": chans,
        "sample_indices": idx,
        "samples": [[float(data[c, i]) for i in idx] for c in chans],
    })
# MNE's default ("auto") codes for annotations of a FIF-like raw (RawArray):
# BrainVision codes when every description is a BrainVision marker, else
# 1, 2, ... in sorted order.
codes = []
for descs in (["Stimulus/S  1", "Response/R 12", "New Segment/", "Optic/O  3", "Stimulus/S 99",
               "SyncStatus/Sync On", "Event/  7", "Stimulus/S  1"],
              ["Stimulus/S  1", "Response/R 12", "Comment/hello", "BAD_x", "New Segment/", "Zeta", "Stimulus/S1x"],
              ["Stimulus/S 1234", "Response/R  5", "Stimulus/S", "Optic/O", "Response/R 1"]):
    ra = mne.io.RawArray(np.zeros((1, 1000)), mne.create_info(["a"], 100.0, "eeg"), verbose=False)
    ra.set_annotations(mne.Annotations(np.arange(len(descs)) * 0.5 + 0.1, 0.0, descs))
    _, ids = mne.events_from_annotations(ra, verbose=False)
    codes.append({"descriptions": descs, "codes": ids})
with open("stream/testdata/mne_replay.json", "w") as f:
    json.dump({"files": out, "codes": codes}, f, indent=0)
