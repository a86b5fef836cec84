package eval

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/bcikit/bcikit/eval/internal/nprand"
	"github.com/bcikit/bcikit/internal/npsum"
)

// The functions below follow MOABB's moabb/analysis/meta_analysis.py
// (compute_pvals_perm, compute_pvals_wilcoxon, compute_effect,
// compute_dataset_statistics, combine_pvalues, combine_effects,
// find_significant_differences), on a subjects × pipelines matrix of
// scores instead of a DataFrame.

// MaxExactPermutationSubjects is the largest number of subjects for which
// PermutationPValues enumerates every sign flip (MOABB: 13); above it, it
// draws RandomPermutations of them.
const MaxExactPermutationSubjects = 13

// RandomPermutations is the number of random sign flips of the
// permutation test above MaxExactPermutationSubjects subjects (MOABB:
// 10000).
const RandomPermutations = 10000

// checkScores checks that scores is a non-empty rectangular matrix of
// finite values and returns its shape.
func checkScores(scores [][]float64) (nSub, nPipe int, err error) {
	if len(scores) == 0 || len(scores[0]) == 0 {
		return 0, 0, fmt.Errorf("%w: no scores", ErrStat)
	}
	nPipe = len(scores[0])
	for s, row := range scores {
		if len(row) != nPipe {
			return 0, 0, fmt.Errorf("%w: subject %d has %d scores, want %d", ErrStat, s, len(row), nPipe)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("%w: score[%d][%d] = %v", ErrStat, s, j, v)
			}
		}
	}
	return len(scores), nPipe, nil
}

// PermutationPValues is MOABB's compute_pvals_perm on scores (subjects ×
// pipelines): the one-sided paired permutation test of the summed score
// differences. P[i][j] is the fraction of sign flips of the per-subject
// differences pipeline i − pipeline j whose sum is at least the observed
// sum (small when i beats j). Up to MaxExactPermutationSubjects subjects
// every flip is enumerated; beyond, RandomPermutations flips are drawn from
// NumPy's RandomState(seed) exactly as MOABB's rng.choice([1, -1], …) does,
// and the count starts at 1. A count equal to the number of permutations is
// lowered by one, as MOABB does to keep Stouffer's method finite. The
// diagonal is what MOABB returns there (1 − 1/n_permutations).
func PermutationPValues(scores [][]float64, seed uint32) ([][]float64, error) {
	nSub, k, err := checkScores(scores)
	if err != nil {
		return nil, err
	}
	// diff[s][i*k+j] = score_i − score_j.
	diff := make([][]float64, nSub)
	for s, row := range scores {
		d := make([]float64, k*k)
		for i := range k {
			for j := i + 1; j < k; j++ {
				d[i*k+j] = row[i] - row[j]
				d[j*k+i] = row[j] - row[i]
			}
		}
		diff[s] = d
	}
	// The sums run over the subjects in order, as NumPy's sum(axis=0).
	sum := func(dst []float64, sign func(s int) float64) {
		clear(dst)
		for s, d := range diff {
			g := sign(s)
			for e, v := range d {
				dst[e] += g * v
			}
		}
	}
	observed := make([]float64, k*k)
	sum(observed, func(int) float64 { return 1 })
	flipped := make([]float64, k*k)
	count := make([]int, k*k)
	var nPerm int
	if nSub > MaxExactPermutationSubjects {
		nPerm = RandomPermutations
		for e := range count {
			count[e] = 1
		}
		rng := nprand.New(seed)
		signs := make([]float64, nSub)
		for range nPerm {
			for s := range signs {
				signs[s] = 1 - 2*float64(rng.Bounded(1)) // choice([1, -1])
			}
			sum(flipped, func(s int) float64 { return signs[s] })
			for e := range count {
				if flipped[e] >= observed[e] {
					count[e]++
				}
			}
		}
	} else {
		nPerm = 1 << nSub
		for mask := range nPerm {
			sum(flipped, func(s int) float64 {
				if mask>>s&1 == 1 {
					return -1
				}
				return 1
			})
			for e := range count {
				if flipped[e] >= observed[e] {
					count[e]++
				}
			}
		}
	}
	p := make([][]float64, k)
	for i := range k {
		p[i] = make([]float64, k)
		for j := range k {
			c := min(count[i*k+j], nPerm-1)
			p[i][j] = float64(c) / float64(nPerm)
		}
	}
	return p, nil
}

// Smallest and largest p-values below 0 and 1: MOABB clamps the one-sided
// Wilcoxon p-values into (0, 1) so that Stouffer's method stays finite.
var (
	pFloor = math.Nextafter(0, 1)
	pCeil  = math.Nextafter(1, 0)
)

// WilcoxonPValues is MOABB's compute_pvals_wilcoxon on scores (subjects ×
// pipelines): P[i][j] is the one-sided p-value that pipeline i beats j,
// half of scipy's two-sided Wilcoxon p-value, flipped to 1 − p/2 when the
// mean difference is negative; 0.5 when every difference is zero; clamped
// into (0, 1). The diagonal is 0.
func WilcoxonPValues(scores [][]float64) ([][]float64, error) {
	nSub, k, err := checkScores(scores)
	if err != nil {
		return nil, err
	}
	p := make([][]float64, k)
	a, b, diffs := make([]float64, nSub), make([]float64, nSub), make([]float64, nSub)
	for i := range k {
		p[i] = make([]float64, k)
		for j := range k {
			if i == j {
				continue
			}
			zero := true
			for s, row := range scores {
				a[s], b[s] = row[i], row[j]
				diffs[s] = row[i] - row[j]
				zero = zero && diffs[s] == 0
			}
			if zero {
				p[i][j] = 0.5
				continue
			}
			w, err := Wilcoxon(a, b)
			if err != nil {
				return nil, err
			}
			v := w.P / 2
			if npsum.Mean(diffs) < 0 {
				v = 1 - v
			}
			p[i][j] = math.Min(math.Max(v, pFloor), pCeil)
		}
	}
	return p, nil
}

// SMD is MOABB's compute_effect on scores (subjects × pipelines): the
// standardised mean difference of pipeline i over j, mean/std of the
// per-subject differences (std with n−1). Constant differences give 0 when
// they are zero and ±Inf otherwise, as MOABB does. The diagonal is 0.
func SMD(scores [][]float64) ([][]float64, error) {
	nSub, k, err := checkScores(scores)
	if err != nil {
		return nil, err
	}
	t := make([][]float64, k)
	diffs := make([]float64, nSub)
	sq := make([]float64, nSub)
	for i := range k {
		t[i] = make([]float64, k)
		for j := range k {
			if i == j {
				continue
			}
			constant := true
			for s, row := range scores {
				diffs[s] = row[i] - row[j]
				constant = constant && diffs[s] == diffs[0]
			}
			mean := npsum.Mean(diffs)
			if constant {
				if mean != 0 {
					t[i][j] = math.Copysign(math.Inf(1), mean)
				}
				continue
			}
			for s, d := range diffs {
				sq[s] = (mean - d) * (mean - d)
			}
			std := math.Sqrt(npsum.Sum(sq) / float64(nSub-1))
			t[i][j] = mean / std
		}
	}
	return t, nil
}

// DefaultPermCutoff is MOABB's perm_cutoff: below this many subjects
// DatasetStatistics uses the permutation test, otherwise Wilcoxon.
const DefaultPermCutoff = 20

// Score is one evaluation result: the score of a pipeline on one session
// of one subject of a dataset (a row of MOABB's results table).
type Score struct {
	Dataset  string  `json:"dataset"`
	Subject  int     `json:"subject"`
	Session  string  `json:"session"`
	Pipeline string  `json:"pipeline"`
	Score    float64 `json:"score"`
}

// DatasetStats is the pipeline-versus-pipeline table of one dataset
// (MOABB's compute_dataset_statistics, plus the score matrix it is built
// from and the mean score of each pipeline).
type DatasetStats struct {
	Dataset string `json:"dataset"`
	// Pipelines and Subjects are sorted (pandas' pivot order).
	Pipelines []string `json:"pipelines"`
	Subjects  []int    `json:"subjects"`
	// Scores are the session means, subjects × pipelines.
	Scores [][]float64 `json:"scores"`
	// Mean is the mean score of each pipeline over the subjects.
	Mean []float64 `json:"mean"`
	// Test is "permutation" or "wilcoxon".
	Test string `json:"test"`
	// P[i][j] is the one-sided p-value that pipeline i beats pipeline j;
	// SMD[i][j] the standardised mean difference of i over j.
	P   [][]float64 `json:"p"`
	SMD [][]float64 `json:"smd"`
	// NSub is the number of subjects.
	NSub int `json:"nsub"`
}

// DatasetStatistics is MOABB's compute_dataset_statistics: for each
// dataset (in order of first appearance) the session scores are averaged
// per subject and pipeline, then every pair of pipelines is compared with
// the permutation test (fewer than permCutoff subjects; seed for its random
// draws above MaxExactPermutationSubjects) or the one-sided Wilcoxon test,
// and by the standardised mean difference. Every pipeline must have a score
// for every subject of the dataset.
func DatasetStatistics(scores []Score, permCutoff int, seed uint32) ([]DatasetStats, error) {
	var datasets []string
	for _, s := range scores {
		if !slices.Contains(datasets, s.Dataset) {
			datasets = append(datasets, s.Dataset)
		}
	}
	out := make([]DatasetStats, 0, len(datasets))
	for _, ds := range datasets {
		st, err := datasetStats(ds, scores, permCutoff, seed)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func datasetStats(ds string, scores []Score, permCutoff int, seed uint32) (DatasetStats, error) {
	type key struct {
		subject  int
		pipeline string
	}
	sums := make(map[key][]float64)
	var pipes []string
	var subs []int
	for _, s := range scores {
		if s.Dataset != ds {
			continue
		}
		k := key{s.Subject, s.Pipeline}
		sums[k] = append(sums[k], s.Score)
		pipes = append(pipes, s.Pipeline)
		subs = append(subs, s.Subject)
	}
	slices.Sort(pipes)
	pipes = slices.Compact(pipes)
	slices.Sort(subs)
	subs = slices.Compact(subs)
	mat := make([][]float64, len(subs))
	for i, sub := range subs {
		mat[i] = make([]float64, len(pipes))
		for j, pipe := range pipes {
			v, ok := sums[key{sub, pipe}]
			if !ok {
				return DatasetStats{}, fmt.Errorf("%w: dataset %q: pipeline %q has no score for subject %d", ErrStat, ds, pipe, sub)
			}
			mat[i][j] = npsum.Mean(v)
		}
	}
	st := DatasetStats{Dataset: ds, Pipelines: pipes, Subjects: subs, Scores: mat, NSub: len(subs)}
	col := make([]float64, len(subs))
	for j := range pipes {
		for i := range subs {
			col[i] = mat[i][j]
		}
		st.Mean = append(st.Mean, npsum.Mean(col))
	}
	var err error
	if len(subs) < permCutoff {
		st.Test = "permutation"
		st.P, err = PermutationPValues(mat, seed)
	} else {
		st.Test = "wilcoxon"
		st.P, err = WilcoxonPValues(mat)
	}
	if err != nil {
		return DatasetStats{}, fmt.Errorf("dataset %q: %w", ds, err)
	}
	if st.SMD, err = SMD(mat); err != nil {
		return DatasetStats{}, fmt.Errorf("dataset %q: %w", ds, err)
	}
	return st, nil
}

// Stouffer combines one-sided p-values with weights by Stouffer's method
// (scipy.stats.combine_pvalues(p, weights, method='stouffer')): the
// p-value of Σ w_i·z_i/‖w‖ with z_i = Φ⁻¹(1 − p_i).
func Stouffer(p, weights []float64) (float64, error) {
	if len(p) != len(weights) || len(p) == 0 {
		return 0, fmt.Errorf("%w: stouffer of %d p-values and %d weights", ErrStat, len(p), len(weights))
	}
	var z, norm float64
	for i, v := range p {
		z += weights[i] * -mathext.NormalQuantile(v)
		norm += weights[i] * weights[i]
	}
	return normSF(z / math.Sqrt(norm)), nil
}

// Combined is the meta-analysis of several datasets (MOABB's
// find_significant_differences).
type Combined struct {
	// Pipelines in the order of the first dataset that has them.
	Pipelines []string `json:"pipelines"`
	// P[i][j] is the combined one-sided p-value that pipeline i beats j
	// (Stouffer's method weighted by √n_subjects; a single dataset's own
	// p-value), SMD[i][j] the √n_subjects-weighted mean of the effects. The
	// diagonals are NaN.
	P   [][]float64 `json:"p"`
	SMD [][]float64 `json:"smd"`
}

// FindSignificantDifferences combines the per-dataset tables over the
// datasets as MOABB's find_significant_differences does (combine_pvalues
// and combine_effects), over the datasets that hold both pipelines of a
// pair.
func FindSignificantDifferences(stats []DatasetStats) (Combined, error) {
	var pipes []string
	for _, st := range stats {
		for _, p := range st.Pipelines {
			if !slices.Contains(pipes, p) {
				pipes = append(pipes, p)
			}
		}
	}
	k := len(pipes)
	c := Combined{Pipelines: pipes, P: make([][]float64, k), SMD: make([][]float64, k)}
	for i := range k {
		c.P[i] = make([]float64, k)
		c.SMD[i] = make([]float64, k)
		for j := range k {
			c.P[i][j], c.SMD[i][j] = math.NaN(), math.NaN()
			if i == j {
				continue
			}
			var ps, ts, w []float64
			for _, st := range stats {
				a := slices.Index(st.Pipelines, pipes[i])
				b := slices.Index(st.Pipelines, pipes[j])
				if a < 0 || b < 0 {
					continue
				}
				ps = append(ps, st.P[a][b])
				ts = append(ts, st.SMD[a][b])
				w = append(w, math.Sqrt(float64(st.NSub)))
			}
			if len(ps) == 0 {
				continue
			}
			if len(ps) == 1 {
				c.P[i][j] = ps[0]
			} else {
				p, err := Stouffer(ps, w)
				if err != nil {
					return Combined{}, err
				}
				c.P[i][j] = p
			}
			wsum := npsum.Sum(w)
			terms := make([]float64, len(w))
			for d := range w {
				terms[d] = w[d] / wsum * ts[d]
			}
			c.SMD[i][j] = npsum.Sum(terms)
		}
	}
	return c, nil
}
