#!/bin/sh
# Randomized differential test of the core against real PyTorch (optional: needs torch; not
# part of scripts/test.sh). Random configurations of every scheduler, and SGD runs on both
# problems, go through the app's core (examples/pytorch_diff.rs) and through torch's own
# loops (torch_ref.py, as the golden files define them); discrepancies are grouped by cause.
#
#   benches/pytorch_diff/run.sh [SEED] [SCHEDULER_CASES_PER_SCHEDULER] [SIM_CASES_PER_SCHEDULER]
#
# PYTHON names the interpreter that has torch (default python3). Output: target/pytorch-diff/.
set -e
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "[pytorch-diff] torch is not installed for ${PY} (pip install torch==2.15.0): skipped"
  exit 0
fi
cargo build --release --example pytorch_diff -q
OUT="target/pytorch-diff/seed${1:-1}"
"$PY" -W ignore benches/pytorch_diff/difftest.py --seed "${1:-1}" --sched "${2:-300}" --sim "${3:-25}" --out "$OUT"
"$PY" benches/pytorch_diff/analyze.py "$OUT/results.json" > "$OUT/analysis.txt"
echo "[pytorch-diff] discrepancies grouped by cause: $OUT/analysis.txt"
