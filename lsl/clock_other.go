//go:build !linux

package lsl

func monotonicSeconds() float64 { return 0 }
