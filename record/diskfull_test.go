package record

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/bcikit/bcikit/edf"
)

// fullDisk is a file that takes only budget bytes: then writes fail with
// ENOSPC after writing what fits, as a full disk does.
type fullDisk struct {
	*os.File
	budget int64
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if int64(len(p)) <= f.budget {
		f.budget -= int64(len(p))
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:f.budget])
	f.budget = 0
	return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

// countSync counts syncs of an in-memory file.
type countSync struct {
	mu sync.Mutex
	n  int
	b  []byte
}

func (c *countSync) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.b = append(c.b, p...)
	return len(p), nil
}

func (c *countSync) Sync() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return nil
}

func (c *countSync) syncs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestDiskFull(t *testing.T) {
	h := testHeader(100)
	for _, budget := range []int64{100, 256 * 5, 256*6 + 10, 256*6 + 3*(4*50+171) + 1000, 256*6 + 3*3*(4*50+171)} {
		path := filepath.Join(t.TempDir(), "full.bdf")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		disk := &fullDisk{File: f, budget: budget}
		w, err := NewWriter(disk, path, h, Options{RecordDuration: 0.5, AnnotationBytes: 512})
		if err != nil {
			t.Fatal(err)
		}
		var werr error
		var pos int64
		for k := 0; k < 40 && werr == nil; k++ {
			werr = w.Write(chunk(4, pos, 17))
			pos += 17
		}
		if !errors.Is(werr, syscall.ENOSPC) {
			t.Fatalf("budget %d: write error %v, want ENOSPC", budget, werr)
		}
		if err := w.Write(chunk(4, pos, 1)); !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("budget %d: Write after the failure: %v, want the same error", budget, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("budget %d: Close after a full disk: %v", budget, err)
		}
		f.Close()
		records := w.Records()
		if budget < 256*6 {
			if st, _ := os.Stat(path); st.Size() != 0 {
				t.Fatalf("budget %d: a partial header of %d bytes kept", budget, st.Size())
			}
			continue
		}
		r, rec := readBack(t, path)
		if r.Header().Records != records || r.Header().RecordsInFile != records {
			t.Fatalf("budget %d: header says %d records, file holds %d, writer wrote %d", budget, r.Header().Records, r.Header().RecordsInFile, records)
		}
		if st, _ := os.Stat(path); st.Size() != int64(256*6+records*3*(4*50+171)) {
			t.Fatalf("budget %d: %d bytes: a partial record was kept", budget, st.Size())
		}
		if records > 0 {
			checkSamples(t, rec, 0, records*50)
		}
		if _, err := edf.Open(path); err != nil && records > 0 {
			t.Fatal(err)
		}
	}
}
