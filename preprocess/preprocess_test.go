package preprocess

import (
	"errors"
	"math"
	"testing"

	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/fif"
	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

func read(t *testing.T, rel string) *raw.Raw {
	t.Helper()
	var (
		r   raw.Reader
		err error
	)
	p := testdata.Path(t, rel)
	if len(rel) > 4 && rel[len(rel)-4:] == ".fif" {
		r, err = fif.Open(p)
	} else {
		r, err = edf.Open(p)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Filtering, notch filtering and resampling whole recordings equal MNE's
// raw.filter / raw.notch_filter / raw.resample with default arguments within
// 1e-9 of each channel's largest absolute value: tighter than the 1e-7 the
// issue asks for (they agree to better than 1e-10 today).
func TestMatchesMNE(t *testing.T) {
	cases := []struct {
		name string
		op   func(*raw.Raw) error
	}{
		{"bandpass_fir_r04", func(r *raw.Raw) error { return Filter(r, 7, 30, FIR) }},
		{"highpass_fir_r04", func(r *raw.Raw) error { return Filter(r, 1, 0, FIR) }},
		{"lowpass_fir_r04", func(r *raw.Raw) error { return Filter(r, 0, 40, FIR) }},
		{"bandpass_iir_r04", func(r *raw.Raw) error { return Filter(r, 8, 30, IIR) }},
		{"bandpass_iir_order2_r04", func(r *raw.Raw) error { return FilterIIR(r, 8, 30, 2) }},
		{"highpass_iir_order6_ssvep", func(r *raw.Raw) error { return FilterIIR(r, 1, 0, 6) }},
		{"notch_r04", func(r *raw.Raw) error { return Notch(r, []float64{50}) }},
		{"notch2_ssvep", func(r *raw.Raw) error { return Notch(r, []float64{50, 100}) }},
		{"resample100_r04", func(r *raw.Raw) error { return Resample(r, 100) }},
		{"bandpass_ssvep", func(r *raw.Raw) error { return Filter(r, 5, 45, FIR) }},
		{"resample128_ssvep", func(r *raw.Raw) error { return Resample(r, 128) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := reftest.Load(t, "testdata/"+c.name+".json")
			r := read(t, f.File)
			if err := c.op(r); err != nil {
				t.Fatal(err)
			}
			reftest.Compare(t, r, f, reftest.Tol{Rel: 1e-9})
		})
	}
}

func synth() *raw.Raw {
	r := &raw.Raw{Info: raw.Info{SFreq: 100, NSamples: 1000, Channels: []raw.Channel{
		{Name: "C3", Type: raw.EEG, SFreq: 100}, {Name: "STI", Type: raw.Stim, SFreq: 100},
	}}}
	r.Data = raw.NewData(2, 1000)
	for i := range 1000 {
		r.Data[0][i] = math.Sin(float64(i) * 0.3)
		r.Data[1][i] = float64(i / 100)
	}
	return r
}

func TestStimUntouchedByFilter(t *testing.T) {
	r := synth()
	if err := Filter(r, 1, 20, FIR); err != nil {
		t.Fatal(err)
	}
	for i, v := range r.Data[1] {
		if v != float64(i/100) {
			t.Fatalf("stim sample %d changed to %v", i, v)
		}
	}
}

func TestBadParameters(t *testing.T) {
	for name, f := range map[string]func(*raw.Raw) error{
		"h at nyquist":   func(r *raw.Raw) error { return Filter(r, 1, 50, FIR) },
		"l above nyq":    func(r *raw.Raw) error { return Filter(r, 60, 0, FIR) },
		"negative":       func(r *raw.Raw) error { return Filter(r, -1, 20, FIR) },
		"nan":            func(r *raw.Raw) error { return Filter(r, math.NaN(), 20, IIR) },
		"both none":      func(r *raw.Raw) error { return Filter(r, 0, 0, FIR) },
		"l equals h":     func(r *raw.Raw) error { return Filter(r, 10, 10, FIR) },
		"order 0":        func(r *raw.Raw) error { return FilterIIR(r, 1, 20, 0) },
		"order nyquist":  func(r *raw.Raw) error { return FilterIIR(r, 1, 50, 2) },
		"notch none":     func(r *raw.Raw) error { return Notch(r, nil) },
		"notch nyquist":  func(r *raw.Raw) error { return Notch(r, []float64{50}) },
		"notch negative": func(r *raw.Raw) error { return Notch(r, []float64{-50}) },
	} {
		if err := f(synth()); !errors.Is(err, dsp.ErrParam) {
			t.Errorf("%s: %v, want ErrParam", name, err)
		}
	}
	if err := Resample(synth(), 0); err == nil {
		t.Error("resample to 0 Hz: no error")
	}
	r := synth()
	r.Data[0][10] = math.NaN()
	if err := Filter(r, 1, 20, FIR); err == nil {
		t.Error("NaN sample: no error")
	}
}
