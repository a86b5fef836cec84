package dynamics

import (
	"math"
	"math/rand/v2"

	"github.com/bcikit/bcikit/internal/f32"
	"github.com/bcikit/bcikit/nn"
)

// Kuramoto is a layer of artificial Kuramoto oscillatory neurons (AKOrN;
// Miyato, Löwe, Geiger and Welling 2025, "Artificial Kuramoto oscillatory
// neurons", ICLR). Units oscillators are unit vectors x_i of Dim
// dimensions. The flattened input f (F values) sets a stimulus
// c = W·f + b ("weight" [Units·Dim, F], "bias" [Units·Dim]); starting from
// the normalised learnable state x⁰ ("init" [Units, Dim]), Steps updates
//
//	h   = c + J·x                                (J: "coupling", all to all)
//	x_i ← normalise(x_i + γ·(Ω_i·x_i + h_i − ⟨h_i, x_i⟩·x_i))
//
// move every oscillator by its natural rotation Ω_i (antisymmetric,
// "omega" [Units, Dim·(Dim−1)/2] holding its upper triangle) and by the
// projection onto its tangent space of the stimulus and of the coupled
// oscillators — the paper's discrete Kuramoto update with step γ = Gamma.
// The output [Units·Dim, 1, 1] is the final state, for a readout.
// Deviation from the paper: the initial state is learned, not random, so
// that a decision is deterministic, and the coupling is dense rather than
// convolutional or attention-based.
type Kuramoto struct {
	// Units is the number of oscillators and Dim their dimension (≥ 2).
	Units, Dim int
	// Steps is the number of updates.
	Steps int
	// Gamma is the update step γ (> 0).
	Gamma float32

	f, m            int // input size, Units·Dim
	w, b, j, om, x0 *nn.Param
	xs              []float32 // [n][Steps+1][m] states
	hs              []float32 // [n][Steps][m] h
	ns              []float32 // [n][Steps][Units] |u| before normalisation
	c               []float32 // [n][m]
	omega           []float32 // [Units][Dim][Dim]
	scr             [][]float32
	acc             accum
	x, y, dy, dx    []float32
}

// Kind implements nn.Layer.
func (l *Kuramoto) Kind() string { return "kuramoto" }

// Build implements nn.Layer.
func (l *Kuramoto) Build(in nn.Shape) (nn.Shape, error) {
	if l.Units < 1 || l.Dim < 2 || l.Steps < 1 {
		return nn.Shape{}, cfgErr(l.Kind(), "%d units of dimension %d, %d steps (need ≥ 1 unit of dimension ≥ 2, ≥ 1 step)", l.Units, l.Dim, l.Steps)
	}
	if !positive(float64(l.Gamma)) {
		return nn.Shape{}, cfgErr(l.Kind(), "step gamma %g is not a positive number", l.Gamma)
	}
	l.f, l.m = in.Size(), l.Units*l.Dim
	if l.w == nil || len(l.w.W) != l.m*l.f || len(l.x0.W) != l.m {
		l.w = param("weight", l.m, l.f)
		l.b = param("bias", l.m)
		l.j = param("coupling", l.m, l.m)
		l.om = param("omega", l.Units, l.Dim*(l.Dim-1)/2)
		l.x0 = param("init", l.Units, l.Dim)
	}
	l.omega = make([]float32, l.Units*l.Dim*l.Dim)
	return nn.Shape{l.m, 1, 1}, nil
}

// Params implements nn.Layer.
func (l *Kuramoto) Params() []*nn.Param { return []*nn.Param{l.w, l.b, l.j, l.om, l.x0} }

// Init implements Initer: W and b as torch.nn.Linear, J U(±1/√m)/2,
// Ω and x⁰ standard normal.
func (l *Kuramoto) Init(r *rand.Rand) {
	bound := 1 / math.Sqrt(float64(l.f))
	uniform(r, l.w.W, bound)
	uniform(r, l.b.W, bound)
	uniform(r, l.j.W, 0.5/math.Sqrt(float64(l.m)))
	for i := range l.om.W {
		l.om.W[i] = float32(r.NormFloat64())
	}
	for i := range l.x0.W {
		l.x0.W[i] = float32(r.NormFloat64())
	}
}

// Reserve implements nn.Layer.
func (l *Kuramoto) Reserve(n int) {
	if len(l.c) < n*l.m {
		l.xs = make([]float32, n*(l.Steps+1)*l.m)
		l.hs = make([]float32, n*l.Steps*l.m)
		l.ns = make([]float32, n*l.Steps*l.Units)
		l.c = make([]float32, n*l.m)
	}
	for len(l.scr) < workers(n) {
		l.scr = append(l.scr, make([]float32, 3*l.m+l.f))
	}
}

// buildOmega expands the antisymmetric matrices.
func (l *Kuramoto) buildOmega() {
	d := l.Dim
	p := d * (d - 1) / 2
	for u := range l.Units {
		o := l.omega[u*d*d : (u+1)*d*d]
		k := 0
		for a := range d {
			o[a*d+a] = 0
			for b := a + 1; b < d; b++ {
				v := l.om.W[u*p+k]
				o[a*d+b], o[b*d+a] = v, -v
				k++
			}
		}
	}
}

// Forward implements nn.Layer.
func (l *Kuramoto) Forward(x, y []float32, n int, _ bool) {
	l.Reserve(n)
	l.buildOmega()
	l.x, l.y = x, y
	parallel(n, l.forwardRange)
	l.x, l.y = nil, nil
}

func (l *Kuramoto) forwardRange(_, lo, hi int) {
	m, f, d, st := l.m, l.f, l.Dim, l.Steps
	g := l.Gamma
	for e := lo; e < hi; e++ {
		xe := l.x[e*f : (e+1)*f]
		c := l.c[e*m : (e+1)*m]
		for i := range m {
			c[i] = l.b.W[i] + f32.Dot(l.w.W[i*f:(i+1)*f], xe)
		}
		xs := l.xs[e*(st+1)*m : (e+1)*(st+1)*m]
		copy(xs[:m], l.x0.W)
		for u := range l.Units {
			normalise(xs[u*d : (u+1)*d])
		}
		for k := range st {
			cur, next := xs[k*m:(k+1)*m], xs[(k+1)*m:(k+2)*m]
			h := l.hs[(e*st+k)*m : (e*st+k+1)*m]
			for i := range m {
				h[i] = c[i] + f32.Dot(l.j.W[i*m:(i+1)*m], cur)
			}
			for u := range l.Units {
				xi, hi, ui := cur[u*d:(u+1)*d], h[u*d:(u+1)*d], next[u*d:(u+1)*d]
				o := l.omega[u*d*d : (u+1)*d*d]
				hx := dot(hi, xi)
				for a := range d {
					ui[a] = xi[a] + g*(dot(o[a*d:(a+1)*d], xi)+hi[a]-hx*xi[a])
				}
				l.ns[(e*st+k)*l.Units+u] = normalise(ui)
			}
		}
		copy(l.y[e*m:(e+1)*m], xs[st*m:])
	}
}

// Backward implements nn.Layer.
func (l *Kuramoto) Backward(x, y, dy, dx []float32, n int) {
	ps := l.Params()
	nw := workers(n)
	l.acc.reset(ps, nw)
	l.x, l.dy, l.dx = x, dy, dx
	parallel(n, l.backwardRange)
	l.x, l.dy, l.dx = nil, nil, nil
	l.acc.add(ps, nw)
}

func (l *Kuramoto) backwardRange(w, lo, hi int) {
	m, f, d, st := l.m, l.f, l.Dim, l.Steps
	g := l.Gamma
	p := d * (d - 1) / 2
	acc := l.acc.g[w]
	gW, gB, gJ, gOm, gX0 := acc[0], acc[1], acc[2], acc[3], acc[4]
	scr := l.scr[w]
	gx, gnx, gc := scr[:m], scr[m:2*m], scr[2*m:3*m]
	for e := lo; e < hi; e++ {
		xs := l.xs[e*(st+1)*m : (e+1)*(st+1)*m]
		copy(gx, l.dy[e*m:(e+1)*m])
		clear(gc)
		for k := st - 1; k >= 0; k-- {
			cur, next := xs[k*m:(k+1)*m], xs[(k+1)*m:(k+2)*m]
			h := l.hs[(e*st+k)*m : (e*st+k+1)*m]
			clear(gnx)
			for u := range l.Units {
				xi, hi, xn := cur[u*d:(u+1)*d], h[u*d:(u+1)*d], next[u*d:(u+1)*d]
				gi := gx[u*d : (u+1)*d]
				o := l.omega[u*d*d : (u+1)*d*d]
				// Through the normalisation: gu = (g − x'⟨x', g⟩)/|u|.
				nu := l.ns[(e*st+k)*l.Units+u]
				pr := dot(xn, gi)
				for a := range d {
					gi[a] = (gi[a] - xn[a]*pr) / nu
				}
				hx, xg := dot(hi, xi), dot(xi, gi)
				// gh = γ(gu − x⟨x, gu⟩), written over gc's slot via gh below.
				for a := range d {
					gh := g * (gi[a] - xi[a]*xg)
					gc[u*d+a] += gh
					// dx += gu + γ(Ωᵀgu − ⟨h,x⟩gu − h⟨x,gu⟩)
					var ot float32
					for b := range d {
						ot += o[b*d+a] * gi[b]
					}
					gnx[u*d+a] += gi[a] + g*(ot-hx*gi[a]-hi[a]*xg)
				}
				// dΩ = γ·gu·xᵀ, folded onto the upper triangle.
				q := 0
				for a := range d {
					for b := a + 1; b < d; b++ {
						gOm[u*p+q] += g * (gi[a]*xi[b] - gi[b]*xi[a])
						q++
					}
				}
			}
			// h = c + J·x: gh reaches J and x. gh of this step is
			// γ(gu − x⟨x,gu⟩), recomputed per unit.
			for u := range l.Units {
				xi, gi := cur[u*d:(u+1)*d], gx[u*d:(u+1)*d]
				xg := dot(xi, gi)
				for a := range d {
					gh := g * (gi[a] - xi[a]*xg)
					i := u*d + a
					f32.Axpy(gh, cur, gJ[i*m:(i+1)*m])
					f32.Axpy(gh, l.j.W[i*m:(i+1)*m], gnx)
				}
			}
			gx, gnx = gnx, gx
		}
		// Through the normalisation of x⁰.
		for u := range l.Units {
			v := l.x0.W[u*d : (u+1)*d]
			var nrm float64
			for _, a := range v {
				nrm += float64(a) * float64(a)
			}
			nr := float32(math.Sqrt(nrm))
			xi, gi := xs[u*d:(u+1)*d], gx[u*d:(u+1)*d]
			pr := dot(xi, gi)
			for a := range d {
				gX0[u*d+a] += (gi[a] - xi[a]*pr) / nr
			}
		}
		xe := l.x[e*f : (e+1)*f]
		var dxe []float32
		if l.dx != nil {
			dxe = l.dx[e*f : (e+1)*f]
			clear(dxe)
		}
		for i, gci := range gc {
			gB[i] += gci
			f32.Axpy(gci, xe, gW[i*f:(i+1)*f])
			if dxe != nil {
				f32.Axpy(gci, l.w.W[i*f:(i+1)*f], dxe)
			}
		}
		// gx and gnx may have swapped: keep scr's halves as allocated.
		if st%2 == 1 {
			gx, gnx = gnx, gx
		}
	}
}

// dot returns Σ a_i·b_i, accumulated in float32 (short vectors).
func dot(a, b []float32) float32 {
	var s float32
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// normalise scales v to unit length and returns its former length.
func normalise(v []float32) float32 {
	var s float64
	for _, a := range v {
		s += float64(a) * float64(a)
	}
	n := float32(math.Sqrt(s))
	for i := range v {
		v[i] /= n
	}
	return n
}
