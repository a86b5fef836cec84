package spectral

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The reference values come from testdata/gen/spectral_ref.py (SciPy
// 1.10.1, MNE 1.3.0) on seeded random signals and on the first 10 s of
// C3, Cz and C4 of eegmmidb S001R04.edf as MNE reads them.

// relTol is the tolerance of the Welch comparisons (tighter than the 1e-9
// asked of the readers), relative to the largest value of the channel's
// spectrum: the computations are the same up to the order of
// floating-point sums and the FFT algorithm (gonum's FFTPACK against
// SciPy's pocketfft), which differ in the last bits. Bins near zero (the
// DC bin after constant detrending) differ by round-off only, so a
// per-bin relative tolerance would be meaningless there.
const relTol = 1e-12

type welchFixture struct {
	Signals map[string][][]float64 `json:"signals"`
	Welch   []struct {
		Name   string    `json:"name"`
		Signal string    `json:"signal"`
		FS     float64   `json:"fs"`
		Kwargs welchArgs `json:"kwargs"`
		Freqs  []float64 `json:"freqs"`
		PSD    [][]float64
	} `json:"welch"`
	MNE []struct {
		Name   string    `json:"name"`
		Signal string    `json:"signal"`
		SFreq  float64   `json:"sfreq"`
		Kwargs mneArgs   `json:"kwargs"`
		Freqs  []float64 `json:"freqs"`
		PSD    [][]float64
	} `json:"mne_welch"`
	ComputePSD []struct {
		Name    string    `json:"name"`
		Signal  string    `json:"signal"`
		SFreq   float64   `json:"sfreq"`
		Bad     []int     `json:"bad"`
		Average string    `json:"average"`
		FMin    *float64  `json:"fmin"`
		FMax    *float64  `json:"fmax"`
		Freqs   []float64 `json:"freqs"`
		PSD     [][]float64
	} `json:"compute_psd"`
	BandPower []struct {
		Source    string     `json:"source"`
		Case      string     `json:"case"`
		FMin      float64    `json:"fmin"`
		FMax      float64    `json:"fmax"`
		NBins     int        `json:"n_bins"`
		Trapezoid []float64  `json:"trapezoid"`
		Mean      []*float64 `json:"mean"`
	} `json:"band_power"`
}

type welchArgs struct {
	Window   *Window `json:"window"`
	NPerSeg  *int    `json:"nperseg"`
	NOverlap *int    `json:"noverlap"`
	NFFT     *int    `json:"nfft"`
	Detrend  any     `json:"detrend"`
	Scaling  string  `json:"scaling"`
	Average  string  `json:"average"`
}

type mneArgs struct {
	FMin     *float64 `json:"fmin"`
	FMax     *float64 `json:"fmax"`
	NFFT     *int     `json:"n_fft"`
	NOverlap *int     `json:"n_overlap"`
	NPerSeg  *int     `json:"n_per_seg"`
	Average  string   `json:"average"`
	Window   string   `json:"window"`
}

func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func (a welchArgs) options(t *testing.T) Options {
	opt := Defaults()
	if a.Window != nil {
		opt.Window = *a.Window
	}
	if a.NPerSeg != nil {
		opt.NPerSeg = *a.NPerSeg
	}
	if a.NOverlap != nil {
		opt.NOverlap = *a.NOverlap
	}
	if a.NFFT != nil {
		opt.NFFT = *a.NFFT
	}
	switch a.Detrend {
	case nil, "constant":
	case false:
		opt.Detrend = DetrendNone
	case "linear":
		opt.Detrend = DetrendLinear
	default:
		t.Fatalf("detrend %v", a.Detrend)
	}
	if a.Scaling == "spectrum" {
		opt.Scaling = Spectrum
	}
	if a.Average == "median" {
		opt.Average = Median
	}
	return opt
}

func (a mneArgs) options() MNEOptions {
	opt := MNEDefaults()
	if a.FMin != nil {
		opt.FMin = *a.FMin
	}
	if a.FMax != nil {
		opt.FMax = *a.FMax
	}
	if a.NFFT != nil {
		opt.NFFT = *a.NFFT
	}
	if a.NOverlap != nil {
		opt.NOverlap = *a.NOverlap
	}
	if a.NPerSeg != nil {
		opt.NPerSeg = *a.NPerSeg
	}
	if a.Average == "median" {
		opt.Average = Median
	}
	if a.Window != "" {
		opt.Window = Window{Name: a.Window}
	}
	return opt
}

// compareRows checks got against want, row by row, with a tolerance
// relative to the largest magnitude of each wanted row.
func compareRows(t *testing.T, what string, got, want [][]float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for r := range want {
		compareRow(t, what, r, got[r], want[r], rel)
	}
}

func compareRow(t *testing.T, what string, r int, got, want []float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: row %d: %d values, want %d", what, r, len(got), len(want))
	}
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	bad := 0
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= rel*scale) {
			if bad < 5 {
				t.Errorf("%s: row %d [%d]: got %.17g, want %.17g (diff %.3g, scale %.3g)", what, r, i, got[i], want[i], d, scale)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: row %d: %d values differ", what, r, bad)
	}
}

func TestWelchSciPy(t *testing.T) {
	var fx welchFixture
	loadJSON(t, "welch.json", &fx)
	for _, c := range fx.Welch {
		t.Run(c.Name, func(t *testing.T) {
			p, err := Welch(fx.Signals[c.Signal], c.FS, c.Kwargs.options(t))
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, "freqs", [][]float64{p.Freqs}, [][]float64{c.Freqs}, 1e-15)
			compareRows(t, "psd", p.Power, c.PSD, relTol)
		})
	}
}

func TestPSDArrayWelchMNE(t *testing.T) {
	var fx welchFixture
	loadJSON(t, "welch.json", &fx)
	for _, c := range fx.MNE {
		t.Run(c.Name, func(t *testing.T) {
			p, err := PSDArrayWelch(fx.Signals[c.Signal], c.SFreq, c.Kwargs.options())
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, "freqs", [][]float64{p.Freqs}, [][]float64{c.Freqs}, 1e-15)
			compareRows(t, "psd", p.Power, c.PSD, relTol)
		})
	}
}

func TestComputePSDMNE(t *testing.T) {
	var fx welchFixture
	loadJSON(t, "welch.json", &fx)
	for _, c := range fx.ComputePSD {
		t.Run(c.Name, func(t *testing.T) {
			x := fx.Signals[c.Signal]
			opt := MNEDefaults()
			if c.FMin != nil {
				opt.FMin, opt.FMax = *c.FMin, *c.FMax
			}
			if c.Average == "median" {
				opt.Average = Median
			}
			if c.Bad != nil {
				// raw.compute_psd(reject_by_annotation=True) reads the
				// BAD_ span as NaN.
				y := make([][]float64, len(x))
				for ch := range x {
					y[ch] = append([]float64(nil), x[ch]...)
					for i := c.Bad[0]; i < c.Bad[1]; i++ {
						y[ch][i] = math.NaN()
					}
				}
				x = y
				if _, err := ComputePSD(x, c.SFreq, opt); !errors.Is(err, ErrNonFinite) {
					t.Fatalf("NaN span without SkipNonFinite: err = %v, want ErrNonFinite", err)
				}
				opt.SkipNonFinite = true
			}
			p, err := ComputePSD(x, c.SFreq, opt)
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, "freqs", [][]float64{p.Freqs}, [][]float64{c.Freqs}, 1e-15)
			compareRows(t, "psd", p.Power, c.PSD, relTol)
		})
	}
}

// TestBandPower checks both rules against scipy.integrate.trapezoid and
// numpy's mean over the same bins of the reference spectra.
func TestBandPower(t *testing.T) {
	var fx welchFixture
	loadJSON(t, "welch.json", &fx)
	for _, b := range fx.BandPower {
		var freqs []float64
		var psd [][]float64
		for _, c := range fx.Welch {
			if b.Source == "welch" && c.Name == b.Case {
				freqs, psd = c.Freqs, c.PSD
			}
		}
		for _, c := range fx.MNE {
			if b.Source == "mne" && c.Name == b.Case {
				freqs, psd = c.Freqs, c.PSD
			}
		}
		if freqs == nil {
			t.Fatalf("no case %s/%s", b.Source, b.Case)
		}
		p := &PSD{Freqs: freqs, Power: psd}
		got, err := p.BandPower(b.FMin, b.FMax, Trapezoid)
		if err != nil {
			t.Fatal(err)
		}
		for ch := range got {
			if d := math.Abs(got[ch] - b.Trapezoid[ch]); d > 1e-12*math.Abs(b.Trapezoid[ch]) {
				t.Errorf("%s %v-%v Hz ch %d trapezoid: got %g, want %g", b.Case, b.FMin, b.FMax, ch, got[ch], b.Trapezoid[ch])
			}
		}
		mean, err := p.BandPower(b.FMin, b.FMax, MeanBins)
		if b.NBins == 0 {
			if !errors.Is(err, ErrParam) {
				t.Errorf("%s %v-%v Hz: empty band mean: err = %v, want ErrParam", b.Case, b.FMin, b.FMax, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for ch := range mean {
			want := *b.Mean[ch]
			if d := math.Abs(mean[ch] - want); d > 1e-12*math.Abs(want) {
				t.Errorf("%s %v-%v Hz ch %d mean: got %g, want %g", b.Case, b.FMin, b.FMax, ch, mean[ch], want)
			}
		}
	}
}

type hilbertFixture struct {
	Signals map[string][][]float64 `json:"signals"`
	Hilbert []struct {
		Name    string    `json:"name"`
		Signal  string    `json:"signal"`
		Channel int       `json:"channel"`
		N       *int      `json:"N"`
		Real    []float64 `json:"real"`
		Imag    []float64 `json:"imag"`
		Unwrap  []float64 `json:"unwrap"`
	} `json:"hilbert"`
}

// TestHilbertSciPy compares with scipy.signal.hilbert, numpy.abs, angle
// and unwrap; the tolerance is relative to the largest magnitude of the
// analytic signal (FFT round-off is relative to it, not to each sample).
func TestHilbertSciPy(t *testing.T) {
	var fx hilbertFixture
	loadJSON(t, "hilbert.json", &fx)
	for _, c := range fx.Hilbert {
		t.Run(c.Name, func(t *testing.T) {
			x := fx.Signals[c.Signal][c.Channel]
			n := 0
			if c.N != nil {
				n = *c.N
			}
			a, err := Analytic([][]float64{x}, n)
			if err != nil {
				t.Fatal(err)
			}
			re := make([]float64, len(a[0]))
			im := make([]float64, len(a[0]))
			for i, v := range a[0] {
				re[i], im[i] = real(v), imag(v)
			}
			env := make([]float64, len(c.Real))
			for i := range env {
				env[i] = math.Hypot(c.Real[i], c.Imag[i])
			}
			scale := 0.0
			for _, v := range env {
				scale = math.Max(scale, v)
			}
			tol := 1e-12
			compareRowScaled(t, "real", re, c.Real, tol*scale)
			compareRowScaled(t, "imag", im, c.Imag, tol*scale)

			h := NewHilbert(len(c.Real))
			compareRowScaled(t, "envelope", h.Envelope(nil, x), env, tol*scale)
			// The phase is compared where the signal is not tiny: its
			// error is the analytic signal's error over its modulus.
			ph := h.Phase(nil, x)
			for i := range ph {
				want := math.Atan2(c.Imag[i], c.Real[i])
				d := math.Abs(ph[i] - want)
				d = math.Min(d, 2*math.Pi-d)
				if env[i] > 1e-3*scale && d > 1e-9 {
					t.Errorf("phase[%d] = %v, want %v", i, ph[i], want)
				}
			}
			// Unwrap is compared on cases without zero padding (the
			// phase of a padded tail is that of round-off).
			if c.Unwrap != nil {
				compareRowScaled(t, "unwrap", Unwrap(ph), c.Unwrap, 1e-9)
			}
		})
	}
}

func compareRowScaled(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= tol) {
			if bad < 5 {
				t.Errorf("%s[%d] = %.17g, want %.17g (diff %.3g > %.3g)", what, i, got[i], want[i], d, tol)
			}
			bad++
		}
	}
}
