package snn

// CUBA returns the configuration of the CUBA benchmark network of Vogels
// and Abbott (2005) as in Brian2's examples/CUBA.py, with n neurons (4000
// in the benchmark): the first 4n/5 excitatory, the rest inhibitory, all
// pairs connected with probability 0.02 (self-pairs included), we =
// 1.62 mV onto ge, wi = -9 mV onto gi, no delays; El = -49 mV, Vt =
// -50 mV, Vr = -60 mV, τm = 20 ms, τe = 5 ms, τi = 10 ms, refractory 5 ms,
// dt = 0.1 ms, v0 uniform in [Vr, Vt).
func CUBA(n int, seed uint64) Config {
	nrn := Neuron{
		Synapse: Current,
		TauM:    20e-3, TauE: 5e-3, TauI: 10e-3,
		El: -49e-3, Vt: -50e-3, Vr: -60e-3,
		Refractory: 5e-3,
	}
	ne := n * 4 / 5
	const p = 0.02
	we := 60 * 0.27 / 10 * 1e-3
	wi := -20 * 4.5 / 10 * 1e-3
	return Config{
		DT:   0.1e-3,
		Seed: seed,
		Groups: []Group{
			{Name: "exc", N: ne, Neuron: nrn, V0Min: nrn.Vr, V0Max: nrn.Vt},
			{Name: "inh", N: n - ne, Neuron: nrn, V0Min: nrn.Vr, V0Max: nrn.Vt},
		},
		Projections: []Projection{
			{Pre: "exc", Post: "exc", Target: Exc, P: p, Weight: we},
			{Pre: "exc", Post: "inh", Target: Exc, P: p, Weight: we},
			{Pre: "inh", Post: "exc", Target: Inh, P: p, Weight: wi},
			{Pre: "inh", Post: "inh", Target: Inh, P: p, Weight: wi},
		},
	}
}
