"""Fixtures for bcikit's fif package, from MNE-Python 1.3.

Run from the module root with Debian's MNE:
    /usr/bin/python3 testdata/gen/fif_ref.py

It writes, under fif/testdata/:
  - ref_<subject>_<date>.json: mneref.dump of mne.io.read_raw_fif(preload=True)
    for every *_raw.fif of the shared ssvep-exo data;
  - events.json: mne.read_events of every *-eve.fif there and of the small
    event files below;
  - small FIF files written by MNE that cover what the shared files do not
    (integer, short, single and double buffers, calibration and range,
    first_samp != 0, meas_date with and without microseconds and absent,
    annotations including ones MNE clips when reading, acquisition skips,
    long channel names, every channel type MNE knows, split files, gzip),
    each with its ref_*.json from mneref.dump.
Every fixture keeps the sample values at a reduced set of mneref's indices
(first, last and spread) to stay small; the per-channel sums still cover
every sample.
"""
import datetime
import glob
import json
import os
import sys

import numpy as np
import mne
import mne.io.base

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mneref import dump  # noqa: E402

mne.set_log_level("ERROR")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("BCIKIT_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "fif", "testdata")
os.makedirs(OUT, exist_ok=True)
UTC = datetime.timezone.utc


def out(name):
    return os.path.join(OUT, name)


def trim(path, keep):
    """Keep only `keep` of the compared sample indices (first, last, spread)."""
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
    # "ssvep-exo/subject01/record-[2012.07.06-19.02.16]_raw.fif"
    # -> "ref_subject01_2012.07.06-19.02.16.json"
    subj = rel.split("/")[1]
    date = rel.split("[")[1].split("]")[0]
    return "ref_%s_%s.json" % (subj, date)


def shared():
    events = {}
    raws = sorted(glob.glob(os.path.join(glob.escape(DATA), "ssvep-exo", "*", "*_raw.fif")))
    for i, path in enumerate(raws):
        rel = os.path.relpath(path, DATA).replace(os.sep, "/")
        raw = mne.io.read_raw_fif(path, preload=True)
        o = out(ref_name(rel))
        dump(raw, rel, o, reader="read_raw_fif", kwargs={"preload": True})
        trim(o, 96 if i == 0 else 24)
    for path in sorted(glob.glob(os.path.join(glob.escape(DATA), "ssvep-exo", "*", "*-eve.fif"))):
        rel = os.path.relpath(path, DATA).replace(os.sep, "/")
        events[rel] = mne.read_events(path).tolist()
    return events


def rng_data(n_ch, n, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_ch, n))


def mixed_raw(sfreq=200.0, n=400, seed=0):
    names = ["Fz", "Cz", "Pz", "EOG left", "ECG", "EMG", "STI 014", "MISC1", "Resp", "Bio"]
    types = ["eeg", "eeg", "eeg", "eog", "ecg", "emg", "stim", "misc", "resp", "bio"]
    info = mne.create_info(names, sfreq, types)
    data = rng_data(len(names), n, seed)
    scale = np.array([20e-6, 20e-6, 20e-6, 100e-6, 1e-3, 50e-6, 1, 3, 1e-3, 1e-4])
    data *= scale[:, None]
    stim = np.zeros(n)
    stim[50:60] = 1
    stim[200:210] = 5
    stim[300:301] = 255
    data[6] = stim
    return mne.io.RawArray(data, info)


def set_cals(raw, scale):
    """Give every channel a calibration (and some a range) as an amplifier would."""
    for k, ch in enumerate(raw.info["chs"]):
        rng = 2.0 if k % 3 == 1 else 1.0
        cal = scale[k] / rng
        ch["range"] = rng
        ch["cal"] = cal


def annotate(raw, onsets, durations, descriptions, orig_time="meas"):
    """Set annotations without MNE's cropping (to test the cropping on read)."""
    if orig_time == "meas":
        orig_time = raw.info["meas_date"]
    raw._annotations = mne.Annotations(onsets, durations, descriptions, orig_time=orig_time)


def patch_annot_orig_time(path, shift):
    """Shift the FIFF_MEAS_DATE (secs, usecs as doubles) of the annotations block."""
    from mne.io.open import fiff_open
    from mne.io.tree import dir_tree_find
    from mne.io.constants import FIFF
    fid, tree, _ = fiff_open(path)
    fid.close()
    node = dir_tree_find(tree, FIFF.FIFFB_MNE_ANNOTATIONS)[0]
    ent = [e for e in node["directory"] if e.kind == FIFF.FIFF_MEAS_DATE][0]
    assert ent.type == FIFF.FIFFT_DOUBLE and ent.size == 16
    with open(path, "r+b") as f:
        f.seek(ent.pos + 16)
        secs, usecs = np.frombuffer(f.read(16), ">f8")
        total = int(secs) * 1000000 + int(usecs) + int(round(shift * 1e6))
        f.seek(ent.pos + 16)
        f.write(np.array([total // 1000000, total % 1000000], ">f8").tobytes())


def lowlevel(path, dated, annot=None):
    """Write a raw file tag by tag with what MNE's writer never produces:
    no FIFF_MEAS_DATE (the date then comes from the measurement block id)
    or MNE's DATE_NONE, duplicate channel names, extended channel blocks
    that override kind, range and name, a first sample followed by an
    initial skip, a later skip, buffers of mixed types, a tag whose next
    field jumps over junk bytes, annotations without a time origin that
    MNE clips, and a description with an escaped colon. annot replaces the
    annotations' (onsets, ends, descriptions)."""
    from mne.io.constants import FIFF
    from mne.io import write as w
    file_id = dict(version=65539, machid=np.array([7, 8], ">i4"), secs=1234567890, usecs=654321)
    nchan, sfreq, nsamp = 4, 250.0, 10
    chs = []
    for k, (name, kind, coil, unit, rng, cal) in enumerate([
            ("X", FIFF.FIFFV_EEG_CH, FIFF.FIFFV_COIL_EEG, FIFF.FIFF_UNIT_V, 1.0, 1e-6),
            ("X", FIFF.FIFFV_MISC_CH, FIFF.FIFFV_COIL_NONE, FIFF.FIFF_UNIT_V, 1.0, 1e-6),
            ("STI", FIFF.FIFFV_STIM_CH, FIFF.FIFFV_COIL_NONE, FIFF.FIFF_UNIT_NONE, 1.0, 1.0),
            ("Y", FIFF.FIFFV_EOG_CH, FIFF.FIFFV_COIL_NONE, FIFF.FIFF_UNIT_V, 0.5, 3e-6)]):
        chs.append(dict(scanno=k + 1, logno=k + 1, kind=kind, range=rng, cal=cal, coil_type=coil,
                        loc=np.zeros(12), unit=unit, unit_mul=0, ch_name=name))
    rng = np.random.default_rng(7)
    with w.start_and_end_file(path, file_id) as fid:
        w.start_block(fid, FIFF.FIFFB_MEAS)
        w.write_id(fid, FIFF.FIFF_BLOCK_ID, dict(file_id, secs=1234567000, usecs=123))
        w.start_block(fid, FIFF.FIFFB_MEAS_INFO)
        w.write_int(fid, FIFF.FIFF_NCHAN, nchan)
        w.write_float(fid, FIFF.FIFF_SFREQ, sfreq)
        if not dated:
            w.write_int(fid, FIFF.FIFF_MEAS_DATE, [0, 2 ** 31 - 1])
        for ch in chs:
            w.write_ch_info(fid, ch)
        for k in range(nchan):  # extended channel information
            w.start_block(fid, FIFF.FIFFB_CH_INFO)
            if k == 1:
                w.write_int(fid, FIFF.FIFF_CH_KIND, FIFF.FIFFV_EEG_CH)
                w.write_int(fid, FIFF.FIFF_CH_COIL_TYPE, FIFF.FIFFV_COIL_EEG)
                w.write_float(fid, FIFF.FIFF_CH_RANGE, 4.0)
            if k == 3:
                w.write_string(fid, FIFF.FIFF_CH_DACQ_NAME, "Y is a much longer name")
            w.end_block(fid, FIFF.FIFFB_CH_INFO)
        w.end_block(fid, FIFF.FIFFB_MEAS_INFO)
        w.start_block(fid, FIFF.FIFFB_MNE_ANNOTATIONS)
        onset = np.array([-0.1, 4.004, 4.1, 4.2, 40.0])
        ends, desc = onset + [4.15, 0.01, 0.0, 9.0, 0.5], "a:b{COLON}c:d:e:f"
        if annot is not None:
            onset, ends, desc = annot
        w.write_float(fid, FIFF.FIFF_MNE_BASELINE_MIN, onset)
        w.write_float(fid, FIFF.FIFF_MNE_BASELINE_MAX, ends)
        w.write_string(fid, FIFF.FIFF_COMMENT, desc)
        w.end_block(fid, FIFF.FIFFB_MNE_ANNOTATIONS)
        w.start_block(fid, FIFF.FIFFB_RAW_DATA)
        w.write_int(fid, FIFF.FIFF_FIRST_SAMPLE, 1000)
        w.write_int(fid, FIFF.FIFF_DATA_SKIP, 2)

        def buf(data, dtype, ftype, jump=0):
            b = np.asarray(data, dtype).T.tobytes()  # samples x channels
            pos = fid.tell()
            nxt = pos + 16 + len(b) + jump if jump else 0
            fid.write(np.array([FIFF.FIFF_DATA_BUFFER, ftype, len(b), nxt], ">i4").tobytes())
            fid.write(b)
            fid.write(b"\xff" * jump)

        ints = lambda: rng.integers(-3000, 3000, (nchan, nsamp))
        buf(ints(), ">i2", FIFF.FIFFT_DAU_PACK16, jump=7)
        buf(ints(), ">i2", FIFF.FIFFT_SHORT)
        w.write_int(fid, FIFF.FIFF_DATA_SKIP, 1)
        buf(rng.standard_normal((nchan, nsamp)) * 100, ">f4", FIFF.FIFFT_FLOAT)
        buf(rng.standard_normal((nchan, nsamp)) * 100, ">f8", FIFF.FIFFT_DOUBLE)
        buf(ints() * 1000, ">i4", FIFF.FIFFT_INT)
        w.end_block(fid, FIFF.FIFFB_RAW_DATA)
        w.end_block(fid, FIFF.FIFFB_MEAS)


def small():
    refs = []

    # 0. Files written tag by tag (see lowlevel).
    lowlevel(out("lowlevel_raw.fif"), dated=True)
    refs.append("lowlevel_raw.fif")
    lowlevel(out("lowlevel_nodate_raw.fif"), dated=False)
    refs.append("lowlevel_nodate_raw.fif")
    # One end for every onset (numpy broadcasts it), NaN (MNE's crop reads 0).
    lowlevel(out("lowlevel_broadcast_raw.fif"), dated=True,
             annot=(np.array([0.01, 0.02, 0.5]), np.array([np.nan]), "p:q:r"))
    refs.append("lowlevel_broadcast_raw.fif")

    # 1. DAU_PACK16 ("short") buffers with calibration and range, meas_date
    # with microseconds, annotations: some MNE clips or drops when reading,
    # a description with a colon and one with non-ASCII text.
    raw = mixed_raw()
    raw.set_meas_date(datetime.datetime(2021, 3, 4, 5, 6, 7, 123456, tzinfo=UTC))
    set_cals(raw, [1e-7, 1e-7, 1e-7, 1e-6, 1e-5, 1e-7, 1, 1e-3, 1e-5, 1e-6])
    annotate(raw, [0.1, 0.30000001, 1.2345678, 1.9, -0.5, 5.0, 0.7],
             [0.0, 0.25, 0.5, 0.5, 0.6, 1.0, 0.1],
             ["rest", "task: a", "Ölpumpe", "edge", "early", "late", "rest"])
    raw.save(out("short_raw.fif"), fmt="short", overwrite=True, buffer_size_sec=0.5)
    refs.append("short_raw.fif")

    # 2. int32 buffers, raw cropped so first_samp != 0, no meas_date:
    # annotations are then relative to the first sample.
    raw = mixed_raw(n=600, seed=1)
    raw.set_meas_date(None)
    set_cals(raw, [1e-8, 1e-8, 1e-8, 1e-7, 1e-6, 1e-8, 1, 1e-4, 1e-6, 1e-7])
    raw.crop(tmin=0.5)
    raw.set_annotations(mne.Annotations([0.25, 1.0], [0.5, 0.0], ["a", "b"]))
    raw.save(out("int_firstsamp_raw.fif"), fmt="int", overwrite=True)
    refs.append("int_firstsamp_raw.fif")

    # 3. float32 buffers, long channel names (extended channel info blocks),
    # annotations whose orig_time differs from meas_date.
    raw = mixed_raw(n=300, seed=2)
    raw.rename_channels({"Fz": "EEG Fz long name 001", "EOG left": "EOG left eye horizontal"})
    raw.set_meas_date(datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC))
    raw.crop(tmin=0.25)
    annotate(raw, [10.5, 10.75, 11.0], [0.1, 0.2, 0.3], ["x", "y", "z"])
    raw.save(out("single_longnames_raw.fif"), fmt="single", overwrite=True)
    # MNE only writes annotations whose orig_time is meas_date: move the
    # stored orig_time 9.5 s earlier by hand.
    patch_annot_orig_time(out("single_longnames_raw.fif"), -9.5)
    refs.append("single_longnames_raw.fif")

    # 4. float64 buffers, a projector that must not be applied, acquisition
    # skips (FIFF_DATA_SKIP, read back as zeros with BAD_ACQ_SKIP annotations).
    raw = mixed_raw(n=500, seed=3)
    raw.set_meas_date(datetime.datetime(2019, 5, 6, 7, 8, 9, 987654, tzinfo=UTC))
    raw.add_proj(mne.compute_proj_raw(raw.copy().pick_types(eeg=True), n_eeg=1, n_mag=0, n_grad=0))
    raw.set_annotations(mne.Annotations([1.0, 2.0], [0.5, 0.25], ["BAD_ACQ_SKIP", "BAD_ACQ_SKIP"],
                                        orig_time=raw.info["meas_date"]))
    raw.save(out("double_skip_raw.fif"), fmt="double", overwrite=True, buffer_size_sec=0.25)
    refs.append("double_skip_raw.fif")

    # 5. MEG-like channels: magnetometers, gradiometers, reference MEG and
    # every other channel type MNE's create_info knows.
    types = ["mag", "grad", "grad", "ref_meg", "eeg", "seeg", "ecog", "dbs", "csd",
             "hbo", "hbr", "fnirs_cw_amplitude", "fnirs_od", "temperature", "gsr",
             "chpi", "exci", "ias", "syst", "gof", "dipole", "stim"]
    names = ["MEG %04d" % i if t in ("mag", "grad") else "%s %d" % (t.upper(), i)
             for i, t in enumerate(types)]
    info = mne.create_info(names, 100.0, types)
    data = rng_data(len(types), 120, 4) * 1e-12
    raw = mne.io.RawArray(data, info, first_samp=250)
    raw.set_meas_date(datetime.datetime(2018, 1, 1, tzinfo=UTC))
    for ch in raw.info["chs"]:
        if ch["unit"] in (mne.io.constants.FIFF.FIFF_UNIT_T, mne.io.constants.FIFF.FIFF_UNIT_T_M):
            ch["cal"] = 1e-15
            ch["range"] = 0.5
        else:
            ch["cal"] = 1e-15
    raw.save(out("meg_types_raw.fif"), fmt="short", overwrite=True)
    refs.append("meg_types_raw.fif")

    # 6. Split files (MNE's split_size is patched down to keep them tiny).
    raw = mixed_raw(n=600, seed=5)
    raw.set_meas_date(datetime.datetime(2022, 2, 2, 2, 2, 2, 20000, tzinfo=UTC))
    raw.set_annotations(mne.Annotations([0.5, 2.5], [0.1, 0.2], ["s1", "s2"], orig_time=raw.info["meas_date"]))
    old = mne.io.base._NEXT_FILE_BUFFER
    mne.io.base._NEXT_FILE_BUFFER = 64
    try:
        for f in glob.glob(out("split_raw*.fif")):
            os.remove(f)
        raw.save(out("split_raw.fif"), fmt="single", overwrite=True, buffer_size_sec=0.5,
                 split_size=12000)
    finally:
        mne.io.base._NEXT_FILE_BUFFER = old
    assert os.path.exists(out("split_raw-1.fif"))
    refs.append("split_raw.fif")

    # 7. gzip-compressed.
    raw = mixed_raw(n=200, seed=6)
    raw.save(out("gz_raw.fif.gz"), fmt="double", overwrite=True)
    refs.append("gz_raw.fif.gz")

    fixtures = {}
    for name in refs:
        path = out(name)
        raw = mne.io.read_raw_fif(path, preload=True)
        o = out("ref_" + name.split("_raw")[0] + ".json")
        dump(raw, "fif/testdata/" + name, o, reader="read_raw_fif", kwargs={"preload": True})
        trim(o, 64)
        fixtures[name] = os.path.basename(o)

    # Events: FIF and the text formats.
    events = np.array([[10, 0, 1], [55, 0, 2], [120, 2, 3], [121, 3, 65535], [400, 0, -7]])
    mne.write_events(out("small-eve.fif"), events, overwrite=True)
    mne.write_events(out("small.eve"), events, overwrite=True)
    with open(out("old-eve.lst"), "w") as f:
        f.write("# an old four-column list: sample, time, before, after\n")
        for s, b, a in events:
            f.write("%d %.3f %d %d\n" % (s, s / 200.0, b, a))
    evs = {}
    for name in ("small-eve.fif", "small.eve", "old-eve.lst"):
        evs["fif/testdata/" + name] = mne.read_events(out(name)).tolist()
    return fixtures, evs


def main():
    events = shared()
    fixtures, evs = small()
    events.update(evs)
    with open(out("events.json"), "w") as f:
        json.dump(events, f, separators=(",", ":"), sort_keys=True)
    with open(out("fixtures.json"), "w") as f:
        json.dump(fixtures, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
