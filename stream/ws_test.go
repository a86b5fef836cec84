package stream

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestWSAccept(t *testing.T) {
	// RFC 6455 section 1.3's example.
	if got := wsAccept("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept key %q", got)
	}
}

// wsPair returns a WebSocket client and server over a pipe, after a real
// handshake.
func wsPair(t *testing.T) (client, server *wsConn) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	errc := make(chan error, 1)
	br := bufio.NewReader(b)
	go func() { errc <- wsServerHandshake(b, br) }()
	cbr := bufio.NewReader(a)
	if err := wsClientHandshake(a, cbr, "example", "/stream"); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return newWSConn(a, cbr, true), newWSConn(b, br, false)
}

// rawFrame builds a WebSocket frame by hand.
func rawFrame(fin bool, op byte, mask bool, p []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	b := []byte{b0}
	var m byte
	if mask {
		m = 0x80
	}
	if len(p) < 126 {
		b = append(b, m|byte(len(p)))
	} else {
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(len(p)))
	}
	if mask {
		key := []byte{1, 2, 3, 4}
		b = append(b, key...)
		for i, c := range p {
			b = append(b, c^key[i&3])
		}
		return b
	}
	return append(b, p...)
}

func TestWSMessages(t *testing.T) {
	cl, sv := wsPair(t)
	// Client to server: masked, any size; server to client: unmasked.
	big := bytes.Repeat([]byte("0123456789"), 7000) // 64-bit length form
	go func() {
		cl.Write([]byte("hi"))
		cl.Write(big)
	}()
	got := make([]byte, 2+len(big))
	if _, err := io.ReadFull(sv, got); err != nil {
		t.Fatal(err)
	}
	if string(got[:2]) != "hi" || !bytes.Equal(got[2:], big) {
		t.Fatal("client → server bytes differ")
	}
	go sv.Write([]byte("back"))
	b := make([]byte, 4)
	if _, err := io.ReadFull(cl, b); err != nil || string(b) != "back" {
		t.Fatalf("server → client: %q %v", b, err)
	}
	// Fragments and a ping between them: the ping is answered, the
	// fragments joined.
	go func() {
		cl.c.Write(rawFrame(false, wsBinary, true, []byte("ab")))
		cl.c.Write(rawFrame(true, wsPing, true, []byte("p!")))
		cl.c.Write(rawFrame(true, wsCont, true, []byte("cd")))
	}()
	b = make([]byte, 4)
	pong := make(chan []byte, 1)
	go func() {
		h := make([]byte, 4)
		io.ReadFull(cl.br, h)
		pong <- h
	}()
	if _, err := io.ReadFull(sv, b); err != nil || string(b) != "abcd" {
		t.Fatalf("fragments: %q %v", b, err)
	}
	if p := <-pong; !bytes.Equal(p, []byte{0x80 | wsPong, 2, 'p', '!'}) {
		t.Fatalf("pong % x", p)
	}
	// Close: echoed, and the reader sees io.EOF.
	go cl.c.Write(rawFrame(true, wsClose, true, []byte{0x03, 0xE8}))
	echo := make(chan []byte, 1)
	go func() {
		h := make([]byte, 4)
		io.ReadFull(cl.br, h)
		echo <- h
	}()
	if _, err := sv.Read(b); err != io.EOF {
		t.Fatalf("after close: %v", err)
	}
	if e := <-echo; !bytes.Equal(e, []byte{0x80 | wsClose, 2, 0x03, 0xE8}) {
		t.Fatalf("close echo % x", e)
	}
}

func TestWSRejects(t *testing.T) {
	cases := []struct {
		name, want string
		frame      []byte
		toClient   bool
	}{
		{"unmasked from client", "not masked", rawFrame(true, wsBinary, false, []byte("x")), false},
		{"masked from server", "is masked", rawFrame(true, wsBinary, true, []byte("x")), true},
		{"text", "text message", rawFrame(true, wsText, true, []byte("x")), false},
		{"reserved bits", "reserved bits", append([]byte{0xC2}, rawFrame(true, wsBinary, true, []byte("x"))[1:]...), false},
		{"continuation first", "out of order", rawFrame(true, wsCont, true, []byte("x")), false},
		{"fragmented ping", "control frame", rawFrame(false, wsPing, true, nil), false},
		{"huge", "over the limit", []byte{0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4}, false},
		{"opcode", "opcode", rawFrame(true, 0x3, true, nil), false},
	}
	for _, tc := range cases {
		cl, sv := wsPair(t)
		w, r := cl.c, sv
		if tc.toClient {
			w, r = sv.c, cl
		}
		go w.Write(tc.frame)
		var b [1]byte
		_, err := r.Read(b[:])
		if !errors.Is(err, ErrFrame) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}

func TestWSHandshakeRejects(t *testing.T) {
	for _, req := range []string{
		"POST / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
		"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n",
		"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
	} {
		a, b := net.Pipe()
		go func() {
			a.Write([]byte(req))
			io.Copy(io.Discard, a)
		}()
		err := wsServerHandshake(b, bufio.NewReader(b))
		if !errors.Is(err, ErrFrame) {
			t.Errorf("%q: %v", req, err)
		}
		a.Close()
		b.Close()
	}
}

// TestWSSubscriberPing: a WebSocket subscriber may ping the server; it is
// answered and the stream goes on.
func TestWSSubscriberPing(t *testing.T) {
	src := &memSource{h: testHeader(2), n: 3, ns: 4, gate: make(chan struct{})}
	ln := listen(t)
	logs := &logBuf{}
	done := make(chan error, 1)
	go func() { done <- (&Server{Logf: logs.logf}).Serve(context.Background(), ln, src) }()
	cl, err := Dial(context.Background(), "ws://"+ln.Addr().String()+"/", DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	waitJoined(t, logs, 1)
	if err := cl.p.ws.writeFrame(wsPing, []byte("are you there")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	for i := 0; i <= src.n; i++ {
		src.gate <- struct{}{}
	}
	n := 0
	for {
		_, err := cl.Next(context.Background())
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
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if logs.has("dropped") {
		t.Errorf("a ping dropped the subscriber: %v", logs.lines)
	}
}

// discardConn is a net.Conn whose writes vanish (for fuzzing readers that
// answer pings).
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error)       { return len(p), nil }
func (discardConn) SetWriteDeadline(time.Time) error  { return nil }
func (discardConn) SetDeadline(time.Time) error       { return nil }
func (discardConn) Close() error                      { return nil }
func (discardConn) RemoteAddr() net.Addr              { return &net.TCPAddr{} }
func (discardConn) SetReadDeadline(t time.Time) error { return nil }
func (discardConn) LocalAddr() net.Addr               { return &net.TCPAddr{} }
func (discardConn) Read(p []byte) (int, error)        { return 0, io.EOF }

// FuzzWebSocket feeds arbitrary bytes to the server side of the opening
// handshake and then to its frame reader: errors, never a panic, and no
// message over the cap.
func FuzzWebSocket(f *testing.F) {
	hs := "GET /stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
	f.Add([]byte(hs + string(rawFrame(true, wsBinary, true, appendHello(nil, roleSubscribe, 0)))))
	f.Add([]byte(hs + string(rawFrame(false, wsBinary, true, []byte("ab"))) + string(rawFrame(true, wsPing, true, []byte("p"))) + string(rawFrame(true, wsCont, true, []byte("cd")))))
	f.Add([]byte(hs + string(rawFrame(true, wsClose, true, []byte{3, 232}))))
	f.Add([]byte(hs + "\x82\xff\x00\x00\x00\x00\x00\x01\x00\x00\x01\x02\x03\x04"))
	f.Fuzz(func(t *testing.T, in []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(in), 4096)
		c := discardConn{}
		if err := wsServerHandshake(c, br); err != nil {
			return
		}
		w := newWSConn(c, br, false)
		w.maxMsg = 1 << 16
		var buf [512]byte
		for {
			if _, err := w.Read(buf[:]); err != nil {
				return
			}
			if cap(w.msg) > 2*w.maxMsg {
				t.Fatalf("message buffer of %d bytes, cap %d", cap(w.msg), w.maxMsg)
			}
		}
	})
}
