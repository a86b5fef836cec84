package reference_test

import (
	"fmt"

	"github.com/bcikit/bcikit/raw"
	"github.com/bcikit/bcikit/reference"
)

func ExampleAverage() {
	r := &raw.Raw{Info: raw.Info{SFreq: 1, NSamples: 2, Channels: []raw.Channel{
		{Name: "C3", Type: raw.EEG}, {Name: "C4", Type: raw.EEG},
	}}, Data: [][]float64{{1, 2}, {3, 2}}}
	_ = reference.Average(r)
	fmt.Println(r.Data)
	// Output: [[-1 0] [1 0]]
}
