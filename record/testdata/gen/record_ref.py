"""Reference for package record: a recording killed with SIGKILL mid-stream,
read by MNE-Python 1.3.

Builds the record package's test binary, runs its TestCrashChild (which
records the synthetic stream of crash_test.go at 4x real time to a BDF+ file
with record.Create) and kills it with SIGKILL after about a second. The
killed file is kept as testdata/killed.bdf; what mne.io.read_raw_bdf makes of
it (and of the same file with half a record appended, as when the kill hits
a write) goes to testdata/killed_mne.json.

Then runs TestFixtureChild, which writes the deterministic closed recording
of fixture_test.go (markers, NaN, clipped samples, a gap, a sub-second start,
a padded last record), and stores MNE's reading of it in
testdata/closed_mne.json (the test rewrites the file and compares).

Run from the module root:  /usr/bin/python3 record/testdata/gen/record_ref.py
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings

import mne
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
tdir = os.path.dirname(here)
root = os.path.dirname(os.path.dirname(tdir))

HEADER = 256 * 6          # 4 channels + the annotation signal
RECORD = 3 * (4 * 64 + 171)


def synth(c, i):
    """The synthetic stream of record/writer_test.go."""
    i = np.asarray(i, dtype=np.float64)
    if c == 3:
        return np.mod(i, 7)
    return 1e-6 * (40 * np.sin(0.05 * i * (c + 1)) + 3 * np.cos(0.31 * i) + c)


def killed_file(tmp):
    exe = os.path.join(tmp, "record.test")
    subprocess.run(["go", "test", "-c", "-o", exe, "./record"], cwd=root, check=True)
    out = os.path.join(tmp, "killed.bdf")
    env = dict(os.environ, BCIKIT_RECORD_CRASH_CHILD=out, BCIKIT_RECORD_CRASH_CHILD_PACED="1")
    p = subprocess.Popen([exe, "-test.run=^TestCrashChild$", "-test.count=1"], env=env,
                         stdout=subprocess.PIPE, text=True)
    # Wait for about 14 records (3.5 s of stream, 0.9 s of wall time).
    t0 = time.time()
    while time.time() - t0 < 20:
        if os.path.exists(out) and os.path.getsize(out) >= HEADER + 14 * RECORD:
            break
        time.sleep(0.002)
    time.sleep(0.03)
    p.send_signal(signal.SIGKILL)
    stdout, _ = p.communicate()
    written = [int(l.split()[1]) for l in stdout.splitlines() if l.startswith("written ")]
    assert p.returncode == -signal.SIGKILL, p.returncode
    return out, max(written)


def read(path):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        raw = mne.io.read_raw_bdf(path, preload=True, verbose="error")
    return raw, [str(x.message) for x in w]


def closed(tmp, exe):
    out = os.path.join(tmp, "closed.bdf")
    env = dict(os.environ, BCIKIT_RECORD_FIXTURE=out)
    subprocess.run([exe, "-test.run=^TestFixtureChild$", "-test.count=1"], env=env, check=True)
    raw, warns = read(out)
    ref = {
        "mne_version": mne.__version__,
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(raw.n_times),
        "ch_names": raw.ch_names,
        "ch_types": raw.get_channel_types(),
        "meas_date": raw.info["meas_date"].isoformat(),
        "annotations": [
            {"onset": float(a["onset"]), "duration": float(a["duration"]), "description": a["description"]}
            for a in raw.annotations
        ],
        "data": raw.get_data().tolist(),
        "warnings": warns,
    }
    with open(os.path.join(tdir, "closed_mne.json"), "w") as f:
        json.dump(ref, f, indent=None)
    print(f"closed fixture: {raw.n_times} samples, channel types {ref['ch_types']}, "
          f"annotations {[(round(a['onset'], 6), round(a['duration'], 6), a['description']) for a in ref['annotations']]}, "
          f"warnings: {warns}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path, written = killed_file(tmp)
        closed(tmp, os.path.join(tmp, "record.test"))
        size = os.path.getsize(path)
        shutil.copy(path, os.path.join(tdir, "killed.bdf"))
        raw, warns = read(path)
        # The same file cut off in the middle of a record's write.
        partial = os.path.join(tmp, "partial.bdf")
        with open(path, "rb") as f:
            b = f.read()
        full = HEADER + (len(b) - HEADER) // RECORD * RECORD
        with open(partial, "wb") as f:
            f.write(b[:full] + b[full - RECORD:full - RECORD // 2])
        rawp, _ = read(partial)

    data = raw.get_data()
    n = raw.n_times
    err = max(float(np.max(np.abs(data[c] - synth(c, np.arange(n))))) for c in range(4))
    ref = {
        "mne_version": mne.__version__,
        "file_bytes": size,
        "child_written_samples": written,
        "header_records": int(open(os.path.join(tdir, "killed.bdf"), "rb").read()[236:244].decode().strip()),
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(n),
        "ch_names": raw.ch_names,
        "ch_types": raw.get_channel_types(),
        "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
        "annotations": [
            {"onset": float(a["onset"]), "duration": float(a["duration"]), "description": a["description"]}
            for a in raw.annotations
        ],
        "data": data.tolist(),
        "max_abs_error_vs_source": err,
        "partial_n_times": int(rawp.n_times),
        "partial_equal": bool(np.array_equal(rawp.get_data(), data)),
        "warnings": warns,
    }
    with open(os.path.join(tdir, "killed_mne.json"), "w") as f:
        json.dump(ref, f, indent=None)
    print(f"killed after {written} samples written: {size} bytes, MNE reads {n} samples "
          f"({n / raw.info['sfreq']:.3f} s), {len(raw.annotations)} annotations, "
          f"max |MNE - source| = {err:.3g} V; partial record ignored: {rawp.n_times == n}; warnings: {warns}")


if __name__ == "__main__":
    main()
