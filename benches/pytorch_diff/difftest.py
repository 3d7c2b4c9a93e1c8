#!/usr/bin/env python3
"""Randomized differential test: LR Playground core (Rust) vs real PyTorch (float64).

    python3 difftest.py [--seed S] [--sched N_PER_SCHEDULER] [--sim N_PER_SCHEDULER]
                                         [--wild FRACTION] [--out DIR] [--only NAME,...]

Builds nothing: expects the `pytorch_diff` example built (see run.sh). Writes DIR/cases.json,
DIR/app.json, DIR/results.json (every case with its verdict) and prints a summary.
Tolerance: the repo's own parity tolerance |app - torch| <= 1e-12 + 1e-9*|torch|; the summary
also counts exact (bit-identical) agreement and the largest ulp distance.
"""
import argparse
import collections
import json
import math
import os
import random
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
import torch_ref  # noqa: E402
_HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(_HERE))
EXE = os.path.join(ROOT, "target", "release", "examples", "pytorch_diff")


def close(got, want):
    if isinstance(got, str) or isinstance(want, str):
        return str(got) == str(want)
    if math.isnan(got) and math.isnan(want):
        return True
    return abs(got - want) <= 1e-12 + 1e-9 * abs(want)


def ordered(x):
    i = struct.unpack("<q", struct.pack("<d", x))[0]
    return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)


def ulps(a, b):
    if isinstance(a, str) or isinstance(b, str) or math.isnan(a) or math.isnan(b):
        return 0 if str(a) == str(b) else 2 ** 62
    return abs(ordered(float(a)) - ordered(float(b)))


def fl(v):
    return float(v) if not isinstance(v, str) else float(v.replace("inf", "inf"))


def cmp_series(name, got, want, out):
    """Compare the common prefix; record the first mismatch and ulp stats."""
    n = min(len(got), len(want))
    worst = 0
    for k in range(n):
        g, w = fl(got[k]), fl(want[k])
        u = ulps(g, w)
        worst = max(worst, u)
        if not close(g, w):
            out["mismatch"].append({"series": name, "index": k, "app": g, "torch": w,
                                    "rel": abs(g - w) / max(abs(w), 1e-300) if math.isfinite(g - w) else None})
            break
    out["max_ulps"][name] = worst


def judge_sched(case, app, ref):
    v = {"id": case["id"], "name": case["name"], "kind": "sched", "mismatch": [], "max_ulps": {}}
    if not app.get("accepted"):
        v["verdict"] = "both_refuse" if not ref.get("accepted") else "app_refuses"
        v["app_error"] = app.get("error")
        v["torch_error"] = ref.get("error")
        return v
    if not ref.get("accepted"):
        v["verdict"] = "torch_refuses"
        v["torch_error"] = ref.get("error")
        return v
    cmp_series("lr", app["lr"], ref["lr"], v)
    cmp_series("momentum", app["momentum"], ref["momentum"], v)
    la, lt = len(app["lr"]), len(ref["lr"])
    v["len"] = [la, lt]
    if v["mismatch"]:
        v["verdict"] = "MISMATCH"
    elif la < lt:
        v["verdict"] = "app_stops_early"
        v["app_error"] = app.get("step_error")
        v["torch_next_lr"] = ref["lr"][la]
    elif lt < la:
        v["verdict"] = "torch_stops_early"
        v["torch_error"] = ref.get("step_error")
    else:
        exact = all(ulps(fl(a), b) == 0 for a, b in zip(app["lr"], ref["lr"])) and \
            all(ulps(fl(a), b) == 0 for a, b in zip(app["momentum"], ref["momentum"]))
        v["verdict"] = "exact" if exact else "close"
    return v


def judge_sim(case, app, ref):
    v = {"id": case["id"], "name": case["name"], "kind": "sim", "mismatch": [], "max_ulps": {}}
    if not app.get("accepted"):
        v["verdict"] = "app_refuses"
        v["app_error"] = app.get("error")
        return v
    if ref.get("error", "") and ref["error"].startswith("construct"):
        v["verdict"] = "torch_refuses"
        v["torch_error"] = ref["error"]
        return v
    cmp_series("loss0", [app["loss0"]], [ref["loss0"]], v)
    for s in ("lr", "momentum", "train_loss", "val_loss", "accuracy", "step_lr"):
        cmp_series(s, app[s], ref[s], v)
    wa = [x for w in app["weights"] for x in w]
    wt = [x for w in ref["weights"][:len(app["weights"])] for x in w]
    cmp_series("weights", wa, wt, v)
    kept = len(app["train_loss"])
    # divergence: app stops at the first epoch whose loss is not finite or > 1e6*|loss0|
    limit = 1e6 * max(abs(fl(app["loss0"])), 1e-12)
    first = next((k for k, L in enumerate(ref["train_loss"]) if not math.isfinite(L) or L > limit), None)
    v["len"] = [kept, len(ref["train_loss"])]
    notes = []
    if app.get("divergence"):
        if first != app["divergence"]["epoch"]:
            notes.append(f"app marks divergence at epoch {app['divergence']['epoch']}, torch's loss first exceeds "
                         f"the limit at {first}")
    elif app.get("halted"):
        if ref.get("error") is None:
            notes.append(f"app halted ({app['halted'][:80]}) but torch ran all epochs")
        v["torch_error"] = ref.get("error")
        v["app_halted"] = app["halted"]
    elif kept != case["sim"]["epochs"] and kept != len(app["lr"]):
        notes.append("app stopped without divergence/halt")
    if not app.get("divergence") and not app.get("halted") and ref.get("error"):
        notes.append(f"torch raised: {ref['error'][:120]}")
    if not app.get("divergence") and not app.get("halted") and kept < len(ref["train_loss"]):
        notes.append("app kept fewer epochs")
    v["notes"] = notes
    if v["mismatch"]:
        v["verdict"] = "MISMATCH"
    elif notes:
        v["verdict"] = "DIFFERENT_END"
    else:
        v["verdict"] = "close"
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sched", type=int, default=200, help="scheduler-only cases per scheduler")
    ap.add_argument("--sim", type=int, default=20, help="SGD cases per scheduler (+ 'None')")
    ap.add_argument("--wild", type=float, default=0.3, help="fraction of scheduler cases with out-of-range values")
    ap.add_argument("--only", default="", help="comma-separated scheduler names")
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "pytorch-diff", "out"))
    a = ap.parse_args()
    r = random.Random(a.seed)
    names = [n for n in gen.ALL if not a.only or n in a.only.split(",")]
    cases = []
    for name in names:
        for _ in range(a.sched):
            cases.append(gen.sched_case(r, len(cases), name, r.random() < a.wild))
    for name in names + ([None] if not a.only else []):
        for _ in range(a.sim):
            cases.append(gen.sim_case(r, len(cases), name))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "cases.json"), "w") as f:
        json.dump(cases, f)
    t0 = time.time()
    exe = EXE
    proc = subprocess.run([exe, os.path.join(a.out, "cases.json")], capture_output=True, text=True, check=True)
    apps = json.loads(proc.stdout)
    with open(os.path.join(a.out, "app.json"), "w") as f:
        json.dump(apps, f)
    t1 = time.time()
    results = []
    for case, app in zip(cases, apps):
        assert case["id"] == app["id"]
        if case["kind"] == "sched":
            ref = torch_ref.sched_trace(case["scheduler"], case["lr"], case["momentum"], case["steps"],
                                        case.get("metrics", []))
            v = judge_sched(case, app, ref)
        else:
            if app.get("accepted"):
                ref = torch_ref.sim_run(app)
            else:
                ref = {}
            v = judge_sim(case, app, ref)
        v["fragment"] = app.get("fragment")
        v["roundtrip"] = app.get("roundtrip")
        v["case"] = case
        results.append(v)
    t2 = time.time()
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    # summary
    table = collections.defaultdict(collections.Counter)
    worst = collections.defaultdict(int)
    for v in results:
        table[(v["kind"], v["name"])][v["verdict"]] += 1
        for s, u in v["max_ulps"].items():
            if v["verdict"] in ("exact", "close", "MISMATCH", "DIFFERENT_END", "app_stops_early", "torch_stops_early"):
                worst[(v["kind"], v["name"], s)] = max(worst[(v["kind"], v["name"], s)], u)
    print(f"app {t1 - t0:.1f}s, torch {t2 - t1:.1f}s, {len(cases)} cases -> {a.out}/results.json")
    for (kind, name), c in sorted(table.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        ws = {s: u for (k, n, s), u in worst.items() if k == kind and n == name}
        print(f"{kind:5} {str(name):28} n={sum(c.values()):4}  " + ", ".join(f"{k}={n}" for k, n in sorted(c.items()))
              + "  max_ulps " + json.dumps(ws))
    bad = [v for v in results if v["verdict"] in ("MISMATCH", "DIFFERENT_END")]
    print(f"{len(bad)} MISMATCH/DIFFERENT_END; not round-tripping links: "
          f"{sum(1 for v in results if v.get('roundtrip') is False)}")


if __name__ == "__main__":
    main()
