package symeig

import "golang.org/x/sys/cpu"

// useFMA reports whether the fused multiply-add kernels run: AVX with the
// operating system's support (useAVX) and the FMA3 instructions.
var useFMA = useAVX && cpu.X86.HasFMA
