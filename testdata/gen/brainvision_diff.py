"""Differential check of bcikit's brainvision reader against MNE-Python 1.3
on randomly mutated file sets (not a committed fixture: a tool).

Mutates the headers and marker files of the edge cases of
brainvision_edge.py line by line (delete, duplicate, swap lines; insert or
delete characters such as , = : ; % [ ] \\1 digits; change numbers and
case; indent), sometimes truncates the data file, reads each set with MNE
and writes the outcomes in edge.json's form. The Go edge test then checks
bcikit against them:

    /usr/bin/python3 testdata/gen/brainvision_diff.py 1500 7 /tmp/bv_diff.json
    BRAINVISION_EDGE=/tmp/bv_diff.json go test -run TestMNEEdgeCases ./brainvision

MNE runs here as on a Latin-1 system (see brainvision_edge.py), so that
marker files that are not UTF-8 are compared too. The first lines are never
mutated: a wrong first line is a documented deviation.
"""
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brainvision_edge as E  # noqa: E402

import mne  # noqa: E402

PIECES = list(",=:;%#[]\\1 \t\r0123456789-+._eEnNaAiIxX") + [
    "\u00b5", "\u00e9", "\u0663", "\n", "  ", "%%", "\\1", "New Segment", "Mk", "Ch"]


def mutate(rng, text):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        if len(lines) < 2:
            break
        i = rng.randrange(1, len(lines))
        line = lines[i]
        op = rng.randrange(8)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, line)
        elif op == 2 and line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + rng.choice(PIECES) + line[j:]
        elif op == 3 and line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + line[j + 1:]
        elif op == 4:
            lines[i] = rng.choice(["", " ", "\t"]) + line
        elif op == 5:
            lines[i] = line.upper() if rng.random() < .5 else line.lower()
        elif op == 6:
            nums = list(re.finditer(r"\d+", line))
            if nums:
                m = rng.choice(nums)
                new = str(rng.choice([0, 1, 2, 3, 9, 10, 11, 12, -1, 99999]))
                lines[i] = line[:m.start()] + new + line[m.end():]
        elif op == 7:
            j = rng.randrange(1, len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def deviation(files, res):
    """The documented deviation a file set falls under, if any."""
    if "error" in res:
        return None
    if res["sfreq"] <= 0:
        return "a negative SamplingInterval is ErrHeader (MNE reads it when there are no markers)"
    hdr = files["x.vhdr"]
    hdr = hdr if isinstance(hdr, str) else hdr.decode("latin-1")
    dp = re.search(r"(?im)^DataPoints\s*[=:]\s*(\d+)", hdr)
    if "VECTORIZED" in hdr and dp and int(dp.group(1)) > len(res["data"][0]):
        return "a VECTORIZED file shorter than DataPoints is ErrTruncated"
    return None


def main():
    n, seed, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    mne.set_log_level("ERROR")
    base = [c for c in E.CASES if c["deviation"] is None]
    out = []
    for k in range(n):
        c = rng.choice(base)
        files = dict(c["files"])
        for fn in ("x.vhdr", "x.vmrk"):
            v = files[fn]
            if isinstance(v, bytes):
                try:
                    v = v.decode("utf-8")
                except UnicodeDecodeError:
                    continue
            if rng.random() < 0.6:
                files[fn] = mutate(rng, v)
        if rng.random() < 0.1 and isinstance(files["x.eeg"], bytes):
            files["x.eeg"] = files["x.eeg"][:rng.randrange(len(files["x.eeg"]) + 1)]
        case = dict(name="random %d from %s" % (k, c["name"]), files=files, deviation=None,
                    latin1_locale=True)
        res = E.run(case)
        out.append({"name": case["name"], "files": {fn: E.encode(v) for fn, v in files.items()},
                    "deviation": deviation(files, res), "mne": res})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    print(sum("error" in o["mne"] for o in out), "of", n, "refused by MNE")


if __name__ == "__main__":
    main()
