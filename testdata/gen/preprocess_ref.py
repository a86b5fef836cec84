"""Reference Raw-level preprocessing for package preprocess: MNE 1.3's
raw.filter / notch_filter / resample with defaults on real recordings, dumped
in the shared fixture format. Run from the repo root:
/usr/bin/python3 testdata/gen/preprocess_ref.py"""
import os
import sys

import mne

sys.path.insert(0, os.path.dirname(__file__))
from mneref import dump  # noqa: E402

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")


def edf(rel):
    return mne.io.read_raw_edf(os.path.join(DATA, rel), preload=True, verbose=False)


def fif(rel):
    return mne.io.read_raw_fif(os.path.join(DATA, rel), preload=True, verbose=False)


R04 = "eegmmidb/S001/S001R04.edf"
SSVEP = "ssvep-exo/subject01/record-[2012.07.06-19.02.16]_raw.fif"
CASES = [
    ("bandpass_fir_r04", R04, edf, lambda r: r.filter(7.0, 30.0, verbose=False), {"l_freq": 7, "h_freq": 30}),
    ("highpass_fir_r04", R04, edf, lambda r: r.filter(1.0, None, verbose=False), {"l_freq": 1, "h_freq": None}),
    ("lowpass_fir_r04", R04, edf, lambda r: r.filter(None, 40.0, verbose=False), {"l_freq": None, "h_freq": 40}),
    ("bandpass_iir_r04", R04, edf, lambda r: r.filter(8.0, 30.0, method="iir", verbose=False),
     {"l_freq": 8, "h_freq": 30, "method": "iir"}),
    ("bandpass_iir_order2_r04", R04, edf,
     lambda r: r.filter(8.0, 30.0, method="iir", iir_params=dict(order=2, ftype="butter"), verbose=False),
     {"l_freq": 8, "h_freq": 30, "method": "iir", "order": 2}),
    ("highpass_iir_order6_ssvep", "ssvep-exo/subject01/record-[2012.07.06-19.02.16]_raw.fif", None,
     lambda r: r.filter(1.0, None, method="iir", iir_params=dict(order=6, ftype="butter"), verbose=False),
     {"l_freq": 1, "h_freq": None, "method": "iir", "order": 6}),
    ("notch_r04", R04, edf, lambda r: r.notch_filter([50.0], verbose=False), {"notch": [50]}),
    ("notch2_ssvep", SSVEP, fif, lambda r: r.notch_filter([50.0, 100.0], verbose=False), {"notch": [50, 100]}),
    ("resample100_r04", R04, edf, lambda r: r.resample(100.0, verbose=False), {"resample": 100}),
    ("bandpass_ssvep", SSVEP, fif, lambda r: r.filter(5.0, 45.0, verbose=False), {"l_freq": 5, "h_freq": 45}),
    ("resample128_ssvep", SSVEP, fif, lambda r: r.resample(128.0, verbose=False), {"resample": 128}),
]
for name, rel, read, op, kw in CASES:
    raw = (read or fif)(rel)
    op(raw)
    dump(raw, rel, f"preprocess/testdata/{name}.json", reader="mne 1.3", kwargs=kw, spread=40, edge=5)
    print(name, raw.get_data().shape)
