package edf

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"testing"

	"github.com/bcikit/bcikit/raw"
)

// synthBDF is an io.ReaderAt over a BDF+ file of any length that exists
// nowhere: the header is patched to the requested number of records and
// every record repeats one template record.
type synthBDF struct {
	header, record []byte
	records        int
}

func newSynthBDF(t testing.TB, channels, sfreq, records int) *synthBDF {
	r := &raw.Raw{Info: raw.Info{SFreq: float64(sfreq), NSamples: sfreq}}
	for c := 0; c < channels; c++ {
		r.Channels = append(r.Channels, raw.Channel{Name: "C" + strconv.Itoa(c), Type: raw.EEG, Unit: raw.UnitVolt, SFreq: float64(sfreq)})
	}
	r.Data = raw.NewData(channels, sfreq)
	for c := range r.Data {
		for i := range r.Data[c] {
			r.Data[c][i] = 100e-6 * math.Sin(float64(i*(c+1))*0.01)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, WriteOptions{Format: "bdf", RecordDuration: 1}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	hb := 256 * (channels + 2)
	s := &synthBDF{header: bytes.Clone(b[:hb]), record: bytes.Clone(b[hb:]), records: records}
	copy(s.header[236:244], fmt.Sprintf("%-8d", records))
	return s
}

func (s *synthBDF) Size() int64 { return int64(len(s.header)) + int64(s.records)*int64(len(s.record)) }

func (s *synthBDF) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) && off < s.Size() {
		var src []byte
		if off < int64(len(s.header)) {
			src = s.header[off:]
		} else {
			k := (off - int64(len(s.header))) % int64(len(s.record))
			src = s.record[k:]
		}
		c := copy(p[n:], src)
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, fmt.Errorf("synthetic EOF")
	}
	return n, nil
}

// TestConstantMemory reads a synthetic BDF (1 GiB; 64 MiB under -short or
// -race) window by window and checks that the heap stays bounded and that
// reading allocates nothing per window.
func TestConstantMemory(t *testing.T) {
	const channels, sfreq = 32, 2048 // 196,608 data bytes per 1-s record
	size := int64(1 << 30)
	if testing.Short() || raceEnabled {
		size = 64 << 20
	}
	s := newSynthBDF(t, channels, sfreq, 1)
	s = newSynthBDF(t, channels, sfreq, int(size/int64(len(s.record))))
	r, err := NewReader(s, s.Size(), "synthetic.bdf")
	if err != nil {
		t.Fatal(err)
	}
	info := r.Info()
	if info.NSamples != s.records*sfreq || len(info.Channels) != channels {
		t.Fatalf("%d samples, %d channels", info.NSamples, len(info.Channels))
	}
	want := raw.NewData(channels, sfreq)
	if err := r.ReadAt(want, 0); err != nil {
		t.Fatal(err)
	}
	const window = 1500 // not a divisor of the record: windows straddle records
	dst := raw.NewData(channels, window)
	runtime.GC()
	var before, now runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	for start := 0; start+window <= info.NSamples; start += window {
		if err := r.ReadAt(dst, start); err != nil {
			t.Fatal(err)
		}
		if (start/window)%97 == 0 {
			for c := 0; c < channels; c += 7 {
				for i := 0; i < window; i += 101 {
					if got, w := dst[c][i], want[c][(start+i)%sfreq]; got != w {
						t.Fatalf("channel %d sample %d = %g, want %g", c, start+i, got, w)
					}
				}
			}
			runtime.ReadMemStats(&now)
			peak = max(peak, now.HeapAlloc)
		}
	}
	runtime.ReadMemStats(&now)
	peak = max(peak, now.HeapAlloc)
	t.Logf("read %d MiB in %d-sample windows: heap peak %.1f MiB, allocated %d bytes while reading",
		s.Size()>>20, window, float64(peak)/(1<<20), now.TotalAlloc-before.TotalAlloc)
	if peak > 64<<20 {
		t.Errorf("heap reached %d MiB", peak>>20)
	}
	if grew := now.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("reading allocated %d bytes", grew)
	}
}

// BenchmarkReadSyntheticBDF reads a 256 MiB synthetic BDF in 1-s windows.
func BenchmarkReadSyntheticBDF(b *testing.B) {
	const channels, sfreq = 32, 2048
	s := newSynthBDF(b, channels, sfreq, (256<<20)/(channels*sfreq*3))
	r, err := NewReader(s, s.Size(), "synthetic.bdf")
	if err != nil {
		b.Fatal(err)
	}
	dst := raw.NewData(channels, sfreq)
	b.SetBytes(s.Size())
	b.ReportAllocs()
	for b.Loop() {
		for start := 0; start+sfreq <= r.Info().NSamples; start += sfreq {
			if err := r.ReadAt(dst, start); err != nil {
				b.Fatal(err)
			}
		}
	}
}
