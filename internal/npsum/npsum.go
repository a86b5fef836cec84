// Package npsum sums float64 slices in exactly the order NumPy does
// (pairwise summation, numpy/core/src/umath/loops_utils.h.src), so that
// means and sums computed by bcikit are bit-identical to NumPy's. That
// matters where a result is compared with a threshold, as in epoch
// rejection, and keeps the error of long sums at O(log n) ulps.
package npsum

// blockSize is NumPy's PW_BLOCKSIZE.
const blockSize = 128

// Sum returns the sum of x as numpy.sum does along a contiguous axis.
func Sum(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	case n <= blockSize:
		var r [8]float64
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += x[i]
			r[1] += x[i+1]
			r[2] += x[i+2]
			r[3] += x[i+3]
			r[4] += x[i+4]
			r[5] += x[i+5]
			r[6] += x[i+6]
			r[7] += x[i+7]
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += x[i]
		}
		return s
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return Sum(x[:n2]) + Sum(x[n2:])
	}
}

// Mean returns Sum(x)/len(x), as numpy.mean; NaN for an empty x.
func Mean(x []float64) float64 {
	return Sum(x) / float64(len(x))
}
