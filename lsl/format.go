package lsl

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// ChannelFormat is the type of a stream's values, numbered as liblsl's
// lsl_channel_format_t (cft_float32 = 1, ...).
type ChannelFormat uint8

// Channel formats, with liblsl's numbers.
const (
	Undefined ChannelFormat = iota // not a valid format
	Float32                        // 4-byte IEEE floats
	Double64                       // 8-byte IEEE floats
	String                         // strings of any length (markers)
	Int32                          // 4-byte signed integers
	Int16                          // 2-byte signed integers
	Int8                           // 1-byte signed integers
	Int64                          // 8-byte signed integers
)

var formatNames = [...]string{"undefined", "float32", "double64", "string", "int32", "int16", "int8", "int64"}

// formatSizes are the bytes of one value on the wire (0 for strings).
var formatSizes = [...]int{0, 4, 8, 0, 4, 2, 1, 8}

// String returns the format's name in the stream info XML ("float32", ...).
func (f ChannelFormat) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// Size returns the bytes of one value on the wire, 0 for String (variable).
func (f ChannelFormat) Size() int {
	if int(f) < len(formatSizes) {
		return formatSizes[f]
	}
	return 0
}

// valid reports whether f is one of the seven formats.
func (f ChannelFormat) valid() bool { return f >= Float32 && f <= Int64 }

// ParseFormat returns the format named s ("float32", "double64", "string",
// "int32", "int16", "int8", "int64"; a "cf_" prefix is allowed).
func ParseFormat(s string) (ChannelFormat, error) {
	if len(s) > 3 && s[:3] == "cf_" {
		s = s[3:]
	}
	for i, n := range formatNames {
		if i > 0 && n == s {
			return ChannelFormat(i), nil
		}
	}
	return Undefined, fmt.Errorf("%w: channel format %q", ErrInfo, s)
}

// Tags that start a sample on the wire (liblsl sample.h).
const (
	tagDeduced     = 1 // the timestamp is the previous one + 1/rate
	tagTransmitted = 2 // an 8-byte double timestamp follows
)

// Deduced, as a sample's timestamp, sends the sample without one: the
// receiver deduces it from the previous sample's and the nominal rate
// (liblsl's DEDUCED_TIMESTAMP).
const Deduced = -1.0

// MaxString caps the length of a string value accepted from the wire.
const MaxString = 16 << 20

// appendSample appends one sample in data protocol 1.10, little-endian, to
// dst: the tag (and timestamp unless it is Deduced), then the values. vals
// holds numeric values (converted to f), strs string values (f == String).
func appendSample(dst []byte, f ChannelFormat, ts float64, vals []float64, strs []string) []byte {
	if ts == Deduced {
		dst = append(dst, tagDeduced)
	} else {
		dst = append(dst, tagTransmitted)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(ts))
	}
	if f == String {
		for _, s := range strs {
			dst = appendString(dst, s)
		}
		return dst
	}
	for _, v := range vals {
		dst = appendValue(dst, f, v)
	}
	return dst
}

// appendString writes s as liblsl does: a byte giving the width of the
// length (1 if it fits a byte, else 4, else 8), the length, the bytes.
func appendString(dst []byte, s string) []byte {
	switch n := len(s); {
	case n <= 0xff:
		dst = append(dst, 1, byte(n))
	case uint64(n) <= 0xffffffff:
		dst = append(dst, 4)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	default:
		dst = append(dst, 8)
		dst = binary.LittleEndian.AppendUint64(dst, uint64(n))
	}
	return append(dst, s...)
}

// appendValue writes v as one value of format f (integers rounded and
// saturated).
func appendValue(dst []byte, f ChannelFormat, v float64) []byte {
	switch f {
	case Float32:
		return binary.LittleEndian.AppendUint32(dst, math.Float32bits(float32(v)))
	case Double64:
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	case Int8:
		return append(dst, byte(int8(satInt(v, math.MinInt8, math.MaxInt8))))
	case Int16:
		return binary.LittleEndian.AppendUint16(dst, uint16(int16(satInt(v, math.MinInt16, math.MaxInt16))))
	case Int32:
		return binary.LittleEndian.AppendUint32(dst, uint32(int32(satInt(v, math.MinInt32, math.MaxInt32))))
	case Int64:
		return binary.LittleEndian.AppendUint64(dst, uint64(satInt(v, math.MinInt64, math.MaxInt64)))
	}
	panic("lsl: appendValue: format " + f.String())
}

func satInt(v float64, lo, hi int64) int64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v <= float64(lo):
		return lo
	case v >= float64(hi):
		return hi
	}
	return int64(math.Round(v))
}

// decoder reads samples of one stream in data protocol 1.10.
type decoder struct {
	f     ChannelFormat
	nch   int
	order binary.ByteOrder
	// suppress zeroes subnormal floats (Suppress-Subnormals: 1).
	suppress bool
}

// readSample reads one sample from r: its timestamp (Deduced if the sender
// left it out) and its values into vals (numeric formats) or strs (String),
// each of length nch. A malformed sample is an error wrapping ErrProtocol;
// a short read is io.ErrUnexpectedEOF or the reader's error.
func (d *decoder) readSample(r *bufio.Reader, vals []float64, strs []string) (float64, error) {
	tag, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	ts := Deduced
	switch tag {
	case tagDeduced:
	case tagTransmitted:
		b, err := peek(r, 8)
		if err != nil {
			return 0, err
		}
		ts = math.Float64frombits(d.order.Uint64(b))
		r.Discard(8)
	default:
		return 0, fmt.Errorf("%w: sample tag %d (want 1 or 2)", ErrProtocol, tag)
	}
	if d.f == String {
		for i := range d.nch {
			s, err := d.readString(r)
			if err != nil {
				return 0, err
			}
			strs[i] = s
		}
		return ts, nil
	}
	size := formatSizes[d.f]
	// Read channel values in pieces that fit the reader's buffer.
	per := max(1, r.Size()/size)
	for i := 0; i < d.nch; {
		n := min(per, d.nch-i)
		b, err := peek(r, n*size)
		if err != nil {
			return 0, err
		}
		d.decodeValues(vals[i:i+n], b)
		r.Discard(n * size)
		i += n
	}
	return ts, nil
}

func (d *decoder) decodeValues(vals []float64, b []byte) {
	o := d.order
	switch d.f {
	case Float32:
		for i := range vals {
			u := o.Uint32(b[4*i:])
			if d.suppress && u&0x7fffffff <= 0x007fffff {
				u &= 0x80000000
			}
			vals[i] = float64(math.Float32frombits(u))
		}
	case Double64:
		for i := range vals {
			u := o.Uint64(b[8*i:])
			if d.suppress && u&0x7fffffffffffffff <= 0x000fffffffffffff {
				u &= 0x8000000000000000
			}
			vals[i] = math.Float64frombits(u)
		}
	case Int8:
		for i := range vals {
			vals[i] = float64(int8(b[i]))
		}
	case Int16:
		for i := range vals {
			vals[i] = float64(int16(o.Uint16(b[2*i:])))
		}
	case Int32:
		for i := range vals {
			vals[i] = float64(int32(o.Uint32(b[4*i:])))
		}
	case Int64:
		for i := range vals {
			vals[i] = float64(int64(o.Uint64(b[8*i:])))
		}
	}
}

func (d *decoder) readString(r *bufio.Reader) (string, error) {
	w, err := r.ReadByte()
	if err != nil {
		return "", err
	}
	var n uint64
	switch w {
	case 1:
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		n = uint64(c)
	case 2, 4, 8:
		b, err := peek(r, int(w))
		if err != nil {
			return "", err
		}
		switch w {
		case 2:
			n = uint64(d.order.Uint16(b))
		case 4:
			n = uint64(d.order.Uint32(b))
		default:
			n = d.order.Uint64(b)
		}
		r.Discard(int(w))
	default:
		return "", fmt.Errorf("%w: string length of %d bytes (want 1, 2, 4 or 8)", ErrProtocol, w)
	}
	if n > MaxString {
		return "", fmt.Errorf("%w: string of %d bytes (over %d)", ErrProtocol, n, MaxString)
	}
	if n <= uint64(r.Size()) {
		b, err := peek(r, int(n))
		if err != nil {
			return "", err
		}
		s := string(b)
		r.Discard(int(n))
		return s, nil
	}
	buf := make([]byte, n)
	if _, err := readFull(r, buf); err != nil {
		return "", err
	}
	return string(buf), nil
}

// peek returns the next n bytes of r without consuming them; a stream that
// ends before them is io.ErrUnexpectedEOF.
func peek(r *bufio.Reader, n int) ([]byte, error) {
	b, err := r.Peek(n)
	if err != nil {
		return nil, eofUnexpected(err)
	}
	return b, nil
}

// testPattern returns the values of liblsl's test-pattern sample with the
// given offset (sample::assign_test_pattern in liblsl's sample.cpp): channel
// k holds k + offset + a per-format base (0 for float32, 16777217 for
// double64, 65537 for int32, 257 for int16, 1 for int8, 2147483649 for
// int64), wrapped modulo the type's maximum for the narrow integers and
// negated on odd channels; strings are "10", "-11", "12", ... whatever the
// offset. Its timestamp is testPatternTime.
func testPattern(f ChannelFormat, nch, offset int) ([]float64, []string) {
	if f == String {
		strs := make([]string, nch)
		for k := range strs {
			v := k + 10
			if k%2 == 1 {
				v = -v
			}
			strs[k] = strconv.Itoa(v)
		}
		return nil, strs
	}
	vals := make([]float64, nch)
	var base int64
	var wrap int64 // the type's maximum, for integer formats
	switch f {
	case Double64:
		base = 16777217
	case Int32:
		base, wrap = 65537, math.MaxInt32
	case Int16:
		base, wrap = 257, math.MaxInt16
	case Int8:
		base, wrap = 1, math.MaxInt8
	case Int64:
		base = 2147483649
	}
	for k := range vals {
		v := int64(k) + int64(offset) + base
		if wrap > 0 {
			v %= wrap
		}
		if k%2 == 1 {
			v = -v
		}
		vals[k] = float64(v)
	}
	return vals, nil
}

// testPatternTime is the timestamp of the test-pattern samples.
const testPatternTime = 123456.789
