package stream

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
)

// fakeClock's Sleep moves its time forward and returns at once.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return ctx.Err()
}

const edfFile = "eegmmidb/S001/S001R04.edf"

func TestReplay(t *testing.T) {
	path := testdata.Path(t, edfFile)
	want, err := format.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	events, codes, err := want.EventsFromAnnotations(nil)
	if err != nil {
		t.Fatal(err)
	}
	label := map[int]string{}
	for d, c := range codes {
		label[c] = d
	}
	for _, speed := range []float64{1, 4} {
		clk := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		t0 := clk.now
		rp, err := OpenReplay(path, ReplayOptions{Speed: speed, Clock: clk, Loop: true})
		if err != nil {
			t.Fatal(err)
		}
		h := rp.Header()
		if len(h.Channels) != 64 || h.SFreq != 160 || h.Units[0] != "V" || h.Types[0] != "eeg" || h.Name != "S001R04.edf" {
			t.Fatalf("header %+v", h)
		}
		n := int64(want.NSamples)
		var next int64
		var marks []Marker
		// Two passes over the file: the loop keeps counting.
		for next < 2*n {
			c, err := rp.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ns := c.Len()
			if c.Start != next || (ns != 5 && c.Start+int64(ns) != n && c.Start+int64(ns) != 2*n) {
				t.Fatalf("chunk at %d of %d samples, want %d of 5 (160 Hz / 32)", c.Start, ns, next)
			}
			// Due when its last sample would have been acquired.
			due := t0.Add(time.Duration(float64(c.Start+int64(ns)) / 160 / speed * float64(time.Second)))
			if !c.Time.Equal(due) || !clk.Now().Equal(due) {
				t.Fatalf("chunk at %d: time %v, clock %v, want %v", c.Start, c.Time, clk.Now(), due)
			}
			off := int(c.Start % n)
			for ch := range c.Data {
				for i, v := range c.Data[ch] {
					if v != want.Data[ch][off+i] {
						t.Fatalf("chunk at %d ch %d sample %d: %v, want %v", c.Start, ch, i, v, want.Data[ch][off+i])
					}
				}
			}
			for _, m := range c.Markers {
				if m.Sample < c.Start || m.Sample >= c.Start+int64(ns) {
					t.Fatalf("marker %+v outside chunk at %d", m, c.Start)
				}
			}
			marks = append(marks, c.Markers...)
			next += int64(ns)
		}
		if len(marks) != 2*len(events) {
			t.Fatalf("%d markers, want %d", len(marks), 2*len(events))
		}
		for i, m := range marks {
			e := events[i%len(events)]
			if m.Sample != int64(e.Sample)+int64(i/len(events))*n || m.Code != e.Code || m.Label != label[e.Code] {
				t.Errorf("marker %d: %+v, want sample %d code %d label %q", i, m, e.Sample, e.Code, label[e.Code])
			}
		}
		rp.Close()
	}
}

func TestReplayEndAndCancel(t *testing.T) {
	path := testdata.Path(t, edfFile)
	rp, err := OpenReplay(path, ReplayOptions{Speed: -1, ChunkSamples: 7000})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	var total int
	for {
		c, err := rp.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		total += c.Len()
	}
	if total != 20000 {
		t.Fatalf("%d samples, want 20000", total)
	}
	// Real time: a cancelled context ends the wait.
	rt, err := OpenReplay(path, ReplayOptions{ChunkSamples: 16000})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := rt.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("real-time wait of 100 s under a 50 ms context: %v", err)
	}
}

func TestOpenSpecErrors(t *testing.T) {
	for _, spec := range []string{
		"nothing",
		"ftp://x",
		"replay:",
		"replay:/nonexistent.edf",
		"replay:x.edf?speed=-1",
		"replay:x.edf?speed=abc",
		"replay:x.edf?chunk=0",
		"replay:x.edf?loop=maybe",
		"replay:x.edf?colour=red",
		"tcp://",
		"listen://",
	} {
		src, err := Open(spec)
		if err == nil {
			src.Close()
			t.Errorf("Open(%q) succeeded", spec)
			continue
		}
		t.Logf("Open(%q): %v", spec, err)
	}
	if _, err := Open("replay:x.edf?speed=abc"); !errors.Is(err, ErrSpec) {
		t.Errorf("bad speed: %v does not wrap ErrSpec", err)
	}
	path := testdata.Path(t, edfFile)
	src, err := Open("replay:" + path + "?speed=max&chunk=100&loop=0")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	c, err := src.Next(context.Background())
	if err != nil || c.Len() != 100 {
		t.Fatalf("first chunk: %d samples, %v", c.Len(), err)
	}
}

// TestReplayWallClock: on the system clock, 2 s of a 160 Hz recording at
// 20× speed take at least 100 ms, and each chunk comes no earlier than its
// Time.
func TestReplayWallClock(t *testing.T) {
	rp, err := OpenReplay(testdata.Path(t, edfFile), ReplayOptions{Speed: 20, ChunkSamples: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	start := time.Now()
	for n := 0; n < 320; {
		c, err := rp.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if now := time.Now(); now.Before(c.Time) {
			t.Fatalf("chunk at %d returned at %v, before its time %v", c.Start, now, c.Time)
		}
		n += c.Len()
	}
	if el := time.Since(start); el < 100*time.Millisecond {
		t.Fatalf("2 s at 20× took %v, want ≥ 100 ms", el)
	}
}
