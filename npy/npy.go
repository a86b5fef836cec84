package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

const magic = "\x93NUMPY"

// ErrFormat reports a file that is not a .npy file this package reads.
var ErrFormat = errors.New("npy: not a supported .npy file")

// header returns the version 1.0 header numpy.save writes for an array of
// dtype descr and shape: magic, version, length and the dict, padded with
// spaces and a newline to a multiple of 64 bytes.
func header(descr string, shape []int) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	tuple += ")"
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, tuple)
	total := len(magic) + 2 + 2 + len(dict) + 1
	pad := (64 - total%64) % 64
	dict += strings.Repeat(" ", pad) + "\n"
	h := make([]byte, 0, len(magic)+4+len(dict))
	h = append(h, magic...)
	h = append(h, 1, 0)
	h = binary.LittleEndian.AppendUint16(h, uint16(len(dict)))
	return append(h, dict...)
}

func count(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic("npy: negative dimension")
		}
		n *= d
	}
	return n
}

// WriteFloat64 writes data (C order) as a float64 array of the given shape.
// len(data) must equal the product of shape.
func WriteFloat64(w io.Writer, shape []int, data []float64) error {
	if len(data) != count(shape) {
		panic(fmt.Sprintf("npy: %d values for shape %v", len(data), shape))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(header("<f8", shape)); err != nil {
		return err
	}
	var b [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		if _, err := bw.Write(b[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteInt64 writes data as a one-dimensional int64 array.
func WriteInt64(w io.Writer, data []int64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(header("<i8", []int{len(data)})); err != nil {
		return err
	}
	var b [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		if _, err := bw.Write(b[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Array is an array read from a .npy file: either Float64 or Int64 is set.
type Array struct {
	Shape   []int
	Float64 []float64
	Int64   []int64
}

var dictRE = regexp.MustCompile(`^\{'descr': '([<|]?[fi]8)', 'fortran_order': (False|True), 'shape': \(([0-9, ]*)\), *\}\s*$`)

// Read reads a version 1.0 or 2.0 .npy file holding little-endian float64
// or int64 values in C order. size, if positive, bounds the data it will
// allocate for (pass the file size).
func Read(r io.Reader, size int64) (*Array, error) {
	br := bufio.NewReader(r)
	pre := make([]byte, 8)
	if _, err := io.ReadFull(br, pre); err != nil || string(pre[:6]) != magic {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("%w: truncated header", ErrFormat)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("%w: truncated header", ErrFormat)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		if hlen > 1<<20 {
			return nil, fmt.Errorf("%w: header length %d", ErrFormat, hlen)
		}
	default:
		return nil, fmt.Errorf("%w: version %d.%d", ErrFormat, pre[6], pre[7])
	}
	h := make([]byte, hlen)
	if _, err := io.ReadFull(br, h); err != nil {
		return nil, fmt.Errorf("%w: truncated header", ErrFormat)
	}
	m := dictRE.FindStringSubmatch(string(h))
	if m == nil {
		return nil, fmt.Errorf("%w: header %q", ErrFormat, strings.TrimSpace(string(h)))
	}
	if m[2] == "True" {
		return nil, fmt.Errorf("%w: Fortran order", ErrFormat)
	}
	a := &Array{}
	n := 1
	for _, f := range strings.Split(m[3], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 || (d > 0 && n > math.MaxInt32/d) {
			return nil, fmt.Errorf("%w: shape %q", ErrFormat, m[3])
		}
		n *= d
		a.Shape = append(a.Shape, d)
	}
	if size > 0 && int64(n)*8 > size {
		return nil, fmt.Errorf("%w: shape %v needs %d bytes, file has %d", ErrFormat, a.Shape, n*8, size)
	}
	buf := make([]byte, 8*n)
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, fmt.Errorf("%w: data truncated (want %d values)", ErrFormat, n)
	}
	if strings.HasSuffix(m[1], "f8") {
		a.Float64 = make([]float64, n)
		for i := range a.Float64 {
			a.Float64[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
	} else {
		a.Int64 = make([]int64, n)
		for i := range a.Int64 {
			a.Int64[i] = int64(binary.LittleEndian.Uint64(buf[8*i:]))
		}
	}
	return a, nil
}
