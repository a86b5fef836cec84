package symeig

import "github.com/bcikit/bcikit/internal/cpu"

// useFMA reports whether the fused multiply-add kernels run: AVX with the
// operating system's support (useAVX) and the FMA3 instructions.
var useFMA = useAVX && cpu.FMA
