package riemann

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// The matrix functions below follow pyRiemann 0.6's _matrix_operator
// (pyriemann/utils/base.py): f(C) = V·diag(f(λ))·Vᵀ from the symmetric
// eigen decomposition C = V·diag(λ)·Vᵀ. Each writes its result into dst
// and returns it: a nil dst is allocated, an empty one resized, and a dst
// of another size makes the function panic. dst may be a. For a matrix
// that is not positive definite the result holds what the scalar function
// gives (NaN for the square root or logarithm of a negative eigenvalue),
// as NumPy does; a matrix holding NaN or ±Inf gives an all-NaN result.

// Sqrtm returns the principal square root C^½ of the SPD matrix a.
func Sqrtm(dst, a *mat.SymDense) *mat.SymDense { return symFunc(dst, a, fnSqrt) }

// InvSqrtm returns C^-½, the inverse of the principal square root of the
// SPD matrix a.
func InvSqrtm(dst, a *mat.SymDense) *mat.SymDense { return symFunc(dst, a, fnInvSqrt) }

// Logm returns the principal logarithm of the SPD matrix a.
func Logm(dst, a *mat.SymDense) *mat.SymDense { return symFunc(dst, a, fnLog) }

// Expm returns the exponential of the symmetric matrix a (any sign).
func Expm(dst, a *mat.SymDense) *mat.SymDense { return symFunc(dst, a, fnExp) }

// Powm returns C^p for the SPD matrix a and a real power p, with each
// eigenvalue raised by math.Pow.
func Powm(dst, a *mat.SymDense, p float64) *mat.SymDense {
	return symFunc(dst, a, func(x float64) float64 { return math.Pow(x, p) })
}

func symFunc(dst, a *mat.SymDense, f func(float64) float64) *mat.SymDense {
	n := a.SymmetricDim()
	dst = useSym(dst, n)
	if n == 0 {
		return dst
	}
	s := getWS(n)
	defer putWS(s)
	ar := a.RawSymmetric()
	dr := dst.RawSymmetric()
	if !s.eigen(ar.Data, ar.Stride, true) {
		for i := range n {
			for j := i; j < n; j++ {
				dr.Data[i*dr.Stride+j] = math.NaN()
			}
		}
		return dst
	}
	s.apply(dr.Data, dr.Stride, f)
	return dst
}
