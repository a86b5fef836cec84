package reference

import (
	"errors"
	"math"
	"testing"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

func read(t *testing.T, rel string) *raw.Raw {
	t.Helper()
	r, err := edf.Open(testdata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := raw.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// Re-referenced EEGMMIDB runs equal MNE's set_eeg_reference within 1e-9 of
// each channel's largest value (the reader's own tolerance against MNE).
func TestMatchesMNE(t *testing.T) {
	for name, ref := range map[string][]string{
		"avg_r04":      nil,
		"cz_r04":       {"Cz.."},
		"mastoids_r06": {"T9..", "T10."},
	} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, "testdata/"+name+".json")
			r := read(t, f.File)
			var err error
			if ref == nil {
				err = Average(r)
			} else {
				err = To(r, ref...)
			}
			if err != nil {
				t.Fatal(err)
			}
			reftest.Compare(t, r, f, reftest.Tol{Rel: 1e-9})
		})
	}
}

func synth() *raw.Raw {
	r := &raw.Raw{Info: raw.Info{SFreq: 10, NSamples: 3, Channels: []raw.Channel{
		{Name: "A", Type: raw.EEG}, {Name: "B", Type: raw.EEG}, {Name: "E", Type: raw.EOG}, {Name: "S", Type: raw.Stim},
	}}}
	r.Data = [][]float64{{1, 2, 3}, {3, 4, 5}, {10, 10, 10}, {0, 1, 0}}
	return r
}

func TestOnlyEEGChanges(t *testing.T) {
	r := synth()
	if err := Average(r); err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{-1, -1, -1}, {1, 1, 1}, {10, 10, 10}, {0, 1, 0}}
	for c := range want {
		for i := range want[c] {
			if r.Data[c][i] != want[c][i] {
				t.Fatalf("channel %d = %v, want %v", c, r.Data[c], want[c])
			}
		}
	}
	r = synth()
	if err := To(r, "A"); err != nil {
		t.Fatal(err)
	}
	if r.Data[0][2] != 0 || r.Data[1][2] != 2 || r.Data[2][0] != 10 {
		t.Errorf("To(A): %v", r.Data)
	}
}

func TestErrors(t *testing.T) {
	r := synth()
	if err := To(r, "Cz"); !errors.Is(err, ErrParam) {
		t.Errorf("unknown channel: %v", err)
	}
	if err := To(r); !errors.Is(err, ErrParam) {
		t.Errorf("no channel: %v", err)
	}
	r.Data[1][1] = math.NaN()
	if err := Average(r); !errors.Is(err, ErrParam) {
		t.Errorf("NaN: %v", err)
	}
	r = synth()
	r.Channels[0].Type, r.Channels[1].Type = raw.Misc, raw.Misc
	if err := Average(r); !errors.Is(err, ErrParam) {
		t.Errorf("no EEG: %v", err)
	}
}
