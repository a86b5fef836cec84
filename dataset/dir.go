package dataset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// EnvVar is the environment variable that names the data directory.
const EnvVar = "BCIKIT_DATA"

// Dir returns the data directory: $BCIKIT_DATA if set, else the bcikit
// folder in the user's cache directory.
func Dir() string {
	if d := os.Getenv(EnvVar); d != "" {
		return d
	}
	if c, err := os.UserCacheDir(); err == nil {
		return filepath.Join(c, "bcikit")
	}
	return filepath.Join(os.TempDir(), "bcikit")
}

// ErrMissing reports a file that is not in the data directory.
var ErrMissing = errors.New("not found in the data directory")

// Path returns the absolute path of rel (slash-separated, relative to the
// data directory) and an error naming both the file and the directory it was
// looked for in when it does not exist.
func Path(rel string) (string, error) {
	return PathIn(Dir(), rel)
}

// PathIn is Path for the data directory dir instead of Dir().
func PathIn(dir, rel string) (string, error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return p, fmt.Errorf("dataset: %s %w %s (set %s to the directory that holds it): %w", rel, ErrMissing, dir, EnvVar, fs.ErrNotExist)
		}
		return p, fmt.Errorf("dataset: %s: %w", rel, err)
	}
	return p, nil
}
