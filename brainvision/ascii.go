package brainvision

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ASCII data files hold one sample per line, the values of all channels
// separated by spaces (or, without any space, by commas), after SkipLines
// header lines. MNE reads them line by line with these rules, and so does
// this reader:
//
//   - a line is everything up to and including '\n'; the last line may
//     lack it; every line after the skipped ones is a sample, blank or
//     not (a blank line is then an error when read);
//   - the line must be ASCII; surrounding white space is dropped; if
//     DecimalSymbol is not '.', every ',' becomes '.';
//   - a line holding a space is split at runs of white space, else one
//     holding a comma is split at commas, else it is an error (so a
//     single-channel ASCII file cannot be read, as in MNE);
//   - there must be one value per channel, each a Python float literal.

// lineOffsets scans an ASCII data file: it skips skip lines and returns
// the offset of every following line, plus the file's end.
func lineOffsets(r io.Reader, skip int64) ([]int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var pos int64
	offsets := []int64{}
	for i := int64(0); ; i++ {
		n, err := skipLine(br)
		pos += n
		if i >= skip && n > 0 {
			offsets = append(offsets, pos-n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return append(offsets, pos), nil
}

// skipLine consumes one line, '\n' included, and returns its length;
// io.EOF when the input ended before a '\n'.
func skipLine(br *bufio.Reader) (int64, error) {
	var n int64
	for {
		b, err := br.ReadSlice('\n')
		n += int64(len(b))
		if err == bufio.ErrBufferFull {
			continue
		}
		return n, err
	}
}

func (r *Reader) readASCII(dst [][]float64, start int) error {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	n := len(dst[0])
	for i := 0; i < n; {
		// Read as many whole lines as fit in the buffer, at least one.
		j := i + 1
		for j < n && r.offsets[start+j+1]-r.offsets[start+i] <= chunkBytes {
			j++
		}
		size := r.offsets[start+j] - r.offsets[start+i]
		b := (*bp)[:0]
		if size > int64(cap(b)) {
			b = make([]byte, size)
		}
		b = b[:size]
		if err := r.readFull(b, r.offsets[start+i]); err != nil {
			return err
		}
		for k := i; k < j; k++ {
			line := b[r.offsets[start+k]-r.offsets[start+i] : r.offsets[start+k+1]-r.offsets[start+i]]
			if err := r.parseASCIILine(dst, k, line); err != nil {
				return fmt.Errorf("brainvision: %s: sample %d (line %d): %w",
					r.h.DataFile, start+k, max(r.h.skipLines, 0)+int64(start+k)+1, err)
			}
		}
		i = j
	}
	return nil
}

// parseASCIILine stores the values of one line as sample i of dst.
func (r *Reader) parseASCIILine(dst [][]float64, i int, line []byte) error {
	for _, c := range line {
		if c >= 0x80 {
			return fmt.Errorf("non-ASCII byte 0x%02x: %w", c, ErrData)
		}
	}
	s := pyStrip(string(line))
	if r.h.commaDec {
		s = strings.ReplaceAll(s, ",", ".")
	}
	var parts []string
	switch {
	case strings.Contains(s, " "):
		parts = strings.FieldsFunc(s, pyIsSpace)
	case strings.Contains(s, ","):
		parts = strings.Split(s, ",")
	default:
		return fmt.Errorf("%q: no space or comma between values: %w", clip(s), ErrData)
	}
	if len(parts) != len(dst) {
		return fmt.Errorf("%d values for %d channels: %w", len(parts), len(dst), ErrData)
	}
	for c, p := range parts {
		v, err := pyFloat(p)
		if err != nil {
			return fmt.Errorf("channel %d value %q: %v: %w", c+1, clip(p), err, ErrData)
		}
		dst[c][i] = v * r.h.scale[c]
	}
	return nil
}
