#!/usr/bin/env bash
# compare_bench.sh — run the within-session benchmarks of `bcikit bench` and
# of its Python reference (bench/compare_bench.py: MNE 1.3, scikit-learn 1.2,
# pyRiemann 0.6 transcribed) on the same folds, time both end to end (files →
# scores), and compare the scores.
#
#   bash bench/compare_bench.sh [-o DIR]
#
# Benchmarks, over every subject present under $BCIKIT_DATA (default
# ../shared/data beside the repository root):
#   eegmmidb-imagery-lr  csp+lda,ts+lr,mdm
#   ssvep-exo            fb+mdm,fb+ts+lr
# For each: /usr/bin/python3 bench/compare_bench.py (seed 42) draws the folds
# (StratifiedKFold(5, shuffle=True, random_state=42) per session), writes them
# as a splits JSON and scores the pipelines; then `bcikit bench --splits` runs
# on those folds. Each side is timed as one process, wall clock, from start
# to exit (Python's includes importing MNE/sklearn, Go's the whole CLI run;
# the Go binary is built beforehand and its build is not timed).
#
# Printed: both times and their ratio per benchmark and in total (wall,
# and CPU with the load average: on a shared machine the wall ratio swings
# with the load, the CPU ratio much less), and a table of |Δscore| per
# subject, session and pipeline with the largest, then per pipeline the
# mean scores and their difference. Exit status 1 when a
# score differs by more than 0.02, a pipeline's mean by more than 0.01, or a
# row is missing on one side; 2 on a usage error.
#
#   -o DIR  keep the splits, the CSVs and the logs in DIR (default: removed)
set -euo pipefail

keep=""
while getopts "o:h" opt; do
	case "$opt" in
	o) keep="$OPTARG" ;;
	h) sed -n '2,28p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-o DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "usage: $0 [-o DIR]" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3
data="${BCIKIT_DATA:-$root/../shared/data}"
seed=42

die() { echo "compare_bench: $*" >&2; exit 1; }
[[ -x "$python" ]] || die "$python not found"
command -v go >/dev/null || die "go not found in PATH (add /usr/local/go/bin)"
[[ -d "$data" ]] || die "data directory not found: $data (set BCIKIT_DATA)"
data="$(cd "$data" && pwd)"
"$python" -c 'import mne, sklearn' 2>/dev/null || die "$python cannot import mne and sklearn"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp"
if [[ -n "$keep" ]]; then
	mkdir -p "$keep"
	out="$(cd "$keep" && pwd)"
fi

echo "== building bcikit ($(go version | awk '{print $3}'))"
go build -o "$tmp/bcikit" ./cmd/bcikit || die "go build ./cmd/bcikit failed"

# timed FILE LOG CMD...: run CMD with stdout and stderr in LOG and write
# "wall user sys" seconds (bash's time, children included) to FILE.
timed() {
	local tf=$1 log=$2
	shift 2
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >"$log" 2>&1; } 2>"$tf"
}

benchmarks=(
	"eegmmidb-imagery-lr csp+lda,ts+lr,mdm"
	"ssvep-exo fb+mdm,fb+ts+lr"
)
py_total=0
go_total=0
py_cpu=0
go_cpu=0
results=()
for b in "${benchmarks[@]}"; do
	read -r ds pipes <<<"$b"
	echo
	echo "== $ds: $pipes (data $data, seed $seed, $(nproc) cores)"
	splits="$out/$ds.splits.json"
	if ! timed "$tmp/py.time" "$out/$ds.py.log" env BCIKIT_DATA="$data" "$python" bench/compare_bench.py \
		--data "$data" --dataset "$ds" --pipelines "$pipes" --seed "$seed" --splits-out "$splits" \
		--out "$out/$ds.py.csv" --quiet; then
		die "compare_bench.py failed on $ds:
$(tail -20 "$out/$ds.py.log")"
	fi
	if ! timed "$tmp/go.time" "$out/$ds.go.log" env BCIKIT_DATA="$data" "$tmp/bcikit" bench --dataset "$ds" \
		--pipelines "$pipes" --eval within-session --splits "$splits" --out "$out/$ds.go.csv" --quiet; then
		die "bcikit bench failed on $ds:
$(tail -20 "$out/$ds.go.log")"
	fi
	read -r py_s py_u py_y <"$tmp/py.time"
	read -r go_s go_u go_y <"$tmp/go.time"
	py_total=$(awk -v a="$py_total" -v b="$py_s" 'BEGIN { printf "%.3f", a + b }')
	go_total=$(awk -v a="$go_total" -v b="$go_s" 'BEGIN { printf "%.3f", a + b }')
	py_cpu=$(awk -v a="$py_cpu" -v u="$py_u" -v y="$py_y" 'BEGIN { printf "%.3f", a + u + y }')
	go_cpu=$(awk -v a="$go_cpu" -v u="$go_u" -v y="$go_y" 'BEGIN { printf "%.3f", a + u + y }')
	sed -n 's/^compare_bench: /   python: /p' "$out/$ds.py.log"
	awk -v p="$py_s" -v g="$go_s" -v pc="$py_u+$py_y" -v gc="$go_u+$go_y" 'BEGIN {
		split(pc, a, "+"); split(gc, b, "+"); pcpu = a[1] + a[2]; gcpu = b[1] + b[2]
		printf "   Python %.2f s wall (%.2f s cpu), Go %.2f s wall (%.2f s cpu): Go is %.1fx faster (%.1fx less cpu)\n",
			p, pcpu, g, gcpu, p / g, pcpu / gcpu }'
	results+=("$ds")
done

echo
awk -v p="$py_total" -v g="$go_total" -v pc="$py_cpu" -v gc="$go_cpu" -v l="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" 'BEGIN {
	printf "== total: Python %.2f s, Go %.2f s: Go is %.1fx faster end to end (target 10x: %s)\n",
		p, g, p / g, (p >= 10 * g) ? "met" : "NOT met"
	printf "   cpu: Python %.2f s, Go %.2f s (%.1fx less); load average %s (wall ratios swing on a shared machine, cpu ones less)\n",
		pc, gc, pc / gc, l }'

echo
status=0
for ds in "${results[@]}"; do
	"$python" - "$ds" "$out/$ds.py.csv" "$out/$ds.go.csv" <<'PY' || status=1
import csv
import sys

ds, py_csv, go_csv = sys.argv[1:]
MAX_DIFF, MAX_MEAN_DIFF = 0.02, 0.01


def rows(path):
    with open(path, newline="") as f:
        return {(int(r["subject"]), r["session"], r["pipeline"]): float(r["score"]) for r in csv.DictReader(f)}


py, go = rows(py_csv), rows(go_csv)
bad = []
for k in sorted(set(py) ^ set(go)):
    bad.append("subject %d session %s pipeline %s: only in the %s results" % (k + ("Python" if k in py else "Go",)))
keys = sorted(set(py) & set(go), key=lambda k: (k[2], k[0], k[1]))
print("== %s: |score(Go) - score(Python)| per subject, session and pipeline" % ds)
print("%-10s %7s  %-22s %9s %9s %9s" % ("pipeline", "subject", "session", "Python", "Go", "|diff|"))
worst = None
for k in keys:
    d = abs(go[k] - py[k])
    flag = ""
    if d > MAX_DIFF:
        flag = "  > %.2f" % MAX_DIFF
        bad.append("subject %d session %s pipeline %s: |diff| %.4f > %.2f" % (k + (d, MAX_DIFF)))
    if worst is None or d > worst[0]:
        worst = (d, k)
    print("%-10s %7d  %-22s %9.4f %9.4f %9.4f%s" % (k[2], k[0], k[1], py[k], go[k], d, flag))
if worst:
    print("largest |diff| %.4f (subject %d session %s, %s)" % (worst[0], worst[1][0], worst[1][1], worst[1][2]))
print("%-10s %9s %9s %10s" % ("pipeline", "mean Py", "mean Go", "Go - Py"))
for p in sorted({k[2] for k in keys}):
    ks = [k for k in keys if k[2] == p]
    mp, mg = sum(py[k] for k in ks) / len(ks), sum(go[k] for k in ks) / len(ks)
    flag = ""
    if abs(mg - mp) > MAX_MEAN_DIFF:
        flag = "  > %.2f" % MAX_MEAN_DIFF
        bad.append("pipeline %s: mean differs by %.4f > %.2f" % (p, mg - mp, MAX_MEAN_DIFF))
    print("%-10s %9.4f %9.4f %+10.4f%s" % (p, mp, mg, mg - mp, flag))
if not keys:
    bad.append("no result to compare")
for b in bad:
    print("FAIL %s: %s" % (ds, b))
print()
sys.exit(1 if bad else 0)
PY
done
if [[ $status -ne 0 ]]; then
	echo "compare_bench: scores differ beyond tolerance (per score 0.02, per pipeline mean 0.01)" >&2
else
	echo "compare_bench: all scores within 0.02, all pipeline means within 0.01"
fi
[[ -n "$keep" ]] && echo "outputs kept in $out"
exit $status
