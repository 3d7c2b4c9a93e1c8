#!/usr/bin/env python3
"""Group the results of difftest.py: known discrepancy classes, then everything else.
    python3 analyze.py out_main/results.json [--all]"""
import collections, json, sys

R = json.load(open(sys.argv[1]))
SHOW_ALL = "--all" in sys.argv


def sched_of(v):
    return v["case"]["scheduler"] if v["kind"] == "sched" else v["case"]["sim"]["scheduler"]


def kids(c):
    return c.get("schedulers", []) if c else []


def classify(v):
    c = sched_of(v)
    ks = kids(c)
    names = [k["type"] for k in ks]
    m = v["mismatch"][0] if v["mismatch"] else None
    tags = []
    if c and c["type"] == "ChainedScheduler" and "CyclicLR" in names[1:]:
        tags.append("A:CyclicLR-not-first-in-chain")
    if c and c["type"] == "SequentialLR" and "MultiplicativeLR" in names[1:]:
        tags.append("B:MultiplicativeLR-after-milestone")
    if c and names.count("OneCycleLR") + (names.count("CyclicLR") if "OneCycleLR" in names else 0) >= 2:
        i = names.index("OneCycleLR")
        if any(n in ("OneCycleLR", "CyclicLR") for n in names[i + 1:]):
            tags.append("C:OneCycleLR-then-OneCycle/Cyclic")
    if not tags and v["kind"] == "sim":
        a = v.get("app_halted") or ""
        if any("halted" in n for n in v.get("notes", [])) or a:
            tags.append("H:app-halts-on-negative-lr/OneCycle-end (partial last epoch)")
    return tags


groups = collections.defaultdict(list)
for v in R:
    if v["verdict"] in ("MISMATCH", "DIFFERENT_END"):
        t = classify(v)
        groups[" + ".join(t) if t else "UNEXPLAINED"].append(v)
for g, vs in sorted(groups.items()):
    print(f"== {g}: {len(vs)} ({collections.Counter(v['kind'] for v in vs)})")
    for v in vs[: (100 if g == 'UNEXPLAINED' or SHOW_ALL else 2)]:
        print("  ", v["kind"], v["name"], v["mismatch"][:1], v.get("notes"))
        print("     ", json.dumps(sched_of(v))[:400])
print()
print("== app_stops_early (app refuses a step torch takes)")
c = collections.Counter()
ex = {}
for v in R:
    if v["verdict"] == "app_stops_early":
        key = (v["name"], (v.get("app_error") or "")[:70])
        c[key] += 1
        ex.setdefault(key, v)
for k, n in c.most_common():
    print(f"  {n:4} {k}  torch_next_lr={ex[k].get('torch_next_lr')}")
print("== torch_stops_early")
for v in R:
    if v["verdict"] == "torch_stops_early":
        print("  ", v["name"], v.get("torch_error"), json.dumps(sched_of(v))[:300])
print("== close (not bit-identical) scheduler traces")
for v in R:
    if v["verdict"] == "close" and v["kind"] == "sched":
        print("  ", v["name"], v["max_ulps"], json.dumps(sched_of(v))[:200])
print("== app refuses, torch accepts (first 70 chars of the app's message)")
c = collections.Counter()
for v in R:
    if v["verdict"] == "app_refuses" and v["kind"] == "sched":
        c[(v["name"], (v.get("app_error") or "")[:90])] += 1
for k, n in c.most_common():
    print(f"  {n:4} {k}")
print("== torch refuses, app accepts")
for v in R:
    if v["verdict"] == "torch_refuses":
        print("  ", v["name"], v.get("torch_error"), json.dumps(sched_of(v))[:200])
