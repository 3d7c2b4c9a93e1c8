#!/usr/bin/env bash
# Builds LR Playground and serves it on http://127.0.0.1:<port>/ with live reload.
#
#   scripts/serve.sh              debug build (fast rebuilds), port 8080 or the next free one
#   scripts/serve.sh --release    optimized build, as deployed (wasm-opt -Oz)
#   PORT=9000 scripts/serve.sh    another port
# Extra arguments go to `trunk serve`. Stop with Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
bash scripts/setup.sh
export PATH="${ROOT}/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:${PATH}"

port="${PORT:-8080}"
port_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
for _ in $(seq 1 50); do port_free "${port}" && break; port=$((port + 1)); done
port_free "${port}" || { echo "[serve] no free port from ${PORT:-8080}" >&2; exit 1; }

echo "[serve] LR Playground will be at  http://127.0.0.1:${port}/  once the first build finishes (Ctrl-C stops)"
exec trunk serve --offline --address 127.0.0.1 --port "${port}" "$@"
