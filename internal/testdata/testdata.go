// Package testdata finds the real recordings that bcikit's tests read.
//
// The data directory is $BCIKIT_DATA when set, else ../shared/data beside
// the module root (the layout of the development checkout and of CI). When
// no data directory exists at all the tests that need real data are
// skipped, unless BCIKIT_REQUIRE_DATA=1 (set by .ci/run), which turns a
// missing directory or file into a failure.
package testdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// EnvVar names the data directory setting. It equals EnvVar; it is
// repeated here because the dataset package's readers are themselves tested
// with this package (a test in package dataset checks the two agree).
const EnvVar = "BCIKIT_DATA"

// Dir returns the data directory tests read from, or "" if none exists.
func Dir() string {
	if d := os.Getenv(EnvVar); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <module>/internal/testdata/testdata.go
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d := filepath.Join(root, "..", "shared", "data")
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return d
	}
	return ""
}

// Path returns the path of rel (slash-separated, relative to the data
// directory). It skips the test when there is no data directory, and fails
// it when the directory exists (or data is required) but rel is missing.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		if os.Getenv("BCIKIT_REQUIRE_DATA") == "1" {
			tb.Fatalf("no data directory: set %s (BCIKIT_REQUIRE_DATA=1)", EnvVar)
		}
		tb.Skipf("no data directory: set %s to run tests on real recordings", EnvVar)
	}
	p := filepath.Join(d, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("test recording %s missing from %s: %v", rel, d, err)
	}
	return p
}

// Root returns the module root directory (for fixtures in testdata/).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}
