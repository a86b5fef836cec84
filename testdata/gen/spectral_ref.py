"""Reference values for package spectral, computed by SciPy 1.10 and MNE 1.3.

Writes spectral/testdata/welch.json and spectral/testdata/hilbert.json.
Run from the repository root with Debian's Python (SciPy 1.10, MNE 1.3):

    /usr/bin/python3 testdata/gen/spectral_ref.py

The input signals are stored in the fixtures (seeded random signals and the
first 10 s of three channels of eegmmidb S001R04.edf as MNE reads them), so
the Go tests need no data directory.
"""
import json
import os
import sys

import mne
import numpy as np
import scipy
from scipy import integrate, signal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("BCIKIT_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "spectral", "testdata")

EEG_FILE = "eegmmidb/S001/S001R04.edf"
EEG_CHANNELS = ["C3..", "Cz..", "C4.."]


def eeg_slice():
    raw = mne.io.read_raw_edf(os.path.join(DATA, EEG_FILE), preload=True, verbose=False)
    raw.pick(EEG_CHANNELS)
    sfreq = raw.info["sfreq"]
    data = raw.get_data(start=0, stop=int(10 * sfreq))
    return data, sfreq


def random_signals():
    rng = np.random.default_rng(20230501)
    fs = 250.0
    n = 700
    t = np.arange(n) / fs
    a = np.sin(2 * np.pi * 10 * t) + 0.5 * rng.standard_normal(n) + 0.3 * t
    b = 2e-5 * np.cos(2 * np.pi * 31.5 * t + 0.3) + 1e-5 * rng.standard_normal(n)
    short = rng.standard_normal(101)
    return {"rand": [a.tolist(), b.tolist()], "short": [short.tolist()]}, fs


def window_arg(w):
    return (w["name"], w["beta"]) if w["name"] == "kaiser" else w["name"]


def welch_cases(signals, fs_rand, fs_eeg):
    cases = []

    def add(name, sig, fs, **kw):
        x = np.array(signals[sig])
        args = dict(kw)
        if "window" in args:
            args["window"] = window_arg(args["window"])
        f, p = signal.welch(x, fs=fs, **args)
        cases.append({"name": name, "signal": sig, "fs": fs, "kwargs": kw,
                      "freqs": f.tolist(), "psd": np.atleast_2d(p).tolist()})

    add("defaults", "rand", fs_rand)
    add("eeg_defaults", "eeg", fs_eeg)
    add("short_clipped", "short", fs_rand)  # nperseg 256 > 101 samples
    add("nperseg100_overlap30_nfft128", "rand", fs_rand, nperseg=100, noverlap=30, nfft=128)
    add("odd_nfft", "rand", fs_rand, nperseg=99, nfft=101)
    add("no_overlap", "rand", fs_rand, nperseg=64, noverlap=0)
    add("detrend_linear", "rand", fs_rand, nperseg=128, detrend="linear")
    add("detrend_none", "rand", fs_rand, nperseg=128, detrend=False)
    add("spectrum_scaling", "rand", fs_rand, nperseg=128, scaling="spectrum")
    add("median", "rand", fs_rand, nperseg=64, average="median")
    add("median_even_count", "rand", fs_rand, nperseg=100, noverlap=0, average="median")
    add("hamming", "eeg", fs_eeg, window={"name": "hamming", "beta": 0}, nperseg=160)
    add("blackman", "rand", fs_rand, window={"name": "blackman", "beta": 0}, nperseg=90)
    add("boxcar", "rand", fs_rand, window={"name": "boxcar", "beta": 0}, nperseg=90)
    add("bartlett", "rand", fs_rand, window={"name": "bartlett", "beta": 0}, nperseg=91)
    add("flattop", "rand", fs_rand, window={"name": "flattop", "beta": 0}, nperseg=128)
    add("kaiser", "eeg", fs_eeg, window={"name": "kaiser", "beta": 8.6}, nperseg=200)
    add("one_segment", "short", fs_rand, nperseg=101, noverlap=50)
    return cases


def mne_cases(signals, fs_rand, fs_eeg):
    cases = []

    def add(name, sig, sfreq, **kw):
        x = np.array(signals[sig])
        psd, f = mne.time_frequency.psd_array_welch(x, sfreq, verbose=False, **kw)
        cases.append({"name": name, "signal": sig, "sfreq": sfreq, "kwargs": kw,
                      "freqs": f.tolist(), "psd": psd.tolist()})

    add("defaults", "rand", fs_rand)
    add("eeg_defaults", "eeg", fs_eeg)
    add("fmin_fmax", "eeg", fs_eeg, fmin=8.0, fmax=30.0)
    add("band_edges_exact", "eeg", fs_eeg, fmin=5.0, fmax=40.0, n_fft=320)
    add("n_per_seg_overlap", "eeg", fs_eeg, n_fft=512, n_per_seg=160, n_overlap=80)
    add("median", "eeg", fs_eeg, n_fft=160, n_overlap=40, average="median")
    add("hann", "rand", fs_rand, n_fft=128, n_overlap=64, window="hann")
    add("n_per_seg_over_n_fft", "rand", fs_rand, n_fft=100, n_per_seg=300)
    add("short_n_per_seg_clipped", "short", fs_rand, n_fft=200, n_per_seg=150)
    return cases


def compute_psd_cases(data, sfreq):
    """raw.compute_psd() with its defaults, on the EEG slice as a RawArray,
    plain and with a BAD annotation (reject_by_annotation=True -> NaN)."""
    info = mne.create_info(EEG_CHANNELS, sfreq, "eeg")
    cases = []
    raw = mne.io.RawArray(data, info, verbose=False)
    sp = raw.compute_psd(verbose=False)
    cases.append({"name": "compute_psd_defaults", "signal": "eeg", "sfreq": sfreq,
                  "bad": None, "freqs": sp.freqs.tolist(), "psd": sp.get_data().tolist()})
    sp = raw.compute_psd(fmin=1.0, fmax=45.0, verbose=False)
    cases.append({"name": "compute_psd_fmin_fmax", "signal": "eeg", "sfreq": sfreq,
                  "bad": None, "fmin": 1.0, "fmax": 45.0,
                  "freqs": sp.freqs.tolist(), "psd": sp.get_data().tolist()})
    for name, avg in (("compute_psd_bad_span", "mean"), ("compute_psd_bad_span_median", "median")):
        raw = mne.io.RawArray(data, info, verbose=False)
        raw.set_annotations(mne.Annotations([2.0], [1.5], ["BAD_blink"]))
        bad = np.isnan(raw.get_data(reject_by_annotation="NaN")[0])
        start = int(np.argmax(bad))
        stop = start + int(bad.sum())
        assert bad[start:stop].all()
        sp = raw.compute_psd(average=avg, verbose=False)
        cases.append({"name": name, "signal": "eeg", "sfreq": sfreq, "average": avg,
                      "bad": [start, stop], "freqs": sp.freqs.tolist(),
                      "psd": sp.get_data().tolist()})
    return cases


def band_cases(welch, mne_c):
    out = []
    for src, case, fmin, fmax in ((welch, "eeg_defaults", 8.0, 12.0),
                                  (welch, "eeg_defaults", 0.0, 80.0),
                                  (welch, "defaults", 9.0, 11.0),
                                  (welch, "defaults", 9.1, 9.3),  # no bin inside
                                  (mne_c, "eeg_defaults", 13.0, 30.0),
                                  (welch, "odd_nfft", 7.3, 55.9)):
        c = next(c for c in src if c["name"] == case)
        f = np.array(c["freqs"])
        p = np.array(c["psd"])
        m = (f >= fmin) & (f <= fmax)
        trap = integrate.trapezoid(p[:, m], f[m], axis=-1)
        mean = p[:, m].mean(axis=-1) if m.any() else np.full(len(p), np.nan)
        out.append({"source": "mne" if src is mne_c else "welch", "case": case,
                    "fmin": fmin, "fmax": fmax, "n_bins": int(m.sum()),
                    "trapezoid": trap.tolist(),
                    "mean": [None if np.isnan(v) else v for v in mean.tolist()]})
    return out


def hilbert_cases(signals):
    cases = []

    def add(name, sig, ch, n=None, unwrap=False):
        x = np.array(signals[sig][ch])
        a = signal.hilbert(x, N=n)
        cases.append({"name": name, "signal": sig, "channel": ch, "N": n,
                      "real": a.real.tolist(), "imag": a.imag.tolist(),
                      "unwrap": np.unwrap(np.angle(a)).tolist() if unwrap else None})

    add("even", "rand", 0, unwrap=True)
    add("odd", "short", 0)
    add("pad_even", "short", 0, n=128)
    add("pad_odd", "short", 0, n=131)
    add("truncate", "rand", 0, n=500)
    add("prime_length", "hilbert_prime", 0)
    add("eeg", "eeg", 0, unwrap=True)
    return cases


def main():
    data, sfreq = eeg_slice()
    signals, fs_rand = random_signals()
    signals["eeg"] = data.tolist()
    meta = {"scipy": scipy.__version__, "mne": mne.__version__, "numpy": np.__version__,
            "eeg_file": EEG_FILE, "eeg_channels": EEG_CHANNELS, "eeg_seconds": 10}
    welch = welch_cases(signals, fs_rand, sfreq)
    mne_c = mne_cases(signals, fs_rand, sfreq)
    fixture = {"meta": meta, "signals": signals, "welch": welch, "mne_welch": mne_c,
               "compute_psd": compute_psd_cases(data, sfreq),
               "band_power": band_cases(welch, mne_c)}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "welch.json"), "w") as f:
        json.dump(fixture, f, allow_nan=False)

    hsig = {"rand": [signals["rand"][0]],
            "short": signals["short"],
            "eeg": [signals["eeg"][1][:400]],
            "hilbert_prime": [np.random.default_rng(7).standard_normal(127).tolist()]}
    hfix = {"meta": meta, "signals": hsig, "hilbert": hilbert_cases(hsig)}
    with open(os.path.join(OUT, "hilbert.json"), "w") as f:
        json.dump(hfix, f, allow_nan=False)


if __name__ == "__main__":
    sys.exit(main())
