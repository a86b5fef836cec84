"""Reference .npy files for package npy, written by numpy.save.
Run from the repo root: /usr/bin/python3 testdata/gen/npy_ref.py"""
import numpy as np

x = (np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) - 7.5) / 3
np.save("npy/testdata/f8_2x3x4.npy", x)
np.save("npy/testdata/i8_5.npy", np.array([1, 2, -3, 4, 2**40], dtype=np.int64))
np.save("npy/testdata/f8_empty.npy", np.zeros((0, 64, 10)))
np.save("npy/testdata/f8_scalar_shape1.npy", np.array([np.pi]))
