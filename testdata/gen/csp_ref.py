"""Reference values for package csp: mne.decoding.CSP (MNE 1.3) fitted on
small synthetic trial sets and on EEGMMIDB S001 motor-imagery trials.

Trials are stored as little-endian int16 (<name>.i16, shape in the JSON
sidecar) times a power-of-two scale, so the Go test and MNE see exactly the
same float64 values. Run from the repo root:

    /usr/bin/python3 testdata/gen/csp_ref.py
"""
import json
import os

import mne
import numpy as np
from mne.decoding import CSP
from sklearn.feature_selection import SelectKBest, mutual_info_classif

mne.set_log_level("error")
DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "csp/testdata"


def quantise(x):
    """Round x to int16 steps of a power of two; return (int16 array, scale)."""
    m = np.abs(x).max()
    e = int(np.ceil(np.log2(m / 32000.0)))
    scale = 2.0 ** e
    q = np.round(x / scale).astype(np.int16)
    return q, scale


def save_trials(name, x):
    q, scale = quantise(x)
    q.astype("<i2").tofile(os.path.join(OUT, name + ".i16"))
    return q.astype(np.float64) * scale, scale


def case(name, X, y, fit_idx, patterns=False, **kw):
    csp = CSP(**kw)
    csp.fit(X[fit_idx], y[fit_idx])
    feats = csp.transform(X)
    out = {
        "name": name,
        "params": {k: v for k, v in kw.items()},
        "fit_idx": [int(i) for i in fit_idx],
        "filters": csp.filters_.tolist(),
        "patterns": csp.patterns_.tolist() if patterns else None,
        "mean": csp.mean_.tolist(),
        "std": csp.std_.tolist(),
        "features": feats.tolist(),
    }
    return out


def synthetic(rng, n_per_class, n_ch, n_times):
    """Trials whose class changes the variance of a few mixed sources."""
    n_classes = len(n_per_class)
    mix = rng.standard_normal((n_ch, n_ch))
    X, y = [], []
    for c, n in enumerate(n_per_class):
        gains = np.ones(n_ch)
        gains[c % n_ch] = 3.0
        gains[(c + 3) % n_ch] = 0.4
        for _ in range(n):
            s = rng.standard_normal((n_ch, n_times)) * gains[:, None]
            X.append(mix @ s * 1e-5)
            y.append(c * 3 + 1)  # labels 1, 4, 7, ...: not 0..k-1
    X, y = np.array(X), np.array(y)
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def fbcsp(rng):
    """Filter-bank CSP as MOABB's FBCSP pipeline: FilterBank(CSP(n_components=4))
    then SelectKBest(mutual_info_classif, k). The bands are synthetic sets
    (the band-pass is the caller's job); each band separates the classes
    differently."""
    n_bands = 3
    y = rng.permutation(np.repeat([1, 4], 20))
    bands = []
    for b in range(n_bands):
        brng = np.random.default_rng(100 + b)
        mix = brng.standard_normal((5, 5))
        X = []
        for lab in y:
            gains = np.ones(5)
            gains[(b + lab) % 5] = 1.5 if lab == 1 else 0.7
            X.append(mix @ (brng.standard_normal((5, 50)) * gains[:, None]) * 1e-5 * (1 + b))
        bands.append(np.array(X))
    Xall, scale = save_trials("fbcsp", np.array(bands))
    fit_idx = np.arange(30)
    models = [CSP(n_components=4).fit(Xall[b][fit_idx], y[fit_idx]) for b in range(n_bands)]
    feats_fit = np.concatenate([m.transform(Xall[b][fit_idx]) for b, m in enumerate(models)], axis=1)
    feats_all = np.concatenate([m.transform(Xall[b]) for b, m in enumerate(models)], axis=1)
    k = 5
    sel = SelectKBest(score_func=lambda X, y: mutual_info_classif(X, y, random_state=0), k=k)
    sel.fit(feats_fit, y[fit_idx])
    selected = np.flatnonzero(sel.get_support())
    # mutual_info_classif on its own: 3 classes (8 to 14 samples each) and
    # features of different shapes; decimals keep the JSON short.
    mrng = np.random.default_rng(5)
    my = mrng.permutation(np.repeat([0, 2, 5], [8, 12, 14]))
    mx = np.round(np.c_[mrng.standard_normal(len(my)) + 0.8 * my,
                        mrng.exponential(size=len(my)) * (1 + (my == 2)),
                        mrng.standard_normal((len(my), 3)),
                        np.sin(my + mrng.standard_normal(len(my)))], 6)
    mi = mutual_info_classif(mx, my, random_state=0)
    return dict(mi_x=mx.tolist(), mi_y=my.tolist(), mi_scores=mi.tolist(),
                shape=list(Xall.shape), scale=scale, labels=y.tolist(), fit_idx=fit_idx.tolist(),
                k=k, features=feats_all.tolist(), scores=sel.scores_.tolist(),
                selected=selected.tolist(), selected_features=feats_all[:, selected].tolist(),
                cases=[])


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20230)
    sets = {}

    # --- synthetic two-class set
    X, y = synthetic(rng, [22, 18], 8, 80)
    X, scale = save_trials("syn2", X)
    fit_idx = np.arange(30)
    cases = [
        case("default", X, y, fit_idx, patterns=True),
        case("ncomp6", X, y, fit_idx, n_components=6),
        case("reg0.1", X, y, fit_idx, reg=0.1),
        case("reg_lw", X, y, fit_idx, reg="ledoit_wolf"),
        case("reg_oas", X, y, fit_idx, reg="oas"),
        case("epoch", X, y, fit_idx, cov_est="epoch"),
        case("epoch_lw", X, y, fit_idx, cov_est="epoch", reg="ledoit_wolf"),
        case("norm_trace", X, y, fit_idx, norm_trace=True),
        case("zscore", X, y, fit_idx, log=False),
        case("alternate", X, y, fit_idx, component_order="alternate"),
        case("all8", X, y, fit_idx, n_components=8, reg=0.3),
    ]
    # cov_est='epoch' on 5-sample trials: every trial covariance is rank
    # deficient and MNE estimates it in the trial's signal subspace.
    short = X[:, :, :5]
    short_cases = [
        case("epoch_short", short, y, fit_idx, cov_est="epoch"),
        case("epoch_short_reg", short, y, fit_idx, cov_est="epoch", reg=0.2),
    ]
    sets["syn2"] = dict(shape=list(X.shape), scale=scale, labels=y.tolist(), cases=cases,
                        short_times=5, short_cases=short_cases)

    # --- synthetic three- and four-class sets (unequal class sizes)
    X, y = synthetic(rng, [10, 13, 16], 6, 60)
    X, scale = save_trials("syn3", X)
    fit_idx = np.arange(len(y))
    cases = [
        case("default", X, y, fit_idx, patterns=True),
        case("epoch", X, y, fit_idx, cov_est="epoch"),
        case("reg_lw", X, y, fit_idx, reg="ledoit_wolf"),
        case("norm_trace_z", X, y, fit_idx, norm_trace=True, log=False, n_components=6),
    ]
    sets["syn3"] = dict(shape=list(X.shape), scale=scale, labels=y.tolist(), cases=cases)

    X, y = synthetic(rng, [7, 8, 9, 8], 5, 50)
    X, scale = save_trials("syn4", X)
    fit_idx = np.arange(len(y))
    cases = [
        case("default", X, y, fit_idx, n_components=5, patterns=True),
        case("epoch_oas", X, y, fit_idx, cov_est="epoch", reg="oas", n_components=5),
    ]
    sets["syn4"] = dict(shape=list(X.shape), scale=scale, labels=y.tolist(), cases=cases)

    # --- real data: EEGMMIDB S001 imagined left/right fist (runs 4, 8, 12)
    # plus a rest class (T0) for the multiclass case.
    raws = [mne.io.read_raw_edf(os.path.join(DATA, "eegmmidb", "S001", f"S001R{r:02d}.edf"),
                                preload=True) for r in (4, 8, 12)]
    raw = mne.concatenate_raws(raws)
    mne.datasets.eegbci.standardize(raw)
    raw.filter(8.0, 30.0, fir_design="firwin", skip_by_annotation="edge")
    events, _ = mne.events_from_annotations(raw, event_id=dict(T0=0, T1=1, T2=2))
    ep = mne.Epochs(raw, events, dict(T0=0, T1=1, T2=2), tmin=0.5, tmax=2.0,
                    baseline=None, preload=True)
    picks = ["FC3", "FC1", "FCz", "FC2", "FC4", "C3", "C1", "Cz", "C2", "C4",
             "CP3", "CP4"]
    x = ep.get_data(picks=picks)[:, :, ::2]  # 80 Hz after the 8-30 Hz band-pass
    lab = ep.events[:, 2]
    # all 45 task trials, and the first 9 rest trials
    keep = np.sort(np.r_[np.flatnonzero(lab > 0), np.flatnonzero(lab == 0)[:9]])
    x, lab = x[keep], lab[keep]
    X, scale = save_trials("eegmmidb_s001", x)
    task = np.flatnonzero(lab > 0)
    fit_task = task[: 2 * len(task) // 3]
    cases = [
        case("lr_default", X, lab, fit_task, patterns=True),
        case("lr_lw", X, lab, fit_task, reg="ledoit_wolf", n_components=6),
        case("lr_epoch", X, lab, fit_task, cov_est="epoch"),
        case("rest_lr", X, lab, np.arange(len(lab)), n_components=6),
    ]
    sets["eegmmidb_s001"] = dict(shape=list(X.shape), scale=scale, labels=lab.tolist(),
                                 channels=picks, sfreq=80.0, cases=cases)
    sets["fbcsp"] = fbcsp(rng)
    for name, s in sets.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(s, f, separators=(",", ":"))
        print(name, s["shape"], [c["name"] for c in s["cases"]])


if __name__ == "__main__":
    main()
