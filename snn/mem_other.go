//go:build !linux

package snn

// physicalMemory returns 0 (unknown) off Linux.
func physicalMemory() int64 { return 0 }
