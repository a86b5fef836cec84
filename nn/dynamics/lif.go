package dynamics

import (
	"math"
	"math/rand/v2"

	"github.com/bcikit/bcikit/internal/f32"
	"github.com/bcikit/bcikit/nn"
)

// LIF is a layer of leaky integrate-and-fire neurons, optionally
// recurrently connected, run over time and trained by back-propagation
// through time with a surrogate gradient (Neftci, Mostafa and Zenke 2019,
// "Surrogate gradient learning in spiking neural networks"). The input
// [C, H, T] is the synaptic current of C·H neurons over T steps; the
// output, the same shape, their spikes (0 or 1). With β = exp(−DT/Tau),
// threshold θ and recurrent weights R (tensor "recurrent" [N, N], when
// Recurrent is set):
//
//	u[t] = β·v[t−1] + x[t] + R·s[t−1]    membrane before the spike
//	s[t] = H(u[t] − θ)                   spike
//	v[t] = u[t] − θ·s[t]                 reset by subtraction
//
// with v[−1] = s[−1] = 0: the exact solution of τ·dv/dt = −v between steps
// for currents that arrive at the steps. Backward replaces dH/du by the
// fast-sigmoid surrogate 1/(1 + Slope·|u − θ|)² (SuperSpike, Zenke and
// Ganguli 2018) and treats the reset as a constant (detached, as snnTorch
// does by default). Recurrent input is event-driven: only the columns of R
// of neurons that spiked are added.
type LIF struct {
	// Tau is the membrane time constant and DT the time step, in seconds;
	// DT must be shorter than Tau.
	Tau, DT float64
	// Threshold is θ [1].
	Threshold float32
	// Slope is the surrogate's steepness [5].
	Slope float32
	// Recurrent adds all-to-all recurrent weights.
	Recurrent bool

	in           nn.Shape
	nrn, t       int
	beta         float32
	r            *nn.Param
	u            []float32 // [n][T][N] membranes before the spike
	rt           []float32 // Rᵀ, rebuilt by every Forward
	vbuf, gbuf   [][]float32
	idx          [][]int32
	acc          accum
	x, y, dy, dx []float32
	// smooth, for the finite-difference test only, replaces the spike by
	// F(u−θ) = (u−θ)/(1+k|u−θ|), whose derivative is the surrogate, and
	// drops the reset, so that Backward is the exact gradient.
	smooth bool
}

// Kind implements nn.Layer.
func (l *LIF) Kind() string { return "lif" }

func (l *LIF) theta() float32 {
	if l.Threshold == 0 {
		return 1
	}
	return l.Threshold
}

func (l *LIF) slope() float32 {
	if l.Slope == 0 {
		return 5
	}
	return l.Slope
}

// Build implements nn.Layer.
func (l *LIF) Build(in nn.Shape) (nn.Shape, error) {
	if !positive(l.Tau) || !positive(l.DT) {
		return nn.Shape{}, cfgErr(l.Kind(), "tau %g s and dt %g s must be positive numbers", l.Tau, l.DT)
	}
	if l.DT >= l.Tau {
		return nn.Shape{}, cfgErr(l.Kind(), "dt %g s is not shorter than tau %g s: the step does not resolve the membrane's decay", l.DT, l.Tau)
	}
	if !positive(float64(l.theta())) || !positive(float64(l.slope())) {
		return nn.Shape{}, cfgErr(l.Kind(), "threshold %g and surrogate slope %g must be positive numbers", l.Threshold, l.Slope)
	}
	l.in = in
	l.nrn, l.t = in[0]*in[1], in[2]
	l.beta = float32(math.Exp(-l.DT / l.Tau))
	if l.Recurrent && (l.r == nil || len(l.r.W) != l.nrn*l.nrn) {
		l.r = param("recurrent", l.nrn, l.nrn)
	}
	if !l.Recurrent {
		l.r = nil
	}
	return in, nil
}

// Params implements nn.Layer.
func (l *LIF) Params() []*nn.Param {
	if l.r == nil {
		return nil
	}
	return []*nn.Param{l.r}
}

// Init implements Initer: recurrent weights U(±1/√N).
func (l *LIF) Init(r *rand.Rand) {
	if l.r != nil {
		uniform(r, l.r.W, 1/math.Sqrt(float64(l.nrn)))
	}
}

// Reserve implements nn.Layer.
func (l *LIF) Reserve(n int) {
	if m := n * l.t * l.nrn; len(l.u) < m {
		l.u = make([]float32, m)
	}
	for len(l.vbuf) < workers(n) {
		l.vbuf = append(l.vbuf, make([]float32, l.nrn))
		l.gbuf = append(l.gbuf, make([]float32, 4*l.nrn))
		l.idx = append(l.idx, make([]int32, 0, l.nrn))
	}
	if l.r != nil && len(l.rt) != len(l.r.W) {
		l.rt = make([]float32, len(l.r.W))
	}
}

// Forward implements nn.Layer.
func (l *LIF) Forward(x, y []float32, n int, _ bool) {
	l.Reserve(n)
	if l.r != nil {
		nrn := l.nrn
		for i := range nrn {
			for j := range nrn {
				l.rt[j*nrn+i] = l.r.W[i*nrn+j]
			}
		}
	}
	l.x, l.y = x, y
	parallel(n, l.forwardRange)
	l.x, l.y = nil, nil
}

func (l *LIF) forwardRange(w, lo, hi int) {
	nrn, t, th, beta := l.nrn, l.t, l.theta(), l.beta
	v := l.vbuf[w]
	for e := lo; e < hi; e++ {
		xe, ye := l.x[e*nrn*t:(e+1)*nrn*t], l.y[e*nrn*t:(e+1)*nrn*t]
		ue := l.u[e*t*nrn : (e+1)*t*nrn]
		clear(v)
		prev := l.idx[w][:0]
		for s := range t {
			us := ue[s*nrn : (s+1)*nrn]
			for h := range us {
				us[h] = beta*v[h] + xe[h*t+s]
			}
			// Event-driven recurrence: add the column of R of every
			// neuron that spiked at the previous step.
			for _, j := range prev {
				col := l.rt[int(j)*nrn : (int(j)+1)*nrn]
				if l.smooth {
					f32.Axpy(ye[int(j)*t+s-1], col, us)
				} else {
					f32.Add(us, col)
				}
			}
			prev = prev[:0]
			for h, uh := range us {
				if l.smooth {
					d := uh - th
					ye[h*t+s] = d / (1 + l.slope()*float32(math.Abs(float64(d))))
					v[h] = uh
					if l.r != nil {
						prev = append(prev, int32(h))
					}
					continue
				}
				if uh >= th {
					ye[h*t+s] = 1
					v[h] = uh - th
					if l.r != nil {
						prev = append(prev, int32(h))
					}
				} else {
					ye[h*t+s] = 0
					v[h] = uh
				}
			}
		}
		l.idx[w] = prev
	}
}

// Backward implements nn.Layer.
func (l *LIF) Backward(x, y, dy, dx []float32, n int) {
	ps := l.Params()
	nw := workers(n)
	l.acc.reset(ps, nw)
	l.x, l.y, l.dy, l.dx = x, y, dy, dx
	parallel(n, l.backwardRange)
	l.x, l.y, l.dy, l.dx = nil, nil, nil, nil
	l.acc.add(ps, nw)
}

func (l *LIF) backwardRange(w, lo, hi int) {
	nrn, t, th, beta, k := l.nrn, l.t, l.theta(), l.beta, l.slope()
	buf := l.gbuf[w]
	gnext, gcur, rec, sv := buf[:nrn], buf[nrn:2*nrn], buf[2*nrn:3*nrn], buf[3*nrn:4*nrn]
	var gr []float32
	if l.r != nil {
		gr = l.acc.g[w][0]
	}
	for e := lo; e < hi; e++ {
		ye, dye := l.y[e*nrn*t:(e+1)*nrn*t], l.dy[e*nrn*t:(e+1)*nrn*t]
		ue := l.u[e*t*nrn : (e+1)*t*nrn]
		var dxe []float32
		if l.dx != nil {
			dxe = l.dx[e*nrn*t : (e+1)*nrn*t]
		}
		clear(gnext) // gradient of u[t+1]
		for s := t - 1; s >= 0; s-- {
			us := ue[s*nrn : (s+1)*nrn]
			clear(rec)
			if l.r != nil && s < t-1 {
				// s[t] feeds u[t+1] through R: rec = Rᵀ·g_u[t+1] and
				// dR += g_u[t+1]·s[t]ᵀ.
				any := false
				for h := range nrn {
					sv[h] = ye[h*t+s]
					any = any || sv[h] != 0
				}
				for i, gi := range gnext {
					if gi == 0 {
						continue
					}
					f32.Axpy(gi, l.r.W[i*nrn:(i+1)*nrn], rec)
					if any {
						f32.Axpy(gi, sv, gr[i*nrn:(i+1)*nrn])
					}
				}
			}
			for h := range nrn {
				z := 1 + k*float32(math.Abs(float64(us[h]-th)))
				gcur[h] = beta*gnext[h] + (dye[h*t+s]+rec[h])/(z*z)
			}
			if dxe != nil {
				for h, g := range gcur {
					dxe[h*t+s] = g
				}
			}
			gnext, gcur = gcur, gnext
		}
	}
}
