"""Reference trials for package paradigm: MOABB 0.4.6's BaseParadigm.process_raw
(transcribed below, MOABB itself is not installed) run with MNE 1.3 on real
recordings, plus a synthetic recording that exercises MNE's edge cases (a
window outside the recording, a repeated event, a BAD annotation, a
BAD_ACQ_SKIP segment and an EDGE boundary that split the filtering).

The fixture summarises the trials (per trial x channel sums, the peak of each
trial and every 7th sample of a few trials and channels) to stay small.

Run from the repo root:
    BCIKIT_DATA=/work/shared/data /usr/bin/python3 testdata/gen/paradigm_ref.py
"""
import glob
import json
import os

import mne
import numpy as np

mne.set_log_level("error")
DATA = os.environ.get("BCIKIT_DATA", "../shared/data")
OUT = "paradigm/testdata/paradigm_ref.json"
STEP = 7  # every STEP-th sample of the sampled trials/channels

MI_BANDS = [[8.0, 32.0]]
FB_BANDS = [[8.0, 12.0], [12.0, 16.0], [16.0, 20.0], [20.0, 24.0], [24.0, 28.0], [28.0, 32.0]]
SSVEP_BANDS = [[7.0, 45.0]]
SSVEP_FREQS = [13.0, 17.0, 21.0]  # sorted stimulation frequencies of SSVEP-Exo
HALF = 1.0  # ssvep-fb default half width (data README: +-1 Hz)


def process_raw(raw, events, event_id, bands, tmin, tmax, scale=1e6):
    """MOABB 0.4.6 BaseParadigm.process_raw after the events are found:
    pick_events on the paradigm's codes, EEG picks, per band an IIR filter
    of a copy of the raw (MNE defaults: Butterworth order 4, sos,
    forward-backward) and mne.Epochs with MOABB's arguments, then scaling.
    Returns None when the recording has no event of the classes (MOABB
    skips it)."""
    try:
        events = mne.pick_events(events, include=list(event_id.values()))
    except RuntimeError:
        return None
    if len(events) == 0:
        return None
    picks = mne.pick_types(raw.info, eeg=True, stim=False)
    xs = []
    epochs = None
    for fmin, fmax in bands:
        raw_f = raw.copy().filter(fmin, fmax, method="iir", picks=picks, verbose=False)
        epochs = mne.Epochs(raw_f, events, event_id=event_id, tmin=tmin, tmax=tmax,
                            proj=False, baseline=None, preload=True, verbose=False,
                            picks=picks, event_repeated="drop", on_missing="ignore")
        xs.append(scale * epochs.get_data())
    return xs, epochs


def short(a):
    """13 significant digits: far below the tests' tolerance, and a smaller
    fixture than repr's 17."""
    return [float("%.13g" % v) for v in a]


def summarise(xs, ch_names, sfreq, labels, samples, onsets, sessions, runs, drop_log):
    """The fixture entry of a set of trials: xs is one (trials, channels,
    times) array per band."""
    n, c, t = xs[0].shape
    trials = sorted({0, n // 2, n - 1}) if n else []
    chans = sorted({0, c // 3, c - 1})
    return {
        "sfreq": sfreq, "ch_names": ch_names, "shape": [n, c, t], "n_bands": len(xs),
        "labels": labels, "samples": samples, "onsets": onsets,
        "sessions": sessions, "runs": runs, "drop_log": drop_log,
        "sampled_trials": trials, "sampled_channels": chans, "step": STEP,
        "values": [[[short(x[i, ch, ::STEP]) for ch in chans] for i in trials] for x in xs],
        "sums": [[short(s) for s in x.sum(axis=2)] for x in xs],
        "peaks": [short(np.abs(x).max(axis=(1, 2))) for x in xs],
    }


def eegmmidb(rel):
    raw = mne.io.read_raw_edf(os.path.join(DATA, rel), preload=True, verbose=False)
    mne.datasets.eegbci.standardize(raw)
    # MOABB renames T1/T2 to left_hand/right_hand and uses event_id
    # {left_hand: 2, right_hand: 3}: the same events as T1 -> 2, T2 -> 3.
    events, _ = mne.events_from_annotations(raw, event_id={"T1": 2, "T2": 3}, verbose=False)
    return raw, events


def concat(parts):
    """Concatenate per-recording results in recording order, as
    BaseParadigm.get_data does."""
    nb = len(parts[0]["xs"])
    xs = [np.concatenate([p["xs"][b] for p in parts]) for b in range(nb)]
    cat = {k: sum((p[k] for p in parts), []) for k in
           ("labels", "samples", "onsets", "sessions", "runs", "drop_log")}
    return xs, cat


def run_recordings(recs, event_id, bands, tmin, tmax):
    parts = []
    info = None
    for session, run, raw, events in recs:
        out = process_raw(raw, events, event_id, bands, tmin, tmax)
        if out is None:
            continue
        xs, ep = out
        info = (ep.ch_names, ep.info["sfreq"])
        n = len(ep.events)
        parts.append({
            "xs": xs, "labels": ep.events[:, 2].tolist(), "samples": ep.events[:, 0].tolist(),
            "onsets": ((ep.events[:, 0] - raw.first_samp) / raw.info["sfreq"]).tolist(),
            "sessions": [session] * n, "runs": [run] * n,
            "drop_log": [[list(d) for d in ep.drop_log]],
        })
    xs, cat = concat(parts)
    return summarise(xs, info[0], info[1], cat["labels"], cat["samples"], cat["onsets"],
                     cat["sessions"], cat["runs"], cat["drop_log"])


def ssvep_recs(subject):
    folder = os.path.join(DATA, "ssvep-exo", "subject%02d" % subject)
    recs = []
    for f in sorted(glob.glob(os.path.join(folder, "record-*_raw.fif"))):
        raw = mne.io.read_raw_fif(f, preload=True, verbose=False)
        events = mne.read_events(f.replace("_raw.fif", "-eve.fif"))
        session = os.path.basename(f)[len("record-["):-len("]_raw.fif")]
        recs.append((session, "0", raw, events))
    return recs


def synthetic():
    """A recording built from a formula the Go test repeats, with MNE's edge
    cases: 3 EEG channels, an EOG and a stim channel (not picked), a
    BAD_ACQ_SKIP span and a zero-length EDGE boundary (the filter runs on
    each segment separately), a bad_blink span (epochs touching it are
    dropped), an event too early (NO_DATA), one too late (TOO_SHORT), a
    repeated sample (the second is dropped) and an event of another code."""
    sfreq, n = 100.0, 3000
    i = np.arange(n)
    data = np.zeros((5, n))
    for c in range(5):
        f1, f2 = 5.0 + 3.0 * c, 23.0 + c
        data[c] = 1e-5 * (np.sin(2 * np.pi * f1 * i / sfreq) + 0.3 * np.sin(2 * np.pi * f2 * i / sfreq + c)
                          + 0.5 * i / n)
    data[4] = 0.0
    info = mne.create_info(["C3", "Cz", "C4", "EOG", "STI"], sfreq, ["eeg", "eeg", "eeg", "eog", "stim"])
    raw = mne.io.RawArray(data, info, verbose=False)
    raw.set_annotations(mne.Annotations(onset=[10.0, 14.0, 20.0], duration=[1.0, 0.5, 0.0],
                                        description=["BAD_ACQ_SKIP", "bad_blink", "EDGE boundary"]))
    events = np.array([[20, 0, 1], [400, 0, 1], [400, 0, 2], [700, 0, 9], [1380, 0, 2],
                       [1000, 0, 1], [1200, 0, 1], [2000, 0, 2], [2300, 0, 1], [2950, 0, 2]])
    return raw, events


def main():
    cases = []

    # imagery on EEGMMIDB subject 1 (runs 4, 8, 12: left vs right fist).
    recs = []
    for run in (4, 8, 12):
        raw, ev = eegmmidb("eegmmidb/S001/S001R%02d.edf" % run)
        recs.append(("0", "R%02d" % run, raw, ev))
    c = run_recordings(recs, {"left_hand": 2, "right_hand": 3}, MI_BANDS, 0.0, 3.0)
    c.update(name="imagery_s1", kind="subject", dataset="eegmmidb-imagery-lr", subject=1,
             paradigm="imagery", bands=MI_BANDS, tmin=0.0, tmax=3.0)
    cases.append(c)

    # imagery-fb on one run.
    c = run_recordings(recs[:1], {"left_hand": 2, "right_hand": 3}, FB_BANDS, 0.0, 3.0)
    c.update(name="imagery_fb_r04", kind="recording", dataset="eegmmidb-imagery-lr", subject=1,
             file="eegmmidb/S001/S001R04.edf", paradigm="imagery-fb", bands=FB_BANDS, tmin=0.0, tmax=3.0)
    cases.append(c)

    # ssvep and ssvep-fb on SSVEP-Exo subject 1 (interval [2, 5]).
    srecs = ssvep_recs(1)
    ev_id = {"rest": 1, "13": 2, "21": 3, "17": 4}
    c = run_recordings(srecs, ev_id, SSVEP_BANDS, 2.0, 5.0)
    c.update(name="ssvep_s1", kind="subject", dataset="ssvep-exo", subject=1,
             paradigm="ssvep", bands=SSVEP_BANDS, tmin=2.0, tmax=5.0)
    cases.append(c)
    fb = [[f - HALF, f + HALF] for f in SSVEP_FREQS]
    c = run_recordings(srecs, ev_id, fb, 2.0, 5.0)
    c.update(name="ssvep_fb_s1", kind="subject", dataset="ssvep-exo", subject=1,
             paradigm="ssvep-fb", bands=fb, tmin=2.0, tmax=5.0)
    cases.append(c)

    # A shorter MOABB-relative window (tmin=0.5, tmax=2.5 after the start of
    # the interval [2, 5]) with MOABB's FilterBankSSVEP width (+-0.5 Hz).
    fb05 = [[f - 0.5, f + 0.5] for f in SSVEP_FREQS]
    c = run_recordings(srecs[:1], ev_id, fb05, 2.5, 4.5)
    c.update(name="ssvep_fb05_window", kind="subject-window", dataset="ssvep-exo", subject=1,
             paradigm="ssvep-fb", bands=fb05, tmin=2.5, tmax=4.5, window=[0.5, 2.5], half_width=0.5)
    cases.append(c)

    # Synthetic edge cases, cut as one recording.
    raw, ev = synthetic()
    c = run_recordings([("", "", raw, ev)], {"a": 1, "b": 2}, [[8.0, 30.0]], -0.5, 1.0)
    c.update(name="synthetic", kind="synthetic", paradigm="imagery", bands=[[8.0, 30.0]],
             tmin=-0.5, tmax=1.0, events=ev.tolist())
    cases.append(c)

    # An event file without any event of SSVEP-Exo's classes (code 9), for
    # the test of MOABB's skipping of such recordings.
    mne.write_events("paradigm/testdata/no_class-eve.fif", np.array([[1000, 0, 9], [2000, 0, 9]]),
                     overwrite=True)

    with open(OUT, "w") as f:
        json.dump({"mne": mne.__version__, "cases": cases}, f, separators=(",", ":"))
    for c in cases:
        print(c["name"], c["shape"], "bands", c["n_bands"], "drops",
              [d for log in c["drop_log"] for d in log if d])


if __name__ == "__main__":
    main()
