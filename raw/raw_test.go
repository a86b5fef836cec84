package raw_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
	"time"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

type mneRef struct {
	DefaultIDs map[string]int `json:"default_ids"`
	Events     [][3]int       `json:"events"`
	FirstSamp  int            `json:"crop_first_samp"`
	N          int            `json:"crop_n"`
	Ann        [][3]any       `json:"crop_ann"`
	First      float64        `json:"crop_first_value"`
	Last       float64        `json:"crop_last_value"`
}

func load(t *testing.T) (*raw.Raw, mneRef) {
	t.Helper()
	r, err := edf.Open(testdata.Path(t, "eegmmidb/S001/S001R04.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/mne_r04.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref mneRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return x, ref
}

// EventsFromAnnotations(nil) equals mne.events_from_annotations(raw) with
// its defaults: same codes, same samples.
func TestEventsFromAnnotationsMatchesMNE(t *testing.T) {
	r, ref := load(t)
	ev, ids, err := r.EventsFromAnnotations(nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range ref.DefaultIDs {
		if ids[k] != v {
			t.Errorf("code of %q = %d, MNE %d", k, ids[k], v)
		}
	}
	if len(ev) != len(ref.Events) {
		t.Fatalf("%d events, MNE %d", len(ev), len(ref.Events))
	}
	for i, e := range ev {
		if e.Sample != ref.Events[i][0] || e.Code != ref.Events[i][2] {
			t.Errorf("event %d = %+v, MNE %v", i, e, ref.Events[i])
		}
	}
	if _, _, err := r.EventsFromAnnotations(map[string]int{"nope": 1}); err == nil {
		t.Error("no error for a mapping that matches nothing")
	}
}

// Crop(10, 20.5) equals raw.crop(10, 20.5): first sample, length, first and
// last values, and the annotations kept with their absolute onsets.
func TestCropMatchesMNE(t *testing.T) {
	r, ref := load(t)
	orig := r.Data[5]
	if err := r.Crop(10, 20.5); err != nil {
		t.Fatal(err)
	}
	if r.FirstSample != ref.FirstSamp || r.NSamples != ref.N || len(r.Data[5]) != ref.N {
		t.Fatalf("first %d n %d, MNE %d %d", r.FirstSample, r.NSamples, ref.FirstSamp, ref.N)
	}
	if r.Data[5][0] != orig[ref.FirstSamp] || math.Abs(r.Data[5][0]-ref.First) > 1e-15 || math.Abs(r.Data[5][ref.N-1]-ref.Last) > 1e-15 {
		t.Errorf("values %v..%v, MNE %v..%v", r.Data[5][0], r.Data[5][ref.N-1], ref.First, ref.Last)
	}
	if len(r.Annotations) != len(ref.Ann) {
		t.Fatalf("%d annotations, MNE %d", len(r.Annotations), len(ref.Ann))
	}
	for i, a := range r.Annotations {
		if math.Abs(a.Onset-ref.Ann[i][0].(float64)) > 1e-9 || a.Description != ref.Ann[i][2].(string) {
			t.Errorf("annotation %d = %+v, MNE %v", i, a, ref.Ann[i])
		}
	}
	if err := r.Crop(5, 1); err == nil {
		t.Error("tmax < tmin: no error")
	}
	if err := r.Crop(0, 1e6); err == nil {
		t.Error("tmax past the end: no error")
	}
}

func synth() *raw.Raw {
	r := &raw.Raw{Info: raw.Info{SFreq: 10, NSamples: 4, Channels: []raw.Channel{
		{Name: "A", Type: raw.EEG}, {Name: "B", Type: raw.Stim}, {Name: "C", Type: raw.EOG},
	}}}
	r.Data = [][]float64{{1, 2, 3, 4}, {0, 1, 0, 0}, {5, 5, 5, 5}}
	return r
}

func TestPickDrop(t *testing.T) {
	r := synth()
	if err := r.Pick("C", "A"); err != nil {
		t.Fatal(err)
	}
	if r.Channels[0].Name != "C" || r.Data[1][3] != 4 {
		t.Errorf("Pick: %v %v", r.ChannelNames(), r.Data)
	}
	if err := r.Pick("X"); err == nil {
		t.Error("unknown channel: no error")
	}
	if err := r.Pick("A", "A"); err == nil {
		t.Error("repeated channel: no error")
	}
	r = synth()
	if err := r.Drop("B"); err != nil || len(r.Channels) != 2 || r.Channels[1].Name != "C" {
		t.Errorf("Drop: %v %v", err, r.ChannelNames())
	}
	r = synth()
	if err := r.PickTypes(raw.EEG, raw.EOG); err != nil || len(r.Channels) != 2 {
		t.Errorf("PickTypes: %v %v", err, r.ChannelNames())
	}
	if err := synth().PickTypes(raw.Mag); err == nil {
		t.Error("PickTypes with no match: no error")
	}
}

func TestRenameAndRebase(t *testing.T) {
	r := synth()
	if err := r.RenameChannels(func(s string) string { return "X" }); err == nil {
		t.Error("colliding rename: no error")
	}
	r.MeasDate = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	r.FirstSample = 20
	r.Annotations = []raw.Annotation{{Onset: 2.5, Description: "a"}}
	r.Rebase()
	if r.FirstSample != 0 || r.Annotations[0].Onset != 0.5 || !r.MeasDate.Equal(time.Date(2020, 1, 1, 0, 0, 2, 0, time.UTC)) {
		t.Errorf("Rebase: %v %v %v", r.FirstSample, r.Annotations, r.MeasDate)
	}
}

func TestCheckWindowAndFinite(t *testing.T) {
	r := synth()
	dst := raw.NewData(3, 2)
	if err := raw.CheckWindow(&r.Info, dst, 3); !errors.Is(err, raw.ErrWindow) {
		t.Errorf("window past end: %v", err)
	}
	if err := raw.CheckWindow(&r.Info, dst, 2); err != nil {
		t.Errorf("valid window: %v", err)
	}
	r.Data[2][1] = math.Inf(1)
	if err := r.CheckFinite(); err == nil {
		t.Error("Inf sample: no error")
	}
}
