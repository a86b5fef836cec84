package edf

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// relTol is the tolerance of every comparison with MNE: samples within
// 1e-9 of the channel's largest absolute value.
const relTol = 1e-9

// refFiles lists the data files with an MNE fixture
// (testdata/gen/edf_ref.py) and the fixture's name.
func refFiles() map[string]string {
	m := map[string]string{
		"formats/EDF/test_reduced.edf":          "EDF_test_reduced",
		"formats/EDF/subsecond_starttime.edf":   "EDF_subsecond_starttime",
		"formats/EDF/test_utf8_annotations.edf": "EDF_test_utf8_annotations",
		"formats/mne/test.edf":                  "mne_test",
		"formats/mne/test_edf_stim_channel.edf": "mne_test_edf_stim_channel",
		"formats/mne/test_uneven_samp.edf":      "mne_test_uneven_samp",
		"formats/mne/test.bdf":                  "mne_test_bdf",
		"formats/BDF/test_bdf_stim_channel.bdf": "BDF_test_bdf_stim_channel_bdf",
	}
	for run := 3; run <= 14; run++ {
		rel := "eegmmidb/S001/S001R" + twoDigits(run) + ".edf"
		m[rel] = "eegmmidb_S001_S001R" + twoDigits(run)
	}
	return m
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// channelSums is one file's entry in testdata/ref_channels.json.
type channelSums struct {
	ChNames []string  `json:"ch_names"`
	ChTypes []string  `json:"ch_types"`
	Units   []string  `json:"units"`
	Sum     []float64 `json:"sum"`
	SumAbs  []float64 `json:"sumabs"`
	MaxAbs  []float64 `json:"maxabs"`
}

func loadSums(t *testing.T) map[string]channelSums {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ref_channels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]channelSums
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReadMatchesMNE(t *testing.T) {
	sums := loadSums(t)
	files := refFiles()
	if len(sums) != len(files) {
		t.Errorf("ref_channels.json has %d files, test lists %d", len(sums), len(files))
	}
	for rel, fx := range files {
		t.Run(rel, func(t *testing.T) {
			path := testdata.Path(t, rel)
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := raw.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.HasSuffix(rel, ".bdf")
			if (got.Format == "bdf") != want {
				t.Errorf("format %q", got.Format)
			}

			// Every channel: names, types, units and sums.
			s, ok := sums[rel]
			if !ok {
				t.Fatalf("%s missing from ref_channels.json", rel)
			}
			if len(s.ChNames) != len(got.Channels) {
				t.Fatalf("%d channels, MNE %d", len(got.Channels), len(s.ChNames))
			}
			for i, c := range got.Channels {
				if c.Name != s.ChNames[i] || string(c.Type) != s.ChTypes[i] || c.Unit != s.Units[i] {
					t.Errorf("channel %d = %q %s %s, MNE %q %s %s", i, c.Name, c.Type, c.Unit, s.ChNames[i], s.ChTypes[i], s.Units[i])
				}
				var sum, sumAbs, maxAbs float64
				for _, v := range got.Data[i] {
					sum += v
					sumAbs += math.Abs(v)
					maxAbs = math.Max(maxAbs, math.Abs(v))
				}
				n := float64(got.NSamples)
				allow := n*relTol*s.MaxAbs[i] + 1e-12*s.SumAbs[i]
				if math.Abs(sum-s.Sum[i]) > allow || math.Abs(sumAbs-s.SumAbs[i]) > allow || math.Abs(maxAbs-s.MaxAbs[i]) > relTol*s.MaxAbs[i] {
					t.Errorf("channel %q: sum %g sum|x| %g max|x| %g, MNE %g %g %g", c.Name, sum, sumAbs, maxAbs, s.Sum[i], s.SumAbs[i], s.MaxAbs[i])
				}
			}

			// The fixture's channels sample by sample, and the header.
			f := reftest.Load(t, filepath.Join("testdata", "ref_"+fx+".json"))
			if f.File != rel {
				t.Fatalf("fixture is for %s", f.File)
			}
			if err := got.Pick(f.ChNames...); err != nil {
				t.Fatal(err)
			}
			reftest.Compare(t, got, f, reftest.Tol{Rel: relTol})
		})
	}
}

// TestReadAtWindows checks that any window reads the same samples as the
// whole file, across record boundaries and in resampled channels.
func TestReadAtWindows(t *testing.T) {
	for _, rel := range []string{"formats/EDF/test_reduced.edf", "formats/mne/test_uneven_samp.edf", "formats/BDF/test_bdf_stim_channel.bdf"} {
		r, err := Open(testdata.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		all, err := raw.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		n := r.Info().NSamples
		for _, w := range [][2]int{{0, 1}, {n - 1, 1}, {3, 700}, {511, 2}, {1000, 1100}, {n - 513, 513}, {0, n}, {5, 0}} {
			dst := raw.NewData(len(all.Channels), w[1])
			if err := r.ReadAt(dst, w[0]); err != nil {
				t.Fatalf("%s window %v: %v", rel, w, err)
			}
			for c := range dst {
				for i, v := range dst[c] {
					if want := all.Data[c][w[0]+i]; v != want {
						t.Fatalf("%s window %v channel %d sample %d = %g, whole read %g", rel, w, c, i, v, want)
					}
				}
			}
		}
		if err := r.ReadAt(raw.NewData(len(all.Channels), 2), n-1); err == nil {
			t.Errorf("%s: window past the end read without error", rel)
		}
		r.Close()
	}
}

// TestReadAtNoAlloc checks that reading a window allocates nothing once
// the reader's buffers exist.
func TestReadAtNoAlloc(t *testing.T) {
	for _, rel := range []string{"eegmmidb/S001/S001R03.edf", "formats/EDF/test_reduced.edf"} {
		r, err := Open(testdata.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		dst := raw.NewData(len(r.Info().Channels), 1000)
		if err := r.ReadAt(dst, 0); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			if err := r.ReadAt(dst, 777); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: ReadAt allocates %v times per call", rel, allocs)
		}
		r.Close()
	}
}

func TestHeader(t *testing.T) {
	r, err := Open(testdata.Path(t, "eegmmidb/S001/S001R03.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	if h.Format != "edf" || h.Subtype != "EDF+C" || h.Records != 125 || h.RecordsInFile != 125 || h.RecordDuration != 1 || len(h.Signals) != 65 {
		t.Errorf("header %+v", h)
	}
	s := h.Signals[0]
	if s.Label != "Fc5." || s.PhysicalDim != "uV" || s.SamplesPerRecord != 160 || s.DigitalMin != -8092 || s.DigitalMax != 8092 || s.Transducer != "BCI2000" {
		t.Errorf("signal 0 %+v", s)
	}
	if a := h.Signals[64]; !a.Annotations || a.Label != "EDF Annotations" {
		t.Errorf("signal 64 %+v", a)
	}
	on := r.RecordOnsets()
	if len(on) != 125 || on[0] != 0 || on[124] != 124 {
		t.Errorf("record onsets %v", on)
	}

	r2, err := Open(testdata.Path(t, "formats/mne/test.bdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if h := r2.Header(); h.Format != "bdf" || h.Subtype != "BDF" || h.Version != "\u00ffBIOSEMI" {
		t.Errorf("bdf header %q %q %q", h.Format, h.Subtype, h.Version)
	}

	r3, err := Open(testdata.Path(t, "formats/EDF/subsecond_starttime.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Close()
	if on := r3.RecordOnsets(); on[0] != 0.3945312 || on[4] != 4.3945312 {
		t.Errorf("subsecond record onsets %v", on)
	}
}
