package gdf

import (
	"encoding/binary"
	"math"
)

// decode converts the len(dst) samples of one channel stored in src into
// physical values, with the arithmetic MNE does: (x*cal + offset) * gain,
// rounded after each step. For integer and float64 samples numpy computes
// in float64. For float32 samples it computes in float32 (numpy 1.x keeps
// a float32 array float32 when multiplied by a float64 scalar that fits in
// float32), and the result is widened to float64 at the end.
func (c *chanHeader) decode(dst []float64, src []byte) {
	le := binary.LittleEndian
	cal, off, gain := c.cal, c.offset, c.gain
	// scale is written with explicit conversions so that the compiler
	// cannot fuse the multiply and the add.
	scale := func(x float64) float64 { return float64(float64(x*cal)+off) * gain }
	switch c.typ {
	case typeInt8:
		for i := range dst {
			dst[i] = scale(float64(int8(src[i])))
		}
	case typeUint8:
		for i := range dst {
			dst[i] = scale(float64(src[i]))
		}
	case typeInt16:
		for i := range dst {
			dst[i] = scale(float64(int16(le.Uint16(src[2*i:]))))
		}
	case typeUint16:
		for i := range dst {
			dst[i] = scale(float64(le.Uint16(src[2*i:])))
		}
	case typeInt32:
		for i := range dst {
			dst[i] = scale(float64(int32(le.Uint32(src[4*i:]))))
		}
	case typeUint32:
		for i := range dst {
			dst[i] = scale(float64(le.Uint32(src[4*i:])))
		}
	case typeInt64:
		for i := range dst {
			dst[i] = scale(float64(int64(le.Uint64(src[8*i:]))))
		}
	case typeUint64:
		for i := range dst {
			dst[i] = scale(float64(le.Uint64(src[8*i:])))
		}
	case typeFloat64:
		for i := range dst {
			dst[i] = scale(math.Float64frombits(le.Uint64(src[8*i:])))
		}
	case typeFloat32:
		for i := range dst {
			dst[i] = scaleFloat32(math.Float32frombits(le.Uint32(src[4*i:])), cal, off, gain)
		}
	default:
		panic("gdf: decode: unsupported sample type")
	}
}

// fitsFloat32 reports whether numpy 1.x's value-based casting lets the
// float64 scalar v combine with a float32 array without promoting it. Its
// min_scalar_type says float32 (or float16) for |v| < 3.4e38, infinities
// and NaN.
func fitsFloat32(v float64) bool {
	return math.Abs(v) < 3.4e38 || math.IsInf(v, 0) || math.IsNaN(v)
}

// scaleFloat32 is numpy's
//
//	d = x * cal; d += offset; d *= gain
//
// for a float32 array x: each step runs in float32 when the scalar fits
// float32 and in float64 otherwise (an in-place step stores its float64
// result back in the float32 array; a promoted product makes the array
// float64 for the steps after it).
func scaleFloat32(x float32, cal, off, gain float64) float64 {
	if !fitsFloat32(cal) {
		return float64(float64(float64(x)*cal)+off) * gain
	}
	v := float32(x * float32(cal))
	if fitsFloat32(off) {
		v = float32(v + float32(off))
	} else {
		v = float32(float64(v) + off)
	}
	if fitsFloat32(gain) {
		v = float32(v * float32(gain))
	} else {
		v = float32(float64(v) * gain)
	}
	return float64(v)
}

// stimMask is MNE's treatment of a stim channel stored at the recording's
// rate: np.bitwise_and(x.astype(int), 2**17 - 1). A value that does not fit
// in int64 (NaN included) converts to the x86 "integer indefinite"
// 0x8000000000000000, whose low 17 bits are 0.
func stimMask(v float64) float64 {
	if !(v > -0x1p63 && v < 0x1p63) {
		return 0
	}
	return float64(int64(v) & (1<<17 - 1))
}
