package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/bcikit/bcikit/internal/parallel"
)

// Group is a population of identical neurons.
type Group struct {
	// Name identifies the group in Projections and messages.
	Name string
	// N is the number of neurons.
	N int
	// Neuron holds the parameters shared by the group.
	Neuron Neuron
	// V0Min and V0Max bound the initial membrane potential, drawn
	// uniformly in [V0Min, V0Max) from the network's seed (Brian2's
	// v = V0Min + rand()*(V0Max-V0Min)); equal bounds set every neuron
	// to V0Min. ge and gi start at 0.
	V0Min, V0Max float64
	// Poisson makes the group a source of independent Poisson spike
	// trains at Rate Hz instead of LIF neurons, as Brian2's PoissonGroup:
	// each neuron spikes in a step with probability Rate·dt (drawn from
	// the seed, the step and the neuron index, so independent of
	// Workers). Neuron, V0Min and V0Max are then ignored.
	Poisson bool
	// Rate is the firing rate of a Poisson group (Hz, ≥ 0, Rate·dt ≤ 1).
	Rate float64
}

// Config describes a network. The zero values of Workers and MaxMemory
// pick defaults.
type Config struct {
	// DT is the integration step (seconds).
	DT float64
	// Groups are the populations; their neurons are numbered in order,
	// group by group (global neuron indices).
	Groups []Group
	// Projections connect the groups.
	Projections []Projection
	// Seed drives connectivity, random delays and initial potentials;
	// the network depends on it alone, not on Workers.
	Seed uint64
	// Workers is the number of goroutines that step the network (0:
	// GOMAXPROCS, fewer for small networks). Results do not depend on it.
	Workers int
	// MaxMemory bounds the memory New may allocate, in bytes, estimated
	// before anything is allocated (0: half the physical memory, or 4 GiB
	// where it cannot be read). Spikes a monitor records come on top.
	MaxMemory int64
}

// Network is a built spiking network, ready to Run. Its state (V, Ge,
// Gi) may be read and written between runs. A Network is not safe for
// concurrent use: one goroutine runs it (Run spreads the work over its
// own workers).
type Network struct {
	dt      float64
	n       int
	groups  []Group
	start   []int32 // global index of each group's first neuron, and n
	coefs   []coef
	projs   []proj
	out     [][]int // projections leaving each group
	v       []float64
	ge, gi  []float64
	rel     []float64 // step from which each neuron is no longer refractory
	mask    [][]byte  // per-worker spike masks of the AVX kernel
	ring    int       // pending-input ring length (max delay + 1)
	bufE    []float64 // ring × n pending input to ge (nil without delays)
	bufI    []float64
	delayE  bool
	delayI  bool
	step    int32
	workers int
	lo      []int // worker k owns neurons [lo[k], lo[k+1])
	spk     [][2][]int32
	spikes  *SpikeMonitor
	rate    *RateMonitor
	wspk    [][]spikeRec // per-worker spike records of the current run
	wcnt    [][]int32    // per-worker spike counts per step of the current run
	bar     barrier

	wall, cpu  time.Duration // spent in RunSteps (see RunTime)
	cpuUnknown bool
}

type spikeRec struct{ i, s int32 }

// New validates cfg, estimates the memory the network needs, and builds
// it: connectivity is drawn in parallel from the seed, initial potentials
// are set. Every parameter error is reported before anything large is
// allocated.
func New(cfg Config) (*Network, error) {
	if !finite(cfg.DT) || cfg.DT <= 0 {
		return nil, fmt.Errorf("%w: DT = %g s, want a positive step", ErrParam, cfg.DT)
	}
	if len(cfg.Groups) == 0 {
		return nil, fmt.Errorf("%w: no groups", ErrParam)
	}
	dt := cfg.DT
	index := map[string]int{}
	total := 0
	for gi := range cfg.Groups {
		g := &cfg.Groups[gi]
		if g.N < 0 {
			return nil, fmt.Errorf("%w: group %q: N = %d neurons, want ≥ 0", ErrParam, g.Name, g.N)
		}
		if _, dup := index[g.Name]; dup {
			return nil, fmt.Errorf("%w: two groups named %q", ErrParam, g.Name)
		}
		index[g.Name] = gi
		total += g.N
		if total > math.MaxInt32-1 {
			return nil, fmt.Errorf("%w: more than %d neurons", ErrTooLarge, math.MaxInt32-1)
		}
		if g.Poisson {
			if !finite(g.Rate) || g.Rate < 0 {
				return nil, fmt.Errorf("%w: group %q: Rate = %g Hz, want a rate ≥ 0", ErrParam, g.Name, g.Rate)
			}
			if g.Rate*dt > 1 {
				return nil, fmt.Errorf("%w: group %q: Rate·dt = %g Hz × %g s = %g, more than one spike per step", ErrUnstable, g.Name, g.Rate, dt, g.Rate*dt)
			}
			continue
		}
		if err := g.Neuron.validate(g.Name, dt); err != nil {
			return nil, err
		}
		if !finite(g.V0Min) || !finite(g.V0Max) || g.V0Max < g.V0Min || math.Abs(g.V0Min) > MaxPotential || math.Abs(g.V0Max) > MaxPotential {
			return nil, fmt.Errorf("%w: group %q: initial potential range [%g, %g) V", ErrParam, g.Name, g.V0Min, g.V0Max)
		}
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("%w: Workers = %d, want ≥ 0", ErrParam, cfg.Workers)
	}
	if cfg.MaxMemory < 0 {
		return nil, fmt.Errorf("%w: MaxMemory = %d bytes, want ≥ 0", ErrParam, cfg.MaxMemory)
	}
	w := cfg.Workers
	if w == 0 {
		w = min(runtime.GOMAXPROCS(0), max(1, total/minPerWorker))
	}
	w = max(1, min(w, max(1, total)))

	// Validate the projections and estimate memory before allocating.
	maxD := 0
	synapses := 0.0
	bytes := float64(total) * (4*8 + 4 + 1) // v, ge, gi, rel, spike lists, masks
	for pi := range cfg.Projections {
		p := &cfg.Projections[pi]
		name := fmt.Sprintf("projection %d (%s→%s)", pi, p.Pre, p.Post)
		pre, ok1 := index[p.Pre]
		post, ok2 := index[p.Post]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: %s: unknown group", ErrParam, name)
		}
		npre, npost := cfg.Groups[pre].N, cfg.Groups[post].N
		if cfg.Groups[post].Poisson {
			return nil, fmt.Errorf("%w: %s: group %q is a Poisson source and cannot receive synapses", ErrParam, name, p.Post)
		}
		cond := cfg.Groups[post].Neuron.Synapse == Conductance
		if p.Target != Exc && p.Target != Inh {
			return nil, fmt.Errorf("%w: %s: unknown target %d", ErrParam, name, int(p.Target))
		}
		if !finite(p.Weight) || math.Abs(p.Weight) > MaxWeight || (cond && p.Weight < 0) {
			return nil, fmt.Errorf("%w: %s: Weight = %g (want |w| ≤ %g, ≥ 0 onto conductances)", ErrParam, name, p.Weight, float64(MaxWeight))
		}
		if !finite(p.Delay) || p.Delay < 0 || p.Delay/dt > maxDelaySteps {
			return nil, fmt.Errorf("%w: %s: Delay = %g s (want 0 to %g s)", ErrParam, name, p.Delay, maxDelaySteps*dt)
		}
		if p.DelayMax != 0 && (!finite(p.DelayMax) || p.DelayMax < p.Delay || p.DelayMax/dt > maxDelaySteps) {
			return nil, fmt.Errorf("%w: %s: DelayMax = %g s (want Delay = %g s to %g s)", ErrParam, name, p.DelayMax, p.Delay, maxDelaySteps*dt)
		}
		per := 4.0 // target index
		var ns float64
		if p.Synapses != nil {
			if err := checkCSR(p.Synapses, npre, npost, name, dt, cond); err != nil {
				return nil, err
			}
			ns = float64(p.Synapses.Len())
			if p.Synapses.Weight != nil {
				per += 8
			}
			if p.Synapses.Delay != nil {
				per += 2
				for _, d := range p.Synapses.Delay {
					maxD = max(maxD, delaySteps(d, dt))
				}
			}
		} else {
			if !finite(p.P) || p.P < 0 || p.P > 1 {
				return nil, fmt.Errorf("%w: %s: P = %g, want a probability in [0, 1]", ErrParam, name, p.P)
			}
			// Mean plus five standard deviations of the binomial count.
			m := float64(npre) * float64(npost) * p.P
			ns = m + 5*math.Sqrt(m*(1-p.P)) + 1
			if p.DelayMax > p.Delay {
				per += 2
			}
		}
		maxD = max(maxD, delaySteps(p.Delay, dt), delaySteps(p.DelayMax, dt))
		synapses += ns
		// Drawn blocks and the assembled arrays coexist while building.
		bytes += 2*ns*per + float64(npre+1)*8*float64(w+2)
	}
	ring := maxD + 1
	if maxD > 0 {
		bytes += 2 * float64(ring) * float64(total) * 8
	}
	limit := cfg.MaxMemory
	if limit == 0 {
		limit = defaultMaxMemory()
	}
	if bytes > float64(limit) {
		return nil, fmt.Errorf("%w: about %.3g synapses and %d neurons need about %.3g GB, more than the limit of %.3g GB", ErrTooLarge, synapses, total, bytes/1e9, float64(limit)/1e9)
	}
	if synapses > math.MaxInt {
		return nil, fmt.Errorf("%w: %.3g synapses", ErrTooLarge, synapses)
	}

	net := &Network{dt: dt, n: total, groups: append([]Group(nil), cfg.Groups...), workers: w, ring: ring}
	net.start = make([]int32, len(cfg.Groups)+1)
	for gi, g := range cfg.Groups {
		net.start[gi+1] = net.start[gi] + int32(g.N)
		c := coef{poisson: true, p: g.Rate * dt, seed: cfg.Seed}
		if !g.Poisson {
			c = newCoef(&cfg.Groups[gi].Neuron, dt)
		}
		net.coefs = append(net.coefs, c)
	}
	net.v, net.ge, net.gi, net.rel = stateSlices(total)
	vr := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	for gi, g := range cfg.Groups {
		if g.Poisson {
			continue
		}
		for i := net.start[gi]; i < net.start[gi+1]; i++ {
			net.v[i] = g.V0Min
			if g.V0Max > g.V0Min {
				net.v[i] = g.V0Min + vr.Float64()*(g.V0Max-g.V0Min)
			}
		}
	}
	// Worker partition: equal neuron counts.
	net.lo = make([]int, w+1)
	for k := range w + 1 {
		net.lo[k] = k * total / w
	}
	net.out = make([][]int, len(cfg.Groups))
	for pi := range cfg.Projections {
		p := &cfg.Projections[pi]
		pr := buildProj(cfg, pi, index[p.Pre], index[p.Post], net.start, dt)
		pr.split = make([]int, (len(pr.rowptr)-1)*(w+1))
		parallel.ForEach(len(pr.rowptr)-1, 0, func(_, r int) {
			a, b := pr.rowptr[r], pr.rowptr[r+1]
			row := pr.col[a:b]
			s := pr.split[r*(w+1) : (r+1)*(w+1)]
			for k := range w + 1 {
				lo := int32(net.lo[k])
				s[k] = a + sortSearch(row, lo)
			}
		})
		if pr.maxDelay > 0 {
			if pr.target == Exc {
				net.delayE = true
			} else {
				net.delayI = true
			}
		}
		net.out[pr.pre] = append(net.out[pr.pre], len(net.projs))
		net.projs = append(net.projs, pr)
	}
	if net.delayE {
		net.bufE = make([]float64, ring*total)
	}
	if net.delayI {
		net.bufI = make([]float64, ring*total)
	}
	net.spk = make([][2][]int32, w)
	net.mask = make([][]byte, w)
	for k := range w {
		m := net.lo[k+1] - net.lo[k]
		net.spk[k] = [2][]int32{make([]int32, 0, m), make([]int32, 0, m)}
		net.mask[k] = make([]byte, m/4+1)
	}
	net.wspk = make([][]spikeRec, w)
	net.wcnt = make([][]int32, w)
	net.bar.n = int32(w)
	net.bar.cond = sync.NewCond(&net.bar.mu)
	return net, nil
}

// minPerWorker is the fewest neurons worth a goroutine of their own: below
// it the barrier between steps costs more than the work shared.
const minPerWorker = 10000

// sortSearch returns the first index of the ascending row whose value is
// ≥ x.
func sortSearch(row []int32, x int32) int {
	lo, hi := 0, len(row)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if row[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// buildProj draws or copies the connectivity of projection pi.
func buildProj(cfg Config, pi, pre, post int, start []int32, dt float64) proj {
	p := &cfg.Projections[pi]
	pr := proj{pre: pre, post: post, preStart: start[pre], postStart: start[post], target: p.Target, weight: p.Weight}
	npre, npost := cfg.Groups[pre].N, cfg.Groups[post].N
	pr.delay = delaySteps(p.Delay, dt)
	pr.maxDelay = pr.delay
	if c := p.Synapses; c != nil {
		pr.rowptr = append([]int(nil), c.RowPtr...)
		pr.col = make([]int32, len(c.Col))
		for k, j := range c.Col {
			pr.col[k] = j + pr.postStart
		}
		if c.Weight != nil {
			pr.w = append([]float64(nil), c.Weight...)
		}
		if c.Delay != nil {
			pr.d = make([]uint16, len(c.Delay))
			for k, d := range c.Delay {
				pr.d[k] = uint16(delaySteps(d, dt))
				pr.maxDelay = max(pr.maxDelay, int(pr.d[k]))
			}
		}
		sortRows(&pr)
		return pr
	}
	dmax := delaySteps(p.DelayMax, dt)
	random := p.DelayMax > p.Delay && dmax > pr.delay
	if random {
		pr.maxDelay = dmax
	} else {
		dmax = pr.delay
	}
	nb := (npre + blockRows - 1) / blockRows
	cols := make([][]int32, nb)
	dels := make([][]uint16, nb)
	pr.rowptr = make([]int, npre+1)
	parallel.ForEach(nb, 0, func(_, b int) {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(pi+1)<<32|uint64(b)))
		r0, r1 := b*blockRows, min(npre, (b+1)*blockRows)
		exp := int(float64(r1-r0)*float64(npost)*p.P*1.1) + 16
		col := make([]int32, 0, exp)
		var d []uint16
		if random {
			d = make([]uint16, 0, exp)
		}
		cols[b], dels[b] = drawRows(rng, r0, r1, npost, p.P, pr.delay, dmax, pr.rowptr[r0+1:r1+1], col, d)
	})
	for r := range npre {
		pr.rowptr[r+1] += pr.rowptr[r]
	}
	pr.col = make([]int32, pr.rowptr[npre])
	if random {
		pr.d = make([]uint16, pr.rowptr[npre])
	}
	parallel.ForEach(nb, 0, func(_, b int) {
		off := pr.rowptr[b*blockRows]
		for k, j := range cols[b] {
			pr.col[off+k] = j + pr.postStart
		}
		if random {
			copy(pr.d[off:], dels[b])
		}
		cols[b], dels[b] = nil, nil
	})
	return pr
}

// N returns the number of neurons.
func (n *Network) N() int { return n.n }

// DT returns the integration step (seconds).
func (n *Network) DT() float64 { return n.dt }

// Steps returns the number of steps run so far.
func (n *Network) Steps() int { return int(n.step) }

// Workers returns the number of goroutines that step the network.
func (n *Network) Workers() int { return n.workers }

// Synapses returns the number of synapses.
func (n *Network) Synapses() int {
	s := 0
	for i := range n.projs {
		s += len(n.projs[i].col)
	}
	return s
}

// V returns the membrane potentials (volts), indexed by global neuron
// index; writes between runs change the state.
func (n *Network) V() []float64 { return n.v }

// Ge returns the excitatory synaptic variables (volts for Current
// neurons, dimensionless for Conductance ones); writes between runs
// change the state.
func (n *Network) Ge() []float64 { return n.ge }

// Gi returns the inhibitory synaptic variables, as Ge.
func (n *Network) Gi() []float64 { return n.gi }

// GroupRange returns the global indices [lo, hi) of the named group's
// neurons, and false if there is no such group.
func (n *Network) GroupRange(name string) (lo, hi int, ok bool) {
	for gi, g := range n.groups {
		if g.Name == name {
			return int(n.start[gi]), int(n.start[gi+1]), true
		}
	}
	return 0, 0, false
}

// defaultMaxMemory is half the physical memory, or 4 GiB where it cannot
// be read.
func defaultMaxMemory() int64 {
	if m := physicalMemory(); m > 0 {
		return m / 2
	}
	return 4 << 30
}

// stateSlices returns the four state slices of n neurons, carved from one
// allocation so that element i of each lies at a different offset within
// a 4 KiB page: a load after a store to an address a multiple of 4 KiB
// away is delayed (4K aliasing), which separately allocated large slices,
// all page-aligned, would hit at every neuron.
func stateSlices(n int) (v, ge, gi, rel []float64) {
	apart := func(stride int) bool {
		for k := 1; k <= 3; k++ {
			if r := k * stride * 8 % 4096; r < 256 || r > 4096-256 {
				return false
			}
		}
		return true
	}
	stride := n + 8
	for !apart(stride) {
		stride += 8 // 64 bytes further
	}
	buf := make([]float64, 3*stride+n)
	return buf[:n:n], buf[stride : stride+n : stride+n], buf[2*stride : 2*stride+n : 2*stride+n], buf[3*stride : 3*stride+n : 3*stride+n]
}
