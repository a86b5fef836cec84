package csp

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzFit feeds Fit and Transform arbitrary small trial sets (any values,
// including NaN, Inf, zeros and ragged rows) with every estimator option:
// they must return an error or finite-shaped results, never panic.
func FuzzFit(f *testing.F) {
	f.Add(uint8(3), uint8(2), uint8(5), uint8(0), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add(uint8(4), uint8(3), uint8(2), uint8(7), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	f.Add(uint8(6), uint8(1), uint8(8), uint8(3), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f, 1})
	f.Add(uint8(9), uint8(4), uint8(3), uint8(12), []byte("a fuzz seed with some bytes in it, enough for a few floats"))
	f.Fuzz(func(t *testing.T, nTr, nCh, nT, opts uint8, data []byte) {
		nTrials := int(nTr%10) + 1
		channels := int(nCh%5) + 1
		times := int(nT % 12)
		trials := make([][][]float64, nTrials)
		y := make([]int, nTrials)
		pos := 0
		next := func() float64 {
			if len(data) == 0 {
				return 0
			}
			var b [8]byte
			for i := range b {
				b[i] = data[(pos+i)%len(data)]
			}
			pos += 3 // overlapping windows give varied values from short input
			v := math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
			if opts&0x80 == 0 && (math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e6 || math.Abs(v) < 1e-6) {
				v = float64(int8(b[0])) / 16
			}
			return v
		}
		for i := range trials {
			y[i] = int(data0(data, i)) % (2 + int(opts%3))
			trials[i] = make([][]float64, channels)
			for c := range trials[i] {
				n := times
				if opts&0x40 != 0 && c == 1 && i == nTrials-1 {
					n++ // ragged
				}
				trials[i][c] = make([]float64, n)
				for k := range trials[i][c] {
					trials[i][c][k] = next()
				}
			}
		}
		c := CSP{NComponents: int(opts % 5)}
		switch (opts >> 2) % 5 {
		case 1:
			c.Reg, c.Shrinkage = Shrinkage, 0.3
		case 2:
			c.Reg = LedoitWolf
		case 3:
			c.Reg = OAS
		}
		if opts&0x20 != 0 {
			c.CovEst = Epoch
		}
		if opts&0x10 != 0 {
			c.ZScore = true
			c.NormTrace = true
		}
		if err := c.Fit(trials, y); err != nil {
			return
		}
		x, err := c.Transform(trials)
		if err != nil {
			return
		}
		if r, _ := x.Dims(); r != nTrials {
			t.Fatalf("%d feature rows for %d trials", r, nTrials)
		}
		var fb FilterBank
		fb.CSP = c
		fb.K = 1
		_ = fb.Fit([][][][]float64{trials, trials}, y)
	})
}

func data0(b []byte, i int) byte {
	if len(b) == 0 {
		return byte(i)
	}
	return b[i%len(b)]
}
