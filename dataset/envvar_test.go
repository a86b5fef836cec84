package dataset_test

import (
	"testing"

	"github.com/bcikit/bcikit/dataset"
	"github.com/bcikit/bcikit/internal/testdata"
)

// The test helper cannot import dataset (dataset's readers are tested with
// it), so it repeats the setting's name; keep the two equal.
func TestEnvVarAgreesWithTestHelper(t *testing.T) {
	if dataset.EnvVar != testdata.EnvVar {
		t.Fatalf("dataset.EnvVar %q != internal/testdata.EnvVar %q", dataset.EnvVar, testdata.EnvVar)
	}
}

func TestRanges(t *testing.T) {
	if s := dataset.Ranges([]int{1, 2, 3, 5, 7, 8}); s != "1-3, 5, 7-8" {
		t.Errorf("Ranges: %q", s)
	}
}
