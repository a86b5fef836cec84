package snn

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// barrier makes n goroutines wait for each other once per step. A step
// takes microseconds, so a waiter spins first; if the others are late (a
// loaded machine, a descheduled thread) it sleeps on a condition
// variable instead of burning the core they may need.
type barrier struct {
	n     int32
	count atomic.Int32
	gen   atomic.Uint32
	mu    sync.Mutex
	cond  *sync.Cond
}

// spinWait is the number of polls before a waiter sleeps.
const spinWait = 4000

func (b *barrier) wait() {
	g := b.gen.Load()
	if b.count.Add(1) == b.n {
		b.count.Store(0)
		b.mu.Lock()
		b.gen.Add(1)
		b.cond.Broadcast()
		b.mu.Unlock()
		return
	}
	for range spinWait {
		if b.gen.Load() != g {
			return
		}
	}
	b.mu.Lock()
	for b.gen.Load() == g {
		b.cond.Wait()
	}
	b.mu.Unlock()
}

// Run advances the network by duration seconds (rounded to whole steps).
func (n *Network) Run(duration float64) error {
	if !finite(duration) || duration < 0 {
		return fmt.Errorf("%w: duration = %g s, want ≥ 0", ErrParam, duration)
	}
	steps := math.Round(duration / n.dt)
	if steps > float64(maxSteps-int64(n.step)) {
		return fmt.Errorf("%w: duration %g s is %g steps of %g s, more than %d in all", ErrTooLarge, duration, steps, n.dt, maxSteps)
	}
	return n.RunSteps(int(steps))
}

// maxSteps bounds the steps of a network's life (step indices are int32).
const maxSteps = math.MaxInt32 / 2

// RunSteps advances the network by steps steps. Each step, as a Brian2
// network with the default schedule: every neuron is integrated from t to
// t+dt (input that arrived by t included), neurons above threshold and not
// refractory spike and are reset, and each spike's synapses deliver their
// weight after their delay (a delay of 0 in the same step, so it acts
// from the next step's integration on).
func (n *Network) RunSteps(steps int) error {
	if steps < 0 || int64(steps) > maxSteps-int64(n.step) {
		return fmt.Errorf("%w: %d steps after %d, want 0 to %d in all", ErrParam, steps, n.step, maxSteps)
	}
	if steps == 0 {
		return nil
	}
	for k := range n.workers {
		n.wspk[k] = n.wspk[k][:0]
		if n.rate != nil {
			n.wcnt[k] = growInt32(n.wcnt[k], steps)
		}
	}
	s0 := n.step
	wall0 := time.Now()
	cpu0, cpuOK := processCPU()
	defer func() {
		n.wall += time.Since(wall0)
		if cpu1, ok := processCPU(); ok && cpuOK {
			n.cpu += cpu1 - cpu0
		} else {
			n.cpuUnknown = true
		}
	}()
	if n.workers == 1 {
		n.work(0, s0, s0+int32(steps))
	} else {
		var wg sync.WaitGroup
		for k := 1; k < n.workers; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n.work(k, s0, s0+int32(steps))
			}()
		}
		n.work(0, s0, s0+int32(steps))
		wg.Wait()
	}
	n.step = s0 + int32(steps)
	n.collect(s0, steps)
	return nil
}

func growInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// work runs worker k's share of steps [s0, s1).
func (n *Network) work(k int, s0, s1 int32) {
	lo, hi := n.lo[k], n.lo[k+1]
	rec := n.spikes != nil
	cnt := n.wcnt[k]
	for s := s0; s < s1; s++ {
		par := s & 1
		spk := n.spk[k][par][:0]
		// Input whose delay ended at the end of the previous step.
		if n.delayE || n.delayI {
			slot := int(s-1+int32(n.ring)) % n.ring
			if n.delayE {
				addClear(n.ge[lo:hi], n.bufE[slot*n.n+lo:slot*n.n+hi])
			}
			if n.delayI {
				addClear(n.gi[lo:hi], n.bufI[slot*n.n+lo:slot*n.n+hi])
			}
		}
		for gi := range n.groups {
			a, b := max(lo, int(n.start[gi])), min(hi, int(n.start[gi+1]))
			if a >= b {
				continue
			}
			c := &n.coefs[gi]
			if c.poisson {
				spk = c.updatePoisson(a, b, s, spk)
			} else if c.kind == Current {
				spk = c.updateCurrent(n.v[a:b], n.ge[a:b], n.gi[a:b], n.rel[a:b], n.mask[k], float64(s), int32(a), spk)
			} else {
				spk = c.updateConductance(n.v[a:b], n.ge[a:b], n.gi[a:b], n.rel[a:b], float64(s), int32(a), spk)
			}
		}
		n.spk[k][par] = spk
		if rec {
			for _, i := range spk {
				n.wspk[k] = append(n.wspk[k], spikeRec{i, s})
			}
		}
		if cnt != nil {
			cnt[s-s0] = int32(len(spk))
		}
		if n.workers > 1 {
			n.bar.wait()
		}
		// Deliver every worker's spikes to this worker's targets, in
		// ascending neuron order whatever the number of workers.
		for u := range n.workers {
			for _, i := range n.spk[u][par] {
				n.deliver(k, i, s)
			}
		}
	}
	if n.workers > 1 {
		// The next run's first step reads these spike lists: wait until
		// every worker has delivered.
		n.bar.wait()
	}
}

// addClear adds buf to g and zeroes buf.
func addClear(g, buf []float64) {
	buf = buf[:len(g)]
	for i, x := range buf {
		g[i] += x
		buf[i] = 0
	}
}

// deliver adds the weights of spiking neuron i's synapses onto worker k's
// targets.
func (n *Network) deliver(k int, i, s int32) {
	g := 0
	for i >= n.start[g+1] {
		g++
	}
	w1 := n.workers + 1
	for _, pi := range n.out[g] {
		p := &n.projs[pi]
		r := int(i - p.preStart)
		a, b := p.split[r*w1+k], p.split[r*w1+k+1]
		if a == b {
			continue
		}
		col := p.col[a:b]
		tgt, buf := n.ge, n.bufE
		if p.target == Inh {
			tgt, buf = n.gi, n.bufI
		}
		if p.maxDelay == 0 {
			if p.w == nil {
				w := p.weight
				for _, j := range col {
					tgt[j] += w
				}
			} else {
				ws := p.w[a:b]
				ws = ws[:len(col)]
				for x, j := range col {
					tgt[j] += ws[x]
				}
			}
			continue
		}
		cur := int(s) % n.ring
		if p.d == nil {
			slot := cur + p.delay
			if slot >= n.ring {
				slot -= n.ring
			}
			dst := buf[slot*n.n : (slot+1)*n.n]
			if p.w == nil {
				w := p.weight
				for _, j := range col {
					dst[j] += w
				}
			} else {
				ws := p.w[a:b]
				ws = ws[:len(col)]
				for x, j := range col {
					dst[j] += ws[x]
				}
			}
			continue
		}
		ds := p.d[a:b]
		ds = ds[:len(col)]
		for x, j := range col {
			slot := cur + int(ds[x])
			if slot >= n.ring {
				slot -= n.ring
			}
			w := p.weight
			if p.w != nil {
				w = p.w[a+x]
			}
			if slot == cur {
				// Delay 0: delivered within this step.
				tgt[j] += w
				continue
			}
			buf[slot*n.n+int(j)] += w
		}
	}
}

// RunTime returns the time spent in Run and RunSteps so far: wall-clock
// time, and the CPU time (user + system) of the whole process meanwhile,
// all threads together, as C's clock() measures it (Brian2's C++
// standalone mode reports its run time so). cpu is -1 where it cannot be
// measured (off Linux). On a loaded machine wall exceeds cpu by the time
// others held the cores.
func (n *Network) RunTime() (wall, cpu time.Duration) {
	if n.cpuUnknown {
		return n.wall, -1
	}
	return n.wall, n.cpu
}
