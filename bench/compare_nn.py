#!/usr/bin/env python3
"""Time PyTorch 1.13 training EEGNet-8,2 (or ShallowFBCSPNet, EEGNeX) on
random trials, as `bcikit nn time` does: one warm-up epoch, then EPOCHS timed
epochs of mini-batch Adam (lr 1e-3) with cross-entropy, shuffled batches, in
training mode (batch statistics, dropout). Prints one line with the seconds
per epoch. Used by bench/compare_nn.sh.

    /usr/bin/python3 bench/compare_nn.py --threads 2 [--model eegnet]
        [--trials 1024] [--chans 64] [--times 480] [--batch 64] [--epochs 2]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "gen"))
from nn_models import EEGNet82, EEGNeX, ShallowFBCSPNet  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--model", default="eegnet", choices=["eegnet", "shallow", "eegnex"])
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--trials", type=int, default=1024)
ap.add_argument("--chans", type=int, default=64)
ap.add_argument("--times", type=int, default=480)
ap.add_argument("--classes", type=int, default=2)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--epochs", type=int, default=2)
a = ap.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(1)
if a.model == "eegnet":
    model = EEGNet82(a.chans, a.classes)
    model.build_head(a.times, a.classes)
elif a.model == "shallow":
    model = ShallowFBCSPNet(a.chans, a.classes, a.times)
else:
    model = EEGNeX(a.chans, a.classes, a.times)
x = torch.tensor(np.random.default_rng(1).standard_normal((a.trials, a.chans, a.times)).astype(np.float32))
y = torch.tensor([i % a.classes for i in range(a.trials)])
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def epoch():
    model.train()
    perm = torch.randperm(a.trials)
    for b in range(0, a.trials, a.batch):
        idx = perm[b:b + a.batch]
        if len(idx) < 2:
            break
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


epoch()
t0 = time.perf_counter()
for _ in range(a.epochs):
    epoch()
sec = (time.perf_counter() - t0) / a.epochs
n = sum(p.numel() for p in model.parameters())
print(f"pytorch {a.model}: {a.trials} trials x {a.chans} ch x {a.times} samples, batch {a.batch}, Adam, "
      f"{torch.get_num_threads()} threads: {sec:.3f} s/epoch ({n} parameters)")
