"""Reference values for package riemann.

Run from the repo root: /usr/bin/python3 testdata/gen/riemann_ref.py

pyRiemann is not installed here (no PyPI access), so the functions below are
a NumPy/SciPy TRANSCRIPTION of pyRiemann 0.6; each names the function it
mirrors. scikit-learn 1.2's LinearDiscriminantAnalysis (inside FGDA) and
SciPy's sqrtm/logm/expm/fractional_matrix_power/eigvalsh are the real ones.

Real data: EEGMMIDB S001 runs 4, 8, 12 (imagined left/right fist), band-pass
8-30 Hz (MNE FIR defaults), epochs 0.5-2.5 s after T1/T2, no baseline, the
first 16 channels (FC5..CP3); OAS covariances (pyRiemann
Covariances('oas') = sklearn oas) of all 45 epochs are stored (base64
little-endian float64 upper triangles, row-major) with MDM/FgMDM results.
"""
import base64
import json
import os

import mne
import numpy as np
import scipy.linalg
from sklearn.covariance import oas
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import KFold
from sklearn.utils.extmath import softmax

DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "riemann/testdata/riemann_ref.json"


# ---- pyriemann/utils/base.py -------------------------------------------------
def _matrix_operator(C, operator):
    eigvals, eigvecs = np.linalg.eigh(C)
    eigvals = operator(eigvals)
    return (eigvecs * eigvals[..., np.newaxis, :]) @ np.swapaxes(eigvecs.conj(), -2, -1)


def sqrtm(C):
    return _matrix_operator(C, np.sqrt)


def invsqrtm(C):
    return _matrix_operator(C, lambda x: 1.0 / np.sqrt(x))


def logm(C):
    return _matrix_operator(C, np.log)


def expm(C):
    return _matrix_operator(C, np.exp)


def powm(C, alpha):
    return _matrix_operator(C, lambda x: x ** alpha)


# ---- pyriemann/utils/utils.py check_weights ----------------------------------
def check_weights(weights, n_weights):
    if weights is None:
        weights = np.ones(n_weights, dtype=np.float64)
    else:
        weights = np.asanyarray(weights, dtype=np.float64)
    return weights / np.sum(weights)


# ---- pyriemann/utils/mean.py -------------------------------------------------
def mean_euclid(X, sample_weight=None):
    return np.average(X, axis=0, weights=sample_weight)


def mean_riemann(X, tol=10e-9, maxiter=50, init=None, sample_weight=None):
    """pyriemann.utils.mean.mean_riemann; also returns the iteration count."""
    sample_weight = check_weights(sample_weight, X.shape[0])
    M = mean_euclid(X, sample_weight=sample_weight) if init is None else init
    nu = 1.0
    tau = np.finfo(np.float64).max
    crit = np.finfo(np.float64).max
    k = 0
    for k in range(1, maxiter + 1):
        M12, Mm12 = sqrtm(M), invsqrtm(M)
        J = np.einsum("a,abc->bc", sample_weight, logm(Mm12 @ X @ Mm12))
        M = M12 @ expm(nu * J) @ M12
        crit = np.linalg.norm(J, ord="fro")
        h = nu * crit
        if h < tau:
            nu = 0.95 * nu
            tau = h
        else:
            nu = 0.5 * nu
        if crit <= tol or nu <= tol:
            break
    return M, k


def mean_logeuclid(X, sample_weight=None):
    sample_weight = check_weights(sample_weight, X.shape[0])
    return expm(np.einsum("a,abc->bc", sample_weight, logm(X)))


def mean_harmonic(X, sample_weight=None):
    T = mean_euclid(np.linalg.inv(X), sample_weight=sample_weight)
    return np.linalg.inv(T)


def mean_logdet(X, tol=10e-5, maxiter=50, init=None, sample_weight=None):
    sample_weight = check_weights(sample_weight, X.shape[0])
    M = mean_euclid(X, sample_weight=sample_weight) if init is None else init
    for _ in range(maxiter):
        J = np.einsum("a,abc->bc", sample_weight, np.linalg.inv(0.5 * X + 0.5 * M))
        Mnew = np.linalg.inv(J)
        crit = np.linalg.norm(Mnew - M, ord="fro")
        M = Mnew
        if crit <= tol:
            break
    return M


def mean_covariance(X, metric, sample_weight=None):
    if metric == "riemann":
        return mean_riemann(X, sample_weight=sample_weight)[0]
    return {"logeuclid": mean_logeuclid, "euclid": mean_euclid, "harmonic": mean_harmonic,
            "logdet": mean_logdet}[metric](X, sample_weight=sample_weight)


# ---- pyriemann/utils/distance.py ---------------------------------------------
def distance_euclid(A, B):
    return np.linalg.norm(A - B, ord="fro")


def distance_harmonic(A, B):
    return distance_euclid(np.linalg.inv(A), np.linalg.inv(B))


def distance_logeuclid(A, B):
    return distance_euclid(logm(A), logm(B))


def distance_riemann(A, B):
    return np.sqrt((np.log(scipy.linalg.eigvalsh(A, B)) ** 2).sum())


def distance_logdet(A, B):
    dist2 = np.linalg.slogdet((A + B) / 2.0)[1] - 0.5 * np.linalg.slogdet(A @ B)[1]
    return np.sqrt(max(0, dist2))


DISTANCES = {"riemann": distance_riemann, "logeuclid": distance_logeuclid, "euclid": distance_euclid,
             "harmonic": distance_harmonic, "logdet": distance_logdet}


# ---- pyriemann/utils/tangentspace.py -----------------------------------------
def upper(X):
    n = X.shape[-1]
    idx = np.triu_indices_from(np.empty((n, n)))
    coeffs = (np.sqrt(2) * np.triu(np.ones((n, n)), 1) + np.eye(n))[idx]
    return coeffs * X[..., idx[0], idx[1]]


def unupper(T):
    n = int((np.sqrt(1 + 8 * T.shape[-1]) - 1) / 2)
    X = np.empty((*T.shape[:-1], n, n))
    idx = np.triu_indices_from(np.empty((n, n)))
    X[..., idx[0], idx[1]] = T
    idx = np.triu_indices_from(np.empty((n, n)), k=1)
    X[..., idx[0], idx[1]] /= np.sqrt(2)
    X[..., idx[1], idx[0]] = X[..., idx[0], idx[1]]
    return X


def tangent_space(X, Cref):
    Cm12 = invsqrtm(Cref)
    return upper(logm(Cm12 @ X @ Cm12))


def untangent_space(T, Cref):
    C12 = sqrtm(Cref)
    return C12 @ expm(unupper(T)) @ C12


# ---- pyriemann/tangentspace.py TangentSpace, FGDA ----------------------------
class TangentSpace:
    def fit(self, X):
        self.reference_ = mean_riemann(X)[0]
        return self

    def transform(self, X):
        return tangent_space(X, self.reference_)

    def inverse_transform(self, T):
        return untangent_space(T, self.reference_)


class FGDA:
    def fit_transform(self, X, y):
        self._ts = TangentSpace().fit(X)
        ts = self._ts.transform(X)
        classes = np.unique(y)
        self._lda = LDA(n_components=len(classes) - 1, solver="lsqr", shrinkage="auto")
        self._lda.fit(ts, y)
        W = self._lda.coef_.copy()
        self._W = W.T @ np.linalg.pinv(W @ W.T) @ W
        return self._retro_project(ts)

    def _retro_project(self, ts):
        return self._ts.inverse_transform(ts @ self._W)

    def transform(self, X):
        return self._retro_project(self._ts.transform(X))


# ---- pyriemann/classification.py MDM, FgMDM ----------------------------------
class MDM:
    def __init__(self, metric="riemann"):
        self.metric = metric

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        w = np.ones(X.shape[0])
        self.covmeans_ = [mean_covariance(X[y == c], self.metric, sample_weight=w[y == c])
                          for c in self.classes_]
        return self

    def transform(self, X):
        d = DISTANCES[self.metric]
        return np.array([[d(x, m) for m in self.covmeans_] for x in X])

    def predict(self, X):
        return self.classes_[self.transform(X).argmin(axis=1)]

    def predict_proba(self, X):
        return softmax(-self.transform(X) ** 2)


class FgMDM:
    def fit(self, X, y):
        self._fgda = FGDA()
        cov = self._fgda.fit_transform(X, y)
        self._mdm = MDM("riemann").fit(cov, y)
        return self

    def transform(self, X):
        return self._mdm.transform(self._fgda.transform(X))

    def predict(self, X):
        return self._mdm.predict(self._fgda.transform(X))

    def predict_proba(self, X):
        return self._mdm.predict_proba(self._fgda.transform(X))


# ---- fixtures ----------------------------------------------------------------
rng = np.random.default_rng(8)


def rand_spd(n, cond=None, scale=1.0):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    if cond is None:
        ev = rng.uniform(0.2, 5.0, n)
    else:
        ev = np.logspace(0, np.log10(cond), n)
    return scale * (Q * ev) @ Q.T


def tolist(a):
    return np.asarray(a).tolist()


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode()


def upper_rows(X):
    n = X.shape[-1]
    iu = np.triu_indices(n)
    return X[..., iu[0], iu[1]]


out = {}

# Matrix functions: pyRiemann's eigh-based ones and SciPy's.
funcs = []
for name, C in [("well", rand_spd(5)), ("illcond", rand_spd(6, cond=1e7)), ("tiny", rand_spd(4, scale=1e-11)),
                ("one", np.array([[2.5]]))]:
    S = logm(C)  # a symmetric, indefinite matrix for expm
    funcs.append({
        "name": name, "C": tolist(C), "S": tolist(S),
        "sqrtm": tolist(sqrtm(C)), "invsqrtm": tolist(invsqrtm(C)), "logm": tolist(logm(C)),
        "expm": tolist(expm(S)), "powm_0.3": tolist(powm(C, 0.3)), "powm_-1.5": tolist(powm(C, -1.5)),
        "scipy_sqrtm": tolist(np.real(scipy.linalg.sqrtm(C))), "scipy_logm": tolist(np.real(scipy.linalg.logm(C))),
        "scipy_expm": tolist(scipy.linalg.expm(S)),
        "scipy_powm_0.3": tolist(np.real(scipy.linalg.fractional_matrix_power(C, 0.3))),
    })
out["funcs"] = funcs

# Distances.
dists = []
for n, cond in [(5, None), (6, 1e5), (3, None), (1, None)]:
    A, B = rand_spd(n, cond), rand_spd(n)
    dists.append({"A": tolist(A), "B": tolist(B), **{k: float(f(A, B)) for k, f in DISTANCES.items()},
                  "riemann_BA": float(distance_riemann(B, A))})
out["distances"] = dists

# Means.
X = np.array([rand_spd(4) for _ in range(12)])
w = rng.uniform(0.1, 2.0, len(X))
m_r, it = mean_riemann(X)
m_rw, itw = mean_riemann(X, sample_weight=w)
out["means"] = {
    "X": tolist(X), "weights": tolist(w),
    "riemann": tolist(m_r), "riemann_iterations": it,
    "riemann_weighted": tolist(m_rw), "riemann_weighted_iterations": itw,
    "riemann_maxiter3": tolist(mean_riemann(X, maxiter=3)[0]),
    "logeuclid": tolist(mean_logeuclid(X)), "logeuclid_weighted": tolist(mean_logeuclid(X, w)),
    "euclid": tolist(mean_euclid(X)), "euclid_weighted": tolist(mean_euclid(X, check_weights(w, len(w)))),
    "harmonic": tolist(mean_harmonic(X)), "logdet": tolist(mean_logdet(X)),
    "logdet_weighted": tolist(mean_logdet(X, sample_weight=w)),
}

# Tangent space on the same set.
ts = TangentSpace().fit(X)
T = ts.transform(X)
Tn = T + 0.1 * rng.standard_normal(T.shape)
out["tangent"] = {"reference": tolist(ts.reference_), "vectors": tolist(T),
                  "perturbed": tolist(Tn), "inverse": tolist(ts.inverse_transform(Tn))}

# Synthetic three-class problem for MDM / FgMDM with more than two classes.
n_ch = 5
mixes = [rng.standard_normal((n_ch, n_ch)) for _ in range(3)]
Xs, ys = [], []
for k in range(3):
    for _ in range(12):
        Z = rng.standard_normal((n_ch, 40))
        A = mixes[k] + 0.6 * rng.standard_normal((n_ch, n_ch))
        Xs.append(A @ Z @ Z.T @ A.T / 40 + 0.1 * np.eye(n_ch))
        ys.append(k + 3)  # labels 3, 4, 5: any integer codes
Xs, ys = np.array(Xs), np.array(ys)
perm = rng.permutation(len(ys))
Xs, ys = Xs[perm], ys[perm]
Xtr, ytr, Xte = Xs[:27], ys[:27], Xs[27:]
synth = {"X": tolist(Xs), "y": tolist(ys), "n_train": 27}
for metric in DISTANCES:
    mdm = MDM(metric).fit(Xtr, ytr)
    synth["mdm_" + metric] = {"means": tolist(mdm.covmeans_), "dist": tolist(mdm.transform(Xte)),
                              "pred": tolist(mdm.predict(Xte)), "proba": tolist(mdm.predict_proba(Xte))}
fg = FgMDM().fit(Xtr, ytr)
synth["fgmdm"] = {"coef": tolist(fg._fgda._lda.coef_), "filtered": tolist(fg._fgda.transform(Xte)),
                  "dist": tolist(fg.transform(Xte)), "pred": tolist(fg.predict(Xte)),
                  "proba": tolist(fg.predict_proba(Xte))}
out["synthetic"] = synth

# Real EEGMMIDB covariances.
raws = [mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb", "S001", f"S001R{r:02d}.edf"),
                            preload=True, verbose=False) for r in (4, 8, 12)]
raw = mne.concatenate_raws(raws)
raw.filter(8.0, 30.0, fir_design="firwin", skip_by_annotation="edge", verbose=False)
events, _ = mne.events_from_annotations(raw, event_id=dict(T1=1, T2=2), verbose=False)
picks = raw.ch_names[:16]
ep = mne.Epochs(raw, events, dict(T1=1, T2=2), tmin=0.5, tmax=2.5, baseline=None, picks=picks,
                preload=True, verbose=False)
E = ep.get_data()
C = np.array([oas(e.T)[0] for e in E])
y = ep.events[:, 2]
real = {"channels": picks, "n": len(C), "n_channels": C.shape[1], "covs_upper": b64(upper_rows(C)),
        "y": tolist(y), "n_train": 30}
m, it = mean_riemann(C)
real["mean_riemann_upper"] = b64(upper_rows(m))
real["mean_riemann_iterations"] = it
real["tangent_vectors"] = b64(tangent_space(C, m))
Ctr, ytr, Cte = C[:30], y[:30], C[30:]
for metric in ("riemann", "logeuclid"):
    mdm = MDM(metric).fit(Ctr, ytr)
    d = mdm.transform(Cte)
    real["mdm_" + metric] = {"dist": tolist(d), "pred": tolist(mdm.predict(Cte)),
                             "proba": tolist(mdm.predict_proba(Cte)),
                             "min_margin": float(np.min(np.abs(d[:, 0] - d[:, 1]) / d.max(axis=1)))}
fg = FgMDM().fit(Ctr, ytr)
d = fg.transform(Cte)
real["fgmdm"] = {"dist": tolist(d), "pred": tolist(fg.predict(Cte)), "proba": tolist(fg.predict_proba(Cte)),
                 "min_margin": float(np.min(np.abs(d[:, 0] - d[:, 1]) / d.max(axis=1)))}
# 5-fold cross-validated predictions (KFold without shuffling).
cv = {"mdm_riemann": [], "fgmdm": []}
for tr, te in KFold(5).split(C):
    cv["mdm_riemann"] += tolist(MDM("riemann").fit(C[tr], y[tr]).predict(C[te]))
    cv["fgmdm"] += tolist(FgMDM().fit(C[tr], y[tr]).predict(C[te]))
real["cv5"] = cv
out["real"] = real

with open(OUT, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(OUT, os.path.getsize(OUT), "bytes; mean iterations", it,
      "acc mdm", np.mean(np.array(cv["mdm_riemann"]) == y), "fgmdm", np.mean(np.array(cv["fgmdm"]) == y),
      "margins", real["mdm_riemann"]["min_margin"], real["fgmdm"]["min_margin"])
