package gdf

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// sampleType is a GDF data type code (GDFTYP) that MNE-Python reads.
type sampleType int32

// The GDF data types MNE-Python 1.3 reads (mne.io.edf.edf.GDFTYPE_NP). GDF
// also defines 24-bit (279, 525), 128-bit float and bit-field types; MNE
// reads none of them and neither does this package.
const (
	typeInt8    sampleType = 1
	typeUint8   sampleType = 2
	typeInt16   sampleType = 3
	typeUint16  sampleType = 4
	typeInt32   sampleType = 5
	typeUint32  sampleType = 6
	typeInt64   sampleType = 7
	typeUint64  sampleType = 8
	typeFloat32 sampleType = 16
	typeFloat64 sampleType = 17
)

// size returns the number of bytes of one sample, or 0 for a type this
// package does not read.
func (t sampleType) size() int {
	switch t {
	case typeInt8, typeUint8:
		return 1
	case typeInt16, typeUint16:
		return 2
	case typeInt32, typeUint32, typeFloat32:
		return 4
	case typeInt64, typeUint64, typeFloat64:
		return 8
	}
	return 0
}

// Header sizes: the fixed header and each channel's share of the variable
// header are 256 bytes in both GDF 1 and GDF 2.
const (
	fixedLen   = 256
	perChanLen = 256
)

// Physical dimension codes of GDF 2 that MNE scales (biosig's units.csv).
const (
	unitMicrovolt     = 4275
	unitMillivolt     = 4274
	unitDimensionless = 512
)

// chanHeader is one channel of the variable header, with the scaling MNE
// derives from it.
type chanHeader struct {
	label   string
	nsamp   int        // samples per record
	typ     sampleType // sample type
	byteOff int        // offset of the channel's samples in a record
	// Scaling to SI units, as MNE applies it: (x*cal + offset) * gain.
	cal, offset, gain float64
}

// header is what the fixed and variable headers say, checked against the
// file size.
type header struct {
	version   float64
	gdf1      bool
	headerLen int64 // bytes before the first record
	nRecords  int64
	// recordsUnknown is set when the file says -1 records; nRecords is then
	// the number of whole records the file holds and there is no event
	// table.
	recordsUnknown bool
	recDur         [2]uint32 // record duration in seconds: recDur[0]/recDur[1]
	chans          []chanHeader
	recBytes       int64 // bytes per record
	measDate       time.Time
}

// headerError builds the error for a bad header field.
func headerError(name, field string, sentinel error, format string, args ...any) error {
	return fmt.Errorf("gdf: %s: header field %q: %s: %w", name, field, fmt.Sprintf(format, args...), sentinel)
}

// readFull reads len(b) bytes at off, turning a short read into ErrTruncated.
func readFull(r io.ReaderAt, b []byte, off int64, name, what string) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("gdf: %s: %s: %d of %d bytes at offset %d: %w", name, what, n, len(b), off, ErrTruncated)
	}
	return fmt.Errorf("gdf: %s: %s: %w", name, what, err)
}

// readHeader reads and checks the fixed and variable headers of a file of
// size bytes.
func readHeader(r io.ReaderAt, size int64, name string) (*header, error) {
	if size < fixedLen {
		return nil, fmt.Errorf("gdf: %s: file is %d bytes, shorter than the %d-byte fixed header: %w", name, size, fixedLen, ErrTruncated)
	}
	fixed := make([]byte, fixedLen)
	if err := readFull(r, fixed, 0, name, "fixed header"); err != nil {
		return nil, err
	}
	h := &header{}
	v, err := parseVersion(fixed[:8])
	if err != nil {
		return nil, headerError(name, "version", ErrHeader, "%v", err)
	}
	h.version = v
	// MNE reads versions below 1.9 with the GDF 1 layout, all others with
	// the GDF 2 one.
	h.gdf1 = v < 1.9

	le := binary.LittleEndian
	var nchan uint64
	if h.gdf1 {
		h.measDate = gdf1Date(fixed[168:184])
		h.headerLen = int64(le.Uint64(fixed[184:]))
		nchan = uint64(le.Uint32(fixed[252:]))
	} else {
		if md := le.Uint64(fixed[168:]); md != 0 {
			t, ok := gdf2Date(md)
			if !ok {
				return nil, headerError(name, "start date", ErrHeader, "%#x is outside years 1 to 9999", md)
			}
			h.measDate = t
		}
		h.headerLen = int64(le.Uint16(fixed[184:])) * 256
		nchan = uint64(le.Uint16(fixed[252:]))
	}
	h.nRecords = int64(le.Uint64(fixed[236:]))
	h.recDur = [2]uint32{le.Uint32(fixed[244:]), le.Uint32(fixed[248:])}
	if h.recDur[0] == 0 {
		// MNE: "Header information is incorrect for record length.
		// Default record length set to 1."
		h.recDur[0] = 1
	}
	if h.recDur[1] == 0 {
		return nil, headerError(name, "duration of a data record", ErrHeader, "%d/0 seconds", h.recDur[0])
	}

	if nchan == 0 {
		return nil, headerError(name, "number of signals", ErrHeader, "0 channels")
	}
	// Bound the channel count by the file before anything is sized by it.
	if nchan > uint64(size-fixedLen)/perChanLen {
		return nil, fmt.Errorf("gdf: %s: header field %q: %d channels need a %d-byte header, file is %d bytes: %w",
			name, "number of signals", nchan, (nchan+1)*perChanLen, size, ErrTruncated)
	}
	want := int64(nchan+1) * perChanLen
	switch {
	case h.headerLen == want:
	case !h.gdf1 && h.version >= 2.1 && h.headerLen > want:
		// GDF 2.10 and later may add a tag-length-value header (header
		// 3) after the channel headers; the records start after it.
		// MNE refuses such files (an assertion on the header length).
	default:
		return nil, headerError(name, "header length", ErrHeader, "%d bytes, %d channels need %d", h.headerLen, nchan, want)
	}
	if h.headerLen > size {
		return nil, fmt.Errorf("gdf: %s: header field %q: %d bytes, file is %d bytes: %w", name, "header length", h.headerLen, size, ErrTruncated)
	}
	vh := make([]byte, int(nchan)*perChanLen)
	if err := readFull(r, vh, fixedLen, name, "channel headers"); err != nil {
		return nil, err
	}
	if err := h.parseChannels(vh, int(nchan), size-h.headerLen, name); err != nil {
		return nil, err
	}

	avail := size - h.headerLen
	switch {
	case h.nRecords == -1:
		// Unknown length (a recording not closed properly): take the
		// whole records the file holds, as MNE does for EDF. The event
		// table cannot be located.
		h.recordsUnknown = true
		h.nRecords = avail / h.recBytes
	case h.nRecords < 0:
		return nil, headerError(name, "number of data records", ErrHeader, "%d", h.nRecords)
	case h.nRecords > avail/h.recBytes:
		return nil, fmt.Errorf("gdf: %s: header field %q: %d records of %d bytes, file holds %d bytes after the header: %w",
			name, "number of data records", h.nRecords, h.recBytes, avail, ErrTruncated)
	}
	if h.nRecords == 0 {
		// MNE cannot build a Raw of zero samples either.
		return nil, headerError(name, "number of data records", ErrHeader, "no data records")
	}
	return h, nil
}

// parseVersion reads the 8-byte version field "GDF x.yy".
func parseVersion(b []byte) (float64, error) {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return 0, fmt.Errorf("%q is not printable ASCII", b)
		}
	}
	if string(b[:3]) != "GDF" {
		return 0, fmt.Errorf("%q does not start with \"GDF\"", b)
	}
	num := string(b[4:])
	for len(num) > 0 && num[len(num)-1] == ' ' {
		num = num[:len(num)-1]
	}
	for len(num) > 0 && num[0] == ' ' {
		num = num[1:]
	}
	if !isDecimal(num) {
		return 0, fmt.Errorf("%q: %q is not a version number", b, num)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 1 || v >= 4 {
		return 0, fmt.Errorf("%q: version %q not supported (want 1.x to 3.x)", b, num)
	}
	return v, nil
}

// isDecimal reports whether s is a plain decimal number: digits with at
// most one point.
func isDecimal(s string) bool {
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// gdf1Date parses the GDF 1 start date "YYYYMMDDhhmmsscc" as MNE does; a
// date MNE cannot parse is no date (the zero Time).
func gdf1Date(b []byte) time.Time {
	tm := []rune(latin1(b))
	if len(tm) >= 16 && string(tm[14:16]) == "  " {
		tm = append(append(tm[:14:14], '0', '0'), tm[16:]...)
	}
	field := func(i, j int) (int, bool) {
		i, j = min(i, len(tm)), min(j, len(tm))
		return pyInt(string(tm[i:j]))
	}
	var f [7]int
	for k, span := range [7][2]int{{0, 4}, {4, 6}, {6, 8}, {8, 10}, {10, 12}, {12, 14}, {14, 16}} {
		v, ok := field(span[0], span[1])
		if !ok {
			return time.Time{}
		}
		f[k] = v
	}
	year, month, day, hour, minute, sec, us := f[0], f[1], f[2], f[3], f[4], f[5], f[6]*10000
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
		sec < 0 || sec > 59 || us < 0 || us > 999999 {
		return time.Time{}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, us*1000, time.UTC)
}

// daysIn returns the number of days of a month in the proleptic Gregorian
// calendar.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// gdf2Date converts the GDF 2 start date, a fixed-point number of days
// since year 0 with 32 fractional bits, as MNE does:
// datetime(1, 1, 1) + timedelta(md * 2**-32 - 367).
func gdf2Date(md uint64) (time.Time, bool) {
	days := float64(md)*0x1p-32 - 367
	us, ok := pyTimedeltaMicros(days, usPerDay)
	if !ok {
		return time.Time{}, false
	}
	us -= usYear1ToEpoch
	if !inDatetimeRange(us) {
		return time.Time{}, false
	}
	return time.UnixMicro(us).UTC(), true
}

// parseChannels reads the variable header of n channels, in which each
// field is stored for all channels before the next field; avail is the
// number of bytes after the header, which one record must fit in.
func (h *header) parseChannels(vh []byte, n int, avail int64, name string) error {
	le := binary.LittleEndian
	f64 := func(field, i int) float64 { return math.Float64frombits(le.Uint64(vh[field*n+8*i:])) }
	h.chans = make([]chanHeader, n)
	var off int64
	for i := range h.chans {
		c := &h.chans[i]
		c.label = latin1(vh[16*i : 16*i+16])
		nsamp := int32(le.Uint32(vh[216*n+4*i:]))
		typ := sampleType(int32(le.Uint32(vh[220*n+4*i:])))
		if nsamp < 1 {
			return headerError(name, "samples per record", ErrHeader, "channel %d (%q): %d", i+1, c.label, nsamp)
		}
		if typ.size() == 0 {
			return headerError(name, "data type", ErrUnsupported, "channel %d (%q): GDF type %d", i+1, c.label, typ)
		}
		c.nsamp, c.typ = int(nsamp), typ
		c.byteOff = int(off)
		off += int64(nsamp) * int64(typ.size())
		if off > avail {
			return headerError(name, "samples per record", ErrTruncated, "a record of %d bytes or more, file holds %d bytes after the header", off, avail)
		}

		physMin, physMax := f64(104, i), f64(112, i)
		// MNE: cal = (physical range) / (digital range), with 1 for an
		// undefined digital or physical range; offset = physMin - digMin*cal.
		physRange := physMax - physMin
		if physRange == 0 {
			physRange = 1
		}
		if h.gdf1 {
			// GDF 1 digital limits are int64; MNE subtracts them as
			// int64 (wrapping), and a zero difference counts as 1.
			digMin := int64(le.Uint64(vh[120*n+8*i:]))
			digMax := int64(le.Uint64(vh[128*n+8*i:]))
			digRange := float64(digMax - digMin)
			if digRange == 0 {
				digRange = 1
			}
			c.cal = physRange / digRange
			c.offset = physMin - float64(float64(digMin)*c.cal)
			// Only "uV" is scaled; every other dimension is taken as is.
			if unit := latin1(vh[96*n+8*i : 96*n+8*i+8]); len(unit) >= 2 && unit[:2] == "uV" {
				c.gain = 1e-6
			} else {
				c.gain = 1
			}
		} else {
			digMin, digMax := f64(120, i), f64(128, i)
			digRange := digMax - digMin
			if math.IsNaN(digRange) || math.IsInf(digRange, 0) || digRange == 0 {
				digRange = 1
			}
			c.cal = physRange / digRange
			c.offset = physMin - float64(digMin*c.cal)
			switch le.Uint16(vh[102*n+2*i:]) {
			case unitMicrovolt:
				c.gain = 1e-6
			case unitMillivolt:
				c.gain = 1e-3
			default:
				// 512 (dimensionless), 0 (unknown) and every other
				// code: MNE takes the values as they are.
				c.gain = 1
			}
		}
	}
	h.recBytes = off
	return nil
}
