package spectral

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	x := [][]float64{make([]float64, 300), make([]float64, 300)}
	nan := [][]float64{make([]float64, 300), make([]float64, 300)}
	nan[1][17] = math.NaN()
	inf := [][]float64{make([]float64, 300)}
	inf[0][299] = math.Inf(-1)
	ragged := [][]float64{make([]float64, 300), make([]float64, 299)}
	with := func(f func(*Options)) Options { o := Defaults(); f(&o); return o }
	withMNE := func(f func(*MNEOptions)) MNEOptions { o := MNEDefaults(); f(&o); return o }

	cases := []struct {
		name string
		err  error
		call func() error
		want string // in the message
	}{
		{"nan", ErrNonFinite, func() error { _, err := Welch(nan, 100, Defaults()); return err }, "channel 1 sample 17"},
		{"inf", ErrNonFinite, func() error { _, err := PSDArrayWelch(inf, 100, MNEDefaults()); return err }, "channel 0 sample 299"},
		{"nan hilbert", ErrNonFinite, func() error { _, err := Analytic(nan, 0); return err }, "channel 1 sample 17"},
		{"fs zero", ErrParam, func() error { _, err := Welch(x, 0, Defaults()); return err }, "fs"},
		{"fs inf", ErrParam, func() error { _, err := Welch(x, math.Inf(1), Defaults()); return err }, "fs"},
		{"sfreq nan", ErrParam, func() error { _, err := PSDArrayWelch(x, math.NaN(), MNEDefaults()); return err }, "sfreq"},
		{"nperseg negative", ErrParam, func() error { _, err := Welch(x, 100, with(func(o *Options) { o.NPerSeg = -3 })); return err }, "nperseg"},
		{"noverlap >= nperseg", ErrParam, func() error {
			_, err := Welch(x, 100, with(func(o *Options) { o.NPerSeg = 64; o.NOverlap = 64 }))
			return err
		}, "noverlap"},
		{"noverlap negative", ErrParam, func() error { _, err := Welch(x, 100, with(func(o *Options) { o.NOverlap = -2 })); return err }, "noverlap"},
		{"nfft < nperseg", ErrParam, func() error {
			_, err := Welch(x, 100, with(func(o *Options) { o.NPerSeg = 64; o.NFFT = 32 }))
			return err
		}, "nfft"},
		{"window", ErrParam, func() error { _, err := Welch(x, 100, with(func(o *Options) { o.Window.Name = "tukey" })); return err }, "window"},
		{"kaiser beta", ErrParam, func() error {
			_, err := Welch(x, 100, with(func(o *Options) { o.Window = Window{"kaiser", math.NaN()} }))
			return err
		}, "beta"},
		{"detrend", ErrParam, func() error { _, err := Welch(x, 100, with(func(o *Options) { o.Detrend = 7 })); return err }, "detrend"},
		{"ragged", ErrParam, func() error { _, err := Welch(ragged, 100, Defaults()); return err }, "channel 1"},
		{"no channels", ErrParam, func() error { _, err := Welch(nil, 100, Defaults()); return err }, "no channels"},
		{"mne n_fft > n", ErrParam, func() error {
			_, err := PSDArrayWelch(x, 100, withMNE(func(o *MNEOptions) { o.NFFT = 512 }))
			return err
		}, "n_fft"},
		{"mne n_overlap", ErrParam, func() error {
			_, err := PSDArrayWelch(x, 100, withMNE(func(o *MNEOptions) { o.NOverlap = 256 }))
			return err
		}, "n_overlap"},
		{"mne fmin > fmax", ErrParam, func() error {
			_, err := PSDArrayWelch(x, 100, withMNE(func(o *MNEOptions) { o.FMin, o.FMax = 30, 8 }))
			return err
		}, "fmin"},
		{"mne fmin nan", ErrParam, func() error {
			_, err := PSDArrayWelch(x, 100, withMNE(func(o *MNEOptions) { o.FMin = math.NaN() }))
			return err
		}, "fmin"},
		{"mne empty band", ErrParam, func() error {
			_, err := PSDArrayWelch(x, 100, withMNE(func(o *MNEOptions) { o.FMin, o.FMax = 10.0, 10.1 }))
			return err
		}, "no frequencies"},
		{"compute_psd fmax", ErrParam, func() error {
			_, err := ComputePSD(x, 100, withMNE(func(o *MNEOptions) { o.FMax = 60 }))
			return err
		}, "fmax"},
		{"band fmin > fmax", ErrParam, func() error { _, err := BandPower([]float64{1, 2}, []float64{0, 1}, 3, 1, Trapezoid); return err }, "fmin"},
		{"band nan", ErrParam, func() error {
			_, err := BandPower([]float64{1, 2}, []float64{0, 1}, 0, math.NaN(), Trapezoid)
			return err
		}, "fmax"},
		{"hilbert N", ErrParam, func() error { _, err := Analytic(x, -1); return err }, "N"},
	}
	for _, c := range cases {
		err := c.call()
		if !errors.Is(err, c.err) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.want)
		}
	}
}

// TestShortSignal checks SciPy's shortening of nperseg to a short signal
// (and of the default overlap with it).
func TestShortSignal(t *testing.T) {
	w, err := NewWelcher(100, 10, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if w.NPerSeg() != 100 || w.NOverlap() != 50 || w.NFFT() != 100 || w.Segments() != 1 {
		t.Errorf("nperseg %d noverlap %d nfft %d segments %d, want 100 50 100 1",
			w.NPerSeg(), w.NOverlap(), w.NFFT(), w.Segments())
	}
}

// TestNoAllocs checks that the workspaces allocate nothing per call.
func TestNoAllocs(t *testing.T) {
	x := make([]float64, 2000)
	for i := range x {
		x[i] = math.Sin(float64(i) / 7)
	}
	for _, avg := range []Average{Mean, Median} {
		opt := Defaults()
		opt.Average = avg
		w, err := NewWelcher(len(x), 250, opt)
		if err != nil {
			t.Fatal(err)
		}
		dst := w.PSD(nil, x)
		if a := testing.AllocsPerRun(10, func() { w.PSD(dst, x) }); a != 0 {
			t.Errorf("Welcher.PSD (average %d): %v allocations per call", avg, a)
		}
	}
	h := NewHilbert(len(x))
	dst := h.Analytic(nil, x)
	env := h.Envelope(nil, x)
	if a := testing.AllocsPerRun(10, func() { h.Analytic(dst, x); h.Envelope(env, x) }); a != 0 {
		t.Errorf("Hilbert: %v allocations per call", a)
	}
}

// TestPSDsMatchesPSD checks that the parallel path gives the serial
// result, with reused destinations.
func TestPSDsMatchesPSD(t *testing.T) {
	x := make([][]float64, 9)
	for ch := range x {
		x[ch] = make([]float64, 1500)
		for i := range x[ch] {
			x[ch][i] = math.Sin(float64(i*(ch+1))/13) + float64(ch)
		}
	}
	w, err := NewWelcher(1500, 100, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.PSDs(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.PSDs(all, x); err != nil {
		t.Fatal(err)
	}
	for ch := range x {
		one := w.PSD(nil, x[ch])
		for k := range one {
			if one[k] != all[ch][k] {
				t.Fatalf("channel %d bin %d: PSDs %v, PSD %v", ch, k, all[ch][k], one[k])
			}
		}
	}
}

// TestWindowsSymmetric checks the symmetric windows against values from
// scipy.signal.get_window(..., fftbins=False).
func TestWindowsSymmetric(t *testing.T) {
	cases := []struct {
		w    Window
		want []float64
	}{
		// scipy.signal.get_window('hann', 5, fftbins=False)
		{Window{Name: "hann"}, []float64{0, 0.5, 1, 0.5, 0}},
		// scipy.signal.get_window('bartlett', 5, fftbins=False)
		{Window{Name: "bartlett"}, []float64{0, 0.5, 1, 0.5, 0}},
		// scipy.signal.get_window(('kaiser', 5.0), 5, fftbins=False)
		{Window{Name: "kaiser", Beta: 5}, []float64{0.036710892271286676, 0.5528517696991324, 1, 0.5528517696991324, 0.036710892271286676}},
	}
	for _, c := range cases {
		got, err := c.w.Values(nil, len(c.want), false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-15 {
				t.Errorf("%v [%d] = %.17g, want %.17g", c.w, i, got[i], c.want[i])
			}
		}
	}
}

// FuzzWelcher checks that any combination of lengths is either rejected
// with ErrParam or gives a finite spectrum of len(Freqs()) bins, for both
// parameter rules, without panicking.
func FuzzWelcher(f *testing.F) {
	f.Add(1000, 256, -1, 0, 0, 256)
	f.Add(100, 0, 10, 101, 1, 64)
	f.Add(7, 1, 0, 1, 2, 1)
	f.Add(300, 64, 63, 65, 1, 512)
	f.Fuzz(func(t *testing.T, n, nperseg, noverlap, nfft, detrend, mneNFFT int) {
		if n > 4000 || nperseg > 4000 || nfft > 4000 || mneNFFT > 4000 {
			t.Skip()
		}
		x := make([]float64, max(n, 0))
		for i := range x {
			x[i] = math.Sin(float64(i)) + float64(i%7)
		}
		opt := Options{NPerSeg: nperseg, NOverlap: noverlap, NFFT: nfft, Detrend: Detrend(detrend)}
		check := func(w *Welcher, err error) {
			if err != nil {
				if !errors.Is(err, ErrParam) {
					t.Fatalf("error %v does not wrap ErrParam", err)
				}
				return
			}
			p := w.PSD(nil, x)
			if len(p) != len(w.Freqs()) {
				t.Fatalf("%d bins, %d frequencies", len(p), len(w.Freqs()))
			}
			for k, v := range p {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					t.Fatalf("bin %d = %v", k, v)
				}
			}
		}
		check(NewWelcher(n, 100, opt))
		m := MNEDefaults()
		m.NFFT, m.NPerSeg, m.NOverlap = mneNFFT, nperseg, noverlap
		check(NewMNEWelcher(n, 100, m))
	})
}
