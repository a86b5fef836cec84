#!/usr/bin/env bash
# gen.sh — regenerate the reference scores and folds in this directory with
# bench/compare_bench.py (MNE 1.3, scikit-learn 1.2, pyRiemann 0.6
# transcribed), seed 42, on every subject present under $BCIKIT_DATA
# (default ../shared/data beside the repository root). See README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
data="${BCIKIT_DATA:-$root/../shared/data}"
ref=bench/testdata/ref
run() {
	local ds=$1 subjects=$2 pipes=$3
	/usr/bin/python3 bench/compare_bench.py --data "$data" --dataset "$ds" --subjects "$subjects" \
		--pipelines "$pipes" --seed 42 --splits-out "$ref/$ds.splits.json" --out "$ref/$ds.scores.csv"
}
run eegmmidb-imagery-lr 1 csp+lda,ts+lr,ts+svm,mdm,fgmdm,acm+ts+svm,fbcsp+svm
run ssvep-exo 1-8 fb+mdm,fb+ts+lr,mdm,ts+lr,ts+svm,fgmdm,cca
