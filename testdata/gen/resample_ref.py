"""Reference values for package resample, computed by SciPy 1.10 and MNE 1.3.

Writes resample/testdata/resample.json. Run from the repository root with
Debian's Python (SciPy 1.10, MNE 1.3):

    /usr/bin/python3 testdata/gen/resample_ref.py

The input signals are stored in the fixture (seeded random signals and the
first 10 s of three channels of eegmmidb S001R04.edf as MNE reads them), so
the Go tests need no data directory. Outputs of the random signals are
stored whole; those of the EEG at a fixed set of indices (first and last 20
and 120 spread between) with per-channel sums.
"""
import json
import os
import sys

import mne
import numpy as np
import scipy
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("BCIKIT_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "resample", "testdata")

EEG_FILE = "eegmmidb/S001/S001R04.edf"
EEG_CHANNELS = ["C3..", "Cz..", "C4.."]


def eeg_slice():
    raw = mne.io.read_raw_edf(os.path.join(DATA, EEG_FILE), preload=True, verbose=False)
    events, _ = mne.events_from_annotations(raw, verbose=False)
    raw.pick(EEG_CHANNELS)
    sfreq = raw.info["sfreq"]
    n = int(10 * sfreq)
    events = events[events[:, 0] < n]
    return raw.get_data(start=0, stop=n), sfreq, events


def sample_indices(n):
    idx = np.concatenate([np.arange(min(20, n)), np.arange(max(0, n - 20), n),
                          np.linspace(0, n - 1, 120).astype(np.int64)])
    return np.unique(idx)


def summary(y):
    """The whole output for short signals, indices and sums for long ones."""
    y = np.atleast_2d(y)
    if y.shape[1] <= 250:
        return {"n": int(y.shape[1]), "values": y.tolist()}
    idx = sample_indices(y.shape[1])
    return {"n": int(y.shape[1]), "indices": idx.tolist(), "values": y[:, idx].tolist(),
            "sum": y.sum(axis=1).tolist(), "sumsq": (y * y).sum(axis=1).tolist()}


def poly_cases(signals):
    cases = []

    def add(name, sig, up, down, **kw):
        x = np.array(signals[sig])
        args = dict(kw)
        if "window" in args and isinstance(args["window"], list):
            args["window"] = np.array(args["window"])
        y = signal.resample_poly(x, up, down, axis=-1, **args)
        cases.append({"name": name, "signal": sig, "up": up, "down": down, "kwargs": kw,
                      "out": summary(y)})

    add("down2", "rand", 1, 2)
    add("up2", "rand", 2, 1)
    add("up3_down2", "rand", 3, 2)
    add("up2_down3", "rand", 2, 3)
    add("gcd_6_4", "rand", 6, 4)
    add("identity", "rand", 5, 5)
    add("down7", "rand", 1, 7)
    add("160_to_250", "rand", 25, 16)
    add("short_long_filter", "short", 25, 16)
    add("pad_mean", "rand", 3, 2, padtype="mean")
    add("pad_median", "rand", 2, 3, padtype="median")
    add("pad_minimum", "rand", 7, 3, padtype="minimum")
    add("pad_maximum", "rand", 7, 3, padtype="maximum")
    add("hamming", "rand", 3, 4, window="hamming")
    add("kaiser8", "rand", 5, 3, window=("kaiser", 8.0))
    add("taps", "rand", 3, 2, window=[0.1, 0.25, 0.3, 0.25, 0.1, -0.05])
    add("eeg_160_to_250", "eeg", 25, 16)
    add("eeg_160_to_100", "eeg", 5, 8)
    return cases


def fft_cases(signals):
    cases = []

    def add(name, sig, up, down, **kw):
        x = np.array(signals[sig])
        y = mne.filter.resample(x, up, down, verbose=False, **kw)
        cases.append({"name": name, "signal": sig, "up": up, "down": down, "kwargs": kw,
                      "out": summary(y)})

    add("up2_auto", "rand", 2.0, 1.0, npad="auto")
    add("down2_auto", "rand", 1.0, 2.0, npad="auto")
    add("default_npad100", "rand", 3.0, 2.0)
    add("npad0", "rand", 1.0, 3.0, npad=0)
    add("npad37_ratio_0625", "rand", 100.0, 160.0, npad=37)
    add("ratio_15625", "rand", 250.0, 160.0, npad="auto")
    add("odd_length", "odd", 250.0, 160.0, npad="auto")
    add("odd_length_down", "odd", 100.0, 160.0, npad=10)
    add("identity", "rand", 1.0, 1.0, npad="auto")
    add("prime_new_length", "rand", 307.0, 300.0, npad=0)
    add("half_rounding", "odd", 3.0, 2.0, npad=0)
    add("hann_window", "rand", 2.0, 3.0, npad="auto", window="hann")
    add("pad_edge", "rand", 3.0, 2.0, npad=50, pad="edge")
    add("pad_constant", "rand", 2.0, 3.0, npad=50, pad="constant")
    add("short_reflect_beyond", "short", 3.0, 1.0, npad=15)
    add("short_auto", "short", 2.5, 1.0, npad="auto")
    add("eeg_250", "eeg", 250.0, 160.0, npad="auto")
    return cases


def raw_cases(data, sfreq, events):
    """raw.resample(sfreq) with its defaults, on the EEG slice plus a stim
    channel holding the events of its annotations as 1-sample pulses."""
    cases = []
    stim = np.zeros(data.shape[1])
    stim[events[:, 0]] = events[:, 2]
    stim[events[:, 0] + 1] = events[:, 2]  # some pulses 2 samples long
    stim[1205] = 7  # a lone 1-sample pulse
    info = mne.create_info(EEG_CHANNELS + ["STI"], sfreq, ["eeg"] * 3 + ["stim"])
    for new in (250.0, 100.0, 63.0):
        raw = mne.io.RawArray(np.vstack([data, stim]), info, verbose=False)
        raw.resample(new, verbose=False)
        y = raw.get_data()
        nz = np.nonzero(y[3])[0]
        cases.append({"name": "raw_resample_%g" % new, "sfreq": sfreq, "new_sfreq": new,
                      "out": summary(y[:3]),
                      "stim_nonzero": nz.tolist(), "stim_values": y[3, nz].tolist(),
                      "n_times": int(raw.n_times)})
    return {"stim": stim.tolist(), "cases": cases}


def main():
    data, sfreq, events = eeg_slice()
    rng = np.random.default_rng(20230502)
    n = 300
    t = np.arange(n) / 160.0
    rand = np.sin(2 * np.pi * 7 * t) + 0.4 * rng.standard_normal(n) + 0.2
    odd = np.cos(2 * np.pi * 11 * np.arange(299) / 160.0) + 0.1 * rng.standard_normal(299)
    signals = {"rand": [rand.tolist()], "odd": [odd.tolist()],
               "short": [rng.standard_normal(10).tolist()], "eeg": data.tolist()}
    meta = {"scipy": scipy.__version__, "mne": mne.__version__, "numpy": np.__version__,
            "eeg_file": EEG_FILE, "eeg_channels": EEG_CHANNELS, "eeg_seconds": 10}
    fixture = {"meta": meta, "signals": signals, "poly": poly_cases(signals),
               "fft": fft_cases(signals), "raw": raw_cases(data, sfreq, events)}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "resample.json"), "w") as f:
        json.dump(fixture, f, allow_nan=False)


if __name__ == "__main__":
    sys.exit(main())
