package stream

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// mneReplay is testdata/mne_replay.json, written by
// testdata/gen/stream_ref.py with MNE-Python 1.3.
type mneReplay struct {
	File           string      `json:"file"`
	Channels       []string    `json:"channels"`
	Units          []string    `json:"units"`
	Types          []string    `json:"types"`
	SFreq          float64     `json:"sfreq"`
	NTimes         int         `json:"n_times"`
	Markers        [][3]any    `json:"markers"` // sample, code, label
	SampleChannels []int       `json:"sample_channels"`
	SampleIndices  []int       `json:"sample_indices"`
	Samples        [][]float64 `json:"samples"`
}

type mneFixture struct {
	Files []mneReplay `json:"files"`
	Codes []struct {
		Descriptions []string       `json:"descriptions"`
		Codes        map[string]int `json:"codes"`
	} `json:"codes"`
}

// TestMarkerCodesMatchMNE: the codes of markers for FIF recordings are
// MNE's "auto" ones: BrainVision codes when every annotation is a
// BrainVision marker, else 1, 2, ...
func TestMarkerCodesMatchMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/mne_replay.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx mneFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Codes) != 3 {
		t.Fatalf("%d cases in the fixture", len(fx.Codes))
	}
	for _, tc := range fx.Codes {
		info := raw.Info{Format: "fif", SFreq: 100, NSamples: 1000}
		for i, d := range tc.Descriptions {
			info.Annotations = append(info.Annotations, raw.Annotation{Onset: float64(i)*0.5 + 0.1, Description: d})
		}
		_, used, err := info.EventsFromAnnotations(markerCodes(&info))
		if err != nil {
			t.Fatal(err)
		}
		if len(used) != len(tc.Codes) {
			t.Errorf("%q: codes %v, MNE %v", tc.Descriptions, used, tc.Codes)
		}
		for d, c := range tc.Codes {
			if used[d] != c {
				t.Errorf("%q: code %d, MNE %d", d, used[d], c)
			}
		}
	}
}

// TestReplayMatchesMNE: a replay, received over TCP in float64, carries
// what MNE reads from the file: header, the markers of
// mne.events_from_annotations with its default ("auto") codes, samples to
// 1e-12 relative.
func TestReplayMatchesMNE(t *testing.T) {
	b, err := os.ReadFile("testdata/mne_replay.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx mneFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	for _, ref := range fx.Files {
		rp, err := OpenReplay(testdata.Path(t, ref.File), ReplayOptions{Speed: -1, ChunkSamples: 37})
		if err != nil {
			t.Fatal(err)
		}
		ln := listen(t)
		go (&Server{Logf: func(string, ...any) {}, WaitFor: 1, Backpressure: true}).Serve(context.Background(), ln, rp)
		src, err := Dial(context.Background(), "tcp://"+ln.Addr().String(), DialOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := src.Header()
		if strings.Join(h.Channels, "|") != strings.Join(ref.Channels, "|") || strings.Join(h.Units, "|") != strings.Join(ref.Units, "|") ||
			strings.Join(h.Types, "|") != strings.Join(ref.Types, "|") || h.SFreq != ref.SFreq {
			t.Errorf("%s: header\n%v\n%v\n%v %v\nMNE\n%v\n%v\n%v %v", ref.File, h.Channels, h.Units, h.Types, h.SFreq, ref.Channels, ref.Units, ref.Types, ref.SFreq)
		}
		var marks []Marker
		n := 0
		for {
			c, err := src.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			marks = append(marks, c.Markers...)
			for k, ch := range ref.SampleChannels {
				for j, i := range ref.SampleIndices {
					if i < n || i >= n+c.Len() {
						continue
					}
					got, want := c.Data[ch][i-n], ref.Samples[k][j]
					if math.Abs(got-want) > 1e-12*math.Abs(want) {
						t.Errorf("%s: channel %d sample %d: %v, MNE %v", ref.File, ch, i, got, want)
					}
				}
			}
			n += c.Len()
		}
		src.Close()
		rp.Close()
		if n != ref.NTimes {
			t.Errorf("%s: %d samples, MNE %d", ref.File, n, ref.NTimes)
		}
		if len(marks) != len(ref.Markers) {
			t.Fatalf("%s: %d markers, MNE %d: %v", ref.File, len(marks), len(ref.Markers), marks)
		}
		for i, m := range marks {
			w := ref.Markers[i]
			if m.Sample != int64(w[0].(float64)) || m.Code != int(w[1].(float64)) || m.Label != w[2].(string) {
				t.Errorf("%s: marker %d %+v, MNE %v", ref.File, i, m, w)
			}
		}
	}
}
