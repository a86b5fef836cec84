package snn

import "github.com/bcikit/bcikit/internal/cpu"

// useAVX reports whether the AVX kernel steps current-based neurons;
// useAVX512 whether the AVX-512 one does (where both hold).
var (
	useAVX    = cpu.AVX
	useAVX512 = cpu.AVX512F
)

// cubaAVX is updateCurrentGo for n (a positive multiple of 4) neurons,
// four lanes at a time with separate multiplies and adds (no FMA) so that
// every lane rounds as the Go loop does. Instead of resetting refractory
// state and listing spikes it writes, for each group of four neurons, a
// bitmap whose bit b of byte j says that neuron 8j+b spiked (v is
// already reset).
//
//go:noescape
func cubaAVX(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)

// cubaAVX512 is cubaAVX for n a positive multiple of 8, eight lanes at a
// time (AVX-512F).
//
//go:noescape
func cubaAVX512(v, ge, gi, rel *float64, mask *byte, n int, s float64, c *kcoef)
