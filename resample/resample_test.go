package resample

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/spectral"
)

// The reference values come from testdata/gen/resample_ref.py (SciPy
// 1.10.1, MNE 1.3.0) on seeded random signals and on the first 10 s of
// C3, Cz and C4 of eegmmidb S001R04.edf as MNE reads them.

// relTol is the tolerance of every comparison, relative to the largest
// magnitude of the channel's reference output (tighter than the 1e-9
// asked of the readers). The computations are the same up to the order
// of floating-point sums and the FFT algorithm (gonum's FFTPACK or
// Bluestein against SciPy's pocketfft); outputs that cross zero differ by
// round-off there, so a per-sample relative tolerance is meaningless.
const relTol = 1e-12

type output struct {
	N       int         `json:"n"`
	Indices []int       `json:"indices"`
	Values  [][]float64 `json:"values"`
	Sum     []float64   `json:"sum"`
	SumSq   []float64   `json:"sumsq"`
}

type fixture struct {
	Signals map[string][][]float64 `json:"signals"`
	Poly    []struct {
		Name   string `json:"name"`
		Signal string `json:"signal"`
		Up     int    `json:"up"`
		Down   int    `json:"down"`
		Kwargs struct {
			Padtype string `json:"padtype"`
			Window  any    `json:"window"`
		} `json:"kwargs"`
		Out output `json:"out"`
	} `json:"poly"`
	FFT []struct {
		Name   string  `json:"name"`
		Signal string  `json:"signal"`
		Up     float64 `json:"up"`
		Down   float64 `json:"down"`
		Kwargs struct {
			NPad   any    `json:"npad"`
			Window string `json:"window"`
			Pad    string `json:"pad"`
		} `json:"kwargs"`
		Out output `json:"out"`
	} `json:"fft"`
	Raw struct {
		Stim  []float64 `json:"stim"`
		Cases []struct {
			Name        string    `json:"name"`
			SFreq       float64   `json:"sfreq"`
			NewSFreq    float64   `json:"new_sfreq"`
			Out         output    `json:"out"`
			StimNonzero []int     `json:"stim_nonzero"`
			StimValues  []float64 `json:"stim_values"`
			NTimes      int       `json:"n_times"`
		} `json:"cases"`
	} `json:"raw"`
}

func load(t testing.TB) *fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "resample.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// compare checks y against the reference output: every value (short
// outputs) or the values at the stored indices and the sums (long ones).
func compare(t *testing.T, y [][]float64, want output) {
	t.Helper()
	if len(y) != len(want.Values) {
		t.Fatalf("%d channels, want %d", len(y), len(want.Values))
	}
	for ch, row := range y {
		if len(row) != want.N {
			t.Fatalf("channel %d: %d samples, want %d", ch, len(row), want.N)
		}
		scale := 0.0
		for _, v := range want.Values[ch] {
			scale = math.Max(scale, math.Abs(v))
		}
		bad := 0
		for j, w := range want.Values[ch] {
			i := j
			if want.Indices != nil {
				i = want.Indices[j]
			}
			if d := math.Abs(row[i] - w); !(d <= relTol*scale) {
				if bad < 5 {
					t.Errorf("channel %d [%d] = %.17g, want %.17g (diff %.3g)", ch, i, row[i], w, d)
				}
				bad++
			}
		}
		if want.Sum == nil {
			continue
		}
		s, ss := 0.0, 0.0
		for _, v := range row {
			s += v
			ss += v * v
		}
		if d := math.Abs(s - want.Sum[ch]); d > relTol*scale*float64(len(row)) {
			t.Errorf("channel %d sum %.17g, want %.17g", ch, s, want.Sum[ch])
		}
		if d := math.Abs(ss - want.SumSq[ch]); d > relTol*want.SumSq[ch] {
			t.Errorf("channel %d sum of squares %.17g, want %.17g", ch, ss, want.SumSq[ch])
		}
	}
}

func TestPolySciPy(t *testing.T) {
	f := load(t)
	for _, c := range f.Poly {
		t.Run(c.Name, func(t *testing.T) {
			var opt PolyOptions
			switch c.Kwargs.Padtype {
			case "", "constant":
			case "mean":
				opt.Pad = PadMean
			case "median":
				opt.Pad = PadMedian
			case "minimum":
				opt.Pad = PadMinimum
			case "maximum":
				opt.Pad = PadMaximum
			default:
				t.Fatalf("padtype %q", c.Kwargs.Padtype)
			}
			switch w := c.Kwargs.Window.(type) {
			case nil:
			case string:
				opt.Window = dsp.Window{Name: w}
			case []any:
				if name, ok := w[0].(string); ok {
					opt.Window = dsp.Window{Name: name, Beta: w[1].(float64)}
					break
				}
				for _, v := range w {
					opt.Taps = append(opt.Taps, v.(float64))
				}
			default:
				t.Fatalf("window %v", w)
			}
			y, err := PolyChannels(f.Signals[c.Signal], c.Up, c.Down, opt)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, y, c.Out)
		})
	}
}

func TestFFTMNE(t *testing.T) {
	f := load(t)
	for _, c := range f.FFT {
		t.Run(c.Name, func(t *testing.T) {
			opt := FFTOptions{NPad: 100, Window: spectral.Window{Name: c.Kwargs.Window}, Pad: c.Kwargs.Pad}
			switch v := c.Kwargs.NPad.(type) {
			case nil:
			case string:
				opt.NPad = Auto
			case float64:
				opt.NPad = int(v)
			}
			y, err := FFT(f.Signals[c.Signal], c.Up, c.Down, opt)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, y, c.Out)
		})
	}
}

func TestRawMNE(t *testing.T) {
	f := load(t)
	for _, c := range f.Raw.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x := append(append([][]float64(nil), f.Signals["eeg"]...), f.Raw.Stim)
			y, err := Raw(x, c.SFreq, c.NewSFreq, []int{3}, FFTDefaults())
			if err != nil {
				t.Fatal(err)
			}
			if n := Length(len(x[0]), c.NewSFreq, c.SFreq); n != c.NTimes {
				t.Errorf("Length = %d, want %d", n, c.NTimes)
			}
			compare(t, y[:3], c.Out)
			stim := y[3]
			if len(stim) != c.NTimes {
				t.Fatalf("stim: %d samples, want %d", len(stim), c.NTimes)
			}
			var nz []int
			for i, v := range stim {
				if v != 0 {
					nz = append(nz, i)
				}
			}
			if len(nz) != len(c.StimNonzero) {
				t.Fatalf("stim non-zero at %v, want %v", nz, c.StimNonzero)
			}
			for k, i := range nz {
				if i != c.StimNonzero[k] || stim[i] != c.StimValues[k] {
					t.Errorf("stim non-zero %d: [%d] = %v, want [%d] = %v", k, i, stim[i], c.StimNonzero[k], c.StimValues[k])
				}
			}
		})
	}
}
