package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/internal/testdata"
)

// TestCost measures snn (trained 3 epochs) and eegnet on subject 1's
// imagery trials: EEGNet's multiply-adds are those of its layers (its
// first convolution alone is 8 filters × 64 taps × 64 channels × 481
// samples), the spiking decoder spikes and counts events.
func TestCost(t *testing.T) {
	p := testdata.Path(t, "eegmmidb/S001/S001R04.edf")
	t.Setenv("BCIKIT_DATA", filepath.Dir(filepath.Dir(filepath.Dir(p))))
	t.Setenv("BCIKIT_NN", "epochs=3")
	code, out, errOut := runCLI(t, "cost", "--pipelines", "snn,eegnet", "--json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var rows []costRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if len(rows) != 2 || rows[0].Pipeline != "snn" || rows[1].Pipeline != "eegnet" {
		t.Fatalf("rows %+v", rows)
	}
	if e := rows[1]; e.MACs < 8*64*64*481 || e.MACs > 2*8*64*64*481 || e.Events != 0 || e.Spikes != 0 {
		t.Errorf("eegnet: %+v", e)
	}
	if s := rows[0]; !(s.Spikes > 0 && s.Events > s.Spikes && s.MACs > 0 && s.MACs < rows[1].MACs) {
		t.Errorf("snn: %+v", s)
	}
}

func TestCostBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"cost", "--pipelines", "snn,csp+lda"},
		{"cost", "--pipelines", ""},
		{"cost", "extra"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code == 0 || errOut == "" {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, "cost", "--subject", "999", "--pipelines", "eegnet")
	if code == 0 || !strings.Contains(errOut, "999") {
		t.Errorf("absent subject: code %d, stderr %q", code, errOut)
	}
}
