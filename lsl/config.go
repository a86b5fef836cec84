package lsl

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config holds the settings of liblsl's lsl_api.cfg that this package
// uses. DefaultConfig gives liblsl 1.16's defaults; LoadConfig reads the
// file where liblsl looks for it.
type Config struct {
	// [ports]
	MulticastPort    int  // MulticastPort: discovery port (16571)
	BasePort         int  // BasePort: first port of outlets (16572)
	PortRange        int  // PortRange: ports tried from BasePort (32)
	AllowRandomPorts bool // AllowRandomPorts: fall back to any free port
	// IPv4 and IPv6 say which protocols are used (IPv6 = disable: IPv4
	// only; allow: both; force: IPv6 only).
	IPv4, IPv6 bool

	// [multicast]
	ResolveScope  string // ResolveScope: machine, link, site, organization or global
	ListenAddress string // ListenAddress: the address the discovery responder binds
	// MulticastAddresses are the discovery targets of the scope (with
	// broadcast 255.255.255.255 and the machine address 127.0.0.1), in
	// the order liblsl lists them, filtered by IPv4/IPv6.
	MulticastAddresses []netip.Addr
	MulticastTTL       int // TTL of discovery packets (from the scope, or TTLOverride)

	// [lab]
	KnownPeers []string // KnownPeers: hosts asked by unicast
	SessionID  string   // SessionID ("default")

	// [tuning]
	TimeProbeCount      int           // TimeProbeCount (8)
	TimeProbeInterval   time.Duration // TimeProbeInterval (0.064 s)
	TimeProbeMaxRTT     time.Duration // TimeProbeMaxRTT (0.128 s)
	TimeUpdateInterval  time.Duration // TimeUpdateInterval (2 s)
	TimeUpdateMinProbes int           // TimeUpdateMinProbes (6)
}

const ipv6Group = "113D:6FDD:2C17:A643:FFE2:1BD1:3CD2"

// DefaultConfig returns liblsl 1.16's defaults (site scope).
func DefaultConfig() Config {
	c, err := ParseConfig(strings.NewReader(""))
	if err != nil {
		panic(err)
	}
	return c
}

// ConfigPaths returns the files LoadConfig tries, in order: $LSLAPICFG,
// lsl_api.cfg in the working directory, ~/lsl_api/lsl_api.cfg and
// /etc/lsl_api/lsl_api.cfg (liblsl's api_config.cpp).
func ConfigPaths() []string {
	var p []string
	if e := os.Getenv("LSLAPICFG"); e != "" {
		p = append(p, e)
	}
	p = append(p, "lsl_api.cfg")
	if h, err := os.UserHomeDir(); err == nil {
		p = append(p, filepath.Join(h, "lsl_api", "lsl_api.cfg"))
	}
	return append(p, "/etc/lsl_api/lsl_api.cfg")
}

// LoadConfig reads the first readable file of ConfigPaths (DefaultConfig if
// none). A file with a bad setting is an error naming the file and key
// (where liblsl logs it and falls back to its defaults).
func LoadConfig() (Config, error) {
	for _, p := range ConfigPaths() {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		c, err := ParseConfig(f)
		f.Close()
		if err != nil {
			return c, fmt.Errorf("%s: %w", p, err)
		}
		return c, nil
	}
	return DefaultConfig(), nil
}

// ParseConfig reads an lsl_api.cfg file (INI: [section] lines, key = value,
// comments after ; or #). Unknown keys are ignored, as liblsl does.
func ParseConfig(r io.Reader) (Config, error) {
	kv := map[string]string{}
	sc := bufio.NewScanner(r)
	section := ""
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == ';' || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return Config{}, fmt.Errorf("%w: line %d: section %q not closed", ErrConfig, line, s)
			}
			section = strings.TrimSpace(s[1:end])
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return Config{}, fmt.Errorf("%w: line %d: %q is not key = value", ErrConfig, line, s)
		}
		if t := strings.TrimSpace(v); strings.HasPrefix(t, "{") {
			if i := strings.IndexByte(t, '}'); i >= 0 {
				v = t[:i+1] // a set; a comment may follow it
			}
		} else if i := strings.IndexAny(v, ";#"); i >= 0 {
			v = v[:i]
		}
		kv[section+"."+strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		return Config{}, err
	}
	var firstErr error
	str := func(k, def string) string {
		if v, ok := kv[k]; ok {
			return v
		}
		return def
	}
	num := func(k string, def float64) float64 {
		v, ok := kv[k]
		if !ok {
			return def
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%w: %s = %q: want a number", ErrConfig, k, v)
		}
		return f
	}
	boolean := func(k string, def bool) bool {
		v, ok := kv[k]
		if !ok {
			return def
		}
		switch strings.ToLower(v) {
		case "1", "true", "yes", "on":
			return true
		case "0", "false", "no", "off":
			return false
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("%w: %s = %q: want true or false", ErrConfig, k, v)
		}
		return def
	}
	secs := func(k string, def float64) time.Duration {
		return time.Duration(num(k, def) * float64(time.Second))
	}
	c := Config{
		MulticastPort:       int(num("ports.MulticastPort", 16571)),
		BasePort:            int(num("ports.BasePort", 16572)),
		PortRange:           int(num("ports.PortRange", 32)),
		AllowRandomPorts:    boolean("ports.AllowRandomPorts", true),
		IPv4:                true,
		IPv6:                true,
		ResolveScope:        str("multicast.ResolveScope", "site"),
		ListenAddress:       str("multicast.ListenAddress", ""),
		KnownPeers:          parseSet(str("lab.KnownPeers", "{}")),
		SessionID:           str("lab.SessionID", "default"),
		TimeProbeCount:      int(num("tuning.TimeProbeCount", 8)),
		TimeProbeInterval:   secs("tuning.TimeProbeInterval", 0.064),
		TimeProbeMaxRTT:     secs("tuning.TimeProbeMaxRTT", 0.128),
		TimeUpdateInterval:  secs("tuning.TimeUpdateInterval", 2),
		TimeUpdateMinProbes: int(num("tuning.TimeUpdateMinProbes", 6)),
	}
	switch v := str("ports.IPv6", "allow"); v {
	case "disabled", "disable":
		c.IPv6 = false
	case "allowed", "allow":
	case "forced", "force":
		c.IPv4 = false
	default:
		return c, fmt.Errorf("%w: ports.IPv6 = %q: want disable, allow or force", ErrConfig, v)
	}
	for _, p := range []struct {
		k string
		v int
	}{{"ports.MulticastPort", c.MulticastPort}, {"ports.BasePort", c.BasePort}} {
		if p.v < 1 || p.v > 65535 {
			return c, fmt.Errorf("%w: %s = %d: want a port from 1 to 65535", ErrConfig, p.k, p.v)
		}
	}
	if c.PortRange < 0 || c.BasePort+c.PortRange > 65536 {
		return c, fmt.Errorf("%w: ports.PortRange = %d: past port 65535", ErrConfig, c.PortRange)
	}
	if c.TimeProbeCount < 1 || c.TimeUpdateMinProbes < 1 || c.TimeProbeInterval <= 0 || c.TimeUpdateInterval <= 0 {
		return c, fmt.Errorf("%w: time probe settings must be positive", ErrConfig)
	}
	group := str("multicast.IPv6MulticastGroup", ipv6Group)
	scopes := []struct {
		name, key, def, v6 string
		ttl                int
	}{
		{"machine", "multicast.MachineAddresses", "{127.0.0.1}", "", 0},
		{"link", "multicast.LinkAddresses", "{255.255.255.255, 224.0.0.1, 224.0.0.183}", "FF02:", 1},
		{"site", "multicast.SiteAddresses", "{239.255.172.215}", "FF05:", 24},
		{"organization", "multicast.OrganizationAddresses", "{}", "FF08:", 32},
		{"global", "multicast.GlobalAddresses", "{}", "FF0E:", 255},
	}
	level := -1
	for i, s := range scopes {
		if s.name == c.ResolveScope {
			level = i
		}
	}
	if level < 0 {
		return c, fmt.Errorf("%w: multicast.ResolveScope = %q: want machine, link, site, organization or global", ErrConfig, c.ResolveScope)
	}
	var addrs []string
	for _, s := range scopes[:level+1] {
		addrs = append(addrs, parseSet(str(s.key, s.def))...)
		if s.v6 != "" {
			addrs = append(addrs, s.v6+group)
		}
		c.MulticastTTL = s.ttl
	}
	if ttl := int(num("multicast.TTLOverride", -1)); ttl >= 0 {
		c.MulticastTTL = ttl
	}
	if o := parseSet(str("multicast.AddressesOverride", "{}")); len(o) > 0 {
		addrs = o
	}
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return c, fmt.Errorf("%w: multicast address %q: %v", ErrConfig, a, err)
		}
		if ip.Is4() && c.IPv4 || ip.Is6() && c.IPv6 {
			c.MulticastAddresses = append(c.MulticastAddresses, ip)
		}
	}
	return c, firstErr
}

// parseSet parses liblsl's "{a, b, c}" lists.
func parseSet(s string) []string {
	s = strings.TrimSpace(s)
	if len(s) <= 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s[1:len(s)-1], ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
