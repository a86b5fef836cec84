package riemann_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/bcikit/bcikit/riemann"
)

func diag(d ...float64) *mat.SymDense {
	s := mat.NewSymDense(len(d), nil)
	for i, v := range d {
		s.SetSym(i, i, v)
	}
	return s
}

func ExampleMean() {
	covs := []*mat.SymDense{diag(1, 4), diag(4, 1)}
	m, err := riemann.Mean(covs, riemann.AffineInvariant)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", mat.Formatted(m))
	e, _ := riemann.Mean(covs, riemann.Euclidean)
	fmt.Printf("%.4f\n", mat.Formatted(e))
	fmt.Printf("%.4f\n", riemann.Distance(covs[0], covs[1]))
	// Output:
	// ⎡2.0000  0.0000⎤
	// ⎣0.0000  2.0000⎦
	// ⎡2.5000  0.0000⎤
	// ⎣0.0000  2.5000⎦
	// 1.9605
}

func ExampleMDM() {
	// Class 1 has more power on channel 0, class 2 on channel 1.
	train := []*mat.SymDense{diag(4, 1), diag(5, 1.2), diag(1, 4), diag(1.1, 5)}
	labels := []int{1, 1, 2, 2}
	var clf riemann.MDM // affine-invariant metric by default
	if err := clf.Fit(train, labels); err != nil {
		panic(err)
	}
	pred, err := clf.Predict([]*mat.SymDense{diag(3, 1), diag(1, 2)})
	if err != nil {
		panic(err)
	}
	fmt.Println(pred)
	// Output:
	// [1 2]
}

func ExampleTangentSpace() {
	train := []*mat.SymDense{diag(1, 4), diag(4, 1)}
	var ts riemann.TangentSpace
	if err := ts.Fit(train); err != nil { // reference: their mean, 2·I
		panic(err)
	}
	v, err := ts.Transform(train)
	if err != nil {
		panic(err)
	}
	// Upper triangles of log(C/2), off-diagonal entries times √2.
	fmt.Printf("%.4f\n", mat.Formatted(v))
	// Output:
	// ⎡-0.6931   0.0000   0.6931⎤
	// ⎣ 0.6931   0.0000  -0.6931⎦
}
