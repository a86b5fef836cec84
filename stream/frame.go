package stream

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// SampleFormat is how samples travel in data frames: little-endian IEEE
// floats of 4 or 8 bytes.
type SampleFormat uint8

// Sample formats of data frames.
const (
	Float32 SampleFormat = 4 // float32: half the bytes, ~7 significant digits
	Float64 SampleFormat = 8 // float64: samples travel exactly
)

// String returns "float32" or "float64".
func (f SampleFormat) String() string {
	switch f {
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	}
	return fmt.Sprintf("SampleFormat(%d)", uint8(f))
}

func (f SampleFormat) valid() bool { return f == Float32 || f == Float64 }

// Frame types (the first byte of a frame prefix).
const (
	frameHeader = 'H' // JSON Header
	frameData   = 'D' // one Chunk
	frameEnd    = 'E' // end of stream, empty
	frameError  = 'X' // UTF-8 reason why the sender closes the connection
)

const (
	prefixLen     = 8  // type, 3 reserved zero bytes, uint32 payload length
	dataFixedLen  = 32 // start, time, channels, samples, markers, format, 3 reserved
	markerMinLen  = 14 // sample int64, code int32, label length uint16
	maxLabelLen   = math.MaxUint16
	maxHeaderLen  = 1 << 20
	maxErrorLen   = 1 << 12
	helloLen      = 8
	protoVersion  = 1
	roleSubscribe = 'S'
	rolePublish   = 'P'
)

// DefaultMaxFrame is the largest frame payload a Decoder accepts unless
// told otherwise: 64 MiB, a second of 2048 channels at 4 kHz in float64.
const DefaultMaxFrame = 64 << 20

var magic = [4]byte{'B', 'C', 'I', 'S'}

// appendHello appends the 8-byte hello a connecting side sends first.
func appendHello(dst []byte, role byte, f SampleFormat) []byte {
	return append(dst, magic[0], magic[1], magic[2], magic[3], protoVersion, role, byte(f), 0)
}

// parseHello checks a hello and returns its role and sample format (0:
// the server's choice).
func parseHello(b []byte) (role byte, f SampleFormat, err error) {
	if len(b) != helloLen || !bytes.Equal(b[:4], magic[:]) {
		return 0, 0, fmt.Errorf("%w: hello %q does not start with %q", ErrFrame, b, magic[:])
	}
	if b[4] != protoVersion {
		return 0, 0, fmt.Errorf("%w: protocol version %d, this side speaks %d", ErrFrame, b[4], protoVersion)
	}
	role = b[5]
	if role != roleSubscribe && role != rolePublish {
		return 0, 0, fmt.Errorf("%w: hello role %q, want 'S' (subscribe) or 'P' (publish)", ErrFrame, role)
	}
	f = SampleFormat(b[6])
	if f != 0 && !f.valid() {
		return 0, 0, fmt.Errorf("%w: hello sample format %d, want 4 (float32), 8 (float64) or 0", ErrFrame, b[6])
	}
	if b[7] != 0 {
		return 0, 0, fmt.Errorf("%w: hello reserved byte is %d, not 0", ErrFrame, b[7])
	}
	return role, f, nil
}

func appendPrefix(dst []byte, typ byte, n int) []byte {
	dst = append(dst, typ, 0, 0, 0)
	return binary.LittleEndian.AppendUint32(dst, uint32(n))
}

// AppendHeader appends the header frame of h to dst. It fails if h is not
// valid.
func AppendHeader(dst []byte, h Header) ([]byte, error) {
	if err := h.Validate(); err != nil {
		return dst, err
	}
	js, err := json.Marshal(h)
	if err != nil {
		return dst, fmt.Errorf("stream: header: %w", err)
	}
	if len(js) > maxHeaderLen {
		return dst, fmt.Errorf("%w: header of %d bytes, over %d", ErrHeader, len(js), maxHeaderLen)
	}
	dst = appendPrefix(dst, frameHeader, len(js))
	return append(dst, js...), nil
}

// AppendChunk appends the data frame of c, with samples as f, to dst.
// Every channel of c must have the same number of samples and marker
// labels must fit in 65535 bytes (programmer errors: it panics).
func AppendChunk(dst []byte, c Chunk, f SampleFormat) []byte {
	if !f.valid() {
		panic("stream: AppendChunk: invalid sample format")
	}
	nch, ns := len(c.Data), c.Len()
	n := dataFixedLen + nch*ns*int(f)
	for _, m := range c.Markers {
		if len(m.Label) > maxLabelLen {
			panic("stream: AppendChunk: marker label over 65535 bytes")
		}
		n += markerMinLen + len(m.Label)
	}
	dst = appendPrefix(dst, frameData, n)
	le := binary.LittleEndian
	dst = le.AppendUint64(dst, uint64(c.Start))
	var t int64
	if !c.Time.IsZero() {
		t = c.Time.UnixNano()
	}
	dst = le.AppendUint64(dst, uint64(t))
	dst = le.AppendUint32(dst, uint32(nch))
	dst = le.AppendUint32(dst, uint32(ns))
	dst = le.AppendUint32(dst, uint32(len(c.Markers)))
	dst = append(dst, byte(f), 0, 0, 0)
	// Grow once, then fill in place.
	off := len(dst)
	dst = append(dst, make([]byte, nch*ns*int(f))...)
	b := dst[off:]
	for _, ch := range c.Data {
		if len(ch) != ns {
			panic("stream: AppendChunk: channels of different lengths")
		}
		if f == Float64 {
			for i, v := range ch {
				le.PutUint64(b[8*i:], math.Float64bits(v))
			}
			b = b[8*ns:]
		} else {
			for i, v := range ch {
				le.PutUint32(b[4*i:], math.Float32bits(float32(v)))
			}
			b = b[4*ns:]
		}
	}
	for _, m := range c.Markers {
		dst = le.AppendUint64(dst, uint64(m.Sample))
		dst = le.AppendUint32(dst, uint32(int32(m.Code)))
		dst = le.AppendUint16(dst, uint16(len(m.Label)))
		dst = append(dst, m.Label...)
	}
	return dst
}

func appendEnd(dst []byte) []byte { return appendPrefix(dst, frameEnd, 0) }

func appendError(dst []byte, reason string) []byte {
	if len(reason) > maxErrorLen {
		reason = reason[:maxErrorLen]
	}
	dst = appendPrefix(dst, frameError, len(reason))
	return append(dst, reason...)
}

// Encoder writes a stream's frames to an io.Writer: the header, then
// chunks, then the end. Each frame goes out in a single Write call (over
// WebSocket, one binary message).
type Encoder struct {
	w   io.Writer
	f   SampleFormat
	buf []byte
}

// NewEncoder returns an Encoder writing samples as f to w.
func NewEncoder(w io.Writer, f SampleFormat) *Encoder {
	if !f.valid() {
		panic("stream: NewEncoder: invalid sample format")
	}
	return &Encoder{w: w, f: f}
}

// WriteHeader writes h's header frame.
func (e *Encoder) WriteHeader(h Header) error {
	var err error
	if e.buf, err = AppendHeader(e.buf[:0], h); err != nil {
		return err
	}
	_, err = e.w.Write(e.buf)
	return err
}

// WriteChunk writes c's data frame.
func (e *Encoder) WriteChunk(c Chunk) error {
	e.buf = AppendChunk(e.buf[:0], c, e.f)
	_, err := e.w.Write(e.buf)
	return err
}

// WriteEnd writes the end-of-stream frame.
func (e *Encoder) WriteEnd() error {
	e.buf = appendEnd(e.buf[:0])
	_, err := e.w.Write(e.buf)
	return err
}

// Decoder reads a stream's frames from an io.Reader: the header first,
// then chunks until the end frame. It checks every frame (lengths against
// MaxFrame before allocating, shapes against the header, finite samples,
// markers inside their chunk, chunks following one another without gap) and
// reports the first problem as an error wrapping ErrFrame.
type Decoder struct {
	// MaxFrame caps the payload length of a frame (DefaultMaxFrame if 0).
	MaxFrame int

	r      io.Reader
	hdr    Header
	hasHdr bool
	next   int64 // expected Start of the next chunk, -1 before the first
	pre    [prefixLen]byte
	buf    []byte
	data   [][]float64
	back   []float64
	marks  []Marker
}

// NewDecoder returns a Decoder reading from r. Wrap a network connection
// in a bufio.Reader: the decoder makes two reads per frame.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r, next: -1}
}

// readFrame reads one frame, returning its type and payload (valid until
// the next call).
func (d *Decoder) readFrame() (byte, []byte, error) {
	if _, err := io.ReadFull(d.r, d.pre[:]); err != nil {
		if err == io.EOF {
			return 0, nil, io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	typ := d.pre[0]
	if d.pre[1] != 0 || d.pre[2] != 0 || d.pre[3] != 0 {
		return 0, nil, fmt.Errorf("%w: frame prefix % x: reserved bytes not 0", ErrFrame, d.pre[:])
	}
	n := int64(binary.LittleEndian.Uint32(d.pre[4:]))
	limit := int64(d.MaxFrame)
	if limit <= 0 {
		limit = DefaultMaxFrame
	}
	switch typ {
	case frameHeader:
		limit = min(limit, maxHeaderLen)
	case frameData:
	case frameEnd:
		limit = 0
	case frameError:
		limit = maxErrorLen
	default:
		return 0, nil, fmt.Errorf("%w: unknown frame type %q (prefix % x)", ErrFrame, typ, d.pre[:])
	}
	if n > limit {
		return 0, nil, fmt.Errorf("%w: %q frame of %d bytes, over the limit of %d", ErrFrame, typ, n, limit)
	}
	if cap(d.buf) < int(n) {
		d.buf = make([]byte, n)
	}
	d.buf = d.buf[:n]
	if _, err := io.ReadFull(d.r, d.buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, fmt.Errorf("stream: %q frame of %d bytes: %w", typ, n, err)
	}
	if typ == frameError {
		return 0, nil, fmt.Errorf("%w: %s", ErrRemote, bytes.ToValidUTF8(d.buf, []byte("?")))
	}
	return typ, d.buf, nil
}

// ReadHeader reads the header frame, which must come first.
func (d *Decoder) ReadHeader() (Header, error) {
	if d.hasHdr {
		return d.hdr, nil
	}
	typ, p, err := d.readFrame()
	if err != nil {
		return Header{}, err
	}
	if typ != frameHeader {
		return Header{}, fmt.Errorf("%w: first frame is %q, not a header", ErrFrame, typ)
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return Header{}, fmt.Errorf("%w: header JSON: %v", ErrFrame, err)
	}
	if err := h.Validate(); err != nil {
		return Header{}, fmt.Errorf("%w: %w", ErrFrame, err)
	}
	d.hdr, d.hasHdr = h, true
	return h, nil
}

// Header returns the header read by ReadHeader.
func (d *Decoder) Header() Header { return d.hdr }

// ReadChunk reads the next data frame into c, reusing the decoder's
// buffers: c.Data and c.Markers stay valid until the next call. It returns
// io.EOF at the end frame. The header is read first if ReadHeader was not
// called.
func (d *Decoder) ReadChunk(c *Chunk) error {
	if !d.hasHdr {
		if _, err := d.ReadHeader(); err != nil {
			return err
		}
	}
	typ, p, err := d.readFrame()
	if err != nil {
		return err
	}
	switch typ {
	case frameEnd:
		return io.EOF
	case frameHeader:
		return fmt.Errorf("%w: a second header frame", ErrFrame)
	}
	if len(p) < dataFixedLen {
		return fmt.Errorf("%w: data frame of %d bytes, shorter than its %d-byte fixed part", ErrFrame, len(p), dataFixedLen)
	}
	le := binary.LittleEndian
	start := int64(le.Uint64(p))
	tns := int64(le.Uint64(p[8:]))
	nch := int64(le.Uint32(p[16:]))
	ns := int64(le.Uint32(p[20:]))
	nm := int64(le.Uint32(p[24:]))
	f := SampleFormat(p[28])
	if p[29] != 0 || p[30] != 0 || p[31] != 0 {
		return fmt.Errorf("%w: data frame reserved bytes not 0", ErrFrame)
	}
	if !f.valid() {
		return fmt.Errorf("%w: data frame sample format %d, want 4 or 8", ErrFrame, p[28])
	}
	if nch != int64(len(d.hdr.Channels)) {
		return fmt.Errorf("%w: data frame of %d channels, the header has %d", ErrFrame, nch, len(d.hdr.Channels))
	}
	if start < 0 {
		return fmt.Errorf("%w: chunk starts at sample %d", ErrFrame, start)
	}
	if d.next >= 0 && start != d.next {
		return fmt.Errorf("%w: chunk starts at sample %d, the previous one ended before %d", ErrFrame, start, d.next)
	}
	body := int64(len(p)) - dataFixedLen
	sampleBytes := nch * ns * int64(f) // both uint32: no overflow in int64
	if sampleBytes > body || nm*markerMinLen > body-sampleBytes {
		return fmt.Errorf("%w: data frame of %d bytes cannot hold %d×%d %s samples and %d markers", ErrFrame, len(p), nch, ns, f, nm)
	}
	// Samples, channel-major, into one backing array.
	total := int(nch * ns)
	if cap(d.back) < total {
		d.back = make([]float64, total)
	}
	d.back = d.back[:total]
	if cap(d.data) < int(nch) {
		d.data = make([][]float64, nch)
	}
	d.data = d.data[:nch]
	s := p[dataFixedLen:]
	for ch := range d.data {
		row := d.back[ch*int(ns) : (ch+1)*int(ns) : (ch+1)*int(ns)]
		// v*0 is 0 for finite v and NaN for NaN and ±Inf: the sum of
		// them checks the row in the same pass, without a branch.
		var acc float64
		if f == Float64 {
			for i := range row {
				v := math.Float64frombits(le.Uint64(s[8*i:]))
				row[i] = v
				acc += v * 0
			}
		} else {
			for i := range row {
				v := float64(math.Float32frombits(le.Uint32(s[4*i:])))
				row[i] = v
				acc += v * 0
			}
		}
		if acc != 0 {
			for i, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%w: sample %d of channel %q is %v", ErrFrame, start+int64(i), d.hdr.Channels[ch], v)
				}
			}
		}
		s = s[int(ns)*int(f):]
		d.data[ch] = row
	}
	d.marks = d.marks[:0]
	for k := int64(0); k < nm; k++ {
		if len(s) < markerMinLen {
			return fmt.Errorf("%w: marker %d cut short", ErrFrame, k)
		}
		m := Marker{Sample: int64(le.Uint64(s)), Code: int(int32(le.Uint32(s[8:])))}
		ln := int(le.Uint16(s[12:]))
		s = s[markerMinLen:]
		if ln > len(s) {
			return fmt.Errorf("%w: marker %d label of %d bytes, %d left in the frame", ErrFrame, k, ln, len(s))
		}
		m.Label = string(s[:ln])
		s = s[ln:]
		if m.Sample < start || m.Sample >= start+ns {
			return fmt.Errorf("%w: marker %d at sample %d outside its chunk [%d, %d)", ErrFrame, k, m.Sample, start, start+ns)
		}
		d.marks = append(d.marks, m)
	}
	if len(s) != 0 {
		return fmt.Errorf("%w: data frame has %d bytes after its markers", ErrFrame, len(s))
	}
	d.next = start + ns
	c.Start = start
	c.Data = d.data
	c.Markers = d.marks
	c.Time = time.Time{}
	if tns != 0 {
		c.Time = time.Unix(0, tns)
	}
	return nil
}
