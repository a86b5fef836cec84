package csp

import (
	"math"
	"slices"
	"sort"

	"github.com/bcikit/bcikit/internal/npsum"
)

// miNeighbors is sklearn's mutual_info_classif default n_neighbors.
const miNeighbors = 3

// MutualInfoClassif estimates the mutual information between each column of the
// n_samples×n_features matrix x (rows are samples, given as a slice of
// rows) and the discrete labels y, as sklearn 1.2's
// mutual_info_classif(x, y) with its defaults (continuous features,
// n_neighbors=3): features are scaled to unit variance and each score is
// the Kraskov/Ross k-nearest-neighbour estimate, clipped at 0.
//
// sklearn adds random jitter of relative size 1e-10 to the features
// before the estimate (seeded by random_state); MutualInfoClassif does not. The
// estimate depends only on neighbour counts, so the scores are the same
// unless two distances tie to within that jitter. For a class with at most
// 7 samples sklearn switches to brute-force distances with rounding that
// depends on the jitter, so its scores are themselves not reproducible
// there; MutualInfoClassif uses exact distances throughout.
func MutualInfoClassif(x [][]float64, y []int) []float64 {
	if len(x) == 0 {
		return nil
	}
	nf := len(x[0])
	out := make([]float64, nf)
	col := make([]float64, len(x))
	for f := 0; f < nf; f++ {
		for i, row := range x {
			col[i] = row[f]
		}
		out[f] = miContinuousDiscrete(col, y)
	}
	return out
}

// miContinuousDiscrete is sklearn's _compute_mi_cd on one feature after
// sklearn's scaling (division by the population standard deviation).
func miContinuousDiscrete(c []float64, d []int) float64 {
	n := len(c)
	// scale(with_mean=False): divide by the standard deviation (1 if 0)
	mean := 0.0
	for _, v := range c {
		mean += v
	}
	mean /= float64(n)
	ss := 0.0
	for _, v := range c {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(n))
	if sd == 0 {
		sd = 1
	}
	x := make([]float64, n)
	for i, v := range c {
		x[i] = v / sd
	}

	radius := make([]float64, n)
	kAll := make([]float64, n)
	counts := make([]float64, n)
	for _, lab := range classesOf(d) {
		var idx []int
		for i, l := range d {
			if l == lab {
				idx = append(idx, i)
			}
		}
		cnt := len(idx)
		for _, i := range idx {
			counts[i] = float64(cnt)
		}
		if cnt < 2 {
			continue
		}
		k := min(miNeighbors, cnt-1)
		vals := make([]float64, cnt)
		for j, i := range idx {
			vals[j] = x[i]
		}
		order := make([]int, cnt)
		for j := range order {
			order[j] = j
		}
		sort.Slice(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
		sorted := make([]float64, cnt)
		for j, o := range order {
			sorted[j] = vals[o]
		}
		for pos, o := range order {
			r := kthNeighbor(sorted, pos, k)
			i := idx[o]
			radius[i] = math.Nextafter(r, 0)
			kAll[i] = float64(k)
		}
	}

	// points with a unique label are ignored
	var keep []int
	for i := range x {
		if counts[i] > 1 {
			keep = append(keep, i)
		}
	}
	m := len(keep)
	if m == 0 {
		return 0
	}
	all := make([]float64, m)
	for j, i := range keep {
		all[j] = x[i]
	}
	slices.Sort(all)
	psiK := make([]float64, m)
	psiN := make([]float64, m)
	psiM := make([]float64, m)
	for j, i := range keep {
		psiK[j] = digamma(kAll[i])
		psiN[j] = digamma(counts[i])
		psiM[j] = digamma(float64(countWithin(all, x[i], radius[i])))
	}
	fm := float64(m)
	mi := digamma(fm) + npsum.Sum(psiK)/fm - npsum.Sum(psiN)/fm - npsum.Sum(psiM)/fm
	return math.Max(0, mi)
}

// kthNeighbor returns the distance from sorted[pos] to its k-th nearest
// other point in sorted (ascending).
func kthNeighbor(sorted []float64, pos, k int) float64 {
	v := sorted[pos]
	lo, hi := pos-1, pos+1
	var r float64
	for found := 0; found < k; found++ {
		var dl, dh = math.Inf(1), math.Inf(1)
		if lo >= 0 {
			dl = math.Abs(v - sorted[lo])
		}
		if hi < len(sorted) {
			dh = math.Abs(sorted[hi] - v)
		}
		if dl <= dh {
			r = dl
			lo--
		} else {
			r = dh
			hi++
		}
	}
	return r
}

// countWithin counts the points p of sorted with |p − v| ≤ r (v itself
// included when it is in sorted), with the distance rounded as sklearn's
// KDTree computes it.
func countWithin(sorted []float64, v, r float64) int {
	// |p − v| is monotone in p on each side of v, so both ends are binary
	// searches on the rounded distance.
	lo := sort.Search(len(sorted), func(i int) bool {
		p := sorted[i]
		return p >= v || math.Abs(v-p) <= r
	})
	hi := sort.Search(len(sorted), func(i int) bool {
		p := sorted[i]
		return p > v && math.Abs(p-v) > r
	})
	return hi - lo
}

// digamma is Cephes' psi as SciPy's scipy.special.digamma evaluates it for
// positive arguments: the harmonic sum for integers up to 10, the
// recurrence into [1, 2] with Boost's rational approximation below 10,
// and the asymptotic series above.
func digamma(x float64) float64 {
	const euler = 0.577215664901532860606512090082402431
	y := 0.0
	if x <= 0 || math.IsNaN(x) {
		return math.NaN() // not needed for counts
	}
	if x <= 10 && x == math.Floor(x) {
		n := int(x)
		for i := 1; i < n; i++ {
			y += 1.0 / float64(i)
		}
		return y - euler
	}
	if x < 1 {
		y -= 1 / x
		x++
	} else if x < 10 {
		for x > 2 {
			x--
			y += 1 / x
		}
	}
	if x >= 1 && x <= 2 {
		return y + digamma12(x)
	}
	return y + digammaAsy(x)
}

func digamma12(x float64) float64 {
	const (
		yc    = float64(float32(0.99558162689208984))
		root1 = 1569415565.0 / 1073741824.0
		root2 = (381566830.0 / 1073741824.0) / 1073741824.0
		root3 = 0.9016312093258695918615325266959189453125e-19
	)
	p := []float64{-0.0020713321167745952, -0.045251321448739056, -0.28919126444774784,
		-0.65031853770896507, -0.32555031186804491, 0.25479851061131551}
	q := []float64{-0.55789841321675513e-6, 0.0021284987017821144, 0.054151797245674225,
		0.43593529692665969, 1.4606242909763515, 2.0767117023730469, 1.0}
	g := x - root1
	g -= root2
	g -= root3
	r := polevl(x-1, p) / polevl(x-1, q)
	return g*yc + g*r
}

func digammaAsy(x float64) float64 {
	a := []float64{8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
		-4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
		8.33333333333333333333e-2}
	y := 0.0
	if x < 1e17 {
		z := 1 / (x * x)
		y = z * polevl(z, a)
	}
	return math.Log(x) - 0.5/x - y
}

// polevl evaluates the polynomial with coefficients c (highest degree
// first) at x by Horner's rule, as Cephes' polevl.
func polevl(x float64, c []float64) float64 {
	s := c[0]
	for _, v := range c[1:] {
		s = s*x + v
	}
	return s
}

// selectKBest returns the indices of the k highest scores in increasing
// index order, as sklearn's SelectKBest: a stable ascending sort whose last
// k entries are kept, so that among tied scores the later features win.
func selectKBest(scores []float64, k int) []int {
	ix := make([]int, len(scores))
	for i := range ix {
		ix[i] = i
	}
	sort.SliceStable(ix, func(a, b int) bool { return scores[ix[a]] < scores[ix[b]] })
	sel := slices.Clone(ix[len(ix)-k:])
	slices.Sort(sel)
	return sel
}
