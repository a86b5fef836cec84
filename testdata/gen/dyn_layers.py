#!/usr/bin/env python3
"""Fixtures for package nn/dynamics: each layer written in PyTorch 1.13
(Debian python3-torch) from the equations of its paper, run with fixed
parameters and inputs; forward outputs and the gradients of
loss = sum(y * dy) (input and every parameter) go to
nn/dynamics/testdata/layers.json in the format of nn/testdata/layers.json.

Run with /usr/bin/python3 testdata/gen/dyn_layers.py from the repository root.

Transcribed (the maths, not code):
- DelayConv: Hammouamri, Khalfaoui-Hassani & Masquelier 2024 (DCLS delays):
  kernel[o, c, k] = w[o, c] * g_k(d[o, c]), g a Gaussian over the taps
  normalised to sum 1, applied as a causal convolution.
- LIF: u[t] = beta v[t-1] + x[t] + R s[t-1]; s = H(u - theta) with the
  fast-sigmoid surrogate 1/(1 + k|u - theta|)^2 (Zenke & Ganguli 2018);
  v = u - theta * s.detach() (reset by subtraction, detached as snnTorch).
- Kuramoto: Miyato et al. 2025 (AKOrN): x <- normalise(x + gamma (Omega x +
  h - <h, x> x)), h = c + J x, c = W f + b, x0 = normalise(init).
- CTMCore: Darlow et al. 2025: synapse a_t = Ws [z_{t-1}; f] + bs, private
  per-neuron two-layer models on the last M pre-activations, synchronisation
  S_ij = sum_tau e^{-r (T - tau)} z_i z_j / sqrt(sum_tau e^{-r (T - tau)}).
- DeltaEncoder: send-on-delta ON/OFF spikes (forward only).
"""
import base64
import json
import math
import os

import numpy as np
import torch

torch.set_num_threads(1)
rng = np.random.default_rng(20261206)
OUT = os.path.join("nn", "dynamics", "testdata", "layers.json")


def flat(t):
    a = np.ascontiguousarray(np.asarray(t.detach().numpy(), dtype="<f4").ravel())
    return base64.b64encode(a.tobytes()).decode()


def rand(*shape, scale=1.0):
    return torch.tensor(rng.standard_normal(shape).astype(np.float32) * scale)


def run(name, kind, cfg, fwd, params, x, train=True, grads=True):
    """params: list of (name, tensor) in the Go layer's Params() order."""
    x = x.clone().requires_grad_(grads)
    ps = [(k, v.clone().requires_grad_(grads)) for k, v in params]
    y = fwd(x, dict(ps))
    dy = rand(*y.shape)
    case = {"name": name, "kind": kind, "cfg": cfg, "train": train, "in": list(x.shape), "out": list(y.shape),
            "x": flat(x), "params": [{"name": k, "dims": list(v.shape), "w": flat(v)} for k, v in ps],
            "y": flat(y), "dy": flat(dy)}
    if grads:
        (y * dy).sum().backward()
        case["dx"] = flat(x.grad)
        case["grads"] = [{"name": k, "g": flat(v.grad)} for k, v in ps]
    return case


# DelayConv.
def delay_conv(D, sigma):
    def fwd(x, p):
        w, d = p["weight"], p["delay"]
        k = torch.arange(D, dtype=torch.float32).view(1, 1, D)
        e = torch.exp(-(k - d.unsqueeze(-1)) ** 2 / (2 * sigma * sigma))
        g = e / e.sum(-1, keepdim=True)
        kern = w.unsqueeze(-1) * g  # [O, C, D], tap k = delay k
        xs = x[:, :, 0, :]  # [n, C, T]
        # causal: y[t] = sum_k kern[k] x[t-k] -> conv1d with the flipped kernel.
        y = torch.nn.functional.conv1d(torch.nn.functional.pad(xs, (D - 1, 0)), kern.flip(-1))
        return y.unsqueeze(2)
    return fwd


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, u, theta, slope):
        ctx.save_for_backward(u)
        ctx.theta, ctx.slope = theta, slope
        return (u >= theta).float()

    @staticmethod
    def backward(ctx, g):
        (u,) = ctx.saved_tensors
        return g / (1 + ctx.slope * (u - ctx.theta).abs()) ** 2, None, None


def lif(beta, theta, slope, recurrent):
    def fwd(x, p):
        n, c, h, T = x.shape
        xs = x.reshape(n, c * h, T)
        v = torch.zeros(n, c * h)
        s = torch.zeros(n, c * h)
        out = []
        for t in range(T):
            u = beta * v + xs[:, :, t]
            if recurrent:
                u = u + s @ p["recurrent"].T
            s = Spike.apply(u, theta, slope)
            v = u - theta * s.detach()
            out.append(s)
        return torch.stack(out, -1).reshape(n, c, h, T)
    return fwd


def kuramoto(U, N, steps, gamma):
    def fwd(x, p):
        n = x.shape[0]
        f = x.reshape(n, -1)
        c = (f @ p["weight"].T + p["bias"]).view(n, U, N)
        iu = torch.triu_indices(N, N, 1)
        A = torch.zeros(U, N, N)
        A[:, iu[0], iu[1]] = p["omega"]
        Om = A - A.transpose(1, 2)
        x0 = p["init"] / p["init"].norm(dim=-1, keepdim=True)
        xs = x0.unsqueeze(0).expand(n, U, N)
        for _ in range(steps):
            h = c + (xs.reshape(n, U * N) @ p["coupling"].T).view(n, U, N)
            hx = (h * xs).sum(-1, keepdim=True)
            om = torch.einsum("uab,nub->nua", Om, xs)
            u = xs + gamma * (om + h - hx * xs)
            xs = u / u.norm(dim=-1, keepdim=True)
        return xs.reshape(n, U * N, 1, 1)
    return fwd


def ctm(D, M, H, T):
    def fwd(x, p):
        n = x.shape[0]
        f = x.reshape(n, -1)
        z = p["start_z"].unsqueeze(0).expand(n, D)
        trace = p["start_trace"].unsqueeze(0).expand(n, D, M)
        zs = []
        for _ in range(T):
            a = torch.cat([z, f], 1) @ p["synapse_weight"].T + p["synapse_bias"]
            trace = torch.cat([trace[:, :, 1:], a.unsqueeze(-1)], -1)
            hid = torch.tanh(torch.einsum("dkm,ndm->ndk", p["nlm_w1"], trace) + p["nlm_b1"])
            z = (hid * p["nlm_w2"]).sum(-1) + p["nlm_b2"]
            zs.append(z)
        Z = torch.stack(zs, -1)  # [n, D, T]
        iu = torch.triu_indices(D, D, 0)
        tau = torch.arange(1, T + 1, dtype=torch.float32)
        w = torch.exp(-p["decay"].unsqueeze(-1) * (T - tau))  # [P, T]
        prod = Z[:, iu[0], :] * Z[:, iu[1], :]
        S = (prod * w).sum(-1) / w.sum(-1).sqrt()
        return S.reshape(n, -1, 1, 1)
    return fwd


def delta(th):
    def fwd(x, p):
        n, c, h, T = x.shape
        on = torch.zeros_like(x)
        off = torch.zeros_like(x)
        for e in range(n):
            for ch in range(c):
                for r in range(h):
                    ref = x[e, ch, r, 0].item()
                    for t in range(T):
                        v = x[e, ch, r, t].item()
                        if v - ref >= th:
                            on[e, ch, r, t] = 1
                            ref += th
                        elif v - ref <= -th:
                            off[e, ch, r, t] = 1
                            ref -= th
        return torch.cat([on, off], 1)
    return fwd


cases = []
D = 5
cases.append(run("delay_conv", "delay_conv", {"out": 3, "max_delay": D, "sigma": 0.8}, delay_conv(D, 0.8),
                 [("weight", rand(3, 4, scale=0.5)), ("delay", torch.tensor(rng.uniform(0.2, 3.8, (3, 4)).astype(np.float32)))],
                 rand(2, 4, 1, 12)))
cases.append(run("delay_conv_sigma2", "delay_conv", {"out": 2, "max_delay": 7, "sigma": 2.0}, delay_conv(7, 2.0),
                 [("weight", rand(2, 3, scale=0.5)), ("delay", torch.tensor(rng.uniform(0.2, 5.8, (2, 3)).astype(np.float32)))],
                 rand(3, 3, 1, 9)))
beta = math.exp(-0.01 / 0.05)
cases.append(run("lif", "lif", {"tau": 0.05, "dt": 0.01, "threshold": 1.0, "slope": 5.0, "recurrent": False},
                 lif(beta, 1.0, 5.0, False), [], rand(2, 3, 1, 15, scale=1.0) + 0.4))
cases.append(run("lif_recurrent", "lif", {"tau": 0.05, "dt": 0.01, "threshold": 1.0, "slope": 5.0, "recurrent": True},
                 lif(beta, 1.0, 5.0, True), [("recurrent", rand(4, 4, scale=0.5))], rand(2, 4, 1, 20) + 0.4))
beta2 = math.exp(-0.0125 / 0.1)
cases.append(run("lif_recurrent_2d", "lif", {"tau": 0.1, "dt": 0.0125, "threshold": 0.7, "slope": 3.0, "recurrent": True},
                 lif(beta2, 0.7, 3.0, True), [("recurrent", rand(6, 6, scale=0.4))], rand(2, 3, 2, 16) * 0.6 + 0.2))
U, N, F = 3, 3, 5
cases.append(run("kuramoto", "kuramoto", {"units": U, "dim": N, "steps": 4, "gamma": 0.3}, kuramoto(U, N, 4, 0.3),
                 [("weight", rand(U * N, F, scale=0.4)), ("bias", rand(U * N, scale=0.3)), ("coupling", rand(U * N, U * N, scale=0.3)),
                  ("omega", rand(U, N * (N - 1) // 2)), ("init", rand(U, N))], rand(2, F, 1, 1)))
cases.append(run("kuramoto_2d", "kuramoto", {"units": 4, "dim": 2, "steps": 6, "gamma": 0.5}, kuramoto(4, 2, 6, 0.5),
                 [("weight", rand(8, 6, scale=0.4)), ("bias", rand(8, scale=0.3)), ("coupling", rand(8, 8, scale=0.3)),
                  ("omega", rand(4, 1)), ("init", rand(4, 2))], rand(3, 2, 1, 3)))
Dn, M, H, T, F = 4, 3, 2, 5, 3
cases.append(run("ctm", "ctm", {"neurons": Dn, "memory": M, "hidden": H, "ticks": T}, ctm(Dn, M, H, T),
                 [("synapse_weight", rand(Dn, Dn + F, scale=0.5)), ("synapse_bias", rand(Dn, scale=0.2)),
                  ("nlm_w1", rand(Dn, H, M, scale=0.6)), ("nlm_b1", rand(Dn, H, scale=0.2)), ("nlm_w2", rand(Dn, H, scale=0.7)),
                  ("nlm_b2", rand(Dn, scale=0.2)), ("start_z", rand(Dn, scale=0.5)), ("start_trace", rand(Dn, M, scale=0.5)),
                  ("decay", torch.tensor(rng.uniform(0.05, 0.8, Dn * (Dn + 1) // 2).astype(np.float32)))],
                 rand(2, F, 1, 1)))
cases.append(run("ctm_long_memory", "ctm", {"neurons": 3, "memory": 6, "hidden": 3, "ticks": 4}, ctm(3, 6, 3, 4),
                 [("synapse_weight", rand(3, 3 + 4, scale=0.5)), ("synapse_bias", rand(3, scale=0.2)),
                  ("nlm_w1", rand(3, 3, 6, scale=0.6)), ("nlm_b1", rand(3, 3, scale=0.2)), ("nlm_w2", rand(3, 3, scale=0.7)),
                  ("nlm_b2", rand(3, scale=0.2)), ("start_z", rand(3, scale=0.5)), ("start_trace", rand(3, 6, scale=0.5)),
                  ("decay", torch.tensor(rng.uniform(0.0, 0.5, 6).astype(np.float32)))],
                 rand(2, 2, 2, 1)))
cases.append(run("delta_encoder", "delta_encoder", {"threshold": 0.5}, delta(0.5), [], rand(2, 2, 2, 25).cumsum(-1) * 0.5,
                 train=False, grads=False))
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "layers": cases}, f, indent=0)
print(OUT, os.path.getsize(OUT), "bytes")
