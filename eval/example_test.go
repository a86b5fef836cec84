package eval_test

import (
	"fmt"

	"github.com/bcikit/bcikit/eval"
)

func ExampleStratifiedKFold() {
	y := []int{1, 2, 1, 2, 1, 2, 1, 2, 1, 2}
	// The folds of sklearn's StratifiedKFold(5, shuffle=True, random_state=42).
	folds, err := eval.StratifiedKFold(y, 5, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range folds {
		fmt.Println(f.Test)
	}
	// Output:
	// [6 7]
	// [0 3]
	// [4 5]
	// [1 8]
	// [2 9]
}

func ExampleROCAUC() {
	yTrue := []int{0, 0, 1, 1}
	score := []float64{0.1, 0.4, 0.35, 0.8}
	auc, _ := eval.ROCAUC(yTrue, score)
	fmt.Println(auc)
	// Output: 0.75
}

func ExampleDatasetStatistics() {
	var scores []eval.Score
	for s, acc := range [][2]float64{{0.70, 0.80}, {0.65, 0.75}, {0.80, 0.85}, {0.60, 0.70}, {0.75, 0.72}} {
		scores = append(scores,
			eval.Score{Dataset: "BNCI", Subject: s + 1, Session: "0", Pipeline: "csp+lda", Score: acc[0]},
			eval.Score{Dataset: "BNCI", Subject: s + 1, Session: "0", Pipeline: "ts+lr", Score: acc[1]})
	}
	stats, err := eval.DatasetStatistics(scores, eval.DefaultPermCutoff, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	st := stats[0]
	fmt.Println(st.Pipelines, st.Test)
	fmt.Printf("mean %.3f, p(ts+lr > csp+lda) = %.4f, SMD %.3f\n", st.Mean, st.P[1][0], st.SMD[1][0])
	// Output:
	// [csp+lda ts+lr] permutation
	// mean [0.700 0.764], p(ts+lr > csp+lda) = 0.0625, SMD 1.126
}
