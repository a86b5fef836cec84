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
