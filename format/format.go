package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bcikit/bcikit/brainvision"
	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/fif"
	"github.com/bcikit/bcikit/gdf"
	"github.com/bcikit/bcikit/internal/atomicfile"
	"github.com/bcikit/bcikit/raw"
)

// ErrUnknown reports a file whose format is not recognised.
var ErrUnknown = errors.New("unknown file format")

// Readable lists the extensions Open recognises.
var Readable = []string{".edf", ".bdf", ".gdf", ".vhdr", ".fif", ".fif.gz"}

// Writable lists the extensions Create recognises.
var Writable = []string{".edf", ".bdf", ".csv"}

// Open opens the recording at path with the reader for its format. The
// format comes from the extension (.edf, .bdf, .gdf, .vhdr, .fif, .fif.gz); for any
// other extension the first bytes of the file decide.
func Open(path string) (raw.Reader, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if strings.HasSuffix(strings.ToLower(path), ".fif.gz") {
		ext = ".fif"
	}
	switch ext {
	case ".edf", ".bdf", ".rec":
		return edf.Open(path)
	case ".gdf":
		return gdf.Open(path)
	case ".vhdr", ".ahdr":
		return brainvision.Open(path)
	case ".fif":
		return fif.Open(path)
	case ".eeg", ".vmrk", ".dat":
		if _, err := os.Stat(strings.TrimSuffix(path, filepath.Ext(path)) + ".vhdr"); err == nil {
			return nil, fmt.Errorf("%s: open the BrainVision header %s instead", path, strings.TrimSuffix(path, filepath.Ext(path))+".vhdr")
		}
	}
	kind, err := sniff(path)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "edf":
		return edf.Open(path)
	case "gdf":
		return gdf.Open(path)
	case "brainvision":
		return brainvision.Open(path)
	case "fif":
		return fif.Open(path)
	}
	return nil, fmt.Errorf("%s: %w (readable: %s)", path, ErrUnknown, strings.Join(Readable, ", "))
}

// sniff names the format from the file's first bytes, or "".
func sniff(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("0       ")), bytes.HasPrefix(head, []byte("\xffBIOSEMI")):
		return "edf", nil
	case bytes.HasPrefix(head, []byte("GDF")):
		return "gdf", nil
	case bytes.Contains(head, []byte("Vision Data Exchange")), bytes.Contains(head, []byte("Vision Core Data Format")):
		return "brainvision", nil
	// FIF starts with the file-id tag: kind 100, type 31 (id struct), size 20, big-endian.
	case len(head) >= 12 && bytes.Equal(head[:12], []byte{0, 0, 0, 100, 0, 0, 0, 31, 0, 0, 0, 20}):
		return "fif", nil
	}
	return "", nil
}

// Read opens path and loads the whole recording.
func Read(path string) (*raw.Raw, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return raw.ReadAll(r)
}

// Create writes r to path in the format its extension names: .edf (EDF+,
// 16 bit), .bdf (BDF+, 24 bit) or .csv (see WriteCSV). The file is written
// to a temporary name beside path and renamed once complete, so a failed
// write never leaves a half file under the final name.
func Create(path string, r *raw.Raw) error {
	ext := strings.ToLower(filepath.Ext(path))
	var write func(io.Writer) error
	switch ext {
	case ".edf":
		write = func(w io.Writer) error { return edf.Write(w, r, edf.WriteOptions{Format: "edf"}) }
	case ".bdf":
		write = func(w io.Writer) error { return edf.Write(w, r, edf.WriteOptions{Format: "bdf"}) }
	case ".csv":
		write = func(w io.Writer) error { return WriteCSV(w, r) }
	default:
		return fmt.Errorf("%s: cannot write %q files (writable: %s)", path, ext, strings.Join(Writable, ", "))
	}
	return atomicfile.Write(path, write)
}
