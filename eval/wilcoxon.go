package eval

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/bcikit/bcikit/internal/npsum"
)

// ErrStat reports data a statistical test is not defined for.
var ErrStat = errors.New("eval: test undefined")

// WilcoxonResult is the outcome of the Wilcoxon signed-rank test.
type WilcoxonResult struct {
	// Statistic is min(R+, R−), the smaller signed-rank sum.
	Statistic float64
	// P is the two-sided p-value.
	P float64
	// Exact reports whether P comes from the exact null distribution
	// (otherwise the normal approximation).
	Exact bool
}

// Wilcoxon is scipy.stats.wilcoxon(x, y) of SciPy 1.10 with its defaults
// (zero_method='wilcox', correction=False, alternative='two-sided',
// method='auto'): the test of the paired differences d = x − y. The exact
// distribution is used for at most 50 pairs without a zero difference;
// otherwise zero differences are dropped and the normal approximation,
// with SciPy's tie correction, is used. As in SciPy, the exact p-value
// ignores ties (the rank sum is truncated to an integer).
//
// It is an error when the lengths differ, when there are no pairs or when
// every difference is zero.
func Wilcoxon(x, y []float64) (WilcoxonResult, error) {
	if len(x) != len(y) {
		return WilcoxonResult{}, fmt.Errorf("%w: wilcoxon of %d and %d values", ErrStat, len(x), len(y))
	}
	if len(x) == 0 {
		return WilcoxonResult{}, fmt.Errorf("%w: wilcoxon of no pairs", ErrStat)
	}
	d := make([]float64, len(x))
	nZero := 0
	for i := range x {
		d[i] = x[i] - y[i]
		if math.IsNaN(d[i]) {
			return WilcoxonResult{}, fmt.Errorf("%w: wilcoxon: pair %d is NaN", ErrStat, i)
		}
		if d[i] == 0 {
			nZero++
		}
	}
	exact := len(d) <= 50 && nZero == 0
	if !exact {
		if nZero == len(d) {
			return WilcoxonResult{}, fmt.Errorf("%w: wilcoxon: every difference is zero", ErrStat)
		}
		d = slices.DeleteFunc(d, func(v float64) bool { return v == 0 })
	}
	count := len(d)
	abs := make([]float64, count)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	r := rankdata(abs)
	plus := make([]float64, count)
	minus := make([]float64, count)
	for i, v := range d {
		if v > 0 {
			plus[i] = r[i]
		} else if v < 0 {
			minus[i] = r[i]
		}
	}
	rPlus, rMinus := npsum.Sum(plus), npsum.Sum(minus)
	t := math.Min(rPlus, rMinus)
	res := WilcoxonResult{Statistic: t, Exact: exact}
	if exact {
		pmf := wilcoxonPMF(count)
		k := int(rPlus)
		if k == (len(pmf)-1)/2 {
			res.P = 1
		} else {
			pLess := npsum.Sum(pmf[:k+1])
			pGreater := npsum.Sum(pmf[k:])
			res.P = math.Min(math.Max(2*math.Min(pGreater, pLess), 0), 1)
		}
		return res, nil
	}
	c := float64(count)
	mn := c * (c + 1) * 0.25
	se := c * (c + 1) * (2*c + 1)
	sorted := slices.Clone(r)
	slices.Sort(sorted)
	var corr float64
	for i := 0; i < len(sorted); {
		j := i
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		if rep := float64(j - i); rep > 1 {
			corr += rep * (rep*rep - 1)
		}
		i = j
	}
	se -= 0.5 * corr
	se = math.Sqrt(se / 24)
	z := (t - mn) / se
	res.P = 2 * normSF(math.Abs(z))
	return res, nil
}

// normSF is the standard normal survival function (scipy's norm.sf).
func normSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// rankdata returns the ranks of v, ties sharing their average rank
// (scipy.stats.rankdata, method='average').
func rankdata(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(v[a], v[b]) })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		// Ranks i+1 … j share their mean.
		avg := 0.5 * float64(i+1+j)
		for _, k := range idx[i:j] {
			r[k] = avg
		}
		i = j
	}
	return r
}

// wilcoxonPMF returns the null distribution of R+ for n pairs, built as
// SciPy's _get_wilcoxon_distr does (halving and shifting, in float64).
func wilcoxonPMF(n int) []float64 {
	c := []float64{1}
	for k := 1; k <= n; k++ {
		next := make([]float64, k*(k+1)/2+1)
		m := len(c)
		for i, v := range c {
			next[i] = v * 0.5
		}
		off := len(next) - m
		for i, v := range c {
			next[off+i] += v * 0.5
		}
		c = next
	}
	return c
}
