"""Reference values for package logreg: scikit-learn 1.2
LogisticRegression(penalty='l2', solver='lbfgs', tol=1e-10, max_iter=10000)
(binary: one logistic model for classes_[1]; three or more classes:
multinomial), on random data and EEGMMIDB tangent-space features.

sklearn's L-BFGS-B also stops on scipy's default relative decrease of the
objective (ftol 2.2e-9), so its coefficients are only near the optimum. The
fixture therefore also carries the optimum itself ("opt_*"): sklearn's
solution refined here by full Newton steps on the same objective,
    sum_i log-loss_i + ||W||^2 / (2 C)        (intercept not penalised),
until the gradient is at rounding level.
Run from the repo root: /usr/bin/python3 testdata/gen/logreg_ref.py
"""
import json
import os
import sys

import numpy as np
from scipy.special import expit, logsumexp, softmax
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, os.path.dirname(__file__))
from lda_tsfeatures import eegmmidb_ts_features  # noqa: E402


def refine(X, y, classes, coef, intercept, C):
    """Newton steps from sklearn's solution to the exact optimum."""
    n, p = X.shape
    Xt = np.hstack([X, np.ones((n, 1))])
    lam = np.r_[np.ones(p), 0.0] / C
    if len(classes) == 2:
        t = (y == classes[1]).astype(float)
        w = np.r_[coef[0], intercept[0]]
        for _ in range(50):
            s = expit(Xt @ w)
            g = Xt.T @ (s - t) + lam * w
            if np.abs(g).max() < 1e-13 * n:
                break
            H = (Xt * (s * (1 - s))[:, None]).T @ Xt + np.diag(lam)
            w = w - np.linalg.solve(H, g)
        return w[None, :p], w[p:]
    k = len(classes)
    Y = (y[:, None] == classes[None, :]).astype(float)
    W = np.hstack([coef, intercept[:, None]])  # k x (p+1)
    u = np.zeros((k, p + 1))
    u[:, p] = 1 / np.sqrt(k)  # the intercepts' common shift leaves the loss unchanged
    u = u.ravel()
    for _ in range(50):
        Z = Xt @ W.T
        P = softmax(Z, axis=1)
        G = (P - Y).T @ Xt + W * lam
        if np.abs(G).max() < 1e-13 * n:
            break
        H = np.zeros((k * (p + 1), k * (p + 1)))
        for a in range(k):
            for b in range(k):
                d = P[:, a] * ((a == b) - P[:, b])
                H[a * (p + 1):(a + 1) * (p + 1), b * (p + 1):(b + 1) * (p + 1)] = (Xt * d[:, None]).T @ Xt
        H += np.diag(np.tile(lam, k)) + np.outer(u, u)
        W = W - np.linalg.solve(H, G.ravel()).reshape(k, p + 1)
    W[:, p] -= W[:, p].mean()
    return W[:, :p], W[:, p]


DATA = {}


def dataset(name, X, y, Xt=None):
    # Without Xt the training rows are also the test rows.
    DATA[name] = {"x": X.tolist(), "y": y.tolist()}
    if Xt is not None:
        DATA[name]["xtest"] = Xt.tolist()
    return name


def case(name, data, C=1.0, rows=None):
    X, y = np.array(DATA[data]["x"]), np.array(DATA[data]["y"])
    if rows is not None:
        X, y = X[rows], y[rows]
    Xt = np.array(DATA[data]["xtest"]) if "xtest" in DATA[data] else X
    clf = LogisticRegression(C=C, tol=1e-10, max_iter=10000).fit(X, y)
    oc, oi = refine(X, y, clf.classes_, clf.coef_, clf.intercept_, C)
    opt = LogisticRegression(C=C)
    opt.coef_, opt.intercept_, opt.classes_ = oc, oi, clf.classes_
    opt.multi_class = "auto" if len(clf.classes_) == 2 else "multinomial"
    return {
        "name": name, "data": data, "rows": None if rows is None else np.flatnonzero(rows).tolist(),
        "C": C, "classes": clf.classes_.tolist(), "n_iter": int(clf.n_iter_[0]),
        "coef": clf.coef_.tolist(), "intercept": clf.intercept_.tolist(),
        "decision": clf.decision_function(Xt).tolist(),
        "proba": clf.predict_proba(Xt).tolist(),
        "predict": clf.predict(Xt).tolist(),
        "opt_coef": oc.tolist(), "opt_intercept": oi.tolist(),
        "opt_decision": opt.decision_function(Xt).tolist(),
        "opt_proba": opt.predict_proba(Xt).tolist(),
        "opt_predict": opt.predict(Xt).tolist(),
    }


rng = np.random.default_rng(20240602)
cases = []

means = rng.normal(size=(3, 6))
y3 = np.repeat([0, 1, 2], [20, 25, 15])
X3 = means[y3] + rng.normal(size=(60, 6)) @ rng.normal(size=(6, 6))
Xt3 = rng.normal(size=(12, 6)) * 1.5
d3 = dataset("rand3", X3, y3, Xt3)
cases.append(case("rand3", d3))
cases.append(case("rand3_c0.1", d3, C=0.1))
d2 = dataset("rand2", X3, np.where(y3 == 2, 9, -4), Xt3)
cases.append(case("rand2", d2))
cases.append(case("rand2_c10", d2, C=10.0))

# Separable classes: the penalty alone bounds the weights.
Xs = rng.normal(size=(40, 3))
ys = (Xs[:, 0] + 0.5 * Xs[:, 1] > 0).astype(int)
cases.append(case("separable", dataset("separable", Xs, ys, rng.normal(size=(6, 3)))))

# More features than samples.
Xw = rng.normal(size=(30, 80))
yw = np.repeat([5, 6], [14, 16])
Xw[yw == 6, :10] += 0.8
dw = dataset("wide", Xw, yw, rng.normal(size=(8, 80)))
cases.append(case("wide", dw))
yw3 = np.repeat([1, 2, 3], 10)
cases.append(case("wide3", dataset("wide3", Xw, yw3, rng.normal(size=(8, 80)))))

X, y = eegmmidb_ts_features()
de = dataset("eegmmidb", X, y)
cases.append(case("eegmmidb_lr", de, rows=y <= 2))
cases.append(case("eegmmidb_4c", de, rows=y > 0))

os.makedirs("logreg/testdata", exist_ok=True)
with open("logreg/testdata/logreg_ref.json", "w") as f:
    json.dump({"data": DATA, "cases": cases}, f, separators=(",", ":"))
for c in cases:
    d = np.abs(np.array(c["coef"]) - np.array(c["opt_coef"])).max() / np.abs(c["opt_coef"]).max()
    print(c["name"], "n_iter", c["n_iter"], "sklearn vs optimum (rel. coef)", d)
