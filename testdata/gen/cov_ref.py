"""Reference covariances for package cov.

Run from the repo root: /usr/bin/python3 testdata/gen/cov_ref.py

What each estimator is, as pyRiemann 0.6 `covariances(X, estimator=...)`
maps it (pyriemann/utils/covariance.py; pyRiemann is not installed here, so
its wrappers are transcribed below and call the real scikit-learn 1.2 and
NumPy functions they wrap):

  scm    sklearn.covariance.empirical_covariance(X.T)   (pyRiemann _scm)
  cov    np.cov(X)                                       (pyRiemann 'cov')
  lwf    sklearn.covariance.ledoit_wolf(X.T)[0]          (pyRiemann _lwf)
  oas    sklearn.covariance.oas(X.T)[0]                  (pyRiemann _oas)
  sch    transcription of pyriemann.utils.covariance._sch (Schaefer-Strimmer)
  corr   np.corrcoef(X)                                  (pyRiemann 'corr')
  shrunk sklearn.covariance.shrunk_covariance(empirical_covariance(X.T), a)

Augment transcribes moabb.pipelines.features.AugmentedDataset.transform.

Real data: EEGMMIDB S001 runs 4, 8, 12 (imagined left/right fist),
band-pass 8-30 Hz (MNE FIR defaults), epochs 0.5-2.5 s after T1/T2, no
baseline; the first 16 channels (FC5..CP3) of the first 3 epochs are stored
(base64 little-endian float64) with their covariances (also base64).
"""
import base64
import json
import os

import mne
import numpy as np
from sklearn.covariance import empirical_covariance, ledoit_wolf, oas, shrunk_covariance

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "cov/testdata/cov_ref.json"


def _sch(X):
    # Transcription of pyriemann.utils.covariance._sch (pyRiemann 0.6).
    n_times = X.shape[1]
    X_c = (X.T - X.T.mean(axis=0)).T
    C_scm = 1. / n_times * X_c @ X_c.T
    R = (n_times / ((n_times - 1.) * np.outer(X.std(axis=1), X.std(axis=1))))
    R *= C_scm
    var_R = (X_c ** 2) @ (X_c ** 2).T - 2 * C_scm * (X_c @ X_c.T)
    var_R += n_times * C_scm ** 2
    Xvar = np.outer(X.var(axis=1), X.var(axis=1))
    var_R *= n_times / ((n_times - 1) ** 3 * Xvar)
    R -= np.diag(np.diag(R))
    var_R -= np.diag(np.diag(var_R))
    gamma = max(0, min(1, var_R.sum() / (R ** 2).sum()))
    sigma = (1. - gamma) * (n_times / (n_times - 1.)) * C_scm
    shrinkage = gamma * (n_times / (n_times - 1.)) * np.diag(np.diag(C_scm))
    return sigma + shrinkage


ESTIMATORS = {
    "scm": lambda X: empirical_covariance(X.T),
    "cov": np.cov,
    "lwf": lambda X: ledoit_wolf(X.T)[0],
    "oas": lambda X: oas(X.T)[0],
    "sch": _sch,
    "corr": np.corrcoef,
    "shrunk(0.1)": lambda X: shrunk_covariance(empirical_covariance(X.T), 0.1),
    "shrunk(0.5)": lambda X: shrunk_covariance(empirical_covariance(X.T), 0.5),
}


def augment(X, order, lag):
    # Transcription of moabb.pipelines.features.AugmentedDataset.transform.
    if order == 1:
        return X
    X_fin = []
    for i in np.arange(X.shape[0]):
        X_p = X[i][:, : -order * lag]
        for p in np.arange(1, order):
            X_p = np.append(X_p, X[i][:, p * lag: -(order - p) * lag], axis=0)
        X_fin.append(X_p)
    return np.array(X_fin)


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode()


def case(name, X, estimators=ESTIMATORS, encode=False, shrinkage=True):
    out = {"name": name, "shape": list(X.shape)}
    out["trials"] = b64(X) if encode else X.tolist()
    out["covs"] = {}
    for est, fn in estimators.items():
        c = np.array([fn(x) for x in X])
        out["covs"][est] = b64(c) if encode else c.reshape(len(X), -1).tolist()
    if shrinkage:
        out["lwf_shrinkage"] = [float(ledoit_wolf(x.T)[1]) for x in X]
        out["oas_shrinkage"] = [float(oas(x.T)[1]) for x in X]
    return out


rng = np.random.default_rng(20240801)


def rand_trials(n, c, t):
    # correlated channels with offsets and different scales
    mix = rng.standard_normal((c, c))
    x = np.einsum("ij,njt->nit", mix, rng.standard_normal((n, c, t)))
    x *= rng.uniform(0.5, 3.0, size=(1, c, 1))
    x += rng.uniform(-5, 5, size=(n, c, 1))
    return x


cases = [
    case("rand_6x50", rand_trials(4, 6, 50)),
    case("rand_10x7", rand_trials(3, 10, 7)),  # fewer samples than channels
    case("rand_3x2", rand_trials(2, 3, 2)),  # two samples
    case("rand_1x30", rand_trials(2, 1, 30), estimators={k: v for k, v in ESTIMATORS.items() if k != "corr"}),
    case("tiny_scale_4x40", 1e-6 * rand_trials(2, 4, 40)),
]

# Augmented (MOABB ACM) on random data, then 'cov' (the ACM pipelines' estimator).
aug_cases = []
for (n, c, t, order, lag) in [(2, 3, 20, 3, 2), (2, 2, 12, 2, 5), (1, 2, 9, 1, 4), (2, 4, 30, 4, 1)]:
    X = rand_trials(n, c, t)
    A = augment(X, order, lag)
    aug_cases.append({"shape": [n, c, t], "order": order, "lag": lag, "trials": X.tolist(),
                      "augmented": A.tolist(), "cov": [np.cov(a).ravel().tolist() for a in A]})

# Real EEGMMIDB epochs.
raws = [mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb", "S001", f"S001R{r:02d}.edf"),
                            preload=True, verbose=False) for r in (4, 8, 12)]
raw = mne.concatenate_raws(raws)
raw.filter(8.0, 30.0, fir_design="firwin", skip_by_annotation="edge", verbose=False)
events, _ = mne.events_from_annotations(raw, event_id=dict(T1=1, T2=2), verbose=False)
picks = raw.ch_names[:16]
ep = mne.Epochs(raw, events, dict(T1=1, T2=2), tmin=0.5, tmax=2.5, baseline=None, picks=picks,
                preload=True, verbose=False)
X = ep.get_data()[:3]
real = case("eegmmidb_S001_16ch", X, encode=True)
real["channels"] = picks
A = augment(X[:2, :8], 4, 3)
real_aug = {"order": 4, "lag": 3, "channels": 8, "n_trials": 2,
            "cov": b64([np.cov(a) for a in A]), "lwf": b64([ledoit_wolf(a.T)[0] for a in A])}

with open(OUT, "w") as f:
    json.dump({"cases": cases, "augment": aug_cases, "real": real, "real_augment": real_aug}, f,
              separators=(",", ":"))
print(OUT, os.path.getsize(OUT), "bytes; real", X.shape, "shrinkage", real["lwf_shrinkage"])
