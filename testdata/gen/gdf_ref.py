"""Fixtures for bcikit's gdf package, from MNE-Python 1.3.

Run from the module root with Debian's MNE:
    /usr/bin/python3 testdata/gen/gdf_ref.py

It writes, under gdf/testdata/:
  - ref_<name>.json: mneref.dump of mne.io.read_raw_gdf(path, preload=True)
    for formats/GDF/test_1ch.gdf and every ssvep-exo/subject*/record-*.gdf
    of the shared data (names in index.json);
  - small synthetic GDF files that cover what the shared files do not
    (GDF 1 and 2 event tables of both modes, every sample type MNE reads,
    stim channels at the recording's rate and slower, data channels at
    lower rates, repeated names, units, start dates, events MNE crops),
    each with its ref_*.json from mneref.dump.
"""
import glob
import json
import os
import struct
import sys

import numpy as np
import mne

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mneref import dump  # noqa: E402

mne.set_log_level("ERROR")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("BCIKIT_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "gdf", "testdata")

TYPES = {  # GDF type code: numpy dtype
    1: "<i1", 2: "<u1", 3: "<i2", 4: "<u2", 5: "<i4", 6: "<u4",
    7: "<i8", 8: "<u8", 16: "<f4", 17: "<f8",
}


def trim(path, keep):
    """Keep only `keep` of mneref's compared sample indices (the first and
    last 8 and the rest spread) so that the fixtures of the long recordings
    stay small; the per-channel sums still cover every sample."""
    with open(path) as f:
        fx = json.load(f)
    idx = fx["indices"]
    n = len(idx)
    if n <= keep:
        return
    pick = sorted(set(list(range(8)) + list(range(n - 8, n)) +
                      np.linspace(0, n - 1, keep - 16).astype(int).tolist()))
    fx["indices"] = [idx[i] for i in pick]
    fx["values"] = [[row[i] for i in pick] for row in fx["values"]]
    with open(path, "w") as f:
        json.dump(fx, f, separators=(",", ":"))


def ref_name(rel):
    """ref_<dir>_<stem>.json with the brackets of OpenViBE names dropped."""
    parts = rel.split("/")
    stem = os.path.splitext(parts[-1])[0].replace("[", "").replace("]", "")
    prefix = parts[-2] if parts[0] == "ssvep-exo" else "formats"
    return f"ref_{prefix}_{stem}.json"


def shared():
    rels = ["formats/GDF/test_1ch.gdf"] + sorted(
        os.path.relpath(p, DATA)
        for p in glob.glob(os.path.join(glob.escape(DATA), "ssvep-exo", "subject*", "record-*.gdf")))
    index = {}
    for rel in rels:
        raw = mne.io.read_raw_gdf(os.path.join(DATA, rel), preload=True)
        name = ref_name(rel)
        dump(raw, rel, os.path.join(OUT, name), reader="read_raw_gdf", kwargs={"preload": True})
        trim(os.path.join(OUT, name), 100)
        index[rel] = name
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)


def text(s, n):
    b = s.encode("latin-1") if isinstance(s, str) else s
    assert len(b) <= n
    return b + b" " * (n - len(b))


def records(chans, n_records):
    """Interleave per-channel arrays (n_records, nsamp) into records."""
    out = bytearray()
    for r in range(n_records):
        for ch in chans:
            out += np.ascontiguousarray(ch["data"][r], dtype=TYPES[ch["type"]]).tobytes()
    return bytes(out)


def event_table(ev, gdf1, version):
    mode, sr, pos, typ, chn, dur = ev
    n = len(pos)
    if gdf1 or version < 1.94:
        head = struct.pack("<B", mode) + struct.pack("<I", int(sr))[:3] + struct.pack("<I", n)
    else:
        head = struct.pack("<B", mode) + struct.pack("<I", n)[:3] + struct.pack("<f", sr)
    body = np.asarray(pos, "<u4").tobytes() + np.asarray(typ, "<u2").tobytes()
    if mode == 3:
        body += np.asarray(chn, "<u2").tobytes() + np.asarray(dur, "<u4").tobytes()
    return head + body


def write_gdf2(path, chans, n_records, rl, version="2.20", meas=0, events=None, trailer=b""):
    n = len(chans)
    hl = 256 * (n + 1)
    fixed = (text("GDF " + version, 8) + text("X X", 66) + bytes(10) + bytes(4) + text("rec", 64)
             + bytes(16) + struct.pack("<Q", meas) + struct.pack("<Q", 0)
             + struct.pack("<H", hl // 256) + bytes(6) + bytes(8) + bytes(6) + bytes(6)
             + bytes(24) + struct.pack("<q", n_records) + struct.pack("<II", *rl)
             + struct.pack("<H", n) + bytes(2))
    assert len(fixed) == 256
    f = lambda key, fmt: b"".join(struct.pack(fmt, ch[key]) for ch in chans)
    var = (b"".join(text(ch["label"], 16) for ch in chans) + bytes(80 * n) + bytes(6 * n)
           + f("unit", "<H") + f("pmin", "<d") + f("pmax", "<d") + f("dmin", "<d") + f("dmax", "<d")
           + bytes(68 * n) + bytes(12 * n) + f("nsamp", "<i") + f("type", "<i") + bytes(12 * n)
           + bytes(20 * n))
    assert len(var) == 256 * n
    body = fixed + var + records(chans, n_records)
    if events is not None:
        body += event_table(events, False, float(version))
    with open(path, "wb") as fh:
        fh.write(body + trailer)


def write_gdf1(path, chans, n_records, rl, date=b"", events=None):
    n = len(chans)
    hl = 256 * (n + 1)
    fixed = (text("GDF 1.25", 8) + text("X X", 80) + text("rec", 80) + text(date, 16)
             + struct.pack("<q", hl) + bytes(24) + bytes(20) + struct.pack("<q", n_records)
             + struct.pack("<II", *rl) + struct.pack("<I", n))
    assert len(fixed) == 256
    f = lambda key, fmt: b"".join(struct.pack(fmt, ch[key]) for ch in chans)
    var = (b"".join(text(ch["label"], 16) for ch in chans) + bytes(80 * n)
           + b"".join(text(ch["unit"], 8) for ch in chans)
           + f("pmin", "<d") + f("pmax", "<d") + f("dmin", "<q") + f("dmax", "<q")
           + bytes(80 * n) + f("nsamp", "<i") + f("type", "<i") + bytes(32 * n))
    assert len(var) == 256 * n
    body = fixed + var + records(chans, n_records)
    if events is not None:
        body += event_table(events, True, 1.25)
    with open(path, "wb") as fh:
        fh.write(body)


def chan(label, typ, nsamp, data, unit=4275, pmin=-100.0, pmax=100.0, dmin=-1000.0, dmax=1000.0):
    return dict(label=label, type=typ, nsamp=nsamp, data=data, unit=unit,
                pmin=pmin, pmax=pmax, dmin=dmin, dmax=dmax)


def gdf2_date(year, month, day, hour, minute, sec, frac_bits):
    """GDF 2 start date: days since 0000-01-01 (367 days before 0001-01-01) in 32.32 fixed point."""
    import datetime
    d = datetime.datetime(year, month, day, hour, minute, sec) - datetime.datetime(1, 1, 1)
    days = d.days + 367
    return (days << 32) + int(d.seconds / 86400 * 2**32) + frac_bits


def synthetic():
    rng = np.random.default_rng(20240601)
    made = []
    nr = 50

    # GDF 2.20, int16, channels at several rates, stim channels at the
    # recording's rate and slower, repeated names, every unit branch,
    # undefined ranges, a start date and a mode-3 event table with events
    # MNE drops or shortens.
    def i16(nsamp):
        return rng.integers(-32768, 32768, size=(nr, nsamp)).astype("<i2")
    chans = [
        chan("Fz", 3, 4, i16(4), unit=4275, pmin=-3276.8, pmax=3276.7, dmin=-32768, dmax=32767),
        chan("Cz", 3, 2, i16(2), unit=4274, pmin=-5.0, pmax=5.0, dmin=-32768, dmax=32767),
        chan("Pz", 3, 3, i16(3), unit=512, pmin=-1.0, pmax=2.0, dmin=-32768, dmax=32767),
        chan("Fz", 3, 4, i16(4), unit=0, pmin=0.0, pmax=10.0, dmin=0, dmax=100),
        chan("Status", 3, 4, i16(4), unit=0, pmin=-32768, pmax=32767, dmin=-32768, dmax=32767),
        chan("TRIGGER", 3, 3, i16(3), unit=512, pmin=0, pmax=65535, dmin=-32768, dmax=32767),
        chan("Oz", 3, 4, i16(4), unit=4256, pmin=-1e-3, pmax=1e-3, dmin=-32768, dmax=32767),
        chan("EOG", 3, 4, i16(4), unit=4275, pmin=5.0, pmax=5.0, dmin=7, dmax=7),
        chan("Pz", 3, 1, i16(1), unit=4275, pmin=-100, pmax=100, dmin=-32768, dmax=32767),
    ]
    sf = 4 * 50 / 3
    pos = [0, 1, 5, 100, 5, 5, 199, 200, 201, 202, 250, 7]
    typ = [0x8100, 0x8101, 0x8102, 0x0300, 0x8103, 0x8103, 32779, 32780, 1, 2, 3, 0x7ffe]
    chn = [0, 1, 2, 0, 3, 3, 0, 0, 9, 0, 0, 0]
    dur = [0, 3, 10, 400, 2, 1, 1, 2, 0, 5, 3, 0]
    write_gdf2(os.path.join(OUT, "synth_v2_mixed.gdf"), chans, nr, (3, 50),
               meas=gdf2_date(2021, 3, 4, 12, 34, 56, 123456789),
               events=(3, sf, pos, typ, chn, dur))
    made.append("synth_v2_mixed.gdf")

    # GDF 1.25, int32, a trigger channel at the recording's rate, "uV",
    # "mV" and "µV" units, int64 digital limits whose difference wraps, a
    # start date with hundredths and a mode-1 event table.
    def i32(nsamp, lo=-2**31, hi=2**31):
        return rng.integers(lo, hi, size=(nr, nsamp)).astype("<i4")
    chans1 = [
        chan("C3", 5, 2, i32(2), unit="uV", pmin=-8000.0, pmax=8000.0, dmin=-2**31, dmax=2**31 - 1),
        chan("C4", 5, 2, i32(2), unit="mV", pmin=-1.0, pmax=1.0, dmin=-2**31, dmax=2**31 - 1),
        chan("Cz", 5, 2, i32(2), unit="\xb5V", pmin=-2.0, pmax=2.0, dmin=-2**63, dmax=2**63 - 1),
        chan("trigger", 5, 2, i32(2, -300000, 300000), unit="", pmin=-1e6, pmax=1e6, dmin=-2**31, dmax=2**31 - 1),
    ]
    write_gdf1(os.path.join(OUT, "synth_v1.gdf"), chans1, nr, (1, 100), date=b"2012070619021637",
               events=(1, 100, [3, 1, 99, 100, 101, 150], [33024, 32779, 33025, 32780, 5, 6], None, None))
    made.append("synth_v1.gdf")

    # Every sample type MNE reads, with a stim channel of the same type.
    ranges = {1: (-128, 127), 2: (0, 255), 3: (-32768, 32767), 4: (0, 65535),
              5: (-2**31, 2**31 - 1), 6: (0, 2**32 - 1), 7: (-2**63, 2**63 - 1), 8: (0, 2**64 - 1)}
    versions = {3: "1.93", 4: "2.10", 16: "2.51"}
    nr2 = 20
    for code, dt in TYPES.items():
        if code in ranges:
            lo, hi = ranges[code]
            data = rng.integers(lo, hi, size=(nr2, 5), endpoint=True, dtype=np.dtype(dt).newbyteorder("="))
            stim = rng.integers(max(lo, -5000), min(hi, 200000), size=(nr2, 5), endpoint=True,
                                dtype=np.dtype(dt).newbyteorder("="))
            dmin, dmax = float(lo), float(hi)
        else:
            data = rng.normal(0, 50, size=(nr2, 5)).astype(dt)
            stim = (rng.normal(0, 1e5, size=(nr2, 5))).astype(dt)
            dmin, dmax = -1000.0, 1000.0
        chs = [chan("EEG1", code, 5, data, unit=4275, pmin=-3.3, pmax=7.7, dmin=dmin, dmax=dmax),
               chan("STATUS", code, 5, stim, unit=0, pmin=dmin, pmax=dmax, dmin=dmin, dmax=dmax)]
        if code == 16:
            # A calibration too large for float32 makes numpy compute in float64.
            chs.append(chan("BIG", 16, 5, rng.normal(0, 1, size=(nr2, 5)).astype("<f4"), unit=512,
                            pmin=-1e150, pmax=1e150, dmin=-1.0, dmax=1.0))
            chs.append(chan("MV", 16, 5, rng.normal(0, 1, size=(nr2, 5)).astype("<f4"), unit=4274,
                            pmin=-0.3, pmax=0.7, dmin=-1.0, dmax=1.0))
        version = versions.get(code, "2.20")
        mode = 1 if code in (3, 8) else 3
        ev = (mode, 5 * 10, [1, 10, 50, 99, 100], [1, 2, 3, 4, 5], [0, 1, 0, 1, 0], [1, 2, 3, 0, 9])
        name = f"synth_type{code}.gdf"
        write_gdf2(os.path.join(OUT, name), chs, nr2, (1, 10), version=version,
                   meas=gdf2_date(1999, 12, 31, 23, 59, 59, 7 * code), events=ev)
        made.append(name)

    for name in made:
        raw = mne.io.read_raw_gdf(os.path.join(OUT, name), preload=True)
        dump(raw, "gdf/testdata/" + name, os.path.join(OUT, "ref_" + name.replace(".gdf", ".json")),
             reader="read_raw_gdf", kwargs={"preload": True})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    shared()
    synthetic()
