package dynamics

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/bcikit/bcikit/nn"
)

// refTol is the tolerance against the PyTorch 1.13 transcriptions
// (testdata/gen/dyn_layers.py): every value within 1e-4 relative, with an
// absolute floor of 1e-4 times the largest magnitude of the array.
const refTol = 1e-4

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

type fixLayer struct {
	Name   string         `json:"name"`
	Kind   string         `json:"kind"`
	Cfg    map[string]any `json:"cfg"`
	Train  bool           `json:"train"`
	In     []int          `json:"in"`
	Out    []int          `json:"out"`
	X      f32s           `json:"x"`
	Params []struct {
		Name string `json:"name"`
		W    f32s   `json:"w"`
	} `json:"params"`
	Y     f32s `json:"y"`
	DY    f32s `json:"dy"`
	DX    f32s `json:"dx"`
	Grads []struct {
		Name string `json:"name"`
		G    f32s   `json:"g"`
	} `json:"grads"`
}

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

func num(v any) float64 { f, _ := v.(float64); return f }

func layerFor(t *testing.T, c fixLayer) nn.Layer {
	g := c.Cfg
	switch c.Kind {
	case "delay_conv":
		return &DelayConv{Out: int(num(g["out"])), MaxDelay: int(num(g["max_delay"])), Sigma: float32(num(g["sigma"]))}
	case "lif":
		r, _ := g["recurrent"].(bool)
		return &LIF{Tau: num(g["tau"]), DT: num(g["dt"]), Threshold: float32(num(g["threshold"])), Slope: float32(num(g["slope"])), Recurrent: r}
	case "kuramoto":
		return &Kuramoto{Units: int(num(g["units"])), Dim: int(num(g["dim"])), Steps: int(num(g["steps"])), Gamma: float32(num(g["gamma"]))}
	case "ctm":
		return &CTMCore{Neurons: int(num(g["neurons"])), Memory: int(num(g["memory"])), Hidden: int(num(g["hidden"])), Ticks: int(num(g["ticks"]))}
	case "delta_encoder":
		return &DeltaEncoder{Threshold: float32(num(g["threshold"]))}
	}
	t.Fatalf("unknown kind %q", c.Kind)
	return nil
}

// TestLayersAgainstPyTorch runs every layer on the fixture's weights and
// inputs and compares the output, the input gradient and every parameter
// gradient with PyTorch's, within refTol.
func TestLayersAgainstPyTorch(t *testing.T) {
	b, err := os.ReadFile("testdata/layers.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Layers []fixLayer `json:"layers"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, c := range f.Layers {
		kinds[c.Kind] = true
		t.Run(c.Name, func(t *testing.T) {
			l := layerFor(t, c)
			n := c.In[0]
			out, err := l.Build(nn.Shape{c.In[1], c.In[2], c.In[3]})
			if err != nil {
				t.Fatal(err)
			}
			if out != (nn.Shape{c.Out[1], c.Out[2], c.Out[3]}) {
				t.Fatalf("output %v, PyTorch %v", out, c.Out)
			}
			ps := l.Params()
			if len(ps) != len(c.Params) {
				t.Fatalf("%d tensors, PyTorch has %d", len(ps), len(c.Params))
			}
			for i, p := range ps {
				if p.Name != c.Params[i].Name || len(p.W) != len(c.Params[i].W) {
					t.Fatalf("tensor %d: %s of %d values, PyTorch %s of %d", i, p.Name, len(p.W), c.Params[i].Name, len(c.Params[i].W))
				}
				copy(p.W, c.Params[i].W)
			}
			l.Reserve(n)
			y := make([]float32, len(c.Y))
			l.Forward(c.X, y, n, c.Train)
			closeTo(t, "y", y, c.Y, refTol)
			if c.DX == nil {
				return
			}
			dx := make([]float32, len(c.X))
			for i := range dx {
				dx[i] = float32(math.NaN())
			}
			l.Backward(c.X, y, c.DY, dx, n)
			closeTo(t, "dx", dx, c.DX, refTol)
			for i, p := range ps {
				closeTo(t, "grad "+p.Name, p.G, c.Grads[i].G, refTol)
			}
		})
	}
	for _, k := range []string{"delay_conv", "lif", "kuramoto", "ctm", "delta_encoder"} {
		if !kinds[k] {
			t.Errorf("no %s case in the fixture", k)
		}
	}
}
