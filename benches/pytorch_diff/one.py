#!/usr/bin/env python3
"""Compare one scheduler config side by side:
    python3 one.py '{"type": "StepLR", "step_size": 2}' LR MOMENTUM STEPS [METRICS_JSON]
Prints step, app lr, torch lr (and momenta) and marks differing steps with '<<'."""
import json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_ref
_HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(_HERE))
EXE = os.path.join(ROOT, "target", "release", "examples", "pytorch_diff")
cfg = json.loads(sys.argv[1]); lr = float(sys.argv[2]); mom = float(sys.argv[3]); steps = int(sys.argv[4])
metrics = json.loads(sys.argv[5]) if len(sys.argv) > 5 else []
case = {"id": 0, "kind": "sched", "scheduler": cfg, "lr": lr, "momentum": mom, "steps": steps, "metrics": metrics}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump([case], f)
exe = EXE
app = json.loads(subprocess.run([exe, f.name], capture_output=True, text=True, check=True).stdout)[0]
ref = torch_ref.sched_trace(cfg, lr, mom, steps, metrics)
print("link:", app.get("fragment"))
if not app.get("accepted"): print("APP REFUSES:", app.get("error"))
if not ref.get("accepted"): print("TORCH REFUSES:", ref.get("error"))
if app.get("step_error"): print("app step error:", app["step_error"])
if ref.get("step_error"): print("torch step error:", ref["step_error"])
A = app.get("lr", []); T = ref.get("lr", []); AM = app.get("momentum", []); TM = ref.get("momentum", [])
for k in range(max(len(A), len(T))):
    a = A[k] if k < len(A) else None; t = T[k] if k < len(T) else None
    am = AM[k] if k < len(AM) else None; tm = TM[k] if k < len(TM) else None
    flag = "<<" if a != t or am != tm else ""
    print(f"{k:4} app {a!r:>24} torch {t!r:>24}   mom app {am!r:>20} torch {tm!r:>20} {flag}")
