package stream

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"sync"
	"testing"
)

func benchChunk() Chunk { return testChunk(64, 32, 0) }

func BenchmarkEncodeChunk(b *testing.B) {
	for _, f := range []SampleFormat{Float32, Float64} {
		b.Run(f.String(), func(b *testing.B) {
			c := benchChunk()
			buf := AppendChunk(nil, c, f)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendChunk(buf[:0], c, f)
			}
		})
	}
}

// loopReader replays the same frame forever, each time with the start the
// decoder expects next.
type loopReader struct {
	frame []byte
	off   int
	ns    int64
	start int64
}

func (l *loopReader) Read(p []byte) (int, error) {
	if l.off == len(l.frame) {
		l.off = 0
		l.start += l.ns
		putStart(l.frame, l.start)
	}
	n := copy(p, l.frame[l.off:])
	l.off += n
	return n, nil
}

func putStart(frame []byte, s int64) {
	for i := 0; i < 8; i++ {
		frame[prefixLen+i] = byte(s >> (8 * i))
	}
}

func BenchmarkDecodeChunk(b *testing.B) {
	for _, f := range []SampleFormat{Float32, Float64} {
		b.Run(f.String(), func(b *testing.B) {
			c := benchChunk()
			c.Markers = nil // the loop shifts starts, not markers
			frame := AppendChunk(nil, c, f)
			hdr, _ := AppendHeader(nil, testHeader(64))
			r := &loopReader{frame: frame, ns: 32}
			d := NewDecoder(io.MultiReader(bytes.NewReader(hdr), r))
			var got Chunk
			if err := d.ReadChunk(&got); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if err := d.ReadChunk(&got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFanOut16 serves 64-channel × 32-sample chunks to 16 TCP
// subscribers on loopback; one op is one chunk delivered to all 16 (the
// allocations include the test source's fresh chunk, 65 per op).
func BenchmarkFanOut16(b *testing.B) {
	const subs = 16
	src := &memSource{h: testHeader(64), n: b.N, ns: 32}
	ln := listen(b)
	logs := &logBuf{}
	srv := &Server{Logf: logs.logf, Queue: 1 << 16}
	gate := &gatedSource{Source: src, open: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), ln, gate) }()
	var wg sync.WaitGroup
	conns := make([]net.Conn, subs)
	for i := range conns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		c.Write(appendHello(nil, roleSubscribe, Float32))
		conns[i] = c
	}
	waitJoined(b, logs, subs)
	b.ReportAllocs()
	b.ResetTimer()
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := NewDecoder(bufio.NewReaderSize(c, 1<<16))
			var ch Chunk
			n := 0
			for d.ReadChunk(&ch) == nil {
				n++
			}
			if n != b.N {
				b.Errorf("subscriber got %d chunks, want %d", n, b.N)
			}
			c.Close()
		}()
	}
	close(gate.open)
	wg.Wait()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
