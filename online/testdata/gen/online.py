"""Reference values for package online (run from online/: /usr/bin/python3 testdata/gen/online.py).

- causal band-pass: MNE 1.3's IIR design (mne.filter.create_filter, method='iir',
  default iir_params: 4th-order Butterworth, output='sos') applied forward only
  with scipy.signal.sosfilt(sos, x, zi=sosfilt_zi(sos) * x[0]), per channel;
- metrics of the pseudo-online evaluation: sklearn's matthews_corrcoef and
  balanced_accuracy_score on random labels.
Writes testdata/online.json.
"""
import json

import mne
import numpy as np
from scipy import signal
from sklearn.metrics import balanced_accuracy_score, matthews_corrcoef

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

with open('testdata/online.json', 'w') as f:
    json.dump(out, f)
