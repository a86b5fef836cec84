package record

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ErrCorrupt reports a file Repair cannot repair: not EDF or BDF, or a
// header that is itself cut off or malformed.
var ErrCorrupt = errors.New("cannot repair")

// Repaired reports what Repair found and did.
type Repaired struct {
	// HeaderRecords is the record count the header said (-1 for a file
	// whose writer never closed it).
	HeaderRecords int
	// Records is the number of complete data records, now in the header.
	Records int
	// DroppedBytes is the size of the partial record cut off the end.
	DroppedBytes int64
}

// Changed reports whether Repair changed the file.
func (r Repaired) Changed() bool { return r.HeaderRecords != r.Records || r.DroppedBytes != 0 }

// Repair fixes the header of an EDF or BDF file cut off mid-write (by a
// crash, a kill or a full disk): it cuts off the partial data record at the
// end, if any, and writes the number of complete records into the header's
// "number of data records" field. A file that needs no repair is left
// untouched. The data records themselves are not checked.
func Repair(path string) (Repaired, error) {
	var rep Repaired
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	size := st.Size()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("record: repair %s: %s: %w", path, fmt.Sprintf(format, a...), ErrCorrupt)
	}
	fixed := make([]byte, 256)
	if _, err := f.ReadAt(fixed, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return rep, bad("%d bytes, shorter than the 256-byte fixed header", size)
		}
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	bps := 0
	switch {
	case string(fixed[:8]) == "\xffBIOSEMI":
		bps = 3
	case strings.TrimRight(string(fixed[:8]), " ") == "0":
		bps = 2
	default:
		return rep, bad("version field %q: not EDF or BDF", fixed[:8])
	}
	num := func(b []byte, name string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			return 0, bad("header field %q is %q", name, b)
		}
		return v, nil
	}
	hbytes, err := num(fixed[184:192], "number of bytes in header")
	if err != nil {
		return rep, err
	}
	if rep.HeaderRecords, err = num(fixed[236:244], "number of data records"); err != nil {
		return rep, err
	}
	ns, err := num(fixed[252:256], "number of signals")
	if err != nil {
		return rep, err
	}
	if ns < 1 || hbytes != 256*(ns+1) {
		return rep, bad("%d signals with a %d-byte header", ns, hbytes)
	}
	if size < int64(hbytes) {
		return rep, bad("%d bytes, shorter than its %d-byte header", size, hbytes)
	}
	spr := make([]byte, 8*ns)
	if _, err := f.ReadAt(spr, int64(256+ns*(16+80+8+8+8+8+8+80))); err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	recLen := int64(0)
	for s := 0; s < ns; s++ {
		n, err := num(spr[8*s:8*s+8], "number of samples in each data record")
		if err != nil {
			return rep, err
		}
		if n < 0 {
			return rep, bad("signal %d has %d samples per record", s+1, n)
		}
		recLen += int64(n * bps)
	}
	if recLen == 0 {
		return rep, bad("data records of zero bytes")
	}
	data := size - int64(hbytes)
	rep.Records = int(data / recLen)
	rep.DroppedBytes = data % recLen
	if rep.Records > 99999999 {
		return rep, bad("%d data records do not fit the header", rep.Records)
	}
	if !rep.Changed() {
		return rep, nil
	}
	if rep.DroppedBytes != 0 {
		if err := f.Truncate(int64(hbytes) + int64(rep.Records)*recLen); err != nil {
			return rep, fmt.Errorf("record: repair: %w", err)
		}
	}
	if _, err := f.WriteAt([]byte(fmt.Sprintf("%-8d", rep.Records)), 236); err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	if err := f.Sync(); err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	if err := f.Close(); err != nil {
		return rep, fmt.Errorf("record: repair: %w", err)
	}
	return rep, nil
}
