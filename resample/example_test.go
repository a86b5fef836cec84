package resample_test

import (
	"fmt"
	"math"

	"github.com/bcikit/bcikit/resample"
)

// Resampling a 160 Hz recording to 250 Hz, with SciPy's resample_poly and
// with MNE's raw.resample.
func Example() {
	const sfreq = 160.0
	x := make([]float64, 1600) // 10 s of a 5 Hz sine
	for i := range x {
		x[i] = math.Sin(2 * math.Pi * 5 * float64(i) / sfreq)
	}
	poly, err := resample.Poly(x, 250, 160, resample.PolyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	raw, err := resample.Raw([][]float64{x}, sfreq, 250, nil, resample.FFTDefaults())
	if err != nil {
		fmt.Println(err)
		return
	}
	// Sample 10 at 250 Hz is t = 0.04 s, where the sine is sin(0.4π) = 0.9511.
	fmt.Printf("resample_poly: %d samples, y[10] = %.4f\n", len(poly), poly[10])
	fmt.Printf("raw.resample: %d samples, y[10] = %.4f\n", len(raw[0]), raw[0][10])
	// Output:
	// resample_poly: 2500 samples, y[10] = 0.9510
	// raw.resample: 2500 samples, y[10] = 0.9511
}
