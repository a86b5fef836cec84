package dynamics

import (
	"math"
	"math/rand/v2"

	"github.com/bcikit/bcikit/nn"
)

// CTMCore is the recurrent core of a Continuous Thought Machine (Darlow,
// Regan, Risi, Seely and Jones 2025, "Continuous Thought Machines"): D =
// Neurons neurons unrolled over Ticks internal ticks. At tick t the
// synapse model mixes the previous post-activations with the flattened
// input f (F values),
//
//	a_t = Ws·[z_{t−1}; f] + bs            ("synapse_weight" [D, D+F], "synapse_bias" [D])
//
// each neuron d keeps a private history of its last Memory pre-activations
// A_t^d = (a_{t−M+1}^d … a_t^d) (the first filled from "start_trace"
// [D, M]) and applies its own two-layer model to it (neuron-level models,
// "nlm_w1" [D, Hidden, M], "nlm_b1" [D, Hidden], "nlm_w2" [D, Hidden],
// "nlm_b2" [D]):
//
//	z_t^d = w2_d·tanh(W1_d·A_t^d + b1_d) + b2_d,   z_0 = "start_z" [D].
//
// The representation is the synchronisation of the activity traces
// z_1 … z_T of every pair of neurons i ≤ j, with a learnable decay r_ij ≥ 0
// ("decay" [D(D+1)/2]; clipped at 0 before each training pass):
//
//	S_ij = Σ_τ e^{−r_ij(T−τ)}·z_i^τ·z_j^τ / √(Σ_τ e^{−r_ij(T−τ)}),
//
// the output [D(D+1)/2, 1, 1], pairs in row-major order of the upper
// triangle. Deviations from the paper: the input enters the synapse model
// at every tick directly (the paper attends over input features with a
// query computed from a second synchronisation matrix), the neuron-level
// models use tanh where the paper uses GLU, all pairs are kept (the paper
// subsamples), and the readout sees the final tick only (the paper's loss
// combines the tick of least loss and that of most certainty).
type CTMCore struct {
	// Neurons is D, Memory the history length M, Hidden the width of
	// each neuron-level model, Ticks the number of internal ticks.
	Neurons, Memory, Hidden, Ticks int

	f, p                                   int
	ws, bs, w1, b1, w2, b2, z0, tr0, decay *nn.Param
	aall, hid, zs                          []float32
	scr                                    [][]float32
	acc                                    accum
	x, y, dy, dx                           []float32
}

// Kind implements nn.Layer.
func (l *CTMCore) Kind() string { return "ctm" }

// Build implements nn.Layer.
func (l *CTMCore) Build(in nn.Shape) (nn.Shape, error) {
	if l.Neurons < 1 || l.Memory < 1 || l.Hidden < 1 || l.Ticks < 1 {
		return nn.Shape{}, cfgErr(l.Kind(), "%d neurons, memory %d, hidden %d, %d ticks (need ≥ 1 of each)", l.Neurons, l.Memory, l.Hidden, l.Ticks)
	}
	d := l.Neurons
	l.f, l.p = in.Size(), d*(d+1)/2
	if l.ws == nil || len(l.ws.W) != d*(d+l.f) || len(l.w1.W) != d*l.Hidden*l.Memory {
		l.ws = param("synapse_weight", d, d+l.f)
		l.bs = param("synapse_bias", d)
		l.w1 = param("nlm_w1", d, l.Hidden, l.Memory)
		l.b1 = param("nlm_b1", d, l.Hidden)
		l.w2 = param("nlm_w2", d, l.Hidden)
		l.b2 = param("nlm_b2", d)
		l.z0 = param("start_z", d)
		l.tr0 = param("start_trace", d, l.Memory)
		l.decay = param("decay", l.p)
	}
	return nn.Shape{l.p, 1, 1}, nil
}

// Params implements nn.Layer.
func (l *CTMCore) Params() []*nn.Param {
	return []*nn.Param{l.ws, l.bs, l.w1, l.b1, l.w2, l.b2, l.z0, l.tr0, l.decay}
}

// Init implements Initer: linear maps as torch.nn.Linear, start states
// U(±1/√D) and U(±1/√M), decays 0.
func (l *CTMCore) Init(r *rand.Rand) {
	d, m := l.Neurons, l.Memory
	b := 1 / math.Sqrt(float64(d+l.f))
	uniform(r, l.ws.W, b)
	uniform(r, l.bs.W, b)
	b = 1 / math.Sqrt(float64(m))
	uniform(r, l.w1.W, b)
	uniform(r, l.b1.W, b)
	b = 1 / math.Sqrt(float64(l.Hidden))
	uniform(r, l.w2.W, b)
	uniform(r, l.b2.W, b)
	uniform(r, l.z0.W, 1/math.Sqrt(float64(d)))
	uniform(r, l.tr0.W, 1/math.Sqrt(float64(m)))
	clear(l.decay.W)
}

// Reserve implements nn.Layer.
func (l *CTMCore) Reserve(n int) {
	d, m, t := l.Neurons, l.Memory, l.Ticks
	if len(l.zs) < n*(t+1)*d {
		l.aall = make([]float32, n*d*(m+t))
		l.hid = make([]float32, n*t*d*l.Hidden)
		l.zs = make([]float32, n*(t+1)*d)
	}
	for len(l.scr) < workers(n) {
		l.scr = append(l.scr, make([]float32, 2*(d+l.f)+d*(m+t)+(t+1)*d+2*t))
	}
}

// Forward implements nn.Layer.
func (l *CTMCore) Forward(x, y []float32, n int, train bool) {
	if train {
		for i, v := range l.decay.W {
			l.decay.W[i] = max(v, 0)
		}
	}
	l.Reserve(n)
	l.x, l.y = x, y
	parallel(n, l.forwardRange)
	l.x, l.y = nil, nil
}

func (l *CTMCore) forwardRange(w, lo, hi int) {
	d, m, t, hd, f := l.Neurons, l.Memory, l.Ticks, l.Hidden, l.f
	in := l.scr[w][:d+f]
	for e := lo; e < hi; e++ {
		aall := l.aall[e*d*(m+t) : (e+1)*d*(m+t)]
		hid := l.hid[e*t*d*hd : (e+1)*t*d*hd]
		zs := l.zs[e*(t+1)*d : (e+1)*(t+1)*d]
		for q := range d {
			copy(aall[q*(m+t):q*(m+t)+m], l.tr0.W[q*m:(q+1)*m])
		}
		copy(zs[:d], l.z0.W)
		copy(in[d:], l.x[e*f:(e+1)*f])
		for tk := 1; tk <= t; tk++ {
			copy(in[:d], zs[(tk-1)*d:tk*d])
			for q := range d {
				aall[q*(m+t)+m-1+tk] = l.bs.W[q] + dot(l.ws.W[q*(d+f):(q+1)*(d+f)], in)
			}
			for q := range d {
				win := aall[q*(m+t)+tk : q*(m+t)+tk+m]
				hq := hid[((tk-1)*d+q)*hd : ((tk-1)*d+q+1)*hd]
				z := l.b2.W[q]
				for k := range hd {
					v := float32(math.Tanh(float64(l.b1.W[q*hd+k] + dot(l.w1.W[(q*hd+k)*m:(q*hd+k+1)*m], win))))
					hq[k] = v
					z += l.w2.W[q*hd+k] * v
				}
				zs[tk*d+q] = z
			}
		}
		ye := l.y[e*l.p : (e+1)*l.p]
		p := 0
		for i := range d {
			for j := i; j < d; j++ {
				r := float64(l.decay.W[p])
				var num, den float64
				for tau := 1; tau <= t; tau++ {
					wt := math.Exp(-r * float64(t-tau))
					num += wt * float64(zs[tau*d+i]) * float64(zs[tau*d+j])
					den += wt
				}
				ye[p] = float32(num / math.Sqrt(den))
				p++
			}
		}
	}
}

// Backward implements nn.Layer.
func (l *CTMCore) Backward(x, y, dy, dx []float32, n int) {
	ps := l.Params()
	nw := workers(n)
	l.acc.reset(ps, nw)
	l.x, l.y, l.dy, l.dx = x, y, dy, dx
	parallel(n, l.backwardRange)
	l.x, l.y, l.dy, l.dx = nil, nil, nil, nil
	l.acc.add(ps, nw)
}

func (l *CTMCore) backwardRange(w, lo, hi int) {
	d, m, t, hd, f := l.Neurons, l.Memory, l.Ticks, l.Hidden, l.f
	g := l.acc.g[w]
	gWs, gBs, gW1, gB1, gW2, gB2, gZ0, gTr0, gDecay := g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]
	s := l.scr[w]
	in, gf := s[:d+f], s[d+f:2*(d+f)]
	gA := s[2*(d+f) : 2*(d+f)+d*(m+t)]
	gz := s[2*(d+f)+d*(m+t) : 2*(d+f)+d*(m+t)+(t+1)*d]
	for e := lo; e < hi; e++ {
		aall := l.aall[e*d*(m+t) : (e+1)*d*(m+t)]
		hid := l.hid[e*t*d*hd : (e+1)*t*d*hd]
		zs := l.zs[e*(t+1)*d : (e+1)*(t+1)*d]
		ye, dye := l.y[e*l.p:(e+1)*l.p], l.dy[e*l.p:(e+1)*l.p]
		clear(gA)
		clear(gz)
		clear(gf)
		p := 0
		for i := range d {
			for j := i; j < d; j++ {
				r := float64(l.decay.W[p])
				ds := float64(dye[p])
				var den, dden, dnum float64
				for tau := 1; tau <= t; tau++ {
					wt := math.Exp(-r * float64(t-tau))
					den += wt
					dden -= float64(t-tau) * wt
					dnum -= float64(t-tau) * wt * float64(zs[tau*d+i]) * float64(zs[tau*d+j])
				}
				sq := math.Sqrt(den)
				for tau := 1; tau <= t; tau++ {
					c := ds * math.Exp(-r*float64(t-tau)) / sq
					gz[tau*d+i] += float32(c * float64(zs[tau*d+j]))
					gz[tau*d+j] += float32(c * float64(zs[tau*d+i]))
				}
				gDecay[p] += float32(ds * (dnum/sq - 0.5*float64(ye[p])*dden/den))
				p++
			}
		}
		copy(in[d:], l.x[e*f:(e+1)*f])
		for tk := t; tk >= 1; tk-- {
			for q := range d {
				gq := gz[tk*d+q]
				gB2[q] += gq
				win := aall[q*(m+t)+tk : q*(m+t)+tk+m]
				gwin := gA[q*(m+t)+tk : q*(m+t)+tk+m]
				hq := hid[((tk-1)*d+q)*hd : ((tk-1)*d+q+1)*hd]
				for k, hv := range hq {
					gW2[q*hd+k] += gq * hv
					gp := gq * l.w2.W[q*hd+k] * (1 - hv*hv)
					gB1[q*hd+k] += gp
					w1 := l.w1.W[(q*hd+k)*m : (q*hd+k+1)*m]
					gw1 := gW1[(q*hd+k)*m : (q*hd+k+1)*m]
					for i, v := range win {
						gw1[i] += gp * v
						gwin[i] += gp * w1[i]
					}
				}
			}
			// a_t is complete: into the synapse model.
			copy(in[:d], zs[(tk-1)*d:tk*d])
			for q := range d {
				ga := gA[q*(m+t)+m-1+tk]
				gBs[q] += ga
				row := l.ws.W[q*(d+f) : (q+1)*(d+f)]
				grow := gWs[q*(d+f) : (q+1)*(d+f)]
				for i, v := range in {
					grow[i] += ga * v
				}
				gzp := gz[(tk-1)*d : tk*d]
				for i := range d {
					gzp[i] += ga * row[i]
				}
				for i := range f {
					gf[i] += ga * row[d+i]
				}
			}
		}
		for q := range d {
			gZ0[q] += gz[q]
			for i := range m {
				gTr0[q*m+i] += gA[q*(m+t)+i]
			}
		}
		if l.dx != nil {
			copy(l.dx[e*f:(e+1)*f], gf)
		}
	}
}
