"""Reference values for package cca: the SSVEP CCA decoder of MOABB 0.4.6
(moabb.pipelines.classification.SSVEP_CCA) and the exact first canonical
correlation it approximates.

MOABB cannot be installed here, so this script carries a NumPy transcription
of SSVEP_CCA (reference signals, sklearn CCA(n_components=1) per trial and
frequency, np.corrcoef of the two first canonical variates, argmax). The CCA
itself is the real sklearn.cross_decomposition.CCA, run twice:

  - with sklearn's defaults (max_iter=500, tol=1e-6), as MOABB runs it: these
    correlations give MOABB's predictions;
  - with max_iter=5000, tol=1e-12: NIPALS converged as far as it goes.

The exact first canonical correlation is computed from orthonormal bases of
the centred variables (QR, or a rank-truncated SVD when variables are linearly
dependent) and the largest singular value of Qx^T Qy.

Real data: SSVEP-Exo subject 01, both sessions, read with MNE 1.3, band-pass
7-45 Hz IIR (raw.filter(7, 45, method='iir')), epochs 2-5 s after codes 2, 3,
4 (13, 21, 17 Hz) without baseline, x 1e6 (MOABB's SSVEP paradigm). The Go
test cuts the same trials with bcikit's fif, preprocess and epochs packages
(they agree with MNE to ~1e-10 of each channel's peak, the correlations to
~1e-15), so no trial data is stored.

Run from the repo root:

    BCIKIT_DATA=/work/shared/data /usr/bin/python3 testdata/gen/cca_ref.py
"""
import json
import os
import warnings

import mne
import numpy as np
from sklearn.cross_decomposition import CCA

mne.set_log_level("error")
warnings.simplefilter("ignore")  # sklearn's ConvergenceWarning at tol=1e-12
DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "cca/testdata/cca_ref.json"

SESSIONS = [
    "ssvep-exo/subject01/record-[2012.07.06-19.02.16]",
    "ssvep-exo/subject01/record-[2012.07.06-19.06.14]",
]
# event code -> stimulation frequency (MOABB's SSVEPExo event_id order)
EXO_FREQS = {2: 13.0, 4: 17.0, 3: 21.0}


# --- MOABB 0.4.6 SSVEP_CCA, transcribed ------------------------------------

def moabb_references(freqs, slen, n_times, n_harmonics):
    """SSVEP_CCA.fit: Y_f = [sin(2 pi f h t), cos(2 pi f h t)], h = 1..H,
    t = np.linspace(0, slen, n_times)."""
    yf = {}
    for k, freq in freqs.items():
        rows = []
        for h in range(1, n_harmonics + 1):
            rows.append(np.sin(2 * np.pi * freq * h * np.linspace(0, slen, n_times)))
            rows.append(np.cos(2 * np.pi * freq * h * np.linspace(0, slen, n_times)))
        yf[k] = np.array(rows)
    return yf


def sklearn_corr(x, yf, **kw):
    """One step of SSVEP_CCA.predict: fit_transform then np.corrcoef."""
    cca = CCA(n_components=1, **kw)
    sx, sy = cca.fit_transform(x.T, yf.T)
    return np.corrcoef(sx.T, sy.T)[0, 1]


def moabb_predict(X, yf):
    """SSVEP_CCA.predict with sklearn's default CCA: the class whose
    reference has the largest correlation (first one on ties, dict order)."""
    out = []
    for x in X:
        corr = {k: sklearn_corr(x, y) for k, y in yf.items()}
        out.append(max(corr, key=lambda k: corr[k]))
    return out


# --- exact first canonical correlation ----------------------------------

def basis(a, rank_tol=1e-9):
    """Orthonormal basis (columns) of the centred rows of a (variables x
    samples). Full rank: Householder QR. Otherwise the left singular vectors
    whose singular values exceed rank_tol times the largest."""
    ac = (a - a.mean(axis=1, keepdims=True)).T
    u, s, _ = np.linalg.svd(ac, full_matrices=False)
    r = int(np.sum(s > rank_tol * s[0]))
    if r == ac.shape[1]:
        q, _ = np.linalg.qr(ac)
        return q
    return u[:, :r]


def exact_corr(x, y):
    qx, qy = basis(x), basis(y)
    return float(np.linalg.svd(qx.T @ qy, compute_uv=False)[0])


def corrs(x, yf):
    return {
        "exact": [exact_corr(x, y) for y in yf.values()],
        "sklearn_tight": [float(sklearn_corr(x, y, max_iter=5000, tol=1e-12)) for y in yf.values()],
        "sklearn_default": [float(sklearn_corr(x, y)) for y in yf.values()],
    }


# --- real data ------------------------------------------------------------

def exo_trials(stem):
    raw = mne.io.read_raw_fif(os.path.join(DATA, stem + "_raw.fif"), preload=True)
    raw.filter(7, 45, method="iir")
    events = mne.read_events(os.path.join(DATA, stem + "-eve.fif"))
    ep = mne.Epochs(raw, events, event_id={"13": 2, "21": 3, "17": 4}, tmin=2, tmax=5,
                    baseline=None, picks="eeg", preload=True)
    return ep.get_data() * 1e6, ep.events[:, 2], raw.info["sfreq"]


def real_case():
    trials, labels, sfreq = [], [], None
    for stem in SESSIONS:
        x, y, sfreq = exo_trials(stem)
        trials.append(x)
        labels.append(y)
    X = np.concatenate(trials)
    y = np.concatenate(labels)
    n_times = X.shape[2]
    slen = 5.0 - 2.0  # interval[1] - interval[0]
    yf = moabb_references({k: EXO_FREQS[k] for k in sorted(EXO_FREQS)}, slen, n_times, 3)
    # MOABB's dict order for the predictions (ties go to the first key).
    yf_moabb = {k: yf[k] for k in EXO_FREQS}
    pred = moabb_predict(X, yf_moabb)
    per = [corrs(x, yf) for x in X]

    return {
        "sessions": SESSIONS,
        "sfreq": sfreq,
        "freqs": {str(k): EXO_FREQS[k] for k in sorted(EXO_FREQS)},
        "classes": sorted(EXO_FREQS),
        "harmonics": 3,
        "duration": slen,
        "n_trials": int(X.shape[0]),
        "n_channels": int(X.shape[1]),
        "n_times": n_times,
        "labels": [int(v) for v in y],
        "moabb_pred": [int(p) for p in pred],
        "exact": [c["exact"] for c in per],
        "sklearn_tight": [c["sklearn_tight"] for c in per],
        "sklearn_default": [c["sklearn_default"] for c in per],
        "accuracy": float(np.mean(np.array(pred) == y)),
    }


# --- synthetic signals ------------------------------------------------------

def synthetic_cases():
    rng = np.random.RandomState(42)
    cases = []

    def add(name, X, sfreq, freqs, harmonics, duration):
        n_times = X.shape[2]
        slen = duration if duration > 0 else (n_times - 1) / sfreq
        yf = moabb_references({k: freqs[k] for k in sorted(freqs)}, slen, n_times, harmonics)
        per = [corrs(x, yf) for x in X]
        cases.append({
            "name": name,
            "sfreq": sfreq,
            "freqs": {str(k): v for k, v in sorted(freqs.items())},
            "classes": sorted(freqs),
            "harmonics": harmonics,
            "duration": duration,
            "trials": X.tolist(),
            "moabb_pred": [int(p) for p in moabb_predict(X, yf)],
            "exact": [c["exact"] for c in per],
            "sklearn_tight": [c["sklearn_tight"] for c in per],
            "sklearn_default": [c["sklearn_default"] for c in per],
        })

    # Four channels, 100 Hz, 2 s: each trial carries one of three
    # frequencies (with a second harmonic) in noise, mixed differently per
    # channel. Values rounded to 6 decimals so the JSON holds them exactly.
    sfreq, n = 100.0, 200
    t = np.arange(n) / sfreq
    freqs = {1: 8.0, 2: 11.5, 3: 15.0}
    X = []
    for i in range(6):
        f = freqs[1 + i % 3]
        s = np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) + 0.4 * np.sin(4 * np.pi * f * t + 1.0)
        mix = rng.uniform(-1, 1, size=4)
        X.append(np.round(mix[:, None] * s[None, :] * 0.6 + rng.randn(4, n), 6))
    add("noisy_sines", np.array(X), sfreq, freqs, 2, 0.0)

    # Same signals, references over an explicit duration that is not
    # (n_times - 1) / sfreq (MOABB's interval), three harmonics.
    add("explicit_duration", np.array(X[:3]), sfreq, freqs, 3, 2.5)

    # Linearly dependent channels: channel 3 = 2 ch0 - ch1, channel 4 flat.
    Xd = []
    for x in X[:3]:
        x = x.copy()
        x[2] = 2 * x[0] - x[1]
        x[3] = 5.0
        Xd.append(x)
    add("dependent_channels", np.array(Xd), sfreq, freqs, 2, 0.0)

    # Pure noise, one channel, 40 samples: the smallest shapes.
    add("one_channel", np.round(rng.randn(2, 1, 40), 6), 50.0, {7: 6.0, 9: 10.0}, 1, 0.0)
    return cases


def canonical_cases():
    """Canonical(x, y) on general signals (no sinusoids)."""
    rng = np.random.RandomState(7)
    out = []
    for p, q, n in [(3, 4, 60), (1, 1, 10), (5, 2, 30), (2, 6, 500)]:
        z = rng.randn(n)
        x = np.round(rng.randn(p, n) + 0.5 * z, 6)
        y = np.round(rng.randn(q, n) - 0.7 * z + 3.0, 6)
        out.append({"x": x.tolist(), "y": y.tolist(), "exact": exact_corr(x, y),
                    "sklearn_tight": float(sklearn_corr(x, y, max_iter=5000, tol=1e-12))})
    return out


def main():
    ref = {
        "generator": "testdata/gen/cca_ref.py",
        "versions": {"mne": mne.__version__, "numpy": np.__version__,
                     "sklearn": __import__("sklearn").__version__},
        "real": real_case(),
        "synthetic": synthetic_cases(),
        "canonical": canonical_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
    r = ref["real"]
    print(f"{OUT}: {os.path.getsize(OUT)} bytes; real: {r['n_trials']} trials, "
          f"MOABB accuracy {r['accuracy']:.3f}")
    for c in [r] + ref["synthetic"]:
        e, d, tt = (np.array(c[k]) for k in ("exact", "sklearn_default", "sklearn_tight"))
        print(c.get("name", "real"), "max |exact-default|", np.abs(e - d).max(),
              "max |exact-tight|", np.abs(e - tt).max())


if __name__ == "__main__":
    main()
