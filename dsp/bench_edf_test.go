//go:build edfbench

package dsp

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// With -tags edfbench the benchmarks filter the real recording the Python
// side of bench/compare_dsp.sh filters: the 64 EEG channels of EEGMMIDB
// S001R04 (160 Hz, 20000 samples).
func init() { benchData = func() [][]float64 { edfOnce.Do(loadEDFBenchData); return edfData } }

var (
	edfOnce sync.Once
	edfData [][]float64
)

// loadEDFBenchData reads the recording once; benchmarks only read it.
func loadEDFBenchData() {
	dir := testdata.Dir()
	if dir == "" {
		panic("dsp: edfbench: no data directory (set BCIKIT_DATA)")
	}
	path := filepath.Join(dir, "eegmmidb", "S001", "S001R04.edf")
	r, err := edf.Open(path)
	if err != nil {
		panic(fmt.Sprintf("dsp: edfbench: %v", err))
	}
	defer r.Close()
	rec, err := raw.ReadAll(r)
	if err != nil {
		panic(fmt.Sprintf("dsp: edfbench: %v", err))
	}
	if err := rec.PickTypes(raw.EEG); err != nil {
		panic(fmt.Sprintf("dsp: edfbench: %v", err))
	}
	fmt.Fprintf(os.Stderr, "dsp: edfbench: %s: %d channels x %d samples at %g Hz\n", path, len(rec.Data), rec.NSamples, rec.SFreq)
	edfData = rec.Data
}
