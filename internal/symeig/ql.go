package symeig

import "math"

// ql is the implicit QL method with Wilkinson shifts (EISPACK's tql2) as a
// resumable state, so that two decompositions can run interleaved
// (tql2Pair): within a sweep each rotation waits on the previous one
// through a square root and a division, and two independent sweeps
// stepped in turn keep the CPU busy during those waits. A decomposition
// alone runs through tql2Pair too (with an empty partner), so a matrix
// gets the same arithmetic either way.
type ql struct {
	d, e, vt, cs, ss []float64
	n, l, m, iter    int
	f, tst1          float64
	active, failed   bool    // iterating on l; not converged
	p, c, s          float64 // state of the sweep in progress
	el1, dl1         float64
}

const qlEps = 0x1p-52

// start sets up the diagonalisation (EISPACK's tql2) of the n×n
// tridiagonal matrix with diagonal d and off-diagonal e[:n-1] (e[i]
// couples i and i+1; e has n elements), the rotations going to the rows
// of vt.
func (q *ql) start(d, e, vt, cs, ss []float64, n int) {
	*q = ql{d: d, e: e, vt: vt, cs: cs, ss: ss, n: n}
	e[n-1] = 0
}

// prepare deflates converged eigenvalues and sets up the next sweep, on
// rows l … m; it returns false when none is left (done or failed).
func (q *ql) prepare() bool {
	if q.failed {
		return false
	}
	d, e, n := q.d, q.e, q.n
	for {
		l := q.l
		if !q.active {
			if l >= n {
				return false
			}
			// Find a small sub-diagonal element.
			q.tst1 = math.Max(q.tst1, math.Abs(d[l])+math.Abs(e[l]))
			m := l
			for m < n {
				if math.Abs(e[m]) <= qlEps*q.tst1 {
					break
				}
				m++
			}
			if m == n {
				m = n - 1
			}
			if m == l {
				// d[l] is an eigenvalue.
				d[l] += q.f
				e[l] = 0
				q.l++
				continue
			}
			q.m, q.iter, q.active = m, 0, true
		}
		q.iter++
		if q.iter > 30*n+100 || math.IsNaN(q.tst1) {
			q.failed = true
			return false
		}
		// Compute the implicit shift.
		g := d[l]
		p := (d[l+1] - g) / (2 * e[l])
		r := hypot(p, 1)
		if p < 0 {
			r = -r
		}
		d[l] = e[l] / (p + r)
		d[l+1] = e[l] * (p + r)
		q.dl1 = d[l+1]
		h := g - d[l]
		for i := l + 2; i < n; i++ {
			d[i] -= h
		}
		q.f += h
		q.p, q.c, q.s = d[q.m], 1, 0
		q.el1 = e[l+1]
		return true
	}
}

// The rotation of a sweep at row i (i from m−1 down to l) is written out
// in each loop below (Go would not inline it as a function, and a call
// would spill the chain's registers): it updates d and e, records the
// rotation in cs[i] and ss[i], and carries p, c and s to the next row.
// p ← c·d[i] − s·g with c = p/r and s = e[i]/r is computed as
// (p·d[i] − e[i]·g)·(1/r): one division, and the products need not wait
// for r. r = hypot(p, e[i]) is the plain square root where p² + e[i]²
// can neither overflow nor underflow.

// finish applies the sweep's rotations to vt and ends the sweep.
func (q *ql) finish() {
	d, e, l, m := q.d, q.e, q.l, q.m
	sweep(q.vt, q.n, l, m, q.cs, q.ss)
	// s₂ and c₃ of EISPACK's tql2: s one rotation and c two rotations
	// before the last (0 and 1 when there were none).
	c3, s2 := 1.0, 0.0
	if m-l >= 2 {
		s2 = q.ss[l+1]
	}
	if m-l >= 3 {
		c3 = q.cs[l+2]
	}
	p := -q.s * s2 * c3 * q.el1 * e[l] / q.dl1
	e[l] = q.s * p
	d[l] = q.c * p
	if !(math.Abs(e[l]) > qlEps*q.tst1) {
		q.active = false
		d[l] += q.f
		e[l] = 0
		q.l++
	}
}

// tql2Pair runs two QL diagonalisations, stepping their sweeps in turn
// (an empty ql, n = 0, has none); each gets the arithmetic it would get
// alone. It reports whether each converged.
func tql2Pair(a, b *ql) (bool, bool) {
	for {
		ra, rb := a.prepare(), b.prepare()
		if !ra && !rb {
			return !a.failed, !b.failed
		}
		ia, la, ib, lb := -1, 0, -1, 0
		var pa, ca, sa, pb, cb, sb float64
		if ra {
			ia, la, pa, ca, sa = a.m-1, a.l, a.p, a.c, a.s
		}
		if rb {
			ib, lb, pb, cb, sb = b.m-1, b.l, b.p, b.c, b.s
		}
		da, ea, csa, ssa := a.d, a.e, a.cs, a.ss
		db, eb, csb, ssb := b.d, b.e, b.cs, b.ss
		for ia >= la && ib >= lb {
			aei, adi := ea[ia], da[ia]
			ga := ca * aei
			ha := ca * pa
			pda := pa*adi - aei*ga
			ta := pa*pa + aei*aei
			rra := math.Sqrt(ta)
			if !(ta > 0x1p-1000 && ta < 0x1p+1000) {
				rra = math.Hypot(pa, aei)
			}
			ea[ia+1] = sa * rra
			ria := 1 / rra
			sa = aei * ria
			ca = pa * ria
			pa = pda * ria
			da[ia+1] = ha + sa*(ca*ga+sa*adi)
			csa[ia], ssa[ia] = ca, sa
			bei, bdi := eb[ib], db[ib]
			gb := cb * bei
			hb := cb * pb
			pdb := pb*bdi - bei*gb
			tb := pb*pb + bei*bei
			rrb := math.Sqrt(tb)
			if !(tb > 0x1p-1000 && tb < 0x1p+1000) {
				rrb = math.Hypot(pb, bei)
			}
			eb[ib+1] = sb * rrb
			rib := 1 / rrb
			sb = bei * rib
			cb = pb * rib
			pb = pdb * rib
			db[ib+1] = hb + sb*(cb*gb+sb*bdi)
			csb[ib], ssb[ib] = cb, sb
			ia--
			ib--
		}
		for ; ia >= la; ia-- {
			aei, adi := ea[ia], da[ia]
			ga := ca * aei
			ha := ca * pa
			pda := pa*adi - aei*ga
			ta := pa*pa + aei*aei
			rra := math.Sqrt(ta)
			if !(ta > 0x1p-1000 && ta < 0x1p+1000) {
				rra = math.Hypot(pa, aei)
			}
			ea[ia+1] = sa * rra
			ria := 1 / rra
			sa = aei * ria
			ca = pa * ria
			pa = pda * ria
			da[ia+1] = ha + sa*(ca*ga+sa*adi)
			csa[ia], ssa[ia] = ca, sa
		}
		for ; ib >= lb; ib-- {
			bei, bdi := eb[ib], db[ib]
			gb := cb * bei
			hb := cb * pb
			pdb := pb*bdi - bei*gb
			tb := pb*pb + bei*bei
			rrb := math.Sqrt(tb)
			if !(tb > 0x1p-1000 && tb < 0x1p+1000) {
				rrb = math.Hypot(pb, bei)
			}
			eb[ib+1] = sb * rrb
			rib := 1 / rrb
			sb = bei * rib
			cb = pb * rib
			pb = pdb * rib
			db[ib+1] = hb + sb*(cb*gb+sb*bdi)
			csb[ib], ssb[ib] = cb, sb
		}
		if ra {
			a.p, a.c, a.s = pa, ca, sa
			a.finish()
		}
		if rb {
			b.p, b.c, b.s = pb, cb, sb
			b.finish()
		}
	}
}
