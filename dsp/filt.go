package dsp

import (
	"fmt"
	"math"
	"sync"

	"github.com/bcikit/bcikit/dsp/internal/simd"
)

// DefaultPad asks SOSFiltFilt and FiltFilt for SciPy's default padding
// length: three times the number of filter taps.
const DefaultPad = -1

// checkFinite returns an ErrNonFinite error naming the first NaN or
// infinite sample of x, or nil.
func checkFinite(x []float64, ch int) error {
	for i, v := range x {
		if v-v != 0 { // NaN or ±Inf
			return fmt.Errorf("dsp: channel %d, sample %d is %v: %w", ch, i, v, ErrNonFinite)
		}
	}
	return nil
}

// checkSOS validates second-order sections as scipy's _validate_sos: at
// least one section, a0 = 1 in every section, finite coefficients.
func checkSOS(sos SOS) error {
	if len(sos) == 0 {
		return fmt.Errorf("dsp: sos: no sections: %w", ErrParam)
	}
	for i, s := range sos {
		for j, v := range s {
			if v-v != 0 {
				return fmt.Errorf("dsp: sos[%d][%d] = %v is not finite: %w", i, j, v, ErrParam)
			}
		}
		if s[3] != 1 {
			return fmt.Errorf("dsp: sos[%d][3] = %v must be 1: %w", i, s[3], ErrParam)
		}
	}
	return nil
}

// sosRun filters x in place through the sections, carrying the state zi,
// exactly as SciPy's _sosfilt (transposed direct form II, same operation
// order, so results are bit-identical). The float64 conversions forbid
// fused multiply-adds, which would change the rounding.
func sosRun(sos SOS, x []float64, zi [][2]float64) {
	zi = zi[:len(sos)]
	for n, xc := range x {
		for s := range sos {
			c := &sos[s]
			z := &zi[s]
			xn := float64(c[0]*xc) + z[0]
			z[0] = float64(c[1]*xc) - float64(c[4]*xn) + z[1]
			z[1] = float64(c[2]*xc) - float64(c[5]*xn)
			xc = xn
		}
		x[n] = xc
	}
}

// SOSFilt filters x through the second-order sections sos, as
// scipy.signal.sosfilt, and returns the output in dst (allocated when nil;
// dst may be x). zi holds one [2]float64 state per section: when it is not
// nil it is the initial state and is updated to the final state, so
// filtering a stream chunk by chunk gives exactly the one-shot output. A
// nil zi starts from rest.
func SOSFilt(dst []float64, sos SOS, x []float64, zi [][2]float64) ([]float64, error) {
	if err := checkSOS(sos); err != nil {
		return nil, err
	}
	if zi != nil && len(zi) != len(sos) {
		panic("dsp: SOSFilt: len(zi) != len(sos)")
	}
	if err := checkFinite(x, 0); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]float64, len(x))
	} else if len(dst) != len(x) {
		panic("dsp: SOSFilt: len(dst) != len(x)")
	}
	copy(dst, x)
	if zi == nil {
		zi = make([][2]float64, len(sos))
	}
	sosRun(sos, dst, zi)
	return dst, nil
}

// SOSFiltZi returns the initial state of each section for the steady state
// of the step response, as scipy.signal.sosfilt_zi. Scaled by x[0] it
// starts SOSFilt without a transient on a signal that begins at x[0].
func SOSFiltZi(sos SOS) [][2]float64 {
	zi := make([][2]float64, len(sos))
	scale := 1.0
	for i, s := range sos {
		z := lfilterZi(s[:3], s[3:])
		zi[i] = [2]float64{scale * z[0], scale * z[1]}
		scale *= (s[0] + s[1] + s[2]) / (s[3] + s[4] + s[5])
	}
	return zi
}

// normalizeBA returns b and a padded to a common length and divided by
// a[0] (after dropping leading zeros of a), as lfilter_zi prepares them.
func normalizeBA(b, a []float64) (nb, na []float64, ok bool) {
	for len(a) > 1 && a[0] == 0 {
		a = a[1:]
	}
	if len(a) == 0 || a[0] == 0 || len(b) == 0 {
		return nil, nil, false
	}
	n := max(len(a), len(b))
	nb, na = make([]float64, n), make([]float64, n)
	copy(nb, b)
	copy(na, a)
	if a0 := na[0]; a0 != 1 {
		for i := range nb {
			nb[i] /= a0
			na[i] /= a0
		}
	}
	return nb, na, true
}

// lfilterZi returns the steady-state initial condition of lfilter for a
// unit step, as scipy.signal.lfilter_zi: the solution of
// (I - companion(a)^T) zi = b[1:] - a[1:] b[0], solved by Gaussian
// elimination with partial pivoting (LAPACK dgesv's method).
func lfilterZi(b, a []float64) []float64 {
	b, a, ok := normalizeBA(b, a)
	if !ok {
		panic("dsp: lfilterZi: a has no non-zero coefficient")
	}
	n := len(a) - 1
	if n == 0 {
		return nil
	}
	m := make([][]float64, n)
	rhs := make([]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][0] = a[i+1]
		if i == 0 {
			m[i][0]++
		}
		if i+1 < n {
			m[i][i+1] = -1
		}
		if i > 0 {
			m[i][i]++
		}
		rhs[i] = b[i+1] - a[i+1]*b[0]
	}
	return solve(m, rhs)
}

// solve solves m x = rhs in place by LU factorization with partial
// pivoting (row interchanges on the first largest pivot, multipliers
// scaled by the pivot's reciprocal as LAPACK dgetf2 does).
func solve(m [][]float64, rhs []float64) []float64 {
	n := len(m)
	for j := 0; j < n; j++ {
		p := j
		for i := j + 1; i < n; i++ {
			if math.Abs(m[i][j]) > math.Abs(m[p][j]) {
				p = i
			}
		}
		m[j], m[p] = m[p], m[j]
		rhs[j], rhs[p] = rhs[p], rhs[j]
		if m[j][j] == 0 {
			continue // singular; leave the column (LAPACK reports info > 0)
		}
		r := 1 / m[j][j]
		for i := j + 1; i < n; i++ {
			m[i][j] *= r
			f := m[i][j]
			for k := j + 1; k < n; k++ {
				m[i][k] -= f * m[j][k]
			}
			rhs[i] -= f * rhs[j]
		}
	}
	for k := n - 1; k >= 0; k-- {
		if m[k][k] != 0 {
			rhs[k] /= m[k][k]
		}
		for i := 0; i < k; i++ {
			rhs[i] -= rhs[k] * m[i][k]
		}
	}
	return rhs
}

// oddExtend writes into ext (len(x)+2*edge) the odd extension of x by edge
// samples on each side, as scipy.signal._arraytools.odd_ext:
// 2*x[0] - x[edge..1] before and 2*x[n-1] - x[n-2..n-1-edge] after.
func oddExtend(ext, x []float64, edge int) {
	n := len(x)
	x0, xl := x[0], x[n-1]
	for i := 0; i < edge; i++ {
		ext[i] = 2*x0 - x[edge-i]
		ext[edge+n+i] = 2*xl - x[n-2-i]
	}
	copy(ext[edge:edge+n], x)
}

// reverse reverses x in place.
func reverse(x []float64) {
	for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
		x[i], x[j] = x[j], x[i]
	}
}

// SOSFiltFilt applies the second-order sections forward and backward to
// every channel of src, as scipy.signal.sosfiltfilt(sos, x, padtype='odd',
// padlen=padlen), and returns the zero-phase output in dst (allocated when
// nil; dst may be src). padlen = DefaultPad uses SciPy's default, three
// times the number of taps 2*len(sos)+1 (less the trailing zero
// coefficients). A channel must be longer than padlen (ErrTooShort).
// Channels are filtered in parallel.
func SOSFiltFilt(dst, src [][]float64, sos SOS, padlen int) ([][]float64, error) {
	if err := checkSOS(sos); err != nil {
		return nil, err
	}
	edge := padlen
	if padlen < 0 {
		if padlen != DefaultPad {
			return nil, fmt.Errorf("dsp: sosfiltfilt: padlen %d must be >= 0 or DefaultPad: %w", padlen, ErrParam)
		}
		zb, za := 0, 0
		for _, s := range sos {
			if s[2] == 0 {
				zb++
			}
			if s[5] == 0 {
				za++
			}
		}
		edge = 3 * (2*len(sos) + 1 - min(zb, za))
	}
	if err := checkPadLen("sosfiltfilt", src, edge); err != nil {
		return nil, err
	}
	dst = prepareDst(dst, src)
	if err := sosFiltFiltLanes(dst, src, sos, func(int) int { return edge }); err != nil {
		return nil, err
	}
	return dst, nil
}

// channelGroups splits the channels into groups of up to size channels of
// equal length, in channel order within each length.
func channelGroups(src [][]float64, size int) [][]int {
	byLen := map[int][]int{}
	var lengths []int
	for ch, x := range src {
		if _, ok := byLen[len(x)]; !ok {
			lengths = append(lengths, len(x))
		}
		byLen[len(x)] = append(byLen[len(x)], ch)
	}
	var groups [][]int
	for _, n := range lengths {
		chs := byLen[n]
		for len(chs) > 0 {
			k := min(size, len(chs))
			groups = append(groups, chs[:k])
			chs = chs[k:]
		}
	}
	return groups
}

// sosFiltFiltLanes runs the forward-backward filter on every channel,
// simd.SOSLanes channels at a time in an interleaved buffer, with padding
// edgeFor(len(x)). Each lane performs exactly the scalar operations, so
// the result does not depend on how channels are grouped.
func sosFiltFiltLanes(dst, src [][]float64, sos SOS, edgeFor func(n int) int) error {
	const L = simd.SOSLanes
	zi := SOSFiltZi(sos)
	coef := make([]float64, 0, 5*len(sos))
	for _, c := range sos {
		coef = append(coef, c[0], c[1], c[2], c[4], c[5])
	}
	groups := channelGroups(src, L)
	var (
		mu   sync.Mutex
		bufs []*[]float64
	)
	defer func() {
		for _, b := range bufs {
			extPool.Put(b)
		}
	}()
	return forEachChannel(len(groups), func() func(int) error {
		var zero, junk []float64
		// The interleaved buffer (8 channels with their padding, megabytes
		// for long recordings) comes from a pool: allocating and zeroing it
		// on every call cost more than filtering short signals.
		bp, _ := extPool.Get().(*[]float64)
		if bp == nil {
			bp = new([]float64)
		}
		mu.Lock()
		bufs = append(bufs, bp)
		mu.Unlock()
		var xs, ys [L][]float64
		z := make([]float64, 2*L*len(sos))
		return func(g int) error {
			chs := groups[g]
			n := len(src[chs[0]])
			if n == 0 {
				return nil
			}
			for l := range xs {
				if l < len(chs) {
					xs[l], ys[l] = src[chs[l]], dst[chs[l]]
				} else {
					zero, junk = grow(zero, n), grow(junk, n)
					clear(zero)
					xs[l], ys[l] = zero, junk
				}
			}
			edge := edgeFor(n)
			m := n + 2*edge
			*bp = grow(*bp, L*m)
			ext := *bp
			oddExtPads(ext, &xs, edge)
			body := ext[L*edge : L*(edge+n)]

			// Forward pass from the steady state at the first sample...
			var first [L]float64
			for l, x := range xs {
				first[l] = x[0]
			}
			if edge > 0 {
				copy(first[:], ext[:L])
			}
			setState(z, zi, first[:])
			simd.SOS8(coef, ext[:L*edge], z)
			if !simd.SOS8Gather(coef, body, z, &xs, 0) {
				l, i := firstNonFinite(&xs)
				ch := chs[l]
				return fmt.Errorf("dsp: channel %d, sample %d is %v: %w", ch, i, src[ch][i], ErrNonFinite)
			}
			simd.SOS8(coef, ext[L*(edge+n):], z)
			// ...and backward from the steady state at the last output; the
			// left padding's backward outputs are not needed.
			setState(z, zi, ext[L*(m-1):])
			simd.SOS8Reverse(coef, ext[L*(edge+n):], z)
			simd.SOS8ScatterReverse(coef, body, z, &ys, 0)
			return nil
		}
	})
}

// oddExtPads writes the padding lanes of the interleaved buffer ext (len
// L*(n+2*edge)): the channels xs (all of length n) extended by edge samples
// of odd extension at both ends (scipy odd_ext), 2*x[0] - x[edge-i] before
// and 2*x[n-1] - x[n-2-i] after.
func oddExtPads(ext []float64, xs *[simd.SOSLanes][]float64, edge int) {
	const L = simd.SOSLanes
	for l, x := range xs {
		n := len(x)
		first, last := x[0], x[n-1]
		for i := 0; i < edge; i++ {
			ext[L*i+l] = 2*first - x[edge-i]
			ext[L*(edge+n+i)+l] = 2*last - x[n-2-i]
		}
	}
}

// firstNonFinite returns the lane and index of the earliest NaN or
// infinite sample of xs (lowest lane on ties), or -1, -1.
func firstNonFinite(xs *[simd.SOSLanes][]float64) (int, int) {
	bestL, bestI := -1, -1
	for l, x := range xs {
		if i := checkFiniteIndex(x); i >= 0 && (bestI < 0 || i < bestI) {
			bestL, bestI = l, i
		}
	}
	return bestL, bestI
}

// setState sets the interleaved section states to zi scaled by the lanes'
// sample v (zi * x0 in SciPy).
func setState(z []float64, zi [][2]float64, v []float64) {
	const L = simd.SOSLanes
	for s := range zi {
		for l := 0; l < L; l++ {
			z[2*L*s+l] = zi[s][0] * v[l]
			z[2*L*s+L+l] = zi[s][1] * v[l]
		}
	}
}

// extPool holds the interleaved buffers of sosFiltFiltLanes.
var extPool sync.Pool

// grow returns a slice of length n reusing buf's storage when it can.
func grow(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

// checkPadLen reports ErrTooShort for the first channel not longer than
// the padding, as scipy's _validate_pad.
func checkPadLen(name string, src [][]float64, edge int) error {
	for ch, x := range src {
		if len(x) <= edge {
			return fmt.Errorf("dsp: %s: channel %d has %d samples, it must be longer than the padding of %d samples: %w", name, ch, len(x), edge, ErrTooShort)
		}
	}
	return nil
}

// checkBA validates transfer-function coefficients.
func checkBA(name string, b, a []float64) error {
	if len(b) == 0 || len(a) == 0 {
		return fmt.Errorf("dsp: %s: b and a must not be empty: %w", name, ErrParam)
	}
	for _, c := range [][]float64{b, a} {
		for i, v := range c {
			if v-v != 0 {
				return fmt.Errorf("dsp: %s: coefficient %d = %v is not finite: %w", name, i, v, ErrParam)
			}
		}
	}
	if a[0] == 0 {
		return fmt.Errorf("dsp: %s: a[0] must not be zero: %w", name, ErrParam)
	}
	return nil
}

// lfilterRun filters x in place with normalized coefficients b and a of
// equal length n, carrying the n-1 delays z, in the operation order of
// SciPy's lfilter (transposed direct form II).
func lfilterRun(b, a, x, z []float64) {
	n := len(b)
	if n == 1 {
		for i, v := range x {
			x[i] = v * b[0]
		}
		return
	}
	for i, xn := range x {
		yn := z[0] + float64(b[0]*xn)
		for k := 1; k < n-1; k++ {
			z[k-1] = z[k] + float64(xn*b[k]) - float64(yn*a[k])
		}
		z[n-2] = float64(xn*b[n-1]) - float64(yn*a[n-1])
		x[i] = yn
	}
}

// LFilter filters x with the transfer function b/a, as
// scipy.signal.lfilter(b, a, x, zi=zi), and returns the output in dst
// (allocated when nil; dst may be x). zi, when not nil, holds the
// max(len(a), len(b))-1 delays: it is the initial state and is updated to
// the final one, so a stream can be filtered chunk by chunk.
func LFilter(dst []float64, b, a, x, zi []float64) ([]float64, error) {
	if err := checkBA("lfilter", b, a); err != nil {
		return nil, err
	}
	nb, na, _ := normalizeBA(b, a)
	if zi != nil && len(zi) != len(nb)-1 {
		panic("dsp: LFilter: len(zi) != max(len(a), len(b))-1")
	}
	if err := checkFinite(x, 0); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]float64, len(x))
	} else if len(dst) != len(x) {
		panic("dsp: LFilter: len(dst) != len(x)")
	}
	copy(dst, x)
	if zi == nil {
		zi = make([]float64, len(nb)-1)
	}
	lfilterRun(nb, na, dst, zi)
	return dst, nil
}

// LFilterZi returns the initial delays of LFilter for the steady state of
// the step response, as scipy.signal.lfilter_zi.
func LFilterZi(b, a []float64) ([]float64, error) {
	if err := checkBA("lfilter_zi", b, a); err != nil {
		return nil, err
	}
	return lfilterZi(b, a), nil
}

// FiltFilt applies the filter b/a forward and backward to every channel of
// src, as scipy.signal.filtfilt(b, a, x, padtype='odd', padlen=padlen,
// method='pad'), and returns the zero-phase output in dst (allocated when
// nil; dst may be src). padlen = DefaultPad uses SciPy's default,
// 3*max(len(a), len(b)). A channel must be longer than padlen
// (ErrTooShort). Channels are filtered in parallel.
func FiltFilt(dst, src [][]float64, b, a []float64, padlen int) ([][]float64, error) {
	if err := checkBA("filtfilt", b, a); err != nil {
		return nil, err
	}
	edge := padlen
	if padlen < 0 {
		if padlen != DefaultPad {
			return nil, fmt.Errorf("dsp: filtfilt: padlen %d must be >= 0 or DefaultPad: %w", padlen, ErrParam)
		}
		edge = 3 * max(len(a), len(b))
	}
	if err := checkPadLen("filtfilt", src, edge); err != nil {
		return nil, err
	}
	dst = prepareDst(dst, src)
	zi := lfilterZi(b, a)
	nb, na, _ := normalizeBA(b, a)
	err := forEachChannel(len(src), func() func(int) error {
		var ext []float64
		state := make([]float64, len(zi))
		return func(ch int) error {
			x := src[ch]
			if err := checkFinite(x, ch); err != nil {
				return err
			}
			ext = grow(ext, len(x)+2*edge)
			if edge > 0 {
				oddExtend(ext, x, edge)
			} else {
				copy(ext, x)
			}
			for pass := 0; pass < 2; pass++ {
				for i := range zi {
					state[i] = zi[i] * ext[0]
				}
				lfilterRun(nb, na, ext, state)
				reverse(ext)
			}
			copy(dst[ch], ext[edge:edge+len(x)])
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}
