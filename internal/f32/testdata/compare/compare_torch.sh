#!/usr/bin/env bash
# compare_torch.sh — time internal/f32's kernels and PyTorch 1.13 (Debian
# python3-torch) on the same work in one run, and print the ratios.
#
#   internal/f32/testdata/compare/compare_torch.sh [THREADS]   (default 2)
#
# Work: EEGNet's temporal convolution on a batch of 64 trials × 64
# channels × 480 samples (8 filters × 64 taps, "same"), forward and weight
# gradient (Go: BenchmarkEEGNetConv1 with Conv1D; PyTorch: Conv2d(1, 8,
# (1, 64))), and a 256³ matrix product (Go: BenchmarkGemm/256; PyTorch:
# a @ b). Go and PyTorch run alternately twice and the best time of each
# is kept, so load from other jobs on a shared machine hits both alike;
# uptime is printed before and after: say so in any report when the
# machine was loaded.
set -euo pipefail
threads="${1:-2}"
if ! [[ "$threads" =~ ^[1-9][0-9]*$ ]]; then
	echo "compare_torch: THREADS must be a positive integer, got '$threads'" >&2
	exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
uptime
declare -A best
keep() { # name ms
	if [[ -z "${best[$1]:-}" ]] || awk "BEGIN{exit !($2 < ${best[$1]})}"; then best[$1]="$2"; fi
}
for round in 1 2; do
	# Go: ns/op of each benchmark run (-count: the best is kept), in ms.
	while read -r name ns; do
		keep "go-$name" "$(awk -v n="$ns" 'BEGIN{printf "%.4f", n/1e6}')"
	done < <(
		{
			GOMAXPROCS="$threads" go test -run '^$' -count 3 -benchtime 5x -bench "EEGNetConv1/.*/workers=$threads\$" .
			GOMAXPROCS="$threads" go test -run '^$' -count 20 -benchtime 20x -bench "Gemm/256/cores=$threads\$" .
		} | awk '/^Benchmark/ {
			if ($1 ~ /Forward/) k = "conv1-forward"; else if ($1 ~ /GradKernel/) k = "conv1-weightgrad"; else k = "matmul256"
			print k, $3 }'
	)
	while read -r name ms; do
		keep "py-$name" "$ms"
	done < <(OMP_NUM_THREADS="$threads" /usr/bin/python3 "$here/compare_torch.py" "$threads")
done
uptime
for k in conv1-forward conv1-weightgrad matmul256; do
	awk -v k="$k" -v g="${best[go-$k]}" -v p="${best[py-$k]}" -v t="$threads" 'BEGIN{
		printf "%-17s %d threads: f32 %9.3f ms, PyTorch %9.3f ms, ratio f32/PyTorch %.2f\n", k, t, g, p, g/p }'
done
