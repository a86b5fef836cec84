package snn

import "errors"

// Errors returned by New and Run wrap one of these sentinels, so callers
// can branch with errors.Is; the message names the field and value.
var (
	// ErrParam marks a parameter that is out of range: a non-positive
	// time constant or step, a negative count, rate, probability, delay or
	// refractory period, a NaN or infinite value, an unknown group.
	ErrParam = errors.New("snn: invalid parameter")
	// ErrUnstable marks a time step too coarse for a time constant (see
	// MaxDTRatio).
	ErrUnstable = errors.New("snn: time step too large")
	// ErrTooLarge marks a network whose estimated memory exceeds the
	// limit (Config.MaxMemory) or whose sizes overflow the index types.
	ErrTooLarge = errors.New("snn: network too large")
)
