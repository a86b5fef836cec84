package eval

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/bcikit/bcikit/eval/internal/nprand"
)

// ErrSplit reports labels or groups that cannot be split as asked.
var ErrSplit = errors.New("eval: cannot split")

// Fold is one train/test split: indices into the samples, each sorted
// ascending.
type Fold struct {
	Train []int `json:"train"`
	Test  []int `json:"test"`
}

// StratifiedKFold returns the folds of scikit-learn 1.2's
// StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y),
// the within-session cross-validation of MOABB: for the same labels and
// seed the test folds are exactly sklearn's, because the shuffles draw from
// NumPy's RandomState(seed) as sklearn does.
//
// It needs 2 ≤ k ≤ len(y) and at least one class with k or more members
// (sklearn only warns when the smallest class has fewer than k).
func StratifiedKFold(y []int, k int, seed uint32) ([]Fold, error) {
	return stratified(y, k, nprand.New(seed))
}

// StratifiedKFoldNoShuffle returns the folds of
// StratifiedKFold(n_splits=k, shuffle=False): each class's samples are
// dealt to the folds in data order.
func StratifiedKFoldNoShuffle(y []int, k int) ([]Fold, error) {
	return stratified(y, k, nil)
}

func stratified(y []int, k int, rng *nprand.RandomState) ([]Fold, error) {
	n := len(y)
	if k < 2 {
		return nil, fmt.Errorf("%w: n_splits = %d, need at least 2", ErrSplit, k)
	}
	if k > n {
		return nil, fmt.Errorf("%w: n_splits = %d greater than the %d samples", ErrSplit, k, n)
	}
	// Classes numbered by order of first appearance (sklearn's y_encoded).
	code := make(map[int]int)
	enc := make([]int, n)
	var counts []int
	for i, v := range y {
		c, ok := code[v]
		if !ok {
			c = len(counts)
			code[v] = c
			counts = append(counts, 0)
		}
		enc[i] = c
		counts[c]++
	}
	if slices.Max(counts) < k {
		return nil, fmt.Errorf("%w: n_splits = %d greater than the number of members in each class", ErrSplit, k)
	}
	// allocation[f][c]: members of class c in test fold f — the round robin
	// over the sorted encoded labels (np.bincount(y_order[f::k])).
	nc := len(counts)
	alloc := make([][]int, k)
	for f := range alloc {
		alloc[f] = make([]int, nc)
	}
	pos := 0
	for c, cnt := range counts {
		for range cnt {
			alloc[pos%k][c]++
			pos++
		}
	}
	testFold := make([]int, n)
	for c := range nc {
		folds := make([]int, 0, counts[c])
		for f := range k {
			for range alloc[f][c] {
				folds = append(folds, f)
			}
		}
		if rng != nil {
			nprand.Shuffle(rng, folds)
		}
		j := 0
		for i, e := range enc {
			if e == c {
				testFold[i] = folds[j]
				j++
			}
		}
	}
	return foldsFrom(testFold, k), nil
}

// foldsFrom turns a test-fold number per sample into folds.
func foldsFrom(testFold []int, k int) []Fold {
	out := make([]Fold, k)
	for f := range out {
		for i, t := range testFold {
			if t == f {
				out[f].Test = append(out[f].Test, i)
			} else {
				out[f].Train = append(out[f].Train, i)
			}
		}
	}
	return out
}

// LeaveOneGroupOut returns one fold per distinct group, in sorted group
// order, testing on that group and training on the others: sklearn's
// LeaveOneGroupOut, used by MOABB's cross-session (groups = sessions) and
// cross-subject (groups = subjects) evaluations. It needs at least two
// groups.
func LeaveOneGroupOut[G cmp.Ordered](groups []G) ([]Fold, error) {
	uniq := slices.Clone(groups)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	if len(uniq) < 2 {
		return nil, fmt.Errorf("%w: %d distinct groups, need at least 2", ErrSplit, len(uniq))
	}
	testFold := make([]int, len(groups))
	for i, g := range groups {
		testFold[i], _ = slices.BinarySearch(uniq, g)
	}
	return foldsFrom(testFold, len(uniq)), nil
}
