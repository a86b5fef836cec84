#!/usr/bin/python3
"""PyTorch 1.13 side of compare_torch.sh: EEGNet's temporal convolution
Conv2d(1, 8, (1, 64), padding="same", bias=False) on a (64, 1, 64, 480)
batch, forward and backward (weight gradient only: the input needs none),
and a 256³ matmul; best of 10 runs each. Prints one line per kernel:
    <name> <milliseconds>
Usage: compare_torch.py THREADS
"""
import sys
import time
import warnings

import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(int(sys.argv[1]))
x = torch.randn(64, 1, 64, 480)
conv = torch.nn.Conv2d(1, 8, (1, 64), padding="same", bias=False)
best_f = best_b = float("inf")
for _ in range(10):
    t0 = time.perf_counter()
    y = conv(x)
    t1 = time.perf_counter()
    conv.weight.grad = None
    y.backward(torch.ones_like(y))
    t2 = time.perf_counter()
    best_f, best_b = min(best_f, t1 - t0), min(best_b, t2 - t1)
print(f"conv1-forward {best_f * 1e3:.3f}")
print(f"conv1-weightgrad {best_b * 1e3:.3f}")
a, b = torch.randn(256, 256), torch.randn(256, 256)
best = float("inf")
for _ in range(50):
    t0 = time.perf_counter()
    a @ b
    best = min(best, time.perf_counter() - t0)
print(f"matmul256 {best * 1e3:.4f}")
