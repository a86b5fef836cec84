// Package cpu reports the processor features bcikit's assembly kernels
// need: dsp's filters and FFT, the symmetric eigensolver, the nn engine's
// float32 kernels and the spiking simulator. Each flag is true only when
// both the CPU and the operating system support the instructions (the
// register state is enabled in XCR0), as golang.org/x/sys/cpu reports it;
// all are false off amd64, where the pure-Go paths run.
package cpu

import "golang.org/x/sys/cpu"

var (
	// AVX reports AVX (256-bit floating-point vectors).
	AVX = cpu.X86.HasAVX
	// AVX2FMA reports AVX2 and the FMA3 fused multiply-add together.
	AVX2FMA = cpu.X86.HasAVX && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	// FMA reports the FMA3 fused multiply-add on AVX registers.
	FMA = cpu.X86.HasAVX && cpu.X86.HasFMA
	// AVX512 reports AVX-512F and AVX-512VL (with the opmask and upper
	// ZMM state enabled), on top of AVX2 and FMA.
	AVX512 = AVX2FMA && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
	// AVX512F reports AVX-512 Foundation (with its register state
	// enabled), whatever the other extensions.
	AVX512F = cpu.X86.HasAVX && cpu.X86.HasAVX512F
)
