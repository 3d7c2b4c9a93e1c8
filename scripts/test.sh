#!/usr/bin/env bash
# Runs every test of LR Playground; exits non-zero on any failure.
#
#   scripts/test.sh
#
# Steps (each logged to target/test-logs/<step>.log):
#   0. scripts/setup.sh                      pinned tools (idempotent)
#   1. native:   cargo test --all-targets  +  cargo test --doc
#   2. wasm:     cargo test --target wasm32-unknown-unknown (the lib + every tests/*.rs that uses
#                wasm_bindgen_test) in headless Chromium via wasm-bindgen-test-runner/chromedriver
#   3. build:    trunk build --release --offline  (wasm-opt -Oz; prints the sizes)
#   4. e2e:      node --test tests/e2e/  (Playwright on dist/, served on 127.0.0.1)
# Ends with one line: "summary: N passed, N failed, N skipped" (tests counted from the runners' output;
# a step that fails without failing tests, e.g. a compile error, counts as one failure).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export PATH="${ROOT}/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:${PATH}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
LOGS="${ROOT}/target/test-logs"
mkdir -p "${LOGS}"

T0=$(date +%s)
PASSED=0; FAILED=0; SKIPPED=0
STEP_RESULTS=()

say() { printf '\n[test] ==== %s\n' "$*"; }

# run_step NAME PARSER CMD...: runs CMD, tees its output to the log, adds up the test counts.
run_step() {
  local name="$1" parser="$2"; shift 2
  local log="${LOGS}/${name}.log" t=$(date +%s) rc p=0 f=0 s=0
  say "${name}: $*"
  "$@" 2>&1 | tee "${log}"
  rc=${PIPESTATUS[0]}
  case "${parser}" in
    cargo)
      read -r p f s < <(awk '/^test result:/ {
          for (i = 1; i <= NF; i++) {
            if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i
          } } END { print p+0, f+0, s+0 }' "${log}") ;;
    node)
      read -r p f s < <(awk '/^# pass / {p += $3} /^# fail / {f += $3} /^# (skipped|todo|cancelled) / {
          if ($2 == "cancelled") f += $3; else s += $3 } END { print p+0, f+0, s+0 }' "${log}") ;;
    none) ;;
  esac
  if (( rc != 0 && f == 0 )); then f=1; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
  local status=ok; (( rc != 0 )) && status="FAILED (exit ${rc})"
  STEP_RESULTS+=("$(printf '%-8s %-18s %4ss  %s passed, %s failed, %s skipped' "${name}" "${status}" "$(( $(date +%s) - t ))" "$p" "$f" "$s")")
  return "${rc}"
}

# 0. Setup: nothing else can run without it.
run_step setup none bash "${ROOT}/scripts/setup.sh" || {
  echo "[test] setup failed"; echo "summary: 0 passed, 1 failed, 0 skipped"; exit 1; }

# 1. Native tests: every target (lib, bin, tests/, benches, examples) and the doc tests.
run_step native cargo cargo test --no-fail-fast --all-targets
run_step doc cargo cargo test --no-fail-fast --doc

# 2. wasm-bindgen tests in headless Chromium.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
unset GECKODRIVER SAFARIDRIVER WASM_BINDGEN_USE_BROWSER NO_HEADLESS
wasm_targets=(--lib)
for f in tests/*.rs; do
  [[ -e "$f" ]] || continue
  grep -q 'wasm_bindgen_test' "$f" && wasm_targets+=(--test "$(basename "$f" .rs)")
done
run_step wasm cargo cargo test --no-fail-fast --target wasm32-unknown-unknown "${wasm_targets[@]}"

# 3. Release build with Trunk (offline: it must find wasm-bindgen and wasm-opt on PATH).
if run_step build none trunk build --release --offline; then
  wasm="$(ls dist/*_bg.wasm 2>/dev/null | head -1)"
  raw="target/wasm-bindgen/release/lr-playground_bg.wasm"
  if [[ -n "${wasm}" ]]; then
    printf '[test] wasm size: %s bytes before wasm-opt, %s bytes after (%s gzipped); dist/ total %s\n' \
      "$(stat -c %s "${raw}" 2>/dev/null || echo '?')" "$(stat -c %s "${wasm}")" \
      "$(gzip -9c "${wasm}" | wc -c)" "$(du -sh dist | cut -f1)"
  fi
  # 4. Browser end-to-end tests on dist/.
  run_step e2e node node --test --test-concurrency=1 --test-timeout=600000 tests/e2e/
else
  STEP_RESULTS+=("e2e      SKIPPED (no build)")
  FAILED=$((FAILED + 1))
fi

say "results ($(( $(date +%s) - T0 ))s in all; logs in target/test-logs/)"
printf '  %s\n' "${STEP_RESULTS[@]}"
echo "summary: ${PASSED} passed, ${FAILED} failed, ${SKIPPED} skipped"
(( FAILED == 0 ))
