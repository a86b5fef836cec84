package online

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/bcikit/bcikit/decode"
	"github.com/bcikit/bcikit/paradigm"
)

// FuzzPush drives a decoder with chunks of fuzzed shapes, starts, samples
// and markers: it never panics, refuses bad chunks with ErrInput or
// ErrNonFinite, and its decisions end a step apart or at cue windows.
func FuzzPush(f *testing.F) {
	f.Add([]byte{10, 0, 3, 200, 1, 7, 30, 2, 0, 0, 50, 0})
	f.Add([]byte{255, 1, 0, 0, 4, 9, 3, 3, 3, 3, 128, 250, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		par, _ := json.Marshal(paradigm.Paradigm{Name: "imagery", Bands: [][2]float64{{8, 30}}, TMin: -0.1, TMax: 0.5, Scale: 1e6})
		m := &decode.Model{Channels: []string{"a", "b"}, SFreq: 100, Classes: []int{1, 2}, Paradigm: par,
			State: &fixed{pred: make([]int, 1), score: make([]float64, 1)}}
		dec, err := NewDecoder(m, []string{"b", "x", "a"}, 100, Config{Window: 0.3, Step: 0.07, Trigger: true, Smooth: 2})
		if err != nil {
			t.Fatal(err)
		}
		next := func() int {
			if len(b) == 0 {
				return 0
			}
			v := int(b[0])
			b = b[1:]
			return v
		}
		lastSlide := int64(-1)
		for len(b) > 0 {
			n, op := next(), next()
			nch := 3
			if op&1 != 0 {
				nch = op % 5
			}
			data := make([][]float64, nch)
			for c := range data {
				data[c] = make([]float64, n)
				for i := range data[c] {
					data[c][i] = math.Sin(float64(i*(c+1))) * 1e-5
				}
			}
			if op&2 != 0 && nch > 0 && n > 0 {
				data[op%nch][n/2] = math.NaN()
			}
			if op&4 != 0 && nch > 1 && n > 0 {
				data[1] = data[1][:n-1]
			}
			start := dec.Total()
			if op&8 != 0 {
				start += int64(next()) - 128
			}
			var mk []Marker
			for range op >> 5 {
				mk = append(mk, Marker{Sample: dec.Total() + int64(next()) - 128, Code: next() % 4})
			}
			out, err := dec.Push(start, data, time.Now(), mk)
			if err != nil {
				if !errors.Is(err, ErrInput) && !errors.Is(err, ErrNonFinite) {
					t.Fatalf("unexpected error: %v", err)
				}
				if op&16 != 0 {
					dec.Restart(start)
					lastSlide = -1
				}
				continue
			}
			for _, d := range out {
				if d.Trigger != nil {
					if d.Length != 61 || d.End != d.Trigger.Sample-10+61 {
						t.Fatalf("cue window %+v", d)
					}
					continue
				}
				if d.Length != 30 || (lastSlide >= 0 && d.End != lastSlide+7) {
					t.Fatalf("sliding window ending at %d after %d: %+v", d.End, lastSlide, d)
				}
				lastSlide = d.End
			}
		}
	})
}

// FuzzEvaluate scores fuzzed decision sequences and cues: no panic, no huge
// buffer for far-apart samples, every window counted once.
func FuzzEvaluate(f *testing.F) {
	f.Add(int64(100), int64(7), 50, uint8(30), []byte{1, 2, 3, 200, 5, 9})
	f.Add(int64(1e15), int64(1e12), 3, uint8(3), []byte{255, 0, 1})
	f.Fuzz(func(t *testing.T, first, step int64, length int, n uint8, b []byte) {
		if length <= 0 || length > 1000 {
			return
		}
		var ds []Decision
		for i := range int64(n) {
			ds = append(ds, Decision{End: first + i*step, Length: length, Predicted: int(i % 3), Smoothed: int(i % 3)})
		}
		var cues []Marker
		for i := 0; i+1 < len(b); i += 2 {
			cues = append(cues, Marker{Sample: first + int64(b[i])*max(step, 1)/4, Code: int(b[i+1] % 3)})
		}
		rep, err := Evaluate(ds, cues, Labels{SFreq: 100, Offset: 3, Length: 40, Rest: []int{0}})
		if err != nil {
			if !errors.Is(err, ErrEval) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if rep.Task+rep.Idle != rep.Windows || rep.Windows != len(ds) || rep.FalseActivations > rep.Idle {
			t.Fatalf("counts %+v", rep)
		}
		if math.IsNaN(rep.NMCC) || math.IsNaN(rep.Accuracy) || math.IsNaN(rep.ITRBitsPerMin) {
			t.Fatalf("NaN in %+v", rep)
		}
	})
}
