#!/usr/bin/env python3
"""Run a link fragment in the app and in PyTorch (same data, batches, noise) and print the
per-epoch lr and loss side by side:
    python3 frag.py 'scheduler=...&lr=...&epochs=...' [EPOCHS_TO_SHOW]"""
import json, os, subprocess, sys, tempfile
HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, HERE)
import torch_ref
_HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(_HERE))
EXE = os.path.join(ROOT, "target", "release", "examples", "pytorch_diff")
exe = EXE
def call(cases):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cases, f)
    return json.loads(subprocess.run([exe, f.name], capture_output=True, text=True, check=True).stdout)
d = call([{"id": 0, "kind": "link", "fragment": sys.argv[1]}])[0]
if d["notices"]: print("notices:", d["notices"])
app = call([{"id": 0, "kind": "sim", "sim": d["cfg"]}])[0]
if not app.get("accepted"): sys.exit("app refuses: " + app.get("error", ""))
ref = torch_ref.sim_run(app)
if ref.get("error"): print("torch:", ref["error"])
if app.get("halted"): print("app halted:", app["halted"])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
for e in range(min(n, max(len(app["lr"]), len(ref["lr"])))):
    g = lambda r, k: r[k][e] if e < len(r[k]) else None
    print(f"epoch {e:3}: lr app {g(app,'lr')!r:>22} torch {g(ref,'lr')!r:>22} | mom app {g(app,'momentum')!r:>8} torch {g(ref,'momentum')!r:>8} | loss app {g(app,'train_loss')!r:>22} torch {g(ref,'train_loss')!r:>22}")
