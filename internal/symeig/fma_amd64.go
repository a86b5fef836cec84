package symeig

import "golang.org/x/sys/cpu"

// useFMA reports whether the fused multiply-add kernels run: AVX with the
// operating system's support (useAVX) and the FMA3 instructions.
var useFMA = useAVX && cpu.X86.HasFMA

// use512 reports whether the 512-bit sweep kernels run: AVX-512F with the
// operating system's support for its registers, and FMA (their arithmetic
// is that of the fused kernels).
var use512 = useFMA && cpu.X86.HasAVX512F
