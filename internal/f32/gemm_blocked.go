package f32

import (
	"sync"
	"unsafe"

	"github.com/bcikit/bcikit/internal/parallel"
)

// The blocked Gemm follows the BLIS/GotoBLAS scheme (Goto & van de Geijn,
// "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3),
// 2008): C is updated by a register-blocked micro-kernel of mr×nr = 4×48
// from a kc×nr panel of B (kept in L1 while the kernel walks an mc×kc
// block of A, kept in L2) and an mr×kc panel of A. A is packed (scaled by
// alpha) into mr-row panels; B is packed into nr-column panels.
const (
	mr = 4
	nr = 48
	kc = 256
	mc = 128
	nc = nr * 85
)

// microKernel computes C[0:mr, 0:nr] = beta·C + A·B for k ≥ 1 steps: a
// holds k columns of mr values, b holds k rows of nr values with row
// stride ldb, C has row stride ldc (strides in elements). C is not read
// when beta is 0.
type microKernel func(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32)

// kernGo is the portable micro-kernel, used to test the blocking on any
// architecture.
func kernGo(k int, a, b *float32, ldb int, c *float32, ldc int, beta float32) {
	as := unsafe.Slice(a, k*mr)
	bs := unsafe.Slice(b, (k-1)*ldb+nr)
	cs := unsafe.Slice(c, (mr-1)*ldc+nr)
	var acc [mr][nr]float32
	for p := range k {
		bp := bs[p*ldb : p*ldb+nr]
		for r := range mr {
			av := as[p*mr+r]
			for j, bv := range bp {
				acc[r][j] += av * bv
			}
		}
	}
	for r := range mr {
		storeRow(cs[r*ldc:r*ldc+nr], acc[r][:], beta)
	}
}

// storeRow sets c = beta·c + ab, not reading c when beta is 0.
func storeRow(c, ab []float32, beta float32) {
	ab = ab[:len(c)]
	switch beta {
	case 0:
		copy(c, ab)
	case 1:
		for j, v := range ab {
			c[j] += v
		}
	default:
		for j, v := range ab {
			c[j] = beta*c[j] + v
		}
	}
}

// directMaxM is the largest number of rows of C for which Gemm reads an
// untransposed B in place instead of packing it: B is packed only when
// its panels are reused over many rows of A; for few rows the copy would
// cost as much as the products.
var directMaxM = 16

type gemmWork struct {
	ap, bp []float32
	tile   [mr * nr]float32
}

var workPool = sync.Pool{New: func() any { return new(gemmWork) }}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// gemmCall holds the arguments of one Gemm, so that the parts run by
// workers share them without a closure that would escape on every call.
type gemmCall struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
	// workers parts, split along n (else m) in whole tiles of tile
	// columns (rows); tiles is the number of tiles along that side.
	workers, tiles, tile int
	splitN               bool
}

// setSplit splits the call over at most workers parts along the longer
// side of C, counted in tiles of tm rows or tn columns.
func (g *gemmCall) setSplit(workers, tm, tn int) {
	nm, nn := (g.m+tm-1)/tm, (g.n+tn-1)/tn
	g.splitN = nn >= nm
	g.tiles, g.tile = nm, tm
	if g.splitN {
		g.tiles, g.tile = nn, tn
	}
	g.workers = max(1, min(workers, g.tiles))
}

// span returns part t's range [lo, hi) of rows or columns.
func (g *gemmCall) span(t int) (lo, hi int) {
	side := g.m
	if g.splitN {
		side = g.n
	}
	lo = g.tiles * t / g.workers * g.tile
	hi = min(side, g.tiles*(t+1)/g.workers*g.tile)
	return lo, hi
}

// gemmBlocked is Gemm on the micro-kernel kern, split over the given
// number of workers along the longer dimension of C (in whole tiles).
func gemmBlocked(kern microKernel, workers int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if alpha == 0 || k == 0 {
		for i := range m {
			scaleRow(c[i*ldc:i*ldc+n], beta)
		}
		return
	}
	g := gemmCall{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
	g.setSplit(workers, mr, nr)
	if g.workers == 1 {
		g.blockedPart(kern, 0)
		return
	}
	g.blockedParallel(kern)
}

// blockedParallel runs the parts of a blocked call on g.workers
// goroutines; g is a copy, so only a parallel call allocates it.
func (g gemmCall) blockedParallel(kern microKernel) {
	parallel.ForEach(g.workers, g.workers, func(_, t int) { g.blockedPart(kern, t) })
}

func (g *gemmCall) blockedPart(kern microKernel, t int) {
	lo, hi := g.span(t)
	i0, i1, j0, j1 := 0, g.m, lo, hi
	if !g.splitN {
		i0, i1, j0, j1 = lo, hi, 0, g.n
	}
	w := workPool.Get().(*gemmWork)
	w.run(kern, !g.transB && i1-i0 <= directMaxM, g.transA, g.transB, i0, i1, j0, j1, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc)
	workPool.Put(w)
}

// run computes C[i0:i1, j0:j1] = beta·C + alpha·op(A)[i0:i1, :]·op(B)[:, j0:j1].
// When direct (only for an untransposed B), the full nr-column panels of
// B are read in place, row p at b[p·ldb:], so ldb may be any positive
// stride, even one smaller than n (rows of a Toeplitz matrix that overlap).
func (w *gemmWork) run(kern microKernel, direct bool, transA, transB bool, i0, i1, j0, j1, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kb := min(kc, k)
	w.ap = grow(w.ap, (min(mc, i1-i0)+mr-1)/mr*mr*kb)
	w.bp = grow(w.bp, (min(nc, j1-j0)+nr-1)/nr*nr*kb)
	for jc := j0; jc < j1; jc += nc {
		ncb := min(nc, j1-jc)
		for pc := 0; pc < k; pc += kc {
			kcb := min(kc, k-pc)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			// Full panels of B are read in place when direct; the last,
			// partial one is packed at the start of w.bp.
			full := 0
			if direct {
				full = ncb / nr * nr
			}
			packB(w.bp, transB, b, ldb, pc, kcb, jc+full, ncb-full)
			for ic := i0; ic < i1; ic += mc {
				mcb := min(mc, i1-ic)
				packA(w.ap, transA, a, lda, ic, mcb, pc, kcb, alpha)
				for jr := 0; jr < ncb; jr += nr {
					nrb := min(nr, ncb-jr)
					var bpan *float32
					bld := nr
					if jr < full {
						bpan, bld = &b[pc*ldb+jc+jr], ldb
					} else {
						bpan = &w.bp[(jr-full)*kcb]
					}
					for ir := 0; ir < mcb; ir += mr {
						mrb := min(mr, mcb-ir)
						apan := &w.ap[ir*kcb]
						ci := (ic+ir)*ldc + jc + jr
						if mrb == mr && nrb == nr {
							kern(kcb, apan, bpan, bld, &c[ci], ldc, bet)
							continue
						}
						kern(kcb, apan, bpan, bld, &w.tile[0], nr, 0)
						for r := range mrb {
							storeRow(c[ci+r*ldc:ci+r*ldc+nrb], w.tile[r*nr:r*nr+nrb], bet)
						}
					}
				}
			}
		}
	}
}

// packA packs alpha·op(A)[ic:ic+mcb, pc:pc+kcb] into panels of mr rows:
// panel q holds, for each p, the mr values op(A)[ic+q·mr+r, pc+p] at
// dst[q·mr·kcb + p·mr + r], zero-padded past the last row.
func packA(dst []float32, transA bool, a []float32, lda, ic, mcb, pc, kcb int, alpha float32) {
	for q := 0; q < mcb; q += mr {
		rows := min(mr, mcb-q)
		d := dst[q*kcb : q*kcb+mr*kcb]
		if rows < mr {
			clear(d)
		}
		if transA {
			// op(A)[i, p] = a[p·lda + i]: mr contiguous values per p.
			for p := range kcb {
				src := a[(pc+p)*lda+ic+q : (pc+p)*lda+ic+q+rows]
				dp := d[p*mr : p*mr+rows]
				for r, v := range src {
					dp[r] = alpha * v
				}
			}
			continue
		}
		for r := range rows {
			src := a[(ic+q+r)*lda+pc : (ic+q+r)*lda+pc+kcb]
			for p, v := range src {
				d[p*mr+r] = alpha * v
			}
		}
	}
}

// packB packs op(B)[pc:pc+kcb, jc:jc+ncb] into panels of nr columns:
// panel q holds, for each p, the nr values op(B)[pc+p, jc+q·nr+j] at
// dst[q·nr·kcb + p·nr + j], zero-padded past the last column.
func packB(dst []float32, transB bool, b []float32, ldb, pc, kcb, jc, ncb int) {
	for q := 0; q < ncb; q += nr {
		cols := min(nr, ncb-q)
		d := dst[q*kcb : q*kcb+nr*kcb]
		if cols < nr {
			clear(d)
		}
		if !transB {
			for p := range kcb {
				copy(d[p*nr:p*nr+cols], b[(pc+p)*ldb+jc+q:(pc+p)*ldb+jc+q+cols])
			}
			continue
		}
		// op(B)[p, j] = b[j·ldb + p]: read each of the columns' rows.
		for j := range cols {
			src := b[(jc+q+j)*ldb+pc : (jc+q+j)*ldb+pc+kcb]
			for p, v := range src {
				d[p*nr+j] = v
			}
		}
	}
}
