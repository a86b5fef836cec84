package stream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bcikit/bcikit/format"
	"github.com/bcikit/bcikit/internal/testdata"
)

// memSource yields n chunks of a synthetic stream, optionally paced by a
// channel (one receive per chunk).
type memSource struct {
	h     Header
	n, ns int
	k     int
	gate  chan struct{}
	err   error // returned after the last chunk instead of io.EOF
}

func (m *memSource) Header() Header { return m.h }
func (m *memSource) Close() error   { return nil }
func (m *memSource) Next(ctx context.Context) (Chunk, error) {
	if m.gate != nil {
		select {
		case <-m.gate:
		case <-ctx.Done():
			return Chunk{}, ctx.Err()
		}
	}
	if m.k >= m.n {
		if m.err != nil {
			return Chunk{}, m.err
		}
		return Chunk{}, io.EOF
	}
	c := testChunk(len(m.h.Channels), m.ns, int64(m.k*m.ns))
	m.k++
	return c, nil
}

// logBuf collects a server's log lines.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) logf(format string, a ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, a...))
	l.mu.Unlock()
}

func (l *logBuf) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range l.lines {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// waitSubscribers waits until the server log shows n joins.
func waitJoined(t testing.TB, l *logBuf, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		l.mu.Lock()
		k := 0
		for _, x := range l.lines {
			if strings.Contains(x, "joined") {
				k++
			}
		}
		l.mu.Unlock()
		if k >= n {
			return
		}
	}
	t.Fatalf("fewer than %d subscribers joined", n)
}

// TestRoundTripFile replays a recording through Serve to TCP and WebSocket
// clients in float64 (exact) and float32 (to float32 resolution).
func TestRoundTripFile(t *testing.T) {
	path := testdata.Path(t, edfFile)
	want, err := format.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := OpenReplay(path, ReplayOptions{Speed: -1, ChunkSamples: 32})
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	gate := &gatedSource{Source: rp, open: make(chan struct{})}
	ln := listen(t)
	addr := ln.Addr().String()
	logs := &logBuf{}
	srv := &Server{Logf: logs.logf, Queue: 1 << 12}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), ln, gate) }()

	specs := []struct {
		url string
		f   SampleFormat
	}{{"tcp://" + addr, Float64}, {"tcp://" + addr, Float32}, {"ws://" + addr + "/stream", Float64}, {"ws://" + addr + "/stream", Float32}}
	clients := make([]*Client, len(specs))
	for i, s := range specs {
		if clients[i], err = Dial(context.Background(), s.url, DialOptions{Format: s.f}); err != nil {
			t.Fatal(err)
		}
		defer clients[i].Close()
	}
	waitJoined(t, logs, len(specs))
	close(gate.open)
	var wg sync.WaitGroup
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := cl.Header()
			if len(h.Channels) != 64 || h.SFreq != 160 || h.Channels[0] != want.Channels[0].Name {
				t.Errorf("%s: header %v", specs[i].url, h)
				return
			}
			var got int64
			nm := 0
			for {
				c, err := cl.Next(context.Background())
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s %s: %v", specs[i].url, specs[i].f, err)
					return
				}
				if c.Start != got {
					t.Errorf("chunk at %d, want %d", c.Start, got)
					return
				}
				for ch := range c.Data {
					for j, v := range c.Data[ch] {
						exp := want.Data[ch][got+int64(j)]
						if specs[i].f == Float32 {
							exp = float64(float32(exp))
						}
						if v != exp {
							t.Errorf("%s %s: ch %d sample %d: %v, want %v", specs[i].url, specs[i].f, ch, got+int64(j), v, exp)
							return
						}
					}
				}
				nm += len(c.Markers)
				got += int64(c.Len())
			}
			if got != int64(want.NSamples) || nm != 30 {
				t.Errorf("%s: %d samples and %d markers, want %d and 30", specs[i].url, got, nm, want.NSamples)
			}
		}()
	}
	wg.Wait()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// gatedSource holds the first chunk back until open is closed, so that
// every subscriber joins before the stream starts.
type gatedSource struct {
	Source
	open chan struct{}
}

func (g *gatedSource) Next(ctx context.Context) (Chunk, error) {
	select {
	case <-g.open:
	case <-ctx.Done():
		return Chunk{}, ctx.Err()
	}
	return g.Source.Next(ctx)
}

// TestBadClients: garbage, silence, a stalled reader, a publisher and a
// subscriber that talks are all dropped with a reason; a good subscriber
// receives everything.
func TestBadClients(t *testing.T) {
	src := &memSource{h: testHeader(16), n: 300, ns: 512, gate: make(chan struct{})} // 19 MiB: more than loopback socket buffers hold
	ln := listen(t)
	addr := ln.Addr().String()
	logs := &logBuf{}
	srv := &Server{Logf: logs.logf, Queue: 4, WriteTimeout: 200 * time.Millisecond, HelloTimeout: 200 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, src) }()

	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Garbage: gets an error frame and is closed.
	garbage := dial()
	defer garbage.Close()
	garbage.Write([]byte("hello there, server\r\n"))
	// Silent: never says hello.
	silent := dial()
	defer silent.Close()
	// Oversized WebSocket upgrade line.
	bigws := dial()
	defer bigws.Close()
	bigws.Write([]byte("GET /" + strings.Repeat("a", 10000)))
	// Publisher on a subscriber-only server.
	pub := dial()
	defer pub.Close()
	pub.Write(appendHello(nil, rolePublish, Float64))
	// Talker: subscribes, then sends bytes.
	talker := dial()
	defer talker.Close()
	talker.Write(appendHello(nil, roleSubscribe, 0))
	// Staller: subscribes and never reads, with a tiny receive buffer.
	staller := dial()
	defer staller.Close()
	staller.(*net.TCPConn).SetReadBuffer(1024)
	staller.Write(appendHello(nil, roleSubscribe, Float64))
	// The good one.
	good, err := Dial(ctx, "tcp://"+addr, DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	waitJoined(t, logs, 3)
	talker.Write([]byte("x"))

	// Read the good one while the source runs, in lockstep with it: it is
	// never behind, while the staller's socket buffers fill up.
	got := make(chan error, 1)
	ack := make(chan struct{}, 1)
	go func() {
		var n int64
		for {
			c, err := good.Next(ctx)
			if err == io.EOF {
				if n != 300*512 {
					err = fmt.Errorf("%d samples, want %d", n, 300*512)
				} else {
					err = nil
				}
				got <- err
				return
			}
			if err != nil {
				got <- err
				return
			}
			n += int64(c.Len())
			ack <- struct{}{}
		}
	}()
	for i := 0; i < src.n; i++ {
		src.gate <- struct{}{}
		select {
		case <-ack:
		case err := <-got:
			t.Fatalf("good subscriber: %v", err)
		}
	}
	src.gate <- struct{}{}
	if err := <-got; err != nil {
		t.Fatalf("good subscriber: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	for _, want := range []string{"neither the \"BCIS\" hello nor a websocket GET", "no hello within", "HTTP header line over", "only serves subscribers", "after its hello", "subscriber tcp"} {
		if !logs.has(want) {
			t.Errorf("no log line with %q; log:\n%s", want, strings.Join(logs.lines, "\n"))
		}
	}
	t.Logf("server log:\n%s", strings.Join(logs.lines, "\n"))
	if !logs.has("too slow") && !logs.has("i/o timeout") {
		t.Errorf("the staller was not dropped as too slow; log:\n%s", strings.Join(logs.lines, "\n"))
	}
	// The garbage connection was told why.
	d := NewDecoder(bufio.NewReader(garbage))
	if _, err := d.ReadHeader(); !errors.Is(err, ErrRemote) || !strings.Contains(err.Error(), "hello") {
		t.Errorf("garbage client read %v, want the server's reason", err)
	}
}

func TestServeStopsOnContextAndSourceError(t *testing.T) {
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	src := &memSource{h: testHeader(2), n: 1, ns: 4, gate: make(chan struct{})}
	logs := &logBuf{}
	done := make(chan error, 1)
	go func() { done <- (&Server{Logf: logs.logf}).Serve(ctx, ln, src) }()
	cl, err := Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	waitJoined(t, logs, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if _, err := cl.Next(context.Background()); !errors.Is(err, ErrRemote) || !strings.Contains(err.Error(), "server stopped") {
		t.Fatalf("client after the server stopped: %v", err)
	}

	ln = listen(t)
	src = &memSource{h: testHeader(2), n: 2, ns: 4, err: errors.New("amplifier unplugged"), gate: make(chan struct{}, 10)}
	logs = &logBuf{}
	go func() { done <- (&Server{Logf: logs.logf}).Serve(context.Background(), ln, src) }()
	cl, err = Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	waitJoined(t, logs, 1)
	for i := 0; i < 3; i++ {
		src.gate <- struct{}{}
	}
	if err := <-done; err == nil || !strings.Contains(err.Error(), "amplifier unplugged") {
		t.Fatalf("Serve with a failing source: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := cl.Next(context.Background()); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
	}
	if _, err := cl.Next(context.Background()); !errors.Is(err, ErrRemote) || !strings.Contains(err.Error(), "amplifier unplugged") {
		t.Fatalf("client after the source failed: %v", err)
	}
}

// TestPublishAccept: a program publishes a stream (TCP and WebSocket); the
// receiver gets the same samples; garbage before it is dropped.
func TestPublishAccept(t *testing.T) {
	for _, scheme := range []string{"tcp://", "ws://"} {
		ln := listen(t)
		addr := ln.Addr().String()
		logs := &logBuf{}
		// A subscriber knocking at a receiver's door first.
		bad, _ := net.Dial("tcp", addr)
		bad.Write(appendHello(nil, roleSubscribe, 0))
		type accepted struct {
			src Source
			err error
		}
		acc := make(chan accepted, 1)
		go func() {
			src, err := Accept(context.Background(), ln, AcceptOptions{Logf: logs.logf})
			acc <- accepted{src, err}
		}()
		for deadline := time.Now().Add(5 * time.Second); !logs.has("only receives a publisher"); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("subscriber not dropped with a reason: %v", logs.lines)
			}
		}
		pubErr := make(chan error, 1)
		go func() {
			src := &memSource{h: testHeader(3), n: 50, ns: 10}
			pubErr <- Publish(context.Background(), scheme+addr+"/publish", src, PublishOptions{Format: Float32})
		}()
		a := <-acc
		if a.err != nil {
			t.Fatal(a.err)
		}
		src := a.src
		bad.Close()
		var n int64
		for {
			c, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			w := testChunk(3, 10, n)
			for ch := range c.Data {
				for i, v := range c.Data[ch] {
					if v != float64(float32(w.Data[ch][i])) {
						t.Fatalf("%s sample %d: %v, want %v", scheme, n+int64(i), v, w.Data[ch][i])
					}
				}
			}
			if len(c.Markers) != 2 || c.Markers[0].Label != "T1" {
				t.Fatalf("markers %v", c.Markers)
			}
			n += int64(c.Len())
		}
		if n != 500 {
			t.Errorf("%s: %d samples, want 500", scheme, n)
		}
		if err := <-pubErr; err != nil {
			t.Errorf("Publish: %v", err)
		}
		src.Close()
		ln.Close()
	}
}

// TestPublisherGarbage: a publisher whose frames break (an oversized length)
// ends its source with ErrFrame; the publisher is told why.
func TestPublisherGarbage(t *testing.T) {
	ln := listen(t)
	defer ln.Close()
	told := make(chan error, 1)
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			told <- err
			return
		}
		defer c.Close()
		c.Write(appendHello(nil, rolePublish, Float64))
		c.Write(frames([]byte("D\x00\x00\x00\xff\xff\xff\x7f")))
		_, _, err = NewDecoder(c).readFrame()
		told <- err
	}()
	src, err := Accept(context.Background(), ln, AcceptOptions{MaxFrame: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Next(context.Background()); !errors.Is(err, ErrFrame) || !strings.Contains(err.Error(), "over the limit of 1048576") {
		t.Fatalf("oversized frame: %v", err)
	}
	if err := <-told; !errors.Is(err, ErrRemote) || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("the publisher was told %v", err)
	}
}

func TestDialErrors(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	// A server that answers garbage.
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("HTTP/1.1 200 OK\r\n\r\nnot a stream at all"))
			c.Close()
		}
	}()
	defer ln.Close()
	if _, err := Dial(context.Background(), "tcp://"+addr, DialOptions{Timeout: time.Second}); !errors.Is(err, ErrFrame) {
		t.Errorf("tcp to garbage: %v", err)
	}
	if _, err := Dial(context.Background(), "ws://"+addr+"/", DialOptions{Timeout: time.Second}); !errors.Is(err, ErrFrame) || !strings.Contains(err.Error(), "200") {
		t.Errorf("ws to a plain HTTP answer: %v", err)
	}
	// A server that says nothing: the timeout.
	quiet := listen(t)
	defer quiet.Close()
	if _, err := Dial(context.Background(), "tcp://"+quiet.Addr().String(), DialOptions{Timeout: 100 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "no header within") {
		t.Errorf("silent server: %v", err)
	}
}

// TestBackpressure: with Backpressure a subscriber slower than the source
// sets the pace instead of being dropped; a stalled one is still dropped.
func TestBackpressure(t *testing.T) {
	src := &memSource{h: testHeader(16), n: 40, ns: 4096} // 512 KiB chunks
	ln := listen(t)
	logs := &logBuf{}
	done := make(chan error, 1)
	srv := &Server{Logf: logs.logf, Queue: 2, Backpressure: true, WaitFor: 2, WriteTimeout: 300 * time.Millisecond}
	go func() { done <- srv.Serve(context.Background(), ln, src) }()
	staller, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer staller.Close()
	staller.(*net.TCPConn).SetReadBuffer(1024)
	staller.Write(appendHello(nil, roleSubscribe, 0))
	cl, err := Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	// The staller never reads: once its socket buffers and queue are
	// full the source waits WriteTimeout for it, then drops it. The slow
	// reader loses nothing.
	n := 0
	for {
		_, err := cl.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("slow subscriber: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
		n++
	}
	if n != 40 {
		t.Fatalf("slow subscriber got %d chunks, want 40", n)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !logs.has("too slow: 2 chunks waiting for 300ms") && !logs.has("i/o timeout") {
		t.Errorf("the staller was not dropped: %v", logs.lines)
	}
}

func TestCheckChunk(t *testing.T) {
	ok := testChunk(2, 4, 8)
	if err := CheckChunk(&ok, 2, 8); err != nil {
		t.Fatal(err)
	}
	if err := CheckChunk(&ok, 2, -1); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(c *Chunk) (nch int, next int64){
		"channels":      func(c *Chunk) (int, int64) { return 3, 8 },
		"gap":           func(c *Chunk) (int, int64) { return 2, 7 },
		"negative":      func(c *Chunk) (int, int64) { c.Start = -4; return 2, -1 },
		"ragged":        func(c *Chunk) (int, int64) { c.Data[1] = c.Data[1][:3]; return 2, 8 },
		"nan":           func(c *Chunk) (int, int64) { c.Data[0][1] = math.NaN(); return 2, 8 },
		"inf":           func(c *Chunk) (int, int64) { c.Data[1][3] = math.Inf(-1); return 2, 8 },
		"marker before": func(c *Chunk) (int, int64) { c.Markers[0].Sample = 7; return 2, 8 },
		"marker after":  func(c *Chunk) (int, int64) { c.Markers[1].Sample = 12; return 2, 8 },
		"marker order":  func(c *Chunk) (int, int64) { c.Markers[0].Sample, c.Markers[1].Sample = 9, 8; return 2, 8 },
		"marker code":   func(c *Chunk) (int, int64) { c.Markers[0].Code = 1 << 40; return 2, 8 },
	}
	for name, f := range bad {
		c := testChunk(2, 4, 8)
		nch, next := f(&c)
		if err := CheckChunk(&c, nch, next); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// nanSource yields one good chunk and then one with a NaN.
type nanSource struct {
	memSource
}

func (s *nanSource) Next(ctx context.Context) (Chunk, error) {
	c, err := s.memSource.Next(ctx)
	if err == nil && s.k == 2 {
		c.Data[1][0] = math.NaN()
	}
	return c, err
}

func TestServeBadSource(t *testing.T) {
	src := &nanSource{memSource{h: testHeader(2), n: 5, ns: 4}}
	ln := listen(t)
	done := make(chan error, 1)
	go func() {
		done <- (&Server{Logf: func(string, ...any) {}, WaitFor: 1}).Serve(context.Background(), ln, src)
	}()
	cl, err := Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Next(context.Background()); !errors.Is(err, ErrRemote) || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("after a NaN from the source: %v", err)
	}
	if err := <-done; err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("Serve: %v", err)
	}
}

// TestJoinMidStream: a subscriber joining late gets the header, then
// chunks from where the stream is, without gaps.
func TestJoinMidStream(t *testing.T) {
	src := &memSource{h: testHeader(2), n: 20, ns: 4, gate: make(chan struct{})}
	ln := listen(t)
	logs := &logBuf{}
	done := make(chan error, 1)
	go func() { done <- (&Server{Logf: logs.logf}).Serve(context.Background(), ln, src) }()
	first, err := Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	waitJoined(t, logs, 1)
	for i := 0; i < 10; i++ {
		src.gate <- struct{}{}
		if _, err := first.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	late, err := Dial(context.Background(), "ws://"+ln.Addr().String()+"/stream", DialOptions{Format: Float32})
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	waitJoined(t, logs, 2)
	for i := 0; i <= 10; i++ {
		src.gate <- struct{}{}
	}
	want := int64(40)
	for {
		c, err := late.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Start != want {
			t.Fatalf("late subscriber: chunk at %d, want %d", c.Start, want)
		}
		want += 4
	}
	if want != 80 {
		t.Fatalf("late subscriber ended at %d, want 80", want)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestClientContext(t *testing.T) {
	src := &memSource{h: testHeader(2), n: 5, ns: 4, gate: make(chan struct{})}
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&Server{Logf: func(string, ...any) {}}).Serve(ctx, ln, src)
	cl, err := Dial(ctx, "tcp://"+ln.Addr().String(), DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer wcancel()
	if _, err := cl.Next(wctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next with nothing coming: %v", err)
	}
}

func TestOpenListen(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	ln.Close()
	got := make(chan Source, 1)
	errc := make(chan error, 1)
	go func() {
		src, err := Open("listen://" + addr)
		errc <- err
		got <- src
	}()
	pub := &memSource{h: testHeader(3), n: 3, ns: 2}
	var err error
	for i := 0; i < 100; i++ { // until Open listens
		if err = Publish(context.Background(), "tcp://"+addr, pub, PublishOptions{}); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	src := <-got
	defer src.Close()
	if h := src.Header(); len(h.Channels) != 3 {
		t.Fatalf("header %v", h)
	}
	n := 0
	for {
		_, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d chunks, want 3", n)
	}
}

func TestServeListenerClosed(t *testing.T) {
	ln := listen(t)
	src := &memSource{h: testHeader(2), n: 5, ns: 4, gate: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- (&Server{Logf: func(string, ...any) {}}).Serve(context.Background(), ln, src) }()
	time.Sleep(10 * time.Millisecond)
	ln.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Serve after its listener closed: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its listener closed")
	}
}

// TestAcceptSilentFirst: a connection that says nothing does not hold up
// the publisher behind it, and a second publisher is turned away.
func TestAcceptSilentFirst(t *testing.T) {
	ln := listen(t)
	defer ln.Close()
	addr := ln.Addr().String()
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go Publish(context.Background(), "tcp://"+addr, &memSource{h: testHeader(2), n: 1, ns: 4}, PublishOptions{})
	start := time.Now()
	src, err := Accept(context.Background(), ln, AcceptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("Accept took %v behind a silent connection", el)
	}
	if _, err := src.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	// ln is still usable: a later Accept gets the next publisher.
	go Publish(context.Background(), "ws://"+addr+"/publish", &memSource{h: testHeader(3), n: 1, ns: 4}, PublishOptions{})
	src2, err := Accept(context.Background(), ln, AcceptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src2.Close()
	if len(src2.Header().Channels) != 3 {
		t.Fatalf("second publisher's header %v", src2.Header())
	}
	// A cancelled Accept returns the context's error.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Accept(ctx, ln, AcceptOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Accept under a 20 ms context: %v", err)
	}
}

// TestOpenDialOptions: format and idle in a tcp:// spec; a server that
// goes quiet is reported after the idle time.
func TestOpenDialOptions(t *testing.T) {
	src := &memSource{h: testHeader(2), n: 2, ns: 4, gate: make(chan struct{}, 1)}
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&Server{Logf: func(string, ...any) {}}).Serve(ctx, ln, src)
	s, err := Open("tcp://" + ln.Addr().String() + "?format=float32&idle=100ms")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src.gate <- struct{}{}
	c, err := s.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if w := testChunk(2, 4, 0).Data[0][1]; c.Data[0][1] != float64(float32(w)) || c.Data[0][1] == w {
		t.Fatalf("sample %v: not float32-rounded %v", c.Data[0][1], w)
	}
	if _, err := s.Next(context.Background()); err == nil || !strings.Contains(err.Error(), "no data for 100ms") {
		t.Fatalf("quiet server: %v", err)
	}
	for _, bad := range []string{"?format=int16", "?idle=-1s", "?idle=soon", "?colour=red"} {
		if _, err := Open("tcp://" + ln.Addr().String() + bad); !errors.Is(err, ErrSpec) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if spec, opt, err := dialSpec("ws://h:1/stream?x=1&idle=2s"); err != nil || spec != "ws://h:1/stream?x=1" || opt.IdleTimeout != 2*time.Second {
		t.Errorf("ws spec: %q %+v %v", spec, opt, err)
	}
}
