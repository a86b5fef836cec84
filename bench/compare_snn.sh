#!/usr/bin/env bash
# compare_snn.sh — run the CUBA benchmark network (Brian2's examples/CUBA.py:
# 4000 LIF neurons, p = 0.02, exact integration, dt 0.1 ms, 1 s) in Brian2
# 2.5 and in bcikit in one run, and print run times, their ratios, and the
# network statistics of both.
#
#   bash bench/compare_snn.sh [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS] [-r REPEAT]
#
#   -s SEEDS    seeds 1..SEEDS (default 3)
#   -t TARGETS  Brian2 targets, comma-separated, of standalone (C++
#               standalone, needs g++), cython, numpy (default all three)
#   -d SECONDS  simulated time (default 1)
#   -n NEURONS  network size (default 4000)
#   -r REPEAT   run bcikit and the compiled standalone program REPEAT times
#               per seed and keep the fastest (default 3): on a shared
#               machine one run may be slowed by others
#
# Brian2 side: /usr/bin/python3 bench/compare_snn.py, one process per seed
# and target. Its run time is Brian2's own measure of the simulation loop
# (device._last_run_time), so code generation and the C++/Cython compile
# steps are excluded; their total is printed beside it. Beware: for the C++
# standalone program that measure is std::clock(), the process's CPU time,
# not wall time (brianlib's Network::run); for cython and numpy it is wall
# time. The standalone program's wall time is measured from outside, on the
# repeats, less that of the same program built for one step (start-up,
# synapse creation, writing results), so its wall column is an estimate.
# The standalone project is kept in one directory for all seeds, so later
# seeds recompile only the changed main file.
# bcikit side: `bcikit snn cuba --json` (built beforehand, build not timed):
# wall time and process CPU time of the simulation loop alone (building the
# network is printed apart), with the default workers and with --workers 1.
# Each side's repeats run back to back, with nothing else of this script
# running; the fastest is kept (wall and CPU separately).
#
# Printed: per side, means over the seeds of those times, and the ratio to
# bcikit's (default workers) on the same measure: CPU time for standalone,
# wall time for cython and numpy (above 1: bcikit is faster); mean rate and
# ISI CV of each side and their relative difference; the load average,
# since the machine may be shared (wall times then exceed CPU times). Exit
# status 2 on a usage error.
set -euo pipefail

seeds=3 targets=standalone,cython,numpy dur=1 neurons=4000 repeat=3
while getopts "s:t:d:n:r:h" opt; do
	case "$opt" in
	s) seeds="$OPTARG" ;;
	t) targets="$OPTARG" ;;
	d) dur="$OPTARG" ;;
	n) neurons="$OPTARG" ;;
	r) repeat="$OPTARG" ;;
	h) sed -n '2,40p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS] [-r REPEAT]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "usage: $0 [-s SEEDS] [-t TARGETS] [-d SECONDS] [-n NEURONS] [-r REPEAT]" >&2; exit 2; }
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || { echo "$0: -s $seeds: want a positive integer" >&2; exit 2; }
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "$0: -r $repeat: want a positive integer" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/bcikit" ./cmd/bcikit)
out="$tmp/results.jsonl"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for s in $(seq 1 "$seeds"); do
	for w in 0 1; do
		for _ in $(seq 1 "$repeat"); do
			"$tmp/bcikit" snn cuba --json --seed "$s" --duration "$dur" --neurons "$neurons" --workers "$w"
		done | sed "s/^{/{\"side\":\"bcikit\",\"w\":$w,/" >"$tmp/go.jsonl"
		# Keep the fastest repeat, wall and CPU apart (the network and its
		# spikes are the same).
		/usr/bin/python3 -c 'import json,sys; rs=[json.loads(l) for l in open(sys.argv[1])]; r=dict(rs[0]); r["run_s"]=min(x["run_s"] for x in rs); r["cpu_s"]=min(x["cpu_s"] for x in rs); print(json.dumps(r))' "$tmp/go.jsonl" >>"$out"
	done
	IFS=, read -ra ts <<<"$targets"
	for t in "${ts[@]}"; do
		/usr/bin/python3 "$root/bench/compare_snn.py" --target "$t" --seed "$s" --duration "$dur" \
			--neurons "$neurons" --repeat "$repeat" --dir "$tmp/standalone" 2>"$tmp/py.log" |
			sed 's/^{/{"side":"brian2",/' >>"$out" || { cat "$tmp/py.log" >&2; exit 1; }
	done
done
if [[ ",$targets," == *,standalone,* ]]; then
	# The standalone program's fixed cost: the same network run for one step.
	/usr/bin/python3 "$root/bench/compare_snn.py" --target standalone --seed 1 --duration 0.0001 \
		--neurons "$neurons" --repeat "$repeat" --dir "$tmp/standalone_init" 2>"$tmp/py.log" |
		sed 's/^{/{"side":"brian2-init",/' >>"$out" || { cat "$tmp/py.log" >&2; exit 1; }
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
go = [r for r in rows if r['side'] == 'bcikit' and r['w'] == 0]
go1 = [r for r in rows if r['side'] == 'bcikit' and r['w'] == 1]
mean = lambda xs: sum(xs) / len(xs)
g, g1 = mean([r['run_s'] for r in go]), mean([r['run_s'] for r in go1])
gc = mean([r['cpu_s'] for r in go])
print(f"\nCUBA, {go[0]['neurons']} neurons, {go[0]['duration_s']:g} s simulated, {len(go)} seed(s); times are means over the seeds")
print(f"{'side':<22}{'wall s':>9}{'CPU s':>9}{'with build s':>14}{'ratio to bcikit':>22}{'rate Hz':>9}{'ISI CV':>8}{'synapses':>10}")
init = [r['program_wall_s'] for r in rows if r['side'] == 'brian2-init']
def line(name, rs, measure):
    wall = mean([r['run_s'] for r in rs]) if measure != 'cpu' else None
    if measure == 'cpu' and init and rs[0].get('program_wall_s') is not None:
        wall = mean([r['program_wall_s'] for r in rs]) - init[0]
    cpu = mean([r['cpu_s'] for r in rs]) if 'cpu_s' in rs[0] else (mean([r['run_s'] for r in rs]) if measure == 'cpu' else None)
    tot = mean([r.get('total_s', r.get('build_s', 0) + r['run_s']) for r in rs])
    ratio = f"{cpu / gc:.2f}x (CPU)" if measure == 'cpu' else f"{wall / g:.2f}x (wall)"
    if measure == 'cpu' and wall is not None:
        ratio = f"{cpu / gc:.2f}x CPU, {wall / g:.2f}x wall"
    f = lambda x: f"{x:>9.4f}" if x is not None else f"{'-':>9}"
    print(f"{name:<22}{f(wall)}{f(cpu)}{tot:>14.3f}{ratio:>22}{mean([r['rate_hz'] for r in rs]):>9.3f}"
          f"{mean([r['isi_cv'] for r in rs]):>8.4f}{mean([r['synapses'] for r in rs]):>10.0f}")
line(f"bcikit (default, {go[0]['workers']}w)", go, 'wall')
line("bcikit (1 worker)", go1, 'wall')
for t in ['standalone', 'cython', 'numpy']:
    rs = [r for r in rows if r['side'] == 'brian2' and r['target'] == t]
    if rs:
        line(f"brian2 {t}", rs, 'cpu' if t == 'standalone' else 'wall')
br = [r for r in rows if r['side'] == 'brian2']
if br:
    dr = mean([r['rate_hz'] for r in go]) / mean([r['rate_hz'] for r in br]) - 1
    dc = mean([r['isi_cv'] for r in go]) / mean([r['isi_cv'] for r in br]) - 1
    print(f"\nbcikit vs Brian2 (all targets): mean rate {100 * dr:+.1f} %, mean ISI CV {100 * dc:+.1f} % "
          "(different random draws: statistics only)")
print("ratio = that side's time / bcikit's (default workers) on the same measure; above 1: bcikit is faster.\n"
      "Brian2 standalone reports std::clock() (CPU time); its wall time is the program's, timed from outside,\n"
      "less that of a one-step build of it (an estimate). Cython and numpy report wall time.")
PY
