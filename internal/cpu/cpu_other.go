//go:build !amd64

package cpu

func avx() bool { return false }
