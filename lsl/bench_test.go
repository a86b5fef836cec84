package lsl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"
)

// BenchmarkDecodeFloat32 decodes 64-channel float32 samples as an inlet
// does (no allocation per sample).
func BenchmarkDecodeFloat32(b *testing.B) {
	const nch = 64
	vals := make([]float64, nch)
	var buf []byte
	for s := range 1000 {
		ts := Deduced
		if s == 0 {
			ts = 1
		}
		buf = appendSample(buf, Float32, ts, vals, nil)
	}
	d := &decoder{f: Float32, nch: nch, order: binary.LittleEndian}
	rd := bytes.NewReader(buf)
	br := bufio.NewReaderSize(rd, 64<<10)
	b.SetBytes(int64(len(buf) / 1000))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			rd.Reset(buf)
			br.Reset(rd)
		}
		if _, err := d.readSample(br, vals, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPushPull sends 64-channel float32 samples one per push through
// an outlet→inlet pair on loopback (no allocation per push on the outlet).
func BenchmarkPushPull(b *testing.B) {
	cfg := unicastConfig(b)
	info := StreamInfo{Name: "bench", Type: "EEG", ChannelCount: 64, NominalSrate: 1000, Format: Float32}
	o := newTestOutlet(b, cfg, info)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	found, err := Resolve(ctx, "name='bench'", ResolveOptions{Config: cfg, Minimum: 1})
	if err != nil {
		b.Fatal(err)
	}
	in, err := OpenInlet(ctx, found[0], InletOptions{Config: cfg, NoRecover: true})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	o.WaitForConsumers(ctx, 1)
	data := make([][]float64, 64)
	for k := range data {
		data[k] = []float64{float64(k)}
	}
	done := make(chan int)
	go func() {
		n := 0
		for {
			c, err := in.Pull(ctx)
			if err != nil {
				done <- n
				return
			}
			n += c.Len()
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := o.PushChunk(data, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	in.Close()
	<-done
}
