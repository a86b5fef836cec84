package snn

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// Synapse says how synaptic input enters the membrane equation of a
// Neuron.
type Synapse int

const (
	// Current is the current-based LIF of the CUBA benchmark, ge and gi in
	// volts:
	//
	//	dv/dt  = (ge + gi - (v - El)) / τm
	//	dge/dt = -ge / τe
	//	dgi/dt = -gi / τi
	//
	// The system is linear with constant coefficients and is integrated
	// exactly (Brian2's method='exact').
	Current Synapse = iota
	// Conductance is the conductance-based LIF of the COBA benchmark, ge
	// and gi dimensionless (in units of the leak conductance):
	//
	//	dv/dt  = (ge (Ee - v) + gi (Ei - v) - (v - El)) / τm
	//	dge/dt = -ge / τe
	//	dgi/dt = -gi / τi
	//
	// The product ge·v makes it non-linear, so it is integrated by
	// exponential Euler as Brian2's method='exponential_euler': within a
	// step v's equation is linear with ge and gi frozen at their values at
	// the start of the step; ge and gi decay exactly.
	Conductance
)

// String returns "current" or "conductance".
func (s Synapse) String() string {
	switch s {
	case Current:
		return "current"
	case Conductance:
		return "conductance"
	}
	return fmt.Sprintf("Synapse(%d)", int(s))
}

// Neuron holds the parameters of a leaky integrate-and-fire neuron, in SI
// units (seconds, volts). A neuron spikes at the end of a step when v > Vt
// and it is not refractory; v is then set to Vr and held there (not
// integrated) for Refractory, while ge and gi keep decaying, as Brian2's
// threshold='v>Vt', reset='v = Vr', refractory=..., "(unless refractory)".
type Neuron struct {
	Synapse Synapse
	// TauM, TauE and TauI are the membrane, excitatory and inhibitory
	// synaptic time constants.
	TauM, TauE, TauI float64
	// El is the resting (leak reversal) potential, Vt the threshold and
	// Vr the reset potential.
	El, Vt, Vr float64
	// Ee and Ei are the excitatory and inhibitory reversal potentials
	// (Conductance only).
	Ee, Ei float64
	// Refractory is the time v is held at Vr after a spike.
	Refractory float64
}

// MaxDTRatio is the stability rule New enforces: the step must satisfy
// dt ≤ τ / MaxDTRatio for each of τm, τe and τi. Exact integration itself
// is stable at any step, but spikes, resets and synaptic events are
// resolved only to dt, and exponential Euler freezes the conductances over
// a step, so a step that is not small against every time constant gives
// dynamics that no longer resemble the equations'. CUBA (dt 0.1 ms,
// τe 5 ms) is at a ratio of 50.
const MaxDTRatio = 10

// MaxPotential and MaxWeight bound potentials (volts) and synaptic
// weights (volts, or multiples of the leak conductance): physiological
// values are below 0.1 V and 10, and the bounds keep sums of many inputs
// far from overflow, so state stays finite.
const (
	MaxPotential = 1e3
	MaxWeight    = 1e3
)

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// validate checks the parameters of n for a step dt; name locates the
// group in messages.
func (n *Neuron) validate(name string, dt float64) error {
	if n.Synapse != Current && n.Synapse != Conductance {
		return fmt.Errorf("%w: group %q: unknown synapse kind %d", ErrParam, name, int(n.Synapse))
	}
	for _, f := range []struct {
		what string
		v    float64
	}{{"TauM", n.TauM}, {"TauE", n.TauE}, {"TauI", n.TauI}} {
		if !finite(f.v) || f.v <= 0 {
			return fmt.Errorf("%w: group %q: %s = %g s, want a positive time constant", ErrParam, name, f.what, f.v)
		}
		if dt > f.v/MaxDTRatio {
			return fmt.Errorf("%w: group %q: dt = %g s is more than %s/%d = %g s", ErrUnstable, name, dt, f.what, MaxDTRatio, f.v/MaxDTRatio)
		}
	}
	vals := []struct {
		what string
		v    float64
	}{{"El", n.El}, {"Vt", n.Vt}, {"Vr", n.Vr}}
	if n.Synapse == Conductance {
		vals = append(vals, struct {
			what string
			v    float64
		}{"Ee", n.Ee}, struct {
			what string
			v    float64
		}{"Ei", n.Ei})
	}
	for _, f := range vals {
		if !finite(f.v) || math.Abs(f.v) > MaxPotential {
			return fmt.Errorf("%w: group %q: %s = %g V, want a potential within ±%g V", ErrParam, name, f.what, f.v, float64(MaxPotential))
		}
	}
	if n.Vr >= n.Vt {
		return fmt.Errorf("%w: group %q: reset Vr = %g V is not below threshold Vt = %g V (the neuron would fire at every step)", ErrParam, name, n.Vr, n.Vt)
	}
	if !finite(n.Refractory) || n.Refractory < 0 {
		return fmt.Errorf("%w: group %q: Refractory = %g s, want ≥ 0", ErrParam, name, n.Refractory)
	}
	return nil
}

// coef holds the per-step propagator of one group.
type coef struct {
	kind           Synapse
	el, vt, vr     float64
	em, ee, ei     float64 // exp(-dt/τ)
	ke, ki         float64 // Current: weight of ge, gi in v(t+dt)
	ee0, ei0, tauM float64 // Conductance: reversal potentials, τm
	dt             float64
	ref            int32 // refractory period in steps
	k              kcoef
	poisson        bool    // a Poisson group
	p              float64 // its spike probability per step
	seed           uint64
}

// kernel returns the coupling of a synaptic variable with time constant
// tau into v over one step: the exact solution of
// dv/dt = (g - v)/τm, dg/dt = -g/τ from v = 0, g = 1, at t = dt,
// τ/(τ-τm)·(e^(-dt/τ) - e^(-dt/τm)). It is evaluated as
// e^(-dt/τm)·(dt/τm)·expm1(x)/x with x = dt(τ-τm)/(τ τm), which has no
// cancellation when τ is close to τm and is dt/τm·e^(-dt/τm) at τ = τm.
func kernel(dt, tauM, tau float64) float64 {
	x := dt * (tau - tauM) / (tau * tauM)
	r := 1.0
	if x != 0 {
		r = math.Expm1(x) / x
	}
	return math.Exp(-dt/tauM) * (dt / tauM) * r
}

// timestep converts a duration to steps as Brian2's timestep(t, dt).
func timestep(t, dt float64) int64 {
	return int64(math.Floor((t + 1e-3*dt) / dt))
}

func newCoef(n *Neuron, dt float64) coef {
	c := coef{
		kind: n.Synapse, el: n.El, vt: n.Vt, vr: n.Vr,
		em: math.Exp(-dt / n.TauM), ee: math.Exp(-dt / n.TauE), ei: math.Exp(-dt / n.TauI),
		ee0: n.Ee, ei0: n.Ei, tauM: n.TauM, dt: dt,
		ref: int32(timestep(n.Refractory, dt)),
	}
	if n.Synapse == Current {
		c.ke = kernel(dt, n.TauM, n.TauE)
		c.ki = kernel(dt, n.TauM, n.TauI)
		c.k = kcoef{em: c.em, c0: c.el - c.el*c.em, ke: c.ke, ki: c.ki, ee: c.ee, ei: c.ei, vt: c.vt, vr: c.vr}
	}
	return c
}

// kcoef is the current-based propagator in the layout the assembly
// kernel reads.
type kcoef struct {
	em, c0, ke, ki, ee, ei, vt, vr float64
}

// updateCurrent advances the current-based neurons v, ge, gi (one group,
// one worker's share) by one step s and appends the indices (off + i) of
// those that spike to spk. rel[i] is the step from which neuron i is no
// longer refractory; mask is scratch of at least len(v)/8+1 bytes.
func (c *coef) updateCurrent(v, ge, gi, rel []float64, mask []byte, s float64, off int32, spk []int32) []int32 {
	ge = ge[:len(v)]
	gi = gi[:len(v)]
	rel = rel[:len(v)]
	n4 := 0
	if useAVX {
		n4 = len(v) &^ 3
		switch {
		case useAVX512 && len(v) >= 8:
			n4 = len(v) &^ 7
			cubaAVX512(&v[0], &ge[0], &gi[0], &rel[0], &mask[0], n4, s, &c.k)
		case n4 > 0:
			cubaAVX(&v[0], &ge[0], &gi[0], &rel[0], &mask[0], n4, s, &c.k)
		}
		ref := float64(c.ref)
		mask := mask[:(n4+7)/8]
		for j := 0; j < len(mask); j += 8 {
			// Spikes are rare: skip eight bytes (64 neurons) at a time.
			if j+8 <= len(mask) && binary.LittleEndian.Uint64(mask[j:]) == 0 {
				continue
			}
			for jj := j; jj < min(j+8, len(mask)); jj++ {
				for m := mask[jj]; m != 0; m &= m - 1 {
					i := 8*jj + bits.TrailingZeros8(m)
					spk = append(spk, off+int32(i))
					rel[i] = s + ref
				}
			}
		}
	}
	return c.updateCurrentGo(v[n4:], ge[n4:], gi[n4:], rel[n4:], s, off+int32(n4), spk)
}

// updateCurrentGo is updateCurrent in Go. The products are rounded before
// they are added (no fused multiply-add), as in the assembly kernel, so
// both give the same bits.
func (c *coef) updateCurrentGo(v, ge, gi, rel []float64, s float64, off int32, spk []int32) []int32 {
	ge = ge[:len(v)]
	gi = gi[:len(v)]
	rel = rel[:len(v)]
	k := c.k
	ref := float64(c.ref)
	for i, vi := range v {
		e, g := ge[i], gi[i]
		ge[i] = e * k.ee
		gi[i] = g * k.ei
		if s < rel[i] {
			continue
		}
		vi = float64(float64(float64(vi*k.em)+k.c0)+float64(e*k.ke)) + float64(g*k.ki)
		if vi > k.vt {
			spk = append(spk, off+int32(i))
			rel[i] = s + ref
			vi = k.vr
		}
		v[i] = vi
	}
	return spk
}

// updateConductance is updateCurrent for conductance-based neurons
// (exponential Euler, as Brian2's generated code for it).
func (c *coef) updateConductance(v, ge, gi, rel []float64, s float64, off int32, spk []int32) []int32 {
	ge = ge[:len(v)]
	gi = gi[:len(v)]
	rel = rel[:len(v)]
	el, eE, eI, ee, ei, vt, vr := c.el, c.ee0, c.ei0, c.ee, c.ei, c.vt, c.vr
	ref := float64(c.ref)
	r := c.dt / c.tauM
	for i, vi := range v {
		e, g := ge[i], gi[i]
		ge[i] = e * ee
		gi[i] = g * ei
		if s < rel[i] {
			continue
		}
		// dv/dt = A + B v with B = -(1+ge+gi)/τm, A = (El + ge Ee + gi Ei)/τm;
		// v(t+dt) = -A/B + (v + A/B) exp(B dt).
		b := 1 + e + g
		inf := (el + e*eE + g*eI) / b
		vi = inf + (vi-inf)*math.Exp(-b*r)
		if vi > vt {
			spk = append(spk, off+int32(i))
			rel[i] = s + ref
			vi = vr
		}
		v[i] = vi
	}
	return spk
}

// updatePoisson draws the spikes of Poisson neurons [a, b) in step s:
// neuron i fires when a uniform number hashed from the seed, the step and
// i is below Rate·dt.
func (c *coef) updatePoisson(a, b int, s int32, spk []int32) []int32 {
	if c.p <= 0 {
		return spk
	}
	// Compare the top 53 bits as an integer: u < p ⇔ bits < p·2^53.
	lim := uint64(c.p * (1 << 53))
	base := c.seed ^ uint64(uint32(s))*0x9e3779b97f4a7c15
	for i := a; i < b; i++ {
		if splitmix(base+uint64(i)*0xbf58476d1ce4e5b9)>>11 < lim {
			spk = append(spk, int32(i))
		}
	}
	return spk
}

// splitmix is the SplitMix64 finaliser: a bijective mix of x whose
// outputs for consecutive inputs pass statistical tests of independence.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
