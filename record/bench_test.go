package record

import (
	"io"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/bcikit/bcikit/stream"
)

// BenchmarkWrite64x1000 writes one second of 64 channels at 1000 Hz per
// iteration, in chunks of 32 samples, to io.Discard: the cost of scaling,
// checking and framing the samples, without the disk.
func BenchmarkWrite64x1000(b *testing.B) {
	w, err := NewWriter(io.Discard, "bench", bench64x1000, Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchWrite(b, w)
}

// BenchmarkCreate64x1000 is BenchmarkWrite64x1000 to a file, with the
// writes and fsyncs (one per second of wall time) of a real recording.
func BenchmarkCreate64x1000(b *testing.B) {
	w, err := Create(filepath.Join(b.TempDir(), "bench.bdf"), bench64x1000, Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchWrite(b, w)
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

var bench64x1000 = func() stream.Header {
	h := stream.Header{SFreq: 1000}
	for c := range 64 {
		h.Channels = append(h.Channels, "EEG"+strconv.Itoa(c))
		h.Units = append(h.Units, "V")
		h.Types = append(h.Types, "eeg")
	}
	return h
}()

func benchWrite(b *testing.B, w *Writer) {
	const chunk = 32
	data := make([][]float64, 64)
	for c := range data {
		data[c] = make([]float64, chunk)
		for i := range data[c] {
			data[c][i] = 50e-6 * math.Sin(float64(i*(c+1)))
		}
	}
	b.SetBytes(64 * 1000 * 3)
	b.ReportAllocs()
	var pos int64
	for b.Loop() {
		for k := 0; k < 1000/chunk; k++ {
			if err := w.Write(stream.Chunk{Start: pos, Data: data}); err != nil {
				b.Fatal(err)
			}
			pos += chunk
		}
	}
}
