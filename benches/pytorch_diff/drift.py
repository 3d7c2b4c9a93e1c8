#!/usr/bin/env python3
"""Per-epoch relative difference app vs torch of one SGD case:
    python3 drift.py OUT_DIR ID"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_ref
d, i = sys.argv[1], int(sys.argv[2])
app = {a["id"]: a for a in json.load(open(os.path.join(d, "app.json")))}[i]
ref = torch_ref.sim_run(app)
print(json.dumps({k: app["cfg"][k] for k in ("problem", "optimizer", "epochs", "stepping")}))
print(json.dumps(app["cfg"]["scheduler"])[:300])
print("fragment:", app["fragment"])
for e in range(len(app["train_loss"])):
    wa, wt = app["weights"][e], ref["weights"][e]
    rw = max(abs(a - b) / max(abs(b), 1e-300) for a, b in zip(wa, wt))
    L, T = app["train_loss"][e], ref["train_loss"][e]
    print(f"{e:4} lr {app['lr'][e]:.6g} {'==' if app['lr'][e] == ref['lr'][e] else '!='} mom {app['momentum'][e]:.4g}"
          f" loss app {L:.17g} torch {T:.17g} rel {abs(L - T) / abs(T):.1e}  w rel {rw:.1e} w {wt}")
