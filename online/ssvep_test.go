package online

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/paradigm"
)

// TestDecoderSSVEP trains cca and fb+mdm on the first SSVEP-Exo recording of
// subject 1 and decodes the second: the cue windows equal the pipelines on
// the same windows cut offline from the causally filtered recording (cca
// configured with the dataset's frequencies, fb+mdm with one causal filter
// per band), and cca refuses windows of another length than its trials'.
func TestDecoderSSVEP(t *testing.T) {
	testdata.Path(t, "ssvep-exo/subject01")
	d, err := dataset.Get("ssvep-exo")
	if err != nil {
		t.Fatal(err)
	}
	d.Dir = testdata.Dir()
	recs, err := d.Recordings(1)
	if err != nil {
		t.Fatal(err)
	}
	rTrain, evTrain, err := d.Read(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	r, events, err := d.Read(recs[1])
	if err != nil {
		t.Fatal(err)
	}
	freqs := map[int]float64{}
	for _, c := range d.Classes {
		if c.Freq > 0 {
			freqs[c.Code] = c.Freq
		}
	}
	for _, c := range []struct{ pipeline, paradigm string }{{"cca", "ssvep"}, {"fb+mdm", "ssvep-fb"}} {
		t.Run(c.pipeline, func(t *testing.T) {
			par, err := paradigm.For(d, c.paradigm)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := par.Cut(rTrain, evTrain)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := decode.New(c.pipeline)
			if err := decode.Configure(p, decode.Setup{SFreq: tr.SFreq, ClassFreqs: freqs, TrialSeconds: float64(len(tr.Times)-1) / tr.SFreq}); err != nil {
				t.Fatal(err)
			}
			x := decode.Data{Trials: tr.X}
			if p.Input() == decode.Bands {
				x = decode.Data{Bands: tr.Bands}
			}
			if err := p.Fit(x, tr.Y); err != nil {
				t.Fatal(err)
			}
			pj, _ := json.Marshal(struct {
				paradigm.Paradigm
				Dataset string `json:"dataset"`
			}{par, d.Name})
			m := &decode.Model{Pipeline: c.pipeline, Channels: tr.Channels, SFreq: tr.SFreq,
				Classes: slices.Compact(slices.Sorted(slices.Values(tr.Y))), Paradigm: pj, State: p}
			var sb bytes.Buffer
			if err := decode.WriteModel(&sb, m); err != nil {
				t.Fatal(err)
			}
			if m, err = decode.ReadModel(&sb); err != nil {
				t.Fatal(err)
			}
			dec, err := NewDecoder(m, channelNames(r), r.SFreq, Config{Step: -1, Trigger: true})
			if err != nil {
				t.Fatal(err)
			}
			all := replay(t, dec, r, events, 5)
			_, n := dec.TrialWindow()
			ends := make([]int64, len(all))
			for i, x := range all {
				ends[i] = x.End
			}
			if len(all) < 20 {
				t.Fatalf("%d cue decisions", len(all))
			}
			xo := cut(causal(t, r, m, dec.Paradigm()), ends, n, dec.Paradigm().Scale, m.State.Input())
			pred, err := m.State.Predict(xo)
			if err != nil {
				t.Fatal(err)
			}
			ok := 0
			for i, x := range all {
				if x.Predicted != pred[i] || x.HasScore {
					t.Fatalf("cue window ending at %d: online %d, offline %d (score %v)", x.End, x.Predicted, pred[i], x.HasScore)
				}
				if x.Predicted == x.Trigger.Code {
					ok++
				}
			}
			t.Logf("%s: %d cue windows, accuracy %.3f (causal filter)", c.pipeline, len(all), float64(ok)/float64(len(all)))
			if c.pipeline == "cca" {
				if _, err := NewDecoder(m, channelNames(r), r.SFreq, Config{Window: 2}); !errors.Is(err, ErrConfig) {
					t.Errorf("cca with a 2-s window: %v", err)
				}
			}
		})
	}
}
