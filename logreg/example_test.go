package logreg_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/logreg"
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

	m := logreg.New() // sklearn's LogisticRegression(C=1.0)
	if err := m.Fit(x, y); err != nil {
		fmt.Println(err)
		return
	}
	test := mat.NewDense(2, 2, []float64{0.1, 0, 2, 2})
	pred, _ := m.Predict(test)
	proba, _ := m.PredictProba(test)
	fmt.Println(pred)
	fmt.Printf("%.3f\n", mat.Formatted(proba))
	// Output:
	// [7 9]
	// ⎡0.855  0.145⎤
	// ⎣0.160  0.840⎦
}
