"""Reference sums for internal/npsum: numpy's pairwise summation along a row.
Run from the repo root: /usr/bin/python3 testdata/gen/npsum_ref.py"""
import json

import numpy as np

rng = np.random.default_rng(3)
cases = []
for n in [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 127, 128, 129, 255, 256, 257, 1000, 4097]:
    x = rng.standard_normal(n) * 10.0 ** rng.uniform(-6, 6, n)
    cases.append({"x": x.tolist(), "sum": float(np.stack([x, x]).sum(axis=1)[0]),
                  "mean": float(np.stack([x, x]).mean(axis=1)[0])})
json.dump(cases, open("internal/npsum/testdata/sums.json", "w"))
