package symeig

// mul4x8AVX writes, for r < 4 and c < 8, dst[r·n+c] = Σ_{k<kn} a[r·n+k]·b[k·n+c]
// (k ascending, separate multiplies and adds). All three matrices have
// row stride n.
//
//go:noescape
func mul4x8AVX(dst, a, b *float64, n, kn int)

// mul4x8FMA is mul4x8AVX with fused multiply-adds (s = fma(a, b, s)).
//
//go:noescape
func mul4x8FMA(dst, a, b *float64, n, kn int)
