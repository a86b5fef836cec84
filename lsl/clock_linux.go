package lsl

import (
	"syscall"
	"unsafe"
)

// monotonicSeconds reads CLOCK_MONOTONIC (the clock of Go's monotonic time
// readings and of liblsl's steady_clock).
func monotonicSeconds() float64 {
	var ts syscall.Timespec
	const clockMonotonic = 1
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockMonotonic, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return float64(ts.Sec) + float64(ts.Nsec)/1e9
}
