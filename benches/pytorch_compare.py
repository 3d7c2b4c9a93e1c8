#!/usr/bin/env python3
"""Run the simulator's benchmark scenarios with PyTorch's own SGD and scheduler.

Usage: python3 benches/pytorch_compare.py [default|heavy ...]
Needs `torch` (skips with a message otherwise). For each scenario it runs
`cargo run --release --example scenario -- NAME`, which prints the data set, every epoch's
minibatches, the config and the Rust simulator's best time; it replays exactly that training
in PyTorch (float64, the loop of tests/golden/sgd.json), checks that the loss traces agree
and prints both times and their ratio.
"""
import json
import subprocess
import sys
import time

try:
    import torch
except ImportError:
    print("pytorch_compare: torch is not installed; skipping (pip install torch to compare)")
    sys.exit(0)


def run_torch(s):
    x = torch.tensor(s["x"], dtype=torch.float64)
    y = torch.tensor(s["y"], dtype=torch.float64)
    l2 = s["l2"]
    w = torch.tensor(s["w0"], dtype=torch.float64, requires_grad=True)
    o = s["optimizer"]
    opt = torch.optim.SGD([w], lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                          nesterov=o["nesterov"], weight_decay=o["weight_decay"])
    sc = dict(s["scheduler"])
    cls = getattr(torch.optim.lr_scheduler, sc.pop("type"))
    sched = cls(opt, **sc)
    batches = [[torch.tensor(b, dtype=torch.long) for b in ep] for ep in s["batches"]]

    def loss_fn(xb, yb):
        z = xb @ w[:2] + w[2]
        return (torch.nn.functional.softplus(z) - yb * z).mean() + 0.5 * l2 * (w[:2] ** 2).sum()

    losses = []
    t0 = time.perf_counter()
    for ep in batches:
        for b in ep:
            opt.zero_grad()
            loss_fn(x[b], y[b]).backward()
            opt.step()
        with torch.no_grad():
            losses.append(loss_fn(x, y).item())
        sched.step()
    return time.perf_counter() - t0, losses


def main():
    names = sys.argv[1:] or ["default", "heavy"]
    torch.set_num_threads(1)
    for name in names:
        out = subprocess.run(["cargo", "run", "-q", "--release", "--example", "scenario", "--", name],
                             check=True, capture_output=True, text=True).stdout
        s = json.loads(out)
        seconds, losses = run_torch(s)
        worst = max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(s["loss_trace"], losses))
        rust = s["rust_seconds"]
        print(f"{name}: rust {rust * 1e3:.3f} ms, torch {seconds * 1e3:.1f} ms, "
              f"torch/rust = {seconds / rust:.0f}x; loss traces agree to {worst:.1e} (relative)")
        if worst > 1e-9:
            print(f"{name}: loss traces differ more than 1e-9", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
