package brainvision

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/bcikit/bcikit/raw"
)

// Errors callers can branch on with errors.Is. Every error this package
// returns for a bad file wraps one of them (or an *fs.PathError for a file
// that cannot be opened) and names the file, the field and the problem.
var (
	// ErrHeader reports a .vhdr file that is not a valid BrainVision
	// header: wrong first line, INI syntax, a missing or unparsable
	// field, channel entries that disagree with NumberOfChannels, ...
	ErrHeader = errors.New("invalid BrainVision header")
	// ErrMarkers reports a .vmrk file that is not a valid marker file.
	ErrMarkers = errors.New("invalid BrainVision marker file")
	// ErrData reports unparsable samples in an ASCII data file.
	ErrData = errors.New("invalid BrainVision data")
	// ErrTruncated reports a data file too short for what the header
	// describes: not one complete sample, fewer samples than a
	// VECTORIZED header's DataPoints, or a file that shrank after Open.
	ErrTruncated = errors.New("BrainVision data file truncated")
	// ErrUnsupported reports a valid header using a feature MNE-Python
	// 1.3 does not read either (UINT_16 samples, ASCII data in VECTORIZED
	// order, an unknown DataOrientation), an encoding other than UTF-8,
	// Latin-1, cp1252 and ASCII, or an .ahdr (Analyzer) header, which MNE
	// reads and this package does not.
	ErrUnsupported = errors.New("unsupported BrainVision feature")
)

// Size limits for the text files, which are read whole. Real headers are
// a few kilobytes, marker files rarely more than a few megabytes.
const (
	maxHeaderBytes = 64 << 20
	maxMarkerBytes = 1 << 30
)

// Reader reads a BrainVision recording (.vhdr header, .vmrk markers and
// .eeg data). It implements raw.Reader. ReadAt reads only the part of the
// data file that covers the requested window and may be called from
// several goroutines at once.
type Reader struct {
	h       *header
	markers *markerFile
	info    raw.Info
	f       dataFile
	// offsets[i] is the byte offset of sample i's line in an ASCII data
	// file, offsets[NSamples] the end; nil for binary data.
	offsets []int64
}

var _ raw.Reader = (*Reader)(nil)

// dataFile is what the reader needs of the data file.
type dataFile interface {
	io.ReaderAt
	io.Closer
}

// Open opens the recording whose header is vhdrPath. The data and marker
// files are the ones the header's DataFile and MarkerFile name, relative
// to the header's directory. The header, the markers and the data file's
// size are checked here; samples are read by ReadAt.
func Open(vhdrPath string) (*Reader, error) {
	path, err := filepath.Abs(vhdrPath)
	if err != nil {
		return nil, fmt.Errorf("brainvision: %w", err)
	}
	switch filepath.Ext(path) {
	case ".vhdr":
	case ".ahdr":
		return nil, fmt.Errorf("brainvision: %s: .ahdr (BrainVision Analyzer) files are not supported: %w", path, ErrUnsupported)
	default:
		return nil, fmt.Errorf("brainvision: %s: a header must have the extension .vhdr: %w", path, ErrHeader)
	}
	b, err := readLimited(path, maxHeaderBytes)
	if err != nil {
		return nil, fmt.Errorf("brainvision: header: %w", err)
	}
	h, err := parseHeader(b, path)
	if err != nil {
		return nil, err
	}
	mb, err := readLimited(h.MarkerFile, maxMarkerBytes)
	if err != nil {
		return nil, fmt.Errorf("brainvision: %s: [Common Infos] MarkerFile: %w", path, err)
	}
	mf, err := parseMarkers(mb, h.MarkerFile)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(h.DataFile)
	if err != nil {
		return nil, fmt.Errorf("brainvision: %s: [Common Infos] DataFile: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("brainvision: %w", err)
	}
	r, err := newReader(h, mf, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// readLimited reads a whole text file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes, not a BrainVision text file", path, limit)
	}
	return b, nil
}

// newReader sizes the data file of size bytes and builds the recording's
// Info. It does not close f on error.
func newReader(h *header, mf *markerFile, f dataFile, size int64) (*Reader, error) {
	r := &Reader{h: h, markers: mf, f: f}
	if err := r.init(size); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Reader) init(size int64) error {
	h := r.h
	nchan := len(h.channels)
	var err error
	var n int64
	if h.sampleSize > 0 {
		// As MNE: the number of samples is what the file holds; a
		// trailing partial frame is ignored.
		n = size / int64(h.sampleSize*nchan)
		if h.Orientation == "VECTORIZED" && h.DataPoints > n {
			return fmt.Errorf("brainvision: %s: holds %d samples per channel, the header's DataPoints says %d: %w", h.DataFile, n, h.DataPoints, ErrTruncated)
		}
	} else {
		if r.offsets, err = lineOffsets(io.NewSectionReader(r.f, 0, size), h.skipLines); err != nil {
			return fmt.Errorf("brainvision: %s: %w", h.DataFile, err)
		}
		n = int64(len(r.offsets) - 1)
	}
	if n == 0 {
		return fmt.Errorf("brainvision: %s: %d bytes hold no complete sample of %d channels: %w", h.DataFile, size, nchan, ErrTruncated)
	}
	if n > int64(math.MaxInt) {
		return fmt.Errorf("brainvision: %s: too many samples for this platform: %w", h.DataFile, ErrUnsupported)
	}
	chans := slices.Clone(h.channels)
	for i := range chans {
		chans[i].SFreq = h.sfreq
	}
	r.info = raw.Info{
		Format:   "brainvision",
		Channels: chans,
		SFreq:    h.sfreq,
		NSamples: int(n),
	}
	if r.markers.hasMeasDate {
		r.info.MeasDate = r.markers.measDate
	}
	r.info.Annotations, err = r.markers.annotations(h.sfreq, int(n), r.markers.measDate, r.markers.hasMeasDate)
	return err
}

// Info returns the recording's header in bcikit's model. The caller must
// not modify it.
func (r *Reader) Info() *raw.Info { return &r.info }

// Header returns the parsed .vhdr file. The caller must not modify it.
func (r *Reader) Header() *Header { return &r.h.Header }

// Markers returns every marker of the .vmrk file in file order, including
// those outside the recording that Info().Annotations leaves out.
func (r *Reader) Markers() []Marker { return slices.Clone(r.markers.markers) }

// Close closes the data file.
func (r *Reader) Close() error { return r.f.Close() }

// ReadAt fills dst[ch][i] with sample start+i of channel ch in SI units
// (volts for EEG), as raw.Reader.
func (r *Reader) ReadAt(dst [][]float64, start int) error {
	if err := raw.CheckWindow(&r.info, dst, start); err != nil {
		return fmt.Errorf("brainvision: %s: %w", r.h.DataFile, err)
	}
	if len(dst) == 0 || len(dst[0]) == 0 {
		return nil
	}
	switch {
	case r.offsets != nil:
		return r.readASCII(dst, start)
	case r.h.Orientation == "VECTORIZED":
		return r.readVectorized(dst, start)
	default:
		return r.readMultiplexed(dst, start)
	}
}

// chunkBytes bounds the buffer one ReadAt call reads through.
const chunkBytes = 256 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, chunkBytes); return &b }}

// readFull reads len(b) bytes at off, reporting a short read as
// ErrTruncated.
func (r *Reader) readFull(b []byte, off int64) error {
	n, err := r.f.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return fmt.Errorf("brainvision: %s: %d bytes at offset %d: file shorter than when opened: %w", r.h.DataFile, len(b), off, ErrTruncated)
	}
	return fmt.Errorf("brainvision: %w", err)
}

func (r *Reader) readMultiplexed(dst [][]float64, start int) error {
	nchan, ss := len(dst), r.h.sampleSize
	frame := nchan * ss
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	per := max(1, chunkBytes/frame)
	n := len(dst[0])
	buf := *bp
	if frame > len(buf) { // more than 64k channels: one frame at a time
		buf = make([]byte, frame)
	}
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		b := buf[:k*frame]
		if err := r.readFull(b, int64(start+i)*int64(frame)); err != nil {
			return err
		}
		for c := range nchan {
			decode(dst[c][i:i+k], b[c*ss:], frame, r.h.BinaryFormat, r.h.scale[c])
		}
	}
	return nil
}

func (r *Reader) readVectorized(dst [][]float64, start int) error {
	ss := r.h.sampleSize
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	per := chunkBytes / ss
	n, total := len(dst[0]), int64(r.info.NSamples)
	for c := range dst {
		for i := 0; i < n; i += per {
			k := min(per, n-i)
			b := (*bp)[:k*ss]
			if err := r.readFull(b, (int64(c)*total+int64(start+i))*int64(ss)); err != nil {
				return err
			}
			decode(dst[c][i:i+k], b, ss, r.h.BinaryFormat, r.h.scale[c])
		}
	}
	return nil
}

// decode converts len(dst) little-endian samples, stride bytes apart from
// the start of b, to float64 times scale (MNE: float64(sample) * cal *
// range, with cal*range computed first).
func decode(dst []float64, b []byte, stride int, format string, scale float64) {
	switch format {
	case "INT_16":
		for i := range dst {
			dst[i] = float64(int16(binary.LittleEndian.Uint16(b[i*stride:]))) * scale
		}
	case "INT_32":
		for i := range dst {
			dst[i] = float64(int32(binary.LittleEndian.Uint32(b[i*stride:]))) * scale
		}
	case "IEEE_FLOAT_32":
		for i := range dst {
			dst[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[i*stride:]))) * scale
		}
	default:
		panic("brainvision: unknown binary format " + format)
	}
}
