"""Reference values for lsl: liblsl writes the floating-point fields of a
stream info (nominal_srate, version, created_at) with
std::ostringstream << std::setprecision(16) << std::showpoint, which is C's
"%#.16g"; its time-probe replies use precision 16 without showpoint ("%.16g").
Python's % formatting is C's printf. Writes lsl/testdata/format_double.json.

    /usr/bin/python3 testdata/gen/lsl_format.py
"""
import json
import os
import random

random.seed(9)
vals = [0.0, 1.0, -1.0, 100.0, 1.1, 512.0, 1000.0, 0.5, 123456.789, 1e-5, 1.5e-4, 0.0001, 1e15, 1e16,
        1.2345678901234567e16, 3e20, -2.5e-7, 16777217.0, 10582.602294944001, 0.1, 2.0 / 3.0,
        1e-300, 1.7976931348623157e308, 5e-324]
for _ in range(200):
    e = random.randint(-12, 20)
    vals.append(random.uniform(-1, 1) * 10.0 ** e)
out = [{"v": v, "showpoint": "%#.16g" % v, "g16": "%.16g" % v} for v in vals]
path = os.path.join(os.path.dirname(__file__), "..", "..", "lsl", "testdata", "format_double.json")
with open(path, "w") as f:
    json.dump(out, f, indent=0)
print(len(out), "values written to", os.path.normpath(path))
