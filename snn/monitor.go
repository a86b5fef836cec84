package snn

import (
	"fmt"
	"math"
)

// SpikeMonitor records every spike of a network, as Brian2's
// SpikeMonitor: I[k] is the global index of the neuron that fired and
// Step[k] the step in which it did (its time is Step[k]·dt, the start of
// the step, as Brian2 records t). Spikes are ordered by step, then by
// neuron.
type SpikeMonitor struct {
	I    []int32
	Step []int32
}

// RateMonitor records the population rate, as Brian2's
// PopulationRateMonitor: Rate[k] is the number of neurons that fired in
// the k-th recorded step divided by N·dt (Hz).
type RateMonitor struct {
	Rate []float64
}

// MonitorSpikes starts recording spikes and returns the monitor the next
// runs append to.
func (n *Network) MonitorSpikes() *SpikeMonitor {
	if n.spikes == nil {
		n.spikes = &SpikeMonitor{}
	}
	return n.spikes
}

// MonitorRate starts recording the population rate and returns the
// monitor the next runs append to.
func (n *Network) MonitorRate() *RateMonitor {
	if n.rate == nil {
		n.rate = &RateMonitor{}
	}
	return n.rate
}

// collect merges the workers' records of a run of steps from s0 into
// the monitors. Each worker's spikes ascend by step, then neuron, and
// workers own ascending neuron ranges, so a merge by step keeps the order.
func (n *Network) collect(s0 int32, steps int) {
	if m := n.spikes; m != nil {
		total := 0
		for k := range n.workers {
			total += len(n.wspk[k])
		}
		m.I = grow(m.I, total)
		m.Step = grow(m.Step, total)
		pos := make([]int, n.workers)
		for s := s0; s < s0+int32(steps); s++ {
			for k := range n.workers {
				rec := n.wspk[k]
				for pos[k] < len(rec) && rec[pos[k]].s == s {
					m.I = append(m.I, rec[pos[k]].i)
					m.Step = append(m.Step, s)
					pos[k]++
				}
			}
		}
	}
	if m := n.rate; m != nil {
		scale := 1 / (float64(n.n) * n.dt)
		for s := range steps {
			c := int32(0)
			for k := range n.workers {
				c += n.wcnt[k][s]
			}
			m.Rate = append(m.Rate, float64(c)*scale)
		}
	}
}

func grow(s []int32, extra int) []int32 {
	if cap(s)-len(s) < extra {
		t := make([]int32, len(s), len(s)+extra)
		copy(t, s)
		return t
	}
	return s
}

// Summary holds the statistics of a spike train that "bcikit snn" reports.
type Summary struct {
	// Spikes is the number of spikes.
	Spikes int
	// Rate is the mean firing rate, Spikes / (N · duration), in Hz.
	Rate float64
	// CV is the mean, over the neurons with at least 3 spikes (2
	// intervals), of the coefficient of variation of their inter-spike
	// intervals: std/mean with the population standard deviation
	// (ddof = 0). 0 when no neuron has 3 spikes.
	CV float64
	// CVNeurons is the number of neurons CV averages over.
	CVNeurons int
}

// Stats summarises the spikes m recorded from neurons [lo, hi) over
// duration seconds of steps dt (spikes of other neurons are ignored).
func Stats(m *SpikeMonitor, lo, hi int, duration, dt float64) (Summary, error) {
	if lo < 0 || hi < lo || !(duration > 0) || !(dt > 0) || math.IsInf(duration, 0) {
		return Summary{}, fmt.Errorf("%w: Stats over neurons [%d, %d), duration %g s, dt %g s", ErrParam, lo, hi, duration, dt)
	}
	if len(m.I) != len(m.Step) {
		return Summary{}, fmt.Errorf("%w: spike monitor has %d indices and %d steps", ErrParam, len(m.I), len(m.Step))
	}
	n := hi - lo
	cnt := make([]int, n+1)
	for _, i := range m.I {
		if int(i) >= lo && int(i) < hi {
			cnt[int(i)-lo+1]++
		}
	}
	for i := range n {
		cnt[i+1] += cnt[i]
	}
	steps := make([]int32, cnt[n])
	pos := append([]int(nil), cnt[:n]...)
	for k, i := range m.I {
		if int(i) >= lo && int(i) < hi {
			steps[pos[int(i)-lo]] = m.Step[k]
			pos[int(i)-lo]++
		}
	}
	var sum Summary
	sum.Spikes = cnt[n]
	if n > 0 {
		sum.Rate = float64(sum.Spikes) / (float64(n) * duration)
	}
	var cvs float64
	for i := range n {
		t := steps[cnt[i]:cnt[i+1]]
		if len(t) < 3 {
			continue
		}
		// Steps ascend (the monitor's order); intervals in seconds.
		var mean float64
		for k := 1; k < len(t); k++ {
			mean += float64(t[k]-t[k-1]) * dt
		}
		mean /= float64(len(t) - 1)
		var ss float64
		for k := 1; k < len(t); k++ {
			d := float64(t[k]-t[k-1])*dt - mean
			ss += d * d
		}
		cvs += math.Sqrt(ss/float64(len(t)-1)) / mean
		sum.CVNeurons++
	}
	if sum.CVNeurons > 0 {
		sum.CV = cvs / float64(sum.CVNeurons)
	}
	return sum, nil
}

// Tally accumulates the statistics of Summary over successive runs
// without keeping the spikes, for simulations whose spike trains would not
// fit in memory: Add a monitor's spikes after each run, then empty it.
// Its CV agrees with Stats' to rounding (Welford's update of the mean and
// squared deviations of each neuron's intervals).
type Tally struct {
	lo, hi int
	dt     float64
	spikes int
	last   []int32
	count  []int32   // spikes per neuron
	mean   []float64 // running mean of the intervals (steps)
	m2     []float64 // running sum of squared deviations
}

// NewTally returns a Tally of neurons [lo, hi) for steps of dt seconds.
func NewTally(lo, hi int, dt float64) (*Tally, error) {
	if lo < 0 || hi < lo || !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Errorf("%w: Tally over neurons [%d, %d), dt %g s", ErrParam, lo, hi, dt)
	}
	n := hi - lo
	return &Tally{lo: lo, hi: hi, dt: dt, last: make([]int32, n), count: make([]int32, n), mean: make([]float64, n), m2: make([]float64, n)}, nil
}

// Add counts the spikes of m, which must follow those already added in
// time (as the spikes of successive runs do).
func (t *Tally) Add(m *SpikeMonitor) error {
	if len(m.I) != len(m.Step) {
		return fmt.Errorf("%w: spike monitor has %d indices and %d steps", ErrParam, len(m.I), len(m.Step))
	}
	for k, i := range m.I {
		if int(i) < t.lo || int(i) >= t.hi {
			continue
		}
		j := int(i) - t.lo
		s := m.Step[k]
		t.spikes++
		if t.count[j] > 0 {
			if s <= t.last[j] {
				return fmt.Errorf("%w: neuron %d spikes at step %d after step %d", ErrParam, i, s, t.last[j])
			}
			// Welford's update with interval x, the count-th of them.
			x := float64(s - t.last[j])
			c := float64(t.count[j])
			d := x - t.mean[j]
			t.mean[j] += d / c
			t.m2[j] += d * (x - t.mean[j])
		}
		t.count[j]++
		t.last[j] = s
	}
	return nil
}

// Summary returns the statistics of the spikes added, over duration
// seconds, defined as Stats defines them.
func (t *Tally) Summary(duration float64) (Summary, error) {
	if !(duration > 0) || math.IsInf(duration, 0) {
		return Summary{}, fmt.Errorf("%w: duration %g s", ErrParam, duration)
	}
	var sum Summary
	sum.Spikes = t.spikes
	n := t.hi - t.lo
	if n > 0 {
		sum.Rate = float64(t.spikes) / (float64(n) * duration)
	}
	var cvs float64
	for j, c := range t.count {
		if c < 3 {
			continue
		}
		// std/mean is the same in steps as in seconds.
		cvs += math.Sqrt(t.m2[j]/float64(c-1)) / t.mean[j]
		sum.CVNeurons++
	}
	if sum.CVNeurons > 0 {
		sum.CV = cvs / float64(sum.CVNeurons)
	}
	return sum, nil
}
