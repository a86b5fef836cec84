"""Reference values for package lda: scikit-learn 1.2
LinearDiscriminantAnalysis(solver='lsqr', shrinkage=None | 'auto' | float)
on random data and on EEGMMIDB tangent-space features.
Run from the repo root: /usr/bin/python3 testdata/gen/lda_ref.py
"""
import json
import os
import sys

import numpy as np
from sklearn.covariance import ledoit_wolf
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.dirname(__file__))
from lda_tsfeatures import eegmmidb_ts_features  # noqa: E402


def class_shrinkages(X, y):
    # The Ledoit-Wolf coefficient sklearn's _cov(..., 'auto') uses per class.
    out = []
    for c in np.unique(y):
        z = StandardScaler().fit_transform(X[y == c])
        out.append(ledoit_wolf(z)[1] if X.shape[1] > 1 else 0.0)
    return out


DATA = {}


def dataset(name, X, y, Xt=None):
    # Without Xt the training rows are also the test rows.
    DATA[name] = {"x": X.tolist(), "y": y.tolist()}
    if Xt is not None:
        DATA[name]["xtest"] = Xt.tolist()
    return name


def case(name, data, shrinkage, rows=None):
    X, y = np.array(DATA[data]["x"]), np.array(DATA[data]["y"])
    if rows is not None:  # a subset of the rows of data
        X, y = X[rows], y[rows]
    Xt = np.array(DATA[data]["xtest"]) if "xtest" in DATA[data] else X
    clf = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=shrinkage).fit(X, y)
    dec = clf.decision_function(Xt)
    return {
        "name": name, "data": data, "rows": None if rows is None else np.flatnonzero(rows).tolist(),
        "shrinkage": shrinkage,
        "classes": clf.classes_.tolist(),
        "priors": clf.priors_.tolist(),
        "means": clf.means_.tolist(),
        "lw_shrinkage": class_shrinkages(X, y) if shrinkage == "auto" else [],
        "coef": clf.coef_.tolist(), "intercept": clf.intercept_.tolist(),
        "decision": dec.tolist(),
        "proba": clf.predict_proba(Xt).tolist(),
        "predict": clf.predict(Xt).tolist(),
    }


rng = np.random.default_rng(20240601)
cases = []

# Random, well-posed (n > p): every shrinkage mode, binary and multiclass.
means3 = rng.normal(size=(3, 6))
y3 = np.repeat([0, 1, 2], [20, 25, 15])
mix = rng.normal(size=(6, 6)) @ np.diag([1, 2, 0.5, 1, 3, 1])
X3 = means3[y3] + rng.normal(size=(60, 6)) @ mix
Xt3 = rng.normal(size=(12, 6)) * 1.5
d3 = dataset("rand3", X3, y3, Xt3)
for s in [None, "auto", 0.3, 1.0]:
    cases.append(case(f"rand3_{s}", d3, s))
y2 = np.where(y3 == 2, 9, -4)  # unequal, non-contiguous labels
d2 = dataset("rand2", X3, y2, Xt3)
cases.append(case("rand2_none", d2, None))
cases.append(case("rand2_auto", d2, "auto"))

# More features than samples (the tangent-space regime), one constant feature.
Xw = rng.normal(size=(30, 80))
yw = np.repeat([5, 6], [14, 16])
Xw[yw == 6, :10] += 0.8
Xw[:, 7] = 2.5
dw = dataset("wide", Xw, yw, rng.normal(size=(8, 80)))
cases.append(case("wide_auto", dw, "auto"))
cases.append(case("wide_fixed", dw, 0.2))

# One feature (ledoit_wolf's special case).
X1 = rng.normal(size=(20, 1))
y1 = np.repeat([0, 1], 10)
X1[y1 == 1] += 1.0
cases.append(case("onefeat_auto", dataset("onefeat", X1, y1, X1[:5]), "auto"))

# EEGMMIDB tangent space: imagined left/right (binary) and all four classes.
X, y = eegmmidb_ts_features()
de = dataset("eegmmidb", X, y)
cases.append(case("eegmmidb_lr_auto", de, "auto", rows=y <= 2))
cases.append(case("eegmmidb_4c_auto", de, "auto", rows=y > 0))

os.makedirs("lda/testdata", exist_ok=True)
with open("lda/testdata/lda_ref.json", "w") as f:
    json.dump({"data": DATA, "cases": cases}, f, separators=(",", ":"))
for c in cases:
    print(c["name"], np.asarray(c["coef"]).shape, c["lw_shrinkage"][:4])
