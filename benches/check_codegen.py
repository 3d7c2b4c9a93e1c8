#!/usr/bin/env python3
"""Runs the PyTorch code the playground generates, for every preset and every scheduler,
with real PyTorch, and checks the learning rates it prints match the simulator's trace (and
the losses too on the quadratic bowl without noise, where both train the very same problem).

Usage: python3 benches/check_codegen.py   (needs torch; skips with a message otherwise)
"""
import contextlib
import io
import json
import math
import subprocess
import sys

try:
    import torch  # noqa: F401
except ImportError:
    print("check_codegen: torch is not installed; skipping")
    sys.exit(0)

out = subprocess.run(["cargo", "run", "-q", "--example", "pytorch_code"], check=True, capture_output=True,
                     text=True).stdout


def first_mismatch(got, want):
    """Index of the first value that differs beyond 1e-9 relative (1e-12 absolute), or None."""
    return next((k for k, (a, b) in enumerate(zip(got, want))
                 if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)), None)


failures = 0
cases = [json.loads(line) for line in out.splitlines()]
for case in cases:
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(case["code"], case["name"], "exec"), {"__name__": "__main__"})
    except Exception as e:  # noqa: BLE001
        failures += 1
        print(f"FAIL {case['name']}: the generated code raised {type(e).__name__}: {e}")
        continue
    printed = [float(line.split()[1]) for line in buf.getvalue().splitlines()]
    ours = case["lr"][1:]  # lr printed after epoch e = lr at the start of epoch e + 1
    if case["data_dependent"]:
        status = "ran (lr depends on the data, which differ)"
    else:
        k = first_mismatch(printed, ours)
        if k is not None:
            failures += 1
            print(f"FAIL {case['name']}: epoch {k + 1}: PyTorch lr {printed[k]!r}, playground {ours[k]!r}")
            continue
        status = f"{len(ours)} lrs match"
        if case["loss"] is not None:
            losses = [float(line.split()[2]) for line in buf.getvalue().splitlines()]
            want = case["loss"]  # the quadratic's loss after each epoch, until a divergence
            k = first_mismatch(losses, want)
            if k is not None:
                failures += 1
                print(f"FAIL {case['name']}: epoch {k}: PyTorch loss {losses[k]!r}, playground {want[k]!r}")
                continue
            status += f", {len(want)} losses match"
    print(f"ok   {case['name']}: {status}")
print(f"{len(cases) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
