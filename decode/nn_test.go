package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// quickNN trains a small eegnet on synthetic trials, few epochs.
func quickNN(t testing.TB) (*NN, Data) {
	t.Setenv(NNEnv, "epochs=3,patience=0")
	x, _, y := synth(40, 9)
	p := NewNN("eegnet")
	if err := p.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	return p, x
}

func TestNNModelRoundTrip(t *testing.T) {
	p, x := quickNN(t)
	if p.Train.Epochs != 3 {
		t.Errorf("BCIKIT_NN not applied: %+v", p.Train)
	}
	var b bytes.Buffer
	m := &Model{Pipeline: "eegnet", Channels: []string{"a", "b", "c", "d", "e", "f"}, SFreq: 100, Classes: []int{1, 2}, State: p}
	if err := WriteModel(&b, m); err != nil {
		t.Fatal(err)
	}
	js := b.String()
	back, err := ReadModel(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	s1, err := p.Score(x)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := back.State.Score(x)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s1, s2) {
		t.Errorf("scores differ after the round trip")
	}
	// A weight turned into NaN, a wrong shape, another network.
	var raw map[string]any
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatal(err)
	}
	st := raw["state"].(map[string]any)
	w0 := st["weights"].([]any)[0].(map[string]any)
	good := w0["data"].(string)
	for name, mutate := range map[string]func(){
		// The first weight NaN (bytes 00 00 c0 7f), the second's low bytes 0.
		"nan weight":   func() { w0["data"] = "AADAfwAA" + good[8:] },
		"short weight": func() { w0["data"] = good[:8] },
		"chans":        func() { st["chans"] = 7.0 },
		"network":      func() { st["model"] = "resnet" },
		"scale":        func() { st["scale"] = -1.0 },
	} {
		w0["data"] = good
		st["chans"], st["model"], st["scale"] = 6.0, "eegnet", p.Scale
		mutate()
		b, _ := json.Marshal(raw)
		_, err := ReadModel(bytes.NewReader(b))
		if !errors.Is(err, ErrModel) || (name == "nan weight" && !strings.Contains(err.Error(), "non-finite")) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNNInputErrors(t *testing.T) {
	p, x := quickNN(t)
	short := Data{Trials: [][][]float64{x.Trials[0][:5]}}
	if _, err := p.Predict(short); err == nil || !strings.Contains(err.Error(), "6 channels") {
		t.Errorf("5-channel trial: %v", err)
	}
	bad := Data{Trials: slices.Clone(x.Trials)}
	bad.Trials[3] = [][]float64{slices.Clone(x.Trials[3][0])}
	if _, err := p.Predict(bad); err == nil || !strings.Contains(err.Error(), "trial 3") {
		t.Errorf("ragged trials: %v", err)
	}
	nan := make([][][]float64, len(x.Trials))
	for i := range nan {
		nan[i] = make([][]float64, len(x.Trials[i]))
		for c := range nan[i] {
			nan[i][c] = slices.Clone(x.Trials[i][c])
		}
	}
	nan[2][4][10] = math.NaN()
	if _, err := p.Predict(Data{Trials: nan}); err == nil || !strings.Contains(err.Error(), "trial 2 channel 4") {
		t.Errorf("NaN trial: %v", err)
	}
	y := make([]int, len(nan))
	for i := range y {
		y[i] = 1 + i%2
	}
	if err := NewNN("eegnet").Fit(Data{Trials: nan}, y); err == nil {
		t.Error("NaN training trial accepted")
	}
	if err := NewNN("eegnet").Fit(x, make([]int, len(y))); err == nil {
		t.Error("one class accepted")
	}
	if _, err := NewNN("eegnet").Predict(x); err == nil {
		t.Error("untrained network predicted")
	}
	t.Setenv(NNEnv, "epochs=x")
	if err := NewNN("eegnet").Fit(x, y); err == nil || !strings.Contains(err.Error(), NNEnv) {
		t.Errorf("bad $%s: %v", NNEnv, err)
	}
}

func FuzzNNModel(f *testing.F) {
	p, _ := quickNN(f)
	var b bytes.Buffer
	if err := WriteModel(&b, &Model{Pipeline: "eegnet", Channels: []string{"a", "b", "c", "d", "e", "f"}, SFreq: 100, Classes: []int{1, 2}, State: p}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"format":"bcikit-model","version":1,"pipeline":"shallow","state":{"model":"shallow","classes":[1,2],"chans":2,"times":120,"scale":1,"weights":[]}}`))
	f.Add([]byte(`{"format":"bcikit-model","version":1,"pipeline":"eegnex","state":{"model":"eegnex","classes":[1,2],"chans":1,"times":1,"scale":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadModel(bytes.NewReader(data))
		if err != nil {
			return
		}
		n, ok := m.State.(*NN)
		if !ok {
			return
		}
		// A model that loaded predicts finite logits or refuses the input.
		tr := make([][][]float64, 2)
		for i := range tr {
			tr[i] = make([][]float64, n.Chans)
			for c := range tr[i] {
				tr[i][c] = make([]float64, n.Times)
				for s := range tr[i][c] {
					tr[i][c][s] = math.Sin(float64(s + c + i))
				}
			}
		}
		if n.Chans*n.Times > 1<<12 {
			return
		}
		if _, err := n.Predict(Data{Trials: tr}); err != nil {
			t.Fatalf("loaded model refuses input of its own shape: %v", err)
		}
	})
}
