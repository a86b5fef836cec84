package stream

// A minimal WebSocket (RFC 6455) on the standard library: the opening
// handshake on both sides, binary messages, client-to-server masking,
// fragmentation, ping/pong and close. Text messages and extensions are not
// used by the protocol and are refused.

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// WebSocket opcodes.
const (
	wsCont   = 0x0
	wsText   = 0x1
	wsBinary = 0x2
	wsClose  = 0x8
	wsPing   = 0x9
	wsPong   = 0xA
)

const (
	maxHTTPHeader = 16 << 10 // bytes of a handshake request or response
	maxHTTPLines  = 64
)

// wsAccept returns the Sec-WebSocket-Accept value for key.
func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// readHTTPHead reads a request or status line and header fields, capped in
// size, returning the first line and the fields with lower-case keys.
func readHTTPHead(br *bufio.Reader) (string, map[string]string, error) {
	var first string
	fields := map[string]string{}
	total := 0
	for n := 0; ; n++ {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return "", nil, fmt.Errorf("%w: HTTP header line over %d bytes", ErrFrame, br.Size())
		}
		if err != nil {
			return "", nil, fmt.Errorf("stream: websocket handshake: %w", err)
		}
		total += len(line)
		if total > maxHTTPHeader || n > maxHTTPLines {
			return "", nil, fmt.Errorf("%w: HTTP header over %d bytes or %d lines", ErrFrame, maxHTTPHeader, maxHTTPLines)
		}
		s := strings.TrimRight(string(line), "\r\n")
		if n == 0 {
			first = s
			continue
		}
		if s == "" {
			return first, fields, nil
		}
		k, v, ok := strings.Cut(s, ":")
		if !ok {
			return "", nil, fmt.Errorf("%w: HTTP header line %q has no colon", ErrFrame, s)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if old, ok := fields[k]; ok {
			v = old + "," + v
		}
		fields[k] = strings.TrimSpace(v)
	}
}

func hasToken(list, tok string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// wsServerHandshake reads a client's opening handshake from br and answers
// it on c: 101 with the accept key, or 400 with the reason.
func wsServerHandshake(c net.Conn, br *bufio.Reader) error {
	line, f, err := readHTTPHead(br)
	if err != nil {
		return err
	}
	fail := func(format string, a ...any) error {
		msg := fmt.Sprintf(format, a...)
		fmt.Fprintf(c, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(msg), msg)
		return fmt.Errorf("%w: websocket handshake: %s", ErrFrame, msg)
	}
	parts := strings.Fields(line)
	if len(parts) != 3 || parts[0] != "GET" || !strings.HasPrefix(parts[2], "HTTP/1.") {
		return fail("request line %q is not a GET", line)
	}
	if !hasToken(f["upgrade"], "websocket") || !hasToken(f["connection"], "upgrade") {
		return fail("not a websocket upgrade (Upgrade %q, Connection %q)", f["upgrade"], f["connection"])
	}
	if f["sec-websocket-version"] != "13" {
		return fail("Sec-WebSocket-Version %q, want 13", f["sec-websocket-version"])
	}
	key := f["sec-websocket-key"]
	if k, err := base64.StdEncoding.DecodeString(key); err != nil || len(k) != 16 {
		return fail("Sec-WebSocket-Key %q is not 16 bytes in base64", key)
	}
	_, err = fmt.Fprintf(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", wsAccept(key))
	return err
}

// wsClientHandshake sends the opening handshake for host and path on c and
// checks the server's answer read from br.
func wsClientHandshake(c net.Conn, br *bufio.Reader, host, path string) error {
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, host, key); err != nil {
		return fmt.Errorf("stream: websocket handshake: %w", err)
	}
	line, f, err := readHTTPHead(br)
	if err != nil {
		return err
	}
	if parts := strings.Fields(line); len(parts) < 2 || parts[1] != "101" {
		return fmt.Errorf("%w: websocket handshake: server answered %q", ErrFrame, line)
	}
	if got := f["sec-websocket-accept"]; got != wsAccept(key) {
		return fmt.Errorf("%w: websocket handshake: Sec-WebSocket-Accept %q, want %q", ErrFrame, got, wsAccept(key))
	}
	return nil
}

// wsConn carries a byte stream in binary WebSocket messages: every Write is
// one message; Read returns the bytes of the data messages in order,
// answering pings and closes on the way.
type wsConn struct {
	c      net.Conn
	br     *bufio.Reader
	client bool // this end is the client: mask what it sends, expect no mask
	maxMsg int

	wmu  sync.Mutex
	wbuf []byte

	msg  []byte // message being read
	left []byte // unread part of the last message
	hdr  [14]byte
}

func newWSConn(c net.Conn, br *bufio.Reader, client bool) *wsConn {
	return &wsConn{c: c, br: br, client: client, maxMsg: DefaultMaxFrame + prefixLen}
}

// writeFrame sends one unfragmented frame.
func (w *wsConn) writeFrame(op byte, p []byte) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	b := append(w.wbuf[:0], 0x80|op)
	var mbit byte
	if w.client {
		mbit = 0x80
	}
	switch n := len(p); {
	case n < 126:
		b = append(b, mbit|byte(n))
	case n <= 0xFFFF:
		b = append(b, mbit|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, mbit|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if w.client {
		var key [4]byte
		rand.Read(key[:])
		b = append(b, key[:]...)
		off := len(b)
		b = append(b, p...)
		for i := range b[off:] {
			b[off+i] ^= key[i&3]
		}
	} else {
		b = append(b, p...)
	}
	w.wbuf = b
	_, err := w.c.Write(b)
	return err
}

// Write sends p as one binary message.
func (w *wsConn) Write(p []byte) (int, error) {
	if err := w.writeFrame(wsBinary, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Read reads the bytes of binary messages.
func (w *wsConn) Read(p []byte) (int, error) {
	for len(w.left) == 0 {
		if err := w.readMessage(); err != nil {
			return 0, err
		}
	}
	n := copy(p, w.left)
	w.left = w.left[n:]
	return n, nil
}

// readMessage reads frames until a whole data message is in w.left,
// handling control frames on the way. A close frame ends it with io.EOF.
func (w *wsConn) readMessage() error {
	w.msg = w.msg[:0]
	started := false
	for {
		h := w.hdr[:2]
		if _, err := io.ReadFull(w.br, h); err != nil {
			return err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0F
		if h[0]&0x70 != 0 {
			return fmt.Errorf("%w: websocket frame with reserved bits %#x (no extension was agreed)", ErrFrame, h[0]&0x70)
		}
		masked := h[1]&0x80 != 0
		if masked == w.client {
			if w.client {
				return fmt.Errorf("%w: websocket frame from the server is masked", ErrFrame)
			}
			return fmt.Errorf("%w: websocket frame from the client is not masked", ErrFrame)
		}
		n := int64(h[1] & 0x7F)
		switch n {
		case 126:
			if _, err := io.ReadFull(w.br, w.hdr[:2]); err != nil {
				return err
			}
			n = int64(binary.BigEndian.Uint16(w.hdr[:2]))
		case 127:
			if _, err := io.ReadFull(w.br, w.hdr[:8]); err != nil {
				return err
			}
			u := binary.BigEndian.Uint64(w.hdr[:8])
			if u > uint64(w.maxMsg) {
				return fmt.Errorf("%w: websocket frame of %d bytes, over the limit of %d", ErrFrame, u, w.maxMsg)
			}
			n = int64(u)
		}
		var key [4]byte
		if masked {
			if _, err := io.ReadFull(w.br, key[:]); err != nil {
				return err
			}
		}
		if op >= 0x8 { // control frame
			if !fin || n > 125 {
				return fmt.Errorf("%w: websocket control frame fragmented or over 125 bytes", ErrFrame)
			}
			var buf [125]byte
			p := buf[:n]
			if _, err := io.ReadFull(w.br, p); err != nil {
				return err
			}
			if masked {
				for i := range p {
					p[i] ^= key[i&3]
				}
			}
			switch op {
			case wsPing:
				if err := w.writeFrame(wsPong, p); err != nil {
					return err
				}
			case wsPong:
			case wsClose:
				code := p
				if len(code) > 2 {
					code = code[:2]
				}
				w.writeFrame(wsClose, code) // echo, best effort
				return io.EOF
			default:
				return fmt.Errorf("%w: websocket opcode %#x", ErrFrame, op)
			}
			continue
		}
		switch {
		case op == wsText:
			return fmt.Errorf("%w: websocket text message; the stream protocol uses binary messages", ErrFrame)
		case op == wsBinary && started, op == wsCont && !started:
			return fmt.Errorf("%w: websocket fragments out of order", ErrFrame)
		case op != wsBinary && op != wsCont:
			return fmt.Errorf("%w: websocket opcode %#x", ErrFrame, op)
		}
		started = true
		if int64(len(w.msg))+n > int64(w.maxMsg) {
			return fmt.Errorf("%w: websocket message over the limit of %d bytes", ErrFrame, w.maxMsg)
		}
		off := len(w.msg)
		w.msg = append(w.msg, make([]byte, n)...)
		p := w.msg[off:]
		if _, err := io.ReadFull(w.br, p); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if masked {
			for i := range p {
				p[i] ^= key[i&3]
			}
		}
		if fin {
			w.left = w.msg
			return nil
		}
	}
}

// Close sends a close frame (best effort, within a second) and closes the
// connection.
func (w *wsConn) Close() error {
	w.c.SetWriteDeadline(time.Now().Add(time.Second))
	w.writeFrame(wsClose, []byte{0x03, 0xE8}) // 1000: normal closure
	return w.c.Close()
}
