package symeig_test

import (
	"fmt"

	"github.com/bcikit/bcikit/internal/symeig"
)

func ExampleWork_Eigen() {
	a := []float64{
		2, 1,
		1, 2,
	}
	vals := make([]float64, 2)
	w := symeig.NewWork(2)
	w.Eigen(a, vals, true)
	fmt.Printf("%.3f\n", vals)
	// Output:
	// [1.000 3.000]
}
