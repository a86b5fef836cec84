package brainvision

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// synth describes a small recording written by writeSynth.
type synth struct {
	format      string // INT_16, INT_32, IEEE_FLOAT_32 or ASCII
	orientation string
	chans       []string // Ch<n>= values
	values      [][]float64
	markers     string // [Marker Infos] lines
	extra       string // more [Common Infos] lines
}

// writeSynth writes x.vhdr, x.vmrk and x.eeg into a new temporary
// directory and returns the header's path.
func writeSynth(t testing.TB, s synth) string {
	t.Helper()
	dir := t.TempDir()
	nch, n := len(s.values), len(s.values[0])
	dataFormat, fmtSection := "BINARY", "[Binary Infos]\nBinaryFormat="+s.format+"\n"
	if s.format == "ASCII" {
		dataFormat, fmtSection = "ASCII", "[ASCII Infos]\nDecimalSymbol=.\nSkipLines=1\n"
	}
	var ch strings.Builder
	for i, c := range s.chans {
		fmt.Fprintf(&ch, "Ch%d=%s\n", i+1, c)
	}
	hdr := fmt.Sprintf("Brain Vision Data Exchange Header File Version 1.0\n\n[Common Infos]\nCodepage=UTF-8\n"+
		"DataFile=x.eeg\nMarkerFile=x.vmrk\nDataFormat=%s\nDataOrientation=%s\nNumberOfChannels=%d\n"+
		"SamplingInterval=2000\n%s\n%s\n[Channel Infos]\n%s", dataFormat, s.orientation, nch, s.extra, fmtSection, ch.String())
	mrk := "Brain Vision Data Exchange Marker File, Version 1.0\n\n[Marker Infos]\n" + s.markers
	var data []byte
	if s.format == "ASCII" {
		var b strings.Builder
		b.WriteString("header line\n")
		for i := range n {
			for c := range nch {
				if c > 0 {
					b.WriteString(" ")
				}
				fmt.Fprintf(&b, "%g", s.values[c][i])
			}
			b.WriteString("\n")
		}
		data = []byte(b.String())
	} else {
		at := func(k int) (int, int) { // k-th sample in file order
			if s.orientation == "VECTORIZED" {
				return k / n, k % n
			}
			return k % nch, k / nch
		}
		for k := range nch * n {
			c, i := at(k)
			v := s.values[c][i]
			switch s.format {
			case "INT_16":
				data = binary.LittleEndian.AppendUint16(data, uint16(int16(v)))
			case "INT_32":
				data = binary.LittleEndian.AppendUint32(data, uint32(int32(v)))
			case "IEEE_FLOAT_32":
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(v)))
			}
		}
	}
	for name, b := range map[string][]byte{"x.vhdr": []byte(hdr), "x.vmrk": []byte(mrk), "x.eeg": data} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "x.vhdr")
}

// TestSynthetic reads the layouts and sample formats from files written
// here with known values: each sample must be exactly value × resolution
// × unit factor.
func TestSynthetic(t *testing.T) {
	values := [][]float64{
		{0, 1, -1, 32767, -32768, 12345, -2, 7},
		{5, -5, 100, -100, 0, 1, 2, 3},
		{-7, 8, -9, 10, -11, 12, -13, 14},
	}
	wide := [][]float64{
		{2147483647, -2147483648, 0, 1, -1, 65536, -65537, 42},
		values[1], values[2],
	}
	floats := [][]float64{
		{0.5, -0.25, 1e10, -3.75, float64(float32(0.1)), 0, float64(float32(1e-20)), -1},
		values[1], values[2],
	}
	chans := []string{"Fp1,,0.1,µV", "EOG\\1x,,2,mV", "Temp,,0.5,C"}
	scale := []float64{0.1e-6, 2e-3, 0.5}
	for _, format := range []string{"INT_16", "INT_32", "IEEE_FLOAT_32", "ASCII"} {
		for _, orient := range []string{"MULTIPLEXED", "VECTORIZED"} {
			if format == "ASCII" && orient == "VECTORIZED" {
				continue
			}
			t.Run(format+"_"+orient, func(t *testing.T) {
				vals := values
				switch format {
				case "INT_32":
					vals = wide
				case "IEEE_FLOAT_32", "ASCII":
					vals = floats
				}
				r, err := Open(writeSynth(t, synth{format: format, orientation: orient, chans: chans, values: vals}))
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				info := r.Info()
				if info.SFreq != 500 || info.NSamples != 8 || info.Format != "brainvision" {
					t.Fatalf("sfreq %v, %d samples, format %q", info.SFreq, info.NSamples, info.Format)
				}
				wantCh := []raw.Channel{
					{Name: "Fp1", Type: raw.EEG, Unit: "V", SFreq: 500},
					{Name: "EOG,x", Type: raw.EEG, Unit: "V", SFreq: 500},
					{Name: "Temp", Type: raw.Misc, Unit: "C", SFreq: 500},
				}
				for i, c := range info.Channels {
					if c != wantCh[i] {
						t.Errorf("channel %d = %+v, want %+v", i, c, wantCh[i])
					}
				}
				rec, err := raw.ReadAll(r)
				if err != nil {
					t.Fatal(err)
				}
				for c := range vals {
					for i, v := range vals[c] {
						if want := v * scale[c]; rec.Data[c][i] != want {
							t.Errorf("channel %d sample %d = %g, want %g", c, i, rec.Data[c][i], want)
						}
					}
				}
				// Every window equals the same part of the whole.
				for start := 0; start < 8; start++ {
					for n := 0; start+n <= 8; n++ {
						dst := raw.NewData(3, n)
						if err := r.ReadAt(dst, start); err != nil {
							t.Fatal(err)
						}
						for c := range dst {
							for i := range dst[c] {
								if dst[c][i] != rec.Data[c][start+i] {
									t.Fatalf("window [%d,%d) channel %d sample %d differs", start, start+n, c, i)
								}
							}
						}
					}
				}
			})
		}
	}
}

// TestLargeWindows reads windows that span several of ReadAt's buffers.
func TestLargeWindows(t *testing.T) {
	const nch, n = 5, 60000 // 600 kB of INT_16
	vals := make([][]float64, nch)
	for c := range vals {
		vals[c] = make([]float64, n)
		for i := range vals[c] {
			vals[c][i] = float64((i*7919+c*104729)%65536 - 32768)
		}
	}
	chans := []string{"A,,1,V", "B,,1,V", "C,,1,V", "D,,1,V", "E,,1,V"}
	for _, orient := range []string{"MULTIPLEXED", "VECTORIZED"} {
		t.Run(orient, func(t *testing.T) {
			r, err := Open(writeSynth(t, synth{format: "INT_16", orientation: orient, chans: chans, values: vals}))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for _, w := range [][2]int{{0, n}, {1, n - 1}, {33333, 26000}, {59999, 1}} {
				dst := raw.NewData(nch, w[1])
				if err := r.ReadAt(dst, w[0]); err != nil {
					t.Fatal(err)
				}
				for c := range dst {
					for i, v := range dst[c] {
						if v != vals[c][w[0]+i] {
							t.Fatalf("window %v channel %d sample %d = %v, want %v", w, c, i, v, vals[c][w[0]+i])
						}
					}
				}
			}
		})
	}
}

// TestMarkers checks the marker list of test.vmrk field by field.
func TestMarkers(t *testing.T) {
	r, err := Open(testdata.Path(t, "formats/BrainVision/test.vhdr"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ms := r.Markers()
	if len(ms) != 14 {
		t.Fatalf("%d markers, want 14", len(ms))
	}
	date := time.Date(2013, 11, 13, 16, 14, 3, 794232000, time.UTC)
	want := []Marker{
		{Number: 1, Type: "New Segment", Position: 1, Length: 1, Date: date},
		{Number: 2, Type: "Stimulus", Description: "S253", Position: 487},
		{Number: 3, Type: "Stimulus", Description: "S255", Position: 497, Length: 1},
		{Number: 4, Type: "Event", Description: "254", Position: 1770, Length: 1},
	}
	for i, w := range want {
		if ms[i] != w {
			t.Errorf("marker %d = %+v, want %+v", i, ms[i], w)
		}
	}
	last := Marker{Number: 14, Type: "Optic", Description: "O  1", Position: 7700, Length: 1}
	if ms[13] != last {
		t.Errorf("marker 14 = %+v, want %+v", ms[13], last)
	}
	if !r.Info().MeasDate.Equal(date) {
		t.Errorf("meas date %v, want %v", r.Info().MeasDate, date)
	}
	a := r.Info().Annotations[1]
	if a.Description != "Stimulus/S253" || a.Onset != 0.486 || a.Duration != 0 {
		t.Errorf("annotation 1 = %+v", a)
	}
	ms[0].Type = "changed" // Markers returns a copy
	if r.Markers()[0].Type != "New Segment" {
		t.Error("Markers shares its slice with the reader")
	}
}

// TestHeaderFields checks what Header reports for the shared files.
func TestHeaderFields(t *testing.T) {
	r, err := Open(testdata.Path(t, "formats/BrainVision/test_old_layout_latin1_software_filter.vhdr"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	if h.Version != 1 || h.Codepage != "Latin-1" || h.DataFormat != "BINARY" || h.BinaryFormat != "IEEE_FLOAT_32" ||
		h.Orientation != "VECTORIZED" || h.SamplingInterval != 4000 || h.DataPoints != -1 || len(h.Channels) != 29 {
		t.Errorf("header %+v", *h)
	}
	if c := h.Channels[28]; c != (ChannelInfo{Name: "HEOGre", Resolution: 0.1, Unit: "µV"}) {
		t.Errorf("channel 29 %+v", c)
	}
	if filepath.Base(h.DataFile) != "test_old_layout_latin1_software_filter.eeg" || !filepath.IsAbs(h.MarkerFile) {
		t.Errorf("files %q %q", h.DataFile, h.MarkerFile)
	}

	r2, err := Open(testdata.Path(t, "formats/BrainVision/testv2.vhdr"))
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if h := r2.Header(); h.Version != 2 || h.Codepage != "UTF-8" || h.DataPoints != 7900 {
		t.Errorf("testv2 header version %d codepage %q datapoints %d", h.Version, h.Codepage, h.DataPoints)
	}
}

// TestErrors checks the sentinel errors and that messages name the file
// and the field.
func TestErrors(t *testing.T) {
	good := synth{format: "INT_16", orientation: "MULTIPLEXED", chans: []string{"A,,1,µV"},
		values: [][]float64{{1, 2, 3}}, markers: "Mk1=Stimulus,S  1,2,1,0\n"}
	edit := func(t *testing.T, s synth, file, old, new string) string {
		t.Helper()
		p := writeSynth(t, s)
		target := filepath.Join(filepath.Dir(p), file)
		b, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		if err := os.WriteFile(target, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, file, old, new string
		want                 error
		msg                  []string // parts the message must hold
	}{
		{"magic", "x.vhdr", "Header File", "Heder File", ErrHeader, []string{"x.vhdr", "first line"}},
		{"number", "x.vhdr", "NumberOfChannels=1", "NumberOfChannels=1.5", ErrHeader, []string{"NumberOfChannels", `"1.5"`}},
		{"too many channels", "x.vhdr", "NumberOfChannels=1", "NumberOfChannels=2", ErrHeader, []string{"NumberOfChannels", "2"}},
		{"sampling", "x.vhdr", "SamplingInterval=2000", "SamplingInterval=2ms", ErrHeader, []string{"SamplingInterval"}},
		{"uint16", "x.vhdr", "INT_16", "UINT_16", ErrUnsupported, []string{"BinaryFormat", "UINT_16"}},
		{"marker magic", "x.vmrk", "Marker File", "Maker File", ErrMarkers, []string{"x.vmrk", "first line"}},
		{"marker position", "x.vmrk", "S  1,2,", "S  1,two,", ErrMarkers, []string{"x.vmrk", "Mk1", "position"}},
		{"marker date", "x.vmrk", "Mk1=Stimulus,S  1,2,1,0", "Mk1=New Segment,,1,1,0,20230230000000000000", ErrMarkers, []string{"New Segment date", "20230230000000000000"}},
		{"missing data file", "x.vhdr", "DataFile=x.eeg", "DataFile=nothere.eeg", fs.ErrNotExist, []string{"DataFile", "nothere.eeg"}},
		{"missing marker file", "x.vhdr", "MarkerFile=x.vmrk", "MarkerFile=nothere.vmrk", fs.ErrNotExist, []string{"MarkerFile", "nothere.vmrk"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(edit(t, good, c.file, c.old, c.new))
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			for _, m := range c.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}

	t.Run("extension", func(t *testing.T) {
		p := writeSynth(t, good)
		q := strings.TrimSuffix(p, ".vhdr") + ".txt"
		if err := os.Rename(p, q); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(q); !errors.Is(err, ErrHeader) {
			t.Errorf("error %v, want ErrHeader", err)
		}
	})
	t.Run("no sample", func(t *testing.T) {
		p := writeSynth(t, good)
		if err := os.WriteFile(filepath.Join(filepath.Dir(p), "x.eeg"), []byte{1}, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p); !errors.Is(err, ErrTruncated) {
			t.Errorf("error %v, want ErrTruncated", err)
		}
	})
	t.Run("shrunk after open", func(t *testing.T) {
		p := writeSynth(t, good)
		r, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := os.Truncate(filepath.Join(filepath.Dir(p), "x.eeg"), 2); err != nil {
			t.Fatal(err)
		}
		err = r.ReadAt(raw.NewData(1, 2), 1)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("error %v, want ErrTruncated", err)
		}
	})
	t.Run("window", func(t *testing.T) {
		r, err := Open(writeSynth(t, good))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.ReadAt(raw.NewData(1, 2), 2); !errors.Is(err, raw.ErrWindow) {
			t.Errorf("error %v, want raw.ErrWindow", err)
		}
		if err := r.ReadAt(raw.NewData(1, 1), -1); !errors.Is(err, raw.ErrWindow) {
			t.Errorf("error %v, want raw.ErrWindow", err)
		}
	})
	t.Run("absolute data path", func(t *testing.T) {
		p := writeSynth(t, good)
		abs := filepath.Join(filepath.Dir(p), "x.eeg")
		q := edit(t, good, "x.vhdr", "DataFile=x.eeg", "DataFile="+abs)
		r, err := Open(q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if r.Header().DataFile != abs {
			t.Errorf("data file %q, want %q", r.Header().DataFile, abs)
		}
	})
}
