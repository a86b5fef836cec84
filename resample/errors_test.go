package resample

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/dsp"
	"github.com/bcikit/bcikit/spectral"
)

func TestBadInput(t *testing.T) {
	x := [][]float64{make([]float64, 50), make([]float64, 50)}
	nan := [][]float64{make([]float64, 50), make([]float64, 50)}
	nan[1][3] = math.NaN()
	inf := [][]float64{make([]float64, 50)}
	inf[0][49] = math.Inf(1)
	cases := []struct {
		name string
		err  error
		call func() error
		want string
	}{
		{"poly nan", ErrNonFinite, func() error { _, err := PolyChannels(nan, 2, 1, PolyOptions{}); return err }, "channel 1 sample 3"},
		{"fft inf", ErrNonFinite, func() error { _, err := FFT(inf, 2, 1, FFTDefaults()); return err }, "channel 0 sample 49"},
		{"raw nan", ErrNonFinite, func() error { _, err := Raw(nan, 160, 100, nil, FFTDefaults()); return err }, "channel 1 sample 3"},
		{"up zero", ErrParam, func() error { _, err := Poly(x[0], 0, 1, PolyOptions{}); return err }, "up"},
		{"down negative", ErrParam, func() error { _, err := Poly(x[0], 1, -2, PolyOptions{}); return err }, "down"},
		{"poly pad", ErrParam, func() error { _, err := Poly(x[0], 1, 2, PolyOptions{Pad: 9}); return err }, "padtype"},
		{"poly window", ErrParam, func() error {
			_, err := Poly(x[0], 1, 2, PolyOptions{Window: dsp.Window{Name: "nope"}})
			return err
		}, "window"},
		{"poly taps", ErrParam, func() error { _, err := Poly(x[0], 1, 2, PolyOptions{Taps: []float64{}}); return err }, "taps"},
		{"empty", ErrParam, func() error { _, err := Poly(nil, 1, 2, PolyOptions{}); return err }, "no samples"},
		{"ragged", ErrParam, func() error {
			_, err := PolyChannels([][]float64{make([]float64, 3), make([]float64, 4)}, 1, 2, PolyOptions{})
			return err
		}, "channel 1"},
		{"fft up nan", ErrParam, func() error { _, err := FFT(x, math.NaN(), 1, FFTDefaults()); return err }, "up"},
		{"fft down inf", ErrParam, func() error { _, err := FFT(x, 1, math.Inf(1), FFTDefaults()); return err }, "down"},
		{"fft down zero", ErrParam, func() error { _, err := FFT(x, 1, 0, FFTDefaults()); return err }, "down"},
		{"fft npad", ErrParam, func() error { _, err := FFT(x, 2, 1, FFTOptions{NPad: -5}); return err }, "npad"},
		{"fft pad", ErrParam, func() error { _, err := FFT(x, 2, 1, FFTOptions{Pad: "wrap"}); return err }, "pad"},
		{"fft window", ErrParam, func() error {
			_, err := FFT(x, 2, 1, FFTOptions{Window: spectral.Window{Name: "nope"}})
			return err
		}, "window"},
		{"raw sfreq", ErrParam, func() error { _, err := Raw(x, 0, 100, nil, FFTDefaults()); return err }, "sfreq"},
		{"raw new sfreq", ErrParam, func() error { _, err := Raw(x, 160, math.NaN(), nil, FFTDefaults()); return err }, "new sfreq"},
		{"raw stim index", ErrParam, func() error { _, err := Raw(x, 160, 100, []int{2}, FFTDefaults()); return err }, "stim"},
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

func TestNoAllocs(t *testing.T) {
	x := make([]float64, 1600)
	for i := range x {
		x[i] = math.Sin(float64(i) / 5)
	}
	p, err := NewPolyphase(len(x), 25, 16, PolyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dst := p.Apply(nil, x)
	if a := testing.AllocsPerRun(10, func() { p.Apply(dst, x) }); a != 0 {
		t.Errorf("Polyphase.Apply: %v allocations", a)
	}
	r, err := NewFFTResampler(len(x), 250, 160, FFTDefaults())
	if err != nil {
		t.Fatal(err)
	}
	dst = r.Apply(nil, x)
	if a := testing.AllocsPerRun(10, func() { r.Apply(dst, x) }); a != 0 {
		t.Errorf("FFTResampler.Apply: %v allocations", a)
	}
}

// TestGCD checks the reduction of the factors.
func TestGCD(t *testing.T) {
	p, err := NewPolyphase(100, 250, 160, PolyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if up, down := p.Factors(); up != 25 || down != 16 {
		t.Errorf("factors %d/%d, want 25/16", up, down)
	}
	if p.OutLen() != 157 { // ceil(100·25/16)
		t.Errorf("OutLen %d, want 157", p.OutLen())
	}
}

// FuzzFFTResampler checks that any length and ratio either is rejected
// with ErrParam or gives OutLen finite samples, without panicking.
func FuzzFFTResampler(f *testing.F) {
	f.Add(1600, 250.0, 160.0, -1)
	f.Add(1, 3.0, 1.0, 0)
	f.Add(10, 2.5, 1.0, 15)
	f.Add(7, 1.0, 1000.0, -1)
	f.Fuzz(func(t *testing.T, n int, up, down float64, npad int) {
		if n < -1 || n > 5000 || npad > 5000 || up/down > 20 {
			t.Skip()
		}
		r, err := NewFFTResampler(n, up, down, FFTOptions{NPad: npad})
		if err != nil {
			if !errors.Is(err, ErrParam) {
				t.Fatalf("error %v does not wrap ErrParam", err)
			}
			return
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Cos(float64(i))
		}
		y := r.Apply(nil, x)
		if len(y) != Length(n, up, down) {
			t.Fatalf("%d samples, Length %d", len(y), Length(n, up, down))
		}
		for i, v := range y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("y[%d] = %v", i, v)
			}
		}
	})
}

// FuzzPolyphase does the same for resample_poly's factors.
func FuzzPolyphase(f *testing.F) {
	f.Add(1600, 25, 16)
	f.Add(1, 1, 7)
	f.Add(10, 7, 3)
	f.Fuzz(func(t *testing.T, n, up, down int) {
		if n > 5000 || up > 200 || down > 200 {
			t.Skip()
		}
		p, err := NewPolyphase(n, up, down, PolyOptions{})
		if err != nil {
			if !errors.Is(err, ErrParam) {
				t.Fatalf("error %v does not wrap ErrParam", err)
			}
			return
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i))
		}
		if y := p.Apply(nil, x); len(y) != p.OutLen() {
			t.Fatalf("%d samples, OutLen %d", len(y), p.OutLen())
		}
	})
}

func TestStimEmpty(t *testing.T) {
	if y := Stim(nil, nil, 5); len(y) != 0 {
		t.Errorf("Stim of nothing: %v", y)
	}
	if y := Stim(nil, []float64{1, 0}, 0); len(y) != 0 {
		t.Errorf("Stim to 0 samples: %v", y)
	}
}
