// Package f32 holds the float32 kernels of bcikit's neural-network engine:
// a row-major SGEMM ([Gemm]), the 1-D correlation kernels of temporal
// convolutions and their gradients ([Correlate], [CorrelateGradInput],
// [CorrelateGradKernel]), and fused vector helpers for layers and
// optimisers ([Axpy], [Dot], [AdamStep], ...).
//
// On amd64 processors with AVX2 and FMA the hot kernels run in assembly;
// elsewhere, or when [Generic] is set, portable Go loops compute the same
// results (to float32 rounding: the order of the additions differs).
//
// Length mismatches between slices the caller built are programming
// errors and panic with an "f32: ..." message, as gonum's blas does.
package f32
