"""Reference values for package eval: NumPy 1.24 RandomState draws,
scikit-learn 1.2 StratifiedKFold folds and metrics, SciPy 1.10 wilcoxon and
combine_pvalues, and MOABB's meta-analysis statistics.

MOABB is not installable here: compute_pvals_perm, compute_pvals_wilcoxon,
compute_effect, compute_dataset_statistics, combine_pvalues, combine_effects
and find_significant_differences (moabb/analysis/meta_analysis.py, current
master) are transcribed below with NumPy in place of pandas.
Run from the repo root: /usr/bin/python3 testdata/gen/eval_ref.py
"""
import itertools
import json
import os
import warnings

import numpy as np
import scipy.stats as stats
from sklearn.metrics import (accuracy_score, balanced_accuracy_score,
                             cohen_kappa_score, roc_auc_score)
from sklearn.model_selection import StratifiedKFold

warnings.simplefilter("ignore")
out = {}

# --- NumPy RandomState -------------------------------------------------------
rs_cases = []
for seed in [0, 1, 42, 2024, 4294967295]:
    rs = np.random.RandomState(seed)
    c = {"seed": seed}
    c["uint32"] = rs.randint(0, 2**32, size=700, dtype=np.uint32).tolist()
    c["random_sample"] = rs.random_sample(5).tolist()
    c["permutations"] = {str(n): rs.permutation(n).tolist() for n in [1, 2, 10, 100, 1000]}
    c["randint2"] = rs.randint(0, 2, size=50).tolist()
    c["randint_big"] = [str(v) for v in rs.randint(0, 2**40, size=5)]
    c["choice"] = np.random.RandomState(seed).choice([1, -1], size=40, replace=True).tolist()
    rs_cases.append(c)
out["randomstate"] = rs_cases

# --- StratifiedKFold ---------------------------------------------------------
rng = np.random.default_rng(11)
label_sets = {
    "binary90": rng.permutation(np.repeat([0, 1], 45)),
    "three_unsorted": np.array([5, 2, 5, 9, 2, 2, 5, 9, 9, 5, 2, 5, 5, 9, 2, 2, 5, 9, 2, 5, 5, 9, 2]),
    "imbalanced": rng.permutation(np.repeat([1, 2, 3, 4], [30, 7, 12, 3])),  # class 4 < n_splits
    "eegmmidb_order": np.array([2, 1, 2, 1, 1, 2, 1, 2, 2, 1, 1, 2, 2, 1, 2,
                                1, 2, 1, 1, 2, 2, 1, 2, 1, 1, 2, 1, 2, 2, 1,
                                2, 1, 1, 2, 1, 2, 2, 1, 1, 2, 2, 1, 2, 1, 2]),
    "small": np.array([0, 1, 0, 1, 1, 0, 1]),
}
skf = []
for name, y in label_sets.items():
    for n_splits in [2, 3, 5]:
        if n_splits > len(y):
            continue
        for seed in [None, 0, 1, 42, 12345]:
            cv = StratifiedKFold(n_splits, shuffle=seed is not None, random_state=seed)
            try:
                folds = [f.tolist() for _, f in cv.split(np.zeros(len(y)), y)]
            except ValueError:
                folds = None  # sklearn refuses: the Go split must fail too
            skf.append({"name": name, "y": y.tolist(), "n_splits": n_splits, "seed": seed, "test": folds})
out["stratified_kfold"] = skf

# --- Metrics -----------------------------------------------------------------
metric_cases = []
for i, (n, k) in enumerate([(40, 2), (90, 2), (60, 4), (25, 3), (12, 2)]):
    yt = rng.integers(0, k, n) * 3 + 1
    yp = np.where(rng.random(n) < 0.7, yt, rng.integers(0, k + 1, n) * 3 + 1)  # k+1: a label only predicted
    c = {"y_true": yt.tolist(), "y_pred": yp.tolist(),
         "accuracy": accuracy_score(yt, yp),
         "balanced_accuracy": balanced_accuracy_score(yt, yp),
         "kappa": cohen_kappa_score(yt, yp)}
    if k == 2:
        # Scores with ties (rounded) and without.
        s = rng.normal(size=n) + (yt == yt.max())
        if i % 2:
            s = np.round(s, 1)
        c["score"] = s.tolist()
        c["roc_auc"] = roc_auc_score(yt, s)
    metric_cases.append(c)
out["metrics"] = metric_cases

# --- Wilcoxon ----------------------------------------------------------------
wil = []
def wcase(name, x, y):
    r = stats.wilcoxon(x, y)
    wil.append({"name": name, "x": list(map(float, x)), "y": list(map(float, y)),
                "statistic": float(r.statistic), "p": float(r.pvalue)})

x = rng.normal(size=10)
wcase("exact10", x, x + rng.normal(0.5, 1, 10))
wcase("exact_ties", np.array([0.8, 0.7, 0.9, 0.6, 0.85, 0.75, 0.9, 0.65, 0.7, 0.95]),
      np.array([0.7, 0.8, 0.8, 0.5, 0.75, 0.65, 0.8, 0.7, 0.6, 0.85]))
wcase("center", np.array([1.0, 0, 0, 4]), np.array([0.0, 2, 3, 0]))  # R+ at the centre: p = 1
wcase("zeros_approx", np.array([0.8, 0.7, 0.9, 0.6, 0.85, 0.75, 0.9, 0.65, 0.7, 0.95, 0.5]),
      np.array([0.8, 0.8, 0.8, 0.5, 0.75, 0.65, 0.9, 0.7, 0.6, 0.85, 0.5]))
x = rng.normal(size=30)
wcase("exact30", x, x + rng.normal(0.2, 1, 30))
x = rng.normal(size=50)
wcase("exact50", x, x - rng.normal(0.1, 1, 50))
x = rng.normal(size=60)
wcase("approx60", x, x + rng.normal(0.3, 1, 60))
xa = np.round(rng.random(80), 1)
wcase("approx_ties", xa, np.round(xa + rng.normal(0.05, 0.2, 80), 1))
x = rng.normal(size=200)
wcase("approx_tiny_p", x, x + rng.normal(1.5, 0.5, 200))
out["wilcoxon"] = wil


# --- MOABB meta-analysis (transcription) -------------------------------------
def compute_pvals_wilcoxon(data):
    k = data.shape[1]
    res = np.zeros((k, k))
    floor, ceil = np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0)
    for i in range(k):
        for j in range(k):
            if i != j:
                diffs = data[:, i] - data[:, j]
                if (diffs == 0).all():
                    res[i, j] = 0.5
                    continue
                p = stats.wilcoxon(data[:, i], data[:, j])[1]
                p /= 2
                if diffs.mean() < 0:
                    p = 1 - p
                res[i, j] = min(max(p, floor), ceil)
    return res


def _pairedttest_exact(data):
    res = np.zeros(data.shape[1:], dtype=np.int32)
    true = data.sum(axis=0)
    nperms = 2 ** data.shape[0]
    for perm in itertools.product([-1, 1], repeat=data.shape[0]):
        perm = np.array(perm)
        randperm = (data * perm[:, None, None]).sum(axis=0)
        res += randperm >= true
    res[res >= nperms] = nperms - 1
    return res / nperms


def _pairedttest_random(data, nperms, seed=None):
    rng = np.random.RandomState(seed)  # sklearn's check_random_state(int)
    res = np.ones(data.shape[1:], dtype=np.int32)
    true = data.sum(axis=0)
    for _ in range(nperms):
        perm = rng.choice([1, -1], size=(data.shape[0],), replace=True)
        randperm = (data * perm[:, None, None]).sum(axis=0)
        res += randperm >= true
    res[res >= nperms] = nperms - 1
    return res / nperms


def compute_pvals_perm(scores, seed=None):
    k = scores.shape[1]
    data = np.zeros((scores.shape[0], k, k))
    for i in range(k - 1):
        for j in range(i + 1, k):
            data[:, i, j] = scores[:, i] - scores[:, j]
            data[:, j, i] = scores[:, j] - scores[:, i]
    if data.shape[0] > 13:
        return _pairedttest_random(data, 10000, seed=seed)
    return _pairedttest_exact(data)


def compute_effect(data):
    k = data.shape[1]
    res = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if i != j:
                diffs = data[:, i] - data[:, j]
                mean = diffs.mean()
                if (diffs == diffs[0]).all():
                    res[i, j] = 0.0 if mean == 0 else np.copysign(np.inf, mean)
                else:
                    # pandas Series.std (ddof=1): sqrt(sum((mean - d)^2) / (n - 1))
                    res[i, j] = mean / np.sqrt(((mean - diffs) ** 2).sum() / (len(diffs) - 1))
    return res


def collapse_and_pivot(rows, dataset):
    sub = sorted({r["subject"] for r in rows if r["dataset"] == dataset})
    pipes = sorted({r["pipeline"] for r in rows if r["dataset"] == dataset})
    m = np.zeros((len(sub), len(pipes)))
    for a, s in enumerate(sub):
        for b, p in enumerate(pipes):
            v = [r["score"] for r in rows if r["dataset"] == dataset and r["subject"] == s and r["pipeline"] == p]
            m[a, b] = np.mean(v)
    return sub, pipes, m


def compute_dataset_statistics(rows, perm_cutoff=20, seed=None):
    res = []
    for d in dict.fromkeys(r["dataset"] for r in rows):
        sub, pipes, m = collapse_and_pivot(rows, d)
        if m.shape[0] < perm_cutoff:
            p, test = compute_pvals_perm(m, seed), "permutation"
        else:
            p, test = compute_pvals_wilcoxon(m), "wilcoxon"
        res.append({"dataset": d, "pipelines": pipes, "subjects": sub, "scores": m.tolist(),
                    "mean": m.mean(axis=0).tolist(), "test": test, "p": p.tolist(),
                    "smd": compute_effect(m).tolist(), "nsub": len(sub)})
    return res


def find_significant_differences(dstats):
    algs = list(dstats[0]["pipelines"])
    nsubs = np.array([d["nsub"] for d in dstats], dtype=float)
    k = len(algs)
    P, T = np.full((k, k), np.nan), np.full((k, k), np.nan)
    for i in range(k):
        for j in range(k):
            if i != j:
                p = np.array([d["p"][i][j] for d in dstats])
                t = np.array([d["smd"][i][j] for d in dstats])
                W = np.sqrt(nsubs)
                P[i, j] = p.item() if len(p) == 1 else stats.combine_pvalues(p, weights=W, method="stouffer")[1]
                W = W / W.sum()
                T[i, j] = (W * t).sum()
    return algs, P, T


def accuracies(n_sub, n_pipe, n_trials, shift):
    # Scores that are multiples of 1/n_trials, as accuracies are.
    base = rng.integers(n_trials // 2, n_trials, size=(n_sub, 1))
    s = base + rng.integers(-3, 4, size=(n_sub, n_pipe)) + np.array(shift)[None, :]
    return np.clip(s, 0, n_trials) / n_trials


meta = {}
s8 = accuracies(8, 4, 20, [0, 1, 2, 0])
s8[:, 3] = s8[:, 0]  # two identical pipelines
meta["perm_exact"] = {"scores": s8.tolist(), "p": compute_pvals_perm(s8).tolist()}
s13 = accuracies(13, 3, 40, [0, 2, -1])
meta["perm_exact13"] = {"scores": s13.tolist(), "p": compute_pvals_perm(s13).tolist()}
s15 = accuracies(15, 3, 30, [0, 1, 3])
meta["perm_random"] = {"scores": s15.tolist(), "seed": 7, "p": compute_pvals_perm(s15, seed=7).tolist()}
s25 = accuracies(25, 3, 50, [0, 2, 0])
s25[:, 2] = s25[:, 0]
meta["wilcoxon"] = {"scores": s25.tolist(), "p": compute_pvals_wilcoxon(s25).tolist()}
meta["effect"] = {"scores": s25.tolist(), "smd": compute_effect(s25).tolist()}
b16 = rng.integers(8, 16, size=8) / 16  # exact binary fractions: constant differences
s_const = np.column_stack([b16, b16 + 0.125, b16, rng.integers(8, 16, size=8) / 16])
meta["effect_const"] = {"scores": s_const.tolist(), "smd": compute_effect(s_const).tolist()}

rows = []
for d, (n_sub, n_ses, n_trials) in {"dsB": (10, 2, 20), "dsA": (22, 1, 40), "dsC": (16, 1, 30)}.items():
    for s in range(1, n_sub + 1):
        for ses in range(n_ses):
            base = rng.integers(n_trials // 2, n_trials)
            for p, shift in zip(["csp+lda", "ts+lr", "ts+svm", "mdm"], [0, 2, 1, -1]):
                v = np.clip(base + shift + rng.integers(-3, 4), 0, n_trials) / n_trials
                rows.append({"dataset": d, "subject": int(s), "session": f"session_{ses}", "pipeline": p, "score": float(v)})
dstats = compute_dataset_statistics(rows, seed=3)
algs, P, T = find_significant_differences(dstats)
meta["dataset_statistics"] = {"rows": rows, "seed": 3, "stats": dstats,
                              "combined": {"pipelines": algs, "p": P.tolist(), "smd": T.tolist()}}
stouffer = []
for p, w in [([0.01, 0.2, 0.5], [3.0, 4.0, 5.0]), ([1e-12, 0.9], [1.0, 2.0]), ([0.3, 0.7, 0.999999], [2.0, 2.0, 1.0])]:
    stouffer.append({"p": p, "w": w, "combined": stats.combine_pvalues(p, weights=w, method="stouffer")[1]})
meta["stouffer"] = stouffer
out["meta"] = meta

def clean(o):
    # JSON has no NaN/Infinity: write them as strings.
    if isinstance(o, float) and not np.isfinite(o):
        return "NaN" if np.isnan(o) else ("Infinity" if o > 0 else "-Infinity")
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o


out = clean(out)
os.makedirs("eval/testdata", exist_ok=True)
with open("eval/testdata/eval_ref.json", "w") as f:
    json.dump(out, f, separators=(",", ":"), allow_nan=False)
print("stratified cases", len(skf), "wilcoxon", [(w["name"], w["p"]) for w in wil])
for d in dstats:
    print(d["dataset"], d["test"], d["nsub"])
