"""Reference filter designs for bcikit's dsp package (SciPy 1.10, MNE 1.3).

Writes dsp/testdata/design.json: IIR second-order sections for a grid of
butter/cheby1/cheby2/ellip designs, iirnotch, firwin for each window, the
special functions the designs rely on, and MNE's default FIR design
(mne.filter.create_filter with all defaults).
Run from the repository root with /usr/bin/python3.
"""
import json
import os

import mne
import numpy as np
import scipy
from scipy import signal, special

OUT = "dsp/testdata/design.json"


def iir_grid():
    cases = []
    bands = [
        ("lowpass", [30.0], 160.0),
        ("highpass", [0.5], 250.0),
        ("bandpass", [7.0, 30.0], 160.0),
        ("bandstop", [48.0, 52.0], 1000.0),
        ("lowpass", [470.0], 1000.0),
        ("bandpass", [0.1, 40.0], 512.0),
    ]
    for ftype in ["butter", "cheby1", "cheby2", "ellip"]:
        for order in [1, 2, 3, 4, 5, 8]:
            for btype, freqs, fs in bands:
                rp, rs = 0.5, 40.0
                if ftype == "butter":
                    sos = signal.butter(order, freqs, btype, output="sos", fs=fs)
                elif ftype == "cheby1":
                    sos = signal.cheby1(order, rp, freqs, btype, output="sos", fs=fs)
                elif ftype == "cheby2":
                    sos = signal.cheby2(order, rs, freqs, btype, output="sos", fs=fs)
                else:
                    sos = signal.ellip(order, rp, rs, freqs, btype, output="sos", fs=fs)
                cases.append(dict(ftype=ftype, order=order, rp=rp, rs=rs, freqs=freqs,
                                  btype=btype, fs=fs, sos=sos.tolist()))
    # Other ripples for the elliptic and Chebyshev prototypes.
    for rp, rs in [(0.1, 60.0), (1.0, 20.0), (3.0, 80.0)]:
        for order in [3, 4, 7]:
            sos = signal.ellip(order, rp, rs, [10.0, 20.0], "bandpass", output="sos", fs=100.0)
            cases.append(dict(ftype="ellip", order=order, rp=rp, rs=rs, freqs=[10.0, 20.0],
                              btype="bandpass", fs=100.0, sos=sos.tolist()))
            sos = signal.cheby1(order, rp, [10.0], "highpass", output="sos", fs=100.0)
            cases.append(dict(ftype="cheby1", order=order, rp=rp, rs=rs, freqs=[10.0],
                              btype="highpass", fs=100.0, sos=sos.tolist()))
            sos = signal.cheby2(order, rs, [10.0, 20.0], "bandstop", output="sos", fs=100.0)
            cases.append(dict(ftype="cheby2", order=order, rp=rp, rs=rs, freqs=[10.0, 20.0],
                              btype="bandstop", fs=100.0, sos=sos.tolist()))
    return cases


def firwin_grid():
    cases = []
    specs = [
        (51, [30.0], True, 160.0),
        (51, [0.5], False, 250.0),
        (64, [7.0, 30.0], False, 160.0),
        (65, [48.0, 52.0], True, 1000.0),
        (33, [10.0, 20.0, 30.0, 40.0], True, 100.0),
        (1, [10.0], True, 100.0),
        (4, [10.0], True, 100.0),
    ]
    windows = [("hamming", 0.0), ("hann", 0.0), ("blackman", 0.0), ("kaiser", 8.6),
               ("kaiser", 0.5), ("boxcar", 0.0)]
    for numtaps, cutoff, pass_zero, fs in specs:
        for name, beta in windows:
            win = (name, beta) if name == "kaiser" else name
            h = signal.firwin(numtaps, cutoff, window=win, pass_zero=pass_zero, fs=fs)
            cases.append(dict(numtaps=numtaps, cutoff=cutoff, window=name, beta=beta,
                              pass_zero=pass_zero, fs=fs, h=h.tolist()))
    return cases


def mne_grid():
    cases = []
    specs = [
        (160.0, 7.0, 30.0), (160.0, 1.0, None), (160.0, None, 40.0), (160.0, 0.5, 40.0),
        (250.0, 40.0, 8.0), (1000.0, 2.0, 100.0), (512.0, 13.0, 15.0), (256.0, None, 127.0),
        (100.0, 45.0, None), (160.0, 30.0, 7.0),
    ]
    x = np.zeros((1, 100000))
    for sfreq, l_freq, h_freq in specs:
        h = mne.filter.create_filter(x, sfreq, l_freq, h_freq, verbose=False)
        # The filter is symmetric: store its first half (middle included).
        cases.append(dict(sfreq=sfreq, l_freq=l_freq, h_freq=h_freq, n=len(h),
                          h_half=h[:(len(h) + 1) // 2].tolist()))
    return cases


def special_values():
    xs = [0.0, 0.3, 1.0, 2.5, 7.9, 8.0, 8.1, 14.0, 30.0, 100.0, 700.0]
    ms = [0.0, 1e-12, 1e-9, 0.1, 0.5, 0.9, 0.999, 1 - 1e-11, 1.0]
    us = [0.0, 0.3, 1.0, 2.7, -1.2]
    return dict(
        i0=[[x, float(special.i0(x))] for x in xs],
        ellipk=[[m, float(special.ellipk(m))] for m in ms[:-1]],
        ellipkm1=[[m, float(special.ellipkm1(m))] for m in ms[1:]],
        ellipj=[[u, m] + [float(v) for v in special.ellipj(u, m)] for u in us for m in ms],
    )


def main():
    notch = []
    for w0, q, fs in [(50.0, 30.0, 1000.0), (60.0, 35.0, 256.0), (0.5, 1.0, 10.0)]:
        b, a = signal.iirnotch(w0, q, fs)
        notch.append(dict(w0=w0, Q=q, fs=fs, b=b.tolist(), a=a.tolist()))
    out = dict(scipy_version=scipy.__version__, mne_version=mne.__version__,
               iir=iir_grid(), notch=notch, firwin=firwin_grid(), mne=mne_grid(),
               special=special_values())
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
