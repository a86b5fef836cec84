package lsl

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// FuzzParseInfo feeds discovery replies and info documents to the parsers:
// they must return an info that validates and writes back to the same
// fields, or an error, never panic.
func FuzzParseInfo(f *testing.F) {
	good := StreamInfo{Name: "BioSemi", Type: "EEG", ChannelCount: 2, NominalSrate: 512, Format: Float32, Version: 110, UID: "u", SourceID: "s",
		Channels: []Channel{{Label: "Fp1", Unit: "microvolts", Type: "EEG"}, {Label: "A&B<", Unit: "µV"}}}
	f.Add([]byte("42\r\n" + string(good.ShortInfo())))
	f.Add(good.FullInfo())
	f.Add([]byte("1\r\n<info><name>x</name><uid>u</uid><channel_count>1</channel_count><channel_format>string</channel_format><nominal_srate>0</nominal_srate><version>1.1</version></info>"))
	f.Add([]byte("<info><name>x</name><desc><channels><channel><label>a</label></channel></channels></desc></info>"))
	f.Add([]byte("\r\n<?xml version=\"1.0\"?><info/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if info, err := parseReply(b, "42"); err == nil {
			check(t, info)
		}
		info, err := ParseInfo(b)
		if err != nil {
			if !errors.Is(err, ErrInfo) {
				t.Fatalf("error %v does not wrap ErrInfo", err)
			}
			return
		}
		check(t, info)
		// Queries on any document never panic.
		for _, q := range []string{"name='x'", "count(desc/channels/channel)>1 or //label='a'", "starts-with(name, type)"} {
			info.Matches(q)
		}
	})
}

func check(t *testing.T, info StreamInfo) {
	if info.Name == "" || info.UID == "" || !info.Format.valid() || info.ChannelCount < 0 || info.ChannelCount > MaxChannels || info.NominalSrate < 0 {
		t.Fatalf("accepted %+v", info)
	}
	back, err := ParseInfo(info.FullInfo())
	if err != nil {
		t.Fatalf("written back: %v\n%s", err, info.FullInfo())
	}
	if back.Name != info.Name || back.UID != info.UID || back.ChannelCount != info.ChannelCount || back.Format != info.Format || len(back.Channels) != len(info.Channels) {
		t.Fatalf("round trip %+v != %+v", back, info)
	}
}

// FuzzDecodeSamples feeds the sample decoder arbitrary bytes for every
// format: it must decode or fail with ErrProtocol or a short read, never
// panic or allocate beyond MaxString per value.
func FuzzDecodeSamples(f *testing.F) {
	f.Add(uint8(1), uint8(3), []byte{2, 0, 0, 0, 0, 0, 0x42, 0x8f, 0x40, 0, 0, 0xc0, 0x3f, 0, 0, 0x20, 0xc0, 0, 0, 0x60, 0x40, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint8(3), uint8(2), []byte{2, 0, 0, 0, 0, 0, 0x42, 0x8f, 0x40, 1, 2, 'h', 'i', 4, 3, 0, 0, 0, 'a', 'b', 'c'})
	f.Add(uint8(3), uint8(1), []byte{1, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Add(uint8(5), uint8(2), []byte{1, 1, 2, 3, 4, 7})
	f.Add(uint8(7), uint8(1), []byte{1, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, format, nch uint8, b []byte) {
		fm := ChannelFormat(format%7 + 1)
		n := int(nch%16) + 1
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			d := &decoder{f: fm, nch: n, order: order, suppress: format&0x80 != 0}
			r := bufio.NewReaderSize(bytes.NewReader(b), 16)
			vals := make([]float64, n)
			strs := make([]string, n)
			for {
				_, err := d.readSample(r, vals, strs)
				if err == nil {
					continue
				}
				if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.Is(err, ErrProtocol) {
					t.Fatalf("error %v", err)
				}
				break
			}
		}
		// and what appendSample writes decodes back to itself
		vals := make([]float64, n)
		strs := make([]string, n)
		for k := range n {
			if k < len(b) {
				vals[k] = float64(int8(b[k]))
				strs[k] = string(b[k:])
			}
		}
		enc := appendSample(nil, fm, 12.5, vals, strs)
		d := &decoder{f: fm, nch: n, order: binary.LittleEndian}
		gotV, gotS := make([]float64, n), make([]string, n)
		ts, err := d.readSample(bufio.NewReader(bytes.NewReader(enc)), gotV, gotS)
		if err != nil || ts != 12.5 {
			t.Fatalf("round trip: %v %v", ts, err)
		}
		for k := range n {
			if fm == String && gotS[k] != strs[k] || fm != String && gotV[k] != vals[k] {
				t.Fatalf("round trip channel %d: %v %q", k, gotV[k], gotS[k])
			}
		}
	})
}

// FuzzQuery compiles and evaluates arbitrary queries.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{"name='x'", "type='EEG' and (channel_count > 8 or not(starts-with(name,\"Bio\")))", "count(//channel)=2", "-1+2*3 div 4 mod 5 = nominal_srate", "/info/desc/channels/channel[1]", "concat(name,type)!='' and string-length()>0"} {
		f.Add(q)
	}
	info := StreamInfo{Name: "BioSemi", Type: "EEG", ChannelCount: 2, NominalSrate: 512, Format: Float32, Version: 110, UID: "u",
		Channels: []Channel{{Label: "Fp1"}, {Label: "Fp2"}}}
	doc, err := info.document()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		c, err := CompileQuery(q)
		if err != nil {
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("error %v does not wrap ErrQuery", err)
			}
			return
		}
		c.Matches(doc)
	})
}

// FuzzParseConfig reads arbitrary lsl_api.cfg files: a Config or an error
// wrapping ErrConfig, never a panic, and ports always in range.
func FuzzParseConfig(f *testing.F) {
	f.Add("[ports]\nIPv6 = disable\nBasePort = 17572\n[multicast]\nResolveScope = link\n[lab]\nKnownPeers = {10.0.0.5, lab-pc} ; c\n")
	f.Add("[multicast]\nAddressesOverride = {239.1.1.1, FF05::1}\nTTLOverride = 2\n")
	f.Add("[ports\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConfig(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrConfig) && !strings.Contains(err.Error(), "token too long") {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			return
		}
		if c.BasePort < 1 || c.BasePort+c.PortRange > 65536 || c.MulticastPort < 1 || c.MulticastPort > 65535 {
			t.Fatalf("accepted ports %+v", c)
		}
	})
}

// FuzzFeedResponse feeds an inlet's negotiation arbitrary outlet
// responses: a decoder or an error, never a panic.
func FuzzFeedResponse(f *testing.F) {
	info := StreamInfo{Name: "x", ChannelCount: 3, NominalSrate: 10, Format: Float32, UID: "u-1"}
	good := []byte("LSL/110 200 OK\r\nUID: u-1\r\nByte-Order: 1234\r\nSuppress-Subnormals: 0\r\nData-Protocol-Version: 110\r\n\r\n")
	for _, off := range []int{4, 2} {
		v, _ := testPattern(Float32, 3, off)
		good = appendSample(good, Float32, testPatternTime, v, nil)
	}
	f.Add(good)
	f.Add([]byte("LSL/110 404 Not found\r\n"))
	f.Add([]byte("LSL/110 200 OK\r\nByte-Order: 4321\r\n\r\n\x02"))
	f.Add([]byte("HTTP/1.1 200 OK\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fm := range []ChannelFormat{Float32, String} {
			info.Format = fm
			_, err := readFeedHeader(bufio.NewReader(bytes.NewReader(b)), info)
			if err != nil && !errors.Is(err, ErrProtocol) && !errors.Is(err, ErrLost) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				t.Fatalf("error %v", err)
			}
		}
	})
}

// FuzzOutletRequest sends arbitrary requests to an outlet's TCP session:
// it answers or drops the connection, never panics, and keeps no consumer
// once the connection is gone.
func FuzzOutletRequest(f *testing.F) {
	cfg := unicastConfig(f)
	o, err := NewOutlet(StreamInfo{Name: "fuzz", ChannelCount: 2, NominalSrate: 10, Format: Int16}, OutletOptions{Config: cfg})
	if err != nil {
		f.Fatal(err)
	}
	defer o.Close()
	uid := o.Info().UID
	f.Add([]byte(liblslRequest(uid, 2)))
	f.Add([]byte("LSL:shortinfo\r\nname='fuzz'\r\n"))
	f.Add([]byte("LSL:fullinfo\r\n"))
	f.Add([]byte("LSL:streamfeed/110 " + uid + "\r\nMax-Buffer-Length: 0\r\n\r\n"))
	f.Add([]byte("LSL:streamfeed/110\r\nValue-Size: 9\r\n\r\n"))
	f.Fuzz(func(t *testing.T, req []byte) {
		a, b := net.Pipe()
		done := make(chan struct{})
		go func() {
			o.session(a)
			a.Close()
			close(done)
		}()
		go io.Copy(io.Discard, b)
		b.SetWriteDeadline(time.Now().Add(time.Second))
		b.Write(req)
		b.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("session still running after its connection closed")
		}
		if n := o.Consumers(); n != 0 {
			t.Fatalf("%d consumers left", n)
		}
	})
}
