// Package f32 holds the float32 kernels of bcikit's neural-network engine:
//
//   - [Gemm] and [GemmSerial], a row-major SGEMM (BLAS semantics, packed
//     and cache-blocked around a 4×48 register-blocked micro-kernel (AVX-512,
//     or two 4×24 halves in AVX2), with a
//     no-packing dot-product path for A·Bᵀ over long k);
//   - [Conv1D], a convolution layer's forward pass and both gradients for
//     one input row and a bank of filters spanning one row (the temporal
//     convolutions of EEGNet, ShallowConvNet and EEGNeX), multiplying the
//     zero-padded row as a Toeplitz matrix in place instead of an im2col
//     copy; [Correlate], [CorrelateGradInput] and [CorrelateGradKernel]
//     for a single filter;
//   - vector helpers for layers and optimisers: [Dot], [Axpy], [Add],
//     [AddScaled], [Scale], [Mul], [ScaleShift], [LinComb]; [Sum],
//     [SumDot], [MeanVar] (batch normalisation, in float64); [ELU],
//     [ELUBackward]; the fused [AdamStep].
//
// On amd64 processors with AVX2 and FMA the hot kernels run in assembly,
// with AVX-512 versions of the matrix kernels where the processor has
// AVX-512F and VL; elsewhere, or when [Generic] is set, portable Go loops
// compute the same results to float32 rounding (the order of the
// additions differs, and the assembly fuses multiply-adds). The tests
// check every path against float64 references, and the layer kernels
// against PyTorch 1.13 (testdata/gen/torch_ref.py); speed against PyTorch
// is measured by testdata/compare/compare_torch.sh.
//
// Nothing allocates per call in steady state: scratch memory comes from
// sync.Pools or from a reused [Conv1D].
//
// Length mismatches between slices the caller built are programming
// errors and panic with an "f32: ..." message, as gonum's blas does.
package f32
