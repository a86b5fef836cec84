package nn

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"testing"
)

// refTol is the tolerance against PyTorch 1.13: every value within 1e-4
// relative, with an absolute floor of 1e-4 times the largest magnitude of
// the array (values near zero in an array of larger ones).
const refTol = 1e-4

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

type fixTensor struct {
	Name string `json:"name"`
	Dims []int  `json:"dims"`
	W    f32s   `json:"w"`
	G    f32s   `json:"g"`
}

type fixLayer struct {
	Name   string         `json:"name"`
	Kind   string         `json:"kind"`
	Cfg    map[string]any `json:"cfg"`
	Train  bool           `json:"train"`
	In     []int          `json:"in"`
	Out    []int          `json:"out"`
	X      f32s           `json:"x"`
	Params []fixTensor    `json:"params"`
	Y      f32s           `json:"y"`
	DY     f32s           `json:"dy"`
	DX     f32s           `json:"dx"`
	Grads  []fixTensor    `json:"grads"`
	After  []fixTensor    `json:"after"`
}

type fixture struct {
	Layers       []fixLayer `json:"layers"`
	CrossEntropy struct {
		Logits         f32s    `json:"logits"`
		Target         []int   `json:"target"`
		Weights        f32s    `json:"weights"`
		Loss           float64 `json:"loss"`
		Grad           f32s    `json:"grad"`
		LossUnweighted float64 `json:"loss_unweighted"`
		GradUnweighted f32s    `json:"grad_unweighted"`
	} `json:"cross_entropy"`
	Optim struct {
		W0          f32s               `json:"w0"`
		Grads       []f32s             `json:"grads"`
		WeightDecay map[string]float64 `json:"weight_decay"`
		Momentum    float64            `json:"momentum"`
		BaseLR      map[string]float64 `json:"base_lr"`
		EtaMin      float64            `json:"eta_min"`
		TMax        int                `json:"t_max"`
		Results     map[string]struct {
			LR []float64 `json:"lr"`
			W  f32s      `json:"w"`
		} `json:"results"`
	} `json:"optim"`
}

func loadFixture(t testing.TB) *fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/layers.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// closeTo reports the first value of got that differs from want by more
// than tol (relative, floored at tol·max|want|).
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
	worst, at := 0.0, -1
	for i := range got {
		d := math.Abs(float64(got[i]) - float64(want[i]))
		lim := tol * max(math.Abs(float64(want[i])), scale, 1e-30)
		if math.IsNaN(d) || d > lim {
			t.Errorf("%s[%d] = %g, want %g (|diff| %g > %g)", what, i, got[i], want[i], d, lim)
			return
		}
		if r := d / max(math.Abs(float64(want[i])), scale*tol); r > worst {
			worst, at = r, i
		}
	}
	_ = at
}

func ints(v any) [2]int {
	var r [2]int
	if a, ok := v.([]any); ok {
		for i := range min(2, len(a)) {
			r[i] = int(a[i].(float64))
		}
	}
	return r
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// layerFor builds the layer a fixture case describes.
func layerFor(t *testing.T, c fixLayer) Layer {
	cfg := c.Cfg
	switch c.Kind {
	case "conv2d":
		l := &Conv2D{Out: int(num(cfg["out"])), Kernel: ints(cfg["kernel"]), Stride: ints(cfg["stride"]),
			Dilation: ints(cfg["dilation"]), Groups: int(num(cfg["groups"])), MaxNorm: float32(num(cfg["max_norm"]))}
		l.Bias, _ = cfg["bias"].(bool)
		l.Same, _ = cfg["same"].(bool)
		if p, ok := cfg["padding"].([]any); ok {
			for i := range 4 {
				l.Padding[i] = int(p[i].(float64))
			}
		}
		return l
	case "dense":
		return &Dense{Out: int(num(cfg["out"])), MaxNorm: float32(num(cfg["max_norm"]))}
	case "batchnorm2d":
		return &BatchNorm2D{Momentum: float32(num(cfg["momentum"])), Eps: float32(num(cfg["eps"]))}
	case "elu":
		return &Act{Func: ELU}
	case "relu":
		return &Act{Func: ReLU}
	case "gelu":
		return &Act{Func: GELU}
	case "square":
		return &Act{Func: Square}
	case "safelog":
		return &Act{Func: SafeLog}
	case "avgpool2d", "maxpool2d":
		return &Pool2D{Max: c.Kind == "maxpool2d", Kernel: ints(cfg["kernel"]), Stride: ints(cfg["stride"]), Padding: ints(cfg["padding"])}
	}
	t.Fatalf("unknown kind %q", c.Kind)
	return nil
}

func TestLayersAgainstPyTorch(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.Layers {
		t.Run(c.Name, func(t *testing.T) {
			l := layerFor(t, c)
			in := Shape{c.In[1], c.In[2], c.In[3]}
			n := c.In[0]
			out, err := l.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := n * out.Size(); got != len(c.Y) {
				t.Fatalf("output %v: %d values, PyTorch has %d (%v)", out, got, len(c.Y), c.Out)
			}
			ps := l.Params()
			if len(ps) != len(c.Params) {
				t.Fatalf("%d tensors, PyTorch has %d", len(ps), len(c.Params))
			}
			for i, p := range ps {
				if len(p.W) != len(c.Params[i].W) {
					t.Fatalf("%s: %d values, PyTorch has %d", p.Name, len(p.W), len(c.Params[i].W))
				}
				copy(p.W, c.Params[i].W)
			}
			l.Reserve(n)
			y := make([]float32, len(c.Y))
			l.Forward(c.X, y, n, c.Train)
			closeTo(t, "y", y, c.Y, refTol)
			if !c.Train {
				return
			}
			dx := make([]float32, len(c.X))
			for i := range dx {
				dx[i] = float32(math.NaN()) // must be overwritten
			}
			l.Backward(c.X, y, c.DY, dx, n)
			closeTo(t, "dx", dx, c.DX, refTol)
			var tr []*Param
			for _, p := range ps {
				if p.Trainable {
					tr = append(tr, p)
				}
			}
			for i, p := range tr {
				closeTo(t, "grad "+p.Name, p.G, c.Grads[i].G, refTol)
			}
			for i, a := range c.After {
				closeTo(t, "after "+a.Name, ps[i].W, a.W, refTol)
			}
		})
	}
}

func TestCrossEntropyAgainstPyTorch(t *testing.T) {
	ce := loadFixture(t).CrossEntropy
	g := make([]float32, len(ce.Logits))
	loss, _, err := CrossEntropy(ce.Logits, ce.Target, ce.Weights, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-ce.Loss) > 1e-6*math.Abs(ce.Loss) {
		t.Errorf("weighted loss %g, PyTorch %g", loss, ce.Loss)
	}
	closeTo(t, "weighted grad", g, ce.Grad, refTol)
	loss, _, err = CrossEntropy(ce.Logits, ce.Target, nil, g)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-ce.LossUnweighted) > 1e-6*math.Abs(ce.LossUnweighted) {
		t.Errorf("loss %g, PyTorch %g", loss, ce.LossUnweighted)
	}
	closeTo(t, "grad", g, ce.GradUnweighted, refTol)
}

func TestOptimizersAgainstPyTorch(t *testing.T) {
	o := loadFixture(t).Optim
	for name, want := range o.Results {
		t.Run(name, func(t *testing.T) {
			p := newParam("w", true, len(o.W0))
			copy(p.W, o.W0)
			opt, err := NewOptimizer(name, []*Param{p}, o.WeightDecay[name], o.Momentum)
			if err != nil {
				t.Fatal(err)
			}
			for step, g := range o.Grads {
				lr := Cosine(o.BaseLR[name], o.EtaMin, step, o.TMax)
				if math.Abs(lr-want.LR[step]) > 1e-12 {
					t.Errorf("step %d: lr %g, PyTorch %g", step, lr, want.LR[step])
				}
				copy(p.G, g)
				opt.Step(lr)
			}
			closeTo(t, "w", p.W, want.W, 1e-6)
		})
	}
}
