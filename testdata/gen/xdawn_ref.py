"""Reference values for package xdawn: pyRiemann 0.6's Xdawn and
XdawnCovariances.

pyRiemann cannot be installed here, so this script carries a NumPy
transcription of the pyRiemann 0.6 code paths involved (marked with the
pyRiemann function each one mirrors); the covariance estimators it calls are
the real ones (numpy.cov, numpy.corrcoef, sklearn.covariance.ledoit_wolf and
oas), as in pyRiemann.

Trials are stored as little-endian int16 (<name>.i16) times a power-of-two
scale so that the Go test sees exactly the values used here. Run from the
repo root:

    /usr/bin/python3 testdata/gen/xdawn_ref.py
"""
import json
import os

import mne
import numpy as np
from scipy.linalg import eigh
from sklearn.covariance import ledoit_wolf, oas

mne.set_log_level("error")
DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "xdawn/testdata"


# --- pyriemann/utils/covariance.py (0.6) ---------------------------------

def covariance_scm(X, *, assume_centered=False):
    """pyriemann.utils.covariance.covariance_scm (real data)."""
    _, n_times = X.shape
    if assume_centered:
        return X @ X.T / n_times
    return np.cov(X, bias=1)


def _lwf(X):
    """pyriemann.utils.covariance._lwf: sklearn's ledoit_wolf on X.T."""
    C, _ = ledoit_wolf(X.T)
    return C


def _oas(X):
    """pyriemann.utils.covariance._oas: sklearn's oas on X.T."""
    C, _ = oas(X.T)
    return C


def covariance_sch(X):
    """pyriemann.utils.covariance.covariance_sch (Schaefer-Strimmer)."""
    _, n_times = X.shape
    X_c = X - X.mean(axis=1, keepdims=True)
    C_scm = X_c @ X_c.T / n_times
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


cov_est_functions = {
    "corr": np.corrcoef,
    "cov": np.cov,
    "lwf": _lwf,
    "oas": _oas,
    "sch": covariance_sch,
    "scm": covariance_scm,
}


def covariances_EP(X, P, estimator="cov"):
    """pyriemann.utils.covariance.covariances_EP."""
    est = cov_est_functions[estimator]
    n_matrices, n_channels, n_times = X.shape
    n_channels_proto, n_times_p = P.shape
    covmats = np.empty((n_matrices, n_channels + n_channels_proto,
                        n_channels + n_channels_proto))
    for i in range(n_matrices):
        covmats[i] = est(np.concatenate((P, X[i]), axis=0))
    return covmats


# --- pyriemann/spatialfilters.py: Xdawn (0.6) -----------------------------

class Xdawn:
    def __init__(self, nfilter=4, classes=None, estimator="scm", baseline_cov=None):
        self.nfilter = nfilter
        self.classes = classes
        self.estimator = estimator
        self.baseline_cov = baseline_cov

    def fit(self, X, y):
        n_trials, n_channels, n_times = X.shape
        est = cov_est_functions[self.estimator]
        self.classes_ = np.unique(y) if self.classes is None else self.classes
        Cx = self.baseline_cov
        if Cx is None:
            tmp = X.transpose((1, 2, 0))
            Cx = np.asarray(est(tmp.reshape(n_channels, n_times * n_trials)))
        self.evokeds_, self.filters_, self.patterns_ = [], [], []
        for c in self.classes_:
            P = np.mean(X[y == c], axis=0)
            C = np.asarray(est(P))
            evals, evecs = eigh(C, Cx)
            evecs = evecs[:, np.argsort(evals)[::-1]]
            evecs /= np.apply_along_axis(np.linalg.norm, 0, evecs)
            V = evecs
            A = np.linalg.pinv(V.T)
            self.filters_.append(V[:, 0:self.nfilter].T)
            self.patterns_.append(A[:, 0:self.nfilter].T)
            self.evokeds_.append(V[:, 0:self.nfilter].T @ P)
        self.evokeds_ = np.concatenate(self.evokeds_, axis=0)
        self.filters_ = np.concatenate(self.filters_, axis=0)
        self.patterns_ = np.concatenate(self.patterns_, axis=0)
        return self

    def transform(self, X):
        X = np.dot(self.filters_, X)
        return X.transpose((1, 0, 2))


# --- pyriemann/estimation.py: XdawnCovariances (0.6) ----------------------

class XdawnCovariances:
    def __init__(self, nfilter=4, applyfilters=True, classes=None, estimator="scm",
                 xdawn_estimator="scm", baseline_cov=None):
        self.nfilter = nfilter
        self.applyfilters = applyfilters
        self.classes = classes
        self.estimator = estimator
        self.xdawn_estimator = xdawn_estimator
        self.baseline_cov = baseline_cov

    def fit(self, X, y):
        self.Xd_ = Xdawn(nfilter=self.nfilter, classes=self.classes,
                         estimator=self.xdawn_estimator, baseline_cov=self.baseline_cov)
        self.Xd_.fit(X, y)
        self.P_ = self.Xd_.evokeds_
        return self

    def transform(self, X):
        if self.applyfilters:
            X = self.Xd_.transform(X)
        return covariances_EP(X, self.P_, estimator=self.estimator)


# --- fixtures -------------------------------------------------------------

def quantise(x):
    m = np.abs(x).max()
    e = int(np.ceil(np.log2(m / 32000.0)))
    scale = 2.0 ** e
    return np.round(x / scale).astype(np.int16), scale


def save_trials(name, x):
    q, scale = quantise(x)
    q.astype("<i2").tofile(os.path.join(OUT, name + ".i16"))
    return q.astype(np.float64) * scale, scale


N_SHOW = 2  # trials whose transform outputs are stored


def xdawn_case(name, X, y, fit_idx, **kw):
    xd = Xdawn(**kw).fit(X[fit_idx], y[fit_idx])
    params = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    return dict(name=name, kind="xdawn", params=params, fit_idx=fit_idx.tolist(),
                classes=[int(c) for c in xd.classes_],
                filters=xd.filters_.tolist(), patterns=xd.patterns_.tolist(),
                evokeds=xd.evokeds_.tolist(),
                transform=xd.transform(X[:N_SHOW]).tolist())


def xcov_case(name, X, y, fit_idx, **kw):
    xc = XdawnCovariances(**kw).fit(X[fit_idx], y[fit_idx])
    params = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
    return dict(name=name, kind="xdawncov", params=params, fit_idx=fit_idx.tolist(),
                filters=xc.Xd_.filters_.tolist(),
                covs=xc.transform(X[:N_SHOW]).tolist())


def synthetic(rng):
    """Three classes of ERP-like trials: class-specific evoked waveforms
    mixed into 6 channels over coloured noise."""
    n_ch, n_t = 6, 40
    t = np.arange(n_t) / 40.0
    waves = [np.exp(-((t - 0.3) / 0.05) ** 2), np.sin(2 * np.pi * 3 * t) * np.exp(-t / 0.3),
             -np.exp(-((t - 0.5) / 0.08) ** 2)]
    mix_erp = rng.standard_normal((n_ch, 3))
    mix_noise = rng.standard_normal((n_ch, n_ch))
    X, y = [], []
    for c, n in zip((2, 5, 9), (12, 10, 14)):
        for _ in range(n):
            erp = np.outer(mix_erp[:, (c % 3)], waves[c % 3]) * 2.0
            noise = mix_noise @ rng.standard_normal((n_ch, n_t))
            X.append((erp + noise) * 1e-6)
            y.append(c)
    X, y = np.array(X), np.array(y)
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(8)
    sets = {}

    X, y = synthetic(rng)
    X, scale = save_trials("syn", X)
    fit_idx = np.arange(30)
    base = np.cov(X[y == 9].transpose(1, 0, 2).reshape(X.shape[1], -1))
    cases = [
        xdawn_case("default", X, y, fit_idx),
        xdawn_case("nfilter2_class5", X, y, fit_idx, nfilter=2, classes=[5]),
        xdawn_case("lwf", X, y, fit_idx, estimator="lwf"),
        xdawn_case("oas_nfilter8", X, y, fit_idx, estimator="oas", nfilter=8),
        xdawn_case("baseline", X, y, fit_idx, baseline_cov=base, nfilter=3),
        xcov_case("cov_default", X, y, fit_idx),
        xcov_case("cov_lwf_nf2", X, y, fit_idx, nfilter=2, estimator="lwf"),
        xcov_case("cov_oas_nofilt", X, y, fit_idx, nfilter=2, estimator="oas", applyfilters=False),
        xcov_case("cov_cov", X, y, fit_idx, nfilter=1, estimator="cov", xdawn_estimator="lwf"),
        xcov_case("cov_sch", X, y, fit_idx, nfilter=2, estimator="sch", classes=[2, 9]),
        xcov_case("cov_corr", X, y, fit_idx, nfilter=1, estimator="corr"),
    ]
    sets["syn"] = dict(shape=list(X.shape), scale=scale, labels=y.tolist(), cases=cases)

    # EEGMMIDB S001 runs 4, 8, 12: responses to the T0/T1/T2 cues, 1-15 Hz,
    # 0-0.8 s, decimated to 40 Hz, 16 channels.
    raws = [mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb", "S001", f"S001R{r:02d}.edf"),
                                preload=True) for r in (4, 8, 12)]
    raw = mne.concatenate_raws(raws)
    mne.datasets.eegbci.standardize(raw)
    raw.filter(1.0, 15.0, fir_design="firwin", skip_by_annotation="edge")
    events, _ = mne.events_from_annotations(raw, event_id=dict(T0=0, T1=1, T2=2))
    ep = mne.Epochs(raw, events, dict(T0=0, T1=1, T2=2), tmin=0.0, tmax=0.8,
                    baseline=None, preload=True)
    picks = ["Fz", "FC3", "FCz", "FC4", "C3", "C1", "Cz", "C2", "C4", "CP3", "CPz", "CP4",
             "Pz", "PO7", "POz", "PO8"]
    x = ep.get_data(picks=picks)[:, :, ::4]
    lab = ep.events[:, 2]
    keep = np.sort(np.r_[np.flatnonzero(lab > 0), np.flatnonzero(lab == 0)[:15]])
    x, lab = x[keep], lab[keep]
    X, scale = save_trials("eegmmidb_s001", x)
    fit_idx = np.arange(40)
    cases = [
        xdawn_case("default", X, lab, fit_idx),
        xdawn_case("oas_task", X, lab, fit_idx, estimator="oas", classes=[1, 2]),
        xcov_case("moabb_xdawn_rg", X, lab, fit_idx, nfilter=2, estimator="lwf"),
        xcov_case("cov_oas", X, lab, fit_idx, nfilter=4, estimator="oas"),
    ]
    sets["eegmmidb_s001"] = dict(shape=list(X.shape), scale=scale, labels=lab.tolist(),
                                 channels=picks, sfreq=40.0, cases=cases)
    for name, s in sets.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(s, f, separators=(",", ":"))
        print(name, s["shape"], [c["name"] for c in s["cases"]])


if __name__ == "__main__":
    main()
