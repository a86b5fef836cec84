package cov_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/cov"
)

func ExampleEstimate() {
	// Two trials of two channels × five samples.
	trials := [][][]float64{
		{{1, 2, 3, 4, 5}, {2, 1, 0, 1, 3}},
		{{0, 1, 0, -1, 0}, {1, 2, 1, 2, 1}},
	}
	covs, err := cov.Estimate(trials, cov.SCM)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3g\n", mat.Formatted(covs[0]))
	// numpy.cov divides by n_times-1 rather than n_times.
	unbiased, err := cov.EstimateTrial(nil, trials[0], cov.Cov)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3g\n", mat.Formatted(unbiased))
	// Output:
	// ⎡   2   0.4⎤
	// ⎣ 0.4  1.04⎦
	// ⎡2.5  0.5⎤
	// ⎣0.5  1.3⎦
}

func ExampleAugment() {
	// MOABB's AugmentedDataset(order=2, lag=1) on one trial of one channel:
	// the channel and its copy one sample later, each 4-2·1 = 2 samples long.
	trials := [][][]float64{{{1, 2, 3, 4}}}
	aug, err := cov.Augment(trials, 2, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(aug[0])
	// Output:
	// [[1 2] [2 3]]
}
