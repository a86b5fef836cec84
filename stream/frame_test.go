package stream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

func testHeader(nch int) Header {
	h := Header{SFreq: 250, Name: "test"}
	for i := 0; i < nch; i++ {
		h.Channels = append(h.Channels, "C"+string(rune('A'+i%26))+strings.Repeat("x", i/26))
		h.Units = append(h.Units, "V")
		h.Types = append(h.Types, "eeg")
	}
	return h
}

func testChunk(nch, ns int, start int64) Chunk {
	c := Chunk{Start: start, Data: make([][]float64, nch), Time: time.Unix(1700000000, 123456789)}
	for ch := range c.Data {
		c.Data[ch] = make([]float64, ns)
		for i := range c.Data[ch] {
			// Values that float32 cannot hold exactly.
			c.Data[ch][i] = 1e-6 * math.Sin(float64(ch*ns+i)+0.1) / 3
		}
	}
	c.Markers = []Marker{{Sample: start, Code: 1, Label: "T1"}, {Sample: start + int64(ns) - 1, Code: -7, Label: ""}}
	return c
}

func TestFrameRoundTrip(t *testing.T) {
	for _, f := range []SampleFormat{Float64, Float32} {
		h := testHeader(3)
		var buf bytes.Buffer
		e := NewEncoder(&buf, f)
		if err := e.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		want := []Chunk{testChunk(3, 8, 0), testChunk(3, 5, 8), testChunk(3, 1, 13)}
		want[2].Time = time.Time{}
		for _, c := range want {
			if err := e.WriteChunk(c); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.WriteEnd(); err != nil {
			t.Fatal(err)
		}
		d := NewDecoder(&buf)
		got, err := d.ReadHeader()
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != h.Name || got.SFreq != h.SFreq || strings.Join(got.Channels, ",") != strings.Join(h.Channels, ",") {
			t.Fatalf("header %+v, want %+v", got, h)
		}
		for k, w := range want {
			var c Chunk
			if err := d.ReadChunk(&c); err != nil {
				t.Fatalf("%s chunk %d: %v", f, k, err)
			}
			if c.Start != w.Start || !c.Time.Equal(w.Time) || len(c.Markers) != len(w.Markers) {
				t.Fatalf("%s chunk %d: start %d time %v markers %v", f, k, c.Start, c.Time, c.Markers)
			}
			for i := range w.Markers {
				if c.Markers[i] != w.Markers[i] {
					t.Errorf("marker %d: %+v, want %+v", i, c.Markers[i], w.Markers[i])
				}
			}
			for ch := range w.Data {
				for i, v := range w.Data[ch] {
					exp := v
					if f == Float32 {
						exp = float64(float32(v)) // the tolerance: float32 rounding, exactly
					}
					if c.Data[ch][i] != exp {
						t.Fatalf("%s chunk %d ch %d sample %d: %v, want %v", f, k, ch, i, c.Data[ch][i], exp)
					}
				}
			}
		}
		var c Chunk
		if err := d.ReadChunk(&c); err != io.EOF {
			t.Fatalf("after the end frame: %v, want io.EOF", err)
		}
	}
}

// frames builds a header frame for 2 channels followed by extra bytes.
func frames(extra ...[]byte) []byte {
	b, _ := AppendHeader(nil, testHeader(2))
	for _, e := range extra {
		b = append(b, e...)
	}
	return b
}

// dataFrame builds a data frame by hand: fixed part, samples, markers.
func dataFrame(start int64, nch, ns, nm uint32, f byte, body []byte) []byte {
	p := binary.LittleEndian.AppendUint64(nil, uint64(start))
	p = binary.LittleEndian.AppendUint64(p, 0)
	p = binary.LittleEndian.AppendUint32(p, nch)
	p = binary.LittleEndian.AppendUint32(p, ns)
	p = binary.LittleEndian.AppendUint32(p, nm)
	p = append(p, f, 0, 0, 0)
	p = append(p, body...)
	return append(appendPrefix(nil, frameData, len(p)), p...)
}

func TestDecoderRejects(t *testing.T) {
	good := AppendChunk(nil, testChunk(2, 4, 0), Float64)
	nan := testChunk(2, 4, 0)
	nan.Data[1][2] = math.NaN()
	outside := testChunk(2, 4, 0)
	outside.Markers = []Marker{{Sample: 4, Code: 1}}
	badHeader := []byte(`{"channels":["a","a"],"units":["V","V"],"types":["eeg","eeg"],"sfreq":100}`)
	unknownField := []byte(`{"channels":["a"],"units":["V"],"types":["eeg"],"sfreq":100,"x":1}`)
	cases := []struct {
		name, want string
		in         []byte
	}{
		{"empty", "unexpected EOF", nil},
		{"data first", "not a header", good},
		{"unknown type", "unknown frame type", frames([]byte("Z\x00\x00\x00\x00\x00\x00\x00"))},
		{"reserved", "reserved bytes", frames([]byte("D\x01\x00\x00\x00\x00\x00\x00"))},
		{"huge length", "over the limit", frames([]byte("D\x00\x00\x00\xff\xff\xff\xff"))},
		{"huge header", "over the limit", []byte("H\x00\x00\x00\x00\x00\x20\x00")},
		{"end with payload", "over the limit", frames([]byte("E\x00\x00\x00\x01\x00\x00\x00x"))},
		{"truncated", "unexpected EOF", frames(good[:len(good)-3])},
		{"duplicate names", "both called", append(appendPrefix(nil, frameHeader, len(badHeader)), badHeader...)},
		{"unknown field", "unknown field", append(appendPrefix(nil, frameHeader, len(unknownField)), unknownField...)},
		{"second header", "second header", frames(frames())},
		{"channels", "3 channels, the header has 2", frames(AppendChunk(nil, testChunk(3, 4, 0), Float64))},
		{"nan", "is NaN", frames(AppendChunk(nil, nan, Float32))},
		{"marker outside", "outside its chunk", frames(AppendChunk(nil, outside, Float64))},
		{"gap", "previous one ended before 4", frames(good, AppendChunk(nil, testChunk(2, 4, 5), Float64))},
		{"too many samples", "cannot hold", frames(dataFrame(0, 2, 1<<30, 0, 8, nil))},
		{"too many markers", "cannot hold", frames(dataFrame(0, 2, 0, 1<<31, 8, nil))},
		{"format", "sample format 5", frames(dataFrame(0, 2, 0, 0, 5, nil))},
		{"trailing", "bytes after its markers", frames(dataFrame(0, 2, 0, 0, 8, []byte{1}))},
		{"label", "label of 9 bytes", frames(dataFrame(0, 2, 1, 1, 4, append(make([]byte, 8+8+4), 9, 0, 'x')))},
		{"short fixed part", "shorter than", frames(append(appendPrefix(nil, frameData, 3), 1, 2, 3))},
		{"remote error", "remote error: go away", frames(appendError(nil, "go away"))},
	}
	for _, tc := range cases {
		d := NewDecoder(bytes.NewReader(tc.in))
		var err error
		for err == nil {
			var c Chunk
			err = d.ReadChunk(&c)
		}
		if err == io.EOF || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if tc.name != "empty" && tc.name != "truncated" && tc.name != "remote error" && !errors.Is(err, ErrFrame) {
			t.Errorf("%s: %v does not wrap ErrFrame", tc.name, err)
		}
	}
}

func TestHello(t *testing.T) {
	b := appendHello(nil, roleSubscribe, Float32)
	if r, f, err := parseHello(b); err != nil || r != roleSubscribe || f != Float32 {
		t.Fatalf("hello: %c %v %v", r, f, err)
	}
	for _, bad := range []string{"BCIS\x02S\x00\x00", "XCIS\x01S\x00\x00", "BCIS\x01Q\x00\x00", "BCIS\x01S\x03\x00", "BCIS\x01S\x00\x01", "BCIS"} {
		if _, _, err := parseHello([]byte(bad)); !errors.Is(err, ErrFrame) {
			t.Errorf("hello %q: %v", bad, err)
		}
	}
}

func TestHeaderValidate(t *testing.T) {
	ok := testHeader(2)
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(h *Header){
		func(h *Header) { h.Channels, h.Units, h.Types = nil, nil, nil },
		func(h *Header) { h.Units = h.Units[:1] },
		func(h *Header) { h.Types = append(h.Types, "eeg") },
		func(h *Header) { h.SFreq = 0 },
		func(h *Header) { h.SFreq = math.Inf(1) },
		func(h *Header) { h.SFreq = math.NaN() },
		func(h *Header) { h.Channels[1] = "" },
	}
	for i, f := range bad {
		h := testHeader(2)
		f(&h)
		if err := h.Validate(); !errors.Is(err, ErrHeader) {
			t.Errorf("case %d: %v", i, err)
		}
		if _, err := AppendHeader(nil, h); err == nil {
			t.Errorf("case %d: AppendHeader accepted it", i)
		}
	}
}

// FuzzDecoder feeds arbitrary bytes after a valid header (and as the
// header): the decoder must return errors, never panic or allocate past
// its caps, and what it accepts must re-encode to the same samples.
func FuzzDecoder(f *testing.F) {
	f.Add(frames(AppendChunk(nil, testChunk(2, 4, 0), Float64), appendEnd(nil)))
	f.Add(frames(AppendChunk(nil, testChunk(2, 3, 7), Float32), AppendChunk(nil, testChunk(2, 1, 10), Float64)))
	f.Add(frames(dataFrame(0, 2, 1, 1, 4, append(make([]byte, 8+8+4), 1, 0, 'x'))))
	f.Add(frames(appendError(nil, "x")))
	f.Add([]byte("H\x00\x00\x00\x10\x00\x00\x00{\"channels\":[1]}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d := NewDecoder(bytes.NewReader(in))
		d.MaxFrame = 1 << 20
		for {
			var c Chunk
			err := d.ReadChunk(&c)
			if err != nil {
				return
			}
			h := d.Header()
			if len(c.Data) != len(h.Channels) {
				t.Fatalf("chunk of %d channels for a header of %d", len(c.Data), len(h.Channels))
			}
			// Re-encode and decode again: the same samples.
			d2 := NewDecoder(bytes.NewReader(AppendChunk(nil, c, Float64)))
			d2.hdr, d2.hasHdr = h, true
			var c2 Chunk
			if err := d2.ReadChunk(&c2); err != nil {
				t.Fatalf("re-decoding an accepted chunk: %v", err)
			}
			for ch := range c.Data {
				for i := range c.Data[ch] {
					if c.Data[ch][i] != c2.Data[ch][i] {
						t.Fatalf("re-decoded sample differs")
					}
				}
			}
		}
	})
}
