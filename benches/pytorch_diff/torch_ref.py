"""Reference side: build real torch.optim.lr_scheduler / torch.optim.SGD from the app's
serde configs and run the loops of tests/golden/*.json (float64)."""
import math
import warnings

import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

LS = torch.optim.lr_scheduler

ENV = {"cos": math.cos, "sin": math.sin, "exp": math.exp, "log": math.log, "sqrt": math.sqrt,
       "floor": math.floor, "min": min, "max": max, "abs": abs, "pi": math.pi, "e": math.e,
       "math": math, "__builtins__": {}}


def make_fn(src, var):
    return eval(f"lambda {var}: ({src})", dict(ENV))


def build(opt, cfg):
    """A scheduler on `opt` from the app's serde config (PyTorch's names)."""
    cfg = dict(cfg)
    t = cfg.pop("type")
    if t in ("LambdaLR", "MultiplicativeLR"):
        return getattr(LS, t)(opt, lr_lambda=make_fn(cfg["lr_lambda"], "epoch"))
    if t == "CyclicLR":
        if cfg.get("scale_fn") is not None:
            cfg["scale_fn"] = make_fn(cfg["scale_fn"], "x")
        return LS.CyclicLR(opt, **cfg)
    if t == "SequentialLR":
        children = [build(opt, c) for c in cfg["schedulers"]]
        return LS.SequentialLR(opt, schedulers=children, milestones=list(cfg["milestones"]))
    if t == "ChainedScheduler":
        children = [build(opt, c) for c in cfg["schedulers"]]
        return LS.ChainedScheduler(children, optimizer=opt)
    return getattr(LS, t)(opt, **cfg)


def sched_trace(cfg, lr, momentum, steps, metrics):
    """lr/momentum right after construction and after each step (the golden's definition).
    Returns dict(accepted, error, lr, momentum, step_error, step_error_at)."""
    w = torch.zeros(1, requires_grad=True)
    out = {"accepted": True, "lr": [], "momentum": [], "step_error": None}
    try:
        opt = torch.optim.SGD([w], lr=lr, momentum=momentum)
        s = build(opt, cfg)
    except Exception as e:  # noqa: BLE001
        return {"accepted": False, "error": f"{type(e).__name__}: {e}"}
    g = opt.param_groups[0]
    out["lr"].append(float(g["lr"]))
    out["momentum"].append(float(g["momentum"]))
    plateau = isinstance(s, LS.ReduceLROnPlateau)
    for k in range(steps):
        try:
            if plateau:
                s.step(metrics[k] if k < len(metrics) else 0.0)
            else:
                s.step()
        except Exception as e:  # noqa: BLE001
            out["step_error"] = f"{type(e).__name__}: {e}"
            break
        out["lr"].append(float(g["lr"]))
        out["momentum"].append(float(g["momentum"]))
    return out


def sim_run(app, nudge_at=None):
    """Replay the app's run (its data, minibatch orders, gradient noise) in PyTorch, with the
    loop of sim.rs / tests/golden/sgd.json. Keeps going past a blow-up, as PyTorch does."""
    cfg = app["cfg"]
    p = app["problem"]
    o = cfg["optimizer"]
    per_batch = app["per_batch"]
    epochs = cfg["epochs"]
    w = torch.tensor(app["w0"], requires_grad=True)
    res = {"lr": [], "momentum": [], "train_loss": [], "val_loss": [], "accuracy": [], "weights": [],
           "step_lr": [], "error": None}
    try:
        opt = torch.optim.SGD([w], lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                              nesterov=o["nesterov"], weight_decay=o["weight_decay"])
        sched = build(opt, cfg["scheduler"]) if cfg["scheduler"] is not None else None
    except Exception as e:  # noqa: BLE001
        res["error"] = f"construct: {type(e).__name__}: {e}"
        return res
    plateau = isinstance(sched, LS.ReduceLROnPlateau)
    g = opt.param_groups[0]
    if p["type"] == "quadratic":
        A = torch.tensor(p["a"])
        c = torch.tensor(p["c"])

        def loss_fn(_batch):
            d = w - c
            return 0.5 * (d @ (A @ d))

        def full_loss():
            return loss_fn(None)
        batches = [[None] * app["batches"]["quadratic_steps"] for _ in range(epochs)]
        val = None
    else:
        X = torch.tensor(p["x"])
        Y = torch.tensor(p["y"])
        l2 = p["l2"]
        VX = torch.tensor(p["val_x"]) if p["val_x"] else None
        VY = torch.tensor(p["val_y"]) if p["val_y"] else None

        def lossxy(xb, yb):
            z = xb @ w[:2] + w[2]
            return (torch.nn.functional.softplus(z) - yb * z).mean() + 0.5 * l2 * (w[:2] ** 2).sum()

        def loss_fn(b):
            return lossxy(X[b], Y[b])

        def full_loss():
            return lossxy(X, Y)
        batches = [[torch.tensor(b, dtype=torch.long) for b in ep] for ep in app["batches"]]
        val = (VX, VY)
    noise = [torch.tensor(n) for n in app["noise"]]
    with torch.no_grad():
        res["loss0"] = full_loss().item()
    step = 0
    try:
        for e in range(epochs):
            res["lr"].append(float(g["lr"]))
            res["momentum"].append(float(g["momentum"]))
            for b in batches[e]:
                opt.zero_grad()
                loss_fn(b).backward()
                if noise:
                    w.grad.add_(noise[step])
                res["step_lr"].append(float(g["lr"]))
                opt.step()
                step += 1
                if per_batch and sched is not None:
                    sched.step()
            with torch.no_grad():
                if nudge_at == e:  # sensitivity probe: move every weight by one ulp
                    w.copy_(torch.nextafter(w, torch.full_like(w, math.inf)))
                L = full_loss().item()
                res["train_loss"].append(L)
                res["weights"].append(w.detach().tolist())
                metric = L
                if val is not None and val[0] is not None:
                    v = lossxy(*val).item()
                    z = val[0] @ w[:2] + w[2]
                    acc = ((z > 0) == (val[1] > 0.5)).double().mean().item()
                    res["val_loss"].append(v)
                    res["accuracy"].append(acc)
                    metric = v
            if not per_batch and sched is not None:
                if plateau:
                    sched.step(metric)
                else:
                    sched.step()
    except Exception as e:  # noqa: BLE001
        res["error"] = f"epoch {len(res['train_loss'])}: {type(e).__name__}: {e}"
    return res
