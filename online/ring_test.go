package online

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestRing(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const nc, capacity, n = 3, 50, 1000
	x := alloc2(nc, n)
	for c := range x {
		for i := range x[c] {
			x[c][i] = float64(c*10000 + i)
		}
	}
	r := NewRing(nc, capacity)
	pos := 0
	for _, k := range randomChunks(rng, n, 120) {
		r.Write(slice2(x, pos, pos+k))
		pos += k
		if r.Total() != int64(pos) {
			t.Fatalf("Total %d after %d samples", r.Total(), pos)
		}
		// Read a random window of what is held.
		if pos == 0 {
			continue
		}
		m := 1 + rng.IntN(min(pos, capacity))
		start := pos - m - rng.IntN(min(pos, capacity)-m+1)
		dst := alloc2(nc, m)
		if err := r.Read(dst, int64(start)); err != nil {
			t.Fatalf("read %d+%d after %d: %v", start, m, pos, err)
		}
		for c := range dst {
			for i, v := range dst[c] {
				if v != x[c][start+i] {
					t.Fatalf("channel %d sample %d: %v, want %v", c, start+i, v, x[c][start+i])
				}
			}
		}
	}
	if err := r.Read(alloc2(nc, 10), n-capacity-1); !errors.Is(err, ErrGone) {
		t.Errorf("overwritten samples: %v", err)
	}
	if err := r.Read(alloc2(nc, 10), n-5); !errors.Is(err, ErrNotYet) {
		t.Errorf("future samples: %v", err)
	}
	if err := r.Read(alloc2(nc, 10), -1); !errors.Is(err, ErrGone) {
		t.Errorf("negative start: %v", err)
	}
}

func TestRingNoAlloc(t *testing.T) {
	r := NewRing(64, 1000)
	chunk := alloc2(64, 37)
	dst := alloc2(64, 1000)
	if n := testing.AllocsPerRun(50, func() {
		r.Write(chunk)
		if r.Total() >= 1000 {
			_ = r.Read(dst, r.Total()-1000)
		}
	}); n != 0 {
		t.Errorf("%v allocations per chunk", n)
	}
}

func TestRingPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"zero capacity": func() { NewRing(2, 0) },
		"channels":      func() { NewRing(2, 5).Write(alloc2(3, 1)) },
		"ragged":        func() { NewRing(2, 5).Write([][]float64{{1}, {1, 2}}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestRingReset(t *testing.T) {
	r := NewRing(1, 10)
	r.Write([][]float64{{1, 2, 3, 4, 5, 6, 7, 8}})
	r.Reset(100)
	if err := r.Read(alloc2(1, 2), 98); !errors.Is(err, ErrGone) {
		t.Errorf("stale samples before the reset: %v", err)
	}
	r.Write([][]float64{{9, 10, 11}})
	dst := alloc2(1, 3)
	if err := r.Read(dst, 100); err != nil || dst[0][0] != 9 || dst[0][2] != 11 {
		t.Errorf("after reset: %v %v", dst, err)
	}
	if err := r.Read(alloc2(1, 2), 99); !errors.Is(err, ErrGone) {
		t.Errorf("sample before the reset: %v", err)
	}
}
