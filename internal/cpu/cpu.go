// Package cpu reports the processor features bcikit's assembly kernels
// need (dsp's filters and FFT, the symmetric eigensolver's rotations).
package cpu

// AVX reports whether the CPU and the operating system support AVX: CPUID
// leaf 1 ECX bits 27 (OSXSAVE) and 28 (AVX), and XCR0 enabling the SSE
// and AVX register state. Always false off amd64.
var AVX = avx()
