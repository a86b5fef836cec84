package fif

import (
	"bytes"
	"encoding/binary"
	"math"
)

// builder writes FIF files tag by tag for the tests of malformed input.
type builder struct{ bytes.Buffer }

func (b *builder) tag(kind int32, typ uint32, data []byte) *builder {
	var h [16]byte
	binary.BigEndian.PutUint32(h[0:], uint32(kind))
	binary.BigEndian.PutUint32(h[4:], typ)
	binary.BigEndian.PutUint32(h[8:], uint32(len(data)))
	b.Write(h[:])
	b.Write(data)
	return b
}

func be32(v ...int32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(out[4*i:], uint32(x))
	}
	return out
}

func beF32(v ...float32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint32(out[4*i:], math.Float32bits(x))
	}
	return out
}

func beI16(v ...int16) []byte {
	out := make([]byte, 2*len(v))
	for i, x := range v {
		binary.BigEndian.PutUint16(out[2*i:], uint16(x))
	}
	return out
}

func (b *builder) ints(kind int32, v ...int32) *builder { return b.tag(kind, typeInt, be32(v...)) }
func (b *builder) start(kind int32) *builder            { return b.ints(kindBlockStart, kind) }
func (b *builder) end(kind int32) *builder              { return b.ints(kindBlockEnd, kind) }

func (b *builder) head() *builder {
	return b.tag(kindFileID, typeIDStruct, be32(0x10003, 1, 2, 1600000000, 250000)).ints(kindDirPointer, -1)
}

func chanStruct(name string, kind, coil, unit int32, rng, cal float32) []byte {
	var d []byte
	d = append(d, be32(1, 1, kind)...)
	d = append(d, beF32(rng, cal)...)
	d = append(d, be32(coil)...)
	d = append(d, make([]byte, 48)...)
	d = append(d, be32(unit, 0)...)
	n := make([]byte, 16)
	copy(n, name)
	return append(d, n...)
}

// spec describes a small raw file: two EEG channels at 100 Hz, two
// buffers of 3 samples of int16, each part overridable.
type spec struct {
	nchan     []byte // FIFF_NCHAN data; nil: omit
	sfreq     []byte // FIFF_SFREQ data; nil: omit
	chans     [][]byte
	date      []byte
	bufType   uint32
	buffers   [][]byte
	preBuffer func(*builder) // tags before the buffers (first sample, skips)
}

func defaultSpec() spec {
	return spec{
		nchan:   be32(2),
		sfreq:   beF32(100),
		chans:   [][]byte{chanStruct("C3", chEEG, coilEEG, unitV, 1, 1e-6), chanStruct("C4", chEEG, coilEEG, unitV, 2, 1e-6)},
		date:    be32(1600000000, 5),
		bufType: typeDAUPack16,
		buffers: [][]byte{beI16(1, -1, 2, -2, 3, -3), beI16(4, -4, 5, -5, 6, -6)},
	}
}

func (s spec) build() []byte {
	var b builder
	b.head()
	b.start(blockMeas).start(blockMeasInfo)
	if s.nchan != nil {
		b.tag(kindNChan, typeInt, s.nchan)
	}
	if s.sfreq != nil {
		b.tag(kindSFreq, typeFloat, s.sfreq)
	}
	if s.date != nil {
		b.tag(kindMeasDate, typeInt, s.date)
	}
	for _, c := range s.chans {
		b.tag(kindChInfo, typeChInfoStruct, c)
	}
	b.end(blockMeasInfo).start(blockRawData)
	if s.preBuffer != nil {
		s.preBuffer(&b)
	}
	for _, d := range s.buffers {
		b.tag(kindDataBuffer, s.bufType, d)
	}
	b.end(blockRawData).end(blockMeas)
	return b.Bytes()
}
