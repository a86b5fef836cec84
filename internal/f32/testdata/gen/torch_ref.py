#!/usr/bin/python3
"""Reference values for internal/f32 from PyTorch 1.13 (Debian python3-torch).

Writes ../torch_ref.json (relative to this script): for each case the
float32 inputs and PyTorch's float32 outputs, so the Go tests check that
f32's conventions (padding, dilation, no kernel flip, ELU, Adam/AdamW,
batch-norm statistics) are PyTorch's, with no Python at test time.

Run: /usr/bin/python3 internal/f32/testdata/gen/torch_ref.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
rng = np.random.default_rng(20261204)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def lst(a):
    # Each float32 as its shortest decimal (repr of np.float32), which Go's
    # encoding/json parses back to the same float32 (ParseFloat with
    # bitSize 32).
    return [float(repr(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


out = {}

# conv1d: one input row, a bank of nf filters, PyTorch Conv1d semantics.
convs = []
for (n, nf, k, dil, pad_l, pad_r) in [
    (480, 4, 64, 1, 31, 32),   # padding="same" (even kernel: extra zero right)
    (480, 2, 64, 1, 32, 32),   # braindecode EEGNet: padding k//2 both sides
    (120, 4, 16, 1, 7, 8),     # separable depthwise (1,16) "same"
    (200, 3, 25, 1, 0, 0),     # ShallowConvNet temporal conv, valid
    (150, 5, 9, 3, 12, 12),    # dilated, "same"
]:
    x = f32(rng.standard_normal(n))
    w = f32(rng.standard_normal((nf, k)) / np.sqrt(k))
    xt = torch.tensor(x).view(1, 1, n).requires_grad_(True)
    wt = torch.tensor(w).view(nf, 1, k).requires_grad_(True)
    y = F.conv1d(F.pad(xt, (pad_l, pad_r)), wt, dilation=dil)
    dy = f32(rng.standard_normal(tuple(y.shape)))
    y.backward(torch.tensor(dy))
    convs.append(dict(n=n, nf=nf, k=k, dil=dil, pad=pad_l, ny=int(y.shape[-1]),
                      x=lst(x), w=lst(w), y=lst(y.detach().numpy()), dy=lst(dy),
                      dx=lst(xt.grad.numpy()), dw=lst(wt.grad.numpy())))
out["conv1d"] = convs

# ELU (alpha 1 and 0.5) and its gradient.
x = f32(np.concatenate([rng.standard_normal(300) * 4, np.linspace(-20, 2, 101),
                        [0.0, -1e-6, -1e-3, -30.0, -90.0]]))
elus = []
for alpha in (1.0, 0.5):
    xt = torch.tensor(x).requires_grad_(True)
    y = F.elu(xt, alpha=alpha)
    dy = f32(rng.standard_normal(x.shape))
    y.backward(torch.tensor(dy))
    elus.append(dict(alpha=alpha, x=lst(x), y=lst(y.detach().numpy()), dy=lst(dy),
                     dx=lst(xt.grad.numpy())))
out["elu"] = elus

# Adam and AdamW, 5 steps on fixed gradients.
adams = []
for name, opt, wd in [("adam", torch.optim.Adam, 0.0), ("adamw", torch.optim.AdamW, 0.01)]:
    w0 = f32(rng.standard_normal(37))
    grads = [f32(rng.standard_normal(37)) for _ in range(5)]
    p = torch.nn.Parameter(torch.tensor(w0))
    o = opt([p], lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
    for g in grads:
        p.grad = torch.tensor(g)
        o.step()
    adams.append(dict(name=name, lr=1e-2, b1=0.9, b2=0.999, eps=1e-8, wd=wd,
                      w0=lst(w0), grads=[lst(g) for g in grads], w=lst(p.detach().numpy())))
out["adam"] = adams

# Batch-norm statistics of one plane: biased variance, as used to normalise.
x = f32(rng.standard_normal(32 * 64) * 3 + 5)
xt = torch.tensor(x).view(1, 1, 32, 64)
bn = torch.nn.BatchNorm2d(1, affine=False)
bn.train()
y = bn(xt)
v, m = torch.var_mean(xt, unbiased=False)
out["meanvar"] = dict(x=lst(x), mean=float(m), var=float(v), y=lst(y.detach().numpy()[0, 0, :4, :8]))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "torch_ref.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
