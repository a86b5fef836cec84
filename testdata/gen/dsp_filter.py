"""Reference filter outputs for bcikit's dsp package (SciPy 1.10, MNE 1.3).

Writes dsp/testdata/filter.json. The input is a seeded random signal
(2 channels x 2000 samples, rounded to 1e-4 so the JSON holds it exactly)
and the first 1000 samples of 2 EEG channels of EEGMMIDB S001R04 read with
MNE. Outputs are stored at a subset of sample indices (all of the first and
last 60 samples, where padding matters, and every 31st sample between),
with 14 significant digits.
Run from the repository root with /usr/bin/python3.
"""
import json
import os

import mne
import numpy as np
import scipy
from scipy import signal

OUT = "dsp/testdata/filter.json"
EDF = os.path.join(os.environ.get("BCIKIT_DATA", "../shared/data"), "eegmmidb/S001/S001R04.edf")


def indices(n):
    return sorted(set(range(min(60, n))) | set(range(max(0, n - 60), n)) | set(range(0, n, 31)))


def sample(y, idx):
    y = np.atleast_2d(y)
    return [[float("%.14g" % v) for v in row[idx]] for row in y]


def main():
    rng = np.random.default_rng(20230114)
    n = 2000
    t = np.arange(n) / 160.0
    x = np.round(np.vstack([
        np.cumsum(rng.standard_normal(n)) + 5 * np.sin(2 * np.pi * 10 * t) + 3 * np.sin(2 * np.pi * 60 * t),
        20 * rng.standard_normal(n) + 100,
    ]), 4)
    idx = indices(n)
    cases = []

    def add(kind, y, **params):
        cases.append(dict(kind=kind, params=params, y=sample(y, idx)))

    designs = {
        "butter4_bp": signal.butter(4, [7, 30], "bandpass", output="sos", fs=160.0),
        "cheby1_5_lp": signal.cheby1(5, 0.5, 20, "lowpass", output="sos", fs=160.0),
        "ellip4_hp": signal.ellip(4, 0.5, 40, 1.0, "highpass", output="sos", fs=160.0),
        "cheby2_3_bs": signal.cheby2(3, 40, [55, 65], "bandstop", output="sos", fs=160.0),
    }
    for name, sos in designs.items():
        add("sosfiltfilt", signal.sosfiltfilt(sos, x), design=name, padlen=-1)
    sos = designs["butter4_bp"]
    add("sosfiltfilt", signal.sosfiltfilt(sos, x, padlen=0), design="butter4_bp", padlen=0)
    add("sosfiltfilt", signal.sosfiltfilt(sos, x, padlen=300), design="butter4_bp", padlen=300)
    add("sosfilt", signal.sosfilt(sos, x), design="butter4_bp")
    zi = signal.sosfilt_zi(sos)
    y, _ = signal.sosfilt(sos, x[0], zi=zi * x[0, 0])
    add("sosfilt_zi", y, design="butter4_bp")

    b, a = signal.butter(3, 0.2, "lowpass")
    add("lfilter", signal.lfilter(b, a, x), b=b.tolist(), a=a.tolist())
    add("filtfilt", signal.filtfilt(b, a, x), b=b.tolist(), a=a.tolist(), padlen=-1)
    b2, a2 = signal.iirnotch(60.0, 30.0, 160.0)
    add("filtfilt", signal.filtfilt(b2, a2, x, padlen=50), b=b2.tolist(), a=a2.tolist(), padlen=50)

    for l_freq, h_freq in [(7.0, 30.0), (1.0, None), (None, 40.0), (30.0, 7.0), (0.5, 70.0)]:
        y = mne.filter.filter_data(x, 160.0, l_freq, h_freq, verbose=False)
        add("filter_data_fir", y, l_freq=l_freq, h_freq=h_freq)
    for l_freq, h_freq in [(7.0, 30.0), (1.0, None), (None, 40.0), (30.0, 7.0)]:
        y = mne.filter.filter_data(x, 160.0, l_freq, h_freq, method="iir", verbose=False)
        add("filter_data_iir", y, l_freq=l_freq, h_freq=h_freq)
    add("notch", mne.filter.notch_filter(x, 160.0, [60.0], verbose=False), freqs=[60.0])
    add("notch", mne.filter.notch_filter(x, 160.0, [10.0, 50.0], verbose=False), freqs=[10.0, 50.0])

    # A signal shorter than the FIR filter (reflect_limited padding regime).
    xs = x[:, :150]
    ys = mne.filter.filter_data(xs, 160.0, 1.0, None, verbose=False)
    short = dict(x=xs.tolist(), y=ys.tolist(), l_freq=1.0, h_freq=None)

    ringing = []
    for name, sos in designs.items():
        ringing.append(dict(design=name, n=int(mne.filter.estimate_ringing_samples(sos))))

    # Real data: EEGMMIDB S001R04, first 1000 samples of two EEG channels.
    raw = mne.io.read_raw_edf(EDF, preload=True, verbose=False)
    raw.pick(["C3..", "Cz.."]).crop(tmax=(1000 - 1) / raw.info["sfreq"])
    xr = raw.get_data()
    assert xr.shape == (2, 1000)
    ridx = indices(1000)
    yf = raw.copy().filter(7.0, 30.0, verbose=False).get_data()
    assert np.array_equal(yf, mne.filter.filter_data(xr, 160.0, 7.0, 30.0, verbose=False))
    yi = raw.copy().filter(7.0, 30.0, method="iir", verbose=False).get_data()
    yn = raw.copy().notch_filter(60.0, verbose=False).get_data()
    real = dict(file="eegmmidb/S001/S001R04.edf", channels=["C3..", "Cz.."], x=xr.tolist(),
                indices=ridx, fir_7_30=sample(yf, ridx), iir_7_30=sample(yi, ridx),
                notch_60=sample(yn, ridx))

    out = dict(scipy_version=scipy.__version__, mne_version=mne.__version__,
               x=x.tolist(), indices=idx,
               designs={k: v.tolist() for k, v in designs.items()},
               cases=cases, short=short, ringing=ringing, real=real)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
