package gdf

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// MNE brings channels sampled slower than the recording's rate up to it one
// record at a time (mne.io.edf.edf._read_segment_file): data channels with
// mne.filter.resample (FFT, boxcar window, no padding), stim channels with
// a zero-order hold (scipy.interpolate.interp1d(kind="zero")). The two
// types below do the same for one record.

// resampler is MNE's FFT resampling (mne.cuda._fft_resample with npad=0)
// from n to m samples, with its workspace.
type resampler struct {
	n, m     int
	from, to realDFT
	coef     []complex128 // spectrum of the input, n/2+1 bins
	ext      []complex128 // spectrum handed to the inverse, m/2+1 bins
}

func newResampler(n, m int) *resampler {
	return &resampler{
		n: n, m: m,
		from: newRealDFT(n), to: newRealDFT(m),
		coef: make([]complex128, n/2+1), ext: make([]complex128, m/2+1),
	}
}

// apply resamples src (n samples) into dst (m samples).
func (r *resampler) apply(dst, src []float64) {
	if len(src) != r.n || len(dst) != r.m {
		panic("gdf: resampler: length mismatch")
	}
	c := r.from.Coefficients(r.coef, src)
	// The bin at the Nyquist frequency of the shorter length is split
	// between the positive and negative halves of the spectrum.
	shorter := r.m < r.n
	use := r.n
	if shorter {
		use = r.m
	}
	if use%2 == 0 {
		if shorter {
			c[use/2] *= 2
		} else {
			c[use/2] *= 0.5
		}
	}
	w := complex(float64(r.m)/float64(r.n), 0)
	for i := range r.ext {
		if i < len(c) {
			r.ext[i] = c[i] * w
		} else {
			r.ext[i] = 0
		}
	}
	r.to.Sequence(dst, r.ext)
	inv := 1 / float64(r.m)
	for i := range dst {
		dst[i] *= inv
	}
}

// realDFT is an unnormalized real DFT of one length with gonum's
// conventions: Coefficients gives the n/2+1 bins of exp(-2πi jk/n);
// Sequence inverts them without the 1/n, ignoring the imaginary parts of
// the DC and (even n) Nyquist bins.
type realDFT interface {
	Coefficients(dst []complex128, seq []float64) []complex128
	Sequence(dst []float64, coeff []complex128) []float64
}

// maxFactor is the largest prime factor for which gonum's FFT (FFTPACK,
// whose cost grows with n times the prime factors) is used; longer primes
// go through Bluestein's algorithm so that a record of a large prime
// length costs O(n log n), not O(n²).
const maxFactor = 61

func newRealDFT(n int) realDFT {
	if largestFactor(n) <= maxFactor {
		return fourier.NewFFT(n)
	}
	return newBluestein(n)
}

// largestFactor returns the largest prime factor of n > 0 (1 for n = 1).
func largestFactor(n int) int {
	f := 1
	for p := 2; p*p <= n; p++ {
		for n%p == 0 {
			f, n = p, n/p
		}
	}
	return max(f, n)
}

// bluestein computes a DFT of any length n as a convolution of power-of-two
// length (Bluestein's chirp-z algorithm).
type bluestein struct {
	n     int
	chirp []complex128 // exp(-πi j²/n)
	fft   *fourier.CmplxFFT
	kern  []complex128 // spectrum of the conjugate chirp, wrapped
	work  []complex128
	full  []complex128
}

func newBluestein(n int) *bluestein {
	m := 1
	for m < 2*n-1 {
		m *= 2
	}
	b := &bluestein{
		n: n, chirp: make([]complex128, n), fft: fourier.NewCmplxFFT(m),
		kern: make([]complex128, m), work: make([]complex128, m), full: make([]complex128, n),
	}
	for j := range b.chirp {
		// j² mod 2n keeps the angle exact for large j.
		jj := (uint64(j) * uint64(j)) % uint64(2*n)
		b.chirp[j] = cmplx.Exp(complex(0, -math.Pi*float64(jj)/float64(n)))
	}
	b.kern[0] = cmplx.Conj(b.chirp[0])
	for j := 1; j < n; j++ {
		b.kern[j] = cmplx.Conj(b.chirp[j])
		b.kern[m-j] = cmplx.Conj(b.chirp[j])
	}
	b.fft.Coefficients(b.kern, b.kern)
	return b
}

// dft replaces x (length n) with its forward DFT.
func (b *bluestein) dft(x []complex128) {
	w := b.work
	for j := range w {
		if j < b.n {
			w[j] = x[j] * b.chirp[j]
		} else {
			w[j] = 0
		}
	}
	b.fft.Coefficients(w, w)
	for j := range w {
		w[j] *= b.kern[j]
	}
	b.fft.Sequence(w, w)
	scale := complex(1/float64(len(w)), 0)
	for k := range x {
		x[k] = w[k] * scale * b.chirp[k]
	}
}

// Coefficients implements realDFT.
func (b *bluestein) Coefficients(dst []complex128, seq []float64) []complex128 {
	for j, v := range seq {
		b.full[j] = complex(v, 0)
	}
	b.dft(b.full)
	copy(dst, b.full[:b.n/2+1])
	return dst
}

// Sequence implements realDFT.
func (b *bluestein) Sequence(dst []float64, coeff []complex128) []float64 {
	n := b.n
	y := b.full
	// The inverse is the conjugate of the forward DFT of the conjugate
	// Hermitian spectrum; only its real part is wanted.
	y[0] = complex(real(coeff[0]), 0)
	for k := 1; k < len(coeff); k++ {
		y[k] = cmplx.Conj(coeff[k])
		y[n-k] = coeff[k]
	}
	if n%2 == 0 {
		y[n/2] = complex(real(coeff[n/2]), 0)
	}
	b.dft(y)
	for j := range dst {
		dst[j] = real(y[j])
	}
	return dst
}

// holdIndex returns, for each of the m output samples of a record, the input
// sample (of n) that scipy's zero-order interp1d picks when MNE maps n
// samples on np.linspace(0, 1, n+1) (a trailing 0 appended) onto
// np.linspace(0, 1, m, endpoint=False): the last input whose abscissa is at
// or before the output's, computed in the same floating-point steps. An
// index of n stands for the appended 0.
func holdIndex(n, m int) []int {
	stepOld := 1 / float64(n)
	stepNew := 1 / float64(m)
	old := func(i int) float64 {
		if i >= n {
			return 1
		}
		return float64(i) * stepOld
	}
	idx := make([]int, m)
	l := 0
	for j := range idx {
		x := float64(j) * stepNew
		for l < n && old(l+1) <= x {
			l++
		}
		idx[j] = l
	}
	return idx
}
