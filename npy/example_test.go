package npy_test

import (
	"bytes"
	"fmt"

	"github.com/bcikit/bcikit/npy"
)

func ExampleWriteFloat64() {
	var b bytes.Buffer
	// Two epochs × one channel × three samples.
	_ = npy.WriteFloat64(&b, []int{2, 1, 3}, []float64{1, 2, 3, 4, 5, 6})
	a, _ := npy.Read(&b, 0)
	fmt.Println(a.Shape, a.Float64)
	// Output: [2 1 3] [1 2 3 4 5 6]
}
