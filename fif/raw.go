package fif

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bcikit/bcikit/raw"
)

// ErrSplit reports a recording split over several files (FIF files are at
// most 2 GB) that NewReader cannot follow, having no file system: use
// Open, which reads the following files.
var ErrSplit = errors.New("split FIF recording")

// maxSamples bounds the number of samples of a recording. Skips
// (FIFF_DATA_SKIP) stand for samples that the file does not store, so
// their number is not bounded by the file size; this keeps the sample
// arithmetic far from overflow.
const maxSamples = 1 << 40

// maxParts bounds the number of files of a split recording.
const maxParts = 1000

// segment is a run of samples: one data buffer of a file, or a skip
// (samples the acquisition did not record, read as zeros as MNE does).
type segment struct {
	start int    // first sample, counted from sample 0 of the recording
	n     int    // number of samples
	part  int    // file of a split recording
	pos   int64  // offset of the samples in the file; -1 for a skip
	typ   uint32 // data type of the buffer
}

// part is one file of a (possibly split) recording.
type part struct {
	r      io.ReaderAt
	closer io.Closer
	name   string
}

// Reader reads a raw FIF recording (MNE's *_raw.fif) on demand. It is
// safe for concurrent use.
type Reader struct {
	info  raw.Info
	parts []part
	segs  []segment
	cals  []float64
	nchan int

	mu  sync.Mutex
	buf []byte
}

var _ raw.Reader = (*Reader)(nil)

// Open opens a raw FIF file. A recording split over several files is read
// whole, following the "next file" references as MNE does. A name ending in
// ".gz" is decompressed into memory first.
func Open(path string) (*Reader, error) {
	var parts []part
	var files []*rawFile
	closeAll := func() {
		for _, p := range parts {
			if p.closer != nil {
				p.closer.Close()
			}
		}
	}
	seen := make(map[string]bool)
	for name := path; name != ""; {
		if len(parts) == maxParts {
			closeAll()
			return nil, fmt.Errorf("fif: %s: more than %d split files: %w", path, maxParts, ErrFormat)
		}
		if abs, err := filepath.Abs(name); err == nil {
			if seen[abs] {
				closeAll()
				return nil, fmt.Errorf("fif: %s: split files refer back to %s: %w", path, name, ErrFormat)
			}
			seen[abs] = true
		}
		p, size, err := openPart(name)
		if err != nil {
			closeAll()
			if len(parts) > 0 && errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("fif: %s: split recording continues in %s, which does not exist: %w", parts[len(parts)-1].name, name, err)
			}
			return nil, err
		}
		parts = append(parts, p)
		rf, err := parseRawFile(p.r, size, name)
		if err != nil {
			closeAll()
			return nil, err
		}
		files = append(files, rf)
		name = rf.next
	}
	r, err := newReader(parts, files)
	if err != nil {
		closeAll()
		return nil, err
	}
	return r, nil
}

// openPart opens one file, decompressing it if its name ends in ".gz".
func openPart(name string) (part, int64, error) {
	fh, err := os.Open(name)
	if err != nil {
		return part{}, 0, fmt.Errorf("fif: %w", err)
	}
	if strings.EqualFold(filepath.Ext(name), ".gz") {
		defer fh.Close()
		b, err := gunzip(fh, name)
		if err != nil {
			return part{}, 0, err
		}
		return part{r: bytes.NewReader(b), name: name}, int64(len(b)), nil
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return part{}, 0, fmt.Errorf("fif: %w", err)
	}
	return part{r: fh, closer: fh, name: name}, st.Size(), nil
}

// maxFileSize is the largest FIF file: tag offsets are 32-bit.
const maxFileSize = 1<<31 - 1

// gunzip decompresses a gzip-compressed FIF file into memory, refusing
// more than a FIF file can hold.
func gunzip(r io.Reader, name string) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("fif: %s: %v: %w", name, err, ErrFormat)
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("fif: %s: %v: %w", name, err, ErrFormat)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("fif: %s: decompresses to more than %d bytes: %w", name, maxFileSize, ErrFormat)
	}
	return b, nil
}

// NewReader reads the header of the raw FIF recording held in the size
// bytes of r (uncompressed); name is used in errors. A recording that continues in
// another file is an error wrapping ErrSplit that names that file.
func NewReader(r io.ReaderAt, size int64, name string) (*Reader, error) {
	rf, err := parseRawFile(r, size, name)
	if err != nil {
		return nil, err
	}
	if rf.next != "" {
		return nil, fmt.Errorf("fif: %s: recording continues in %s: %w", name, rf.next, ErrSplit)
	}
	return newReader([]part{{r: r, name: name}}, []*rawFile{rf})
}

// rawFile is what one file of a raw recording holds.
type rawFile struct {
	f        *File
	info     *measInfo
	annot    *fileAnnotations
	tagFirst int       // FIFF_FIRST_SAMPLE
	first    int       // first sample after an initial skip
	segs     []segment // start counted from the acquisition start
	nSamples int
	next     string // the file the recording continues in, or ""
}

// parseRawFile reads the header of one raw file as MNE's
// Raw._read_raw_file: measurement info, annotations and the layout of the
// data buffers.
func parseRawFile(r io.ReaderAt, size int64, name string) (*rawFile, error) {
	f, err := NewFile(r, size, name)
	if err != nil {
		return nil, err
	}
	mi, err := f.readMeasInfo()
	if err != nil {
		return nil, err
	}
	annot, err := f.readAnnotations()
	if err != nil {
		return nil, err
	}
	rf := &rawFile{f: f, info: mi, annot: annot}

	nodes := mi.meas.Find(blockRawData)
	if len(nodes) == 0 {
		nodes = mi.meas.Find(blockContinuous)
	}
	if len(nodes) == 0 {
		if len(mi.meas.Find(blockIASRawData)) > 0 {
			return nil, f.errorf(ErrFormat, "the file holds raw Internal Active Shielding (MaxShield) data, which MNE reads only with allow_maxshield=True; run it through MaxFilter first")
		}
		return nil, f.errorf(ErrFormat, "no raw data block (FIFFB_RAW_DATA)")
	}
	if len(nodes) > 1 {
		return nil, f.errorf(ErrFormat, "%d raw data blocks, want one", len(nodes))
	}
	if err := rf.layout(nodes[0].Tags); err != nil {
		return nil, err
	}
	if rf.next, err = f.nextFile(); err != nil {
		return nil, err
	}
	return rf, nil
}

// sampleWidth returns the bytes per value of a data buffer type (complex
// types are two values).
func sampleWidth(typ uint32) int {
	switch typ {
	case typeDAUPack16, typeShort:
		return 2
	case typeInt, typeFloat:
		return 4
	case typeDouble:
		return 8
	}
	return 0
}

// layout walks the tags of the raw data block as MNE does: an optional
// first sample, an optional initial skip (counted in buffers of the first
// buffer's length), then data buffers and skips.
func (rf *rawFile) layout(tags []Tag) error {
	f := rf.f
	nchan := len(rf.info.chans)
	if len(tags) == 0 {
		return f.errorf(ErrFormat, "raw data block is empty")
	}
	i := 0
	first := int64(0)
	if tags[i].Kind == kindFirstSample {
		v, err := f.scalarInt(tags[i], "first sample (FIFF_FIRST_SAMPLE)")
		if err != nil {
			return err
		}
		first = v
		if i++; i >= len(tags) {
			return f.errorf(ErrFormat, "raw data block has no data after the first sample")
		}
	}
	rf.tagFirst = int(first)
	firstSkip := int64(0)
	if tags[i].Kind == kindDataSkip {
		v, err := f.scalarInt(tags[i], "initial data skip (FIFF_DATA_SKIP)")
		if err != nil {
			return err
		}
		firstSkip = v
		if i++; i >= len(tags) {
			return f.errorf(ErrFormat, "raw data block has no data after the initial skip")
		}
	}
	check := func(t Tag, v int64, what string) error {
		if v < -maxSamples || v > maxSamples {
			return f.tagErrorf(t, ErrFormat, "%s: %d samples is out of range", what, v)
		}
		return nil
	}
	if err := check(tags[0], first, "first sample"); err != nil {
		return err
	}
	start := first
	nskip := int64(0)
	for _, t := range tags[i:] {
		switch t.Kind {
		case kindDataSkip:
			v, err := f.scalarInt(t, "data skip (FIFF_DATA_SKIP)")
			if err != nil {
				return err
			}
			nskip = v
		case kindDataBuffer:
			w := sampleWidth(t.Type)
			if w == 0 {
				if t.Type == typeComplexFloat || t.Type == typeComplexDouble {
					return f.tagErrorf(t, ErrFormat, "data buffer: complex samples are not supported")
				}
				return f.tagErrorf(t, ErrFormat, "data buffer: cannot handle data of type %d", t.Type)
			}
			nsamp := int64(t.Size) / int64(w*nchan)
			// MNE reads nsamp rows of nchan values and fails unless the
			// buffer holds exactly that many whole values.
			if int64(t.Size)/int64(w) != nsamp*int64(nchan) {
				return f.tagErrorf(t, ErrFormat, "data buffer: %d bytes is not a whole number of samples of %d channels × %d bytes", t.Size, nchan, w)
			}
			if firstSkip > 0 {
				start += nsamp * firstSkip
				first = start
				firstSkip = 0
				if err := check(t, start, "initial skip"); err != nil {
					return err
				}
			}
			if nskip > 0 {
				n := nskip * nsamp
				if err := check(t, n, "data skip"); err != nil {
					return err
				}
				rf.segs = append(rf.segs, segment{start: int(start), n: int(n), pos: -1})
				start += n
				nskip = 0
			}
			rf.segs = append(rf.segs, segment{start: int(start), n: int(nsamp), pos: t.DataPos(), typ: t.Type})
			start += nsamp
			if err := check(t, start-first, "recording length"); err != nil {
				return err
			}
		}
	}
	if len(rf.segs) == 0 {
		return f.errorf(ErrFormat, "raw data block has no data buffer (FIFF_DATA_BUFFER)")
	}
	rf.first = int(first)
	rf.nSamples = int(start - first)
	return nil
}

// nextFile returns the file a split recording continues in, as MNE's
// _get_next_fname: the first FIFFB_REF block with the "next file" role,
// by its name or else by its number.
func (f *File) nextFile() (string, error) {
blocks:
	for _, b := range f.Root.Find(blockRef) {
		next := ""
		for _, t := range b.Tags {
			switch t.Kind {
			case kindRefRole:
				role, err := f.scalarInt(t, "reference role (FIFF_REF_ROLE)")
				if err != nil {
					return "", err
				}
				if role != roleNextFile {
					continue blocks
				}
			case kindRefFileName:
				s, err := f.str(t, "next file name (FIFF_REF_FILE_NAME)")
				if err != nil {
					return "", err
				}
				next = joinPath(filepath.Dir(f.Name), s)
			case kindRefFileNum:
				if next != "" {
					continue
				}
				num, err := f.scalarInt(t, "next file number (FIFF_REF_FILE_NUM)")
				if err != nil {
					return "", err
				}
				next = splitName(f.Name, num)
			}
		}
		if next != "" {
			return next, nil
		}
	}
	return "", nil
}

// joinPath is Python's os.path.join(dir, name): name wins when absolute.
func joinPath(dir, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// splitName builds the name of split part num from the name of this part
// as MNE does: "x_raw.fif" → "x_raw-1.fif", "x_raw-1.fif" → "x_raw-2.fif".
func splitName(name string, num int64) string {
	dir, base := filepath.Split(name)
	b := []rune(base)
	dot := runeIndex(b, '.', false)
	dash := runeIndex(b, '-', true)
	digits := pySlice(b, dash+1, dot)
	isNum := len(digits) > 0
	for _, r := range digits {
		if r < '0' || r > '9' {
			isNum = false
		}
	}
	if !isNum {
		dash = -1
	}
	if dash < 0 && num == 1 {
		return joinPath(dir, fmt.Sprintf("%s-%d.%s", string(pySlice(b, 0, dot)), num, string(pySlice(b, dot+1, len(b)))))
	}
	return joinPath(dir, fmt.Sprintf("%s-%d.%s", string(pySlice(b, 0, dash)), num, string(pySlice(b, dot+1, len(b)))))
}

// runeIndex is Python's str.find (or str.rfind when fromRight).
func runeIndex(s []rune, r rune, fromRight bool) int {
	if fromRight {
		for i := len(s) - 1; i >= 0; i-- {
			if s[i] == r {
				return i
			}
		}
		return -1
	}
	for i, c := range s {
		if c == r {
			return i
		}
	}
	return -1
}

// pySlice is Python's s[i:j].
func pySlice(s []rune, i, j int) []rune {
	n := len(s)
	fix := func(k int) int {
		if k < 0 {
			k += n
		}
		return min(max(k, 0), n)
	}
	i, j = fix(i), fix(j)
	if i >= j {
		return nil
	}
	return s[i:j]
}

// newReader puts the files of a recording together as MNE's Raw does with
// split files: the header of the first file, the samples of all in turn.
func newReader(parts []part, files []*rawFile) (*Reader, error) {
	head := files[0]
	mi := head.info
	nchan := len(mi.chans)
	r := &Reader{parts: parts, nchan: nchan, cals: make([]float64, nchan)}
	for k, c := range mi.chans {
		r.cals[k] = c.rng * c.cal
	}
	for i, rf := range files[1:] {
		if err := compatible(head, rf); err != nil {
			return nil, fmt.Errorf("fif: %s: split file %d does not continue %s: %v: %w", rf.f.Name, i+1, head.f.Name, err, ErrFormat)
		}
	}
	total := 0
	for p, rf := range files {
		for _, s := range rf.segs {
			s.start = s.start - rf.first + total
			s.part = p
			r.segs = append(r.segs, s)
		}
		total += rf.nSamples
		if total > maxSamples {
			return nil, fmt.Errorf("fif: %s: more than %d samples: %w", rf.f.Name, int64(maxSamples), ErrFormat)
		}
	}
	if total == 0 {
		return nil, head.f.errorf(ErrFormat, "raw data holds no samples")
	}

	chans := make([]raw.Channel, nchan)
	for k, c := range mi.chans {
		typ, ok := channelType(c)
		if !ok {
			return nil, head.f.errorf(ErrFormat, "channel %q: unknown channel type (kind %d, coil type %d, unit %d)", c.name, c.kind, c.coil, c.unit)
		}
		chans[k] = raw.Channel{Name: c.name, Type: typ, Unit: unitName(c.unit), SFreq: mi.sfreq}
	}
	r.info = raw.Info{
		Format:      "fif",
		Channels:    chans,
		SFreq:       mi.sfreq,
		NSamples:    total,
		FirstSample: head.first,
	}
	if mi.dated {
		r.info.MeasDate = time.UnixMicro(mi.date).UTC()
	}

	ann, err := annotations(files, total)
	if err != nil {
		return nil, head.f.errorf(ErrFormat, "annotations: %v", err)
	}
	r.info.Annotations = ann
	return r, nil
}

// compatible checks that a split file continues the first one as MNE's
// _check_raw_compatibility does (here with channels in the same order).
func compatible(head, rf *rawFile) error {
	a, b := head.info, rf.info
	if len(a.chans) != len(b.chans) {
		return fmt.Errorf("%d channels instead of %d", len(b.chans), len(a.chans))
	}
	if a.sfreq != b.sfreq {
		return fmt.Errorf("sampling rate %v Hz instead of %v Hz", b.sfreq, a.sfreq)
	}
	for k := range a.chans {
		ca, cb := a.chans[k], b.chans[k]
		if ca.name != cb.name {
			return fmt.Errorf("channel %d is %q instead of %q", k+1, cb.name, ca.name)
		}
		if ca.rng*ca.cal != cb.rng*cb.cal {
			return fmt.Errorf("channel %q calibration differs", ca.name)
		}
	}
	return nil
}

// annotations builds MNE's raw.annotations: the first file's annotations
// fitted to the recording, and a BAD_ACQ_SKIP annotation for every skip.
func annotations(files []*rawFile, total int) ([]raw.Annotation, error) {
	head := files[0]
	mi := head.info
	var out []raw.Annotation
	if a := head.annot; a != nil {
		if !mi.dated {
			// MNE keeps onsets from the first sample when there is no
			// measurement date.
			shift := float64(head.tagFirst) / mi.sfreq
			for i := range a.onset {
				a.onset[i] -= shift
			}
		}
		var err error
		out, err = a.fit(recordingSpan{sfreq: mi.sfreq, firstSamp: head.first, nSamples: total, date: mi.date, dated: mi.dated})
		if err != nil {
			return nil, err
		}
	}
	for _, rf := range files {
		for _, s := range rf.segs {
			if s.pos < 0 {
				out = append(out, raw.Annotation{
					Onset:       float64(s.start) / mi.sfreq,
					Duration:    float64(s.n) / mi.sfreq,
					Description: "BAD_ACQ_SKIP",
				})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Onset < out[j].Onset || out[i].Onset == out[j].Onset && out[i].Duration < out[j].Duration
	})
	return out, nil
}

// Info returns the recording's header.
func (r *Reader) Info() *raw.Info { return &r.info }

// ReadAt fills dst with the samples start, start+1, ... of every channel,
// calibrated as MNE does (stored value × range × cal), reading only the
// data buffers that cover the window. Skipped samples read as zeros.
func (r *Reader) ReadAt(dst [][]float64, start int) error {
	if err := raw.CheckWindow(&r.info, dst, start); err != nil {
		return fmt.Errorf("fif: %s: %w", r.parts[0].name, err)
	}
	if r.nchan == 0 || len(dst[0]) == 0 {
		return nil
	}
	stop := start + len(dst[0])
	i := sort.Search(len(r.segs), func(i int) bool { return r.segs[i].start+r.segs[i].n > start })
	r.mu.Lock()
	defer r.mu.Unlock()
	for ; i < len(r.segs) && r.segs[i].start < stop; i++ {
		s := r.segs[i]
		lo := max(start, s.start)
		hi := min(stop, s.start+s.n)
		if lo >= hi {
			continue
		}
		if s.pos < 0 {
			for _, d := range dst {
				clear(d[lo-start : hi-start])
			}
			continue
		}
		if err := r.readBuffer(dst, start, s, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// readBuffer decodes samples [lo, hi) of buffer s into dst (whose column 0
// is sample start).
func (r *Reader) readBuffer(dst [][]float64, start int, s segment, lo, hi int) error {
	w := sampleWidth(s.typ)
	row := w * r.nchan
	n := (hi - lo) * row
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	p := r.parts[s.part]
	if _, err := p.r.ReadAt(b, s.pos+int64((lo-s.start)*row)); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = ErrTruncated
		}
		return fmt.Errorf("fif: %s: data buffer at offset %d: %w", p.name, s.pos-tagHeaderSize, err)
	}
	off := lo - start
	for k, d := range dst {
		cal := r.cals[k]
		d = d[off : off+hi-lo]
		q := b[k*w:]
		switch s.typ {
		case typeDAUPack16, typeShort:
			for j := range d {
				d[j] = float64(int16(binary.BigEndian.Uint16(q[j*row:]))) * cal
			}
		case typeInt:
			for j := range d {
				d[j] = float64(int32(binary.BigEndian.Uint32(q[j*row:]))) * cal
			}
		case typeFloat:
			for j := range d {
				d[j] = float64(math.Float32frombits(binary.BigEndian.Uint32(q[j*row:]))) * cal
			}
		case typeDouble:
			for j := range d {
				d[j] = math.Float64frombits(binary.BigEndian.Uint64(q[j*row:])) * cal
			}
		}
	}
	return nil
}

// Close closes the files of the recording opened by Open.
func (r *Reader) Close() error {
	var first error
	for _, p := range r.parts {
		if p.closer != nil {
			if err := p.closer.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
