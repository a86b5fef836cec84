package svm_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/svm"
)

func Example() {
	x := mat.NewDense(6, 2, []float64{
		0, 0.1,
		0.2, -0.1,
		-0.1, 0.3,
		2, 2.1,
		2.2, 1.8,
		1.9, 2.3,
	})
	y := []int{7, 7, 7, 9, 9, 9}

	m := svm.New(svm.Linear) // sklearn's SVC(kernel='linear')
	if err := m.Fit(x, y); err != nil {
		fmt.Println(err)
		return
	}
	test := mat.NewDense(2, 2, []float64{0.1, 0, 2, 2})
	pred, _ := m.Predict(test)
	dec, _ := m.DecisionFunction(test)
	fmt.Println(pred, m.NSupport)
	fmt.Printf("%.4f\n", dec)
	// Output:
	// [7 9] [2 1]
	// [-1.0146 0.9707]
}
