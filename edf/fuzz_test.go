package edf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// seedFiles returns the header and first record of every EDF/BDF in
// the data directory and in testdata (the written fixtures).
func seedFiles(tb testing.TB) map[string][]byte {
	paths, _ := filepath.Glob(filepath.Join("testdata", "written_*"))
	if d := testdata.Dir(); d != "" {
		for rel := range refFiles() {
			paths = append(paths, filepath.Join(d, filepath.FromSlash(rel)))
		}
	}
	sort.Strings(paths)
	seeds := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		r, err := NewReader(bytes.NewReader(b), int64(len(b)), p)
		if err != nil {
			tb.Fatalf("seed %s: %v", p, err)
		}
		n := min(int64(len(b)), r.data+r.recBytes)
		seeds[p] = b[:n]
	}
	return seeds
}

// FuzzReader opens arbitrary bytes as EDF/BDF and reads all of it window by
// window: every failure must be one of the package's errors, never a
// panic, and memory must stay bounded by the file size.
func FuzzReader(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrHeader) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		info := r.Info()
		if info.NSamples < 0 || !(info.SFreq > 0) {
			t.Fatalf("NSamples %d SFreq %v", info.NSamples, info.SFreq)
		}
		for i := 1; i < len(info.Annotations); i++ {
			if info.Annotations[i].Onset < info.Annotations[i-1].Onset {
				t.Fatalf("annotations not sorted: %+v", info.Annotations)
			}
		}
		if len(info.Channels) == 0 {
			return
		}
		w := min(info.NSamples, 4096)
		dst := raw.NewData(len(info.Channels), w)
		for start := 0; start < info.NSamples; start += w {
			n := min(w, info.NSamples-start)
			win := dst
			if n < w {
				win = raw.NewData(len(info.Channels), n)
			}
			if err := r.ReadAt(win, start); err != nil {
				t.Fatalf("ReadAt(%d, %d): %v", start, n, err)
			}
		}
	})
}

// talPattern is MNE's TAL regular expression; RE2's leftmost-first matching
// gives Python's results, and \p{Nd} is Python's Unicode \d.
var talPattern = regexp.MustCompile(`([+-]\p{Nd}+\.?\p{Nd}*)(\x15(\p{Nd}+\.?\p{Nd}*))?(\x14.*?)\x14\x00`)

// FuzzTAL checks the hand-written TAL matcher against the regular
// expression MNE uses, and the MNE post-processing for invariants.
func FuzzTAL(f *testing.F) {
	for _, b := range seedFiles(f) {
		r, err := NewReader(bytes.NewReader(b), int64(len(b)), "seed")
		if err != nil {
			continue
		}
		for i, s := range r.hdr.Signals {
			if !s.Annotations {
				continue
			}
			var off int64
			for _, p := range r.hdr.Signals[:i] {
				off += int64(p.SamplesPerRecord * r.bps)
			}
			for k := 0; k < r.hdr.RecordsInFile; k++ {
				start := r.data + int64(k)*r.recBytes + off
				f.Add(b[start : start+int64(s.SamplesPerRecord*r.bps)])
			}
		}
	}
	f.Add([]byte("+0\x14\x14\x00+1.5\x150.25\x14A\x14B\x14\x00"))
	f.Add([]byte("+0\x14\x14\x00+\xd9\xa1.5\x14x\x14\x00+2\x14a\nb\x14\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := decodeTAL(data)
		want := talPattern.FindAllStringSubmatch(s, -1)
		var got []tal
		scanTALs(s, func(x tal) { got = append(got, x) })
		if len(got) != len(want) {
			t.Fatalf("%q: %d TALs, regexp %d", s, len(got), len(want))
		}
		for i, m := range want {
			on, ok := pyFloat(asciiDigits(m[1]))
			if !ok {
				t.Fatalf("onset %q does not parse", m[1])
			}
			du := 0.0
			if m[3] != "" {
				du, _ = pyFloat(asciiDigits(m[3]))
			}
			if g := got[i]; !(g.onset == on || on != on) || g.duration != du || g.texts != m[4] {
				t.Fatalf("%q: TAL %d = %+v, regexp %q", s, i, g, m)
			}
		}
		ann := mneAnnotations(talAnnotations(s), 1000, 100)
		for i, a := range ann {
			if a.Onset < 0 || a.Onset > 10 || a.Duration < 0 || (i > 0 && a.Onset < ann[i-1].Onset) {
				t.Fatalf("annotation %d = %+v", i, a)
			}
		}
	})
}
