package stream

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
)

// peer is one established connection, plain TCP or WebSocket, after its
// handshake: frames are read from r and written to w.
type peer struct {
	c    net.Conn
	r    io.Reader
	w    io.Writer
	ws   *wsConn // nil for plain TCP
	name string  // remote address and transport, for messages
}

func (p *peer) close() error {
	if p.ws != nil {
		return p.ws.Close()
	}
	return p.c.Close()
}

// sendError writes an error frame with reason, best effort, within d.
func (p *peer) sendError(reason string, d time.Duration) {
	p.c.SetWriteDeadline(time.Now().Add(d))
	p.w.Write(appendError(nil, reason))
}

// serverHandshake reads what a client sends first — the hello, or a
// WebSocket upgrade followed by the hello in a binary message — within
// timeout. It returns the peer and the hello's role and format.
func serverHandshake(c net.Conn, timeout time.Duration) (*peer, byte, SampleFormat, error) {
	c.SetDeadline(time.Now().Add(timeout))
	br := bufio.NewReaderSize(c, 4096)
	p := &peer{c: c, r: br, w: c, name: "tcp " + c.RemoteAddr().String()}
	first, err := br.Peek(4)
	if err != nil {
		if len(first) == 0 && (err == io.EOF || isTimeout(err)) {
			return p, 0, 0, fmt.Errorf("%w: no hello within %v (%v)", ErrFrame, timeout, err)
		}
		return p, 0, 0, fmt.Errorf("%w: reading the hello: got %q then %v", ErrFrame, first, err)
	}
	if string(first) == "GET " {
		if err := wsServerHandshake(c, br); err != nil {
			return p, 0, 0, err
		}
		p.ws = newWSConn(c, br, false)
		p.r, p.w = p.ws, p.ws
		p.name = "ws " + c.RemoteAddr().String()
	} else if !bytes.Equal(first, magic[:]) {
		return p, 0, 0, fmt.Errorf("%w: connection starts with %q, neither the %q hello nor a websocket GET", ErrFrame, first, magic[:])
	}
	var h [helloLen]byte
	if _, err := io.ReadFull(p.r, h[:]); err != nil {
		return p, 0, 0, fmt.Errorf("%w: reading the hello: %v", ErrFrame, err)
	}
	role, f, err := parseHello(h[:])
	if err != nil {
		return p, 0, 0, err
	}
	c.SetDeadline(time.Time{})
	return p, role, f, nil
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// dialPeer connects to a tcp:// or ws:// address and sends the hello with
// role and f.
func dialPeer(ctx context.Context, spec string, role byte, f SampleFormat) (*peer, error) {
	u, err := url.Parse(spec)
	if err != nil || (u.Scheme != "tcp" && u.Scheme != "ws") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q: want tcp://HOST:PORT or ws://HOST:PORT/PATH", ErrSpec, spec)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	// The handshake is bounded by ctx.
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	p := &peer{c: c, r: bufio.NewReaderSize(c, 64<<10), w: c, name: spec}
	if u.Scheme == "ws" {
		path := u.RequestURI()
		br := p.r.(*bufio.Reader)
		if err := wsClientHandshake(c, br, u.Host, path); err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", spec, err)
		}
		p.ws = newWSConn(c, br, true)
		p.r, p.w = p.ws, p.ws
	}
	if _, err := p.w.Write(appendHello(nil, role, f)); err != nil {
		p.close()
		return nil, fmt.Errorf("stream: %s: hello: %w", spec, err)
	}
	return p, nil
}

// DialOptions tune Dial.
type DialOptions struct {
	// Format asks the server for samples as Float32 or Float64; 0 takes
	// the server's default (Float64 unless configured otherwise).
	Format SampleFormat
	// Timeout bounds the connection and the wait for the header (default
	// 10 s).
	Timeout time.Duration
	// MaxFrame caps a frame's payload (DefaultMaxFrame if 0).
	MaxFrame int
	// IdleTimeout makes Next fail when no frame arrives within it (a
	// server that vanished without closing the connection); 0 waits
	// forever.
	IdleTimeout time.Duration
}

// Client is a Source reading a stream from a bcikit server (Serve) over
// TCP or WebSocket.
type Client struct {
	p    *peer
	dec  *Decoder
	hdr  Header
	err  error // sticky: once a read failed the framing is lost
	idle time.Duration
	// accepted: the other end is a publisher (Accept), told why when its
	// stream is refused.
	accepted bool
}

// Dial subscribes to the stream served at spec, "tcp://HOST:PORT" or
// "ws://HOST:PORT/PATH", and reads its header.
func Dial(ctx context.Context, spec string, opt DialOptions) (*Client, error) {
	if opt.Format != 0 && !opt.Format.valid() {
		return nil, fmt.Errorf("%w: sample format %d", ErrSpec, opt.Format)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	p, err := dialPeer(ctx, spec, roleSubscribe, opt.Format)
	if err != nil {
		return nil, err
	}
	cl := newClient(p, opt.MaxFrame)
	cl.idle = opt.IdleTimeout
	stop := context.AfterFunc(ctx, func() { p.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	if cl.hdr, err = cl.dec.ReadHeader(); err != nil {
		p.close()
		if ctx.Err() != nil {
			err = fmt.Errorf("no header within %v: %w", opt.Timeout, ctx.Err())
		}
		return nil, fmt.Errorf("stream: %s: %w", spec, err)
	}
	return cl, nil
}

func newClient(p *peer, maxFrame int) *Client {
	dec := NewDecoder(p.r)
	dec.MaxFrame = maxFrame
	return &Client{p: p, dec: dec}
}

// Header returns the stream's header.
func (cl *Client) Header() Header { return cl.hdr }

// Next reads the next chunk, waiting for it. Data and Markers are reused by
// the following call. It returns io.EOF when the stream ends normally and
// an error (wrapping ErrFrame or ErrRemote, or the network's error) when it
// breaks; after an error, or after ctx ended a wait, the connection is no
// longer usable.
func (cl *Client) Next(ctx context.Context) (Chunk, error) {
	if cl.err != nil {
		return Chunk{}, cl.err
	}
	if err := ctx.Err(); err != nil {
		return Chunk{}, err
	}
	if cl.idle > 0 {
		cl.p.c.SetReadDeadline(time.Now().Add(cl.idle))
	}
	stop := context.AfterFunc(ctx, func() { cl.p.c.SetReadDeadline(time.Unix(1, 0)) })
	var c Chunk
	err := cl.dec.ReadChunk(&c)
	stop()
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if cl.idle > 0 && isTimeout(err) {
			err = fmt.Errorf("stream: %s: no data for %v: %w", cl.p.name, cl.idle, err)
		} else if err != io.EOF {
			if cl.accepted && errors.Is(err, ErrFrame) {
				cl.p.sendError(err.Error(), 100*time.Millisecond)
				cl.p.close()
			}
			err = fmt.Errorf("stream: %s: %w", cl.p.name, err)
		}
		cl.err = err
		return Chunk{}, err
	}
	return c, nil
}

// Close closes the connection.
func (cl *Client) Close() error { return cl.p.close() }

// PublishOptions tune Publish.
type PublishOptions struct {
	// Format is how samples travel (default Float64).
	Format SampleFormat
	// WriteTimeout drops the connection when a frame cannot be written
	// within it (default 10 s).
	WriteTimeout time.Duration
}

// Publish sends src's stream to the receiver at spec ("tcp://HOST:PORT" or
// "ws://HOST:PORT/PATH", where a program called Accept) until src ends
// (io.EOF: Publish sends the end frame and returns nil), src fails, the
// connection breaks or ctx ends. It does not close src.
func Publish(ctx context.Context, spec string, src Source, opt PublishOptions) error {
	if opt.Format == 0 {
		opt.Format = Float64
	}
	if !opt.Format.valid() {
		return fmt.Errorf("%w: sample format %d", ErrSpec, opt.Format)
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 10 * time.Second
	}
	h := src.Header()
	hf, err := AppendHeader(nil, h)
	if err != nil {
		return err
	}
	dctx, cancel := context.WithTimeout(ctx, opt.WriteTimeout)
	p, err := dialPeer(dctx, spec, rolePublish, opt.Format)
	cancel()
	if err != nil {
		return err
	}
	defer p.close()
	// The receiver only ever sends an error frame: read it to report why
	// it dropped us.
	reason := make(chan error, 1)
	go func() {
		_, _, err := NewDecoder(p.r).readFrame()
		reason <- err
	}()
	write := func(b []byte) error {
		p.c.SetWriteDeadline(time.Now().Add(opt.WriteTimeout))
		if _, err := p.w.Write(b); err != nil {
			select {
			case r := <-reason:
				if r != nil && r != io.ErrUnexpectedEOF {
					err = r
				}
			case <-time.After(200 * time.Millisecond):
			}
			return fmt.Errorf("stream: publish to %s: %w", spec, err)
		}
		return nil
	}
	if err := write(hf); err != nil {
		return err
	}
	var buf []byte
	next := int64(-1)
	for {
		c, err := src.Next(ctx)
		if err == io.EOF {
			return write(appendEnd(buf[:0]))
		}
		if err != nil {
			p.sendError("publisher's source failed: "+err.Error(), time.Second)
			return fmt.Errorf("stream: publish to %s: %w", spec, err)
		}
		if err := CheckChunk(&c, len(h.Channels), next); err != nil {
			p.sendError("publisher's source failed: "+err.Error(), time.Second)
			return fmt.Errorf("stream: publish to %s: source: %w", spec, err)
		}
		next = c.Start + int64(c.Len())
		buf = AppendChunk(buf[:0], c, opt.Format)
		if err := write(buf); err != nil {
			return err
		}
	}
}

// AcceptOptions tune Accept.
type AcceptOptions struct {
	// HelloTimeout drops a connection that has not sent its hello and
	// header within it (default 5 s).
	HelloTimeout time.Duration
	// MaxFrame caps a frame's payload (DefaultMaxFrame if 0).
	MaxFrame int
	// Logf reports dropped connections (default: discarded).
	Logf func(format string, args ...any)
}

// Accept waits on ln for a publisher (a program calling Publish) and
// returns its stream as a Source. Connections that are not publishers, or
// that send garbage or nothing, are dropped with a logged reason (and an
// error frame when the framing allows) and Accept goes on waiting. It does
// not close ln; closing the returned Source closes only the publisher's
// connection.
func Accept(ctx context.Context, ln net.Listener, opt AcceptOptions) (Source, error) {
	if opt.HelloTimeout <= 0 {
		opt.HelloTimeout = 5 * time.Second
	}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	dl, canDeadline := ln.(interface{ SetDeadline(time.Time) error })
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Handshakes run side by side, so that a silent connection does not
	// hold up the publisher behind it; the first publisher wins.
	won := make(chan *Client, 1)
	acceptErr := make(chan error, 1)
	var wg sync.WaitGroup
	handshake := func(c net.Conn) {
		defer wg.Done()
		stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
		p, role, _, err := serverHandshake(c, opt.HelloTimeout)
		if err == nil && role != rolePublish {
			err = fmt.Errorf("%w: a subscriber, but this end only receives a publisher", ErrFrame)
		}
		if err == nil {
			c.SetReadDeadline(time.Now().Add(opt.HelloTimeout))
			cl := newClient(p, opt.MaxFrame)
			cl.accepted = true
			cl.hdr, err = cl.dec.ReadHeader()
			if stop() && err == nil {
				c.SetReadDeadline(time.Time{})
				select {
				case won <- cl:
					return
				default:
					err = errors.New("another publisher is already connected")
				}
			} else if err == nil {
				err = ctx.Err()
			}
		}
		stop()
		logf("stream: dropped %s: %v", p.name, err)
		p.sendError(err.Error(), 100*time.Millisecond)
		p.close()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				acceptErr <- err
				return
			}
			if ctx.Err() != nil {
				c.Close()
				return
			}
			wg.Add(1)
			go handshake(c)
		}
	}()
	var (
		src Source
		err error
	)
	select {
	case cl := <-won:
		src = cl
	case err = <-acceptErr:
		err = fmt.Errorf("stream: accept: %w", err)
	case <-ctx.Done():
		err = ctx.Err()
	}
	cancel()
	// Unblock the accept loop; without deadlines it ends when the caller
	// closes ln (and drops what it accepts in between).
	if canDeadline {
		dl.SetDeadline(time.Unix(1, 0))
		wg.Wait()
		dl.SetDeadline(time.Time{})
		select {
		case cl := <-won: // a publisher that came in as Accept gave up
			cl.Close()
		default:
		}
	}
	return src, err
}

// Open returns the Source described by spec:
//
//	replay:FILE[?speed=N&loop=1&chunk=SAMPLES]  a recording replayed (see NewReplay)
//	tcp://HOST:PORT[?format=float32&idle=10s]   a bcikit server's stream (see Dial)
//	ws://HOST:PORT/PATH[?format=...&idle=...]   the same over WebSocket
//	listen://HOST:PORT                           the first publisher to connect (see Accept)
//
// For a replay, speed is a factor of real time (default 1; "max" for no
// waiting). A "?" in a file name can be written as %3F after "replay:".
// For tcp and ws, format asks for float32 or float64 samples and idle sets
// DialOptions.IdleTimeout; other query parameters of a ws spec stay in the
// request path.
func Open(spec string) (Source, error) {
	scheme, rest, ok := strings.Cut(spec, ":")
	if !ok {
		return nil, fmt.Errorf("%w: %q has no scheme (replay:, tcp://, ws://, listen://)", ErrSpec, spec)
	}
	switch scheme {
	case "replay":
		return openReplaySpec(rest)
	case "tcp", "ws":
		spec, opt, err := dialSpec(spec)
		if err != nil {
			return nil, err
		}
		return Dial(context.Background(), spec, opt)
	case "listen":
		addr, ok := strings.CutPrefix(rest, "//")
		if !ok || addr == "" {
			return nil, fmt.Errorf("%w: %q: want listen://HOST:PORT", ErrSpec, spec)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("stream: %w", err)
		}
		src, err := Accept(context.Background(), ln, AcceptOptions{})
		ln.Close()
		return src, err
	}
	return nil, fmt.Errorf("%w: %q: unknown scheme %q (replay:, tcp://, ws://, listen://)", ErrSpec, spec, scheme)
}

// dialSpec takes Open's options (format, idle) out of a tcp:// or ws://
// spec.
func dialSpec(spec string) (string, DialOptions, error) {
	var opt DialOptions
	u, err := url.Parse(spec)
	if err != nil {
		return "", opt, fmt.Errorf("%w: %q: %v", ErrSpec, spec, err)
	}
	q := u.Query()
	if v, ok := q["format"]; ok {
		switch v[0] {
		case "float32":
			opt.Format = Float32
		case "float64":
			opt.Format = Float64
		default:
			return "", opt, fmt.Errorf("%w: %q: format %q, want float32 or float64", ErrSpec, spec, v[0])
		}
		q.Del("format")
	}
	if v, ok := q["idle"]; ok {
		d, err := time.ParseDuration(v[0])
		if err != nil || d <= 0 {
			return "", opt, fmt.Errorf("%w: %q: idle %q is not a positive duration (e.g. 10s)", ErrSpec, spec, v[0])
		}
		opt.IdleTimeout = d
		q.Del("idle")
	}
	if u.Scheme == "tcp" && len(q) > 0 {
		return "", opt, fmt.Errorf("%w: %q: unknown option in %q (format, idle)", ErrSpec, spec, q.Encode())
	}
	u.RawQuery = q.Encode()
	return u.String(), opt, nil
}
