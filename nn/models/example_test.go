package models_test

import (
	"fmt"

	"github.com/bcikit/bcikit/nn/models"
)

// Build EEGNet-8,2 for 64 electrodes × 480 samples and two classes.
func ExampleBuild() {
	net, err := models.Build("eegnet", 64, 480, 2, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(net.In(), "->", net.Out(), net.NumParams(), "parameters")
	// Output: [1 64 480] -> [2 1 1] 2610 parameters
}
