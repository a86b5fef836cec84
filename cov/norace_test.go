//go:build !race

package cov

const raceEnabled = false
