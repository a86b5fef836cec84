// Package npy reads and writes NumPy's .npy array files (format version
// 1.0, little-endian float64 and int64, C order), byte for byte as
// numpy.save writes them, so that numpy.load reads bcikit's epochs and
// labels directly.
package npy
