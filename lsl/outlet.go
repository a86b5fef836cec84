package lsl

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OutletOptions tune an outlet.
type OutletOptions struct {
	// Config gives the ports, discovery addresses and session id
	// (default: LoadConfig, as liblsl reads lsl_api.cfg).
	Config *Config
	// MaxBuffered is how many seconds of samples (or, for an irregular
	// stream, hundreds of samples, as liblsl counts) are kept for a
	// consumer that falls behind before its oldest are dropped (default
	// 360). A consumer may ask for less (its Max-Buffer-Length).
	MaxBuffered float64
	// Logf reports consumers that connect, fail or are dropped (default:
	// discarded).
	Logf func(format string, args ...any)
}

// An Outlet publishes a stream: it answers discovery queries (on the
// multicast/broadcast addresses of the configured scope and on its UDP
// service port), time probes, and serves the samples pushed to it to every
// consumer (inlet) connected over TCP with data protocol 1.10.
type Outlet struct {
	info    StreamInfo
	cfg     Config
	short   []byte
	full    []byte
	doc     *Element
	maxBuf  int // samples
	logf    func(string, ...any)
	tcp     []net.Listener
	udp     []*net.UDPConn // service ports (answer time probes)
	mcast   []*net.UDPConn // discovery responders
	wg      sync.WaitGroup
	pushMu  sync.Mutex // serialises pushes (enc, lastPush)
	enc     []byte
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	cons    map[*consumer]struct{}
	joined  chan struct{} // closed and replaced when a consumer joins
	closed  bool
	queries sync.Map // query string → bool (liblsl caches query results too)
}

// NewOutlet opens an outlet for info: it binds a TCP data port and a UDP
// service port in the configured range (IPv4 and, if allowed, IPv6), the
// discovery responders, and fills in info's uid, created_at, session id,
// hostname, version and ports. Name, ChannelCount, Format and
// NominalSrate come from the caller (info.Validate must pass).
func NewOutlet(info StreamInfo, opt OutletOptions) (*Outlet, error) {
	if err := info.Validate(); err != nil {
		return nil, err
	}
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
	o := &Outlet{cfg: cfg, logf: opt.Logf, conns: map[net.Conn]struct{}{}, cons: map[*consumer]struct{}{}, joined: make(chan struct{})}
	if o.logf == nil {
		o.logf = func(string, ...any) {}
	}
	maxBuf := opt.MaxBuffered
	if maxBuf <= 0 {
		maxBuf = 360
	}
	o.maxBuf = bufSamples(maxBuf, info.NominalSrate)
	info.Version = ProtocolVersion
	info.CreatedAt = LocalClock()
	info.UID = newUUID()
	info.SessionID = cfg.SessionID
	info.Hostname, _ = os.Hostname()
	info.V4Address, info.V6Address = "", ""
	info.V4DataPort, info.V4ServicePort, info.V6DataPort, info.V6ServicePort = 0, 0, 0, 0
	if err := o.listen(&info); err != nil {
		o.closeSockets()
		return nil, err
	}
	o.info = info
	o.short = info.ShortInfo()
	o.full = info.FullInfo()
	doc, err := parseXML(o.full)
	if err != nil {
		o.closeSockets()
		return nil, err
	}
	o.doc = doc
	for _, l := range o.tcp {
		o.wg.Add(1)
		go o.acceptLoop(l)
	}
	for _, c := range o.udp {
		o.wg.Add(1)
		go o.udpLoop(c, true)
	}
	for _, c := range o.mcast {
		o.wg.Add(1)
		go o.udpLoop(c, false)
	}
	return o, nil
}

// bufSamples converts a buffer length in seconds into samples as liblsl
// does (irregular streams: 100 samples per "second").
func bufSamples(secs, rate float64) int {
	n := secs * 100
	if rate > 0 {
		n = secs * rate
	}
	return int(max(1, min(n, 1<<30)))
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// listen binds the data and service ports and the discovery responders.
func (o *Outlet) listen(info *StreamInfo) error {
	cfg := o.cfg
	ports := make([]int, 0, cfg.PortRange+1)
	for p := cfg.BasePort; p < cfg.BasePort+cfg.PortRange; p++ {
		ports = append(ports, p)
	}
	if cfg.AllowRandomPorts {
		ports = append(ports, 0)
	}
	type proto struct {
		on         bool
		tcp, udp   string
		data, serv *int
	}
	for _, p := range []proto{{cfg.IPv4, "tcp4", "udp4", &info.V4DataPort, &info.V4ServicePort}, {cfg.IPv6, "tcp6", "udp6", &info.V6DataPort, &info.V6ServicePort}} {
		if !p.on {
			continue
		}
		var err error
		for _, port := range ports {
			var l net.Listener
			if l, err = net.Listen(p.tcp, ":"+strconv.Itoa(port)); err == nil {
				o.tcp = append(o.tcp, l)
				*p.data = l.Addr().(*net.TCPAddr).Port
				break
			}
		}
		if *p.data == 0 {
			if p.tcp == "tcp6" && cfg.IPv4 {
				o.logf("lsl: outlet %q: no IPv6 data port (%v): IPv4 only", info.Name, err)
				continue
			}
			return fmt.Errorf("lsl: outlet %q: no free %s port in %d-%d: %w", info.Name, p.tcp, cfg.BasePort, cfg.BasePort+cfg.PortRange-1, err)
		}
		for _, port := range ports {
			var c *net.UDPConn
			if c, err = net.ListenUDP(p.udp, &net.UDPAddr{Port: port}); err == nil {
				o.udp = append(o.udp, c)
				*p.serv = c.LocalAddr().(*net.UDPAddr).Port
				break
			}
		}
		if *p.serv == 0 {
			return fmt.Errorf("lsl: outlet %q: no free %s port in %d-%d: %w", info.Name, p.udp, cfg.BasePort, cfg.BasePort+cfg.PortRange-1, err)
		}
	}
	// Discovery responders: a socket bound to the discovery port on any
	// address (for broadcast and the machine address), and one per
	// multicast group.
	lc := net.ListenConfig{Control: reuseAddr}
	anyDone := map[bool]bool{}
	for _, a := range cfg.MulticastAddresses {
		if a.Is4() && !cfg.IPv4 || a.Is6() && !cfg.IPv6 {
			continue
		}
		port := strconv.Itoa(cfg.MulticastPort)
		if !a.IsMulticast() {
			if anyDone[a.Is4()] {
				continue
			}
			anyDone[a.Is4()] = true
			network, addr := "udp4", ":"+port
			if a.Is6() {
				network = "udp6"
			}
			if cfg.ListenAddress != "" {
				addr = net.JoinHostPort(cfg.ListenAddress, port)
			}
			pc, err := lc.ListenPacket(context.Background(), network, addr)
			if err != nil {
				o.logf("lsl: outlet %q: discovery responder on %s: %v", info.Name, addr, err)
				continue
			}
			o.mcast = append(o.mcast, pc.(*net.UDPConn))
			continue
		}
		network := "udp4"
		if a.Is6() {
			network = "udp6"
		}
		// Join the group on every multicast interface, as liblsl does (the
		// system's choice if there is none).
		group := net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, uint16(cfg.MulticastPort)))
		var errs []string
		joined := false
		for _, ifi := range multicastInterfaces(a.Is4()) {
			c, err := net.ListenMulticastUDP(network, ifi, group)
			if err != nil {
				name := "default"
				if ifi != nil {
					name = ifi.Name
				}
				errs = append(errs, name+": "+err.Error())
				continue
			}
			joined = true
			o.mcast = append(o.mcast, c)
		}
		if !joined {
			o.logf("lsl: outlet %q: no discovery responder on %s: %s", info.Name, a, strings.Join(errs, "; "))
		}
	}
	return nil
}

// multicastInterfaces returns the interfaces that are up, do multicast and
// have an address of the family (nil, the system's choice, if none).
func multicastInterfaces(v4 bool) []*net.Interface {
	ifs, err := net.Interfaces()
	var out []*net.Interface
	for i := range ifs {
		ifi := &ifs[i]
		if err != nil || ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagMulticast == 0 {
			continue
		}
		addrs, _ := ifi.Addrs()
		for _, ad := range addrs {
			if ipn, ok := ad.(*net.IPNet); ok && (ipn.IP.To4() != nil) == v4 {
				out = append(out, ifi)
				break
			}
		}
	}
	if len(out) == 0 {
		return []*net.Interface{nil}
	}
	return out
}

// Info returns the outlet's stream info, uid and ports filled in.
func (o *Outlet) Info() StreamInfo { return o.info }

// Consumers returns the number of inlets receiving the stream.
func (o *Outlet) Consumers() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.cons)
}

// WaitForConsumers waits until at least n inlets receive the stream.
func (o *Outlet) WaitForConsumers(ctx context.Context, n int) error {
	for {
		o.mu.Lock()
		have, ch, closed := len(o.cons), o.joined, o.closed
		o.mu.Unlock()
		if closed {
			return ErrClosed
		}
		if have >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// PushSample sends one sample of numeric values (one per channel, converted
// to the stream's format) stamped ts on the local clock (0: LocalClock()).
func (o *Outlet) PushSample(vals []float64, ts float64) error {
	if o.info.Format == String {
		return fmt.Errorf("lsl: outlet %q: PushSample on a string stream (use PushStrings)", o.info.Name)
	}
	if len(vals) != o.info.ChannelCount {
		return fmt.Errorf("lsl: outlet %q: sample of %d values for %d channels", o.info.Name, len(vals), o.info.ChannelCount)
	}
	if ts == 0 {
		ts = LocalClock()
	}
	o.pushMu.Lock()
	defer o.pushMu.Unlock()
	o.enc = appendSample(o.enc[:0], o.info.Format, ts, vals, nil)
	return o.send(o.enc, 1)
}

// PushStrings sends one sample of a String stream stamped ts (0: now).
func (o *Outlet) PushStrings(vals []string, ts float64) error {
	if o.info.Format != String {
		return fmt.Errorf("lsl: outlet %q: PushStrings on a %s stream", o.info.Name, o.info.Format)
	}
	if len(vals) != o.info.ChannelCount {
		return fmt.Errorf("lsl: outlet %q: sample of %d values for %d channels", o.info.Name, len(vals), o.info.ChannelCount)
	}
	if ts == 0 {
		ts = LocalClock()
	}
	o.pushMu.Lock()
	defer o.pushMu.Unlock()
	o.enc = appendSample(o.enc[:0], String, ts, nil, vals)
	return o.send(o.enc, 1)
}

// PushChunk sends the samples of data, data[channel][sample], whose last
// sample was taken at ts on the local clock (0: LocalClock()). As liblsl's
// push_chunk does, the first sample carries its timestamp, ts - (n-1)/rate,
// and the others are deduced from it by the receivers; on an irregular
// stream every sample is stamped ts.
func (o *Outlet) PushChunk(data [][]float64, ts float64) error {
	if o.info.Format == String {
		return fmt.Errorf("lsl: outlet %q: PushChunk on a string stream", o.info.Name)
	}
	if len(data) != o.info.ChannelCount {
		return fmt.Errorf("lsl: outlet %q: chunk of %d channels for %d", o.info.Name, len(data), o.info.ChannelCount)
	}
	n := len(data[0])
	for _, d := range data {
		if len(d) != n {
			return fmt.Errorf("lsl: outlet %q: chunk channels of different lengths", o.info.Name)
		}
	}
	if n == 0 {
		return nil
	}
	if ts == 0 {
		ts = LocalClock()
	}
	rate := o.info.NominalSrate
	if rate > 0 {
		ts -= float64(n-1) / rate
	}
	o.pushMu.Lock()
	defer o.pushMu.Unlock()
	f := o.info.Format
	b := o.enc[:0] // reused: a consumer that must queue it takes a copy
	for s := range n {
		t := ts
		if s > 0 {
			t = Deduced
			if rate == 0 {
				t = ts
			}
		}
		if t == Deduced {
			b = append(b, tagDeduced)
		} else {
			b = append(b, tagTransmitted)
			b = appendFloat64(b, t)
		}
		for _, d := range data {
			b = appendValue(b, f, d[s])
		}
	}
	o.enc = b
	return o.send(b, n)
}

// PushChunkTimes sends the samples of data, data[channel][sample], each
// stamped with its own time on the local clock (times[sample]).
func (o *Outlet) PushChunkTimes(data [][]float64, times []float64) error {
	if o.info.Format == String {
		return fmt.Errorf("lsl: outlet %q: PushChunkTimes on a string stream", o.info.Name)
	}
	if len(data) != o.info.ChannelCount {
		return fmt.Errorf("lsl: outlet %q: chunk of %d channels for %d", o.info.Name, len(data), o.info.ChannelCount)
	}
	n := len(times)
	for _, d := range data {
		if len(d) != n {
			return fmt.Errorf("lsl: outlet %q: chunk channels of other lengths than its %d timestamps", o.info.Name, n)
		}
	}
	if n == 0 {
		return nil
	}
	o.pushMu.Lock()
	defer o.pushMu.Unlock()
	f := o.info.Format
	b := o.enc[:0]
	for s, t := range times {
		b = append(b, tagTransmitted)
		b = appendFloat64(b, t)
		for _, d := range data {
			b = appendValue(b, f, d[s])
		}
	}
	o.enc = b
	return o.send(b, n)
}

func appendFloat64(b []byte, v float64) []byte {
	u := math.Float64bits(v)
	return append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24), byte(u>>32), byte(u>>40), byte(u>>48), byte(u>>56))
}

// send gives b (n samples, reused by the caller after it returns) to every
// consumer: written at once where possible, else copied into its queue.
func (o *Outlet) send(b []byte, n int) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return ErrClosed
	}
	for c := range o.cons {
		c.push(b, n)
	}
	return nil
}

// Close stops the outlet: consumers see their connection close, and the
// ports are released.
func (o *Outlet) Close() error {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return nil
	}
	o.closed = true
	for c := range o.cons {
		c.stop()
	}
	for c := range o.conns {
		c.Close()
	}
	close(o.joined)
	o.mu.Unlock()
	o.closeSockets()
	o.wg.Wait()
	return nil
}

func (o *Outlet) closeSockets() {
	for _, l := range o.tcp {
		l.Close()
	}
	for _, c := range o.udp {
		c.Close()
	}
	for _, c := range o.mcast {
		c.Close()
	}
}

// matches evaluates a query on the outlet's info, caching the answer.
func (o *Outlet) matches(query string) bool {
	query = strings.TrimSpace(query)
	if query == "" {
		return true
	}
	if v, ok := o.queries.Load(query); ok {
		return v.(bool)
	}
	q, err := CompileQuery(query)
	ok := err == nil && q.Matches(o.doc)
	if err != nil {
		o.logf("lsl: outlet %q: query %q: %v", o.info.Name, query, err)
	}
	o.queries.Store(query, ok)
	return ok
}

// udpLoop answers discovery queries ("LSL:shortinfo") and, on a service
// port, time probes ("LSL:timedata"), as liblsl's udp_server.
func (o *Outlet) udpLoop(c *net.UDPConn, timeService bool) {
	defer o.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		t1 := LocalClock()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		method, rest, _ := strings.Cut(string(buf[:n]), "\n")
		switch strings.TrimSpace(method) {
		case "LSL:shortinfo":
			query, rest, _ := strings.Cut(rest, "\n")
			f := strings.Fields(rest)
			if len(f) < 2 {
				o.logf("lsl: outlet %q: shortinfo request from %v without return port and query id", o.info.Name, from)
				continue
			}
			port, err := strconv.ParseUint(f[0], 10, 16)
			if err != nil || port == 0 {
				o.logf("lsl: outlet %q: shortinfo request from %v: bad return port %q", o.info.Name, from, f[0])
				continue
			}
			if !o.matches(query) {
				continue
			}
			reply := make([]byte, 0, len(f[1])+2+len(o.short))
			reply = append(append(append(reply, f[1]...), "\r\n"...), o.short...)
			c.WriteToUDPAddrPort(reply, netip.AddrPortFrom(from.Addr(), uint16(port)))
		case "LSL:timedata":
			if !timeService {
				continue
			}
			f := strings.Fields(rest)
			if len(f) < 2 {
				continue
			}
			wave, err1 := strconv.Atoi(f[0])
			t0, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil {
				continue
			}
			reply := fmt.Sprintf(" %d %s %s %s", wave, fmtG16(t0), fmtG16(t1), fmtG16(LocalClock()))
			c.WriteToUDPAddrPort([]byte(reply), from)
		}
	}
}

// fmtG16 formats v as C++ streams with precision 16 do ("%.16g").
func fmtG16(v float64) string { return strconv.FormatFloat(v, 'g', 16, 64) }

func (o *Outlet) acceptLoop(l net.Listener) {
	defer o.wg.Done()
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		o.mu.Lock()
		if o.closed {
			o.mu.Unlock()
			conn.Close()
			return
		}
		o.conns[conn] = struct{}{}
		o.mu.Unlock()
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			err := o.session(conn)
			if err != nil {
				o.logf("lsl: outlet %q: %v: %v", o.info.Name, conn.RemoteAddr(), err)
			}
			o.mu.Lock()
			delete(o.conns, conn)
			o.mu.Unlock()
			conn.Close()
		}()
	}
}

// maxLine caps a request or header line; maxHeaders the header lines.
const (
	maxLine    = 16384
	maxHeaders = 128
)

// readLine reads a line ending in "\n" of at most maxLine bytes and returns
// it without the line end.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		frag, err := r.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > maxLine {
			return "", fmt.Errorf("%w: line over %d bytes", ErrProtocol, maxLine)
		}
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			return "", eofUnexpected(err)
		}
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// session serves one TCP connection (liblsl's tcp_server client_session).
func (o *Outlet) session(conn net.Conn) error {
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	method, err := readLine(br)
	if err != nil {
		return fmt.Errorf("request line: %w", err)
	}
	method = strings.TrimSpace(method)
	switch {
	case method == "LSL:shortinfo":
		q, err := readLine(br)
		if err != nil {
			return fmt.Errorf("shortinfo query: %w", err)
		}
		if o.matches(q) {
			_, err = conn.Write(o.short)
		}
		return err
	case method == "LSL:fullinfo":
		_, err := conn.Write(o.full)
		return err
	case method == "LSL:streamfeed":
		return fmt.Errorf("%w: data protocol 1.00 (boost archives) is not supported; use liblsl ≥ 1.10", ErrProtocol)
	case strings.HasPrefix(method, "LSL:streamfeed/"):
		return o.feed(conn, br, method)
	}
	return fmt.Errorf("%w: unknown request %q", ErrProtocol, method)
}

// feed negotiates a streamfeed request and then streams samples.
func (o *Outlet) feed(conn net.Conn, br *bufio.Reader, method string) error {
	parts := strings.Fields(method)
	ver, err := strconv.Atoi(strings.TrimPrefix(parts[0], "LSL:streamfeed/"))
	if err != nil {
		return fmt.Errorf("%w: request %q: bad version", ErrProtocol, method)
	}
	uid := ""
	if len(parts) > 1 {
		uid = parts[1]
	}
	// Headers, up to the empty line.
	valueSize := o.info.Format.Size()
	// liblsl's defaults for headers left out (tcp_server.cpp): the
	// client's byte order little-endian, subnormals supported, the value
	// size the info's (sizeof(std::string) for strings), and no buffer,
	// which ends the session after the test patterns.
	ieee, maxBuf, order, subnormals := true, 0, 1234, true
	if o.info.Format == String {
		valueSize = 32
	}
	for i := 0; ; i++ {
		if i > maxHeaders {
			return fmt.Errorf("%w: over %d header lines", ErrProtocol, maxHeaders)
		}
		line, err := readLine(br)
		if err != nil {
			return fmt.Errorf("feed headers: %w", err)
		}
		if strings.TrimSpace(line) == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if i := strings.IndexByte(v, ';'); i >= 0 {
			v = v[:i]
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToLower(strings.TrimSpace(v))
		switch k {
		case "value-size":
			if n, err := strconv.Atoi(v); err == nil {
				valueSize = n
			}
		case "has-ieee754-floats":
			ieee = v != "0" && v != "false"
		case "supports-subnormals":
			subnormals = v != "0" && v != "false"
		case "native-byte-order":
			if n, err := strconv.Atoi(v); err == nil {
				order = n
			}
		case "max-buffer-length":
			if n, err := strconv.Atoi(v); err == nil {
				maxBuf = n
			}
		case "protocol-version":
			if n, err := strconv.Atoi(v); err == nil {
				ver = min(ver, n)
			}
		}
	}
	status := func(s string) error {
		_, err := io.WriteString(conn, "LSL/"+strconv.Itoa(ProtocolVersion)+" "+s+"\r\n")
		return err
	}
	if ver/100 > ProtocolVersion/100 {
		return status("505 Version not supported")
	}
	if uid != "" && uid != o.info.UID {
		return status("404 Not found")
	}
	if ver < 110 || (o.info.Format != String && valueSize != o.info.Format.Size()) || !ieee {
		// liblsl falls back to data protocol 1.00 here.
		status("505 Version not supported")
		return fmt.Errorf("%w: the consumer needs data protocol 1.00 (version %d, value size %d, IEEE floats %v), which is not supported", ErrProtocol, ver, valueSize, ieee)
	}
	// Values go in the client's byte order if it is big-endian (liblsl
	// converts when it is the faster party, and a client that sends no
	// Endian-Performance is the slower); the client zeroes subnormal floats
	// if it cannot handle them.
	swap := order == 4321 && valueSize > 1
	suppress := (o.info.Format == Float32 || o.info.Format == Double64) && !subnormals
	hdr := "LSL/110 200 OK\r\nUID: " + o.info.UID + "\r\nByte-Order: " + map[bool]string{false: "1234", true: "4321"}[swap] +
		"\r\nSuppress-Subnormals: " + map[bool]string{false: "0", true: "1"}[suppress] + "\r\nData-Protocol-Version: 110\r\n\r\n"
	var tp []byte
	for _, off := range []int{4, 2} {
		vals, strs := testPattern(o.info.Format, o.info.ChannelCount, off)
		tp = appendSample(tp, o.info.Format, testPatternTime, vals, strs)
	}
	if swap {
		tp = swapOrder(nil, tp, o.info.Format, o.info.ChannelCount)
	}
	b := append([]byte(hdr), tp...)
	conn.SetDeadline(time.Time{})
	if maxBuf <= 0 {
		// liblsl stops after the test patterns: a probe of the format.
		_, err := conn.Write(b)
		return err
	}
	c := &consumer{conn: conn, max: maxBuf, swap: swap, f: o.info.Format, nch: o.info.ChannelCount, wake: make(chan struct{}, 1), done: make(chan struct{})}
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return ErrClosed
	}
	o.cons[c] = struct{}{}
	close(o.joined)
	o.joined = make(chan struct{})
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		delete(o.cons, c)
		o.mu.Unlock()
	}()
	if _, err := conn.Write(b); err != nil {
		return err
	}
	// Notice a consumer that hangs up (liblsl inlets never send after the
	// request).
	go func() {
		io.Copy(io.Discard, br)
		c.stop()
	}()
	return c.run(conn)
}

// consumer is the queue of one connected inlet: chunks of encoded samples,
// the oldest dropped when more than max samples wait.
type consumer struct {
	conn    net.Conn
	mu      sync.Mutex
	q       [][]byte
	ns      []int
	n       int
	max     int
	dropped int
	partial bool // q[0] is the rest of a partly written chunk
	swap    bool // the consumer takes big-endian values
	f       ChannelFormat
	nch     int
	sw      []byte // swapped samples, reused
	writing bool   // a goroutine is writing to conn
	failed  bool
	wake    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// directWait bounds how long a push waits on a consumer's socket before
// leaving the rest to the consumer's writer goroutine.
const directWait = 2 * time.Millisecond

// push sends b (n samples, not kept: the caller reuses it) to the consumer. When nothing waits and no write
// is under way it writes at once from the pushing goroutine, sparing a
// goroutine hand-off on the way (the latency that matters on a loaded
// machine); what the socket does not take within directWait is queued for
// the writer goroutine, as is everything while a write is under way.
func (c *consumer) push(b []byte, n int) {
	c.mu.Lock()
	if c.failed {
		c.mu.Unlock()
		return
	}
	if c.swap {
		c.sw = swapOrder(c.sw[:0], b, c.f, c.nch)
		b = c.sw
	}
	if !c.writing && len(c.q) == 0 {
		c.writing = true
		c.mu.Unlock()
		c.conn.SetWriteDeadline(time.Now().Add(directWait))
		w, err := c.conn.Write(b)
		c.mu.Lock()
		c.writing = false
		if w == len(b) {
			c.mu.Unlock()
			return
		}
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			c.failed = true
			c.mu.Unlock()
			c.stop()
			return
		}
		b = b[w:]
		c.partial = w > 0
	}
	c.q = append(c.q, append([]byte(nil), b...)) // the caller reuses b
	c.ns = append(c.ns, n)
	c.n += n
	// Drop the oldest whole chunks (never the rest of a chunk under way,
	// never the newest) while too many samples wait.
	first := 0
	if c.partial {
		first = 1
	}
	for c.n > c.max && len(c.q) > first+1 {
		c.n -= c.ns[first]
		c.dropped += c.ns[first]
		c.q = append(c.q[:first], c.q[first+1:]...)
		c.ns = append(c.ns[:first], c.ns[first+1:]...)
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *consumer) stop() { c.once.Do(func() { close(c.done) }) }

// run writes what push queued until the consumer stops or its connection
// fails.
func (c *consumer) run(conn net.Conn) error {
	var bufs net.Buffers
	for {
		select {
		case <-c.done:
			return nil
		case <-c.wake:
		}
		c.mu.Lock()
		if c.writing || len(c.q) == 0 || c.failed {
			c.mu.Unlock()
			continue
		}
		bufs = append(bufs[:0], c.q...)
		clear(c.q)
		c.q, c.ns, c.n, c.partial, c.writing = c.q[:0], c.ns[:0], 0, false, true
		c.mu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
		_, err := bufs.WriteTo(conn)
		c.mu.Lock()
		c.writing = false
		more := len(c.q) > 0
		if err != nil {
			c.failed = true
		}
		c.mu.Unlock()
		if err != nil {
			return err
		}
		if more {
			select {
			case c.wake <- struct{}{}:
			default:
			}
		}
	}
}

// swapOrder appends to dst the samples of src (little-endian, as
// appendSample writes them) with every multi-byte field in big-endian
// order: timestamps, values, string lengths.
func swapOrder(dst, src []byte, f ChannelFormat, nch int) []byte {
	rev := func(b []byte) {
		for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
			b[i], b[j] = b[j], b[i]
		}
	}
	start := len(dst)
	dst = append(dst, src...)
	b := dst[start:]
	size := f.Size()
	for i := 0; i < len(b); {
		tag := b[i]
		i++
		if tag == tagTransmitted {
			rev(b[i : i+8])
			i += 8
		}
		for range nch {
			if f != String {
				rev(b[i : i+size])
				i += size
				continue
			}
			w := int(b[i])
			i++
			var n int
			switch w {
			case 1:
				n = int(b[i])
			case 4:
				n = int(binary.LittleEndian.Uint32(b[i:]))
			case 8:
				n = int(binary.LittleEndian.Uint64(b[i:]))
			}
			if w > 1 {
				rev(b[i : i+w])
			}
			i += w + n
		}
	}
	return dst
}
