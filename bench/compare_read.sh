#!/usr/bin/env bash
# compare_read.sh — time bcikit's EDF reader against MNE-Python's on one
# EEGMMIDB run (64 EEG channels x 20000 samples at 160 Hz + annotations)
# and print both times and the ratio.
#
#   bench/compare_read.sh [-n REPEATS]
#
# Python (/usr/bin/python3, MNE 1.3): mne.io.read_raw_edf(path,
# preload=True, verbose=False), timed REPEATS times (default 10) in one
# process after a warm-up read; the best time is kept.
# Go: `go test -run '^$' -bench '^BenchmarkReadEEGMMIDB$' ./edf` (edf.Open +
# raw.ReadAll + Close) with -count REPEATS; the best ns/op is kept.
# Both read the same file, which stays in the page cache.
#
# Wall-clock time is the comparison asked for; the CPU time of the best run
# of each side (process CPU, all threads) is printed too, as it is what to
# look at when other jobs load the machine. The data directory is
# $BCIKIT_DATA, by default ../shared/data beside the repository root.
set -euo pipefail

repeats=10
while getopts "n:h" opt; do
	case "$opt" in
	n) repeats="$OPTARG" ;;
	h) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-n REPEATS]" >&2; exit 2 ;;
	esac
done
if ! [[ "$repeats" =~ ^[1-9][0-9]*$ ]]; then
	echo "compare_read: -n needs a positive integer, got '$repeats'" >&2
	exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3
data="${BCIKIT_DATA:-$root/../shared/data}"
rel=eegmmidb/S001/S001R04.edf
file="$data/$rel"

die() { echo "compare_read: $*" >&2; exit 1; }
[[ -x "$python" ]] || die "$python not found"
command -v go >/dev/null || die "go not found in PATH (add /usr/local/go/bin)"
[[ -f "$file" ]] || die "EDF file not found: $file (set BCIKIT_DATA to the data directory)"
"$python" -c 'import mne' 2>/dev/null || die "$python cannot import mne"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== Python (MNE $("$python" -c 'import mne; print(mne.__version__)')): read_raw_edf(preload=True), best of $repeats"
"$python" - "$file" "$repeats" >"$tmp/py.txt" <<'PY'
import sys, time
import mne

path, repeats = sys.argv[1], int(sys.argv[2])
raw = mne.io.read_raw_edf(path, preload=True, verbose=False)  # warm-up
assert raw.get_data().shape == (64, 20000), raw.get_data().shape
best = None
for _ in range(repeats):
    c0, t0 = time.process_time(), time.perf_counter()
    mne.io.read_raw_edf(path, preload=True, verbose=False)
    t = (time.perf_counter() - t0, time.process_time() - c0)
    best = t if best is None or t < best else best
print("%r %r" % best)
PY
read -r py_wall py_cpu <"$tmp/py.txt" || die "no Python timing"
awk -v w="$py_wall" -v c="$py_cpu" 'BEGIN { printf "   %.2f ms wall, %.2f ms cpu\n", w*1e3, c*1e3 }'

echo "== Go ($(go version | awk '{print $3}')): BenchmarkReadEEGMMIDB, best of $repeats"
if ! BCIKIT_DATA="$data" go test -run '^$' -bench '^BenchmarkReadEEGMMIDB$' -count "$repeats" ./edf >"$tmp/go.txt" 2>&1; then
	die "go test -bench failed:
$(tail -20 "$tmp/go.txt")"
fi
grep -q '^BenchmarkReadEEGMMIDB' "$tmp/go.txt" || die "benchmark did not run (skipped?):
$(tail -20 "$tmp/go.txt")"
read -r go_wall go_cpu < <(awk '/^BenchmarkReadEEGMMIDB/ { ns=$3; cpu=0
	for (i = 4; i <= NF; i++) if ($i == "cpu-ns/op") cpu=$(i-1)
	if (best == "" || ns < best) { best=ns; bcpu=cpu } }
	END { print best / 1e9, bcpu / 1e9 }' "$tmp/go.txt")
awk -v w="$go_wall" -v c="$go_cpu" 'BEGIN { printf "   %.2f ms wall, %.2f ms cpu\n", w*1e3, c*1e3 }'

echo
awk -v pw="$py_wall" -v pc="$py_cpu" -v gw="$go_wall" -v gc="$go_cpu" 'BEGIN {
	printf "%-28s %10s %10s %8s\n", "read " "S001R04.edf", "MNE", "bcikit", "ratio"
	printf "%-28s %10.2f %10.2f %7.1fx\n", "wall ms", pw*1e3, gw*1e3, pw/gw
	if (gc > 0) printf "%-28s %10.2f %10.2f %7.1fx\n", "cpu ms", pc*1e3, gc*1e3, pc/gc
	printf "target: bcikit at least 5x faster (wall): %s\n", (pw/gw >= 5 ? "met" : "NOT met")
}'
