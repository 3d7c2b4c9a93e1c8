#!/usr/bin/env bash
# Installs everything LR Playground needs to build, serve and test, at pinned versions.
# Idempotent: whatever is already present at the right version is skipped.
#
#   scripts/setup.sh          (scripts/serve.sh and scripts/test.sh run it first)
#   LRP_SKIP_BROWSER=1 scripts/setup.sh   build tools only (no Chromium), e.g. for deploys
#
# Network use: crates.io (cargo), the npm registry (npm ci), Debian apt (only if Chromium is
# missing). Nothing else: no tool or browser binary is downloaded from the web, and the build
# (trunk --offline) finds wasm-bindgen and wasm-opt on PATH at the versions pinned in Trunk.toml.
#
set -euo pipefail

_lrp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

_lrp_t0=$(date +%s)
_lrp_installed=()
_lrp_log() { printf '[setup] %s\n' "$*"; }
_lrp_die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
_lrp_timed() { # label, command...
  local label="$1"; shift
  local t=$(date +%s)
  _lrp_log "installing ${label} ..."
  "$@"
  _lrp_log "installed ${label} in $(( $(date +%s) - t ))s"
  _lrp_installed+=("${label} ($(( $(date +%s) - t ))s)")
}

export PATH="${_lrp_root}/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:${PATH}"
cd "${_lrp_root}"

command -v cargo >/dev/null || _lrp_die "cargo not found: install Rust with rustup first"
command -v rustup >/dev/null || _lrp_die "rustup not found"
command -v node >/dev/null || _lrp_die "node not found (Node.js 20 + npm are expected)"
command -v npm >/dev/null || _lrp_die "npm not found"
command -v python3 >/dev/null || _lrp_die "python3 not found"

# 1. Rust target for the browser.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  _lrp_log "ok: rust target wasm32-unknown-unknown"
else
  _lrp_timed "rust target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi

# 2. Crate sources, so that later builds can run with --offline (and Trunk never downloads).
_lrp_t=$(date +%s)
cargo fetch --quiet
_lrp_log "ok: cargo fetch ($(( $(date +%s) - _lrp_t ))s)"

# 3. Trunk.
_lrp_have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "${_lrp_have_trunk}" == "${TRUNK_VERSION}" ]]; then
  _lrp_log "ok: trunk ${TRUNK_VERSION}"
else
  _lrp_log "trunk ${TRUNK_VERSION} needed (found: ${_lrp_have_trunk:-none}); this takes ~10-16 min on 2 cores"
  _lrp_timed "trunk ${TRUNK_VERSION}" cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# 4. wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen (the CLI must match the crate).
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
[[ -n "${WASM_BINDGEN_VERSION}" ]] || _lrp_die "no wasm-bindgen in Cargo.lock"
_lrp_trunk_wbg="$(sed -n 's/^wasm_bindgen *= *"\(.*\)"/\1/p' Trunk.toml)"
[[ "${_lrp_trunk_wbg}" == "${WASM_BINDGEN_VERSION}" ]] ||
  _lrp_die "Trunk.toml [tools] wasm_bindgen = \"${_lrp_trunk_wbg}\" but Cargo.lock has wasm-bindgen ${WASM_BINDGEN_VERSION}: update Trunk.toml"
_lrp_have_wbg="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
_lrp_have_wbtr="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "${_lrp_have_wbg}" == "${WASM_BINDGEN_VERSION}" && "${_lrp_have_wbtr}" == "${WASM_BINDGEN_VERSION}" ]]; then
  _lrp_log "ok: wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
else
  _lrp_log "wasm-bindgen-cli ${WASM_BINDGEN_VERSION} needed (found: ${_lrp_have_wbg:-none}); ~5 min"
  # Not --locked: the CLI's own lock file pins a crate version that is no longer available.
  _lrp_timed "wasm-bindgen-cli ${WASM_BINDGEN_VERSION}" cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# 5. Chromium + ChromeDriver (Debian packages) for the wasm-bindgen and Playwright tests.
# LRP_SKIP_BROWSER=1 skips this for build-only use (the GitHub Pages workflow).
if [[ "${LRP_SKIP_BROWSER:-0}" == 1 ]]; then
  _lrp_log "skipped: chromium (LRP_SKIP_BROWSER=1)"
elif [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  _lrp_log "ok: $(/usr/bin/chromium --version 2>/dev/null | head -1), chromedriver present"
else
  _lrp_apt() {
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; fi
  }
  _lrp_timed "chromium + chromium-driver (apt)" _lrp_apt
fi

# 6. npm devDependencies (playwright-core, binaryen's wasm-opt, axe-core) at package.json's pins.
if node -e '
  const pkg = require("./package.json");
  for (const [name, want] of Object.entries(pkg.devDependencies || {})) {
    let have = null;
    try { have = require(`./node_modules/${name}/package.json`).version; } catch {}
    if (have !== want) process.exit(1);
  }' 2>/dev/null; then
  _lrp_log "ok: npm devDependencies ($(node -p 'Object.entries(require("./package.json").devDependencies).map(([k,v])=>k+"@"+v).join(", ")'))"
else
  if [[ -f package-lock.json ]]; then
    _lrp_timed "npm devDependencies (npm ci)" npm ci --no-audit --no-fund --loglevel=error
  else
    _lrp_timed "npm devDependencies (npm install)" npm install --no-audit --no-fund --loglevel=error
  fi
fi
WASM_OPT_VERSION="$(sed -n 's/^wasm_opt *= *"\(.*\)"/\1/p' Trunk.toml)"
_lrp_have_wo="$(wasm-opt --version 2>/dev/null | sed -n 's/.*(\(version_[0-9]*\)).*/\1/p')"
[[ "${_lrp_have_wo}" == "${WASM_OPT_VERSION}" ]] ||
  _lrp_die "wasm-opt on PATH is '${_lrp_have_wo:-none}', Trunk.toml wants ${WASM_OPT_VERSION}"
_lrp_log "ok: wasm-opt ${_lrp_have_wo} ($(command -v wasm-opt))"

if ((${#_lrp_installed[@]})); then
  _lrp_log "installed: ${_lrp_installed[*]}"
else
  _lrp_log "nothing to install"
fi
_lrp_log "setup done in $(( $(date +%s) - _lrp_t0 ))s"
