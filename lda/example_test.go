package lda_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/lda"
)

func Example() {
	// Two classes in two features.
	x := mat.NewDense(6, 2, []float64{
		0, 0.1,
		0.2, -0.1,
		-0.1, 0.3,
		2, 2.1,
		2.2, 1.8,
		1.9, 2.3,
	})
	y := []int{7, 7, 7, 9, 9, 9}

	m := lda.New(lda.Auto)
	if err := m.Fit(x, y); err != nil {
		fmt.Println(err)
		return
	}
	pred, _ := m.Predict(mat.NewDense(2, 2, []float64{0.1, 0, 2, 2}))
	fmt.Println(pred)
	// Output: [7 9]
}
