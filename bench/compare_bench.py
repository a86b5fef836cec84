"""compare_bench.py: the Python reference of `bcikit bench` (within-session).

What a MOABB 0.4.6 user runs, with MNE 1.3, scikit-learn 1.2 and pyRiemann
0.6: read every recording of each subject, cut the trials as the paradigm's
process_raw does, and score every pipeline by 5-fold stratified
cross-validation inside each session (MOABB's WithinSessionEvaluation).
MOABB and pyRiemann cannot be installed here, so their parts are NumPy/SciPy
transcriptions taken from testdata/gen (each names what it mirrors):

  paradigm_ref.process_raw   MOABB BaseParadigm.process_raw (filter each band
                             of a copy of the raw with MNE's IIR, mne.Epochs,
                             x 1e6)
  riemann_ref                pyRiemann mean_riemann, TangentSpace, MDM, FgMDM
  cov_ref                    pyRiemann covariances ('oas', 'lwf', 'cov') and
                             MOABB AugmentedDataset
  cca_ref                    MOABB SSVEP_CCA's reference signals and its
                             sklearn-CCA correlation

Everything else is the real library: mne.io readers, mne.Epochs,
mne.decoding.CSP, sklearn's LDA, LogisticRegression, SVC, SelectKBest,
mutual_info_classif, StratifiedKFold, cross_val_score and scorers.

The folds: StratifiedKFold(5, shuffle=True, random_state=SEED) on each
session's trials in paradigm order (MOABB's within-session CV); written with
--splits-out in the JSON format of bcikit's eval.Splits, so that
`bcikit bench --splits FILE` runs on exactly the same folds, or read with
--splits-in. The score of a session is the mean over its folds of roc_auc
(decision_function, else predict_proba of the larger class, as sklearn's
'roc_auc' scorer chooses) for two classes, accuracy otherwise; time is the
wall time of cross_val_score divided by the number of folds (MOABB's
"time"). Labels are the class codes (MOABB label-encodes the class names; the
order of the classes, hence roc_auc, is the same).

Datasets (as bcikit's dataset package names them):
  eegmmidb-imagery-lr   EEGMMIDB runs 4, 8, 12 (one session "0"); T1 -> 2
                        left_hand, T2 -> 3 right_hand; [0, 3] s; 8-32 Hz;
                        filter bank 8-12, ..., 28-32 Hz
  eegmmidb-imagery-ff   runs 6, 10, 14; T1 -> 4 hands, T2 -> 5 feet
  eegmmidb-executed-lr  runs 3, 7, 11; codes as imagery-lr
  eegmmidb-executed-ff  runs 5, 9, 13; codes as imagery-ff
  ssvep-exo             SSVEP-Exo, each record-[DATE]_raw.fif a session (sorted
                        by name), events from record-[DATE]-eve.fif: 1 rest,
                        2 = 13 Hz, 3 = 21 Hz, 4 = 17 Hz; [2, 5] s; 7-45 Hz;
                        filter bank [f-1, f+1] Hz for f = 13, 17, 21 (the
                        "extended signal" of pyRiemann's SSVEP example)

Pipelines (bcikit's decode package lists the same):
  csp+lda     CSP(n_components=4, log=True) -> LDA(solver='lsqr', shrinkage='auto')
  ts+lr       Covariances('oas') -> TangentSpace('riemann') -> LogisticRegression(C=1)
  ts+svm      Covariances('oas') -> TangentSpace('riemann') -> SVC(kernel='linear')
  mdm         Covariances('oas') -> MDM('riemann')
  fgmdm       Covariances('oas') -> FgMDM('riemann')
  acm+ts+svm  AugmentedDataset(order=4, lag=2) -> Covariances('cov') -> TangentSpace -> SVC(kernel='rbf')
  fbcsp+svm   FilterBank(CSP(n_components=4)) -> SelectKBest(mutual_info_classif, k=10) -> SVC(kernel='linear')
  fb+mdm      ExtendedSSVEPSignal -> Covariances('lwf') -> MDM('riemann')
  fb+ts+lr    ExtendedSSVEPSignal -> Covariances('lwf') -> TangentSpace -> LogisticRegression(C=1)
  cca         SSVEP_CCA(interval=[2, 5], 3 harmonics) on the 7-45 Hz trials (SSVEP only)

Run (from the repository root):
  /usr/bin/python3 bench/compare_bench.py --data ../shared/data \\
      --dataset eegmmidb-imagery-lr --pipelines csp+lda,ts+lr,mdm --seed 42 \\
      --splits-out splits.json --out results.csv
"""
import argparse
import ast
import csv
import glob
import json
import os
import re
import sys
import time
import types
import warnings

T_START = time.perf_counter()

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "testdata", "gen")
sys.path.insert(0, GEN)

import mne  # noqa: E402
import numpy as np  # noqa: E402
from mne.decoding import CSP  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone  # noqa: E402
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA  # noqa: E402
from sklearn.feature_selection import SelectKBest, mutual_info_classif  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.svm import SVC  # noqa: E402


def _static(node):
    """True when evaluating the expression node calls nothing (calls inside
    a lambda's body run later, so they do not count)."""
    if isinstance(node, ast.Call):
        return False
    if isinstance(node, ast.Lambda):
        return True
    return all(_static(c) for c in ast.iter_child_nodes(node))


def load_definitions(name):
    """Import the imports, functions, classes and call-free constant tables
    (UPPER_CASE names) of testdata/gen/<name>.py, without its other
    module-level statements.

    riemann_ref.py and cov_ref.py compute and write their fixtures at module
    level (they have no __main__ guard): a plain import would redo all of that
    and rewrite other packages' testdata. Their definitions are what is
    wanted here; this runs exactly those, from the file itself."""
    path = os.path.join(GEN, name + ".py")
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    keep = [n for n in tree.body
            if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
            or (isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
                and n.targets[0].id.isupper() and _static(n.value))]
    mod = types.ModuleType(name)
    mod.__file__ = path
    sys.modules[name] = mod
    exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"), mod.__dict__)
    return mod


riemann_ref = load_definitions("riemann_ref")
cov_ref = load_definitions("cov_ref")
import cca_ref  # noqa: E402  (main() is guarded)
import paradigm_ref  # noqa: E402  (main() is guarded)

mne.set_log_level("error")
warnings.simplefilter("ignore")  # lbfgs ConvergenceWarning: a MOABB run prints and goes on

# ---- datasets -----------------------------------------------------------------
MI_FB = [[8.0, 12.0], [12.0, 16.0], [16.0, 20.0], [20.0, 24.0], [24.0, 28.0], [28.0, 32.0]]
LR = {"codes": {"T1": 2, "T2": 3}, "event_id": {"left_hand": 2, "right_hand": 3}}
FF = {"codes": {"T1": 4, "T2": 5}, "event_id": {"hands": 4, "feet": 5}}
EXO_FREQS = {2: 13.0, 4: 17.0, 3: 21.0}  # code -> Hz, MOABB's SSVEPExo order
HALF = 1.0  # half width of the SSVEP filter bank, Hz

DATASETS = {
    "eegmmidb-imagery-lr": dict(kind="eegmmidb", runs=(4, 8, 12), **LR),
    "eegmmidb-imagery-ff": dict(kind="eegmmidb", runs=(6, 10, 14), **FF),
    "eegmmidb-executed-lr": dict(kind="eegmmidb", runs=(3, 7, 11), **LR),
    "eegmmidb-executed-ff": dict(kind="eegmmidb", runs=(5, 9, 13), **FF),
    "ssvep-exo": dict(kind="ssvep", event_id={"13": 2, "17": 4, "21": 3, "rest": 1}),
}
for _name, _d in DATASETS.items():
    if _d["kind"] == "eegmmidb":
        _d.update(subjects=range(1, 110), interval=(0.0, 3.0), band=[8.0, 32.0], fb=MI_FB)
    else:
        _d.update(subjects=range(1, 13), interval=(2.0, 5.0), band=[7.0, 45.0],
                  fb=[[f - HALF, f + HALF] for f in sorted(EXO_FREQS.values())], freqs=EXO_FREQS)


def eegmmidb_file(data, subject, run):
    return os.path.join(data, "eegmmidb", "S%03d" % subject, "S%03dR%02d.edf" % (subject, run))


def ssvep_files(data, subject):
    """(session name, raw file, event file) of a subject, sorted by name."""
    folder = os.path.join(data, "ssvep-exo", "subject%02d" % subject)
    out = []
    for f in sorted(glob.glob(os.path.join(glob.escape(folder), "record-*_raw.fif"))):
        stem = os.path.basename(f)[len("record-"):-len("_raw.fif")]
        if stem.startswith("[") and stem.endswith("]") and len(stem) > 2:
            stem = stem[1:-1]
        out.append((stem, f, f[:-len("_raw.fif")] + "-eve.fif"))
    return out


def present(data, ds, subject):
    d = DATASETS[ds]
    if d["kind"] == "eegmmidb":
        return all(os.path.isfile(eegmmidb_file(data, subject, r)) for r in d["runs"])
    files = ssvep_files(data, subject)
    return bool(files) and all(os.path.isfile(e) for _, _, e in files)


def recordings(data, ds, subject):
    """Yield (session, raw, events) of a subject, in MOABB's order."""
    d = DATASETS[ds]
    if d["kind"] == "eegmmidb":
        for run in d["runs"]:
            raw = mne.io.read_raw_edf(eegmmidb_file(data, subject, run), preload=True)
            mne.datasets.eegbci.standardize(raw)
            events, _ = mne.events_from_annotations(raw, event_id=d["codes"])
            yield "0", raw, events
    else:
        for session, f, eve in ssvep_files(data, subject):
            yield session, mne.io.read_raw_fif(f, preload=True), mne.read_events(eve)


def load_subject(data, ds, subject, need_trials, need_bands):
    """Cut a subject's trials: {session: {"X": (n, ch, t) main band,
    "FB": (n, ch, t, bands) or None, "y": codes}} with sessions in order, and
    the number of EEG channels."""
    d = DATASETS[ds]
    tmin, tmax = d["interval"]
    bands = ([d["band"]] if need_trials else []) + (d["fb"] if need_bands else [])
    sessions, n_ch = {}, None
    for session, raw, events in recordings(data, ds, subject):
        out = paradigm_ref.process_raw(raw, events, d["event_id"], bands, tmin, tmax)
        if out is None:  # no event of the classes: MOABB skips the recording
            continue
        xs, ep = out
        n_ch = xs[0].shape[1]
        s = sessions.setdefault(session, {"X": [], "FB": [], "y": []})
        if need_trials:
            s["X"].append(xs[0])
        if need_bands:
            s["FB"].append(np.stack(xs[-len(d["fb"]):], axis=-1))  # MOABB: bands last
        s["y"].append(ep.events[:, 2])
    for s in sessions.values():
        s["X"] = np.concatenate(s["X"]) if need_trials else None
        s["FB"] = np.concatenate(s["FB"]) if need_bands else None
        s["y"] = np.concatenate(s["y"])
    return sessions, n_ch


# ---- pipeline steps (pyRiemann / MOABB estimators over the transcriptions) -----
class Covariances(BaseEstimator, TransformerMixin):
    """pyriemann.estimation.Covariances: one covariance per trial."""

    def __init__(self, estimator="scm"):
        self.estimator = estimator

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        est = cov_ref.ESTIMATORS[self.estimator]
        return np.array([est(x) for x in X])


class AugmentedDataset(BaseEstimator, TransformerMixin):
    """moabb.pipelines.features.AugmentedDataset (delay embedding)."""

    def __init__(self, order=1, lag=1):
        self.order, self.lag = order, lag

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return cov_ref.augment(X, self.order, self.lag)


class ExtendedSSVEPSignal(BaseEstimator, TransformerMixin):
    """pyriemann.estimation / moabb ExtendedSSVEPSignal: (n, ch, t, bands)
    -> (n, bands*ch, t), band after band."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        n, c, t, b = X.shape
        return X.transpose((0, 3, 1, 2)).reshape(n, b * c, t)


class TangentSpace(BaseEstimator, TransformerMixin):
    """pyriemann.tangentspace.TangentSpace(metric='riemann')."""

    def __init__(self, metric="riemann"):
        self.metric = metric

    def fit(self, X, y=None):
        self.ts_ = riemann_ref.TangentSpace().fit(X)
        return self

    def transform(self, X):
        return self.ts_.transform(X)


class MDM(BaseEstimator, ClassifierMixin):
    """pyriemann.classification.MDM: no decision_function, so the roc_auc
    scorer uses predict_proba (softmax of minus the squared distances)."""

    def __init__(self, metric="riemann"):
        self.metric = metric

    def fit(self, X, y):
        self.mdm_ = riemann_ref.MDM(self.metric).fit(X, y)
        self.classes_ = self.mdm_.classes_
        return self

    def predict(self, X):
        return self.mdm_.predict(X)

    def predict_proba(self, X):
        return self.mdm_.predict_proba(X)


class FgMDM(BaseEstimator, ClassifierMixin):
    """pyriemann.classification.FgMDM(metric='riemann')."""

    def __init__(self, metric="riemann"):
        self.metric = metric

    def fit(self, X, y):
        self.fg_ = riemann_ref.FgMDM().fit(X, y)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return self.fg_.predict(X)

    def predict_proba(self, X):
        return self.fg_.predict_proba(X)


class FilterBank(BaseEstimator, TransformerMixin):
    """moabb.pipelines.utils.FilterBank: a clone of estimator per band (last
    axis), features side by side band by band."""

    def __init__(self, estimator=None):
        self.estimator = estimator

    def fit(self, X, y):
        self.models_ = [clone(self.estimator).fit(X[..., i], y) for i in range(X.shape[-1])]
        return self

    def transform(self, X):
        return np.concatenate([m.transform(X[..., i]) for i, m in enumerate(self.models_)], axis=1)


def mutual_info(X, y):
    """sklearn's mutual_info_classif with a fixed random_state (MOABB leaves it
    None; the jitter it seeds only breaks exact distance ties)."""
    return mutual_info_classif(X, y, random_state=0)


class SSVEPCCA(BaseEstimator, ClassifierMixin):
    """moabb.pipelines.classification.SSVEP_CCA: per trial and stimulation
    frequency, sklearn CCA(n_components=1) between the trial and the sine and
    cosine references (n_harmonics), the class of the largest correlation.
    freqs maps class code -> Hz; the prediction is that code (MOABB maps the
    frequency through its one_hot dict instead)."""

    def __init__(self, interval=(2.0, 5.0), freqs=None, n_harmonics=3):
        self.interval, self.freqs, self.n_harmonics = interval, freqs, n_harmonics

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        slen = self.interval[1] - self.interval[0]
        self.yf_ = cca_ref.moabb_references(self.freqs, slen, X.shape[2], self.n_harmonics)
        return self

    def _corr(self, X):
        return np.array([[cca_ref.sklearn_corr(x, yf) for yf in self.yf_.values()] for x in X])

    def predict(self, X):
        codes = np.array(list(self.yf_.keys()))
        return codes[self._corr(X).argmax(axis=1)]

    def predict_proba(self, X):
        """MOABB's predict_proba: correlations normalised to sum 1, one column
        per class (0 for a class without a frequency)."""
        corr = self._corr(X)
        p = np.zeros((len(X), len(self.classes_)))
        for j, code in enumerate(self.yf_):
            k = np.searchsorted(self.classes_, code)
            if k < len(self.classes_) and self.classes_[k] == code:
                p[:, k] = corr[:, j]
        return p / p.sum(axis=1, keepdims=True)


# name -> (input: "trials" | "bands", builder(dataset))
PIPELINES = {
    "csp+lda": ("trials", lambda d: make_pipeline(CSP(n_components=4, log=True),
                                                  LDA(solver="lsqr", shrinkage="auto"))),
    "ts+lr": ("trials", lambda d: make_pipeline(Covariances("oas"), TangentSpace("riemann"),
                                                LogisticRegression(C=1.0))),
    "ts+svm": ("trials", lambda d: make_pipeline(Covariances("oas"), TangentSpace("riemann"),
                                                 SVC(kernel="linear"))),
    "mdm": ("trials", lambda d: make_pipeline(Covariances("oas"), MDM("riemann"))),
    "fgmdm": ("trials", lambda d: make_pipeline(Covariances("oas"), FgMDM("riemann"))),
    "acm+ts+svm": ("trials", lambda d: make_pipeline(AugmentedDataset(order=4, lag=2), Covariances("cov"),
                                                     TangentSpace("riemann"), SVC(kernel="rbf"))),
    "fbcsp+svm": ("bands", lambda d: make_pipeline(FilterBank(CSP(n_components=4)),
                                                   SelectKBest(score_func=mutual_info, k=10),
                                                   SVC(kernel="linear"))),
    "fb+mdm": ("bands", lambda d: make_pipeline(ExtendedSSVEPSignal(), Covariances("lwf"), MDM("riemann"))),
    "fb+ts+lr": ("bands", lambda d: make_pipeline(ExtendedSSVEPSignal(), Covariances("lwf"),
                                                  TangentSpace("riemann"), LogisticRegression(C=1.0))),
    "cca": ("trials", lambda d: SSVEPCCA(interval=d["interval"], freqs=d["freqs"], n_harmonics=3)),
}
SSVEP_ONLY = {"fb+mdm", "fb+ts+lr", "cca"}


# ---- folds ----------------------------------------------------------------------
def read_splits(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit("compare_bench: --splits-in %s: %s" % (path, e))
    if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("splits"), list):
        raise SystemExit("compare_bench: --splits-in %s: not a version 1 splits file" % path)
    return {(s.get("subject", ""), s.get("session", "")): s for s in doc["splits"]}


def session_folds(y, seed, n_folds, splits, subject, session):
    where = "subject %s session %r" % (subject, session)
    if splits is None:
        cv = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
        try:
            return [(tr, te) for tr, te in cv.split(np.zeros(len(y)), y)]
        except ValueError as e:
            raise SystemExit("compare_bench: %s (%d trials): %s" % (where, len(y), e))
    s = splits.get((str(subject), session))
    if s is None:
        raise SystemExit("compare_bench: the splits file has no folds for %s" % where)
    if s.get("n_samples") != len(y):
        raise SystemExit("compare_bench: the splits file says %s has %s trials, the paradigm gives %d"
                         % (where, s.get("n_samples"), len(y)))
    folds = []
    for i, f in enumerate(s.get("folds") or []):
        tr, te = np.asarray(f.get("train", []), dtype=int), np.asarray(f.get("test", []), dtype=int)
        if (len(tr) == 0 or len(te) == 0 or min(tr.min(), te.min()) < 0 or max(tr.max(), te.max()) >= len(y)
                or len(np.unique(tr)) != len(tr) or len(np.unique(te)) != len(te) or np.intersect1d(tr, te).size):
            raise SystemExit("compare_bench: the splits file's fold %d of %s is invalid (empty, an index outside "
                             "0..%d, repeated, or in both train and test)" % (i, where, len(y) - 1))
        folds.append((tr, te))
    if not folds:
        raise SystemExit("compare_bench: the splits file has no folds for %s" % where)
    return folds


# ---- command line ---------------------------------------------------------------
def parse_subjects(spec, ds):
    ids = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise SystemExit("compare_bench: --subjects: bad range %r (e.g. 1-8 or 1,3,5-8)" % part)
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if a > b:
            raise SystemExit("compare_bench: --subjects: empty range %r" % part)
        for s in range(a, b + 1):
            if s not in DATASETS[ds]["subjects"]:
                raise SystemExit("compare_bench: --subjects: %s has no subject %d" % (ds, s))
            if s not in ids:
                ids.append(s)
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("BCIKIT_DATA", os.path.join(ROOT, "..", "shared", "data")))
    ap.add_argument("--dataset", default="eegmmidb-imagery-lr", choices=sorted(DATASETS))
    ap.add_argument("--subjects", default="", help="e.g. 1-8 or 1,3,5-8 (default: every subject present)")
    ap.add_argument("--pipelines", default=None, help="comma-separated (default: csp+lda,ts+lr,mdm for "
                                                      "EEGMMIDB, fb+mdm,fb+ts+lr for ssvep-exo)")
    ap.add_argument("--seed", type=int, default=42, help="StratifiedKFold random_state")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--splits-out", help="write the folds (bcikit's splits JSON)")
    ap.add_argument("--splits-in", help="use the folds of this splits JSON instead of drawing them")
    ap.add_argument("--out", help="results CSV (MOABB's columns)")
    ap.add_argument("--quiet", action="store_true", help="no per-subject progress lines")
    a = ap.parse_args()

    ds = a.dataset
    d = DATASETS[ds]
    if a.pipelines is None:
        a.pipelines = "fb+mdm,fb+ts+lr" if d["kind"] == "ssvep" else "csp+lda,ts+lr,mdm"
    names = [p.strip() for p in a.pipelines.split(",") if p.strip()]
    for p in names:
        if p not in PIPELINES:
            raise SystemExit("compare_bench: unknown pipeline %r (pipelines: %s)" % (p, ", ".join(sorted(PIPELINES))))
        if p in SSVEP_ONLY and d["kind"] != "ssvep":
            raise SystemExit("compare_bench: %s is an SSVEP pipeline; %s is not an SSVEP dataset" % (p, ds))
    if len(set(names)) != len(names) or not names:
        raise SystemExit("compare_bench: --pipelines: empty or a pipeline given twice")
    if a.folds < 2:
        raise SystemExit("compare_bench: --folds %d: need 2 or more" % a.folds)
    if not os.path.isdir(a.data):
        raise SystemExit("compare_bench: data directory %s not found (set --data or BCIKIT_DATA)" % a.data)

    if a.subjects:
        wanted = parse_subjects(a.subjects, ds)
        subjects = [s for s in wanted if present(a.data, ds, s)]
        missing = [s for s in wanted if s not in subjects]
        if missing:
            print("compare_bench: %s: skipping subjects whose files are not in %s: %s"
                  % (ds, a.data, ",".join(map(str, missing))), file=sys.stderr)
    else:
        subjects = [s for s in d["subjects"] if present(a.data, ds, s)]
    if not subjects:
        raise SystemExit("compare_bench: %s: no subject's files are in %s" % (ds, a.data))

    splits = read_splits(a.splits_in) if a.splits_in else None
    need_trials = any(PIPELINES[p][0] == "trials" for p in names)
    need_bands = any(PIPELINES[p][0] == "bands" for p in names)
    rows, out_splits = [], []
    t_load = t_eval = 0.0
    for subject in subjects:
        t0 = time.perf_counter()
        sessions, n_ch = load_subject(a.data, ds, subject, need_trials, need_bands)
        t1 = time.perf_counter()
        t_load += t1 - t0
        for session, s in sessions.items():
            y = s["y"]
            folds = session_folds(y, a.seed, a.folds, splits, subject, session)
            out_splits.append({"subject": str(subject), "session": session, "n_samples": int(len(y)),
                               "folds": [{"train": tr.tolist(), "test": te.tolist()} for tr, te in folds]})
            scoring = "roc_auc" if len(np.unique(y)) == 2 else "accuracy"
            for p in names:
                kind, build = PIPELINES[p]
                X = s["X"] if kind == "trials" else s["FB"]
                tp = time.perf_counter()
                scores = cross_val_score(build(d), X, y, cv=folds, scoring=scoring, n_jobs=1, error_score="raise")
                dt = time.perf_counter() - tp
                rows.append({"score": float(scores.mean()), "time": dt / len(folds), "samples": int(len(y)),
                             "subject": subject, "session": session, "channels": n_ch,
                             "n_sessions": len(sessions), "dataset": ds, "pipeline": p})
                if not a.quiet:
                    print("subject %d session %s %-10s %s %.4f (%.2f s/fold)" % (subject, session, p, scoring,
                                                                                scores.mean(), dt / len(folds)),
                          file=sys.stderr)
        t_eval += time.perf_counter() - t1

    if a.splits_out:
        with open(a.splits_out, "w") as f:
            json.dump({"version": 1, "splits": out_splits}, f, separators=(",", ":"))
    cols = ["score", "time", "samples", "subject", "session", "channels", "n_sessions", "dataset", "pipeline"]
    out = open(a.out, "w", newline="") if a.out else sys.stdout
    w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(dict(r, score=repr(r["score"]), time="%.6g" % r["time"]))
    if a.out:
        out.close()
    print("compare_bench: %s, %d subject(s), %s: %.2f s wall (imports %.2f s, reading and cutting %.2f s, "
          "cross-validation %.2f s)" % (ds, len(subjects), ",".join(names), time.perf_counter() - T_START,
                                        T_IMPORTS - T_START, t_load, t_eval), file=sys.stderr)


T_IMPORTS = time.perf_counter()

if __name__ == "__main__":
    main()
