#!/usr/bin/env bash
# compare_snn.sh — run the CUBA benchmark network (Brian2's examples/CUBA.py:
# 4000 LIF neurons, p = 0.02, exact integration, dt 0.1 ms, 1 s) in Brian2
# 2.5 and in bcikit in one run, and print run times, their ratios, and the
# network statistics of both.
#
#   bash bench/compare_snn.sh [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS]
#
#   -s SEEDS    seeds 1..SEEDS (default 3)
#   -t TARGETS  Brian2 targets, comma-separated, of standalone (C++
#               standalone, needs g++), cython, numpy (default all three)
#   -d SECONDS  simulated time (default 1)
#   -n NEURONS  network size (default 4000)
#
# Brian2 side: /usr/bin/python3 bench/compare_snn.py, one process per seed
# and target. Its run time is Brian2's own measure of the simulation loop
# (device._last_run_time), so code generation and the C++/Cython compile
# steps are excluded; their total is printed beside it. The standalone
# project is kept in one directory for all seeds, so later seeds recompile
# only the changed main file.
# bcikit side: `bcikit snn cuba --json` (built beforehand, build not timed),
# its run time is the simulation loop alone (building the network is printed
# apart), with the default workers and with --workers 1.
#
# Printed: per target, mean run time over the seeds and the ratio
# Brian2 / bcikit (above 1: bcikit is faster); mean rate and ISI CV of each
# side and their relative difference; the load average, since the machine
# may be shared. Exit status 2 on a usage error.
set -euo pipefail

seeds=3 targets=standalone,cython,numpy dur=1 neurons=4000
while getopts "s:t:d:n:h" opt; do
	case "$opt" in
	s) seeds="$OPTARG" ;;
	t) targets="$OPTARG" ;;
	d) dur="$OPTARG" ;;
	n) neurons="$OPTARG" ;;
	h) sed -n '2,29p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "usage: $0 [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS]" >&2; exit 2; }
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || { echo "$0: -s $seeds: want a positive integer" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/bcikit" ./cmd/bcikit)
out="$tmp/results.jsonl"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for s in $(seq 1 "$seeds"); do
	for w in 0 1; do
		"$tmp/bcikit" snn cuba --json --seed "$s" --duration "$dur" --neurons "$neurons" --workers "$w" |
			sed "s/^{/{\"side\":\"bcikit\",\"w\":$w,/" >>"$out"
	done
	IFS=, read -ra ts <<<"$targets"
	for t in "${ts[@]}"; do
		/usr/bin/python3 "$root/bench/compare_snn.py" --target "$t" --seed "$s" --duration "$dur" \
			--neurons "$neurons" --dir "$tmp/standalone" 2>"$tmp/py.log" |
			sed 's/^{/{"side":"brian2",/' >>"$out" || { cat "$tmp/py.log" >&2; exit 1; }
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
go = [r for r in rows if r['side'] == 'bcikit' and r['w'] == 0]
go1 = [r for r in rows if r['side'] == 'bcikit' and r['w'] == 1]
mean = lambda xs: sum(xs) / len(xs)
g, g1 = mean([r['run_s'] for r in go]), mean([r['run_s'] for r in go1])
print(f"\nCUBA, {go[0]['neurons']} neurons, {go[0]['duration_s']:g} s simulated, {len(go)} seed(s); run times are means")
print(f"{'side':<24}{'run s':>10}{'with build s':>14}{'ratio vs bcikit':>17}{'rate Hz':>10}{'ISI CV':>9}{'synapses':>11}")
def line(name, rs, ref):
    run = mean([r['run_s'] for r in rs])
    tot = mean([r.get('total_s', r.get('build_s', 0) + r['run_s']) for r in rs])
    ratio = f"{run / ref:.2f}x" if ref else ""
    print(f"{name:<24}{run:>10.4f}{tot:>14.3f}{ratio:>17}{mean([r['rate_hz'] for r in rs]):>10.3f}"
          f"{mean([r['isi_cv'] for r in rs]):>9.4f}{mean([r['synapses'] for r in rs]):>11.0f}")
line(f"bcikit (default, {go[0]['workers']}w)", go, g)
line("bcikit (1 worker)", go1, g)
for t in ['standalone', 'cython', 'numpy']:
    rs = [r for r in rows if r['side'] == 'brian2' and r['target'] == t]
    if rs:
        line(f"brian2 {t}", rs, g)
br = [r for r in rows if r['side'] == 'brian2']
if br:
    dr = mean([r['rate_hz'] for r in go]) / mean([r['rate_hz'] for r in br]) - 1
    dc = mean([r['isi_cv'] for r in go]) / mean([r['isi_cv'] for r in br]) - 1
    print(f"\nbcikit vs Brian2 (all targets): mean rate {100 * dr:+.1f} %, mean ISI CV {100 * dc:+.1f} % "
          "(different random draws: statistics only)")
print("ratio = that side's run time / bcikit's (default workers); above 1: bcikit is faster")
PY
