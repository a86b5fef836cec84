"""Reference fixtures for bcikit's edf package, from MNE-Python 1.3.

Run from the repository root with Debian's MNE:
    BCIKIT_DATA=../shared/data /usr/bin/python3 testdata/gen/edf_ref.py

For every EDF/BDF file in the data directory it writes
  edf/testdata/ref_<name>.json  mneref.dump of the file read with
                                read_raw_edf/read_raw_bdf(preload=True),
                                picked to a few channels (the fixture format
                                stores 340 samples per channel, so all 139
                                channels of test.edf would weigh a megabyte);
and for all files together
  edf/testdata/ref_channels.json every channel's name, type, unit and
                                 sum / sum|x| / max|x| over all samples.
Together they check every channel (sums) and the chosen ones sample by sample.

It also reads the files bcikit wrote (edf/testdata/written_*.edf, made by
`go test ./edf -run TestWrittenFixtures -update`) so that the tests know MNE
reads bcikit's output correctly.
"""
import glob
import json
import os
import sys

import mne
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from mneref import dump, _UNITS  # noqa: E402

DATA = os.environ.get("BCIKIT_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "edf", "testdata")

# Channels compared sample by sample (all channels are compared by their sums).
PICKS = {
    "formats/EDF/test_reduced.edf": ["A1", "A2", "A10", "A11", "I8", "Ergo-Left", "Ergo-Right", "Status"],
    "formats/EDF/subsecond_starttime.edf": None,
    "formats/EDF/test_utf8_annotations.edf": ["squarewave", "ramp", "sine 50 Hz"],
    "formats/mne/test.edf": ["A1", "B7", "Ergo-Left", "Status"],
    "formats/mne/test_edf_stim_channel.edf": ["EEG Fp1", "ECG ECG2", "DIG DTRIG"],
    "formats/mne/test_uneven_samp.edf": None,
    "formats/mne/test.bdf": ["Fp1", "Cz", "EXG8", "Status"],
    "formats/BDF/test_bdf_stim_channel.bdf": None,
}


def name_of(rel):
    stem, ext = os.path.splitext(rel.replace("formats/", "").replace("/", "_"))
    return stem + ("_bdf" if ext == ".bdf" else "")


def read(path):
    if path.endswith(".bdf"):
        return "read_raw_bdf", mne.io.read_raw_bdf(path, preload=True, verbose=False)
    return "read_raw_edf", mne.io.read_raw_edf(path, preload=True, verbose=False)


def main():
    files = dict(PICKS)
    for i, p in enumerate(sorted(glob.glob(os.path.join(DATA, "eegmmidb", "S001", "*.edf")))):
        rel = os.path.relpath(p, DATA)
        files[rel] = None  # filled below: run 3 gets three channels, the others one
    summary = {}
    for rel, picks in files.items():
        reader, raw = read(os.path.join(DATA, rel))
        data = raw.get_data()
        summary[rel] = {
            "ch_names": list(raw.ch_names),
            "ch_types": list(raw.get_channel_types()),
            "units": [_UNITS.get(int(ch["unit"]), str(int(ch["unit"]))) for ch in raw.info["chs"]],
            "sum": data.sum(axis=1).tolist(),
            "sumabs": np.abs(data).sum(axis=1).tolist(),
            "maxabs": np.abs(data).max(axis=1).tolist(),
        }
        if rel.startswith("eegmmidb/"):
            run = int(rel[-6:-4])
            picks = [raw.ch_names[i] for i in ([0, 31, 63] if run == 3 else [(run * 5) % 64])]
        if picks is not None:
            raw.pick(picks)
        dump(raw, rel, os.path.join(OUT, "ref_%s.json" % name_of(rel)), reader=reader, kwargs={})
    with open(os.path.join(OUT, "ref_channels.json"), "w") as f:
        json.dump(summary, f, separators=(",", ":"))

    # Files written by bcikit: MNE's reading of them, all channels.
    for p in sorted(glob.glob(os.path.join(OUT, "written_*.[eb]df"))):
        reader, raw = read(p)
        rel = "edf/testdata/" + os.path.basename(p)
        dump(raw, rel, os.path.join(OUT, "ref_" + os.path.splitext(os.path.basename(p))[0] + ".json"),
             reader=reader, kwargs={})


if __name__ == "__main__":
    main()
