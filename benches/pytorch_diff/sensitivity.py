#!/usr/bin/env python3
"""Is an SGD mismatch just rounding amplified by an unstable run? Re-run PyTorch on the same
case with the weights nudged by one ulp at an earlier epoch (0, 1/4, 1/2 of the way, 3 before) and report how far PyTorch moves from itself at the mismatch.
    python3 sensitivity.py OUT_DIR ID [ID ...]"""
import copy, json, math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_ref
d = sys.argv[1]
A = {a["id"]: a for a in json.load(open(os.path.join(d, "app.json")))}
R = {v["id"]: v for v in json.load(open(os.path.join(d, "results.json")))}
for i in map(int, sys.argv[2:]):
    app = A[i]; v = R[i]
    base = torch_ref.sim_run(app)
    for m in v["mismatch"][:2]:
        s, k = m["series"], m["index"]
        ep = k // len(app["w0"]) if s == "weights" else k
        best = 0.0
        for at in sorted({0, ep // 4, ep // 2, max(0, ep - 3)}):
            pert = torch_ref.sim_run(app, nudge_at=at)
            if s == "weights":
                flat = lambda r: [x for w in r["weights"] for x in w]
                t0, t1 = flat(base)[k], flat(pert)[k]
            else:
                t0, t1 = base[s][k], pert[s][k]
            best = max(best, abs(t0 - t1) / max(abs(t0), 1e-300))
        print(f"case {i} {v['name']}: {s}[{k}] app-vs-torch rel {m['rel']:.2e}; torch-vs-torch (weights nudged "
              f"1 ulp at one earlier epoch) up to rel {best:.2e}")
