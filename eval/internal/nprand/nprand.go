// Package nprand reproduces the draws of NumPy's legacy
// numpy.random.RandomState (NumPy 1.24) that bcikit's evaluation needs, so
// that cross-validation folds and permutation tests seeded with the same
// integer are exactly scikit-learn's and MOABB's.
//
// The generator is MT19937 (Matsumoto & Nishimura 1998) with the classic
// init_genrand seeding that RandomState(seed) uses for an integer seed
// (numpy/random/src/mt19937/mt19937.c: mt19937_seed). The draws follow
// numpy/random/src/distributions/distributions.c: random_interval (the
// masked rejection sampler of RandomState.shuffle/permutation) and
// random_bounded_uint64_fill with use_masked=True (RandomState.randint,
// hence choice with replacement).
package nprand

const (
	n         = 624
	m         = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// RandomState is NumPy's legacy random state seeded with an integer.
type RandomState struct {
	key [n]uint32
	pos int
}

// New returns the state of numpy.random.RandomState(seed).
func New(seed uint32) *RandomState {
	r := &RandomState{}
	s := seed
	for i := range n {
		r.key[i] = s
		s = 1812433253*(s^(s>>30)) + uint32(i) + 1
	}
	r.pos = n
	return r
}

// generate refills the state (mt19937_gen).
func (r *RandomState) generate() {
	k := &r.key
	var i int
	for ; i < n-m; i++ {
		y := (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+m] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	for ; i < n-1; i++ {
		y := (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+(m-n)] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	y := (k[n-1] & upperMask) | (k[0] & lowerMask)
	k[n-1] = k[m-1] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	r.pos = 0
}

// Uint32 returns the next 32-bit output (mt19937_next32).
func (r *RandomState) Uint32() uint32 {
	if r.pos == n {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns the next 64-bit output: two 32-bit outputs, high first.
func (r *RandomState) Uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}

// Float64 returns random_sample(): a 53-bit uniform value in [0, 1).
func (r *RandomState) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// mask returns the smallest all-ones bit mask ≥ max.
func mask(max uint64) uint64 {
	v := max
	v |= v >> 1
	v |= v >> 2
	v |= v >> 4
	v |= v >> 8
	v |= v >> 16
	v |= v >> 32
	return v
}

// Interval returns a uniform value in [0, max] by masked rejection
// (random_interval), as RandomState.shuffle draws its swap positions.
func (r *RandomState) Interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mk := mask(max)
	if max <= 0xffffffff {
		for {
			if v := uint64(r.Uint32()) & mk; v <= max {
				return v
			}
		}
	}
	for {
		if v := r.Uint64() & mk; v <= max {
			return v
		}
	}
}

// Shuffle permutes x in place as RandomState.shuffle does a 1-d array
// (Fisher-Yates from the end, positions from Interval).
func Shuffle[T any](r *RandomState, x []T) {
	for i := len(x) - 1; i > 0; i-- {
		j := r.Interval(uint64(i))
		x[i], x[j] = x[j], x[i]
	}
}

// Permutation returns RandomState.permutation(n): a shuffled 0, …, n−1.
func (r *RandomState) Permutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	Shuffle(r, p)
	return p
}

// Bounded returns a uniform value in [0, rng] as one element of
// RandomState.randint(low, low+rng+1, size=...) with the default int64
// dtype (random_bounded_uint64_fill, masked rejection).
func (r *RandomState) Bounded(rng uint64) uint64 {
	switch {
	case rng == 0:
		return 0
	case rng == 0xffffffff:
		return uint64(r.Uint32())
	case rng < 0xffffffff:
		mk := mask(rng)
		for {
			if v := uint64(r.Uint32()) & mk; v <= rng {
				return v
			}
		}
	case rng == 0xffffffffffffffff:
		return r.Uint64()
	}
	mk := mask(rng)
	for {
		if v := r.Uint64() & mk; v <= rng {
			return v
		}
	}
}
