package dynamics

import (
	"math"

	"github.com/bcikit/bcikit/nn"
)

// DeltaEncoder turns signals into ON and OFF spike trains by delta
// modulation (send-on-delta, as the threshold encoders of spiking EEG
// decoders, e.g. Petro et al. 2020): along the last axis (time) each row
// keeps a reference level, starting at its first value; a step whose
// value exceeds the reference by Threshold or more emits an ON spike and
// raises the reference by Threshold, one that falls Threshold or more
// below emits an OFF spike and lowers it. An input [C, H, T] gives
// [2C, H, T]: the ON trains of the C channels, then the OFF trains.
//
// The encoding is not differentiable; Backward passes no gradient to the
// input (it writes zeros), so the encoder belongs at the start of a
// network.
type DeltaEncoder struct {
	// Threshold is the change that emits a spike, in input units.
	Threshold float32

	in nn.Shape
}

// Kind implements nn.Layer.
func (d *DeltaEncoder) Kind() string { return "delta_encoder" }

// Build implements nn.Layer.
func (d *DeltaEncoder) Build(in nn.Shape) (nn.Shape, error) {
	if !positive(float64(d.Threshold)) {
		return nn.Shape{}, cfgErr(d.Kind(), "threshold %g is not a positive number", d.Threshold)
	}
	d.in = in
	return nn.Shape{2 * in[0], in[1], in[2]}, nil
}

// Params implements nn.Layer.
func (d *DeltaEncoder) Params() []*nn.Param { return nil }

// Reserve implements nn.Layer.
func (d *DeltaEncoder) Reserve(int) {}

// Forward implements nn.Layer.
func (d *DeltaEncoder) Forward(x, y []float32, n int, _ bool) {
	rows, t := d.in[0]*d.in[1], d.in[2]
	th := d.Threshold
	for e := range n {
		xe := x[e*rows*t : (e+1)*rows*t]
		on := y[2*e*rows*t : (2*e+1)*rows*t]
		off := y[(2*e+1)*rows*t : (2*e+2)*rows*t]
		for r := range rows {
			row := xe[r*t : (r+1)*t]
			ref := row[0]
			for i, v := range row {
				on[r*t+i], off[r*t+i] = 0, 0
				if diff := v - ref; diff >= th {
					on[r*t+i] = 1
					ref += th
				} else if diff <= -th {
					off[r*t+i] = 1
					ref -= th
				}
			}
		}
	}
}

// Backward implements nn.Layer: the encoding has no gradient.
func (d *DeltaEncoder) Backward(x, y, dy, dx []float32, n int) {
	if dx != nil {
		clear(dx[:n*d.in.Size()])
	}
}

// spikeCount returns Σ|v|: the number of spikes in a tensor of spikes.
func spikeCount(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += math.Abs(float64(x))
	}
	return s
}
