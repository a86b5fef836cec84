//go:build race

package nn

// raceEnabled: the race detector allocates in sync operations.
const raceEnabled = true
