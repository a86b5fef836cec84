package lsl

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFormatDouble checks the number formats against C's printf, which
// liblsl's C++ streams follow (testdata/gen/lsl_format.py): "%#.16g" for
// the info's floating-point fields, "%.16g" for time-probe replies. Exact.
func TestFormatDouble(t *testing.T) {
	b, err := os.ReadFile("testdata/format_double.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref []struct {
		V         float64
		Showpoint string
		G16       string
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref) < 200 {
		t.Fatalf("%d reference values", len(ref))
	}
	for _, r := range ref {
		if got := formatDouble(r.V); got != r.Showpoint {
			t.Errorf("formatDouble(%v) = %q, want %q", r.V, got, r.Showpoint)
		}
		if got := fmtG16(r.V); got != r.G16 {
			t.Errorf("fmtG16(%v) = %q, want %q", r.V, got, r.G16)
		}
	}
}

// TestInfoXML checks the document's exact layout (pugixml's, as liblsl
// writes it: stream_info_impl::write_xml) and that it parses back.
func TestInfoXML(t *testing.T) {
	info := StreamInfo{Name: "BioSemi", Type: "EEG", ChannelCount: 2, NominalSrate: 100, Format: Float32, SourceID: "BioSemiEEG",
		Version: 110, CreatedAt: 12345.5, UID: "0a1b", SessionID: "default", Hostname: "lab-pc", V4DataPort: 16572, V4ServicePort: 16573,
		Channels: []Channel{{Label: "C3", Unit: "microvolts", Type: "EEG"}, {Label: "A<&>", Unit: "microvolts", Type: "EEG"}}}
	want := `<?xml version="1.0"?>
<info>
	<name>BioSemi</name>
	<type>EEG</type>
	<channel_count>2</channel_count>
	<channel_format>float32</channel_format>
	<source_id>BioSemiEEG</source_id>
	<nominal_srate>100.0000000000000</nominal_srate>
	<version>1.100000000000000</version>
	<created_at>12345.50000000000</created_at>
	<uid>0a1b</uid>
	<session_id>default</session_id>
	<hostname>lab-pc</hostname>
	<v4address></v4address>
	<v4data_port>16572</v4data_port>
	<v4service_port>16573</v4service_port>
	<v6address></v6address>
	<v6data_port>0</v6data_port>
	<v6service_port>0</v6service_port>
`
	short := string(info.ShortInfo())
	if short != want+"\t<desc />\n</info>\n" {
		t.Errorf("shortinfo\n%s\nwant\n%s", short, want+"\t<desc />\n</info>\n")
	}
	full := string(info.FullInfo())
	wantFull := want + "\t<desc>\n\t\t<channels>\n\t\t\t<channel>\n\t\t\t\t<label>C3</label>\n\t\t\t\t<unit>microvolts</unit>\n\t\t\t\t<type>EEG</type>\n\t\t\t</channel>\n" +
		"\t\t\t<channel>\n\t\t\t\t<label>A&lt;&amp;&gt;</label>\n\t\t\t\t<unit>microvolts</unit>\n\t\t\t\t<type>EEG</type>\n\t\t\t</channel>\n\t\t</channels>\n\t</desc>\n</info>\n"
	if full != wantFull {
		t.Errorf("fullinfo\n%s\nwant\n%s", full, wantFull)
	}
	back, err := ParseInfo([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	back.Desc = nil
	if !reflect.DeepEqual(back, info) {
		t.Errorf("parsed back\n%+v\nwant\n%+v", back, info)
	}
	// liblsl's SendData puts other desc children before the channels.
	sd := strings.Replace(full, "\t<desc>\n", "\t<desc>\n\t\t<manufacturer>LSL</manufacturer>\n", 1)
	got, err := ParseInfo([]byte(sd))
	if err != nil || len(got.Channels) != 2 || got.Desc.ChildText("manufacturer") != "LSL" {
		t.Fatalf("%v %+v", err, got)
	}
	if !strings.Contains(string(got.FullInfo()), "<manufacturer>LSL</manufacturer>") {
		t.Errorf("desc children lost: %s", got.FullInfo())
	}
}

func TestParseInfoErrors(t *testing.T) {
	good := string(StreamInfo{Name: "x", ChannelCount: 1, Format: Int16, Version: 110, UID: "u"}.ShortInfo())
	for _, tc := range []struct{ from, to, what string }{
		{"<name>x</name>", "<name></name>", "empty <name>"},
		{"<uid>u</uid>", "<uid></uid>", "empty <uid>"},
		{"int16", "int12", "channel format"},
		{"<channel_count>1<", "<channel_count>-1<", "channel_count"},
		{"<channel_count>1<", "<channel_count>99999999<", "channel_count"},
		{"<nominal_srate>0.000000000000000<", "<nominal_srate>-1<", "nominal_srate"},
		{"<nominal_srate>0.000000000000000<", "<nominal_srate>nan<", "nominal_srate"},
		{"<version>1.100000000000000<", "<version>0<", "version"},
		{"<v4data_port>0<", "<v4data_port>70000<", "v4data_port"},
		{"<info>", "<inf>", "XML"},
		{"</info>", "", "XML"},
		{"<info>", "<stream>", "XML"},
		{"", "<stream><name>x</name></stream>", "root element <stream>"},
		{"", "", "no root element"},
		{"", "<info/><info/>", "XML"},
	} {
		bad := strings.Replace(good, tc.from, tc.to, 1)
		if tc.from == "" {
			bad = tc.to
		}
		_, err := ParseInfo([]byte(bad))
		if !errors.Is(err, ErrInfo) || !strings.Contains(err.Error(), tc.what) {
			t.Errorf("%s → %s: error %v, want one naming %q", tc.from, tc.to, err, tc.what)
		}
	}
}

func TestQuery(t *testing.T) {
	info := StreamInfo{Name: "BioSemi", Type: "EEG", ChannelCount: 3, NominalSrate: 512, Format: Float32, SourceID: "amp-1", Version: 110, UID: "u", Hostname: "lab",
		Channels: []Channel{{Label: "Fp1", Unit: "microvolts"}, {Label: "Fp2", Unit: "microvolts"}, {Label: "Status", Unit: "counts"}}}
	for q, want := range map[string]bool{
		"":                                                true,
		"name='BioSemi'":                                  true,
		"name=\"BioSemi\"":                                true,
		"name='biosemi'":                                  false,
		"type='EEG' and name='BioSemi'":                   true,
		"type='Markers' or source_id='amp-1'":             true,
		"not(type='EEG')":                                 false,
		"channel_count=3":                                 true,
		"channel_count>2 and nominal_srate>=512":          true,
		"nominal_srate<500":                               false,
		"starts-with(name,'Bio')":                         true,
		"contains(hostname,'la')":                         true,
		"count(desc/channels/channel)=3":                  true,
		"desc/channels/channel/label='Fp2'":               true,
		"desc/channels/channel/label='Cz'":                false,
		"desc/channels/channel/unit!='microvolts'":        true,
		"//label='Status'":                                true,
		"/info/name='BioSemi'":                            true,
		"channel_count*2-1=5":                             true,
		"channel_count mod 2=1 and 6 div channel_count=2": true,
		"string-length(name)=7":                           true,
		"concat(name,'-',type)='BioSemi-EEG'":             true,
		"source_id":                                       true,
		"manufacturer":                                    false,
		"-channel_count=-3":                               true,
		"(type='EEG')=true()":                             true,
	} {
		got, err := info.Matches(q)
		if err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", q, got, err, want)
		}
	}
	for _, q := range []string{"name=", "name='x", "(name='x'", "foo(1)", "name='a' and", "count('x')", "contains(name)", "name=='x'", "#"} {
		if _, err := CompileQuery(q); !errors.Is(err, ErrQuery) {
			t.Errorf("%q: error %v, want ErrQuery", q, err)
		}
	}
}

func TestConfig(t *testing.T) {
	def := DefaultConfig()
	addrs := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, s := range ss {
			out = append(out, netip.MustParseAddr(s))
		}
		return out
	}
	g := "113D:6FDD:2C17:A643:FFE2:1BD1:3CD2"
	want := addrs("127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183", "FF02:"+g, "239.255.172.215", "FF05:"+g)
	if !reflect.DeepEqual(def.MulticastAddresses, want) || def.MulticastTTL != 24 || def.MulticastPort != 16571 || def.BasePort != 16572 ||
		def.PortRange != 32 || !def.IPv4 || !def.IPv6 || def.SessionID != "default" || len(def.KnownPeers) != 0 || def.TimeProbeCount != 8 ||
		def.TimeProbeInterval != 64*time.Millisecond || def.TimeUpdateInterval != 2*time.Second || def.TimeUpdateMinProbes != 6 {
		t.Fatalf("defaults %+v", def)
	}
	c, err := ParseConfig(strings.NewReader(`; lab settings
[ports]
MulticastPort = 17571
BasePort = 17572
PortRange = 4
IPv6 = disable

[multicast]
ResolveScope = link
TTLOverride = 3

[lab]
KnownPeers = {10.0.0.5, lab-pc}   ; two peers
SessionID = exp42

[tuning]
TimeProbeCount = 4
TimeProbeInterval = 0.01
`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.MulticastAddresses, addrs("127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183")) || c.MulticastTTL != 3 ||
		c.MulticastPort != 17571 || c.BasePort != 17572 || c.PortRange != 4 || c.IPv6 || !c.IPv4 ||
		!reflect.DeepEqual(c.KnownPeers, []string{"10.0.0.5", "lab-pc"}) || c.SessionID != "exp42" || c.TimeProbeCount != 4 || c.TimeProbeInterval != 10*time.Millisecond {
		t.Fatalf("parsed %+v", c)
	}
	c, err = ParseConfig(strings.NewReader("[ports]\nIPv6 = force\n[multicast]\nResolveScope = machine\nMachineAddresses = {}\n"))
	if err != nil || c.IPv4 || len(c.MulticastAddresses) != 0 || c.MulticastTTL != 0 {
		t.Fatalf("force, machine: %v %+v", err, c)
	}
	for _, bad := range []string{"[ports]\nIPv6 = maybe\n", "[multicast]\nResolveScope = planet\n", "[ports]\nBasePort = 70000\n", "[ports\n",
		"just text\n", "[multicast]\nSiteAddresses = {239.1.2.300}\n", "[ports]\nMulticastPort = many\n", "[tuning]\nTimeProbeCount = 0\n"} {
		if _, err := ParseConfig(strings.NewReader(bad)); !errors.Is(err, ErrConfig) {
			t.Errorf("%q: error %v, want ErrConfig", bad, err)
		}
	}
	// LoadConfig reads $LSLAPICFG first.
	p := t.TempDir() + "/lsl_api.cfg"
	os.WriteFile(p, []byte("[lab]\nSessionID = fromenv\n"), 0o644)
	t.Setenv("LSLAPICFG", p)
	if c, err := LoadConfig(); err != nil || c.SessionID != "fromenv" {
		t.Fatalf("LoadConfig: %v %+v", err, c)
	}
}
