package record

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bcikit/bcikit/edf"
	"github.com/bcikit/bcikit/raw"
)

// recorded writes a closed recording of n samples and returns its bytes.
func recorded(t *testing.T, n int) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "full.bdf")
	w, err := Create(path, testHeader(100), Options{RecordDuration: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(chunk(4, 0, n)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRepair(t *testing.T) {
	full := recorded(t, 100) // 10 records of 10 samples
	const hdr, rec = 1536, 3 * (4*10 + 171)
	if len(full) != hdr+10*rec {
		t.Fatalf("%d bytes, want %d", len(full), hdr+10*rec)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		size    int
		count   string // header's record count
		records int
		dropped int64
	}{
		{"whole, closed", hdr + 10*rec, "10", 10, 0},
		{"whole, never closed", hdr + 10*rec, "-1", 10, 0},
		{"cut mid-record", hdr + 6*rec + 100, "-1", 6, 100},
		{"cut after a record", hdr + 3*rec, "-1", 3, 0},
		{"count too high", hdr + 4*rec + 1, "10", 4, 1},
		{"count too low", hdr + 8*rec, "2", 8, 0},
		{"header only", hdr + rec - 1, "-1", 0, rec - 1},
	} {
		b := append([]byte(nil), full[:tc.size]...)
		copy(b[236:244], tc.count+strings.Repeat(" ", 8-len(tc.count)))
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".bdf")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Repair(path)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		count, _ := strconv.Atoi(tc.count)
		want := Repaired{HeaderRecords: count, Records: tc.records, DroppedBytes: tc.dropped}
		if rep != want {
			t.Fatalf("%s: %+v, want %+v", tc.name, rep, want)
		}
		st, _ := os.Stat(path)
		if st.Size() != int64(hdr+tc.records*rec) {
			t.Fatalf("%s: %d bytes after Repair, want %d", tc.name, st.Size(), hdr+tc.records*rec)
		}
		if tc.records == 0 {
			continue
		}
		r, err := edf.Open(path)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		h := r.Header()
		if h.Records != tc.records || h.RecordsInFile != tc.records {
			t.Fatalf("%s: header %d records, file %d, want %d", tc.name, h.Records, h.RecordsInFile, tc.records)
		}
		all, err := raw.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		checkSamples(t, all, 0, tc.records*10)
	}
}

// TestRepairEDF repairs a 16-bit EDF+ file written by edf.Write.
func TestRepairEDF(t *testing.T) {
	r := &raw.Raw{Info: raw.Info{SFreq: 10, NSamples: 50, Channels: []raw.Channel{{Name: "A", Type: raw.EEG, Unit: "V", SFreq: 10}}}, Data: [][]float64{make([]float64, 50)}}
	for i := range r.Data[0] {
		r.Data[0][i] = float64(i) * 1e-6
	}
	path := filepath.Join(t.TempDir(), "x.edf")
	if err := edf.Create(path, r, edf.WriteOptions{RecordDuration: 1}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := edf.Open(path); !errors.Is(err, edf.ErrTruncated) {
		t.Fatalf("cut EDF file opens with %v, want ErrTruncated", err)
	}
	rep, err := Repair(path)
	if err != nil || rep.Records != 4 || rep.HeaderRecords != 5 {
		t.Fatalf("Repair: %+v, %v", rep, err)
	}
	er, err := edf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	er.Close()
}

func TestRepairErrors(t *testing.T) {
	full := recorded(t, 30)
	dir := t.TempDir()
	bad := func(b []byte, at int, s string) []byte {
		b = append([]byte(nil), b...)
		copy(b[at:], s)
		return b
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"short", full[:100], "shorter than the 256-byte"},
		{"version", bad(full, 0, "12345678"), "not EDF or BDF"},
		{"records", bad(full, 236, "abc     "), "number of data records"},
		{"signals", bad(full, 252, "9   "), "signals"},
		{"header cut", full[:1000], "shorter than its 1536-byte header"},
		{"samples", bad(full, 256+5*216, "x       "), "samples in each data record"},
	} {
		path := filepath.Join(dir, tc.name+".bdf")
		if err := os.WriteFile(path, tc.b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Repair(path)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrCorrupt naming %q", tc.name, err, tc.want)
		}
		if b, _ := os.ReadFile(path); string(b) != string(tc.b) {
			t.Errorf("%s: the file was changed", tc.name)
		}
	}
	if _, err := Repair(filepath.Join(dir, "missing.bdf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
