package record

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzRepair repairs arbitrary bytes: an error or a file whose size is
// the header and whole records, never a panic.
func FuzzRepair(f *testing.F) {
	whole, err := os.ReadFile("testdata/killed.bdf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(whole[:2000])
	f.Add(whole[:1536])
	f.Add([]byte("0       "))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "f.bdf")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Repair(path)
		if err != nil {
			return
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Records < 0 || st.Size() != int64(len(b))-rep.DroppedBytes {
			t.Fatalf("%+v for %d bytes, now %d", rep, len(b), st.Size())
		}
		if again, err := Repair(path); err != nil || again.Changed() {
			t.Fatalf("second Repair: %+v, %v", again, err)
		}
	})
}
