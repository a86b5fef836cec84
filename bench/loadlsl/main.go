// Command loadlsl is the load test of the lsl package (issue 9): an outlet
// publishes a synthetic stream (default 64 channels of float32 at 1000 Hz,
// one sample per push, as an amplifier driver does, paced in real time) and
// an inlet in the same process receives it over loopback TCP. It prints
// the latency from push to receipt (p50, p99, max, on LSL's local clock)
// and the samples lost (channel 0 carries the sample's index, so a gap, a
// repeat or a reordering counts).
//
//	go run ./bench/loadlsl -duration 10m
//
// It exits 1 when the p99 latency is -max-p99 (2 ms) or more or a sample
// was lost.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/bcikit/bcikit/lsl"
)

func main() {
	duration := flag.Duration("duration", 10*time.Minute, "length of the run")
	channels := flag.Int("channels", 64, "channels of the stream")
	rate := flag.Float64("rate", 1000, "sampling rate in Hz")
	chunk := flag.Int("chunk", 1, "samples per push")
	maxP99 := flag.Duration("max-p99", 2*time.Millisecond, "p99 latency limit")
	flag.Parse()
	r, err := run(*duration, *channels, *rate, *chunk)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadlsl:", err)
		os.Exit(1)
	}
	fmt.Println(r)
	if r.p99 >= *maxP99 || r.lost != 0 {
		fmt.Fprintf(os.Stderr, "loadlsl: FAIL (p99 limit %v, 0 lost)\n", *maxP99)
		os.Exit(1)
	}
}

type result struct {
	samples, lost     int64
	p50, p99, maxLat  time.Duration
	channels          int
	rate              float64
	chunk             int
	duration, elapsed time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("%d channels float32 at %g Hz, %d sample(s) per push, %v: %d samples received, %d lost; latency p50 %.3f ms, p99 %.3f ms, max %.3f ms",
		r.channels, r.rate, r.chunk, r.elapsed.Round(time.Millisecond), r.samples, r.lost,
		float64(r.p50)/1e6, float64(r.p99)/1e6, float64(r.maxLat)/1e6)
}

// run publishes and receives for d and measures.
func run(d time.Duration, nch int, rate float64, chunk int) (result, error) {
	res := result{channels: nch, rate: rate, chunk: chunk, duration: d}
	// Unicast to 127.0.0.1 only: the test never sends multicast.
	cfg := lsl.DefaultConfig()
	cfg.MulticastAddresses = nil
	cfg.KnownPeers = []string{"127.0.0.1"}
	cfg.IPv6 = false
	info := lsl.StreamInfo{Name: fmt.Sprintf("loadlsl-%d", os.Getpid()), Type: "EEG", ChannelCount: nch, NominalSrate: rate, Format: lsl.Float32}
	out, err := lsl.NewOutlet(info, lsl.OutletOptions{Config: &cfg})
	if err != nil {
		return res, err
	}
	defer out.Close()
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	found, err := lsl.Resolve(ctx, "name='"+info.Name+"'", lsl.ResolveOptions{Config: &cfg, Minimum: 1, Timeout: 10 * time.Second})
	if err != nil {
		return res, err
	}
	in, err := lsl.OpenInlet(ctx, found[0], lsl.InletOptions{Config: &cfg, NoRecover: true})
	if err != nil {
		return res, err
	}
	defer in.Close()
	if err := out.WaitForConsumers(ctx, 1); err != nil {
		return res, err
	}

	total := int64(d.Seconds() * rate)
	lat := make([]float64, 0, total)
	recvDone := make(chan error, 1)
	go func() {
		var next int64
		for next < total {
			c, err := in.Pull(ctx)
			if err != nil {
				recvDone <- fmt.Errorf("after %d samples: %w", next, err)
				return
			}
			now := lsl.LocalClock()
			for s, ts := range c.Timestamps {
				idx := int64(c.Data[0][s])
				if idx != next {
					res.lost += max(1, idx-next)
				}
				next = idx + 1
				lat = append(lat, now-ts)
			}
			res.samples += int64(c.Len())
		}
		recvDone <- nil
	}()

	data := make([][]float64, nch)
	for k := range data {
		data[k] = make([]float64, chunk)
	}
	start := time.Now()
	period := time.Duration(float64(time.Second) / rate)
	for i := int64(0); i < total; i += int64(chunk) {
		n := int(min(int64(chunk), total-i))
		due := start.Add(time.Duration(i+int64(n)-1) * period)
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		}
		for k := range data {
			data[k] = data[k][:n]
			for s := range n {
				v := float64(i + int64(s))
				if k > 0 {
					v = float64((i+int64(s))%1000) - 500 + float64(k)
				}
				data[k][s] = v
			}
		}
		// stamped with the time of the push: the latency measured is the
		// transport's, not the pacing's
		if err := out.PushChunk(data, lsl.LocalClock()); err != nil {
			return res, err
		}
	}
	if err := <-recvDone; err != nil {
		return res, err
	}
	res.elapsed = time.Since(start)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		return time.Duration(lat[int(p*float64(len(lat)-1))] * 1e9)
	}
	res.p50, res.p99, res.maxLat = q(0.5), q(0.99), q(1)
	return res, nil
}
