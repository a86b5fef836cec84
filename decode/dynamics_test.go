package decode

import (
	"bytes"
	"math"
	"testing"

	"github.com/bcikit/bcikit/nn/dynamics"
)

func TestDynamicsBadInput(t *testing.T) {
	x, _, y := synth(20, 3)
	if err := NewDynamics("nope").Fit(x, y); err == nil {
		t.Error("unknown network trained")
	}
	nan, _, _ := synth(20, 3)
	nan.Trials[3][2][7] = math.NaN()
	if err := NewDynamics("snn").Fit(nan, y); err == nil {
		t.Error("NaN training trial accepted")
	}
	if err := NewDynamics("akorn").Fit(x, make([]int, len(y))); err == nil {
		t.Error("one class accepted")
	}
	if err := NewDynamics("ctm").Fit(x, y[:5]); err == nil {
		t.Error("labels of another length accepted")
	}
	if _, err := NewDynamics("ctm").Predict(x); err == nil {
		t.Error("untrained network predicted")
	}
	t.Setenv(NNEnv, "epochs=2")
	p := NewDynamics("ctm")
	if err := p.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	short, _, _ := synth(4, 4)
	short.Trials[0] = short.Trials[0][:3]
	if _, err := p.Predict(short); err == nil {
		t.Error("trials of another shape accepted")
	}
}

func FuzzDynamicsModel(f *testing.F) {
	// Seeds: untrained networks of each model for 3 channels × 24
	// samples (small, so that mutations run fast).
	for _, name := range []string{"snn", "akorn", "ctm"} {
		net, err := dynamics.Build(name, 3, 24, 2, 1)
		if err != nil {
			f.Fatal(err)
		}
		p := NewDynamics(name)
		p.Classes, p.Chans, p.Times, p.Scale, p.Weights = []int{1, 2}, 3, 24, 1, net.State()
		var b bytes.Buffer
		if err := WriteModel(&b, &Model{Pipeline: name, Channels: []string{"a", "b", "c"}, SFreq: 100, Classes: []int{1, 2}, State: p}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"format":"bcikit-model","version":1,"pipeline":"snn","state":{"model":"snn","classes":[1,2],"chans":2,"times":1,"scale":1}}`))
	f.Add([]byte(`{"format":"bcikit-model","version":1,"pipeline":"ctm","state":{"model":"akorn","classes":[1,2],"chans":2,"times":10,"scale":1,"weights":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadModel(bytes.NewReader(data))
		if err != nil {
			return
		}
		p, ok := m.State.(*Dynamics)
		if !ok || p.Chans*p.Times > 1<<12 {
			return
		}
		tr := make([][][]float64, 2)
		for i := range tr {
			tr[i] = make([][]float64, p.Chans)
			for c := range tr[i] {
				tr[i][c] = make([]float64, p.Times)
				for s := range tr[i][c] {
					tr[i][c][s] = math.Sin(float64(s + c + i))
				}
			}
		}
		z, err := p.Score(Data{Trials: tr})
		if err != nil && len(p.Classes) == 2 {
			t.Fatalf("loaded model refuses input of its own shape: %v", err)
		}
		for _, v := range z {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("loaded model scores %v", z)
			}
		}
	})
}
