package edf

import (
	"github.com/bcikit/bcikit/spectral/fft"
)

// A signal with fewer samples per record than the fastest one is brought
// to the common rate one record at a time, as MNE-Python 1.3 does in
// mne/io/edf/edf.py (_read_segment_file):
//
//   - data signals go through mne.filter.resample(x, up=m, down=n,
//     npad=0) with its default boxcar window: the record's real FFT,
//     the Nyquist bin halved (n even), scaled by m/n, zero-padded and
//     inverse-transformed to m points. Resampling each record on its own
//     gives edge effects at record boundaries; MNE has them too.
//   - stim channels are held (scipy.interpolate.interp1d kind='zero' over
//     numpy.linspace knots): output sample j takes input sample i, the
//     last with i/n <= j/m, computed in the same floating point.

// upsampler resamples records of n samples to m samples by FFT. It holds
// its workspaces, so resampling allocates nothing. spectral/fft plans any
// length in O(n log n) (Bluestein for large prime factors, as pocketfft),
// so a record of a prime number of samples costs no more than another.
type upsampler struct {
	n, m     int
	fwd, inv *fft.Real
	coef     []complex128 // m/2+1 coefficients (first n/2+1 used for input)
	in       []complex128 // n/2+1
}

func newUpsampler(n, m int) *upsampler {
	return &upsampler{
		n: n, m: m,
		fwd:  fft.NewReal(n),
		inv:  fft.NewReal(m),
		coef: make([]complex128, m/2+1),
		in:   make([]complex128, n/2+1),
	}
}

// resample writes the m-point resampling of x (len n) to y (len m).
func (u *upsampler) resample(y, x []float64) {
	n, m := u.n, u.m
	X := u.fwd.Coefficients(u.in, x)
	// MNE: use_len is the shorter length; its Nyquist bin is halved when
	// upsampling and doubled when downsampling (then cut off by irfft).
	use := n
	factor := complex(0.5, 0)
	if m < n {
		use, factor = m, 2
	}
	if use%2 == 0 && use/2 < len(X) {
		X[use/2] *= factor
	}
	scale := complex(float64(m)/float64(n), 0)
	c := u.coef
	k := min(len(X), len(c))
	for i := 0; i < k; i++ {
		c[i] = X[i] * scale
	}
	clear(c[k:])
	if m%2 == 0 {
		// irfft ignores the imaginary part of the Nyquist bin.
		c[len(c)-1] = complex(real(c[len(c)-1]), 0)
	}
	u.inv.Sequence(y, c)
	inv := 1 / float64(m)
	for i := range y {
		y[i] *= inv
	}
}

// hold writes the zero-order hold of x (len n) at len(y) points to y, as
// interp1d(linspace(0, 1, n+1), append(x, 0), kind='zero') evaluated at
// linspace(0, 1, len(y), endpoint=False).
func hold(y, x []float64) {
	n, m := len(x), len(y)
	stepOld := 1 / float64(n)
	stepNew := 1 / float64(m)
	i := 0
	for j := range y {
		t := float64(j) * stepNew
		for i+1 < n && float64(i+1)*stepOld <= t {
			i++
		}
		y[j] = x[i]
	}
}
