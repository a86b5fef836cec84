//go:build race

package cov

// raceEnabled: the race detector makes sync.Pool drop a share of what is
// put back on purpose, so allocation counts are not meaningful under it.
const raceEnabled = true
