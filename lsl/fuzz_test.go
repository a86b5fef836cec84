package lsl

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
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
