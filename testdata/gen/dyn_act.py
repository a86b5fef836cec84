#!/usr/bin/env python3
"""Fixtures for nn's periodic and gated activations (nn/periodic.go,
nn/gated.go), built in PyTorch 1.13 with fixed parameters and inputs; the
forward output and the gradients of loss = sum(y * dy) (input and
parameters) go to nn/testdata/dyn_act.json in the format of layers.json.

Run with /usr/bin/python3 testdata/gen/dyn_act.py from the repository root.

Transcriptions (the maths, not the code):
- Snake: Ziyin et al. 2020, y = x + sin^2(alpha x)/alpha with one alpha per
  channel, as BigVGAN's activations.Snake writes it (1/(alpha + 1e-9)).
- Fourier features: Tancik et al. 2020, [cos(2 pi B v), sin(2 pi B v)] over
  the channel vector v at each position, B of shape [features, channels].
- GLU: torch.nn.GLU(dim=1); SwiGLU: x, gate = x.chunk(2, 1); x * silu(gate).
"""
import base64
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
rng = np.random.default_rng(20261205)
OUT = os.path.join("nn", "testdata", "dyn_act.json")


def flat(t):
    a = np.ascontiguousarray(np.asarray(t.detach().numpy(), dtype="<f4").ravel())
    return base64.b64encode(a.tobytes()).decode()


def rand(*shape, scale=1.0):
    return torch.tensor(rng.standard_normal(shape).astype(np.float32) * scale)


class Snake(nn.Module):
    def __init__(self, c, alpha):
        super().__init__()
        self.alpha = nn.Parameter(alpha.clone())

    def forward(self, x):
        a = self.alpha.view(1, -1, 1, 1)
        return x + torch.sin(a * x) ** 2 / (a + 1e-9)


class Fourier(nn.Module):
    def __init__(self, b, learnable):
        super().__init__()
        if learnable:
            self.weight = nn.Parameter(b.clone())
        else:
            self.register_buffer("weight", b.clone())

    def forward(self, x):
        z = 2 * math.pi * torch.einsum("kc,nchw->nkhw", self.weight, x)
        return torch.cat([torch.cos(z), torch.sin(z)], dim=1)


class SwiGLU(nn.Module):
    def forward(self, x):
        a, gate = x.chunk(2, dim=1)
        return a * F.silu(gate)


def case(name, kind, cfg, module, x):
    x = x.clone().requires_grad_(True)
    params = [{"name": k, "dims": list(v.shape), "w": flat(v)} for k, v in module.state_dict().items()]
    y = module(x)
    dy = rand(*y.shape)
    (y * dy).sum().backward()
    return {"name": name, "kind": kind, "cfg": cfg, "train": True, "in": list(x.shape), "out": list(y.shape),
            "x": flat(x), "params": params, "y": flat(y), "dy": flat(dy), "dx": flat(x.grad),
            "grads": [{"name": k, "g": flat(p.grad)} for k, p in module.named_parameters()]}


cases = [
    case("snake", "snake", {}, Snake(3, torch.tensor([0.5, 1.0, 2.5])), rand(2, 3, 2, 7, scale=2)),
    case("snake_small_alpha", "snake", {}, Snake(2, torch.tensor([1e-3, 7.0])), rand(3, 2, 1, 9, scale=3)),
    case("fourier_fixed", "fourier", {"features": 4, "learnable": False}, Fourier(rand(4, 3, scale=0.7), False), rand(2, 3, 2, 5)),
    case("fourier_learnable", "fourier", {"features": 3, "learnable": True}, Fourier(rand(3, 2, scale=0.5), True), rand(2, 2, 1, 6)),
    case("glu", "glu", {}, nn.GLU(dim=1), rand(2, 4, 2, 5, scale=2)),
    case("swiglu", "swiglu", {}, SwiGLU(), rand(2, 6, 1, 5, scale=2)),
]
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "layers": cases}, f, indent=0)
print(OUT, os.path.getsize(OUT), "bytes")
