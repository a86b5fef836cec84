package lsl

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// InletOptions tune an inlet.
type InletOptions struct {
	// Config gives the time-probe settings and discovery used to find a
	// restarted outlet (default: LoadConfig).
	Config *Config
	// MaxBuffered is how many seconds of samples the outlet keeps for this
	// inlet when it falls behind (its Max-Buffer-Length; default 360).
	MaxBuffered float64
	// MaxChunk caps the samples of one Chunk (default 1024).
	MaxChunk int
	// NoRecover makes the inlet stop with an error wrapping ErrLost when
	// the connection breaks, instead of reconnecting (and, if the outlet
	// restarted, finding it again by its source id, or by name, type and
	// host).
	NoRecover bool
	// Timeout bounds each connection attempt (default 5 s).
	Timeout time.Duration
	// Logf reports reconnections (default: discarded).
	Logf func(format string, args ...any)
}

// Chunk is a block of consecutive samples of an inlet.
type Chunk struct {
	// Timestamps are the samples' times on the outlet's clock (deduced
	// ones filled in); add TimeCorrection to get the local clock.
	Timestamps []float64
	// Data holds numeric samples, Data[channel][sample].
	Data [][]float64
	// Strings holds the samples of a String stream, Strings[sample][channel].
	Strings [][]string
	// Reconnected reports that samples may be missing before this chunk:
	// the connection broke and was made again.
	Reconnected bool
}

// Len returns the number of samples in c.
func (c *Chunk) Len() int { return len(c.Timestamps) }

func (c *Chunk) reset(nch int, str bool) {
	c.Timestamps = c.Timestamps[:0]
	c.Reconnected = false
	if str {
		c.Strings = c.Strings[:0]
		return
	}
	if len(c.Data) != nch {
		c.Data = make([][]float64, nch)
	}
	for i := range c.Data {
		c.Data[i] = c.Data[i][:0]
	}
}

// An Inlet receives a stream from an outlet over TCP (data protocol 1.10)
// and estimates the offset between the outlet's clock and the local one
// (LSL:timedata probes to the outlet's service port).
type Inlet struct {
	info   StreamInfo // full info of the current outlet
	opt    InletOptions
	cfg    Config
	logf   func(string, ...any)
	ctx    context.Context
	cancel context.CancelFunc
	c      chan *Chunk
	free   chan *Chunk
	done   chan struct{}
	err    error // final error, set before c is closed
	last   *Chunk

	mu       sync.Mutex
	conn     net.Conn
	offset   float64 // local - remote
	rtt      float64
	haveOff  chan struct{}
	offOnce  sync.Once
	tcStart  sync.Once
	addrGen  int // incremented when the outlet's address changes
	lastRecv time.Time
}

// OpenInlet connects to the outlet that info describes (a Resolve result):
// it reads the full info (desc included), negotiates the stream feed and
// checks the outlet's test-pattern samples, then receives samples in the
// background until Close. The inlet's Info has the outlet's desc.
func OpenInlet(ctx context.Context, info StreamInfo, opt InletOptions) (*Inlet, error) {
	var cfg Config
	if opt.Config != nil {
		cfg = *opt.Config
	} else {
		c, err := LoadConfig()
		if err != nil {
			return nil, err
		}
		cfg = c
	}
	if opt.MaxBuffered <= 0 {
		opt.MaxBuffered = 360
	}
	if opt.MaxChunk <= 0 {
		opt.MaxChunk = 1024
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Second
	}
	in := &Inlet{opt: opt, cfg: cfg, logf: opt.Logf, c: make(chan *Chunk, 64), free: make(chan *Chunk, 66),
		done: make(chan struct{}), haveOff: make(chan struct{})}
	if in.logf == nil {
		in.logf = func(string, ...any) {}
	}
	full, err := in.fullInfo(ctx, info)
	if err != nil {
		return nil, err
	}
	in.info = full
	conn, br, dec, err := in.openFeed(ctx, full)
	if err != nil {
		return nil, err
	}
	in.conn = conn
	in.ctx, in.cancel = context.WithCancel(context.Background())
	go in.receive(conn, br, dec)
	return in, nil
}

// Info returns the stream's full info (with the outlet's address).
func (in *Inlet) Info() StreamInfo {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.info
}

// C returns the channel on which the inlet delivers chunks. It is closed
// when the inlet stops: Err then says why. A received chunk may be given
// back with Recycle once read.
func (in *Inlet) C() <-chan *Chunk { return in.c }

// Recycle gives back a chunk from C for reuse.
func (in *Inlet) Recycle(c *Chunk) {
	select {
	case in.free <- c:
	default:
	}
}

// Err returns why the inlet stopped (nil while it runs or after Close).
func (in *Inlet) Err() error {
	select {
	case <-in.done:
		return in.err
	default:
		return nil
	}
}

// Pull waits for the next chunk and returns it; it stays valid until the
// next call of Pull. After the inlet stopped it returns Err (ErrClosed
// after Close).
func (in *Inlet) Pull(ctx context.Context) (*Chunk, error) {
	if in.last != nil {
		in.Recycle(in.last)
		in.last = nil
	}
	select {
	case c, ok := <-in.c:
		if !ok {
			if err := in.Err(); err != nil {
				return nil, err
			}
			return nil, ErrClosed
		}
		in.last = c
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close stops the inlet and closes its connection.
func (in *Inlet) Close() error {
	in.cancel()
	in.mu.Lock()
	if in.conn != nil {
		in.conn.Close()
	}
	in.mu.Unlock()
	<-in.done
	return nil
}

func dataAddr(info StreamInfo, cfg Config, service bool) (string, error) {
	p4, p6 := info.V4DataPort, info.V6DataPort
	if service {
		p4, p6 = info.V4ServicePort, info.V6ServicePort
	}
	if cfg.IPv4 && info.V4Address != "" && p4 > 0 {
		return net.JoinHostPort(info.V4Address, strconv.Itoa(p4)), nil
	}
	if cfg.IPv6 && info.V6Address != "" && p6 > 0 {
		return net.JoinHostPort(info.V6Address, strconv.Itoa(p6)), nil
	}
	return "", fmt.Errorf("%w: stream %q has no address (resolve it first)", ErrInfo, info.Name)
}

// fullInfo asks the outlet for its full info ("LSL:fullinfo") and keeps
// the address that info was resolved at.
func (in *Inlet) fullInfo(ctx context.Context, info StreamInfo) (StreamInfo, error) {
	addr, err := dataAddr(info, in.cfg, false)
	if err != nil {
		return info, err
	}
	d := net.Dialer{Timeout: in.opt.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return info, fmt.Errorf("lsl: stream %q at %s: %w", info.Name, addr, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(in.opt.Timeout))
	if _, err := io.WriteString(conn, "LSL:fullinfo\r\n"); err != nil {
		return info, err
	}
	b, err := io.ReadAll(io.LimitReader(conn, MaxInfo+1))
	if err != nil {
		return info, fmt.Errorf("lsl: stream %q at %s: full info: %w", info.Name, addr, err)
	}
	full, err := ParseInfo(b)
	if err != nil {
		return info, fmt.Errorf("lsl: stream %q at %s: full info: %w", info.Name, addr, err)
	}
	full.V4Address, full.V6Address = info.V4Address, info.V6Address
	return full, nil
}

// openFeed connects and negotiates the stream feed (data protocol 1.10),
// checking the two test-pattern samples.
func (in *Inlet) openFeed(ctx context.Context, info StreamInfo) (net.Conn, *bufio.Reader, *decoder, error) {
	addr, err := dataAddr(info, in.cfg, false)
	if err != nil {
		return nil, nil, nil, err
	}
	d := net.Dialer{Timeout: in.opt.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("lsl: stream %q at %s: %w", info.Name, addr, err)
	}
	fail := func(err error) (net.Conn, *bufio.Reader, *decoder, error) {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("lsl: stream %q at %s: %w", info.Name, addr, err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	conn.SetDeadline(time.Now().Add(in.opt.Timeout))
	var req strings.Builder
	fmt.Fprintf(&req, "LSL:streamfeed/%d %s\r\n", ProtocolVersion, info.UID)
	fmt.Fprintf(&req, "Native-Byte-Order: 1234\r\nEndian-Performance: 0\r\nHas-IEEE754-Floats: 1\r\nSupports-Subnormals: 1\r\n")
	fmt.Fprintf(&req, "Value-Size: %d\r\nData-Protocol-Version: %d\r\n", info.Format.Size(), ProtocolVersion)
	fmt.Fprintf(&req, "Max-Buffer-Length: %d\r\nMax-Chunk-Length: 0\r\n", bufSamples(in.opt.MaxBuffered, info.NominalSrate))
	fmt.Fprintf(&req, "Hostname: %s\r\nSource-Id: %s\r\nSession-Id: %s\r\n\r\n", info.Hostname, info.SourceID, info.SessionID)
	if _, err := io.WriteString(conn, req.String()); err != nil {
		return fail(err)
	}
	br := bufio.NewReaderSize(conn, 64<<10)
	dec, err := readFeedHeader(br, info)
	if err != nil {
		return fail(err)
	}
	conn.SetDeadline(time.Time{})
	return conn, br, dec, nil
}

// readFeedHeader reads the outlet's response to a streamfeed request and
// its test-pattern samples (liblsl's data_receiver).
func readFeedHeader(br *bufio.Reader, info StreamInfo) (*decoder, error) {
	line, err := readLine(br)
	if err != nil {
		return nil, fmt.Errorf("feed response: %w", err)
	}
	parts := strings.Fields(line)
	if len(parts) < 3 || !strings.HasPrefix(parts[0], "LSL/") {
		return nil, fmt.Errorf("%w: malformed feed response %.80q", ErrProtocol, line)
	}
	code, err := strconv.Atoi(parts[1])
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: malformed feed response %.80q", ErrProtocol, line)
	case code == 404:
		return nil, fmt.Errorf("%w: the outlet no longer serves uid %s", ErrLost, info.UID)
	case code >= 300:
		return nil, fmt.Errorf("%w: the outlet answered %.80q", ErrProtocol, line)
	}
	dec := &decoder{f: info.Format, nch: info.ChannelCount, order: binary.LittleEndian}
	ver := 100
	for i := 0; ; i++ {
		if i > maxHeaders {
			return nil, fmt.Errorf("%w: over %d response header lines", ErrProtocol, maxHeaders)
		}
		h, err := readLine(br)
		if err != nil {
			return nil, fmt.Errorf("feed response headers: %w", err)
		}
		if strings.TrimSpace(h) == "" {
			break
		}
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			continue
		}
		if i := strings.IndexByte(v, ';'); i >= 0 {
			v = v[:i]
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "byte-order":
			switch v {
			case "1234", "0":
				dec.order = binary.LittleEndian
			case "4321":
				dec.order = binary.BigEndian
			default:
				return nil, fmt.Errorf("%w: byte order %q not supported", ErrProtocol, v)
			}
		case "suppress-subnormals":
			dec.suppress = v == "1" || strings.EqualFold(v, "true")
		case "uid":
			if v != info.UID {
				return nil, fmt.Errorf("%w: the outlet serves uid %s, not %s", ErrLost, v, info.UID)
			}
		case "data-protocol-version":
			if ver, err = strconv.Atoi(v); err != nil || ver > ProtocolVersion {
				return nil, fmt.Errorf("%w: data protocol version %q not supported", ErrProtocol, v)
			}
		}
	}
	if ver < 110 {
		return nil, fmt.Errorf("%w: the outlet offers data protocol %d only (1.00 is not supported)", ErrProtocol, ver)
	}
	vals := make([]float64, info.ChannelCount)
	strs := make([]string, info.ChannelCount)
	for _, off := range []int{4, 2} {
		ts, err := dec.readSample(br, vals, strs)
		if err != nil {
			return nil, fmt.Errorf("test pattern: %w", err)
		}
		wantV, wantS := testPattern(info.Format, info.ChannelCount, off)
		ok := ts == testPatternTime
		for k := range info.ChannelCount {
			if info.Format == String && strs[k] != wantS[k] || info.Format != String && vals[k] != wantV[k] {
				ok = false
			}
		}
		if !ok {
			return nil, fmt.Errorf("%w: the test-pattern samples do not match (another channel count or format than the info says?)", ErrProtocol)
		}
	}
	return dec, nil
}

// receive reads samples into chunks until Close or an unrecoverable error.
func (in *Inlet) receive(conn net.Conn, br *bufio.Reader, dec *decoder) {
	// done closes before c: whoever sees c closed finds err set.
	defer close(in.c)
	defer close(in.done)
	info := in.Info()
	vals := make([]float64, info.ChannelCount)
	strs := make([]string, info.ChannelCount)
	last := 0.0
	reconnected := false
	for {
		err := in.readChunks(br, dec, info, vals, strs, &last, &reconnected)
		if in.ctx.Err() != nil {
			return
		}
		if in.opt.NoRecover {
			in.err = fmt.Errorf("%w: stream %q: %v", ErrLost, info.Name, err)
			return
		}
		in.logf("lsl: stream %q: %v; reconnecting", info.Name, err)
		conn.Close()
		var rerr error
		conn, br, dec, info, rerr = in.recover(info)
		if rerr != nil {
			if in.ctx.Err() == nil {
				in.err = rerr
			}
			return
		}
		reconnected = true
	}
}

func (in *Inlet) readChunks(br *bufio.Reader, dec *decoder, info StreamInfo, vals []float64, strs []string, last *float64, reconnected *bool) error {
	nch, str := info.ChannelCount, info.Format == String
	rate := info.NominalSrate
	for {
		var c *Chunk
		select {
		case c = <-in.free:
		default:
			c = &Chunk{}
		}
		c.reset(nch, str)
		for c.Len() < in.opt.MaxChunk {
			ts, err := dec.readSample(br, vals, strs)
			if err != nil {
				if c.Len() > 0 {
					c.Reconnected = *reconnected
					*reconnected = false
					in.deliver(c)
				}
				return err
			}
			if ts == Deduced {
				ts = *last
				if rate > 0 {
					ts += 1 / rate
				}
			}
			*last = ts
			c.Timestamps = append(c.Timestamps, ts)
			if str {
				c.Strings = append(c.Strings, append([]string(nil), strs...))
			} else {
				for k, v := range vals {
					c.Data[k] = append(c.Data[k], v)
				}
			}
			if br.Buffered() == 0 {
				break
			}
		}
		c.Reconnected = *reconnected
		*reconnected = false
		if !in.deliver(c) {
			return ErrClosed
		}
	}
}

func (in *Inlet) deliver(c *Chunk) bool {
	select {
	case in.c <- c:
		return true
	case <-in.ctx.Done():
		return false
	}
}

// recover reconnects after a broken connection, as liblsl's
// inlet_connection does: the same outlet again, else a stream found by
// its source id (or name, type and host) with the same format.
func (in *Inlet) recover(old StreamInfo) (net.Conn, *bufio.Reader, *decoder, StreamInfo, error) {
	query := fmt.Sprintf("name=%s and type=%s and hostname=%s", xpathLit(old.Name), xpathLit(old.Type), xpathLit(old.Hostname))
	if old.SourceID != "" {
		query = "source_id=" + xpathLit(old.SourceID)
	}
	for attempt := 0; ; attempt++ {
		select {
		case <-in.ctx.Done():
			return nil, nil, nil, old, ErrClosed
		case <-time.After(500 * time.Millisecond):
		}
		if conn, br, dec, err := in.openFeed(in.ctx, old); err == nil {
			in.setConn(conn, old)
			in.logf("lsl: stream %q: reconnected", old.Name)
			return conn, br, dec, old, nil
		}
		found, err := Resolve(in.ctx, query, ResolveOptions{Config: &in.cfg, Minimum: 1, Timeout: time.Second})
		if err != nil || len(found) == 0 {
			continue
		}
		cand := found[len(found)-1] // the newest
		full, err := in.fullInfo(in.ctx, cand)
		if err != nil {
			continue
		}
		if full.ChannelCount != old.ChannelCount || full.Format != old.Format || full.NominalSrate != old.NominalSrate {
			return nil, nil, nil, old, fmt.Errorf("%w: stream %q came back with %d channels of %s at %g Hz (was %d of %s at %g Hz)",
				ErrFormatChanged, old.Name, full.ChannelCount, full.Format, full.NominalSrate, old.ChannelCount, old.Format, old.NominalSrate)
		}
		conn, br, dec, err := in.openFeed(in.ctx, full)
		if err != nil {
			continue
		}
		in.setConn(conn, full)
		in.logf("lsl: stream %q: found again (uid %s)", old.Name, full.UID)
		return conn, br, dec, full, nil
	}
}

func (in *Inlet) setConn(conn net.Conn, info StreamInfo) {
	in.mu.Lock()
	in.conn = conn
	if info.UID != in.info.UID {
		in.addrGen++
	}
	in.info = info
	in.mu.Unlock()
	if in.ctx.Err() != nil {
		conn.Close()
	}
}

func xpathLit(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

// TimeCorrection returns the number of seconds to add to the stream's
// timestamps to put them on the local clock (LocalClock), and the
// round-trip time of the probe it was estimated from. The first call starts
// the estimation (liblsl's time_receiver: TimeProbeCount "LSL:timedata"
// probes to the outlet's service port every TimeUpdateInterval, the offset
// of the probe with the shortest round trip kept, as NTP does) and waits
// for its first result.
func (in *Inlet) TimeCorrection(ctx context.Context) (offset, rtt float64, err error) {
	in.tcStart.Do(func() { go in.timeLoop() })
	select {
	case <-in.haveOff:
		in.mu.Lock()
		defer in.mu.Unlock()
		return in.offset, in.rtt, nil
	case <-in.done:
		if in.err != nil {
			return 0, 0, in.err
		}
		return 0, 0, ErrClosed
	case <-ctx.Done():
		return 0, 0, fmt.Errorf("lsl: stream %q: time correction: %w", in.info.Name, ctx.Err())
	}
}

// Offset returns the latest time correction without waiting (ok false if
// none yet). TimeCorrection must have been called once to start it.
func (in *Inlet) Offset() (offset float64, ok bool) {
	select {
	case <-in.haveOff:
		in.mu.Lock()
		defer in.mu.Unlock()
		return in.offset, true
	default:
		return 0, false
	}
}

func (in *Inlet) timeLoop() {
	cfg := in.cfg
	buf := make([]byte, 1024)
	var conn *net.UDPConn
	gen := -1
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		in.mu.Lock()
		info, g := in.info, in.addrGen
		in.mu.Unlock()
		if g != gen || conn == nil {
			if conn != nil {
				conn.Close()
				conn = nil
			}
			addr, err := dataAddr(info, cfg, true)
			if err == nil {
				ua, err2 := net.ResolveUDPAddr("udp", addr)
				if err2 == nil {
					conn, err = net.DialUDP("udp", nil, ua)
				} else {
					err = err2
				}
			}
			if err != nil {
				in.logf("lsl: stream %q: time service: %v", info.Name, err)
			}
			gen = g
		}
		if conn != nil {
			in.probe(conn, buf)
		}
		select {
		case <-in.ctx.Done():
			return
		case <-time.After(cfg.TimeUpdateInterval):
		}
	}
}

// probe sends one wave of time probes and updates the offset.
func (in *Inlet) probe(conn *net.UDPConn, buf []byte) {
	cfg := in.cfg
	wave := rand.IntN(math.MaxInt32)
	type est struct{ rtt, off float64 }
	var ests []est
	var mu sync.Mutex
	deadline := time.Now().Add(cfg.TimeProbeMaxRTT + time.Duration(cfg.TimeProbeCount)*cfg.TimeProbeInterval)
	conn.SetReadDeadline(deadline)
	recvDone := make(chan struct{})
	go func() {
		defer close(recvDone)
		for {
			n, err := conn.Read(buf)
			t3 := LocalClock()
			if err != nil {
				return
			}
			f := strings.Fields(string(buf[:n]))
			if len(f) < 4 {
				continue
			}
			if id, err := strconv.Atoi(f[0]); err != nil || id != wave {
				continue
			}
			var t [3]float64
			ok := true
			for i := range t {
				v, err := strconv.ParseFloat(f[i+1], 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					ok = false
				}
				t[i] = v
			}
			if !ok {
				continue
			}
			t0, t1, t2 := t[0], t[1], t[2]
			mu.Lock()
			ests = append(ests, est{rtt: (t3 - t0) - (t2 - t1), off: ((t1 - t0) + (t2 - t3)) / 2})
			mu.Unlock()
		}
	}()
	for k := 0; k < cfg.TimeProbeCount; k++ {
		msg := "LSL:timedata\r\n" + strconv.Itoa(wave) + " " + fmtG16(LocalClock()) + "\r\n"
		conn.Write([]byte(msg))
		select {
		case <-in.ctx.Done():
			conn.SetReadDeadline(time.Now())
			<-recvDone
			return
		case <-time.After(cfg.TimeProbeInterval):
		}
	}
	<-recvDone
	mu.Lock()
	defer mu.Unlock()
	if len(ests) < cfg.TimeUpdateMinProbes {
		return
	}
	best := ests[0]
	for _, e := range ests[1:] {
		if e.rtt < best.rtt {
			best = e
		}
	}
	in.mu.Lock()
	in.offset, in.rtt = -best.off, best.rtt
	in.mu.Unlock()
	in.offOnce.Do(func() { close(in.haveOff) })
}
