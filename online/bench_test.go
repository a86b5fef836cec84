package online_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/bcikit/bcikit/online"
)

// BenchmarkDecision decodes a 64-channel stream at 1000 Hz with a 1-s
// window every 100 ms: one 100-sample chunk per iteration, each giving one
// decision (causal filter, window copy, scaling and the pipeline). It also
// reports the 99th percentile of the decisions' latency (chunk arrival to
// decision).
func BenchmarkDecision(b *testing.B) {
	for _, pipeline := range []string{"csp+lda", "mdm"} {
		b.Run(pipeline, func(b *testing.B) {
			const nc, sfreq, chunkLen = 64, 1000.0, 100
			m := synthModel(pipeline, nc, sfreq)
			dec, err := online.NewDecoder(m, m.Channels, sfreq, online.Config{Window: 1, Step: 0.1})
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(2, 2))
			chunks := make([][][]float64, 10)
			for k := range chunks {
				chunks[k] = make([][]float64, nc)
				for c := range chunks[k] {
					chunks[k][c] = make([]float64, chunkLen)
					for i := range chunks[k][c] {
						chunks[k][c][i] = 1e-5 * rng.NormFloat64()
					}
				}
			}
			var start int64
			lat := make([]time.Duration, 0, 1024)
			push := func(k int) int {
				out, err := dec.Push(start, chunks[k%len(chunks)], time.Now(), nil)
				if err != nil {
					b.Fatal(err)
				}
				start += chunkLen
				for _, d := range out {
					if len(lat) < cap(lat) {
						lat = append(lat, d.Latency)
					}
				}
				return len(out)
			}
			for k := range 10 { // fill the first window
				push(k)
			}
			lat = lat[:0]
			b.ReportAllocs()
			b.ResetTimer()
			for k := range b.N {
				if n := push(k); n != 1 {
					b.Fatalf("%d decisions from one chunk", n)
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-latency-µs")
		})
	}
}

// BenchmarkFilter filters 100-sample chunks of 64 channels in one band.
func BenchmarkFilter(b *testing.B) {
	f, err := online.NewBandPass(1000, 8, 30, 64)
	if err != nil {
		b.Fatal(err)
	}
	x := make([][]float64, 64)
	for c := range x {
		x[c] = make([]float64, 100)
		for i := range x[c] {
			x[c][i] = float64(i % 7)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Process(x, x); err != nil {
			b.Fatal(err)
		}
	}
}
