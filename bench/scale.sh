#!/usr/bin/env bash
# scale.sh — measure `bcikit bench --nats` on this machine with 1, 2 and 4
# workers: tasks per second and end-to-end time, beside the same run
# in-process (`bcikit bench --workers N`), and check that every run gives
# the in-process CSV (every column but the time).
#
#   bash bench/scale.sh [-d DATASET] [-s SUBJECTS] [-p PIPELINES] [-w "1 2 4"] [-k] [-o DIR]
#
# Defaults: ssvep-exo, every subject present under $BCIKIT_DATA (default
# ../shared/data beside the repository root), the dataset's default
# pipelines. For each worker count N a fresh embedded server (bcikit
# cluster, its own store, so nothing is reused from an earlier run) and N
# worker processes of one task each (--concurrency 1) are started; the
# time is `bcikit bench --nats` from start to exit: publishing, every task
# (each worker loads the subjects it meets itself) and the CSV. The binary is
# built beforehand and its build is not timed. On a shared machine the
# numbers move with the load: compare the columns of one run, not runs.
#
# Printed: one row per N with the tasks, the end-to-end seconds and tasks/s
# over NATS, the in-process seconds with --workers N, and their ratio.
# Exit status 1 when a CSV differs from the in-process one; 2 on a usage
# error.
#
#   -k      with 2 workers or more, kill one with SIGKILL in the middle of
#           its first task: its task goes to another worker after the
#           ack wait (15 s), and the CSV must still equal the in-process one
#   -o DIR  keep the CSVs and the logs in DIR (default: removed)
set -euo pipefail

dataset=ssvep-exo subjects="" pipelines="" counts="1 2 4" keep="" kill=""
while getopts "d:s:p:w:ko:h" opt; do
	case "$opt" in
	d) dataset="$OPTARG" ;;
	s) subjects="$OPTARG" ;;
	p) pipelines="$OPTARG" ;;
	w) counts="$OPTARG" ;;
	k) kill=1 ;;
	o) keep="$OPTARG" ;;
	h) sed -n '2,28p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-d DATASET] [-s SUBJECTS] [-p PIPELINES] [-w \"1 2 4\"] [-k] [-o DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "usage: $0 [-d DATASET] [-s SUBJECTS] [-p PIPELINES] [-w \"1 2 4\"] [-k] [-o DIR]" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BCIKIT_DATA="${BCIKIT_DATA:-$root/../shared/data}"
work="$(mktemp -d)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [[ -n "$keep" ]]; then
		mkdir -p "$keep" && cp -r "$work"/. "$keep"/
	fi
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && go build -o "$work/bcikit" ./cmd/bcikit)
bin="$work/bcikit"
args=(bench --dataset "$dataset")
[[ -n "$subjects" ]] && args+=(--subjects "$subjects")
[[ -n "$pipelines" ]] && args+=(--pipelines "$pipelines")

# seconds runs "$@" and prints its wall-clock seconds.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

# same compares two CSVs without their time column (the 2nd).
same() {
	cmp -s <(cut -d, -f1,3- "$1") <(cut -d, -f1,3- "$2")
}

status=0
printf "%s, load %s, %s core(s)\n" "$dataset" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
printf "%8s %7s %12s %9s %14s %7s %s\n" workers tasks "nats e2e s" "tasks/s" "in-process s" ratio csv
for n in $counts; do
	local_s=$(seconds "$bin" "${args[@]}" --quiet --workers "$n" --out "$work/local-$n.csv")

	"$bin" cluster --listen 127.0.0.1:0 --store "$work/store-$n" >"$work/cluster-$n.log" 2>&1 &
	server=$!
	pids+=("$server")
	url=""
	for _ in $(seq 100); do
		url=$(grep -o 'nats://[0-9.:]*' "$work/cluster-$n.log" | head -1 || true)
		[[ -n "$url" ]] && break
		sleep 0.1
	done
	[[ -n "$url" ]] || { echo "the server did not start: $(cat "$work/cluster-$n.log")" >&2; exit 1; }
	workers=()
	for i in $(seq "$n"); do
		"$bin" worker --nats "$url" --concurrency 1 --name "w$i" >"$work/worker-$n-$i.log" 2>&1 &
		workers+=($!)
		pids+=($!)
	done
	t0=$(date +%s.%N)
	"$bin" "${args[@]}" --nats "$url" --out "$work/nats-$n.csv" >/dev/null 2>"$work/bench-$n.log" &
	bench=$!
	killed=""
	if [[ -n "$kill" && $n -ge 2 ]]; then
		for _ in $(seq 600); do
			if grep -q "start " "$work/worker-$n-1.log"; then
				kill -9 "${workers[0]}" && killed=" (w1 killed: $(grep -m1 -o 'start [^ ]*' "$work/worker-$n-1.log"))"
				wait "${workers[0]}" 2>/dev/null || true
				break
			fi
			sleep 0.01
		done
	fi
	wait "$bench"
	t1=$(date +%s.%N)
	nats_s=$(echo "$t1 - $t0" | bc -l)
	tasks=$(grep -o 'publishing [0-9]*' "$work/bench-$n.log" | grep -o '[0-9]*' || echo 0)
	kill "${workers[@]}" "$server" 2>/dev/null || true
	wait "${workers[@]}" "$server" 2>/dev/null || true

	ok=same
	if ! same "$work/local-$n.csv" "$work/nats-$n.csv"; then
		ok=DIFFERENT
		status=1
	fi
	printf "%8d %7d %12.2f %9.1f %14.2f %7.2f %s%s\n" "$n" "$tasks" "$nats_s" "$(echo "$tasks / $nats_s" | bc -l)" \
		"$local_s" "$(echo "$nats_s / $local_s" | bc -l)" "$ok" "$killed"
done
exit $status
