package paradigm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/paradigm"
	"github.com/bcikit/bcikit/raw"
)

func ExampleFor() {
	d, err := dataset.Get("ssvep-exo")
	if err != nil {
		log.Fatal(err)
	}
	p, err := paradigm.For(d, "ssvep-fb")
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(p)
	fmt.Println(string(b))

	// MOABB's window: 0 to 2 s after the start of the interval [2, 5].
	p, _ = paradigm.For(d, "", paradigm.Window(0, 2))
	fmt.Println(p.Name, p.Bands, p.TMin, p.TMax)
	// Output:
	// {"name":"ssvep-fb","bands":[[12,14],[16,18],[20,22]],"tmin":2,"tmax":5,"scale":1000000,"classes":[1,2,3,4]}
	// ssvep [[7 45]] 2 4
}

func ExampleParadigm_Subject() {
	d, err := dataset.Get("eegmmidb-imagery-lr")
	if err != nil {
		log.Fatal(err)
	}
	p, err := paradigm.For(d, "imagery-fb")
	if err != nil {
		log.Fatal(err)
	}
	tr, err := p.Subject(context.Background(), d, 1) // reads $BCIKIT_DATA/eegmmidb/S001
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tr.Bands), "bands of", tr.Len(), "trials of", len(tr.Channels), "channels ×", len(tr.Times), "samples")
	fmt.Println(tr.Y[:5], tr.Sessions[0], tr.Runs[0])
}

func ExampleParadigm_Cut() {
	// Two EEG channels at 100 Hz for 20 s and three cues, the last too
	// close to the end for a whole trial.
	r := &raw.Raw{Info: raw.Info{SFreq: 100, NSamples: 2000, Channels: []raw.Channel{
		{Name: "C3", Type: raw.EEG}, {Name: "C4", Type: raw.EEG},
	}}}
	r.Data = raw.NewData(2, 2000)
	for c, f := range []float64{10, 20} {
		for i := range r.Data[c] {
			r.Data[c][i] = 1e-5 * math.Sin(2*math.Pi*f*float64(i)/100)
		}
	}
	events := []raw.Event{{Sample: 300, Code: 2}, {Sample: 900, Code: 3}, {Sample: 1900, Code: 2}}
	p := paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 32}}, TMin: 0, TMax: 3, Scale: 1e6, Classes: []int{2, 3}}
	tr, err := p.Cut(r, events)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tr.Len(), "trials ×", len(tr.Channels), "channels ×", len(tr.Times), "samples; labels", tr.Y, "at", tr.Onsets, "s")
	fmt.Println(tr.Dropped[0])
	// Output:
	// 2 trials × 2 channels × 301 samples; labels [2 3] at [3 9] s
	// event 2 (code 2, sample 1900): TOO_SHORT
}
