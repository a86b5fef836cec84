package npy

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"testing"
)

// Bytes written equal numpy.save's for the same arrays (testdata/gen/npy_ref.py).
func TestWriteMatchesNumpy(t *testing.T) {
	x := make([]float64, 24)
	for i := range x {
		x[i] = (float64(i) - 7.5) / 3
	}
	check := func(name string, write func(*bytes.Buffer) error) {
		t.Helper()
		want, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s: bytes differ from numpy.save\n got %q\nwant %q", name, b.Bytes()[:min(b.Len(), 128)], want[:min(len(want), 128)])
		}
	}
	check("f8_2x3x4.npy", func(b *bytes.Buffer) error { return WriteFloat64(b, []int{2, 3, 4}, x) })
	check("i8_5.npy", func(b *bytes.Buffer) error { return WriteInt64(b, []int64{1, 2, -3, 4, 1 << 40}) })
	check("f8_empty.npy", func(b *bytes.Buffer) error { return WriteFloat64(b, []int{0, 64, 10}, nil) })
	check("f8_scalar_shape1.npy", func(b *bytes.Buffer) error { return WriteFloat64(b, []int{1}, []float64{3.141592653589793}) })
}

func TestReadNumpy(t *testing.T) {
	b, _ := os.ReadFile("testdata/f8_2x3x4.npy")
	a, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Shape, []int{2, 3, 4}) || a.Float64[23] != (23-7.5)/3 {
		t.Errorf("got shape %v last %v", a.Shape, a.Float64[23])
	}
	b, _ = os.ReadFile("testdata/i8_5.npy")
	a, err = Read(bytes.NewReader(b), int64(len(b)))
	if err != nil || !slices.Equal(a.Int64, []int64{1, 2, -3, 4, 1 << 40}) {
		t.Errorf("int64: %v %v", a, err)
	}
}

func TestReadBad(t *testing.T) {
	good, _ := os.ReadFile("testdata/f8_2x3x4.npy")
	for name, b := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("NUMPY\x01\x00"),
		"truncated": good[:len(good)-3],
		"header":    append([]byte(magic+"\x01\x00\x05\x00"), "{'x'}"...),
		"huge":      bytes.Replace(good, []byte("(2, 3, 4)"), []byte("(9999999)"), 1),
	} {
		if _, err := Read(bytes.NewReader(b), int64(len(b))); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, n := range []string{"f8_2x3x4.npy", "i8_5.npy", "f8_empty.npy"} {
		b, _ := os.ReadFile("testdata/" + n)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Read(bytes.NewReader(b), int64(len(b)))
		if err == nil && len(a.Float64)+len(a.Int64) > len(b) {
			t.Fatalf("read %d values from %d bytes", len(a.Float64)+len(a.Int64), len(b))
		}
	})
}
