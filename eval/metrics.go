package eval

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/bcikit/bcikit/internal/npsum"
)

// ErrMetric reports inputs a metric is not defined for.
var ErrMetric = errors.New("eval: metric undefined")

func checkPair(yTrue, yPred []int) error {
	if len(yTrue) != len(yPred) {
		return fmt.Errorf("%w: %d true labels, %d predictions", ErrMetric, len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return fmt.Errorf("%w: no samples", ErrMetric)
	}
	return nil
}

// Accuracy returns the fraction of predictions equal to the true labels
// (sklearn's accuracy_score).
func Accuracy(yTrue, yPred []int) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	var ok int
	for i := range yTrue {
		if yTrue[i] == yPred[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(yTrue)), nil
}

// confusion returns the sorted union of the labels and the confusion
// matrix (rows: true, columns: predicted), as sklearn's confusion_matrix.
func confusion(yTrue, yPred []int) ([]int, [][]int) {
	labels := slices.Concat(yTrue, yPred)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	c := make([][]int, len(labels))
	for i := range c {
		c[i] = make([]int, len(labels))
	}
	for i := range yTrue {
		a, _ := slices.BinarySearch(labels, yTrue[i])
		b, _ := slices.BinarySearch(labels, yPred[i])
		c[a][b]++
	}
	return labels, c
}

// BalancedAccuracy returns the mean recall over the classes present in
// yTrue (sklearn's balanced_accuracy_score, adjusted=False).
func BalancedAccuracy(yTrue, yPred []int) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	_, c := confusion(yTrue, yPred)
	var recalls []float64
	for i, row := range c {
		var sum int
		for _, v := range row {
			sum += v
		}
		if sum > 0 { // a label only predicted has no recall (sklearn drops its NaN)
			recalls = append(recalls, float64(row[i])/float64(sum))
		}
	}
	return npsum.Mean(recalls), nil
}

// CohenKappa returns Cohen's κ between the two labelings (sklearn's
// cohen_kappa_score without weights). It is NaN, as in sklearn, when the
// chance agreement is total (a single label in both).
func CohenKappa(yTrue, yPred []int) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	_, c := confusion(yTrue, yPred)
	k := len(c)
	sum0 := make([]float64, k) // column sums
	sum1 := make([]float64, k) // row sums
	var total, disagree float64
	for i := range k {
		for j := range k {
			v := float64(c[i][j])
			sum0[j] += v
			sum1[i] += v
			total += v
			if i != j {
				disagree += v
			}
		}
	}
	expected := make([]float64, 0, k*k)
	for i := range k {
		for j := range k {
			if i != j {
				expected = append(expected, sum0[i]*sum1[j]/total)
			} else {
				expected = append(expected, 0)
			}
		}
	}
	return 1 - disagree/npsum.Sum(expected), nil
}

// ROCAUC returns the area under the ROC curve of the scores for the
// positive class, the larger of the two labels in yTrue (sklearn's
// roc_auc_score on binary labels; tied scores count one half, as the
// trapezoids of sklearn's curve do). yTrue must hold exactly two labels and
// the scores must be finite.
func ROCAUC(yTrue []int, score []float64) (float64, error) {
	if len(yTrue) != len(score) {
		return 0, fmt.Errorf("%w: %d labels, %d scores", ErrMetric, len(yTrue), len(score))
	}
	labels := slices.Clone(yTrue)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	if len(labels) != 2 {
		return 0, fmt.Errorf("%w: ROC AUC needs exactly two classes in the true labels, got %d", ErrMetric, len(labels))
	}
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0, fmt.Errorf("%w: score[%d] = %v", ErrMetric, i, s)
		}
	}
	pos := labels[1]
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return -cmpFloat(score[a], score[b]) })
	// Twice the area, in units of one positive × one negative: an exact
	// integer sum of trapezoids over the distinct thresholds.
	var tp, fp, tpPrev, fpPrev, area2 int64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			if yTrue[idx[j]] == pos {
				tp++
			} else {
				fp++
			}
			j++
		}
		area2 += (fp - fpPrev) * (tp + tpPrev)
		tpPrev, fpPrev = tp, fp
		i = j
	}
	return float64(area2) / (2 * float64(tp) * float64(fp)), nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ITR returns Wolpaw's information transfer rate for n equiprobable
// classes selected with accuracy p: bits per trial
//
//	B = log2 n + p·log2 p + (1−p)·log2((1−p)/(n−1)),
//
// and bits per minute B·60/trialSeconds, where trialSeconds is the time one
// selection takes (trial plus any inter-trial interval — the caller's
// definition). 0·log2 0 is taken as 0, so p = 1 gives log2 n. Below chance
// (p < 1/n) the formula's value is not an information rate, and ITR
// returns 0, the usual convention. It needs n ≥ 2, 0 ≤ p ≤ 1 and
// trialSeconds > 0.
func ITR(n int, p, trialSeconds float64) (bitsPerTrial, bitsPerMin float64, err error) {
	if n < 2 || !(p >= 0 && p <= 1) || !(trialSeconds > 0) || math.IsInf(trialSeconds, 0) {
		return 0, 0, fmt.Errorf("%w: ITR of n = %d, p = %v, trial = %v s", ErrMetric, n, p, trialSeconds)
	}
	fn := float64(n)
	if p < 1/fn {
		return 0, 0, nil
	}
	b := math.Log2(fn)
	if p > 0 {
		b += p * math.Log2(p)
	}
	if p < 1 {
		b += (1 - p) * math.Log2((1-p)/(fn-1))
	}
	return b, b * 60 / trialSeconds, nil
}
