#!/usr/bin/env bash
# compare_nn.sh — time one training epoch of a neural decoder in bcikit and
# in PyTorch 1.13 (Debian python3-torch) in the same run, with the same
# number of threads, and print the ratio.
#
#   bench/compare_nn.sh [-m eegnet|shallow|eegnex] [-t THREADS] [-n TRIALS] [-e EPOCHS]
#
# Both sides train the same network (nn/models; PyTorch: testdata/gen/
# nn_models.py) on TRIALS (default 1024) random trials of 64 channels × 480
# samples, batch 64, Adam (lr 1e-3), cross-entropy, training mode; one
# warm-up epoch, then EPOCHS (default 2) timed epochs, averaged. THREADS
# (default 2) is GOMAXPROCS for bcikit and torch.set_num_threads for
# PyTorch. The two sides run one after the other, twice (Go, PyTorch, Go,
# PyTorch), and the best time of each is kept, so that load from other jobs
# on a shared machine hits both alike; say in any report that the machine
# was loaded if it was (uptime is printed).
#
# The goal of issue 5: bcikit faster than PyTorch per epoch for EEGNet-8,2
# (ratio below 1).
set -euo pipefail

model=eegnet threads=2 trials=1024 epochs=2
while getopts "m:t:n:e:h" opt; do
	case "$opt" in
	m) model="$OPTARG" ;;
	t) threads="$OPTARG" ;;
	n) trials="$OPTARG" ;;
	e) epochs="$OPTARG" ;;
	h) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-m MODEL] [-t THREADS] [-n TRIALS] [-e EPOCHS]" >&2; exit 2 ;;
	esac
done
for v in "$threads" "$trials" "$epochs"; do
	if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then
		echo "compare_nn: -t, -n and -e need positive integers, got '$v'" >&2
		exit 2
	fi
done
cd "$(dirname "$0")/.."
bin="$(mktemp -d)/bcikit"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/bcikit
py=/usr/bin/python3

args=(--model "$model" --trials "$trials" --epochs "$epochs" --threads "$threads")
best_go="" best_py=""
uptime
for round in 1 2; do
	go_line="$("$bin" nn time "${args[@]}")"
	echo "$go_line"
	py_line="$(OMP_NUM_THREADS="$threads" "$py" bench/compare_nn.py "${args[@]}")"
	echo "$py_line"
	g="$(sed -E 's/.*: ([0-9.]+) s\/epoch.*/\1/' <<<"$go_line")"
	p="$(sed -E 's/.*: ([0-9.]+) s\/epoch.*/\1/' <<<"$py_line")"
	if [[ -z "$best_go" ]] || awk "BEGIN{exit !($g < $best_go)}"; then best_go="$g"; fi
	if [[ -z "$best_py" ]] || awk "BEGIN{exit !($p < $best_py)}"; then best_py="$p"; fi
done
uptime
awk -v g="$best_go" -v p="$best_py" -v m="$model" -v t="$threads" 'BEGIN{
	printf "%s, %d threads: bcikit %.3f s/epoch, PyTorch %.3f s/epoch, ratio bcikit/PyTorch %.2f (%s)\n",
		m, t, g, p, g/p, (g < p ? "bcikit faster" : "PyTorch faster")
}'
