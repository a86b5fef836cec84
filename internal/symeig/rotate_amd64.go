package symeig

// useAVX reports whether the CPU and the OS support AVX (CPUID.1:ECX bits
// 27 OSXSAVE and 28 AVX, and XCR0 enabling SSE and AVX state).
var useAVX = func() bool {
	_, _, ecx, _ := cpuid(1, 0)
	if ecx&(1<<27) == 0 || ecx&(1<<28) == 0 {
		return false
	}
	eax, _ := xgetbv()
	return eax&0x6 == 0x6
}()

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

// rotateAVX is rotate for len(x) a multiple of 4, four lanes at a time
// with separate multiplies and adds (no FMA), so that every lane rounds
// as the Go loop does.
//
//go:noescape
func rotateAVX(x, y []float64, c, s float64)

// rotate applies the plane rotation to the rows x (column i of the
// eigenvectors) and y (column i+1): y ← s·x + c·y, x ← c·x − s·y.
func rotate(x, y []float64, c, s float64) {
	y = y[:len(x)]
	n4 := len(x) &^ 3
	if useAVX && n4 > 0 {
		rotateAVX(x[:n4], y[:n4], c, s)
		x, y = x[n4:], y[n4:]
	}
	rotateGo(x, y, c, s)
}
