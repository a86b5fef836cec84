"""MNE-Python 1.3's TAL parsing (mne.io.edf.edf._read_annotations_edf) on
hand-made annotation streams, for bcikit's edf TAL matcher.

Run from the repository root: /usr/bin/python3 testdata/gen/edf_tal_ref.py
Writes edf/testdata/ref_tal.json: [{"input": base64 bytes, "onset": [...],
"duration": [...], "description": [...]}].
"""
import base64
import json
import os

import numpy as np
from mne.io.edf.edf import _read_annotations_edf

CASES = [
    b"+0\x14\x14\x00+1.5\x150.25\x14A\x14B\x14\x00",
    b"+0.25\x14\x14\x00\x00\x00+1\x14late\x14\x00+0.5\x15\x14x\x14\x00",  # \x15 without digits
    b"+3\x14\x14\x00+4\x14first\x14\x00",  # first TAL sets the offset
    b"+0\x14\x14\x00+2\x14has\nnewline\x14\x00+3\x14ok\x14\x00",
    b"+0\x14\x14\x00+2\x14a\x14\x14b\x14\x00",  # empty middle text
    b"+0\x14\x14\x00++1\x14plus\x14\x00--2\x14minus\x14\x00-0.5\x152\x14neg\x14\x00",
    b"+0\x14\x14\x00+1\x14text with \x00 NUL\x14\x00+2\x14trailing\x00\x00\x14\x00",
    b"+0\x14\x14\x00+1.\x15.5\x14dot\x14\x00+.5\x14nodigit\x14\x00+7\x1510.\x14x\x14\x00",
    "+0\x14\x14\x00+\u0661\u0662.\u0665\x14arabic digits\x14\x00+1\x14\u4ef0\u5367\x14\x00".encode(),
    b"+0\x14\x14\x00+1\x14unterminated\x14+2\x14next\x14\x00",
    b"+0\x14\x14\x00+1\x14a\x14\x00\x14\x00+2\x14b\x14\x00",
    b"+1\x14first has text\x14\x00+2\x14\x14\x00+3\x14x\x14\x00",  # no time-keeping first
    b"no tal at all \x00\x00\x14\x00",
    b"+0\x14\x14\x00+00012.50000\x15000.1\x14zeros\x14\x00",
    b"+0\x14\x14\x00" + b"+1" * 50 + b"\x14many\x14\x00",
]


def main():
    out = []
    for raw in CASES:
        b = raw + (b"\x00" if len(raw) % 2 else b"")
        samples = np.frombuffer(b, dtype="<i2")
        onset, duration, desc = _read_annotations_edf(samples[np.newaxis, :])
        out.append({"input": base64.b64encode(raw).decode(), "onset": [float(x) for x in onset],
                    "duration": [float(x) for x in duration], "description": [str(x) for x in desc]})
    path = os.path.join(os.path.dirname(__file__), "..", "..", "edf", "testdata", "ref_tal.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=0, ensure_ascii=False)


if __name__ == "__main__":
    main()
