package edf

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/raw"
)

// TestTALMatchesMNE runs the TAL matcher on the streams of
// testdata/gen/edf_tal_ref.py and compares with MNE's regular expression.
func TestTALMatchesMNE(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "ref_tal.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Input       string    `json:"input"`
		Onset       []float64 `json:"onset"`
		Duration    []float64 `json:"duration"`
		Description []string  `json:"description"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		in, err := base64.StdEncoding.DecodeString(c.Input)
		if err != nil {
			t.Fatal(err)
		}
		got := talAnnotations(decodeTAL(in))
		if len(got) != len(c.Onset) {
			t.Errorf("%q: %d annotations %+v, MNE %d %q", in, len(got), got, len(c.Onset), c.Description)
			continue
		}
		for i, a := range got {
			// numpy drops trailing NULs when MNE builds its Annotations.
			want := raw.Annotation{Onset: c.Onset[i], Duration: c.Duration[i], Description: strings.TrimRight(c.Description[i], "\x00")}
			if a != want {
				t.Errorf("%q: annotation %d = %+v, MNE %+v", in, i, a, want)
			}
		}
	}
}

func TestTALLatin1(t *testing.T) {
	got := talAnnotations(decodeTAL([]byte("+0\x14\x14\x00+1\x14caf\xe9\x14\x00")))
	if len(got) != 1 || got[0].Description != "café" {
		t.Errorf("%+v", got)
	}
}

func TestMNEAnnotationCrop(t *testing.T) {
	// 10 samples at 10 Hz: MNE keeps what overlaps [0, 1] s.
	in := []raw.Annotation{
		{Onset: 0.5, Duration: 0, Description: "b"},
		{Onset: -0.5, Duration: 1, Description: "clipped left"},
		{Onset: 0.5, Duration: 2, Description: "clipped right"},
		{Onset: 1.0000004, Duration: 0, Description: "at the end"},
		{Onset: 1.1, Duration: 0, Description: "after"},
		{Onset: -2, Duration: 1, Description: "before"},
		{Onset: 0.2500005, Duration: 0.1, Description: "rounded"},
		{Onset: 0.5, Duration: 0, Description: "a"},
		{Onset: 1e300, Duration: 0, Description: "overflow"},
	}
	got := mneAnnotations(in, 10, 10)
	want := []raw.Annotation{
		{Onset: 0, Duration: 0.5, Description: "clipped left"},
		{Onset: 0.25, Duration: 0.1, Description: "rounded"},
		{Onset: 0.5, Duration: 0, Description: "b"},
		{Onset: 0.5, Duration: 0, Description: "a"},
		{Onset: 0.5, Duration: 0.5, Description: "clipped right"},
		{Onset: 1, Duration: 0, Description: "at the end"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("annotation %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if us, ok := micros(0.0000025); !ok || us != 2 {
		t.Errorf("micros(2.5e-6) = %d (half to even)", us)
	}
	if us, _ := micros(-1.5e-6); us != -2 {
		t.Errorf("micros(-1.5e-6) = %d", us)
	}
	if _, ok := micros(math.Inf(1)); ok {
		t.Error("micros(inf) ok")
	}
}
