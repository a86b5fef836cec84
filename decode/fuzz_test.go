package decode

import (
	"bytes"
	"testing"
)

// FuzzReadModel feeds damaged model files to ReadModel and uses whatever
// it accepts: errors are fine, panics are not. The seeds are real model
// files of every pipeline, trained on synthetic trials.
func FuzzReadModel(f *testing.F) {
	xt, xb, y := synth(30, 11)
	for _, name := range Names() {
		p, _ := New(name)
		if name == "cca" {
			if err := Configure(p, Setup{SFreq: 100, ClassFreqs: map[int]float64{1: 7, 2: 11}}); err != nil {
				f.Fatal(err)
			}
		}
		d := xt
		if p.Input() == Bands {
			d = xb
		}
		if err := p.Fit(d, y); err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteModel(&b, &Model{Pipeline: name, Channels: []string{"a", "b", "c", "d", "e", "f"}, SFreq: 100, Classes: []int{1, 2}, State: p}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	test, testBands, _ := synth(4, 12)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadModel(bytes.NewReader(b))
		if err != nil {
			return
		}
		d := test
		if m.State.Input() == Bands {
			d = testBands
		}
		_, _ = m.State.Predict(d)
		_, _ = m.State.Score(d)
	})
}
