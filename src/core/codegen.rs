//! The PyTorch code for the current set-up: optimizer, scheduler and a training loop with
//! `scheduler.step()` where it belongs (`step(val_loss)` for ReduceLROnPlateau, after every
//! batch when stepping per batch). It runs as is: the toy problem is written out too.

use crate::core::expr::lambda_body;
use crate::core::params::fmt_num;
use crate::core::problems::ProblemConfig;
use crate::core::schedulers::SchedulerConfig;
use crate::core::sim::SimConfig;
use serde_json::Value;
use std::fmt::Write;

const MATH_NAMES: [&str; 11] = ["cos", "sin", "exp", "log", "sqrt", "floor", "pi", "e", "min", "max", "abs"];

/// A Python literal for a JSON value.
fn py(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => format!("{:?}", n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => py_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py).collect::<Vec<_>>().join(", ")),
        Value::Object(_) => "...".into(),
    }
}

/// A single-quoted Python string literal for `s`, written by hand (`format!("{s:?}")` would
/// pull Rust's string escaping and its Unicode tables into the wasm). Backslash, the quote
/// and control characters are escaped; everything else, non-ASCII included, is kept as it
/// is, which a (UTF-8) Python 3 source reads back unchanged.
fn py_str(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // C0 and C1 controls and DEL, as `\xNN`.
            '\0'..='\x1f' | '\x7f'..='\u{9f}' => {
                let b = c as usize;
                out.push_str("\\x");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `snake_case` of a class name, for variable names.
fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_upper = true;
    for ch in name.chars() {
        if ch.is_ascii_uppercase() && !prev_upper {
            out.push('_');
        }
        prev_upper = ch.is_ascii_uppercase();
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// Names from `math` an expression uses (so the code can import them). Expressions are
/// valid here, so their names are ASCII (see `core::expr`).
fn math_names(expr: &str, found: &mut Vec<&'static str>) {
    let words: Vec<&str> = expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).collect();
    // `math.cos(...)` (also `math .cos`): the module itself (written `import math`). In a
    // valid expression `math` names nothing else.
    if words.iter().any(|w| *w == "math" || w.starts_with("math.")) && !found.contains(&"math") {
        found.push("math");
    }
    for name in MATH_NAMES {
        let is_builtin = matches!(name, "min" | "max" | "abs");
        if !is_builtin && words.contains(&name) && !found.contains(&name) {
            found.push(name);
        }
    }
}

/// An expression on one line with plain spaces: the parser takes any whitespace (a pasted
/// non-breaking space, a newline from a link), Python's `lambda` on one line does not.
fn one_line(src: &str) -> String {
    src.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines constructing `cfg` into variable `var`, children first. Its arguments are its
/// typed `fields` (PyTorch's names, in the order of its serde form): no serde in the wasm.
fn construct(cfg: &SchedulerConfig, var: &str, out: &mut Vec<String>, imports: &mut Vec<&'static str>) {
    let mut args = vec!["optimizer".to_string()];
    for (k, val) in cfg.fields() {
        match k {
            "lr_lambda" => {
                let src = one_line(lambda_body(val.as_str().unwrap_or("")));
                math_names(&src, imports);
                args.push(format!("lr_lambda=lambda epoch: {src}"));
            }
            "scale_fn" => {
                let src = one_line(lambda_body(val.as_str().unwrap_or("")));
                math_names(&src, imports);
                args.push(format!("scale_fn=lambda x: {src}"));
            }
            _ => args.push(format!("{k}={}", py(&val))),
        }
    }
    let children = match cfg {
        SchedulerConfig::SequentialLR(s) => Some(&s.schedulers),
        SchedulerConfig::ChainedScheduler(c) => Some(&c.schedulers),
        _ => None,
    };
    if let Some(children) = children {
        let mut names = Vec::new();
        for (i, child) in children.iter().enumerate() {
            let name = format!("{}_{i}", snake(child.name()));
            construct(child, &name, out, imports);
            names.push(name);
        }
        let list = format!("[{}]", names.join(", "));
        if matches!(cfg, SchedulerConfig::ChainedScheduler(_)) {
            args = vec![list, "optimizer=optimizer".into()];
        } else {
            args.insert(1, format!("schedulers={list}"));
        }
    }
    out.push(format!("{var} = lr_scheduler.{}({})", cfg.name(), args.join(", ")));
}

/// How the scheduler's lines are written: [`construct`] (tests also pass the serde-based
/// one it replaced).
type Construct = fn(&SchedulerConfig, &str, &mut Vec<String>, &mut Vec<&'static str>);

/// The whole script.
pub fn pytorch_code(cfg: &SimConfig) -> String {
    script(cfg, construct)
}

fn script(cfg: &SimConfig, construct: Construct) -> String {
    let mut imports = Vec::new();
    let mut sched_lines = Vec::new();
    if let Some(s) = &cfg.scheduler {
        construct(s, "scheduler", &mut sched_lines, &mut imports);
    }
    let o = &cfg.optimizer;
    let mut opt_args = vec![format!("lr={}", fmt_num(o.lr))];
    if o.momentum != 0.0 {
        opt_args.push(format!("momentum={}", fmt_num(o.momentum)));
    }
    if o.dampening != 0.0 {
        opt_args.push(format!("dampening={}", fmt_num(o.dampening)));
    }
    if o.weight_decay != 0.0 {
        opt_args.push(format!("weight_decay={}", fmt_num(o.weight_decay)));
    }
    if o.nesterov {
        opt_args.push("nesterov=True".into());
    }

    let mut s = String::new();
    let _ = writeln!(s, "import torch");
    if imports.contains(&"math") {
        let _ = writeln!(s, "import math");
    }
    let names: Vec<&str> = imports.iter().copied().filter(|&n| n != "math").collect();
    if !names.is_empty() {
        let _ = writeln!(s, "from math import {}", names.join(", "));
    }
    let _ = writeln!(s, "from torch.optim import lr_scheduler\n");
    let per_batch = cfg.per_batch();
    let plateau = cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau());
    let (params, batches_intro) = match &cfg.problem {
        ProblemConfig::Quadratic(q) => {
            let p = cfg.problem.build(cfg.seed);
            let crate::core::problems::Problem::Quadratic(qq) = &p else { unreachable!() };
            let a = qq.a;
            let _ = writeln!(
                s,
                "# Quadratic bowl L(w) = ½ (w − c)ᵀ A (w − c): κ = {}, rotated {}°",
                fmt_num(q.kappa),
                fmt_num(q.angle)
            );
            let _ = writeln!(
                s,
                "A = torch.tensor([[{:?}, {:?}], [{:?}, {:?}]], dtype=torch.float64)",
                a[0][0], a[0][1], a[1][0], a[1][1]
            );
            let _ = writeln!(s, "c = torch.tensor([{:?}, {:?}], dtype=torch.float64)", qq.c[0], qq.c[1]);
            let st = crate::core::problems::Quadratic::START;
            let _ =
                writeln!(s, "w = torch.tensor([{:?}, {:?}], dtype=torch.float64, requires_grad=True)", st[0], st[1]);
            let _ = writeln!(s, "\ndef loss_fn():\n    d = w - c\n    return 0.5 * d @ A @ d\n");
            let noise = if q.noise > 0.0 {
                format!(
                    "\n        w.grad += {} * torch.randn(2, dtype=torch.float64)  # gradient noise σ",
                    fmt_num(q.noise)
                )
            } else {
                String::new()
            };
            let loop_head = format!("    for step in range({}):", q.steps_per_epoch);
            ("[w]".to_string(), (loop_head, "loss_fn()".to_string(), noise, "loss_fn().item()".to_string()))
        }
        ProblemConfig::Logistic(l) => {
            let _ = writeln!(
                s,
                "# Logistic regression on two Gaussian clusters (the playground's data differ: its\n\
                 # generator is seeded in Rust); {} points, {} held out for validation.",
                l.points,
                fmt_num(l.val_fraction)
            );
            let _ = writeln!(s, "torch.manual_seed({})", cfg.seed);
            let _ = writeln!(s, "n = {}", l.points);
            let _ = writeln!(s, "y = (torch.arange(n) % 2).double()");
            let _ = writeln!(
                s,
                "X = torch.randn(n, 2, dtype=torch.float64) + (2 * y - 1)[:, None] * torch.tensor([0.866, 0.5], dtype=torch.float64) * {}",
                fmt_num(l.separation / 2.0)
            );
            if l.label_noise > 0.0 {
                let _ = writeln!(s, "flip = torch.rand(n) < {}", fmt_num(l.label_noise));
                let _ = writeln!(s, "y[flip] = 1 - y[flip]");
            }
            let _ = writeln!(s, "n_val = round(n * {})", fmt_num(l.val_fraction));
            let _ = writeln!(s, "X_val, y_val, X_train, y_train = X[:n_val], y[:n_val], X[n_val:], y[n_val:]");
            let _ = writeln!(s, "model = torch.nn.Linear(2, 1).double()");
            let l2 = if l.l2 > 0.0 {
                format!(" + {} / 2 * model.weight.pow(2).sum()", fmt_num(l.l2))
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "\ndef loss_fn(X, y):\n    z = model(X).squeeze(1)\n    return torch.nn.functional.binary_cross_entropy_with_logits(z, y){l2}\n"
            );
            let loop_head =
                format!("    perm = torch.randperm(len(X_train))\n    for batch in perm.split({}):", l.batch_size);
            (
                "model.parameters()".to_string(),
                (
                    loop_head,
                    "loss_fn(X_train[batch], y_train[batch])".to_string(),
                    String::new(),
                    "loss_fn(X_val, y_val).item()".to_string(),
                ),
            )
        }
    };
    let (loop_head, batch_loss, noise, val) = batches_intro;
    let _ = writeln!(s, "optimizer = torch.optim.SGD({params}, {})", opt_args.join(", "));
    for line in &sched_lines {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\nfor epoch in range({}):", cfg.epochs);
    let _ = writeln!(s, "{loop_head}");
    let _ = writeln!(s, "        optimizer.zero_grad()");
    let _ = writeln!(s, "        loss = {batch_loss}");
    let _ = writeln!(s, "        loss.backward(){noise}");
    let _ = writeln!(s, "        optimizer.step()");
    if per_batch && cfg.scheduler.is_some() {
        let _ = writeln!(s, "        scheduler.step()  # once per batch");
    }
    let _ = writeln!(s, "    with torch.no_grad():");
    let _ = writeln!(s, "        val_loss = {val}");
    if !per_batch && cfg.scheduler.is_some() {
        if plateau {
            let _ = writeln!(s, "    scheduler.step(val_loss)  # after the epoch, with the metric to watch");
        } else {
            let _ = writeln!(s, "    scheduler.step()  # after the epoch's optimizer steps");
        }
    }
    let _ = writeln!(s, "    print(epoch, optimizer.param_groups[0][\"lr\"], val_loss)");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::set;
    use crate::core::params::typed_equals_serde::{configs, edge_configs};

    /// The serde-based `construct` that `fields` replaced (reference only).
    fn construct_serde(cfg: &SchedulerConfig, var: &str, out: &mut Vec<String>, imports: &mut Vec<&'static str>) {
        let v = serde_json::to_value(cfg).unwrap_or(Value::Null);
        let mut args = vec!["optimizer".to_string()];
        if let Value::Object(map) = &v {
            for (k, val) in map {
                match k.as_str() {
                    "type" | "schedulers" => {}
                    // (The expression's text is written as `construct` writes it.)
                    "lr_lambda" => {
                        let src = one_line(lambda_body(val.as_str().unwrap_or("")));
                        math_names(&src, imports);
                        args.push(format!("lr_lambda=lambda epoch: {src}"));
                    }
                    "scale_fn" => {
                        let src = one_line(lambda_body(val.as_str().unwrap_or("")));
                        math_names(&src, imports);
                        args.push(format!("scale_fn=lambda x: {src}"));
                    }
                    _ => args.push(format!("{k}={}", py(val))),
                }
            }
        }
        let children = match cfg {
            SchedulerConfig::SequentialLR(s) => Some(&s.schedulers),
            SchedulerConfig::ChainedScheduler(c) => Some(&c.schedulers),
            _ => None,
        };
        if let Some(children) = children {
            let mut names = Vec::new();
            for (i, child) in children.iter().enumerate() {
                let name = format!("{}_{i}", snake(child.name()));
                construct_serde(child, &name, out, imports);
                names.push(name);
            }
            let list = format!("[{}]", names.join(", "));
            if matches!(cfg, SchedulerConfig::ChainedScheduler(_)) {
                args = vec![list, "optimizer=optimizer".into()];
            } else {
                args.insert(1, format!("schedulers={list}"));
            }
        }
        out.push(format!("{var} = lr_scheduler.{}({})", cfg.name(), args.join(", ")));
    }

    /// The code written from the typed fields is byte for byte the code written from the
    /// serde form, for every scheduler (nested, optional parameters set and unset, edge and
    /// non-finite values), both problems and the presets.
    #[test]
    fn typed_code_equals_serde_code() {
        let mut n = 0;
        for cfg in configs().into_iter().chain(edge_configs()) {
            assert_eq!(pytorch_code(&cfg), script(&cfg, construct_serde), "{cfg:?}");
            n += 1;
        }
        assert!(n > 5_000, "{n}");
    }

    #[test]
    fn step_lr_code() {
        let code = pytorch_code(&SimConfig::default());
        assert!(code.contains("scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)"), "{code}");
        assert!(code.contains("    scheduler.step()  # after the epoch"), "{code}");
        assert!(code.contains("for epoch in range(100):"));
    }

    #[test]
    fn plateau_lambda_and_composites() {
        let c = set(&SimConfig::default(), "scheduler", "ReduceLROnPlateau").unwrap();
        assert!(pytorch_code(&c).contains("scheduler.step(val_loss)"));
        let c = set(&SimConfig::default(), "scheduler", "LambdaLR").unwrap();
        let c = set(&c, "lr_lambda", "0.5 * (1 + cos(pi * epoch / 100))").unwrap();
        let code = pytorch_code(&c);
        assert!(code.contains("from math import cos, pi"), "{code}");
        assert!(code.contains("lr_lambda=lambda epoch: 0.5 * (1 + cos(pi * epoch / 100))"), "{code}");
        // `math.` names need the module; a pasted `lambda epoch:` is not written twice.
        let c = set(&c, "lr_lambda", "lambda epoch: math.exp(-epoch / 20) if epoch > 2 else floor(epoch) / 3").unwrap();
        let code = pytorch_code(&c);
        assert!(code.contains("import torch\nimport math\nfrom math import floor\n"), "{code}");
        assert!(
            code.contains("lr_lambda=lambda epoch: math.exp(-epoch / 20) if epoch > 2 else floor(epoch) / 3)"),
            "{code}"
        );
        let c = set(&c, "lr_lambda", "math .cos(epoch)\u{a0}*\n0.5").unwrap();
        let code = pytorch_code(&c);
        assert!(code.contains("import torch\nimport math\nfrom torch"), "{code}");
        assert!(code.contains("lr_lambda=lambda epoch: math .cos(epoch) * 0.5)"), "{code}");
        let c = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        let code = pytorch_code(&c);
        assert!(code.contains("linear_lr_0 = lr_scheduler.LinearLR(optimizer,"), "{code}");
        assert!(code.contains("schedulers=[linear_lr_0, cosine_annealing_lr_1], milestones=[5])"), "{code}");
        let c = set(&SimConfig::default(), "scheduler", "OneCycleLR").unwrap();
        let c = set(&c, "stepping", "batch").unwrap();
        assert!(pytorch_code(&c).contains("        scheduler.step()  # once per batch"));
        let c = set(&c, "problem", "quadratic").unwrap();
        assert!(pytorch_code(&c).contains("A = torch.tensor("));
    }

    #[test]
    fn python_strings() {
        let cases = [
            ("triangular2", "'triangular2'"),
            ("", "''"),
            ("it's", r"'it\'s'"),
            (r#"a "b" c"#, r#"'a "b" c'"#),
            (r"back\slash", r"'back\\slash'"),
            ("a\nb\rc\td", r"'a\nb\rc\td'"),
            ("\0\x01\x1f\x7f\u{85}\u{9f}", r"'\x00\x01\x1f\x7f\x85\x9f'"),
            ("é λ 😀 \u{a0}\u{2028}", "'é λ 😀 \u{a0}\u{2028}'"),
        ];
        for (s, want) in cases {
            assert_eq!(py_str(s), want, "{s:?}");
        }
        // What the code shows for ordinary strings is unchanged: Rust's `{:?}` with `'` quotes.
        for s in ["min", "max", "rel", "abs", "cos", "linear", "triangular", "exp_range", "cycle", "iterations"] {
            assert_eq!(py_str(s), format!("{s:?}").replace('"', "'"));
        }
    }
}
