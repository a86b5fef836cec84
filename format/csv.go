package format

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/bcikit/bcikit/raw"
)

// WriteCSV writes r as comma-separated text: a header row
// "time,<channel names>", then one row per sample with the time in seconds
// from the first sample and the values in the channels' SI units (volts),
// each printed with the fewest digits that read back to the same float64.
// Channel names holding commas or quotes are quoted as RFC 4180 says.
func WriteCSV(w io.Writer, r *raw.Raw) error {
	return writeCSV(w, r.Channels, r.SFreq, 0, r.Data)
}

// CSVWriter streams a recording to CSV window by window, so that a file of
// any length converts in constant memory.
type CSVWriter struct {
	bw    *bufio.Writer
	sfreq float64
	next  int // index of the next row's sample, for the time column
	buf   []byte
}

// NewCSVWriter writes the header row for chans and returns a writer whose
// WriteWindow calls append rows. t0 is the time of the first row.
func NewCSVWriter(w io.Writer, chans []raw.Channel, sfreq float64, firstRow int) (*CSVWriter, error) {
	c := &CSVWriter{bw: bufio.NewWriterSize(w, 1<<16), sfreq: sfreq, next: firstRow}
	c.buf = append(c.buf, "time"...)
	for _, ch := range chans {
		c.buf = append(c.buf, ',')
		c.buf = appendCSVField(c.buf, ch.Name)
	}
	c.buf = append(c.buf, '\n')
	_, err := c.bw.Write(c.buf)
	return c, err
}

// WriteWindow appends one row per sample of data (data[channel][sample]).
func (c *CSVWriter) WriteWindow(data [][]float64) error {
	if len(data) == 0 {
		return nil
	}
	for i := range data[0] {
		b := strconv.AppendFloat(c.buf[:0], float64(c.next)/c.sfreq, 'g', -1, 64)
		for _, d := range data {
			b = append(b, ',')
			b = strconv.AppendFloat(b, d[i], 'g', -1, 64)
		}
		b = append(b, '\n')
		c.buf = b
		if _, err := c.bw.Write(b); err != nil {
			return err
		}
		c.next++
	}
	return nil
}

// Flush writes any buffered rows.
func (c *CSVWriter) Flush() error { return c.bw.Flush() }

func writeCSV(w io.Writer, chans []raw.Channel, sfreq float64, firstRow int, data [][]float64) error {
	c, err := NewCSVWriter(w, chans, sfreq, firstRow)
	if err != nil {
		return err
	}
	if err := c.WriteWindow(data); err != nil {
		return err
	}
	return c.Flush()
}

func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
