"""Shared helper: dump what MNE-Python reads from a raw file as a small JSON
fixture (header, annotations, per-channel sums and the samples at a fixed set
of indices). bcikit's internal/reftest compares a Raw against it.

Use from a generator script:
    from mneref import dump
    dump(raw, "formats/EDF/test_reduced.edf", "edf/testdata/ref_test_reduced.json",
         reader="read_raw_edf", kwargs={})
Run with /usr/bin/python3 (Debian's python3-mne, MNE 1.3).
"""
import json
import os

import numpy as np
from mne.io.constants import FIFF

_UNITS = {FIFF.FIFF_UNIT_V: "V", FIFF.FIFF_UNIT_T: "T", FIFF.FIFF_UNIT_T_M: "T/m",
          FIFF.FIFF_UNIT_NONE: "NA", FIFF.FIFF_UNIT_CEL: "C", FIFF.FIFF_UNIT_MOL: "M"}


def sample_indices(n, spread=300, edge=20):
    """Indices compared sample by sample: the first and last `edge` and `spread` between."""
    idx = np.concatenate([np.arange(min(edge, n)), np.arange(max(0, n - edge), n),
                          np.linspace(0, n - 1, spread).astype(np.int64)])
    return np.unique(idx)


def dump(raw, rel_path, out_path, reader, kwargs=None, spread=300, edge=20):
    """Write the fixture; smaller spread/edge keep fixtures of derived data
    (filtered, re-referenced) small: the per-channel sums still cover every
    sample."""
    data = raw.get_data()
    n = data.shape[1]
    idx = sample_indices(n, spread, edge)
    md = raw.info["meas_date"]
    fx = {
        "file": rel_path,
        "reader": reader,
        "kwargs": kwargs or {},
        "mne_version": __import__("mne").__version__,
        "ch_names": list(raw.ch_names),
        "ch_types": list(raw.get_channel_types()),
        "units": [_UNITS.get(int(ch["unit"]), str(int(ch["unit"]))) for ch in raw.info["chs"]],
        "sfreq": float(raw.info["sfreq"]),
        "n_samples": int(n),
        "first_samp": int(raw.first_samp),
        "meas_date": None if md is None else md.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "annotations": [{"onset": float(a["onset"]), "duration": float(a["duration"]),
                         "description": str(a["description"])} for a in raw.annotations],
        "indices": idx.tolist(),
        "values": data[:, idx].tolist(),
        "sum": data.sum(axis=1).tolist(),
        "sumabs": np.abs(data).sum(axis=1).tolist(),
        "sumsq": (data ** 2).sum(axis=1).tolist(),
        "maxabs": np.abs(data).max(axis=1).tolist() if n else [0.0] * data.shape[0],
    }
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(fx, f, separators=(",", ":"))
    return fx
