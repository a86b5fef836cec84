package raw_test

import (
	"fmt"

	"github.com/bcikit/bcikit/raw"
)

func ExampleInfo_EventsFromAnnotations() {
	info := raw.Info{SFreq: 100, NSamples: 1000, Annotations: []raw.Annotation{
		{Onset: 1.0, Description: "T1"}, {Onset: 2.5, Description: "T2"}, {Onset: 4.0, Description: "BAD_blink"},
	}}
	events, ids, _ := info.EventsFromAnnotations(nil)
	fmt.Println(events, ids)
	// Output: [{100 0 1} {250 0 2}] map[T1:1 T2:2]
}
