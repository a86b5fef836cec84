package dynamics

import (
	"fmt"

	"github.com/bcikit/bcikit/nn"
)

// Cost is what one decision of a network costs, per example.
type Cost struct {
	// MACs counts the multiply-accumulates of the dense computations:
	// convolutions and dense layers over real-valued inputs, one per
	// value for normalisation, activations and neuron updates (a LIF
	// neuron's leak), the Kuramoto and CTM updates.
	MACs float64
	// Events counts the synaptic events: every spike times the synapses
	// it reaches (an accumulate each, no multiply), as neuromorphic
	// hardware counts them. A spike entering a DelayConv reaches Out
	// synapses of MaxDelay taps each (the Gaussian kernels are not
	// rounded to one tap, as the paper does for inference).
	Events float64
	// Spikes counts the spikes of the LIF layers and of the encoder.
	Spikes float64
}

// Measure runs the k examples x through net in evaluation mode, layer by
// layer, and returns the mean cost of one example. Layers it does not know
// are an error.
func Measure(net *nn.Net, x []float32, k int) (Cost, error) {
	in := net.In()
	if k <= 0 || len(x) != k*in.Size() {
		return Cost{}, fmt.Errorf("dynamics: cost: %w: %d values for %d examples of %v", nn.ErrShape, len(x), k, in)
	}
	net.Reserve(k)
	shapes := net.Shapes()
	cur := x
	spiking := false
	var c Cost
	for i, l := range net.Layers {
		is, os := shapes[i], shapes[i+1]
		out := make([]float32, k*os.Size())
		l.Forward(cur, out, k, false)
		sumIn := spikeCount(cur) / float64(k)
		nextSpiking := false
		switch l := l.(type) {
		case *nn.Conv2D:
			g := max(l.Groups, 1)
			macs := float64(os.Size() * is[0] / g * l.Kernel[0] * l.Kernel[1])
			if spiking {
				// A spike reaches as many synapses as an input value
				// takes part in products, on average.
				c.Events += sumIn * macs / float64(is.Size())
			} else {
				c.MACs += macs
			}
		case *nn.Dense:
			if spiking {
				c.Events += sumIn * float64(l.Out)
			} else {
				c.MACs += float64(is.Size() * os.Size())
			}
		case *nn.Pool2D:
			if spiking && !l.Max {
				c.Events += sumIn
				c.MACs += float64(os.Size())
			} else {
				c.MACs += float64(os.Size() * l.Kernel[0] * l.Kernel[1])
			}
		case *nn.BatchNorm2D, *nn.Act, *nn.Snake, *nn.Gated:
			c.MACs += float64(is.Size())
		case *nn.Fourier:
			c.MACs += float64(os.Size()/2*is[0] + os.Size())
		case *nn.Flatten, *nn.Dropout:
			nextSpiking = spiking
		case *DeltaEncoder:
			c.MACs += float64(is.Size())
			s := spikeCount(out) / float64(k)
			c.Spikes += s
			nextSpiking = true
		case *DelayConv:
			if spiking {
				c.Events += sumIn * float64(l.Out*l.MaxDelay)
			} else {
				c.MACs += float64(l.Out * l.c * l.MaxDelay * l.t)
			}
		case *LIF:
			c.MACs += float64(is.Size())
			s := spikeCount(out) / float64(k)
			c.Spikes += s
			if l.Recurrent {
				c.Events += s * float64(l.nrn)
			}
			nextSpiking = true
		case *Kuramoto:
			d := l.Dim
			c.MACs += float64(l.f*l.m + l.Steps*(l.m*l.m+l.Units*(d*d+4*d)))
		case *CTMCore:
			d := l.Neurons
			c.MACs += float64(l.Ticks*(d*(d+l.f)+d*l.Hidden*(l.Memory+1)) + l.p*l.Ticks)
		default:
			return Cost{}, fmt.Errorf("dynamics: cost: layer %d (%s) is not one Measure knows", i, l.Kind())
		}
		cur, spiking = out, nextSpiking
	}
	return c, nil
}
