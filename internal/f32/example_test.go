package f32_test

import (
	"fmt"

	"github.com/bcikit/bcikit/internal/f32"
)

func ExampleGemm() {
	a := []float32{ // 2×3
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{ // 3×2
		1, 0,
		0, 1,
		1, 1,
	}
	c := make([]float32, 4)
	f32.Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)
	// Output:
	// [4 5 10 11]
}

func ExampleCorrelate() {
	x := []float32{1, 2, 3, 4}
	w := []float32{1, 0, -1} // central difference
	y := make([]float32, len(x))
	f32.Correlate(y, x, w, (len(w)-1)/2) // "same" padding
	fmt.Println(y)
	// Output:
	// [-2 -2 -2 3]
}
