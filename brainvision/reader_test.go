package brainvision

import (
	"path/filepath"
	"testing"

	"github.com/bcikit/bcikit/internal/reftest"
	"github.com/bcikit/bcikit/internal/testdata"
	"github.com/bcikit/bcikit/raw"
)

// realFiles are every BrainVision header of the shared data directory.
var realFiles = []string{"test", "testv2", "test_old_layout_latin1_software_filter"}

// TestMNEReference compares every shared file with what MNE-Python 1.3
// reads from it (testdata/gen/brainvision_ref.py): names, types, units,
// sampling rate, length, measurement date and annotations exactly (onsets
// and durations to 1e-9 s), samples to 1e-9 of each channel's largest
// absolute value.
func TestMNEReference(t *testing.T) {
	for _, name := range realFiles {
		t.Run(name, func(t *testing.T) {
			path := testdata.Path(t, "formats/BrainVision/"+name+".vhdr")
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rec, err := raw.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			fx := reftest.Load(t, filepath.Join("testdata", "ref_"+name+".json"))
			reftest.Compare(t, rec, fx, reftest.Tol{Rel: 1e-9})
		})
	}
}
