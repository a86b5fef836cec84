package online

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/stream"
)

// TestDecoderReplay replays EEGMMIDB run 4 through stream's replay source
// (its EDF channel labels matched to the model's 10-05 names, its
// annotations as markers) and checks that the decisions equal those of the
// same recording read by the dataset and pushed directly: sliding windows
// and the windows after the T1/T2 cues (replay codes 2 and 3, the dataset's).
func TestDecoderReplay(t *testing.T) {
	d := imagery(t)
	r, events := recording(t, d, "04")
	m := trainedModel(t, "csp+lda")
	cfg := Config{Step: 1, Trigger: true}

	src, err := stream.OpenReplay(testdata.Path(t, "eegmmidb/S001/S001R04.edf"), stream.ReplayOptions{Speed: -1, ChunkSamples: 37})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	h := src.Header()
	// "Fc5." is the dataset's "FC5": match labels without dots, ignoring case.
	names := slices.Clone(h.Channels)
	for i, c := range names {
		for _, mc := range m.Channels {
			if strings.EqualFold(strings.Trim(c, "."), mc) {
				names[i] = mc
			}
		}
	}
	dec, err := NewDecoder(m, names, h.SFreq, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var live []Decision
	markers := []Marker{}
	for {
		c, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		markers = markers[:0]
		for _, mk := range c.Markers {
			markers = append(markers, Marker(mk))
		}
		out, err := dec.Push(c.Start, c.Data, time.Now(), markers)
		if err != nil {
			t.Fatal(err)
		}
		live = append(live, out...)
	}

	ref, err := NewDecoder(m, channelNames(r), r.SFreq, cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := replay(t, ref, r, events, 11)
	// The replay also carries T0 (rest, code 1) markers, which trigger
	// nothing; compare everything but the markers.
	if len(live) != len(all) {
		t.Fatalf("%d decisions from the stream, %d from the dataset", len(live), len(all))
	}
	trig := 0
	for i := range live {
		a, b := live[i], all[i]
		if a.End != b.End || a.Predicted != b.Predicted || a.Score != b.Score || (a.Trigger == nil) != (b.Trigger == nil) {
			t.Fatalf("decision %d: stream %+v, dataset %+v", i, a, b)
		}
		if a.Trigger != nil {
			trig++
			if a.Trigger.Sample != b.Trigger.Sample || a.Trigger.Code != b.Trigger.Code {
				t.Fatalf("decision %d: cue %+v, dataset %+v", i, *a.Trigger, *b.Trigger)
			}
		}
	}
	if trig < 10 {
		t.Fatalf("%d cue decisions", trig)
	}
}
