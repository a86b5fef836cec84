package snn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// CSR is an explicit connectivity matrix in compressed sparse row form:
// the synapses of presynaptic neuron r (an index into the Pre group) are
// k in [RowPtr[r], RowPtr[r+1]), reaching neuron Col[k] of the Post group.
// Weight and Delay, when not nil, give each synapse its own weight and
// delay (seconds); when nil the Projection's Weight and Delay apply.
type CSR struct {
	RowPtr []int
	Col    []int32
	Weight []float64
	Delay  []float64
}

// Len returns the number of synapses.
func (c *CSR) Len() int { return len(c.Col) }

// Projection connects group Pre to group Post: each spike of a Pre neuron
// adds the synapse's weight to the Target variable of its Post neurons
// after the synapse's delay, as Brian2's Synapses(on_pre='ge += w',
// delay=...). Connectivity is Synapses when set, else random: each of the
// NPre×NPost ordered pairs, self-pairs included, is connected with
// probability P independently, as Brian2's connect(p=P).
type Projection struct {
	// Pre and Post name groups of the Config.
	Pre, Post string
	// Target is the variable the synapses add to.
	Target Target
	// P is the connection probability of random connectivity.
	P float64
	// Weight is added to the target at each presynaptic spike: volts for
	// Current neurons, a dimensionless conductance (≥ 0) for Conductance
	// ones. Inhibition in current-based networks is a negative weight.
	Weight float64
	// Delay is the synaptic delay (seconds), rounded to whole steps.
	// With random connectivity and DelayMax > Delay, each synapse draws
	// its own delay uniformly in [Delay, DelayMax].
	Delay, DelayMax float64
	// Synapses, when not nil, is explicit connectivity (it is copied).
	Synapses *CSR
}

// Target is the synaptic variable a projection adds to.
type Target int

const (
	// Exc adds to ge.
	Exc Target = iota
	// Inh adds to gi.
	Inh
)

// blockRows is the number of presynaptic rows drawn from one random
// stream, so that connectivity can be drawn in parallel and still depend
// only on the seed.
const blockRows = 256

// proj is a built projection.
type proj struct {
	pre, post           int   // group indices
	preStart, postStart int32 // global index of the groups' first neurons
	target              Target
	rowptr              []int
	col                 []int32 // global target indices, ascending in each row
	w                   []float64
	weight              float64
	d                   []uint16 // per-synapse delay in steps (nil: delay)
	delay               int
	maxDelay            int
	// split[r*(W+1)+k] is the first synapse of row r whose target belongs
	// to worker k or a later one (targets ascend in each row).
	split []int
}

// drawRows fills rows [r0, r1) of a random projection with targets in
// [0, m) with probability p, appending to col (local indices) and
// delays (steps, when dmax > dmin), and writes the row lengths to cnt.
func drawRows(rng *rand.Rand, r0, r1, m int, p float64, dmin, dmax int, cnt []int, col []int32, d []uint16) ([]int32, []uint16) {
	lq := math.Log1p(-p)
	for r := r0; r < r1; r++ {
		n0 := len(col)
		switch {
		case p >= 1:
			for j := range m {
				col = append(col, int32(j))
			}
		case p > 0:
			// Geometric skipping: the gap to the next connected target.
			j := -1
			for {
				g := math.Floor(math.Log(1-rng.Float64()) / lq)
				if g >= float64(m) {
					break
				}
				j += 1 + int(g)
				if j >= m {
					break
				}
				col = append(col, int32(j))
			}
		}
		if dmax > dmin {
			for range len(col) - n0 {
				d = append(d, uint16(dmin+rng.IntN(dmax-dmin+1)))
			}
		}
		cnt[r-r0] = len(col) - n0
	}
	return col, d
}

// sortRows sorts each row of an explicit projection by target, carrying
// weights and delays along.
func sortRows(p *proj) {
	for r := 0; r+1 < len(p.rowptr); r++ {
		a, b := p.rowptr[r], p.rowptr[r+1]
		if slices.IsSorted(p.col[a:b]) {
			continue
		}
		idx := make([]int, b-a)
		for i := range idx {
			idx[i] = a + i
		}
		sort.SliceStable(idx, func(x, y int) bool { return p.col[idx[x]] < p.col[idx[y]] })
		col := make([]int32, len(idx))
		for i, k := range idx {
			col[i] = p.col[k]
		}
		copy(p.col[a:b], col)
		if p.w != nil {
			w := make([]float64, len(idx))
			for i, k := range idx {
				w[i] = p.w[k]
			}
			copy(p.w[a:b], w)
		}
		if p.d != nil {
			d := make([]uint16, len(idx))
			for i, k := range idx {
				d[i] = p.d[k]
			}
			copy(p.d[a:b], d)
		}
	}
}

// checkCSR validates explicit connectivity between groups of npre and
// npost neurons; name locates the projection in messages.
func checkCSR(c *CSR, npre, npost int, name string, dt float64, conductance bool) error {
	if len(c.RowPtr) != npre+1 {
		return fmt.Errorf("%w: %s: CSR has %d row pointers, want NPre+1 = %d", ErrParam, name, len(c.RowPtr), npre+1)
	}
	if c.RowPtr[0] != 0 || c.RowPtr[npre] != len(c.Col) {
		return fmt.Errorf("%w: %s: CSR row pointers run from %d to %d, want 0 to len(Col) = %d", ErrParam, name, c.RowPtr[0], c.RowPtr[npre], len(c.Col))
	}
	for r := range npre {
		if c.RowPtr[r+1] < c.RowPtr[r] {
			return fmt.Errorf("%w: %s: CSR row pointers decrease at row %d", ErrParam, name, r)
		}
	}
	for k, j := range c.Col {
		if j < 0 || int(j) >= npost {
			return fmt.Errorf("%w: %s: synapse %d targets neuron %d of a group of %d", ErrParam, name, k, j, npost)
		}
	}
	if c.Weight != nil {
		if len(c.Weight) != len(c.Col) {
			return fmt.Errorf("%w: %s: %d weights for %d synapses", ErrParam, name, len(c.Weight), len(c.Col))
		}
		for k, w := range c.Weight {
			if !finite(w) || math.Abs(w) > MaxWeight || (conductance && w < 0) {
				return fmt.Errorf("%w: %s: synapse %d has weight %g (want |w| ≤ %g, ≥ 0 onto conductances)", ErrParam, name, k, w, float64(MaxWeight))
			}
		}
	}
	if c.Delay != nil {
		if len(c.Delay) != len(c.Col) {
			return fmt.Errorf("%w: %s: %d delays for %d synapses", ErrParam, name, len(c.Delay), len(c.Col))
		}
		for k, d := range c.Delay {
			if !finite(d) || d < 0 || d/dt > maxDelaySteps {
				return fmt.Errorf("%w: %s: synapse %d has delay %g s (want 0 to %g s)", ErrParam, name, k, d, maxDelaySteps*dt)
			}
		}
	}
	return nil
}

// maxDelaySteps bounds delays so that the pending-input ring buffer stays
// small and a delay fits in a uint16.
const maxDelaySteps = 10000

// delaySteps rounds a delay to steps: to the nearest, ties to even, as
// np.round in the spike queue of Brian2's runtime targets.
func delaySteps(d, dt float64) int { return int(math.RoundToEven(d / dt)) }
