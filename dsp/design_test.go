package dsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"testing"
)

// designFixture is dsp/testdata/design.json, written by
// testdata/gen/dsp_design.py with SciPy 1.10 and MNE 1.3.
type designFixture struct {
	IIR []struct {
		Ftype  string
		Order  int
		Rp, Rs float64
		Freqs  []float64
		Btype  string
		Fs     float64
		SOS    [][6]float64
	}
	Notch []struct {
		W0, Q, Fs float64
		B, A      []float64
	}
	Firwin []struct {
		Numtaps  int
		Cutoff   []float64
		Window   string
		Beta     float64
		PassZero bool `json:"pass_zero"`
		Fs       float64
		H        []float64
	}
	MNE []struct {
		Sfreq float64
		LFreq *float64 `json:"l_freq"`
		HFreq *float64 `json:"h_freq"`
		N     int
		HHalf []float64 `json:"h_half"`
	}
}

func loadDesign(t *testing.T) designFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/design.json")
	if err != nil {
		t.Fatal(err)
	}
	var f designFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func bandType(t *testing.T, s string) BandType {
	for _, b := range []BandType{Lowpass, Highpass, Bandpass, Bandstop} {
		if b.String() == s {
			return b
		}
	}
	t.Fatalf("unknown band type %q", s)
	return 0
}

// maxRelErr returns max |got-want| / max(|want|) over a row set.
func maxRelErr(got, want []float64) float64 {
	var scale, err float64
	for i := range want {
		scale = math.Max(scale, math.Abs(want[i]))
		err = math.Max(err, math.Abs(got[i]-want[i]))
	}
	if scale == 0 {
		return err
	}
	return err / scale
}

// TestIIRDesignsMatchSciPy compares every design of the grid section by
// section: within each of b and a, the largest deviation relative to the
// largest coefficient is at most 1e-10.
func TestIIRDesignsMatchSciPy(t *testing.T) {
	const tol = 1e-10
	f := loadDesign(t)
	worst := 0.0
	for _, c := range f.IIR {
		name := fmt.Sprintf("%s(%d, rp=%v, rs=%v, %v, %s, fs=%v)", c.Ftype, c.Order, c.Rp, c.Rs, c.Freqs, c.Btype, c.Fs)
		bt := bandType(t, c.Btype)
		var sos SOS
		var err error
		switch c.Ftype {
		case "butter":
			sos, err = Butter(c.Order, c.Freqs, bt, c.Fs)
		case "cheby1":
			sos, err = Cheby1(c.Order, c.Rp, c.Freqs, bt, c.Fs)
		case "cheby2":
			sos, err = Cheby2(c.Order, c.Rs, c.Freqs, bt, c.Fs)
		case "ellip":
			sos, err = Ellip(c.Order, c.Rp, c.Rs, c.Freqs, bt, c.Fs)
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(sos) != len(c.SOS) {
			t.Errorf("%s: %d sections, scipy %d", name, len(sos), len(c.SOS))
			continue
		}
		for i := range sos {
			for _, part := range [][2]int{{0, 3}, {3, 6}} {
				e := maxRelErr(sos[i][part[0]:part[1]], c.SOS[i][part[0]:part[1]])
				worst = math.Max(worst, e)
				if e > tol {
					t.Errorf("%s: section %d = %v, scipy %v (rel err %.2g)", name, i, sos[i], c.SOS[i], e)
				}
			}
		}
	}
	t.Logf("%d designs, worst relative deviation %.3g", len(f.IIR), worst)
}

func TestIIRNotchMatchesSciPy(t *testing.T) {
	for _, c := range loadDesign(t).Notch {
		b, a, err := IIRNotch(c.W0, c.Q, c.Fs)
		if err != nil {
			t.Fatal(err)
		}
		if e := math.Max(maxRelErr(b, c.B), maxRelErr(a, c.A)); e > 1e-14 {
			t.Errorf("IIRNotch(%v, %v, %v) = %v %v, scipy %v %v", c.W0, c.Q, c.Fs, b, a, c.B, c.A)
		}
	}
}

func TestFirWinMatchesSciPy(t *testing.T) {
	const tol = 1e-13
	for _, c := range loadDesign(t).Firwin {
		h, err := FirWin(c.Numtaps, c.Cutoff, Window{Name: c.Window, Beta: c.Beta}, c.PassZero, c.Fs)
		if err != nil {
			t.Errorf("FirWin(%d, %v, %s): %v", c.Numtaps, c.Cutoff, c.Window, err)
			continue
		}
		if e := maxRelErr(h, c.H); e > tol || len(h) != len(c.H) {
			t.Errorf("FirWin(%d, %v, %s %v, %v): rel err %.3g", c.Numtaps, c.Cutoff, c.Window, c.Beta, c.PassZero, e)
		}
	}
}

func TestDesignErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	type result struct {
		name string
		err  error
	}
	var cases []result
	add := func(name string, err error) { cases = append(cases, result{name, err}) }
	errOf := func(_ SOS, err error) error { return err }
	add("order 0", errOf(Butter(0, []float64{10}, Lowpass, 100)))
	add("order -1", errOf(Butter(-1, []float64{10}, Lowpass, 100)))
	add("at nyquist", errOf(Butter(4, []float64{50}, Lowpass, 100)))
	add("above nyquist", errOf(Butter(4, []float64{60}, Highpass, 100)))
	add("zero freq", errOf(Butter(4, []float64{0}, Highpass, 100)))
	add("negative freq", errOf(Butter(4, []float64{-1, 10}, Bandpass, 100)))
	add("nan freq", errOf(Butter(4, []float64{nan}, Lowpass, 100)))
	add("low >= high", errOf(Butter(4, []float64{20, 10}, Bandpass, 100)))
	add("low == high", errOf(Butter(4, []float64{20, 20}, Bandstop, 100)))
	add("one freq for band", errOf(Butter(4, []float64{20}, Bandpass, 100)))
	add("two freqs for low", errOf(Butter(4, []float64{10, 20}, Lowpass, 100)))
	add("fs nan", errOf(Butter(4, []float64{10}, Lowpass, nan)))
	add("fs inf", errOf(Butter(4, []float64{10}, Lowpass, inf)))
	add("fs negative", errOf(Butter(4, []float64{10}, Lowpass, -100)))
	add("rp negative", errOf(Cheby1(4, -1, []float64{10}, Lowpass, 100)))
	add("rp nan", errOf(Cheby1(4, nan, []float64{10}, Lowpass, 100)))
	add("rs zero", errOf(Cheby2(4, 0, []float64{10}, Lowpass, 100)))
	add("rs inf", errOf(Cheby2(4, inf, []float64{10}, Lowpass, 100)))
	add("ellip rs < rp", errOf(Ellip(4, 3, 2, []float64{10}, Lowpass, 100)))
	add("bad band type", errOf(Butter(4, []float64{10}, BandType(9), 100)))
	for _, c := range cases {
		if !errors.Is(c.err, ErrParam) {
			t.Errorf("%s: err = %v, want ErrParam", c.name, c.err)
		}
	}
	firCases := []struct {
		numtaps int
		cutoff  []float64
		w       Window
		pz      bool
		fs      float64
	}{
		{0, []float64{10}, Window{Name: "hamming"}, true, 100},
		{11, nil, Window{Name: "hamming"}, true, 100},
		{11, []float64{50}, Window{Name: "hamming"}, true, 100},
		{11, []float64{20, 10}, Window{Name: "hamming"}, true, 100},
		{10, []float64{10}, Window{Name: "hamming"}, false, 100},
		{11, []float64{10}, Window{Name: "gauss"}, true, 100},
		{11, []float64{10}, Window{Name: "kaiser", Beta: nan}, true, 100},
		{11, []float64{10}, Window{Name: "hamming"}, true, 0},
	}
	for _, c := range firCases {
		if _, err := FirWin(c.numtaps, c.cutoff, c.w, c.pz, c.fs); !errors.Is(err, ErrParam) {
			t.Errorf("FirWin(%d, %v, %v, %v, %v): err = %v, want ErrParam", c.numtaps, c.cutoff, c.w, c.pz, c.fs, err)
		}
	}
	for _, c := range [][3]float64{{0, 30, 100}, {50, 30, 100}, {10, 0, 100}, {10, nan, 100}, {10, 30, -1}} {
		if _, _, err := IIRNotch(c[0], c[1], c[2]); !errors.Is(err, ErrParam) {
			t.Errorf("IIRNotch%v: err = %v, want ErrParam", c, err)
		}
	}
}
