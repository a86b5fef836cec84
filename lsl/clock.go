package lsl

import "time"

// clockStart and clockBase tie LocalClock to the system's monotonic clock:
// clockBase is the monotonic time in seconds at clockStart.
var (
	clockStart = time.Now()
	clockBase  = monotonicSeconds()
)

// LocalClock returns the time in seconds on LSL's local clock: a
// monotonic clock (it never jumps with the wall clock). On Linux it reads
// CLOCK_MONOTONIC, as liblsl's std::chrono::steady_clock does, so that an
// outlet's timestamps and a liblsl program's on the same machine share one
// clock; elsewhere it counts from the start of the process.
func LocalClock() float64 {
	return clockBase + float64(time.Since(clockStart))/1e9
}
