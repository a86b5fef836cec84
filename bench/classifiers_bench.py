"""Python side of the classifier benchmarks (lda, logreg, svm packages):
scikit-learn 1.2 fit + predict on the same shapes and data distribution as
the Go benchmarks (BenchmarkFitPredict* in lda/, logreg/, svm/): 90 samples
of Gaussian features whose two classes differ by 0.5 in every feature,
90 x 2080 (64-channel tangent space) and 90 x 8 (CSP).
Run: /usr/bin/python3 bench/classifiers_bench.py
"""
import time

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC


def data(n, p):
    rng = np.random.default_rng(1)
    y = np.arange(n) % 2
    return rng.normal(size=(n, p)) + 0.5 * y[:, None], y


def bench(make, X, y, min_time=2.0):
    # Best of several batches, as `go test -bench` reports a mean: both
    # are printed.
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < 5:
        t = time.perf_counter()
        make().fit(X, y).predict(X)
        times.append(time.perf_counter() - t)
    return np.mean(times), np.min(times)


models = {
    "lda (lsqr, auto)": lambda: LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto"),
    "logreg (lbfgs, C=1)": lambda: LogisticRegression(),
    "svm rbf": lambda: SVC(kernel="rbf"),
    "svm linear": lambda: SVC(kernel="linear"),
}
for shape in [(90, 2080), (90, 8)]:
    X, y = data(*shape)
    for name, make in models.items():
        mean, best = bench(make, X, y)
        print(f"{name:22s} {shape[0]}x{shape[1]:<5d} mean {mean * 1e3:9.3f} ms  best {best * 1e3:9.3f} ms")
