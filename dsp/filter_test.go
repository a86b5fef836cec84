package dsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/bcikit/bcikit/dsp/internal/simd"
)

// filterFixture is dsp/testdata/filter.json, written by
// testdata/gen/dsp_filter.py with SciPy 1.10 and MNE 1.3.
type filterFixture struct {
	X       [][]float64
	Indices []int
	Designs map[string]SOS
	Cases   []struct {
		Kind   string
		Params struct {
			Design string
			Padlen int
			B, A   []float64
			LFreq  *float64 `json:"l_freq"`
			HFreq  *float64 `json:"h_freq"`
			Freqs  []float64
		}
		Y [][]float64
	}
	Short struct {
		X, Y [][]float64
	}
	Ringing []struct {
		Design string
		N      int
	}
	Real struct {
		X        [][]float64
		Indices  []int
		FIR730   [][]float64 `json:"fir_7_30"`
		IIR730   [][]float64 `json:"iir_7_30"`
		Notch60  [][]float64 `json:"notch_60"`
		Channels []string
	}
}

func loadFilter(t testing.TB) filterFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/filter.json")
	if err != nil {
		t.Fatal(err)
	}
	var f filterFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func freqOrNone(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// relErr returns the largest deviation of got[idx] from want, relative to
// the largest |want| of the channel.
func relErr(got []float64, idx []int, want []float64) float64 {
	var scale, e float64
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for k, i := range idx {
		e = math.Max(e, math.Abs(got[i]-want[k]))
	}
	if scale == 0 {
		return e
	}
	return e / scale
}

// compareChannels fails when any channel deviates by more than tol.
func compareChannels(t *testing.T, name string, got [][]float64, idx []int, want [][]float64, tol float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d channels, want %d", name, len(got), len(want))
	}
	worst := 0.0
	for ch := range want {
		e := relErr(got[ch], idx, want[ch])
		worst = math.Max(worst, e)
		if e > tol || math.IsNaN(e) {
			t.Errorf("%s: channel %d deviates by %.3g relative (tol %.0e)", name, ch, e, tol)
		}
	}
	return worst
}

func copyChannels(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = append([]float64(nil), x[i]...)
	}
	return out
}

// TestFiltersMatchSciPyAndMNE runs every case of the fixture. Tolerances
// are relative to each channel's peak output: 1e-12 for the IIR kernels
// (same operation order as SciPy) and for the FIR paths (FFT rounding).
func TestFiltersMatchSciPyAndMNE(t *testing.T) {
	const tol = 1e-12
	f := loadFilter(t)
	for _, c := range f.Cases {
		p := c.Params
		name := fmt.Sprintf("%s(design=%q padlen=%d l=%v h=%v freqs=%v)", c.Kind, p.Design, p.Padlen, freqOrNone(p.LFreq), freqOrNone(p.HFreq), p.Freqs)
		var got [][]float64
		var err error
		switch c.Kind {
		case "sosfiltfilt":
			got, err = SOSFiltFilt(nil, f.X, f.Designs[p.Design], p.Padlen)
		case "sosfilt":
			got = make([][]float64, len(f.X))
			for ch, x := range f.X {
				if got[ch], err = SOSFilt(nil, f.Designs[p.Design], x, nil); err != nil {
					break
				}
			}
		case "sosfilt_zi":
			sos := f.Designs[p.Design]
			zi := SOSFiltZi(sos)
			scaleState(zi, zi, f.X[0][0])
			var y []float64
			y, err = SOSFilt(nil, sos, f.X[0], zi)
			got = [][]float64{y}
		case "lfilter":
			got = make([][]float64, len(f.X))
			for ch, x := range f.X {
				if got[ch], err = LFilter(nil, p.B, p.A, x, nil); err != nil {
					break
				}
			}
		case "filtfilt":
			got, err = FiltFilt(nil, f.X, p.B, p.A, p.Padlen)
		case "filter_data_fir":
			got, err = FilterData(nil, f.X, 160, freqOrNone(p.LFreq), freqOrNone(p.HFreq), FIR)
		case "filter_data_iir":
			got, err = FilterData(nil, f.X, 160, freqOrNone(p.LFreq), freqOrNone(p.HFreq), IIR)
		case "notch":
			got, err = NotchFilter(nil, f.X, 160, p.Freqs)
		default:
			t.Fatalf("unknown case %q", c.Kind)
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		e := compareChannels(t, name, got, f.Indices, c.Y, tol)
		t.Logf("%-70s rel err %.2g", name, e)
	}
}

func TestFilterDataShortSignal(t *testing.T) {
	f := loadFilter(t)
	got, err := FilterData(nil, f.Short.X, 160, 1, 0, FIR)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, len(f.Short.X[0]))
	for i := range idx {
		idx[i] = i
	}
	compareChannels(t, "short highpass", got, idx, f.Short.Y, 1e-12)
}

func TestEstimateRingingSamplesMatchesMNE(t *testing.T) {
	f := loadFilter(t)
	for _, r := range f.Ringing {
		n, err := EstimateRingingSamples(f.Designs[r.Design])
		if err != nil {
			t.Fatal(err)
		}
		if n != r.N {
			t.Errorf("%s: EstimateRingingSamples = %d, MNE %d", r.Design, n, r.N)
		}
	}
}

// TestRealEEGMatchesMNE filters 1000 samples of two EEGMMIDB channels
// (read by MNE in the generator; the values are in the fixture) and
// compares with raw.filter(7, 30), raw.filter(7, 30, method='iir') and
// raw.notch_filter(60).
func TestRealEEGMatchesMNE(t *testing.T) {
	const tol = 1e-12
	r := loadFilter(t).Real
	fir, err := FilterData(nil, r.X, 160, 7, 30, FIR)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("FIR 7-30: %.2g", compareChannels(t, "FIR 7-30", fir, r.Indices, r.FIR730, tol))
	iirOut, err := FilterData(nil, r.X, 160, 7, 30, IIR)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("IIR 7-30: %.2g", compareChannels(t, "IIR 7-30", iirOut, r.Indices, r.IIR730, tol))
	notch, err := NotchFilter(nil, r.X, 160, []float64{60})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("notch 60: %.2g", compareChannels(t, "notch 60", notch, r.Indices, r.Notch60, tol))
}

// TestCreateFilterMatchesMNE compares MNE's default FIR designs tap by tap
// (the fixture holds the first half; the filters are symmetric to
// rounding).
func TestCreateFilterMatchesMNE(t *testing.T) {
	const tol = 1e-12
	for _, c := range loadDesign(t).MNE {
		h, err := CreateFilter(c.Sfreq, freqOrNone(c.LFreq), freqOrNone(c.HFreq))
		name := fmt.Sprintf("create_filter(%v, %v, %v)", c.Sfreq, freqOrNone(c.LFreq), freqOrNone(c.HFreq))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(h) != c.N {
			t.Errorf("%s: %d taps, MNE %d", name, len(h), c.N)
			continue
		}
		// Neither MNE's nor this design is symmetric to the last bit (the
		// window's linspace is not), but both are to rounding.
		peak := 0.0
		for _, v := range h {
			peak = math.Max(peak, math.Abs(v))
		}
		for i := range h {
			if math.Abs(h[i]-h[len(h)-1-i]) > 1e-15*peak {
				t.Errorf("%s: not symmetric at %d", name, i)
				break
			}
		}
		if e := maxRelErr(h[:len(c.HHalf)], c.HHalf); e > tol {
			t.Errorf("%s: rel err %.3g", name, e)
		}
	}
}

func TestFilterErrors(t *testing.T) {
	x := [][]float64{make([]float64, 100)}
	sos, err := Butter(4, []float64{7, 30}, Bandpass, 160)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SOSFiltFilt(nil, x, sos, DefaultPad); err != nil {
		t.Errorf("100 samples vs padlen 27: err = %v, want nil", err)
	}
	short := [][]float64{make([]float64, 27)}
	if _, err := SOSFiltFilt(nil, short, sos, DefaultPad); !errors.Is(err, ErrTooShort) {
		t.Errorf("27 samples vs padlen 27: err = %v, want ErrTooShort", err)
	}
	if _, err := FiltFilt(nil, [][]float64{make([]float64, 9)}, []float64{1, 2, 1}, []float64{1, 0.5, 0.2}, DefaultPad); !errors.Is(err, ErrTooShort) {
		t.Errorf("filtfilt short: err = %v, want ErrTooShort", err)
	}
	bad := [][]float64{make([]float64, 500), make([]float64, 500)}
	bad[1][123] = math.NaN()
	for name, fn := range map[string]func() error{
		"sosfiltfilt": func() error { _, err := SOSFiltFilt(nil, bad, sos, DefaultPad); return err },
		"filtfilt":    func() error { _, err := FiltFilt(nil, bad, []float64{1}, []float64{1, -0.5}, DefaultPad); return err },
		"fir":         func() error { _, err := FilterData(nil, bad, 160, 7, 30, FIR); return err },
		"iir":         func() error { _, err := FilterData(nil, bad, 160, 7, 30, IIR); return err },
		"notch":       func() error { _, err := NotchFilter(nil, bad, 160, []float64{50}); return err },
		"sosfilt":     func() error { _, err := SOSFilt(nil, sos, bad[1], nil); return err },
		"lfilter":     func() error { _, err := LFilter(nil, []float64{1}, []float64{1}, bad[1], nil); return err },
	} {
		err := fn()
		if !errors.Is(err, ErrNonFinite) {
			t.Errorf("%s with NaN: err = %v, want ErrNonFinite", name, err)
		}
	}
	nan := math.NaN()
	for name, fn := range map[string]func() error{
		"fir above nyquist": func() error { _, err := FilterData(nil, x, 160, 7, 80, FIR); return err },
		"iir above nyquist": func() error { _, err := FilterData(nil, x, 160, 7, 90, IIR); return err },
		"negative l_freq":   func() error { _, err := FilterData(nil, x, 160, -1, 30, FIR); return err },
		"nan h_freq":        func() error { _, err := FilterData(nil, x, 160, 1, nan, FIR); return err },
		"nan sfreq":         func() error { _, err := FilterData(nil, x, nan, 1, 30, FIR); return err },
		"bad method":        func() error { _, err := FilterData(nil, x, 160, 1, 30, Method(7)); return err },
		"notch none":        func() error { _, err := NotchFilter(nil, x, 160, nil); return err },
		"notch negative":    func() error { _, err := NotchFilter(nil, x, 160, []float64{-50}); return err },
		"notch at nyquist":  func() error { _, err := NotchFilter(nil, x, 160, []float64{80}); return err },
		"even fir":          func() error { _, err := ApplyFIR(nil, x, []float64{1, 1}); return err },
		"sos a0":            func() error { _, err := SOSFiltFilt(nil, x, SOS{{1, 0, 0, 2, 0, 0}}, 0); return err },
		"lfilter a0":        func() error { _, err := LFilter(nil, []float64{1}, []float64{0, 1}, x[0], nil); return err },
		"padlen":            func() error { _, err := SOSFiltFilt(nil, x, sos, -5); return err },
		"tiny transition":   func() error { _, err := CreateFilter(1e6, 1e-9, 0); return err },
	} {
		if err := fn(); !errors.Is(err, ErrParam) {
			t.Errorf("%s: err = %v, want ErrParam", name, err)
		}
	}
}

// TestSOSFiltStreaming checks that filtering in chunks with carried state
// equals the one-shot output exactly.
func TestSOSFiltStreaming(t *testing.T) {
	f := loadFilter(t)
	sos := f.Designs["ellip4_hp"]
	x := f.X[0]
	want, err := SOSFilt(nil, sos, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	zi := make([][2]float64, len(sos))
	got := make([]float64, 0, len(x))
	for start, size := 0, 1; start < len(x); start, size = start+size, size*2%97+1 {
		end := min(start+size, len(x))
		y, err := SOSFilt(nil, sos, x[start:end], zi)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, y...)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d: chunked %v, one-shot %v", i, got[i], want[i])
		}
	}
	b, a := []float64{0.2, 0.3, 0.1}, []float64{1, -0.5, 0.25, -0.1}
	wantL, _ := LFilter(nil, b, a, x, nil)
	z := make([]float64, 3)
	var gotL []float64
	for start := 0; start < len(x); start += 333 {
		y, err := LFilter(nil, b, a, x[start:min(start+333, len(x))], z)
		if err != nil {
			t.Fatal(err)
		}
		gotL = append(gotL, y...)
	}
	for i := range wantL {
		if gotL[i] != wantL[i] {
			t.Fatalf("lfilter sample %d: chunked %v, one-shot %v", i, gotL[i], wantL[i])
		}
	}
}

// TestInPlace checks that dst may alias src.
func TestInPlace(t *testing.T) {
	f := loadFilter(t)
	want, err := FilterData(nil, f.X, 160, 7, 30, FIR)
	if err != nil {
		t.Fatal(err)
	}
	x := copyChannels(f.X)
	if _, err := FilterData(x, x, 160, 7, 30, FIR); err != nil {
		t.Fatal(err)
	}
	for ch := range x {
		for i := range x[ch] {
			if x[ch][i] != want[ch][i] {
				t.Fatalf("in place FIR differs at %d,%d", ch, i)
			}
		}
	}
	wantI, _ := FilterData(nil, f.X, 160, 7, 30, IIR)
	x = copyChannels(f.X)
	if _, err := FilterData(x, x, 160, 7, 30, IIR); err != nil {
		t.Fatal(err)
	}
	for ch := range x {
		for i := range x[ch] {
			if x[ch][i] != wantI[ch][i] {
				t.Fatalf("in place IIR differs at %d,%d", ch, i)
			}
		}
	}
}

// scaleState sets state = zi * v.
func scaleState(state, zi [][2]float64, v float64) {
	for i := range zi {
		state[i] = [2]float64{zi[i][0] * v, zi[i][1] * v}
	}
}

// TestPortableKernels reruns the fixture comparisons with the AVX kernels
// off, so the portable Go kernels are checked against SciPy and MNE too.
func TestPortableKernels(t *testing.T) {
	if !simd.HasAVX() {
		t.Skip("AVX kernels not in use; the other tests already cover the portable ones")
	}
	prev := simd.SetAVX(false)
	defer simd.SetAVX(prev)
	TestFiltersMatchSciPyAndMNE(t)
	TestRealEEGMatchesMNE(t)
	TestFilterDataShortSignal(t)
}

// TestLongFilterPath reruns the FIR comparisons with the channel-by-channel
// path that very long filters take.
func TestLongFilterPath(t *testing.T) {
	prev := maxLaneFFT
	maxLaneFFT = 1
	defer func() { maxLaneFFT = prev }()
	TestRealEEGMatchesMNE(t)
	TestFilterDataShortSignal(t)
	TestInPlace(t)
}
