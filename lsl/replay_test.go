package lsl

import (
	"context"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/stream"
)

// TestReplayThroughLSL publishes a real recording (EEGMMIDB S001R04, 160
// Hz, at 8× real time) with Publish and reads it back with a Source that
// merges the marker stream: every sample comes back (float32 in µV), and
// every annotation comes back at its own sample, though markers and EEG
// travel on two outlets with their own time corrections.
func TestReplayThroughLSL(t *testing.T) {
	path := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	cfg := unicastConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	want := map[int64]string{}
	ref, err := stream.OpenReplay(path, stream.ReplayOptions{Speed: -1})
	if err != nil {
		t.Fatal(err)
	}
	var refData [][]float64
	for {
		c, err := ref.Next(ctx)
		if err != nil {
			break
		}
		if refData == nil {
			refData = make([][]float64, len(c.Data))
		}
		for k := range c.Data {
			refData[k] = append(refData[k], c.Data[k]...)
		}
		for _, m := range c.Markers {
			want[m.Sample] = m.Label
		}
	}
	ref.Close()
	const n = 160 * 30 // 30 s of recording, 3.75 s at 8×
	rp, err := stream.OpenReplay(path, stream.ReplayOptions{Speed: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	go Publish(ctx, rp, PublishOptions{Name: "S001R04", Markers: true, WaitFor: 1, Outlet: OutletOptions{Config: cfg}})
	src, err := OpenSource(ctx, "name='S001R04'", SourceOptions{Inlet: InletOptions{Config: cfg}, Markers: []string{"name='S001R04-Markers'"}, MarkerDelay: 500 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	got := map[int64]string{}
	var next int64
	for next < n {
		c, err := src.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Start != next {
			t.Fatalf("chunk at %d, want %d", c.Start, next)
		}
		for s := range c.Len() {
			i := c.Start + int64(s)
			for k := range c.Data {
				w := refData[k][i]
				if d := c.Data[k][s] - w; d > 1e-12 || d < -1e-12 {
					t.Fatalf("sample %d channel %d: %v V, want %v (float32 in µV)", i, k, c.Data[k][s], w)
				}
			}
		}
		for _, m := range c.Markers {
			got[m.Sample] = m.Label
		}
		next += int64(c.Len())
	}
	for s, l := range want {
		if s < n-1 && got[s] != l {
			t.Errorf("annotation %q at sample %d: got %v", l, s, got)
		}
	}
}
