package epochs_test

import (
	"fmt"

	"github.com/bcikit/bcikit/epochs"
	"github.com/bcikit/bcikit/raw"
)

func ExampleNew() {
	// One EEG channel at 10 Hz holding a ramp, two events.
	r := &raw.Raw{Info: raw.Info{SFreq: 10, NSamples: 50, Channels: []raw.Channel{{Name: "Cz", Type: raw.EEG}}}}
	r.Data = raw.NewData(1, 50)
	for i := range r.Data[0] {
		r.Data[0][i] = float64(i)
	}
	events := []raw.Event{{Sample: 10, Code: 1}, {Sample: 30, Code: 2}}
	ep, err := epochs.New(r, events, map[string]int{"left": 1, "right": 2},
		epochs.Options{TMin: -0.2, TMax: 0.2, Baseline: &epochs.DefaultBaseline})
	if err != nil {
		panic(err)
	}
	fmt.Println(ep.Times)
	fmt.Println(ep.Data[1][0], ep.Labels())
	// Output:
	// [-0.2 -0.1 0 0.1 0.2]
	// [-1 0 1 2 3] [1 2]
}
