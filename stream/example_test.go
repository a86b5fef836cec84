package stream_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"

	"github.com/bcikit/bcikit/stream"
)

// Frames written by an Encoder are read back by a Decoder.
func Example() {
	h := stream.Header{Channels: []string{"C3", "C4"}, Units: []string{"V", "V"}, Types: []string{"eeg", "eeg"}, SFreq: 250}
	var wire bytes.Buffer
	enc := stream.NewEncoder(&wire, stream.Float64)
	enc.WriteHeader(h)
	enc.WriteChunk(stream.Chunk{Start: 0, Data: [][]float64{{1e-6, 2e-6}, {3e-6, 4e-6}}, Markers: []stream.Marker{{Sample: 1, Code: 2, Label: "T2"}}})
	enc.WriteEnd()

	dec := stream.NewDecoder(&wire)
	got, _ := dec.ReadHeader()
	fmt.Println(got.Channels, got.SFreq)
	for {
		var c stream.Chunk
		if err := dec.ReadChunk(&c); err == io.EOF {
			break
		}
		fmt.Println(c.Start, c.Data, c.Markers)
	}
	// Output:
	// [C3 C4] 250
	// 0 [[1e-06 2e-06] [3e-06 4e-06]] [{1 2 T2}]
}

// twoChunks is a tiny Source: two chunks of one channel.
type twoChunks struct{ k int }

func (s *twoChunks) Header() stream.Header {
	return stream.Header{Channels: []string{"Cz"}, Units: []string{"V"}, Types: []string{"eeg"}, SFreq: 100}
}

func (s *twoChunks) Next(ctx context.Context) (stream.Chunk, error) {
	if s.k == 2 {
		return stream.Chunk{}, io.EOF
	}
	s.k++
	return stream.Chunk{Start: int64(s.k-1) * 2, Data: [][]float64{{float64(s.k), float64(s.k)}}}, nil
}

func (s *twoChunks) Close() error { return nil }

// A server fans a Source out; a client subscribes with Dial (or Open).
func ExampleServe() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	// Quiet, and holding the stream back until one subscriber is there.
	srv := &stream.Server{Logf: func(string, ...any) {}, WaitFor: 1}
	go srv.Serve(context.Background(), ln, &twoChunks{})

	cl, err := stream.Dial(context.Background(), "tcp://"+ln.Addr().String(), stream.DialOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer cl.Close()
	fmt.Println(cl.Header().Channels)
	for {
		c, err := cl.Next(context.Background())
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(c.Start, c.Data[0])
	}
	// Output:
	// [Cz]
	// 0 [1 1]
	// 2 [2 2]
	// EOF
}
