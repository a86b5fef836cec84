package snn

import (
	"errors"
	"math"
	"testing"
)

// FuzzNew builds networks from arbitrary parameters: New must either
// refuse them with one of the package's errors or build a network whose
// state stays finite over 30 steps; nothing may panic.
func FuzzNew(f *testing.F) {
	f.Add(1e-4, 20e-3, 5e-3, 10e-3, -49e-3, -50e-3, -60e-3, 5e-3, 0.02, 1.62e-3, -9e-3, 0.0, 0.0, uint8(40), uint8(10), false, uint64(1), 100.0)
	f.Add(1e-4, 20e-3, 5e-3, 10e-3, -60e-3, -50e-3, -60e-3, 5e-3, 0.3, 0.6, 6.7, 1e-3, 3e-3, uint8(20), uint8(7), true, uint64(2), 0.0)
	f.Add(1e-3, 20e-3, 5e-3, 10e-3, -49e-3, -50e-3, -60e-3, 5e-3, 0.02, 1.62e-3, -9e-3, 0.0, 0.0, uint8(4), uint8(1), false, uint64(3), -5.0)
	f.Add(1e-4, 20e-3, 20e-3, 20e-3, 0.0, 1.0, -1.0, 0.0, 1.0, 1e3, -1e3, 0.0, 1.0, uint8(255), uint8(255), false, uint64(4), 1e4)
	f.Add(1e-4, math.NaN(), 5e-3, 10e-3, -49e-3, -50e-3, -60e-3, -1.0, 2.0, math.Inf(1), -9e-3, -1.0, 0.0, uint8(0), uint8(0), true, uint64(5), math.NaN())
	f.Fuzz(func(t *testing.T, dt, tm, te, ti, el, vt, vr, ref, p, we, wi, d, dmax float64, ne, ni uint8, cond bool, seed uint64, rate float64) {
		nrn := Neuron{TauM: tm, TauE: te, TauI: ti, El: el, Vt: vt, Vr: vr, Refractory: ref, Ee: 0, Ei: -80e-3}
		if cond {
			nrn.Synapse = Conductance
		}
		cfg := Config{
			DT: dt, Seed: seed, MaxMemory: 64 << 20,
			Groups: []Group{{Name: "e", N: int(ne), Neuron: nrn, V0Min: vr, V0Max: vt}, {Name: "i", N: int(ni), Neuron: nrn, V0Min: vr, V0Max: vr},
				{Name: "src", N: int(ni), Poisson: true, Rate: rate}},
			Projections: []Projection{
				{Pre: "e", Post: "e", Target: Exc, P: p, Weight: we, Delay: d, DelayMax: dmax},
				{Pre: "e", Post: "i", Target: Exc, P: p, Weight: we},
				{Pre: "i", Post: "e", Target: Inh, P: p, Weight: wi, Delay: d},
				{Pre: "src", Post: "e", Target: Exc, P: p, Weight: we, Delay: dmax},
			},
		}
		net, err := New(cfg)
		if err != nil {
			if !errors.Is(err, ErrParam) && !errors.Is(err, ErrUnstable) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		m := net.MonitorSpikes()
		if err := net.RunSteps(30); err != nil {
			t.Fatal(err)
		}
		for i := range net.N() {
			if !finite(net.V()[i]) || !finite(net.Ge()[i]) || !finite(net.Gi()[i]) {
				t.Fatalf("neuron %d: v %g, ge %g, gi %g", i, net.V()[i], net.Ge()[i], net.Gi()[i])
			}
		}
		if len(m.I) != len(m.Step) {
			t.Fatal("monitor lengths differ")
		}
		if _, err := Stats(m, 0, net.N(), 30*dt, dt); err != nil {
			t.Fatal(err)
		}
	})
}
