package lsl

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ResolveOptions tune Resolve.
type ResolveOptions struct {
	// Config gives the discovery addresses, port and known peers
	// (default: LoadConfig).
	Config *Config
	// Minimum makes Resolve return as soon as that many streams match
	// (0: wait for the whole Timeout and return what answered).
	Minimum int
	// Timeout bounds the resolve (default 1 s when Minimum is 0, else
	// until ctx ends).
	Timeout time.Duration
	// Interval is the time between two waves of queries (default 0.5 s,
	// liblsl's MulticastMinRTT).
	Interval time.Duration
	// Logf reports malformed replies (default: discarded).
	Logf func(format string, args ...any)
}

// Resolve finds the streams of the configured session (Config.SessionID)
// whose info matches query (see Query; "" for all) by sending liblsl's discovery query ("LSL:shortinfo") to the
// multicast and broadcast addresses of the configured scope, on the
// discovery port, and to every port of the outlet range on each known peer,
// in waves until enough streams answered. Each result's V4Address (or
// V6Address) is the address its reply came from. Replies that are not
// well-formed stream infos, carry another query id, or do not match the
// query are ignored. With Minimum > 0 it fails, wrapping ErrNotFound, if
// fewer streams answered in time.
func Resolve(ctx context.Context, query string, opt ResolveOptions) ([]StreamInfo, error) {
	if _, err := CompileQuery(query); err != nil {
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
	// Only the streams of our session, as liblsl's resolver_impl::build_query
	// asks (it appends the predicate without brackets; here it is bracketed,
	// so that a predicate with "or" stays within the session).
	full := "session_id=" + xpathLit(cfg.SessionID)
	if strings.TrimSpace(query) != "" {
		full += " and (" + query + ")"
	}
	q, err := CompileQuery(full)
	if err != nil {
		return nil, err
	}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	timeout := opt.Timeout
	if timeout == 0 && opt.Minimum == 0 {
		timeout = time.Second
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	interval := opt.Interval
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	var id [8]byte
	rand.Read(id[:])
	qid := strconv.FormatUint(binary.LittleEndian.Uint64(id[:])>>1, 10)

	// One socket per protocol: queries go out of it and replies come back
	// to its port.
	type sock struct {
		c       *net.UDPConn
		targets []netip.AddrPort
		v6      bool
	}
	var socks []*sock
	for _, v6 := range []bool{false, true} {
		if v6 && !cfg.IPv6 || !v6 && !cfg.IPv4 {
			continue
		}
		network := "udp4"
		if v6 {
			network = "udp6"
		}
		c, err := net.ListenUDP(network, nil)
		if err != nil {
			if v6 && cfg.IPv4 {
				continue
			}
			return nil, fmt.Errorf("lsl: resolve: %w", err)
		}
		defer c.Close()
		if err := setSendOptions(c, v6, cfg.MulticastTTL); err != nil {
			logf("lsl: resolve: socket options: %v", err)
		}
		s := &sock{c: c, v6: v6}
		for _, a := range cfg.MulticastAddresses {
			if a.Is6() == v6 && (a.Is4() && cfg.IPv4 || a.Is6() && cfg.IPv6) {
				s.targets = append(s.targets, netip.AddrPortFrom(a, uint16(cfg.MulticastPort)))
			}
		}
		for _, peer := range cfg.KnownPeers {
			for _, a := range lookup(ctx, peer) {
				if a.Is6() != v6 {
					continue
				}
				for p := cfg.BasePort; p < cfg.BasePort+cfg.PortRange; p++ {
					s.targets = append(s.targets, netip.AddrPortFrom(a, uint16(p)))
				}
			}
		}
		socks = append(socks, s)
	}
	var mu sync.Mutex
	found := map[string]StreamInfo{}
	enough := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for _, s := range socks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 65536)
			for {
				n, from, err := s.c.ReadFromUDPAddrPort(buf)
				if err != nil {
					if errors.Is(err, net.ErrClosed) {
						return
					}
					continue
				}
				info, err := parseReply(buf[:n], qid)
				if err != nil {
					logf("lsl: resolve: reply from %v: %v", from, err)
					continue
				}
				addr := from.Addr().Unmap().String()
				mu.Lock()
				if old, ok := found[info.UID]; ok {
					info = old
				}
				if from.Addr().Unmap().Is4() {
					if info.V4Address == "" {
						info.V4Address = addr
					}
				} else if info.V6Address == "" {
					info.V6Address = addr
				}
				found[info.UID] = info
				if opt.Minimum > 0 && len(found) >= opt.Minimum {
					once.Do(func() { close(enough) })
				}
				mu.Unlock()
			}
		}()
	}
	msg := []byte("LSL:shortinfo\r\n" + q.String() + "\r\n")
	tick := time.NewTicker(interval)
	defer tick.Stop()
wave:
	for {
		for _, s := range socks {
			port := s.c.LocalAddr().(*net.UDPAddr).Port
			m := append(append([]byte(nil), msg...), strconv.Itoa(port)+" "+qid+"\r\n"...)
			for _, t := range s.targets {
				if !t.Addr().IsMulticast() {
					s.c.WriteToUDPAddrPort(m, t) // unreachable targets are normal
				}
			}
			// Multicast goes out of every multicast interface in turn, as
			// liblsl's resolve_attempt_udp sends it.
			for _, ifi := range multicastInterfaces(!s.v6) {
				if ifi != nil && !s.v6 {
					if err := setMulticastInterface(s.c, ifi); err != nil {
						continue
					}
				}
				for _, t := range s.targets {
					if !t.Addr().IsMulticast() {
						continue
					}
					ua := net.UDPAddrFromAddrPort(t)
					if s.v6 && ifi != nil {
						ua.Zone = ifi.Name
					}
					s.c.WriteToUDP(m, ua)
				}
			}
		}
		select {
		case <-enough:
			break wave
		case <-ctx.Done():
			break wave
		case <-tick.C:
		}
	}
	for _, s := range socks {
		s.c.Close()
	}
	wg.Wait()
	out := make([]StreamInfo, 0, len(found))
	for _, v := range found {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CreatedAt != out[j].CreatedAt {
			return out[i].CreatedAt < out[j].CreatedAt
		}
		return out[i].UID < out[j].UID
	})
	if opt.Minimum > 0 && len(out) < opt.Minimum {
		what := "every stream"
		if query != "" {
			what = strconv.Quote(query)
		}
		return out, fmt.Errorf("%w: %s: %d of %d streams answered (scope %s, known peers %v)", ErrNotFound, what, len(out), opt.Minimum, cfg.ResolveScope, cfg.KnownPeers)
	}
	return out, nil
}

// parseReply parses a discovery reply: the query id, CRLF, the shortinfo.
func parseReply(b []byte, qid string) (StreamInfo, error) {
	line, rest, ok := strings.Cut(string(b), "\n")
	if !ok {
		return StreamInfo{}, fmt.Errorf("%w: reply without a line end", ErrProtocol)
	}
	if got := strings.TrimSpace(line); got != qid {
		return StreamInfo{}, fmt.Errorf("%w: reply for query id %.40q, not %s", ErrProtocol, got, qid)
	}
	return ParseInfo([]byte(rest))
}

// lookup resolves a known peer (an address or a host name).
func lookup(ctx context.Context, host string) []netip.Addr {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for i := range ips {
		ips[i] = ips[i].Unmap()
	}
	return ips
}
