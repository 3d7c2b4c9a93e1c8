#!/usr/bin/env bash
# Fuzzes LR Playground's untrusted-input parsers with cargo-fuzz (libFuzzer), on stable Rust.
#
#   scripts/fuzz.sh [RUNS]        every target for RUNS inputs each (default 10000000)
#
#   FUZZ_TARGETS="expr url_decode" scripts/fuzz.sh 100000    only these targets
#   FUZZ_SANITIZER=address scripts/fuzz.sh 100000            with AddressSanitizer (slower)
#   FUZZ_MAX_TIME=900 scripts/fuzz.sh                         also stop each target after 900 s
#
# Steps:
#   0. installs cargo-fuzz 0.13.2 if it is missing (cargo install --locked; idempotent)
#   1. builds fuzz/ (its own crate and workspace) with cargo fuzz build -O -a: optimized, with
#      debug assertions and overflow checks; stable rustc gets the nightly-only flags cargo-fuzz
#      passes through RUSTC_BOOTSTRAP=1. Sanitizer: none by default (the core has no unsafe
#      code; AddressSanitizer works too but runs 2-3x slower).
#   2. replays fuzz/regressions/<target>/* (inputs of findings) strictly: one that still
#      fails is a finding
#   3. fuzzes each target in turn for RUNS inputs: corpus fuzz/corpus/<target> (kept between
#      runs, git-ignored), seeds fuzz/seeds/<target>, dictionary fuzz/dict/*.dict,
#      -timeout=10 (an input taking longer is a hang) and -rss_limit_mb=2048 (OOM); known,
#      reported findings are let through (LRP_FUZZ_SKIP_KNOWN=1) so the run hunts for new ones.
#      A failing input lands in fuzz/artifacts/<target>/; logs in fuzz/logs/<target>.log.
# Ends with a table per target: inputs executed, time, exec/s, peak RSS, result; exits 1 if
# anything was found (crash, timeout, OOM, failing regression), 2 if the build failed.
# Everything runs under nice -n 19, one target at a time, cargo with -j 1.
set -uo pipefail

RUNS="${1:-10000000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="${ROOT}/fuzz"
CARGO_FUZZ_VERSION="0.13.2"
TARGETS=(${FUZZ_TARGETS:-url_decode expr config_json params_set simulate_decoded})
SANITIZER="${FUZZ_SANITIZER:-none}"
MAX_TIME="${FUZZ_MAX_TIME:-0}" # seconds per target; 0: no limit
TIMEOUT=10
RSS_LIMIT_MB=2048

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:${PATH}"
export CARGO_TARGET_DIR="${FUZZ}/target"
export CARGO_BUILD_JOBS=1
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
unset LRP_FUZZ_SKIP_KNOWN

if ! [[ "${RUNS}" =~ ^[0-9]+$ ]] || [ "${RUNS}" -lt 1 ] || ! [[ "${MAX_TIME}" =~ ^[0-9]+$ ]]; then
  echo "usage: [FUZZ_MAX_TIME=SECONDS] scripts/fuzz.sh [RUNS]   (RUNS: inputs per target, >= 1)" >&2
  exit 2
fi

say() { printf '[fuzz] %s\n' "$*"; }

# 0. cargo-fuzz, pinned.
if ! cargo fuzz --version 2>/dev/null | grep -q " ${CARGO_FUZZ_VERSION}\$"; then
  say "installing cargo-fuzz ${CARGO_FUZZ_VERSION}"
  nice -n 19 cargo install cargo-fuzz --version "${CARGO_FUZZ_VERSION}" --locked -j 1 || exit 2
fi
say "$(rustc --version); $(cargo fuzz --version); sanitizer ${SANITIZER}; ${RUNS} inputs per target"
say "machine: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"

cd "${FUZZ}" || exit 2
mkdir -p logs
BUILD=(-O -a --sanitizer "${SANITIZER}")

# 1. Build every target.
say "building: cargo fuzz build ${BUILD[*]}"
if ! nice -n 19 cargo fuzz build "${BUILD[@]}" > logs/build.log 2>&1; then
  tail -40 logs/build.log
  say "build failed (log: fuzz/logs/build.log)"
  exit 2
fi
BIN="${CARGO_TARGET_DIR}/x86_64-unknown-linux-gnu/release"

FOUND=0
REG_FAILS=()
# 2. Replay the inputs of earlier findings, without letting known findings through.
for t in "${TARGETS[@]}"; do
  shopt -s nullglob
  files=(regressions/"${t}"/*)
  shopt -u nullglob
  [ "${#files[@]}" -eq 0 ] && continue
  for f in "${files[@]}"; do
    if nice -n 19 "${BIN}/${t}" -timeout="${TIMEOUT}" -rss_limit_mb="${RSS_LIMIT_MB}" "${f}" > logs/replay.log 2>&1; then
      say "regression ${f}: passes"
    else
      FOUND=1
      REG_FAILS+=("${f}")
      say "regression ${f}: STILL FAILS:"
      grep -A3 -m1 -E "panicked at|ERROR: libFuzzer" logs/replay.log | sed 's/^/    /'
    fi
  done
done

dict_of() {
  case "$1" in
    url_decode | simulate_decoded) echo dict/url.dict ;;
    params_set) echo dict/params.dict ;;
    config_json) echo dict/json.dict ;;
    expr) echo dict/expr.dict ;;
  esac
}

max_len_of() {
  case "$1" in
    url_decode | simulate_decoded) echo 10000 ;; # past url::MAX_FRAGMENT (8192)
    *) echo 4096 ;;
  esac
}

stat_of() { grep -E "^stat::$1:" "$2" | tail -1 | awk '{print $2}'; }

# 3. Fuzz each target in turn.
ROWS=()
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/${t}" "artifacts/${t}"
  log="logs/${t}.log"
  say "fuzzing ${t} for ${RUNS} inputs (log: fuzz/logs/${t}.log)"
  t0=$(date +%s.%N)
  LRP_FUZZ_SKIP_KNOWN=1 nice -n 19 cargo fuzz run "${BUILD[@]}" "${t}" "corpus/${t}" "seeds/${t}" -- \
    -runs="${RUNS}" -timeout="${TIMEOUT}" -rss_limit_mb="${RSS_LIMIT_MB}" -max_len="$(max_len_of "${t}")" \
    -dict="$(dict_of "${t}")" -max_total_time="${MAX_TIME}" -print_final_stats=1 > "${log}" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="${t0}" -v b="${t1}" 'BEGIN { printf "%.1f", b - a }')
  execs=$(stat_of number_of_executed_units "${log}")
  rss=$(stat_of peak_rss_mb "${log}")
  if [ -z "${execs}" ]; then # a crash ends the run before the final stats: use the last status line
    execs=$(grep -oE '^#[0-9]+' "${log}" | tail -1 | tr -d '#')
    rss=$(grep -oE 'rss: [0-9]+Mb' "${log}" | tail -1 | grep -oE '[0-9]+')
  fi
  execs=${execs:-0}
  rate=$(awk -v n="${execs}" -v s="${secs}" 'BEGIN { printf "%.0f", (s > 0 ? n / s : n) }')
  if grep -q "ERROR: libFuzzer: timeout" "${log}"; then
    result="TIMEOUT"
  elif grep -qE "ERROR: libFuzzer: out-of-memory|ERROR: libFuzzer: malloc limit" "${log}"; then
    result="OOM"
  elif [ "${rc}" -ne 0 ] || grep -qE "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer" "${log}"; then
    result="CRASH"
  elif [ "${execs}" -lt "${RUNS}" ] && (( MAX_TIME > 0 )); then
    result="ok (stopped at FUZZ_MAX_TIME=${MAX_TIME} s)"
  elif [ "${execs}" -lt "${RUNS}" ]; then
    result="ok (stopped early, e.g. by SIGUSR1)"
  else
    result="ok"
  fi
  if [[ "${result}" != ok* ]]; then
    FOUND=1
    grep -A3 -m1 -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer" "${log}" | sed 's/^/    /'
    grep -E "^(Failing input|\s+fuzz/artifacts/|Test unit written)" "${log}" | sed 's/^/    /'
  fi
  say "${t}: ${execs} inputs in ${secs} s (${rate}/s), peak RSS ${rss:-?} MB: ${result}"
  ROWS+=("$(printf '%-18s %12s %8s %8s %9s  %s' "${t}" "${execs}" "${secs}" "${rate}" "${rss:-?}" "${result}")")
done

echo
printf '%-18s %12s %8s %8s %9s  %s\n' target inputs "time s" "exec/s" "RSS MB" result
for r in "${ROWS[@]}"; do echo "${r}"; done
for f in "${REG_FAILS[@]}"; do printf '%-18s %s\n' regression "fuzz/${f} still fails"; done
if [ "${FOUND}" -ne 0 ]; then
  say "FINDINGS: see above, fuzz/artifacts/ and fuzz/logs/"
  exit 1
fi
say "no crash, timeout or OOM"
