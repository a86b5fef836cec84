"""Reference values for package online (run from online/: /usr/bin/python3 testdata/gen/online.py).

- causal band-pass: MNE 1.3's IIR design (mne.filter.create_filter, method='iir',
  default iir_params: 4th-order Butterworth, output='sos') applied forward only
  with scipy.signal.sosfilt(sos, x, zi=sosfilt_zi(sos) * x[0]), per channel;
- metrics of the pseudo-online evaluation: sklearn's matthews_corrcoef and
  balanced_accuracy_score on random labels, and a whole evaluation of a
  synthetic sequence of sliding decisions (labelling transcribed in NumPy).
Writes testdata/online.json.
"""
import json

import mne
import numpy as np
from scipy import signal
from sklearn.metrics import accuracy_score, balanced_accuracy_score, matthews_corrcoef

rng = np.random.RandomState(7)
out = {}

cases = []
for sfreq, lo, hi, n in [(160.0, 8.0, 32.0, 400), (1000.0, 8.0, 30.0, 800), (256.0, 12.0, 14.0, 500)]:
    x = rng.randn(3, n) * 20e-6 + np.array([[1e-3], [-2e-4], [0.0]])
    x[1] += 5e-6 * np.sin(2 * np.pi * 10 * np.arange(n) / sfreq)
    filt = mne.filter.create_filter(x, sfreq, lo, hi, method='iir', verbose=False)
    sos = filt['sos']
    zi = signal.sosfilt_zi(sos)
    y = np.array([signal.sosfilt(sos, ch, zi=zi * ch[0])[0] for ch in x])
    cases.append(dict(sfreq=sfreq, low=lo, high=hi, x=x.tolist(), sos=sos.tolist(), y=y.tolist()))
out['sosfilt'] = cases

metrics = []
for k, n in [(2, 40), (3, 60), (4, 25)]:
    yt = rng.randint(0, k, n)
    yp = rng.randint(0, k, n)
    yp[: n // 3] = yt[: n // 3]
    metrics.append(dict(y_true=yt.tolist(), y_pred=yp.tolist(),
                        mcc=float(matthews_corrcoef(yt, yp)),
                        balanced=float(balanced_accuracy_score(yt, yp))))
out['metrics'] = metrics

# Pseudo-online evaluation of a synthetic sequence of sliding decisions:
# windows [end-L, end) every `step` samples; every sample is labelled with
# the class of the trial [cue+off, cue+off+T) it lies in (later cues
# overwrite earlier ones) or idle (-1), and a window takes the label of most
# of its samples, a tie going to the tied label found latest in the window.
# Metrics: sklearn's accuracy, balanced accuracy and MCC (all windows, idle
# a class; predictions of a rest class count as idle), Wolpaw's ITR with one
# selection per window length, false activations per idle minute (each idle
# window covering one step).
sf, L, step, off, T, rest = 100.0, 150, 20, 50, 300, [1]
cues = []
s0 = 200
while s0 < 9000:
    cues.append((s0, int(rng.choice([1, 2, 3]))))
    s0 += int(rng.randint(250, 900))  # some trials overlap the next cue's
ends = np.arange(L, 9500, step)
samples = np.full(int(ends[-1]), -1)
for c, k in cues:
    samples[c + off:c + off + T] = k
labels = []
for e in ends:
    w = samples[e - L:e]
    vals, counts = np.unique(w, return_counts=True)
    tied = set(vals[counts == counts.max()].tolist())
    labels.append(next(int(v) for v in w[::-1] if v in tied))
labels = np.array(labels)
task = labels != -1
idle = labels == -1
pred = np.where(rng.rand(len(ends)) < 0.6, labels, rng.choice([1, 2, 3], len(ends)))
pred[idle] = rng.choice([1, 2, 3], int(idle.sum()))
acc = accuracy_score(labels[task], pred[task])
n = len(set(c for _, c in cues))
p_ = acc
bits = np.log2(n) + (p_ * np.log2(p_) if p_ > 0 else 0) + ((1 - p_) * np.log2((1 - p_) / (n - 1)) if p_ < 1 else 0)
if p_ < 1.0 / n:
    bits = 0.0
mapped = np.where(np.isin(pred, rest), -1, pred)
fa = int((idle & (mapped != -1)).sum())
idle_min = idle.sum() * step / sf / 60
out['evaluate'] = dict(
    sfreq=sf, length=L, offset=off, trial=T, rest=rest,
    cues=[dict(sample=c, code=k) for c, k in cues],
    ends=ends.tolist(), predicted=pred.tolist(),
    task=int(task.sum()), idle=int(idle.sum()),
    accuracy=float(acc), balanced=float(balanced_accuracy_score(labels[task], pred[task])),
    nmcc=float((matthews_corrcoef(labels, mapped) + 1) / 2),
    classes=n, itr_bits=float(bits), itr_bits_per_min=float(bits * 60 / (L / sf)),
    false_activations=fa, idle_minutes=float(idle_min), false_per_min=float(fa / idle_min))

with open('testdata/online.json', 'w') as f:
    json.dump(out, f)
