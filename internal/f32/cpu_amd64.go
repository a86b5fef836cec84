package f32

// hasAVX2FMA reports whether the CPU and the operating system support
// AVX2 and FMA3: CPUID leaf 1 ECX bits 12 (FMA), 27 (OSXSAVE) and 28
// (AVX), leaf 7 EBX bit 5 (AVX2), and XCR0 enabling the SSE and AVX
// register state. (internal/cpu reports AVX only; the check is kept here
// so that package stays as its owner wrote it.)
func hasAVX2FMA() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx, _ := cpuid(1, 0)
	if ecx&(1<<12) == 0 || ecx&(1<<27) == 0 || ecx&(1<<28) == 0 {
		return false
	}
	if eax, _ := xgetbv(); eax&0x6 != 0x6 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<5) != 0
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// hasAVX512 reports whether the CPU and the operating system support
// AVX-512F and AVX-512VL: CPUID leaf 7 EBX bits 16 and 31, and XCR0
// enabling the opmask and the upper ZMM register state as well (bits
// 5–7), on top of AVX2+FMA.
func hasAVX512() bool {
	if !hasAVX2FMA() {
		return false
	}
	if eax, _ := xgetbv(); eax&0xe6 != 0xe6 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<16) != 0 && ebx&(1<<31) != 0
}
