#!/usr/bin/env bash
# Browser benchmark of LR Playground (not part of scripts/test.sh): builds the release, serves
# dist/ on 127.0.0.1, drives headless Chromium and prints input-to-paint latency, cold start,
# size and memory; the figures are also written as JSON under target/bench/.
#
#   scripts/bench.sh                  build + every measurement (~5 min after the build)
#   scripts/bench.sh --no-build       measure the dist/ that is there
#   BENCH_ONLY=latency,size scripts/bench.sh   a subset (latency, cold, size, memory)
#
# See tests/bench/bench.mjs for what is measured and how, docs/performance.md for the figures.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export PATH="${ROOT}/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:${PATH}"

build=1
for arg in "$@"; do
  case "${arg}" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "[bench] unknown argument: ${arg}" >&2; exit 2 ;;
  esac
done

if (( build )); then
  [[ -d node_modules/playwright-core ]] || bash scripts/setup.sh
  echo "[bench] trunk build --release --offline"
  trunk build --release --offline
fi
[[ -f dist/index.html ]] || { echo "[bench] dist/index.html missing: build first" >&2; exit 1; }
exec node tests/bench/bench.mjs
