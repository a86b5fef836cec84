package montage_test

import (
	"fmt"

	"github.com/bcikit/bcikit/montage"
)

func ExampleStandardize() {
	for _, label := range []string{"Fc5.", "C3..", "Fpz.", "EEG Oz-REF"} {
		fmt.Println(montage.Standardize(label))
	}
	// Output:
	// FC5
	// C3
	// Fpz
	// Oz
}

func ExampleStandard1005() {
	p, _ := montage.Standard1005().Position("Cz")
	fmt.Printf("Cz at z=%.3f m\n", p[2])
	// Output: Cz at z=0.100 m
}
