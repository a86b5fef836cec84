package nn

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrState reports saved tensors that do not fit a network.
var ErrState = errors.New("saved state does not fit the network")

// Tensor is a named copy of one of a network's tensors. Its JSON form is
// {"name": ..., "dims": [...], "data": base64 of the float32 values,
// little-endian, row-major}.
type Tensor struct {
	Name string
	Dims []int
	Data []float32
}

type tensorJSON struct {
	Name string `json:"name"`
	Dims []int  `json:"dims"`
	Data string `json:"data"`
}

// MarshalJSON implements json.Marshaler.
func (t Tensor) MarshalJSON() ([]byte, error) {
	b := make([]byte, 4*len(t.Data))
	for i, v := range t.Data {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return json.Marshal(tensorJSON{t.Name, t.Dims, base64.StdEncoding.EncodeToString(b)})
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Tensor) UnmarshalJSON(b []byte) error {
	var j tensorJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(j.Data)
	if err != nil {
		return fmt.Errorf("nn: tensor %q: %w", j.Name, err)
	}
	if len(raw)%4 != 0 {
		return fmt.Errorf("nn: tensor %q: %d bytes is not a whole number of float32 values", j.Name, len(raw))
	}
	t.Name, t.Dims = j.Name, j.Dims
	t.Data = make([]float32, len(raw)/4)
	for i := range t.Data {
		t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return nil
}

// State returns a copy of every tensor (weights and buffers) of the
// network, named "INDEX.KIND.NAME" (e.g. "0.conv2d.weight").
func (n *Net) State() []Tensor {
	var ts []Tensor
	for i, l := range n.Layers {
		for _, p := range l.Params() {
			ts = append(ts, Tensor{Name: fmt.Sprintf("%d.%s.%s", i, l.Kind(), p.Name), Dims: slices.Clone(p.Dims), Data: slices.Clone(p.W)})
		}
	}
	return ts
}

// SetState loads tensors written by State of a network of the same
// architecture: their number, names and shapes must match, and every value
// must be finite.
func (n *Net) SetState(ts []Tensor) error {
	want := n.State()
	if len(ts) != len(want) {
		return fmt.Errorf("nn: %w: %d tensors, the network has %d", ErrState, len(ts), len(want))
	}
	for i, t := range ts {
		w := want[i]
		if t.Name != w.Name || !slices.Equal(t.Dims, w.Dims) || len(t.Data) != len(w.Data) {
			return fmt.Errorf("nn: %w: tensor %d is %s %v with %d values, the network's is %s %v", ErrState, i, t.Name, t.Dims, len(t.Data), w.Name, w.Dims)
		}
		if j := firstNonFinite(t.Data); j >= 0 {
			return fmt.Errorf("nn: %w: tensor %s holds %g at %d", ErrNonFinite, t.Name, t.Data[j], j)
		}
	}
	k := 0
	for _, l := range n.Layers {
		for _, p := range l.Params() {
			copy(p.W, ts[k].Data)
			k++
		}
	}
	return nil
}
