package dsp

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// knownErr reports whether err is nil or one of the package's sentinels.
func knownErr(err error) bool {
	return err == nil || errors.Is(err, ErrParam) || errors.Is(err, ErrTooShort) || errors.Is(err, ErrNonFinite)
}

// checkSections fails unless every section is finite with a0 = 1.
func checkSections(t *testing.T, sos SOS) {
	t.Helper()
	for i, s := range sos {
		for _, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("section %d = %v is not finite", i, s)
			}
		}
		if s[3] != 1 {
			t.Fatalf("section %d = %v: a0 != 1", i, s)
		}
	}
}

// FuzzDesign feeds arbitrary parameters to every design function: they
// must return a valid filter or an error wrapping ErrParam, never panic.
func FuzzDesign(f *testing.F) {
	f.Add(uint8(0), 4, 7.0, 30.0, 0.5, 40.0, 160.0, uint8(2))
	f.Add(uint8(1), 5, 20.0, 0.0, 0.5, 40.0, 160.0, uint8(0))
	f.Add(uint8(2), 3, 55.0, 65.0, 0.5, 40.0, 160.0, uint8(3))
	f.Add(uint8(3), 8, 1.0, 0.0, 0.1, 80.0, 250.0, uint8(1))
	f.Add(uint8(3), 7, 10.0, 20.0, 3.0, 2.0, 100.0, uint8(2))
	f.Add(uint8(4), 51, 30.0, 0.0, 8.6, 0.0, 160.0, uint8(0))
	f.Add(uint8(5), 0, 7.0, 30.0, 0.0, 0.0, 160.0, uint8(0))
	f.Add(uint8(5), 0, 30.0, 7.0, 0.0, 0.0, 160.0, uint8(0))
	f.Add(uint8(6), 0, 60.0, 0.0, 30.0, 0.0, 256.0, uint8(0))
	f.Fuzz(func(t *testing.T, kind uint8, order int, f1, f2, rp, rs, fs float64, bt uint8) {
		btype := BandType(bt % 5) // 4 is invalid on purpose
		freqs := []float64{f1}
		if btype == Bandpass || btype == Bandstop || bt%7 == 6 {
			freqs = append(freqs, f2)
		}
		var (
			sos SOS
			err error
		)
		switch kind % 7 {
		case 0:
			sos, err = Butter(order, freqs, btype, fs)
		case 1:
			sos, err = Cheby1(order, rp, freqs, btype, fs)
		case 2:
			sos, err = Cheby2(order, rs, freqs, btype, fs)
		case 3:
			sos, err = Ellip(order, rp, rs, freqs, btype, fs)
		case 4:
			if order > 10000 {
				t.Skip("long FIR")
			}
			_, err = FirWin(order, freqs, Window{Name: []string{"hamming", "hann", "blackman", "kaiser", "boxcar", "x"}[bt%6], Beta: rp}, bt%2 == 0, fs)
		case 5:
			if fs > 1e4 || (f1 > 0 && fs/f1 > 1e4) || (f2 > 0 && fs/math.Abs(fs/2-f2) > 1e4) {
				t.Skip("long FIR")
			}
			_, err = CreateFilter(fs, f1, f2)
			if err == nil {
				sos, _, err = CreateIIRFilter(fs, f1, f2)
			}
		case 6:
			_, _, err = IIRNotch(f1, rp, fs)
		}
		if !knownErr(err) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && sos != nil {
			checkSections(t, sos)
		}
	})
}

// FuzzFilter filters arbitrary samples (8 bytes each, up to 3 channels)
// with every method: results or sentinel errors, never a panic, and NaN
// or infinite input always reported.
func FuzzFilter(f *testing.F) {
	seed := make([]byte, 8*300)
	for i := 0; i < 300; i++ {
		binary.LittleEndian.PutUint64(seed[8*i:], math.Float64bits(math.Sin(float64(i)/3)))
	}
	f.Add(seed, uint8(2), 160.0, 7.0, 30.0, uint8(0))
	f.Add(seed, uint8(1), 160.0, 1.0, 0.0, uint8(1))
	f.Add(seed[:80], uint8(3), 100.0, 0.0, 20.0, uint8(2))
	f.Add(seed[:16], uint8(1), 160.0, 30.0, 7.0, uint8(3))
	f.Add(seed, uint8(2), 160.0, 60.0, 0.0, uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, nch uint8, fs, l, h float64, method uint8) {
		channels := int(nch%3) + 1
		n := len(data) / 8 / channels
		// Keep filters short (MNE's lengths grow as fs / transition band)
		// so that each execution stays fast.
		if n > 4096 || fs > 1000 || (l > 0 && fs/l > 500) || (h > 0 && (fs/h > 500 || fs/math.Abs(fs/2-h) > 500)) {
			t.Skip("too long")
		}
		x := make([][]float64, channels)
		finite := true
		for c := range x {
			x[c] = make([]float64, n)
			for i := range x[c] {
				v := math.Float64frombits(binary.LittleEndian.Uint64(data[8*(c*n+i):]))
				x[c][i] = v
				finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
			}
		}
		var err error
		switch method % 5 {
		case 0:
			_, err = FilterData(nil, x, fs, l, h, FIR)
		case 1:
			_, err = FilterData(nil, x, fs, l, h, IIR)
		case 2:
			_, err = NotchFilter(nil, x, fs, []float64{l})
		case 3:
			_, err = SOSFiltFilt(nil, x, SOS{{1, l, h, 1, fs / 1e4, 0.25}}, DefaultPad)
		case 4:
			_, err = FiltFilt(nil, x, []float64{1, l}, []float64{1, h / 1e3}, DefaultPad)
		}
		if !knownErr(err) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && !finite && n > 0 {
			t.Fatalf("non-finite input accepted (method %d)", method%5)
		}
	})
}
