package models

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/bcikit/bcikit/nn"
)

// f32s is a base64 little-endian float32 array of the fixture.
type f32s []float32

func (f *f32s) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	v := make([]float32, len(raw)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	*f = v
	return nil
}

type fixModel struct {
	Name      string  `json:"name"`
	Chans     int     `json:"chans"`
	Times     int     `json:"times"`
	Classes   int     `json:"classes"`
	N         int     `json:"n"`
	NumParams int     `json:"num_params"`
	X         f32s    `json:"x"`
	Y         []int   `json:"y"`
	Logits    f32s    `json:"logits"`
	Loss      float64 `json:"loss"`
	DX        f32s    `json:"dx"`
	Steps     int     `json:"steps"`
	LR        float64 `json:"lr"`
	Eval      f32s    `json:"eval_logits"`
	Filters   int     `json:"filters"`
	F1, F2, D int
	Params    []struct {
		Name string `json:"name"`
		W    f32s   `json:"w"`
	} `json:"params"`
	Grads []struct {
		Name string `json:"name"`
		G    f32s   `json:"g"`
	} `json:"grads"`
}

// tol is the tolerance against PyTorch 1.13 for one forward and backward
// pass: 1e-4 relative, floored at 1e-4 of the array's largest magnitude.
// Gradients are compared with a floor of 1e-4 of the model's largest
// gradient: a bias followed by batch normalisation has a gradient that is
// zero up to rounding, in PyTorch as here.
const tol = 1e-4

func closeTo(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	var scale float64
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	for i := range got {
		d := math.Abs(float64(got[i]) - float64(want[i]))
		if lim := tol * max(math.Abs(float64(want[i])), scale, 1e-30); math.IsNaN(d) || d > lim {
			t.Errorf("%s[%d] = %g, want %g (|diff| %g > %g)", what, i, got[i], want[i], d, lim)
			return
		}
	}
}

func TestModelsAgainstPyTorch(t *testing.T) {
	b, err := os.ReadFile("../testdata/layers.json")
	if err != nil {
		t.Fatal(err)
	}
	var fix struct {
		Models []fixModel `json:"models"`
	}
	if err := json.Unmarshal(b, &fix); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Models []map[string]any `json:"models"`
	}
	_ = json.Unmarshal(b, &raw)
	for k, c := range fix.Models {
		t.Run(c.Name, func(t *testing.T) {
			var layers []nn.Layer
			switch c.Name {
			case "eegnet":
				layers = EEGNet(c.Chans, c.Classes, 0)
			case "shallow":
				layers = Shallow(c.Chans, c.Classes, c.Filters, 0)
			case "eegnex":
				m := raw.Models[k]
				layers = EEGNeX(c.Chans, c.Classes, int(m["f1"].(float64)), int(m["f2"].(float64)), int(m["d"].(float64)), 0)
			}
			net, err := nn.NewNet(nn.Shape{1, c.Chans, c.Times}, layers...)
			if err != nil {
				t.Fatal(err)
			}
			if got := net.NumParams(); got != c.NumParams {
				t.Errorf("%d parameters, PyTorch %d", got, c.NumParams)
			}
			ps := net.Params()
			if len(ps) != len(c.Params) {
				t.Fatalf("%d tensors, PyTorch %d", len(ps), len(c.Params))
			}
			for i, p := range ps {
				if len(p.W) != len(c.Params[i].W) {
					t.Fatalf("tensor %d (%s): %d values, PyTorch's %s has %d", i, p.Name, len(p.W), c.Params[i].Name, len(c.Params[i].W))
				}
				copy(p.W, c.Params[i].W)
			}
			logits := net.Forward(c.X, c.N, true)
			closeTo(t, "logits", logits, c.Logits, tol)
			g := make([]float32, len(logits))
			loss, _, err := nn.CrossEntropy(logits, c.Y, nil, g)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(loss-c.Loss) > tol*math.Abs(c.Loss) {
				t.Errorf("loss %g, PyTorch %g", loss, c.Loss)
			}
			net.ZeroGrad()
			dx := net.BackwardInput(g, c.N)
			closeTo(t, "input gradient", dx, c.DX, tol)
			var tr []*nn.Param
			for _, p := range ps {
				if p.Trainable {
					tr = append(tr, p)
				}
			}
			var gmax float32
			for _, g := range c.Grads {
				for _, v := range g.G {
					gmax = max(gmax, v, -v)
				}
			}
			for i, p := range tr {
				// The floor: one value of the model's largest gradient.
				closeTo(t, "gradient of "+c.Grads[i].Name, append(p.G, gmax), append(c.Grads[i].G, gmax), tol)
			}
			opt := nn.NewSGD(ps, 0.9, 0)
			for range c.Steps {
				net.ZeroGrad()
				out := net.Forward(c.X, c.N, true)
				if _, _, err := nn.CrossEntropy(out, c.Y, nil, g); err != nil {
					t.Fatal(err)
				}
				net.Backward(g, c.N)
				opt.Step(c.LR)
			}
			net.Constrain()
			closeTo(t, "logits after training", net.Forward(c.X, c.N, false), c.Eval, tol)
		})
	}
}
