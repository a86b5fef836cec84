// Package snn simulates networks of leaky integrate-and-fire (LIF)
// neurons, as Brian2 does with its default schedule, fast and without a
// compile step.
//
// A network is groups of neurons (current- or conductance-based synapses,
// refractory period; or Poisson spike sources) joined by projections (sparse random connectivity
// drawn from a seed, or explicit CSR, with per-synapse weights and
// delays):
//
//	net, err := snn.New(snn.CUBA(4000, seed)) // Brian2's examples/CUBA.py
//	spikes := net.MonitorSpikes()
//	err = net.Run(1)                          // one second
//	sum, err := snn.Stats(spikes, 0, net.N(), 1, net.DT())
//
// # What a step does
//
// Each step of dt, as Brian2's schedule (groups, thresholds, synapses,
// resets): every non-refractory neuron is integrated from t to t+dt;
// current-based neurons exactly (the closed form of the linear system in
// v, ge, gi, as method='exact'), conductance-based ones by exponential
// Euler (method='exponential_euler'); ge and gi decay exactly. A neuron
// with v > Vt that is not refractory spikes (recorded at t, as Brian2),
// is reset to Vr and held there for the refractory period (Brian2's
// timestep rule: it may fire again round(ref/dt) steps later). Each spike
// adds its synapses' weights to ge or gi of their targets after their
// delays (rounded to steps); with no delay, within the same step, so that
// the input acts from the next step's integration on.
//
// Given Brian2's own draw of a network (connectivity, initial potentials,
// input spikes), bcikit reproduces Brian2 2.5 spike for spike:
// TestBrian2Small (current-based, per-synapse delays and weights, 135
// spikes), TestBrian2SameNetwork (conductance-based, Poisson input,
// delays, 4299 spikes) and, opt-in, TestBrian2CUBADraw (the CUBA network,
// all 22 461 spikes of 1 s); states agree within 1e-12 V.
//
// # Speed
//
// State is float64, one slice per variable. Current-based neurons are
// stepped eight at a time by an AVX-512 kernel, or four at a time by an AVX
// one, where the CPU has them (the same bits as the Go loop, which runs
// elsewhere: no fused multiply-add; TestKernelBits). Neurons are split
// into contiguous ranges, one per worker goroutine; workers meet at a
// barrier once per step; then each delivers every spike to its own
// targets only (each row of a projection is split by target range when
// the network is built), so there are no locks and no allocation per step,
// and results do not depend on the number of workers. Below 10 000 neurons
// per goroutine the barrier costs more than it saves, so small networks
// run on one.
//
// bench/compare_snn.sh times the CUBA network (4000 neurons, 320 000
// synapses, one simulated second) in both simulators in one run. Brian2's
// C++ standalone mode reports the CPU time of its loop (std::clock), so
// bcikit's CPU time is set beside it (Network.RunTime); the script also
// estimates the standalone program's wall time from outside. On the shared
// 2-core development machine, loaded by other jobs (load average 7-17):
// bcikit 0.029-0.040 s of CPU (0.029-0.15 s wall, depending on the load),
// Brian2 standalone 0.084-0.10 s of CPU (about 0.13 s wall, after a
// 14-40 s compile step), Cython 0.3-1.2 s and numpy 3.5-8.5 s wall.
//
// A SpikeMonitor keeps every spike (8 bytes each); for long runs, fold
// each run's spikes into a Tally and empty the monitor.
//
// # Bad input
//
// New checks every parameter before it allocates: non-positive or
// non-finite steps and time constants, a step larger than τ/MaxDTRatio
// (ErrUnstable), negative counts, probabilities outside [0, 1], negative
// delays or refractory periods, negative conductances, negative Poisson
// rates or more than one spike per step (Rate·dt > 1), reset not below
// threshold, and networks whose estimated memory exceeds Config.MaxMemory
// (half the physical memory by default; ErrTooLarge).
//
// # Differences from Brian2
//
// Random connectivity, delays and initial potentials come from Go's PCG
// generator, so a network is a different draw from Brian2's with the same
// seed: only statistics agree (rates and ISI CV within 5 % of Brian2's
// over 5 seeds, TestCUBABrian2). Brian2 evaluates "El - El·e^(-dt/τm) +
// v·e^(-dt/τm) + ..." as sympy printed it; bcikit adds the same terms in
// a fixed order, so values agree to rounding (1e-16 V), not bit for bit.
// Delays are rounded to the nearest step and limited to 10 000 steps.
package snn
