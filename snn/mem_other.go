//go:build !linux

package snn

import "time"

// physicalMemory returns 0 (unknown) off Linux.
func physicalMemory() int64 { return 0 }

// processCPU reports that CPU time is not measured off Linux.
func processCPU() (time.Duration, bool) { return 0, false }
