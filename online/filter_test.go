package online

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/bcikit/bcikit/dsp"
)

type fixture struct {
	SOSFilt []struct {
		SFreq, Low, High float64
		X, Y             [][]float64
		SOS              [][6]float64
	} `json:"sosfilt"`
	Metrics []struct {
		YTrue    []int   `json:"y_true"`
		YPred    []int   `json:"y_pred"`
		MCC      float64 `json:"mcc"`
		Balanced float64 `json:"balanced"`
	} `json:"metrics"`
	Evaluate struct {
		SFreq            float64  `json:"sfreq"`
		Length           int      `json:"length"`
		Offset           int      `json:"offset"`
		Trial            int      `json:"trial"`
		Rest             []int    `json:"rest"`
		Cues             []Marker `json:"cues"`
		Ends             []int64  `json:"ends"`
		Predicted        []int    `json:"predicted"`
		Task             int      `json:"task"`
		Idle             int      `json:"idle"`
		Accuracy         float64  `json:"accuracy"`
		Balanced         float64  `json:"balanced"`
		NMCC             float64  `json:"nmcc"`
		Classes          int      `json:"classes"`
		ITRBits          float64  `json:"itr_bits"`
		ITRBitsPerMin    float64  `json:"itr_bits_per_min"`
		FalseActivations int      `json:"false_activations"`
		IdleMinutes      float64  `json:"idle_minutes"`
		FalsePerMin      float64  `json:"false_per_min"`
	} `json:"evaluate"`
}

func readFixture(t testing.TB) *fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/online.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// randomChunks splits n samples into chunks of random sizes (0 included).
func randomChunks(rng *rand.Rand, n, maxLen int) []int {
	var sizes []int
	for n > 0 {
		k := min(n, rng.IntN(maxLen+1))
		sizes = append(sizes, k)
		n -= k
	}
	return sizes
}

func slice2(x [][]float64, a, b int) [][]float64 {
	out := make([][]float64, len(x))
	for c := range x {
		out[c] = x[c][a:b]
	}
	return out
}

// TestBandPassSciPy: the causal band-pass equals SciPy's sosfilt with
// zi = sosfilt_zi·x[0] on MNE's IIR sections, fed in random chunks.
func TestBandPassSciPy(t *testing.T) {
	const tol = 1e-11 // relative to each channel's peak output (reached: 2.3e-12 at 1000 Hz)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range readFixture(t).SOSFilt {
		f, err := NewBandPass(c.SFreq, c.Low, c.High, len(c.X))
		if err != nil {
			t.Fatal(err)
		}
		for s := range c.SOS {
			for k := range 6 {
				if d := math.Abs(f.sos[s][k] - c.SOS[s][k]); d > 1e-12*math.Max(1, math.Abs(c.SOS[s][k])) {
					t.Fatalf("%g Hz: section %d coefficient %d = %g, MNE %g", c.SFreq, s, k, f.sos[s][k], c.SOS[s][k])
				}
			}
		}
		n := len(c.X[0])
		got := alloc2(len(c.X), n)
		pos := 0
		for _, k := range randomChunks(rng, n, 97) {
			if err := f.Process(slice2(got, pos, pos+k), slice2(c.X, pos, pos+k)); err != nil {
				t.Fatal(err)
			}
			pos += k
		}
		worst := 0.0
		for ch := range got {
			peak := 0.0
			for _, v := range c.Y[ch] {
				peak = math.Max(peak, math.Abs(v))
			}
			for i := range got[ch] {
				d := math.Abs(got[ch][i] - c.Y[ch][i])
				worst = math.Max(worst, d/peak)
				if d > tol*peak {
					t.Fatalf("%g Hz band %g-%g: channel %d sample %d = %g, SciPy %g", c.SFreq, c.Low, c.High, ch, i, got[ch][i], c.Y[ch][i])
				}
			}
		}
		t.Logf("%g Hz band %g-%g: largest difference %.2g of the peak", c.SFreq, c.Low, c.High, worst)
	}
}

// TestFilterChunksExact: chunk by chunk in random sizes equals one-shot
// dsp.SOSFilt of the whole signal with sosfilt_zi·x[0], bit for bit.
func TestFilterChunksExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sos, _, err := dsp.CreateIIRFilter(250, 8, 30)
	if err != nil {
		t.Fatal(err)
	}
	const nc, n = 5, 3000
	x := alloc2(nc, n)
	for c := range x {
		for i := range x[c] {
			x[c][i] = rng.NormFloat64()*1e-5 + float64(c)*1e-3
		}
	}
	want := alloc2(nc, n)
	for c := range x {
		zi := dsp.SOSFiltZi(sos)
		for s := range zi {
			zi[s][0] *= x[c][0]
			zi[s][1] *= x[c][0]
		}
		if _, err := dsp.SOSFilt(want[c], sos, x[c], zi); err != nil {
			t.Fatal(err)
		}
	}
	for trial := range 20 {
		f, err := NewFilter(sos, nc)
		if err != nil {
			t.Fatal(err)
		}
		got := alloc2(nc, n)
		pos := 0
		for _, k := range randomChunks(rng, n, 1+rng.IntN(300)) {
			if err := f.Process(slice2(got, pos, pos+k), slice2(x, pos, pos+k)); err != nil {
				t.Fatal(err)
			}
			pos += k
		}
		for c := range got {
			for i := range got[c] {
				if got[c][i] != want[c][i] {
					t.Fatalf("trial %d: channel %d sample %d: %v chunked, %v one-shot", trial, c, i, got[c][i], want[c][i])
				}
			}
		}
	}
}

func TestFilterErrors(t *testing.T) {
	if _, err := NewBandPass(100, 30, 60, 2); err == nil {
		t.Error("band above Nyquist accepted")
	}
	if _, err := NewFilter(dsp.SOS{{1, 0, 0, 0, 0, 0}}, 2); !errors.Is(err, dsp.ErrParam) {
		t.Errorf("a0 = 0: %v", err)
	}
	if _, err := NewFilter(dsp.SOS{{1, 0, 0, 1, 0, 0}}, 0); !errors.Is(err, dsp.ErrParam) {
		t.Errorf("0 channels: %v", err)
	}
	f, err := NewBandPass(100, 5, 20, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := [][]float64{{1, 2, 3}, {1, math.NaN(), 3}}
	err = f.Process(alloc2(2, 3), x)
	if !errors.Is(err, ErrNonFinite) {
		t.Fatalf("NaN: %v", err)
	}
	t.Log(err)
	// The state is unchanged: the filter still starts from the next chunk.
	if f.started || f.total != 0 {
		t.Error("a refused chunk changed the state")
	}
}

func TestFilterNoAlloc(t *testing.T) {
	f, err := NewBandPass(1000, 8, 30, 64)
	if err != nil {
		t.Fatal(err)
	}
	x := alloc2(64, 100)
	y := alloc2(64, 100)
	if n := testing.AllocsPerRun(20, func() { _ = f.Process(y, x) }); n != 0 {
		t.Errorf("%v allocations per chunk", n)
	}
}
