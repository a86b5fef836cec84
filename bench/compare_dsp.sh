#!/usr/bin/env bash
# compare_dsp.sh — time bcikit's dsp filtering against MNE-Python and SciPy
# on one EEGMMIDB run (64 EEG channels x 20000 samples at 160 Hz) and print
# the ratios.
#
#   bench/compare_dsp.sh [-n REPEATS]
#
# Python side (/usr/bin/python3, MNE 1.3, SciPy 1.10): the EDF is read with
# MNE outside the timed part; each case is timed REPEATS times (default 7)
# and the best time is kept:
#   mne-fir    raw.filter(7, 30)                    (FIR, MNE defaults)
#   mne-iir    raw.filter(7, 30, method='iir')      (4th-order Butterworth)
#   scipy-sos  scipy.signal.sosfiltfilt(butter(4, [7, 30], 'bandpass',
#              output='sos', fs=160), data)
#   mne-notch  raw.notch_filter(60)
# (the raw copy that MNE filters in place is made before the timer starts).
#
# Go side: `go test -run '^$' -bench ... ./dsp` with -count=REPEATS, best
# ns/op kept, on the same EDF read by the edf package (build tag edfbench);
# if that does not build, on synthetic data of the same shape (said so in
# the output). Go uses GOMAXPROCS workers (all cores); MNE and SciPy run on
# one thread as they do by default.
#
# Besides wall-clock times (the comparison that matters) the table gives the
# CPU time of the best run of each side (process CPU, all threads), which is
# what to look at when other jobs load the machine.
set -euo pipefail

repeats=7
while getopts "n:h" opt; do
	case "$opt" in
	n) repeats="$OPTARG" ;;
	h) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-n REPEATS]" >&2; exit 2 ;;
	esac
done
if ! [[ "$repeats" =~ ^[1-9][0-9]*$ ]]; then
	echo "compare_dsp: -n needs a positive integer, got '$repeats'" >&2
	exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3
data="${BCIKIT_DATA:-$root/../shared/data}"
edf_file="$data/eegmmidb/S001/S001R04.edf"

die() { echo "compare_dsp: $*" >&2; exit 1; }
[[ -x "$python" ]] || die "$python not found"
command -v go >/dev/null || die "go not found in PATH"
[[ -f "$edf_file" ]] || die "EDF file not found: $edf_file (set BCIKIT_DATA)"
"$python" -c 'import mne, scipy' 2>/dev/null || die "$python cannot import mne and scipy"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== Python (MNE $("$python" -c 'import mne; print(mne.__version__)'), SciPy $("$python" -c 'import scipy; print(scipy.__version__)')), best of $repeats"
"$python" - "$edf_file" "$repeats" >"$tmp/py.txt" <<'PY'
import sys, time
import mne
import scipy.signal as ss

mne.set_log_level("ERROR")
path, repeats = sys.argv[1], int(sys.argv[2])
raw = mne.io.read_raw_edf(path, preload=True)
raw.pick("eeg")
data = raw.get_data()
sos = ss.butter(4, [7, 30], "bandpass", output="sos", fs=raw.info["sfreq"])
assert data.shape == (64, 20000), data.shape


def best(setup, run):
    times = []
    for _ in range(repeats):
        arg = setup()
        c0, t0 = time.process_time(), time.perf_counter()
        run(arg)
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return "%r %r" % min(times)


cases = {
    "mne-fir": best(raw.copy, lambda r: r.filter(7.0, 30.0)),
    "mne-iir": best(raw.copy, lambda r: r.filter(7.0, 30.0, method="iir")),
    "scipy-sos": best(lambda: data, lambda x: ss.sosfiltfilt(sos, x)),
    "mne-notch": best(raw.copy, lambda r: r.notch_filter(60.0)),
}
for k, v in cases.items():
    print(k, v)
PY
cat "$tmp/py.txt"

echo "== Go ($(go version | awk '{print $3}'), GOMAXPROCS=${GOMAXPROCS:-$(nproc)}), best of $repeats"
benches='^Benchmark(FilterDataFIR|FilterDataIIR|SOSFiltFilt|NotchFilter)$'
source="EEGMMIDB S001R04 read by the edf package"
if ! BCIKIT_DATA="$data" go test -tags edfbench -run '^$' -bench "$benches" -count "$repeats" -benchtime 10x ./dsp >"$tmp/go.txt" 2>"$tmp/go.err"; then
	echo "compare_dsp: the edf-backed benchmark did not build or run:" >&2
	sed 's/^/    /' "$tmp/go.err" "$tmp/go.txt" | tail -20 >&2
	echo "compare_dsp: falling back to synthetic data of the same shape (64 x 20000)" >&2
	source="synthetic data of the same shape (64 x 20000)"
	go test -run '^$' -bench "$benches" -count "$repeats" -benchtime 10x ./dsp >"$tmp/go.txt" ||
		die "go test -bench failed: $(tail -20 "$tmp/go.txt")"
fi
awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); ns=$3; cpu=0
	for (i = 4; i <= NF; i++) if ($i == "cpu-ns/op") cpu=$(i-1)
	if (!(name in best) || ns < best[name]) { best[name]=ns; bcpu[name]=cpu } }
	END { for (n in best) print n, best[n] / 1e9, bcpu[n] / 1e9 }' "$tmp/go.txt" | sort >"$tmp/gobest.txt"
cat "$tmp/gobest.txt"
echo "(Go data: $source)"

py() { awk -v k="$1" '$1 == k { print $2, $3 }' "$tmp/py.txt"; }
gob() { awk -v k="$1" '$1 == k { print $2, $3 }' "$tmp/gobest.txt"; }

echo
printf '%-42s %10s %10s %7s   %10s %10s %7s\n' "case (wall ms | cpu ms)" "python" "go" "ratio" "py cpu" "go cpu" "ratio"
status=0
row() {
	local label="$1" p="$2" g="$3"
	[[ -n "$p" && -n "$g" ]] || { echo "compare_dsp: missing timing for $label" >&2; status=1; return; }
	awk -v l="$label" -v p="$p" -v g="$g" 'BEGIN {
		split(p, pp, " "); split(g, gg, " ")
		printf "%-42s %10.2f %10.2f %6.1fx   %10.2f %10.2f %6.1fx\n", l, pp[1]*1e3, gg[1]*1e3, pp[1]/gg[1], pp[2]*1e3, gg[2]*1e3, (gg[2] > 0 ? pp[2]/gg[2] : 0) }'
}
row "raw.filter(7,30) FIR  / FilterData FIR" "$(py mne-fir)" "$(gob BenchmarkFilterDataFIR)"
row "raw.filter(7,30) iir  / FilterData IIR" "$(py mne-iir)" "$(gob BenchmarkFilterDataIIR)"
row "scipy sosfiltfilt     / SOSFiltFilt" "$(py scipy-sos)" "$(gob BenchmarkSOSFiltFilt)"
row "raw.notch_filter(60)  / NotchFilter" "$(py mne-notch)" "$(gob BenchmarkNotchFilter)"
exit "$status"
