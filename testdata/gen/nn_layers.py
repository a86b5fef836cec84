#!/usr/bin/env python3
"""Fixtures for package nn: each layer, the loss, the optimisers and the three
models built in PyTorch 1.13 (Debian python3-torch) with fixed weights and
inputs; forward outputs and gradients (of the input and of every parameter)
are written to nn/testdata/layers.json.

Run with /usr/bin/python3 testdata/gen/nn_layers.py from the repository root.

Layer gradients are those of loss = sum(y * dy) for a fixed random dy; model
gradients are those of CrossEntropyLoss on fixed targets.

The models are written here as braindecode defines them (braindecode is not
installed; transcribed from braindecode's eegnex.py and shallow_fbcsp.py, and
EEGNet-8,2 as Lawhern et al. 2018 define it with "same" padding and a Dense
classifier with max-norm 0.25), with dropout set to 0 so that the random
masks, which PyTorch draws from its own generator, do not enter.
"""
import base64
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn

from nn_models import Conv2dWithConstraint, EEGNet82, EEGNeX, LinearWithConstraint, ShallowFBCSPNet

torch.set_num_threads(1)
torch.manual_seed(20261204)
rng = np.random.default_rng(20261204)
OUT = os.path.join("nn", "testdata", "layers.json")


def flat(t):
    """float32 values, little-endian, base64 (keeps the fixture small)."""
    a = np.ascontiguousarray(np.asarray(t.detach().numpy(), dtype="<f4").ravel())
    return base64.b64encode(a.tobytes()).decode()


def rand(*shape, scale=1.0):
    return torch.tensor(rng.standard_normal(shape).astype(np.float32) * scale)


def state(m):
    """Parameters and buffers in state_dict order, without counters."""
    return [{"name": k, "dims": list(v.shape), "w": flat(v)}
            for k, v in m.state_dict().items() if "num_batches_tracked" not in k]


def grads(m):
    return [{"name": k, "g": flat(p.grad if p.grad is not None else torch.zeros_like(p))}
            for k, p in m.named_parameters()]


def layer_case(name, kind, cfg, module, in_shape, train=True, xscale=1.0, x=None):
    if x is None:
        x = rand(*in_shape, scale=xscale)
    x = x.clone().requires_grad_(True)
    module.train(train)
    st0 = state(module)
    y = module(x)
    dy = rand(*y.shape)
    (y * dy).sum().backward()
    return {"name": name, "kind": kind, "cfg": cfg, "train": train,
            "in": list(in_shape), "out": list(y.shape),
            "x": flat(x), "params": st0, "y": flat(y), "dy": flat(dy),
            "dx": flat(x.grad), "grads": grads(module),
            "after": state(module) if kind == "batchnorm2d" else None}


cases = []
# Convolutions.
m = nn.Conv2d(1, 3, (1, 7), padding="same", bias=True)
cases.append(layer_case("conv_same_bias", "conv2d", {"out": 3, "kernel": [1, 7], "same": True, "bias": True}, m, (2, 1, 3, 20)))
m = nn.Conv2d(2, 4, (2, 3), stride=(1, 2), dilation=(1, 2), padding=(1, 2), bias=True)
cases.append(layer_case("conv_stride_dil_pad", "conv2d", {"out": 4, "kernel": [2, 3], "stride": [1, 2], "dilation": [1, 2], "padding": [1, 1, 2, 2], "bias": True}, m, (2, 2, 4, 15)))
m = nn.Conv2d(4, 8, (3, 1), groups=4, bias=False)
cases.append(layer_case("conv_depthwise", "conv2d", {"out": 8, "kernel": [3, 1], "groups": 4}, m, (3, 4, 3, 10)))
m = nn.Conv2d(4, 2, (1, 5), dilation=(1, 3), padding="same", bias=False)
cases.append(layer_case("conv_dilated_same", "conv2d", {"out": 2, "kernel": [1, 5], "dilation": [1, 3], "same": True}, m, (2, 4, 1, 24)))
m = nn.Conv2d(16, 6, (1, 8), groups=2, padding="same", bias=True)
cases.append(layer_case("conv_groups_even_same", "conv2d", {"out": 6, "kernel": [1, 8], "groups": 2, "same": True, "bias": True}, m, (2, 16, 2, 13)))
m = nn.Conv2d(5, 3, (1, 1), bias=False)
cases.append(layer_case("conv_pointwise", "conv2d", {"out": 3, "kernel": [1, 1]}, m, (2, 5, 1, 9)))
m = Conv2dWithConstraint(2, 4, (3, 1), groups=2, bias=False, max_norm=0.5)
cases.append(layer_case("conv_maxnorm", "conv2d", {"out": 4, "kernel": [3, 1], "groups": 2, "max_norm": 0.5}, m, (2, 2, 3, 6)))
# Dense.
m = nn.Linear(24, 5)
cases.append(layer_case("dense", "dense", {"out": 5}, nn.Sequential(nn.Flatten(), m), (3, 3, 2, 4)))
m = LinearWithConstraint(12, 3, max_norm=0.25)
cases.append(layer_case("dense_maxnorm", "dense", {"out": 3, "max_norm": 0.25}, nn.Sequential(nn.Flatten(), m), (2, 12, 1, 1)))
# Batch norm, training then evaluation.
m = nn.BatchNorm2d(3, momentum=0.1, eps=1e-5)
with torch.no_grad():
    m.weight.copy_(rand(3) * 0.5 + 1)
    m.bias.copy_(rand(3))
    m.running_mean.copy_(rand(3))
    m.running_var.copy_(rand(3).abs() + 0.5)
cases.append(layer_case("batchnorm_train", "batchnorm2d", {"momentum": 0.1, "eps": 1e-5}, m, (4, 3, 2, 5), xscale=3))
cases.append(layer_case("batchnorm_eval", "batchnorm2d", {"momentum": 0.1, "eps": 1e-5}, m, (2, 3, 2, 5), train=False, xscale=3))
m = nn.BatchNorm2d(2, momentum=0.01, eps=1e-3)
cases.append(layer_case("batchnorm_keras", "batchnorm2d", {"momentum": 0.01, "eps": 1e-3}, m, (3, 2, 1, 7)))


class SafeLog(nn.Module):
    def forward(self, x):
        return torch.log(torch.clamp(x, min=1e-6))


class Square(nn.Module):
    def forward(self, x):
        return x * x


xa = rand(2, 3, 2, 5) * 2
for name, mod in [("elu", nn.ELU()), ("relu", nn.ReLU()), ("gelu", nn.GELU()), ("square", Square())]:
    cases.append(layer_case(name, name, {}, mod, (2, 3, 2, 5), x=xa))
xs = xa.abs() + 0.05
xs[0, 0, 0, :3] = torch.tensor([1e-7, 0.0, 2e-6])
cases.append(layer_case("safelog", "safelog", {}, SafeLog(), (2, 3, 2, 5), x=xs))
# Pooling.
cases.append(layer_case("avgpool_pad", "avgpool2d", {"kernel": [1, 4], "padding": [0, 1]}, nn.AvgPool2d((1, 4), padding=(0, 1)), (2, 3, 2, 18)))
cases.append(layer_case("avgpool_stride", "avgpool2d", {"kernel": [2, 3], "stride": [1, 2]}, nn.AvgPool2d((2, 3), stride=(1, 2)), (2, 2, 3, 11)))
cases.append(layer_case("avgpool_shallow", "avgpool2d", {"kernel": [1, 75], "stride": [1, 15]}, nn.AvgPool2d((1, 75), stride=(1, 15)), (1, 2, 1, 130)))
cases.append(layer_case("maxpool", "maxpool2d", {"kernel": [2, 2]}, nn.MaxPool2d((2, 2)), (2, 2, 4, 7)))

# Cross-entropy with class weights.
logits = rand(6, 3, scale=2).requires_grad_(True)
target = torch.tensor([0, 2, 1, 1, 0, 2])
w = torch.tensor([1.0, 2.5, 0.5])
loss = nn.CrossEntropyLoss(weight=w)(logits, target)
loss.backward()
ce = {"logits": flat(logits), "target": target.tolist(), "weights": flat(w), "loss": float(loss), "grad": flat(logits.grad)}
logits.grad = None
loss = nn.CrossEntropyLoss()(logits, target)
loss.backward()
ce["loss_unweighted"] = float(loss)
ce["grad_unweighted"] = flat(logits.grad)

# Optimisers: 4 steps on fixed gradients, with a cosine schedule.
w0 = rand(10)
gs = [rand(10) for _ in range(4)]
optims = {}
for name, make in [
    ("adam", lambda p: torch.optim.Adam([p], lr=0.01, weight_decay=0.1)),
    ("adamw", lambda p: torch.optim.AdamW([p], lr=0.01, weight_decay=0.1)),
    ("sgd", lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.9, weight_decay=0.01)),
]:
    p = nn.Parameter(w0.clone())
    opt = make(p)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3, eta_min=0.001)
    lrs = []
    for g in gs:
        lrs.append(opt.param_groups[0]["lr"])
        p.grad = g.clone()
        opt.step()
        sched.step()
    optims[name] = {"lr": lrs, "w": flat(p)}
opt_fix = {"w0": flat(w0), "grads": [flat(g) for g in gs], "weight_decay": {"adam": 0.1, "adamw": 0.1, "sgd": 0.01},
           "momentum": 0.9, "base_lr": {"adam": 0.01, "adamw": 0.01, "sgd": 0.05}, "eta_min": 0.001, "t_max": 3, "results": optims}


def model_case(name, model, n, chans, times, classes, steps=3, lr=0.05):
    x = rand(n, chans, times, scale=1.0)
    y = torch.tensor([i % classes for i in range(n)])
    model.train()
    st0 = state(model)
    x1 = x.clone().requires_grad_(True)
    logits = model(x1)
    loss = nn.CrossEntropyLoss()(logits, y)
    loss.backward()
    case = {"name": name, "chans": chans, "times": times, "classes": classes, "n": n,
            "num_params": sum(p.numel() for p in model.parameters()),
            "x": flat(x), "y": y.tolist(), "params": st0, "logits": flat(logits), "loss": float(loss),
            "grads": grads(model), "dx": flat(x1.grad)}
    # A few SGD steps (momentum 0.9) on the same batch, then evaluation-mode
    # logits. SGD rather than Adam: Adam scales every gradient to about lr,
    # so the gradients that are zero up to rounding (a bias before a batch
    # norm) would take steps set by float32 noise.
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        nn.CrossEntropyLoss()(model(x), y).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        case["steps"], case["lr"] = steps, lr
        case["eval_logits"] = flat(model(x))
    return case


m = EEGNet82(6, 3, drop=0.0)
m.build_head(128, 3)
models = [model_case("eegnet", m, 4, 6, 128, 3)]
# Smaller filter counts than the defaults keep the fixture small; the
# default sizes are checked by their parameter counts below.
models.append(model_case("shallow", ShallowFBCSPNet(5, 2, 160, drop=0.0, filters=12), 4, 5, 160, 2))
models[-1]["filters"] = 12
models.append(model_case("eegnex", EEGNeX(4, 2, 96, drop=0.0, f1=4, f2=8, d=2), 3, 4, 96, 2))
models[-1]["f1"], models[-1]["f2"], models[-1]["d"] = 4, 8, 2

# EEGNet-8,2 parameter count on 64 ch x 480 samples, 2 classes.
big = EEGNet82(64, 2)
big.build_head(480, 2)
counts = {"eegnet_64x480x2": sum(p.numel() for p in big.parameters()),
          "shallow_64x480x2": sum(p.numel() for p in ShallowFBCSPNet(64, 2, 480).parameters()),
          "eegnex_64x480x2": sum(p.numel() for p in EEGNeX(64, 2, 480).parameters())}
print(counts)

with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "layers": cases, "cross_entropy": ce, "optim": opt_fix,
               "models": models, "param_counts": counts}, f, separators=(",", ":"))
print(OUT, os.path.getsize(OUT))
