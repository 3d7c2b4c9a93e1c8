"""Random scheduler / SGD configurations in the app's serde form (PyTorch's names).

`wild=True` also draws values outside what the app accepts (to compare refusals);
`wild=False` stays inside the app's documented ranges (so that the runs go through)."""
import math
import random

SIMPLE = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
          "LinearLR", "ConstantLR", "PolynomialLR", "LambdaLR", "MultiplicativeLR", "CyclicLR",
          "OneCycleLR"]
ALL = SIMPLE + ["ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"]


def loguni(r, lo, hi):
    return math.exp(r.uniform(math.log(lo), math.log(hi)))


def pick(r, edges, normal, p_edge=0.25):
    return r.choice(edges) if r.random() < p_edge else normal()


def rint(r, lo, hi):
    return r.randint(lo, hi)


LAMBDAS = [
    "{a} ** epoch", "1 / (1 + {a} * epoch)", "max({a}, 1 - epoch / {n})", "{a} if epoch < {n} else {b}",
    "exp(-{a} * epoch)", "0.5 * (1 + cos(pi * epoch / {n}))", "min(1.0, (epoch + 1) / {n})",
    "{a} ** (epoch // {n})", "sqrt(1 / (epoch + 1))", "(epoch % {n} + 1) / {n}", "floor(epoch / {n}) * {a} + 1",
    "epoch ** 2 / {n} ** 2 + {a}", "2 ** -epoch", "log(epoch + 2, {n} + 1)", "abs(sin(epoch / {n})) + {a}",
    "1 - epoch / {n}", "{a}", "{a} * 0.1 ** (epoch >= {n})", "(epoch + 1) ** -0.5",
    "min((epoch + 1) / {n}, {a} ** (epoch - {n}))", "epoch // {n} * 0.5 + {a}", "epoch / 3 % 1 + {a}",
    "1 / (epoch - {n})", "0.5 ** (epoch / {n})", "{a} ** 0.5 if epoch % 2 else 1", "max(0, 1 - epoch / {n}) ** {a}",
]
MULTS = ["{a}", "{a} if epoch % {n} else {b}", "1 - 1 / (epoch + {n})", "{a} ** 0.5", "0.95",
         "1 if epoch < {n} else {a}", "{a} + epoch / 1000", "exp(-{a})", "{b}", "1", "{a} ** (1 / epoch)"]
SCALES = ["1 / (2.0 ** (x - 1))", "{a} ** x", "1 / x", "max(0.1, 1 - x / {n})", "1.0", "{a}",
          "1 / (1 + {a} * x)", "0.5 * (1 + cos(pi * x / {n}))"]


def fill(r, tpl):
    a = r.choice([0.5, 0.9, 0.95, 0.99, 0.1, 1.0, 0.0, 1.5, round(r.uniform(0, 1.2), 3)])
    b = r.choice([0.1, 1.0, 0.5, 2.0, round(r.uniform(0, 1), 3)])
    n = r.choice([1, 2, 3, 5, 10, 30, rint(r, 1, 100)])
    return tpl.format(a=a, b=b, n=n)


def momenta(r, wild):
    if wild and r.random() < 0.1:
        return r.uniform(-0.2, 1.2), r.uniform(-0.2, 1.2)
    b = pick(r, [0.0, 0.85, 0.8, 0.5], lambda: r.uniform(0, 0.99))
    m = pick(r, [b, 0.9, 0.95, 0.99], lambda: r.uniform(b, 0.999))
    return b, m


def scheduler(r, name, lr, steps, wild, depth=0):
    W = wild
    if name == "StepLR":
        return {"type": name, "step_size": pick(r, [1, 2, steps] + ([0, -1] if W else []), lambda: rint(r, 1, 60)),
                "gamma": pick(r, [0.1, 0.5, 1.0, 2.0] + ([0.0, -0.5] if W else []), lambda: r.uniform(0.01, 1.5))}
    if name == "MultiStepLR":
        k = rint(r, 0, 6)
        hi = max(2, steps)
        ms = [rint(r, 1, hi) for _ in range(k)]
        if ms and r.random() < 0.3:
            ms.append(r.choice(ms))  # repeated
        if W and r.random() < 0.15:
            ms.append(r.choice([0, -3]))
        if r.random() < 0.5:
            r.shuffle(ms)
        return {"type": name, "milestones": ms,
                "gamma": pick(r, [0.1, 0.5, 1.0, 3.0] + ([0.0] if W else []), lambda: r.uniform(0.01, 1.5))}
    if name == "ExponentialLR":
        return {"type": name, "gamma": pick(r, [0.5, 0.9, 0.99, 1.0, 1.01] + ([0.0, -0.9] if W else []),
                                            lambda: r.uniform(0.8, 1.02))}
    if name == "CosineAnnealingLR":
        return {"type": name, "T_max": pick(r, [1, 2, 3, steps, max(1, steps // 3)] + ([0, -2] if W else []),
                                            lambda: rint(r, 1, 200)),
                "eta_min": pick(r, [0.0, lr, 2 * lr, 10 * lr, lr / 2] + ([-0.01] if W else []),
                                lambda: r.uniform(0, lr))}
    if name == "CosineAnnealingWarmRestarts":
        return {"type": name, "T_0": pick(r, [1, 2, 3, 10] + ([0] if W else []), lambda: rint(r, 1, 60)),
                "T_mult": pick(r, [1, 2, 3, 5] + ([0] if W else []), lambda: rint(r, 1, 4)),
                "eta_min": pick(r, [0.0, lr, 2 * lr, lr / 3], lambda: r.uniform(0, lr))}
    if name == "LinearLR":
        return {"type": name,
                "start_factor": pick(r, [1.0 / 3, 1.0, 0.1, 1e-3] + ([0.0, 1.5] if W else []), lambda: r.uniform(0.01, 1)),
                "end_factor": pick(r, [1.0, 0.0, 0.5, 1.0 / 3] + ([1.2, -0.1] if W else []), lambda: r.uniform(0, 1)),
                "total_iters": pick(r, [1, 2, 5, steps] + ([0] if W else []), lambda: rint(r, 1, 100))}
    if name == "ConstantLR":
        return {"type": name, "factor": pick(r, [1.0 / 3, 1.0, 0.5, 0.1] + ([0.0, 1.5] if W else []),
                                             lambda: r.uniform(0.01, 1)),
                "total_iters": pick(r, [1, 2, 5, steps] + ([0] if W else []), lambda: rint(r, 1, 100))}
    if name == "PolynomialLR":
        return {"type": name, "total_iters": pick(r, [1, 2, 5, steps] + ([0] if W else []), lambda: rint(r, 1, 200)),
                "power": pick(r, [0.0, 1.0, 2.0, 0.5, 0.9] + ([-1.0] if W else []), lambda: r.uniform(0, 5))}
    if name == "LambdaLR":
        return {"type": name, "lr_lambda": fill(r, r.choice(LAMBDAS))}
    if name == "MultiplicativeLR":
        return {"type": name, "lr_lambda": fill(r, r.choice(MULTS))}
    if name == "CyclicLR":
        base = pick(r, [0.0, lr / 10, 1e-3], lambda: loguni(r, 1e-5, 0.5))
        mx = pick(r, [base, 0.1, 1.0] + ([base / 2] if W else []), lambda: base + loguni(r, 1e-4, 1))
        c = {"type": name, "base_lr": base, "max_lr": mx,
             "step_size_up": pick(r, [1, 2, 5, 2000] + ([0] if W else []), lambda: rint(r, 1, 50)),
             "mode": r.choice(["triangular", "triangular2", "exp_range"]),
             "gamma": pick(r, [1.0, 0.99, 0.5] + ([1.01, 0.0] if W else []), lambda: r.uniform(0.9, 1)),
             "scale_mode": r.choice(["cycle", "iterations"]),
             "cycle_momentum": r.random() < 0.6}
        if r.random() < 0.4:
            c["step_size_down"] = pick(r, [1, 3] + ([0] if W else []), lambda: rint(r, 1, 50))
        if r.random() < 0.25:
            c["scale_fn"] = fill(r, r.choice(SCALES))
        c["base_momentum"], c["max_momentum"] = momenta(r, W)
        return c
    if name == "OneCycleLR":
        c = {"type": name, "max_lr": pick(r, [0.1, 1.0, lr], lambda: loguni(r, 1e-3, 2))}
        total = pick(r, [steps, steps + 1, max(1, steps - 1), 2 * steps, 1, 2, 3] + ([0] if W else []),
                     lambda: rint(r, 1, 400))
        if r.random() < 0.2:
            c["epochs"] = max(1, total)
            c["steps_per_epoch"] = r.choice([1, 2])
        else:
            c["total_steps"] = total
        c["pct_start"] = pick(r, [0.3, 0.25, 0.5, 0.1, 0.45, 0.05] + ([0.0, 1.0, 0.7] if W else []),
                              lambda: round(r.uniform(0.01, 0.99), 3))
        c["anneal_strategy"] = r.choice(["cos", "linear"])
        c["cycle_momentum"] = r.random() < 0.6
        c["base_momentum"], c["max_momentum"] = momenta(r, W)
        c["div_factor"] = pick(r, [25.0, 1.0, 10.0] + ([0.5] if W else []), lambda: r.uniform(1, 100))
        c["final_div_factor"] = pick(r, [1e4, 1.0, 100.0] + ([0.5] if W else []), lambda: loguni(r, 1, 1e5))
        c["three_phase"] = r.random() < 0.35
        if c["three_phase"] and not W and c["pct_start"] >= 0.5:
            c["pct_start"] = 0.3
        return c
    if name == "ReduceLROnPlateau":
        mode = r.choice(["min", "max"])
        tm = r.choice(["rel", "abs"])
        c = {"type": name, "mode": mode,
             "factor": pick(r, [0.1, 0.5, 0.9, 0.999] + ([0.0, -0.5, 1.0] if W else []), lambda: r.uniform(0.01, 0.99)),
             "patience": pick(r, [0, 1, 2, 10] + ([-1] if W else []), lambda: rint(r, 0, 15)),
             "threshold": pick(r, [0.0, 1e-4, 0.1, 0.5] + ([1.0, 2.0, -0.1] if W else []), lambda: loguni(r, 1e-6, 0.3)),
             "threshold_mode": tm,
             "cooldown": pick(r, [0, 1, 3] + ([-1] if W else []), lambda: rint(r, 0, 10)),
             "min_lr": pick(r, [0.0, lr / 10, lr, 2 * lr] + ([-1.0] if W else []), lambda: r.uniform(0, lr)),
             "eps": pick(r, [1e-8, 0.0, lr / 2, 1.0] + ([-1.0] if W else []), lambda: loguni(r, 1e-12, 1e-3))}
        return c
    if name == "SequentialLR":
        n = rint(r, 1, 4)
        kids = [scheduler(r, r.choice(SIMPLE), lr, steps, W, depth + 1) for _ in range(n)]
        ms = sorted(r.sample(range(1, max(steps, n + 1) + 1), n - 1))
        if W and r.random() < 0.2 and ms:
            ms[0] = r.choice([0, ms[-1]])
        return {"type": name, "schedulers": kids, "milestones": ms}
    if name == "ChainedScheduler":
        n = rint(r, 1, 4)
        pool = SIMPLE  # the app's links/editor take only simple children (no SequentialLR inside)
        kids = [scheduler(r, r.choice(pool), lr, steps, W, depth + 1) for _ in range(n)]
        return {"type": name, "schedulers": kids}
    raise ValueError(name)


def metrics(r, steps):
    """A loss-like sequence with plateaus, exact ties and noise."""
    v = r.uniform(0.1, 10)
    out = []
    kind = r.choice(["decay", "flat", "noisy", "rise", "steps", "negative"])
    if kind == "negative":
        v = -v
    for k in range(steps):
        if kind == "decay":
            v *= r.uniform(0.9, 1.0)
        elif kind == "flat":
            v = v if r.random() < 0.7 else v * r.uniform(0.99, 1.01)
        elif kind == "noisy":
            v = abs(v + r.gauss(0, 0.3))
        elif kind == "rise":
            v *= r.uniform(1.0, 1.05)
        elif kind == "negative":
            v = v * r.uniform(0.98, 1.03)
        else:
            v = v * 0.5 if r.random() < 0.1 else v
        out.append(v)
    return out


def sched_case(r, cid, name, wild):
    lr = pick(r, [0.1, 1.0, 0.01, 0.05, 1e-3], lambda: loguni(r, 1e-4, 2))
    steps = pick(r, [1, 2, 10, 100], lambda: rint(r, 1, 300), 0.15)
    if r.random() < 0.05:
        steps = rint(r, 500, 2500)
    momentum = pick(r, [0.0, 0.9], lambda: r.uniform(0, 0.99), 0.5)
    c = scheduler(r, name, lr, steps, wild)
    case = {"id": cid, "kind": "sched", "name": name, "scheduler": c, "lr": lr, "momentum": momentum,
            "steps": steps}
    if name == "ReduceLROnPlateau":
        case["metrics"] = metrics(r, steps)
    return case


def sim_case(r, cid, name):
    quad = r.random() < 0.5
    if quad:
        prob = {"type": "quadratic", "kappa": pick(r, [1.0, 10.0, 100.0, 1e4], lambda: loguni(r, 1, 1e4)),
                "angle": pick(r, [0.0, 30.0, 45.0, -90.0], lambda: r.uniform(-360, 360)),
                "noise": pick(r, [0.0, 0.0, 0.1], lambda: r.uniform(0, 1)),
                "steps_per_epoch": pick(r, [1, 1, 2], lambda: rint(r, 1, 10))}
        spe = prob["steps_per_epoch"]
    else:
        pts = pick(r, [10, 200], lambda: rint(r, 10, 400))
        vf = pick(r, [0.05, 0.2, 0.5], lambda: r.uniform(0.05, 0.5))
        nval = min(int(math.floor(pts * vf + 0.5)), pts - 1)
        train = pts - nval
        bs = pick(r, [1, train, 20 if train >= 20 else train], lambda: rint(r, 1, train))
        prob = {"type": "logistic", "points": pts, "separation": pick(r, [0.0, 2.0, 6.0], lambda: r.uniform(0, 8)),
                "label_noise": pick(r, [0.0, 0.05, 0.5], lambda: r.uniform(0, 0.5)), "val_fraction": vf,
                "batch_size": bs, "l2": pick(r, [0.0, 0.0, 0.1], lambda: loguni(r, 1e-4, 2))}
        spe = -(-train // bs)
    epochs = pick(r, [1, 5, 100], lambda: rint(r, 2, 150), 0.15)
    while epochs * spe > 4000 and epochs > 2:
        epochs //= 2
    mom = pick(r, [0.0, 0.9, 0.5], lambda: r.uniform(0, 0.99), 0.5)
    damp = pick(r, [0.0, 0.0, 0.5, 1.0], lambda: r.uniform(0, 1), 0.6) if mom > 0 else pick(r, [0.0], lambda: 0.0)
    nest = mom > 0 and damp == 0 and r.random() < 0.5
    opt = {"lr": pick(r, [0.1, 1.0, 0.5, 2.0], lambda: loguni(r, 1e-3, 2.5)), "momentum": mom, "dampening": damp,
           "nesterov": nest, "weight_decay": pick(r, [0.0, 0.0, 1e-4, 0.1], lambda: loguni(r, 1e-5, 0.5))}
    stepping = "batch" if r.random() < 0.35 else "epoch"
    steps = epochs * (spe if stepping == "batch" else 1)
    sch = None if name is None else scheduler(r, name, opt["lr"], steps, False)
    sim = {"problem": prob, "optimizer": opt, "scheduler": sch, "epochs": epochs, "stepping": stepping,
           "seed": r.randint(0, 2 ** 32)}
    return {"id": cid, "kind": "sim", "name": name or "None", "sim": sim}
