package snn

import "github.com/bcikit/bcikit/internal/cpu"

// useAVX reports whether the AVX kernel steps current-based neurons.
var useAVX = cpu.AVX

// cubaAVX is updateCurrentGo for n (a positive multiple of 4) neurons,
// four lanes at a time with separate multiplies and adds (no FMA) so that
// every lane rounds as the Go loop does. Instead of resetting refractory
// state and listing spikes it writes, for each group of four neurons, a
// byte whose bit b says that neuron 4j+b spiked (v is already reset).
//
//go:noescape
func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)
