package fif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"
)

// ErrFormat reports a file that is not a FIF file or whose content breaks
// the format's rules (a missing or malformed tag, inconsistent sizes).
var ErrFormat = errors.New("invalid FIF file")

// ErrTruncated reports a FIF file that ends inside a tag.
var ErrTruncated = errors.New("truncated FIF file")

// tagHeaderSize is the size of a tag header: kind, type, size, next.
const tagHeaderSize = 16

// Tag is the header of one FIF tag: a typed, sized record in the file.
type Tag struct {
	// Kind says what the tag holds (FIFF_NCHAN = 200, ...).
	Kind int32
	// Type says how the data is encoded (FIFFT_INT = 3, ...); matrix
	// types carry a coding in the upper 16 bits.
	Type uint32
	// Size is the number of data bytes after the header.
	Size int32
	// Next is 0 when the next tag follows this one, -1 when this is the
	// last tag, or the absolute offset of the next tag.
	Next int32
	// Pos is the offset of the tag header in the file.
	Pos int64
}

// DataPos returns the offset of the tag's data in the file.
func (t Tag) DataPos() int64 { return t.Pos + tagHeaderSize }

// Block is a node of a FIF file's block tree: the tags between a
// FIFF_BLOCK_START and its FIFF_BLOCK_END, and the blocks nested there.
type Block struct {
	// Kind is the block kind (FIFFB_MEAS = 100, ...); 0 for the root.
	Kind int32
	// Tags are the tags directly inside the block, in file order,
	// without the block start and end tags.
	Tags []Tag
	// Children are the nested blocks in file order.
	Children []*Block
}

// Find returns every block of the given kind in the tree under b, b
// included, in depth-first file order (MNE's dir_tree_find).
func (b *Block) Find(kind int32) []*Block {
	var out []*Block
	var walk func(*Block)
	walk = func(n *Block) {
		if n.Kind == kind {
			out = append(out, n)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(b)
	return out
}

// File is a FIF file opened at the tag level: the block tree, built by
// walking the tags one after the other, and access to each tag's data.
type File struct {
	// Name names the file in error messages.
	Name string
	// Root is the top of the block tree; its Tags are the tags outside
	// any block (the file id, the directory pointer, ...).
	Root *Block

	r    io.ReaderAt
	size int64
}

// NewFile reads the tag headers of the size bytes of r and builds the
// block tree. It checks that the file starts with a file id and a
// directory pointer, as MNE does, and that every tag lies inside the file.
// The tag directory the file may hold is not used: the tags are walked in
// sequence, which every valid FIF file allows. name is used in errors.
func NewFile(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{Name: name, r: r, size: size}
	if size < 0 {
		return nil, f.errorf(ErrFormat, "negative file size %d", size)
	}
	if size == 0 {
		return nil, f.errorf(ErrFormat, "empty file")
	}
	// Check the first header before walking, as MNE does: a file that is
	// not FIF fails here rather than on some size.
	var hdr [tagHeaderSize]byte
	if size < tagHeaderSize {
		return nil, f.errorf(ErrTruncated, "file id tag: only %d bytes", size)
	}
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, f.readError(err, "file id tag")
	}
	kind, typ, n := int32(binary.BigEndian.Uint32(hdr[0:])), binary.BigEndian.Uint32(hdr[4:]), int32(binary.BigEndian.Uint32(hdr[8:]))
	if kind != kindFileID || typ != typeIDStruct || n != 20 {
		return nil, f.errorf(ErrFormat, "does not start with a file id tag (kind %d, type %d, size %d; want kind %d, type %d, size 20)",
			kind, typ, n, kindFileID, typeIDStruct)
	}
	tags, err := f.walk()
	if err != nil {
		return nil, err
	}
	if len(tags) < 2 || tags[1].Kind != kindDirPointer {
		return nil, f.errorf(ErrFormat, "no directory pointer after the file id")
	}
	if f.Root, err = f.tree(tags); err != nil {
		return nil, err
	}
	return f, nil
}

// errorf formats an error about the file wrapping the sentinel err.
func (f *File) errorf(err error, format string, args ...any) error {
	return fmt.Errorf("fif: %s: %s: %w", f.Name, fmt.Sprintf(format, args...), err)
}

// tagErrorf formats an error about tag t.
func (f *File) tagErrorf(t Tag, err error, format string, args ...any) error {
	return fmt.Errorf("fif: %s: tag kind %d (type %d, %d bytes) at offset %d: %s: %w",
		f.Name, t.Kind, t.Type, t.Size, t.Pos, fmt.Sprintf(format, args...), err)
}

// walk reads the tag headers in sequence, as MNE does when a file has no
// tag directory: each tag is followed by the next unless its next field
// points elsewhere (forward only, so that the walk ends) or is negative
// (the last tag).
func (f *File) walk() ([]Tag, error) {
	var tags []Tag
	var hdr [tagHeaderSize]byte
	pos := int64(0)
	for pos < f.size {
		if f.size-pos < tagHeaderSize {
			return nil, f.errorf(ErrTruncated, "tag header at offset %d: only %d of %d bytes left", pos, f.size-pos, tagHeaderSize)
		}
		if _, err := f.r.ReadAt(hdr[:], pos); err != nil {
			return nil, f.readError(err, "tag header at offset %d", pos)
		}
		t := Tag{
			Kind: int32(binary.BigEndian.Uint32(hdr[0:])),
			Type: binary.BigEndian.Uint32(hdr[4:]),
			Size: int32(binary.BigEndian.Uint32(hdr[8:])),
			Next: int32(binary.BigEndian.Uint32(hdr[12:])),
			Pos:  pos,
		}
		if t.Size < 0 {
			return nil, f.tagErrorf(t, ErrFormat, "negative data size")
		}
		if end := t.DataPos() + int64(t.Size); end > f.size {
			return nil, f.tagErrorf(t, ErrTruncated, "data ends at offset %d, after the end of the file (%d bytes)", end, f.size)
		}
		tags = append(tags, t)
		switch {
		case t.Next < 0:
			return tags, nil
		case t.Next == 0:
			pos = t.DataPos() + int64(t.Size)
		case int64(t.Next) <= pos:
			return nil, f.tagErrorf(t, ErrFormat, "next tag offset %d does not move forward", t.Next)
		case int64(t.Next) > f.size:
			return nil, f.tagErrorf(t, ErrTruncated, "next tag offset %d after the end of the file (%d bytes)", t.Next, f.size)
		default:
			pos = int64(t.Next)
		}
	}
	return tags, nil
}

// readError turns a failed ReadAt of bytes known to lie inside the file
// into an error (a short read means the file shrank or size was wrong).
func (f *File) readError(err error, format string, args ...any) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = ErrTruncated
	}
	return fmt.Errorf("fif: %s: %s: %w", f.Name, fmt.Sprintf(format, args...), err)
}

// tree builds the block tree as MNE's make_dir_tree: a block start opens a
// child of the innermost open block, a block end closes it (a stray end at
// the top level is ignored, an unclosed block ends with the file).
func (f *File) tree(tags []Tag) (*Block, error) {
	root := &Block{}
	stack := []*Block{root}
	for _, t := range tags {
		top := stack[len(stack)-1]
		switch t.Kind {
		case kindBlockStart:
			k, err := f.scalarInt(t, "block start")
			if err != nil {
				return nil, err
			}
			if k < math.MinInt32 || k > math.MaxInt32 {
				return nil, f.tagErrorf(t, ErrFormat, "block kind %d out of range", k)
			}
			b := &Block{Kind: int32(k)}
			top.Children = append(top.Children, b)
			stack = append(stack, b)
		case kindBlockEnd:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		default:
			top.Tags = append(top.Tags, t)
		}
	}
	return root, nil
}

// Data reads the data of tag t (Size bytes, which NewFile checked lie
// inside the file).
func (f *File) Data(t Tag) ([]byte, error) {
	if t.Size < 0 || t.DataPos()+int64(t.Size) > f.size {
		return nil, f.tagErrorf(t, ErrTruncated, "data outside the file")
	}
	b := make([]byte, t.Size)
	if _, err := f.r.ReadAt(b, t.DataPos()); err != nil {
		return nil, f.readError(err, "data of tag kind %d at offset %d", t.Kind, t.Pos)
	}
	return b, nil
}

// first returns the first tag of the given kind directly in b.
func first(b *Block, kind int32) (Tag, bool) {
	for _, t := range b.Tags {
		if t.Kind == kind {
			return t, true
		}
	}
	return Tag{}, false
}

// numbers decodes a tag holding an array of one of FIF's simple numeric
// types, as MNE's read_tag would give it, into float64 (exact for every
// such type). single reports float32 data.
func (f *File) numbers(t Tag, what string) (v []float64, single bool, err error) {
	var width int
	switch t.Type {
	case typeByte:
		width = 1
	case typeShort, typeUShort, typeDAUPack16:
		width = 2
	case typeInt, typeUInt, typeFloat:
		width = 4
	case typeDouble:
		width = 8
	default:
		return nil, false, f.tagErrorf(t, ErrFormat, "%s: data type %d is not a number", what, t.Type)
	}
	if int(t.Size)%width != 0 {
		return nil, false, f.tagErrorf(t, ErrFormat, "%s: %d bytes is not a whole number of %d-byte values", what, t.Size, width)
	}
	b, err := f.Data(t)
	if err != nil {
		return nil, false, err
	}
	v = make([]float64, len(b)/width)
	for i := range v {
		p := b[i*width:]
		switch t.Type {
		case typeByte:
			v[i] = float64(p[0])
		case typeShort, typeDAUPack16:
			v[i] = float64(int16(binary.BigEndian.Uint16(p)))
		case typeUShort:
			v[i] = float64(binary.BigEndian.Uint16(p))
		case typeInt:
			v[i] = float64(int32(binary.BigEndian.Uint32(p)))
		case typeUInt:
			v[i] = float64(binary.BigEndian.Uint32(p))
		case typeFloat:
			v[i] = float64(math.Float32frombits(binary.BigEndian.Uint32(p)))
		case typeDouble:
			v[i] = math.Float64frombits(binary.BigEndian.Uint64(p))
		}
	}
	return v, t.Type == typeFloat, nil
}

// scalar decodes a tag holding exactly one number (MNE's float(tag.data)).
func (f *File) scalar(t Tag, what string) (float64, error) {
	v, _, err := f.numbers(t, what)
	if err != nil {
		return 0, err
	}
	if len(v) != 1 {
		return 0, f.tagErrorf(t, ErrFormat, "%s: %d values, want one", what, len(v))
	}
	return v[0], nil
}

// scalarInt decodes a tag holding exactly one number as an integer (MNE's
// int(tag.data), which truncates floating-point values).
func (f *File) scalarInt(t Tag, what string) (int64, error) {
	x, err := f.scalar(t, what)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(x) || math.Abs(x) >= 1<<62 {
		return 0, f.tagErrorf(t, ErrFormat, "%s: %v is not an integer", what, x)
	}
	return int64(x), nil
}

// str decodes a string tag; FIF strings are ISO 8859-1 (Latin-1).
func (f *File) str(t Tag, what string) (string, error) {
	if t.Type != typeString {
		return "", f.tagErrorf(t, ErrFormat, "%s: data type %d is not a string", what, t.Type)
	}
	b, err := f.Data(t)
	if err != nil {
		return "", err
	}
	return latin1(b), nil
}

// latin1 decodes ISO 8859-1 bytes.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// fileID is FIF's id struct: who wrote the file (or block) and when.
type fileID struct {
	version     int32
	machid      [2]int32
	secs, usecs int32
}

// id decodes an id-struct tag.
func (f *File) id(t Tag) (fileID, error) {
	if t.Type != typeIDStruct || t.Size < 20 {
		return fileID{}, f.tagErrorf(t, ErrFormat, "id: want an id struct of 20 bytes")
	}
	b, err := f.Data(t)
	if err != nil {
		return fileID{}, err
	}
	u := func(i int) int32 { return int32(binary.BigEndian.Uint32(b[4*i:])) }
	return fileID{version: u(0), machid: [2]int32{u(1), u(2)}, secs: u(3), usecs: u(4)}, nil
}
