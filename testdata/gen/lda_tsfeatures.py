"""Real tangent-space features from EEGMMIDB subject 1, shared by the
classifier fixture generators (lda_ref.py, logreg_ref.py, svm_ref.py).

Runs 4, 8, 12 (imagined left/right fist: T1 -> 1, T2 -> 2) and runs 6, 10, 14
(imagined both fists/both feet: T1 -> 3, T2 -> 4) are read with MNE 1.3,
band-passed 8-30 Hz (MNE's default FIR), cut into epochs 0.5-2.5 s after the
cue without baseline correction, and the first 16 channels (the motor strip
Fc5 ... Cp3) are kept: 90 trials x 16 channels x 321 samples.

Each trial becomes a sample covariance (np.cov), and the covariances are
projected to the tangent space at their Riemannian mean. The mean and the
projection are a NumPy transcription of pyRiemann 0.6
(pyriemann.utils.mean.mean_riemann and pyriemann.tangentspace.tangent_space:
upper triangle, off-diagonal terms times sqrt(2)); pyRiemann itself is not
installable here. The classifiers only need realistic inputs, so the features
are then rounded to 10 significant digits: the rounded values are the input
of both the Python reference and the Go test, and the fixture stays small
(90 x 136 values).
"""
import os

import mne
import numpy as np

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
RUNS = [(4, 1, 2), (8, 1, 2), (12, 1, 2), (6, 3, 4), (10, 3, 4), (14, 3, 4)]
N_CHANNELS = 16


def _eig_fn(c, fn):
    w, v = np.linalg.eigh(c)
    return (v * fn(w)) @ v.T


def _mean_riemann(covs, tol=1e-8, maxiter=50):
    # pyriemann.utils.mean.mean_riemann (0.6), unweighted.
    c = covs.mean(axis=0)
    nu, tau, crit = 1.0, np.finfo(np.float64).max, np.finfo(np.float64).max
    for _ in range(maxiter):
        c12 = _eig_fn(c, np.sqrt)
        cm12 = _eig_fn(c, lambda w: 1 / np.sqrt(w))
        j = np.mean([_eig_fn(cm12 @ ci @ cm12, np.log) for ci in covs], axis=0)
        c = c12 @ _eig_fn(nu * j, np.exp) @ c12
        crit = np.linalg.norm(j, ord="fro")
        h = nu * crit
        if h < tau:
            nu, tau = 0.95 * nu, h
        else:
            nu = 0.5 * nu
        if crit <= tol or nu <= tol:
            break
    return c


def _tangent_space(covs, cref):
    # pyriemann.tangentspace.tangent_space (0.6).
    n = cref.shape[0]
    isq = _eig_fn(cref, lambda w: 1 / np.sqrt(w))
    iu = np.triu_indices(n)
    coeffs = (np.sqrt(2) * np.triu(np.ones((n, n)), 1) + np.eye(n))[iu]
    return np.array([coeffs * _eig_fn(isq @ c @ isq, np.log)[iu] for c in covs])


def eegmmidb_ts_features():
    """Return (X, y): 90 x 136 rounded tangent-space features and labels 1..4."""
    xs, ys = [], []
    for run, left, right in RUNS:
        path = os.path.join(DATA, "eegmmidb", "S001", f"S001R{run:02d}.edf")
        raw = mne.io.read_raw_edf(path, preload=True, verbose=False)
        raw.filter(8.0, 30.0, verbose=False)
        events, _ = mne.events_from_annotations(raw, event_id={"T1": left, "T2": right}, verbose=False)
        ep = mne.Epochs(raw, events, {"a": left, "b": right}, tmin=0.5, tmax=2.5, baseline=None,
                        picks=raw.ch_names[:N_CHANNELS], preload=True, verbose=False)
        xs.append(ep.get_data())
        ys.append(ep.events[:, 2])
    x = np.concatenate(xs) * 1e6  # microvolts keep the covariances near 1
    y = np.concatenate(ys)
    covs = np.array([np.cov(t) for t in x])
    ts = _tangent_space(covs, _mean_riemann(covs))
    ts = np.array([[float(f"{v:.10g}") for v in row] for row in ts])
    return ts, y.astype(int)


if __name__ == "__main__":
    X, y = eegmmidb_ts_features()
    print(X.shape, np.bincount(y))
