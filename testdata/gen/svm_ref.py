"""Reference values for package svm: scikit-learn 1.2 SVC(kernel='linear')
and SVC(kernel='rbf', gamma='scale'), C-SVC by libsvm's SMO (tol=1e-3,
shrinking on unless stated), one-vs-one with decision_function_shape='ovr'.
Random data and EEGMMIDB tangent-space features.
Run from the repo root: /usr/bin/python3 testdata/gen/svm_ref.py
"""
import json
import os
import sys

import numpy as np
from sklearn.svm import SVC

sys.path.insert(0, os.path.dirname(__file__))
from lda_tsfeatures import eegmmidb_ts_features  # noqa: E402

DATA = {}


def dataset(name, X, y, Xt=None):
    # Without Xt the training rows are also the test rows.
    DATA[name] = {"x": X.tolist(), "y": y.tolist()}
    if Xt is not None:
        DATA[name]["xtest"] = Xt.tolist()
    return name


def case(name, data, kernel, C=1.0, shrinking=True, rows=None):
    X, y = np.array(DATA[data]["x"]), np.array(DATA[data]["y"])
    if rows is not None:
        X, y = X[rows], y[rows]
    Xt = np.array(DATA[data]["xtest"]) if "xtest" in DATA[data] else X
    clf = SVC(kernel=kernel, C=C, shrinking=shrinking).fit(X, y)
    return {
        "name": name, "data": data, "rows": None if rows is None else np.flatnonzero(rows).tolist(),
        "kernel": kernel, "C": C, "shrinking": shrinking, "gamma": clf._gamma,
        "classes": clf.classes_.tolist(),
        # libsvm's model: sv_coef (sklearn's _dual_coef_) and -rho (_intercept_).
        "support": clf.support_.tolist(), "n_support": clf.n_support_.tolist(),
        "sv_coef": clf._dual_coef_.tolist(), "neg_rho": clf._intercept_.tolist(),
        "decision": clf.decision_function(Xt).tolist(),
        "predict": clf.predict(Xt).tolist(),
    }


rng = np.random.default_rng(20240603)
cases = []

means = rng.normal(size=(3, 6))
y3 = np.repeat([0, 1, 2], [20, 25, 15])
X3 = means[y3] + rng.normal(size=(60, 6)) @ rng.normal(size=(6, 6))
Xt3 = rng.normal(size=(12, 6)) * 1.5
d3 = dataset("rand3", X3, y3, Xt3)
d2 = dataset("rand2", X3, np.where(y3 == 2, 9, -4), Xt3)
for k in ["linear", "rbf"]:
    cases.append(case(f"rand3_{k}", d3, k))
    cases.append(case(f"rand2_{k}", d2, k))
cases.append(case("rand3_rbf_c10", d3, "rbf", C=10.0))
cases.append(case("rand3_rbf_noshrink", d3, "rbf", shrinking=False))
cases.append(case("rand2_linear_c0.01", d2, "linear", C=0.01))

# Interleaved labels (libsvm groups the classes), duplicated rows.
Xd = rng.normal(size=(24, 4))
Xd[12:] = Xd[:12]
yd = np.tile([3, 1, 2], 8)
cases.append(case("dup3_rbf", dataset("dup3", Xd, yd, rng.normal(size=(6, 4))), "rbf"))

Xw = rng.normal(size=(30, 80))
yw = np.repeat([5, 6], [14, 16])
Xw[yw == 6, :10] += 0.8
dw = dataset("wide", Xw, yw, rng.normal(size=(8, 80)))
cases.append(case("wide_linear", dw, "linear"))
cases.append(case("wide_rbf", dw, "rbf"))

X, y = eegmmidb_ts_features()
de = dataset("eegmmidb", X, y)
for k in ["linear", "rbf"]:
    cases.append(case(f"eegmmidb_lr_{k}", de, k, rows=y <= 2))
    cases.append(case(f"eegmmidb_4c_{k}", de, k, rows=y > 0))

os.makedirs("svm/testdata", exist_ok=True)
with open("svm/testdata/svm_ref.json", "w") as f:
    json.dump({"data": DATA, "cases": cases}, f, separators=(",", ":"))
for c in cases:
    print(c["name"], "nSV", c["n_support"], "gamma", c["gamma"])
