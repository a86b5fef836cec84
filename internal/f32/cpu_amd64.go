package f32

import "github.com/bcikit/bcikit/internal/cpu"

// hasAVX2FMA reports whether the CPU and the operating system support
// AVX2 and FMA3, which the assembly kernels need.
func hasAVX2FMA() bool { return cpu.AVX2FMA }

// hasAVX512 reports whether the CPU and the operating system support
// AVX-512F and AVX-512VL on top of AVX2+FMA.
func hasAVX512() bool { return cpu.AVX512 }
