package dynamics

import (
	"math"
	"math/rand/v2"

	"github.com/bcikit/bcikit/internal/f32"
	"github.com/bcikit/bcikit/nn"
)

// DelayConv is a layer of synapses with learnable delays: every synapse
// from input channel c to output channel o has a weight w[o,c] and a delay
// d[o,c] in [0, MaxDelay−1] steps, and
//
//	y[o,t] = Σ_c Σ_k w[o,c]·g_k(d[o,c])·x[c,t−k],  k = 0 … MaxDelay−1,
//
// a causal dilated convolution with learnable spacings (DCLS): the kernel
// of each synapse is one weight placed at a real-valued position by a
// normalised Gaussian of width Sigma, g_k(d) = e_k/Σ_j e_j with
// e_k = exp(−(k−d)²/(2σ²)), so that the delay receives a gradient
// (Hammouamri, Khalfaoui-Hassani and Masquelier 2024, "Learning delays in
// spiking neural networks using dilated convolutions with learnable
// spacings", ICLR; Khalfaoui-Hassani et al. 2023). As there, the delays
// are clipped to [0, MaxDelay−1] before each training forward pass; unlike
// there, σ stays fixed (the paper anneals it to 0.5 and rounds the delays
// to whole steps for inference). The tensors are "weight" and "delay",
// both [Out, C]. The input is [C, 1, T] (time on the last axis); the
// output [Out, 1, T].
type DelayConv struct {
	// Out is the number of output channels.
	Out int
	// MaxDelay is the number of kernel taps: delays range over
	// [0, MaxDelay−1] steps.
	MaxDelay int
	// Sigma is the Gaussian's width in steps [1].
	Sigma float32

	c, t         int
	w, d         *nn.Param
	kern         []float32 // [MaxDelay][Out][C]
	gk           []float32 // [MaxDelay][Out][C]: g_k
	dk           [][]float32
	acc          accum
	x, y, dy, dx []float32
}

// Kind implements nn.Layer.
func (l *DelayConv) Kind() string { return "delay_conv" }

func (l *DelayConv) sigma() float64 {
	if l.Sigma == 0 {
		return 1
	}
	return float64(l.Sigma)
}

// Build implements nn.Layer.
func (l *DelayConv) Build(in nn.Shape) (nn.Shape, error) {
	if l.Out <= 0 || l.MaxDelay < 1 {
		return nn.Shape{}, cfgErr(l.Kind(), "%d outputs, %d delay taps (need ≥ 1 of each)", l.Out, l.MaxDelay)
	}
	if !positive(l.sigma()) {
		return nn.Shape{}, cfgErr(l.Kind(), "sigma %g is not a positive number", l.Sigma)
	}
	if in[1] != 1 {
		return nn.Shape{}, errShape(l.Kind(), "input %v: want [channels 1 time]", in)
	}
	l.c, l.t = in[0], in[2]
	if l.w == nil || len(l.w.W) != l.Out*l.c {
		l.w = param("weight", l.Out, l.c)
		l.d = param("delay", l.Out, l.c)
	}
	m := l.MaxDelay * l.Out * l.c
	l.kern = make([]float32, m)
	l.gk = make([]float32, m)
	return nn.Shape{l.Out, 1, l.t}, nil
}

// Params implements nn.Layer.
func (l *DelayConv) Params() []*nn.Param { return []*nn.Param{l.w, l.d} }

// Init implements Initer: weights U(±1/√C) as torch.nn.Linear, delays
// uniform over [0, MaxDelay−1].
func (l *DelayConv) Init(r *rand.Rand) {
	uniform(r, l.w.W, 1/math.Sqrt(float64(l.c)))
	for i := range l.d.W {
		l.d.W[i] = float32(r.Float64() * float64(l.MaxDelay-1))
	}
}

// Reserve implements nn.Layer.
func (l *DelayConv) Reserve(n int) {
	for len(l.dk) < workers(n) {
		l.dk = append(l.dk, make([]float32, len(l.kern)))
	}
}

// kernel builds kern and gk from the weights and delays.
func (l *DelayConv) kernel() {
	oc := l.Out * l.c
	s2 := 2 * l.sigma() * l.sigma()
	for i := range oc {
		d := float64(l.d.W[i])
		var sum float64
		for k := range l.MaxDelay {
			e := math.Exp(-(float64(k) - d) * (float64(k) - d) / s2)
			l.gk[k*oc+i] = float32(e)
			sum += e
		}
		for k := range l.MaxDelay {
			g := float64(l.gk[k*oc+i]) / sum
			l.gk[k*oc+i] = float32(g)
			l.kern[k*oc+i] = float32(g) * l.w.W[i]
		}
	}
}

// Forward implements nn.Layer.
func (l *DelayConv) Forward(x, y []float32, n int, train bool) {
	if train {
		hi := float32(l.MaxDelay - 1)
		for i, v := range l.d.W {
			l.d.W[i] = min(max(v, 0), hi)
		}
	}
	l.kernel()
	l.x, l.y = x, y
	parallel(n, l.forwardRange)
	l.x, l.y = nil, nil
}

func (l *DelayConv) forwardRange(_, lo, hi int) {
	c, t, o, oc := l.c, l.t, l.Out, l.Out*l.c
	for e := lo; e < hi; e++ {
		xe, ye := l.x[e*c*t:(e+1)*c*t], l.y[e*o*t:(e+1)*o*t]
		clear(ye)
		for k := range min(l.MaxDelay, t) {
			f32.GemmSerial(false, false, o, t-k, c, 1, l.kern[k*oc:], c, xe, t, 1, ye[k:], t)
		}
	}
}

// Backward implements nn.Layer.
func (l *DelayConv) Backward(x, y, dy, dx []float32, n int) {
	nw := workers(n)
	for w := range nw {
		clear(l.dk[w])
	}
	l.x, l.dy, l.dx = x, dy, dx
	parallel(n, l.backwardRange)
	l.x, l.dy, l.dx = nil, nil, nil
	// Gradient of the kernel → weights and delays (summed in worker
	// order).
	oc := l.Out * l.c
	s2 := l.sigma() * l.sigma()
	for i := range oc {
		d := float64(l.d.W[i])
		var gw, mean, gd float64
		for k := range l.MaxDelay {
			mean += float64(l.gk[k*oc+i]) * (float64(k) - d) / s2
		}
		for k := range l.MaxDelay {
			var gk float64
			for w := range nw {
				gk += float64(l.dk[w][k*oc+i])
			}
			g := float64(l.gk[k*oc+i])
			gw += gk * g
			gd += gk * g * ((float64(k)-d)/s2 - mean)
		}
		l.w.G[i] += float32(gw)
		l.d.G[i] += float32(gd * float64(l.w.W[i]))
	}
}

func (l *DelayConv) backwardRange(w, lo, hi int) {
	c, t, o, oc := l.c, l.t, l.Out, l.Out*l.c
	dk := l.dk[w]
	for e := lo; e < hi; e++ {
		xe, dye := l.x[e*c*t:(e+1)*c*t], l.dy[e*o*t:(e+1)*o*t]
		var dxe []float32
		if l.dx != nil {
			dxe = l.dx[e*c*t : (e+1)*c*t]
			clear(dxe)
		}
		for k := range min(l.MaxDelay, t) {
			// dK_k += dY[:, k:]·X[:, :T−k]ᵀ; dX[:, :T−k] += K_kᵀ·dY[:, k:]
			f32.GemmSerial(false, true, o, c, t-k, 1, dye[k:], t, xe, t, 1, dk[k*oc:], c)
			if dxe != nil {
				f32.GemmSerial(true, false, c, t-k, o, 1, l.kern[k*oc:], c, dye[k:], t, 1, dxe, t)
			}
		}
	}
}
