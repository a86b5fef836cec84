package montage

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

type ref struct {
	Positions   map[string][3]float64 `json:"positions"`
	EEGBCINames map[string]string     `json:"eegbci_names"`
}

func loadRef(t *testing.T) ref {
	b, err := os.ReadFile("testdata/standard_1005.json")
	if err != nil {
		t.Fatal(err)
	}
	var r ref
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// Positions equal MNE's make_standard_montage("standard_1005") within 1e-12 m.
func TestStandard1005MatchesMNE(t *testing.T) {
	want := loadRef(t).Positions
	m := Standard1005()
	if len(m.Names) != len(want) {
		t.Fatalf("%d electrodes, MNE has %d", len(m.Names), len(want))
	}
	for name, w := range want {
		p, ok := m.Position(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		for k := range p {
			if math.Abs(p[k]-w[k]) > 1e-12 {
				t.Errorf("%s[%d] = %v, MNE %v", name, k, p[k], w[k])
			}
		}
	}
}

// On EEGMMIDB's labels Standardize gives what MNE's eegbci.standardize gives.
func TestStandardizeEEGMMIDB(t *testing.T) {
	for in, want := range loadRef(t).EEGBCINames {
		if got := Standardize(in); got != want {
			t.Errorf("Standardize(%q) = %q, MNE %q", in, got, want)
		}
	}
}

func TestStandardizeQuirks(t *testing.T) {
	for in, want := range map[string]string{
		"EEG Fp1-REF": "Fp1", "eeg c3-le": "C3", "AFZ": "AFz", "fc5.": "FC5",
		"Status": "STATUS", "T7..": "T7", "EOG-L": "EOG-L",
	} {
		if got := Standardize(in); got != want {
			t.Errorf("Standardize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadELCErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no unit":     "Positions\n1 2 3\nLabels\nA\n",
		"bad unit":    "UnitPosition cm\nPositions\n1 2 3\nLabels\nA\n",
		"bad numbers": "UnitPosition mm\nPositions\n1 x 3\nLabels\nA\n",
		"count":       "UnitPosition mm\nPositions\n1 2 3\n4 5 6\nLabels\nA\n",
		"empty":       "",
	} {
		if _, err := ReadELC(strings.NewReader(in), 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
