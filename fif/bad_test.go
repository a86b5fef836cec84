package fif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

func open(data []byte, name string) error {
	_, err := NewReader(bytes.NewReader(data), int64(len(data)), name)
	return err
}

// Malformed files are errors that wrap ErrFormat or ErrTruncated and name
// the file and what is wrong.
func TestBadInput(t *testing.T) {
	good := defaultSpec().build()
	if err := open(good, "good_raw.fif"); err != nil {
		t.Fatal(err)
	}
	// offset of the first tag of the given kind in good
	at := func(kind int32) int {
		for pos := 0; pos+16 <= len(good); {
			if int32(binary.BigEndian.Uint32(good[pos:])) == kind {
				return pos
			}
			pos += 16 + int(binary.BigEndian.Uint32(good[pos+8:]))
		}
		t.Fatalf("no tag %d", kind)
		return 0
	}
	patch := func(off int, v int32) []byte {
		b := bytes.Clone(good)
		binary.BigEndian.PutUint32(b[off:], uint32(v))
		return b
	}
	with := func(f func(*spec)) []byte {
		s := defaultSpec()
		f(&s)
		return s.build()
	}
	cases := []struct {
		name string
		data []byte
		err  error
		msg  string
	}{
		{"empty", nil, ErrFormat, "empty"},
		{"truncated header", good[:len(good)-5], ErrTruncated, "tag header"},
		{"truncated data", good[:at(kindDataBuffer)+20], ErrTruncated, "after the end of the file"},
		{"size beyond EOF", patch(at(kindSFreq)+8, 1<<30), ErrTruncated, "after the end of the file"},
		{"negative size", patch(at(kindSFreq)+8, -4), ErrFormat, "negative data size"},
		{"next backwards", patch(at(kindSFreq)+12, 8), ErrFormat, "does not move forward"},
		{"next beyond EOF", patch(at(kindSFreq)+12, 1<<30), ErrTruncated, "after the end of the file"},
		{"wrong file id", patch(0, 999), ErrFormat, "file id"},
		{"no dir pointer", patch(at(kindDirPointer), 999), ErrFormat, "directory pointer"},
		{"not fif", []byte(strings.Repeat("0 FIF? not really, a text file\n", 4)), ErrFormat, "file id"},
		{"no sfreq", with(func(s *spec) { s.sfreq = nil }), ErrFormat, "FIFF_SFREQ"},
		{"zero sfreq", with(func(s *spec) { s.sfreq = beF32(0) }), ErrFormat, "FIFF_SFREQ"},
		{"two sfreqs", with(func(s *spec) { s.sfreq = beF32(1, 2) }), ErrFormat, "2 values"},
		{"no nchan", with(func(s *spec) { s.nchan = nil }), ErrFormat, "FIFF_NCHAN"},
		{"no channels", with(func(s *spec) { s.chans = nil }), ErrFormat, "FIFF_CH_INFO"},
		{"nchan mismatch", with(func(s *spec) { s.nchan = be32(3) }), ErrFormat, "FIFF_NCHAN says 3"},
		{"short channel info", with(func(s *spec) { s.chans[1] = s.chans[1][:60] }), ErrFormat, "channel 2 info"},
		{"unknown channel kind", with(func(s *spec) { s.chans[1] = chanStruct("X", 201, 0, unitV, 1, 1) }), ErrFormat, `channel "X": unknown channel type`},
		{"buffer size", with(func(s *spec) { s.buffers[1] = s.buffers[1][:10] }), ErrFormat, "not a whole number of samples of 2 channels"},
		{"buffer type", with(func(s *spec) { s.bufType = typeString }), ErrFormat, "cannot handle data of type 10"},
		{"complex buffer", with(func(s *spec) { s.bufType = typeComplexFloat }), ErrFormat, "complex"},
		{"no buffers", with(func(s *spec) { s.buffers = nil }), ErrFormat, "raw data block is empty"},
		{"empty buffers", with(func(s *spec) { s.buffers = [][]byte{{}, {}} }), ErrFormat, "no samples"},
		{"only first sample", with(func(s *spec) {
			s.buffers = nil
			s.preBuffer = func(b *builder) { b.ints(kindFirstSample, 5) }
		}), ErrFormat, "no data after the first sample"},
		{"bad date", with(func(s *spec) { s.date = nil }), nil, ""},
		{"no meas block", func() []byte {
			var b builder
			return b.head().ints(kindNChan, 1).Bytes()
		}(), ErrFormat, "FIFFB_MEAS"},
		{"maxshield", bytes.Replace(good, be32(kindBlockStart, typeInt, 4, 0, blockRawData), be32(kindBlockStart, typeInt, 4, 0, blockIASRawData), 1), ErrFormat, "MaxShield"},
		{"bad block start", patch(at(kindBlockStart)+4, typeString), ErrFormat, "block start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := open(c.data, "bad[1]_raw.fif")
			if c.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if !strings.Contains(err.Error(), "bad[1]_raw.fif") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %q, want the file name and %q", err, c.msg)
			}
		})
	}
}

// Every truncation of a real small file is an error, never a panic or a
// silently shorter recording.
func TestTruncations(t *testing.T) {
	b, err := os.ReadFile("testdata/short_raw.fif")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n += 7 {
		err := open(b[:n], "short_raw.fif")
		if err == nil {
			// A cut just after a whole tag leaves a shorter valid file
			// only if it falls after the last data buffer.
			if n < len(b)-64 {
				t.Fatalf("truncated at %d of %d: no error", n, len(b))
			}
			continue
		}
		if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated at %d: %v", n, err)
		}
	}
}

// Malformed annotation blocks are errors.
func TestBadAnnotations(t *testing.T) {
	for _, c := range []struct {
		name string
		add  func(*builder)
		msg  string
	}{
		{"count mismatch", func(b *builder) {
			b.tag(kindMNEBaselineMin, typeFloat, beF32(0.01, 0.02))
			b.tag(kindMNEBaselineMax, typeFloat, beF32(0.01, 0.02))
			b.tag(kindComment, typeString, []byte("a"))
		}, "2 onsets, 2 durations and 1 descriptions"},
		{"ends mismatch", func(b *builder) {
			b.tag(kindMNEBaselineMin, typeFloat, beF32(0.01, 0.02))
			b.tag(kindMNEBaselineMax, typeFloat, beF32(0.01, 0.02, 0.03))
		}, "3 ends for 2 onsets"},
		{"negative duration", func(b *builder) {
			b.tag(kindMNEBaselineMin, typeFloat, beF32(0.02))
			b.tag(kindMNEBaselineMax, typeFloat, beF32(0.01))
			b.tag(kindComment, typeString, []byte("a"))
		}, "duration"},
		{"origin without date", func(b *builder) {
			b.tag(kindMNEBaselineMin, typeFloat, beF32(0.02))
			b.tag(kindMNEBaselineMax, typeFloat, beF32(0.03))
			b.tag(kindComment, typeString, []byte("a"))
			b.tag(kindMeasDate, typeDouble, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
		}, "no measurement date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := defaultSpec()
			if c.name == "origin without date" {
				s.date = be32(0, 1<<31-1) // MNE's DATE_NONE
			}
			data := s.build()
			// Insert the annotation block before the raw data block.
			var a builder
			a.start(blockMNEAnnotation)
			c.add(&a)
			a.end(blockMNEAnnotation)
			mark := be32(kindBlockStart, typeInt, 4, 0, blockRawData)
			i := bytes.Index(data, mark)
			data = append(data[:i:i], append(a.Bytes(), data[i:]...)...)
			err := open(data, "annot_raw.fif")
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v, want ErrFormat with %q", err, c.msg)
			}
		})
	}
}

func TestBadEvents(t *testing.T) {
	var b builder
	b.head().start(blockMNEEvents).ints(kindMNEEventList, 1, 2).end(blockMNEEvents)
	for _, c := range []struct {
		name, file string
		data       []byte
		msg        string
	}{
		{"not triplets", "x-eve.fif", b.Bytes(), "triplets"},
		{"no block", "x-eve.fif", new(builder).head().Bytes(), "FIFFB_MNE_EVENTS"},
		{"truncated", "x-eve.fif", b.Bytes()[:len(b.Bytes())-3], "after the end"},
		{"text columns", "x.eve", []byte("1 2\n3 4\n"), "2 columns"},
		{"text ragged", "x.eve", []byte("1 2 3\n3 4\n"), "line 2"},
		{"text word", "x.eve", []byte("1 2 x\n"), "not a number"},
		{"text empty", "x.eve", []byte("# nothing\n"), "no event lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadEventsFrom(bytes.NewReader(c.data), int64(len(c.data)), c.file)
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("err = %v, want one naming %s and %q", err, c.file, c.msg)
			}
		})
	}
}
