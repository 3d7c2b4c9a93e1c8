//! Every tunable parameter of a run, described once: the UI renders its controls from
//! these specs and the URL fragment uses the same keys (PyTorch's parameter names).
//!
//! Scheduler parameters are read and written typed: `get` reads the `fields` of the one
//! scheduler a key names, and `set` parses the text for the field's kind, hands the value to
//! the `set_field` of the one scheduler (or problem) it belongs to and validates the whole
//! run. Nothing here serializes or deserializes, so serde stays out of the wasm (the derives
//! serve `SchedulerConfig::from_json`, tests and tools). Optimizer and training fields and
//! child types are written directly; composites' children and milestones are edited in place.
//! Children of `SequentialLR`/`ChainedScheduler` are addressed with a prefix: `s1` is the
//! type of child 1 and `s1.T_max` its parameter.

use crate::core::num::parse_f64;
use crate::core::problems::{LogisticConfig, ProblemConfig, QuadraticConfig, MIN_POINTS};
pub use crate::core::schedulers::fmt_num;
use crate::core::schedulers::{ConfigError, ConfigErrorKind, SchedulerConfig};
use crate::core::sim::{SimConfig, Stepping, MAX_EPOCHS};
use serde_json::Value;

/// How a parameter is edited.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    /// A number; the slider spans `min..max`, on a log scale when `log`.
    Float {
        min: f64,
        max: f64,
        log: bool,
    },
    /// A whole number; the slider spans `min..max`.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of these words.
    Choice(Vec<&'static str>),
    /// Free text (a Python expression).
    Text,
    /// A list of whole numbers, e.g. `30, 80`.
    IntList,
}

/// Which panel a parameter belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Scheduler,
    Optimizer,
    Problem,
    Training,
}

/// One control.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    /// The URL key: PyTorch's name, prefixed `sN.` inside a composite.
    pub key: String,
    /// PyTorch's parameter name (or the playground's, for problem and training settings).
    pub label: &'static str,
    pub group: Group,
    pub kind: ParamKind,
    /// PyTorch's default as text (`None` when PyTorch requires the parameter).
    pub pytorch_default: Option<&'static str>,
    pub help: &'static str,
}

/// The value shown for "no scheduler" in the scheduler picker.
pub const NO_SCHEDULER: &str = "None";

/// Schedulers a composite may hold in the playground's editor.
pub const CHILD_NAMES: [&str; 12] = [
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "LambdaLR",
    "MultiplicativeLR",
    "ConstantLR",
    "LinearLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "OneCycleLR",
];

type Row = (&'static str, ParamKind, Option<&'static str>, &'static str);

fn float(min: f64, max: f64) -> ParamKind {
    ParamKind::Float { min, max, log: false }
}

fn log(min: f64, max: f64) -> ParamKind {
    ParamKind::Float { min, max, log: true }
}

fn int(min: i64, max: i64) -> ParamKind {
    ParamKind::Int { min, max }
}

fn choice(words: &[&'static str]) -> ParamKind {
    ParamKind::Choice(words.to_vec())
}

/// The parameters of one scheduler class, in PyTorch's order.
fn scheduler_rows(name: &str) -> Vec<Row> {
    const MOM: &str = "Cycle momentum inversely to the learning rate.";
    match name {
        "LambdaLR" => vec![("lr_lambda", ParamKind::Text, None, "lr = initial lr × this expression in `epoch`.")],
        "MultiplicativeLR" => {
            vec![("lr_lambda", ParamKind::Text, None, "Each epoch, lr ← lr × this expression in `epoch`.")]
        }
        "StepLR" => vec![
            ("step_size", int(1, 200), None, "Decay the lr every step_size epochs."),
            ("gamma", float(0.01, 1.0), Some("0.1"), "Multiply the lr by gamma at each decay."),
        ],
        "MultiStepLR" => vec![
            ("milestones", ParamKind::IntList, None, "Epochs at which the lr is multiplied by gamma."),
            ("gamma", float(0.01, 1.0), Some("0.1"), "Multiply the lr by gamma at each milestone."),
        ],
        "ConstantLR" => vec![
            ("factor", float(0.01, 1.0), Some("0.3333333333333333"), "Multiply the lr by factor until total_iters."),
            ("total_iters", int(1, 200), Some("5"), "Epochs the factor applies."),
        ],
        "LinearLR" => vec![
            ("start_factor", float(0.01, 1.0), Some("0.3333333333333333"), "Factor at epoch 0."),
            ("end_factor", float(0.0, 1.0), Some("1.0"), "Factor reached at total_iters."),
            ("total_iters", int(1, 200), Some("5"), "Epochs of the linear change."),
        ],
        "ExponentialLR" => vec![("gamma", float(0.01, 1.0), None, "Multiply the lr by gamma every epoch.")],
        "PolynomialLR" => vec![
            ("total_iters", int(1, 500), Some("5"), "Epochs until the lr reaches 0."),
            ("power", float(0.0, 5.0), Some("1.0"), "Power of the polynomial."),
        ],
        "CosineAnnealingLR" => vec![
            (
                "T_max",
                int(1, 1000),
                None,
                "scheduler.step() calls in the half cosine (epochs, or batches when stepped per batch).",
            ),
            ("eta_min", float(0.0, 0.05), Some("0.0"), "Lowest learning rate."),
        ],
        "CosineAnnealingWarmRestarts" => vec![
            ("T_0", int(1, 200), None, "Epochs before the first restart."),
            ("T_mult", int(1, 4), Some("1"), "Each period is T_mult times longer."),
            ("eta_min", float(0.0, 0.05), Some("0.0"), "Lowest learning rate."),
        ],
        "CyclicLR" => vec![
            ("base_lr", log(1e-5, 1.0), None, "Bottom of the cycle."),
            ("max_lr", log(1e-4, 10.0), None, "Top of the cycle."),
            ("step_size_up", int(1, 500), Some("2000"), "Steps going up."),
            ("step_size_down", int(1, 500), Some("None"), "Steps going down (empty: same as up)."),
            ("mode", choice(&["triangular", "triangular2", "exp_range"]), Some("triangular"), "Amplitude policy."),
            ("gamma", float(0.9, 1.0), Some("1.0"), "exp_range: amplitude × gamma^iteration."),
            ("scale_fn", ParamKind::Text, Some("None"), "Custom amplitude, an expression in `x` (overrides mode)."),
            ("scale_mode", choice(&["cycle", "iterations"]), Some("cycle"), "What scale_fn's `x` counts."),
            ("cycle_momentum", ParamKind::Bool, Some("True"), MOM),
            ("base_momentum", float(0.0, 0.99), Some("0.8"), "Momentum at the top of the lr cycle."),
            ("max_momentum", float(0.0, 0.99), Some("0.9"), "Momentum at the bottom of the lr cycle."),
        ],
        "OneCycleLR" => vec![
            ("max_lr", log(1e-4, 10.0), None, "Peak learning rate."),
            ("total_steps", int(1, 20_000), Some("None"), "Steps in the cycle (scheduler.step() calls)."),
            ("pct_start", float(0.01, 0.99), Some("0.3"), "Fraction of the cycle spent warming up."),
            ("anneal_strategy", choice(&["cos", "linear"]), Some("cos"), "Shape of the ramps."),
            ("cycle_momentum", ParamKind::Bool, Some("True"), MOM),
            ("base_momentum", float(0.0, 0.99), Some("0.85"), "Momentum at the peak lr."),
            ("max_momentum", float(0.0, 0.99), Some("0.95"), "Momentum at the start and end."),
            ("div_factor", log(1.0, 1000.0), Some("25.0"), "initial_lr = max_lr / div_factor."),
            ("final_div_factor", log(1.0, 1e6), Some("10000.0"), "min_lr = initial_lr / final_div_factor."),
            ("three_phase", ParamKind::Bool, Some("False"), "Return to initial_lr before the final anneal."),
        ],
        "ReduceLROnPlateau" => vec![
            ("mode", choice(&["min", "max"]), Some("min"), "min: the metric should fall (a loss)."),
            ("factor", float(0.01, 0.99), Some("0.1"), "new lr = lr × factor."),
            ("patience", int(0, 50), Some("10"), "Bad epochs tolerated before reducing."),
            ("threshold", log(1e-6, 0.5), Some("0.0001"), "Smallest change that counts as better."),
            ("threshold_mode", choice(&["rel", "abs"]), Some("rel"), "rel: relative to best; abs: absolute."),
            ("cooldown", int(0, 50), Some("0"), "Epochs to wait after a reduction."),
            ("min_lr", float(0.0, 0.01), Some("0"), "Lowest learning rate."),
            ("eps", log(1e-12, 1e-2), Some("1e-08"), "Skip reductions smaller than eps."),
        ],
        "SequentialLR" => {
            vec![("milestones", ParamKind::IntList, None, "Epochs at which the next scheduler takes over.")]
        }
        _ => vec![],
    }
}

fn top_rows(cfg: &SimConfig) -> (Vec<Row>, Vec<Row>, Vec<Row>) {
    let optimizer = vec![
        ("lr", log(1e-4, 10.0), None, "Learning rate given to SGD (the schedulers' initial lr)."),
        ("momentum", float(0.0, 0.99), Some("0"), "Heavy-ball momentum."),
        ("dampening", float(0.0, 1.0), Some("0"), "Dampening for momentum."),
        ("nesterov", ParamKind::Bool, Some("False"), "Nesterov momentum (needs momentum > 0, dampening 0)."),
        ("weight_decay", float(0.0, 0.1), Some("0"), "L2 penalty added to the gradient."),
    ];
    let mut problem = vec![("problem", choice(&["logistic", "quadratic"]), None, "What SGD trains.")];
    match cfg.problem {
        ProblemConfig::Quadratic(_) => problem.extend([
            ("kappa", log(1.0, 1000.0), None, "Condition number: how stretched the bowl is."),
            ("angle", float(-90.0, 90.0), None, "Rotation of the bowl, in degrees."),
            ("noise", float(0.0, 2.0), None, "Gradient noise σ (stochastic gradients)."),
            ("steps_per_epoch", int(1, 50), None, "SGD steps per epoch."),
        ]),
        ProblemConfig::Logistic(_) => problem.extend([
            ("points", int(20, 2000), None, "Data points (train + validation)."),
            ("separation", float(0.0, 6.0), None, "Distance between the two classes."),
            ("label_noise", float(0.0, 0.5), None, "Fraction of labels flipped."),
            ("val_fraction", float(0.05, 0.5), None, "Fraction held out for validation."),
            ("batch_size", int(1, 500), None, "Minibatch size."),
            ("l2", float(0.0, 1.0), None, "L2 penalty inside the loss."),
        ]),
    }
    let mut training = vec![
        ("epochs", int(1, 1000), None, "Epochs to train."),
        ("stepping", choice(&["epoch", "batch"]), None, "Call scheduler.step() after every epoch or every batch."),
        ("seed", int(0, 9999), None, "Seed of the data set, shuffles and noise."),
    ];
    // ReduceLROnPlateau steps once per epoch, on the epoch's validation loss: no choice to
    // offer (a link's `stepping=` is then ignored with a notice).
    if cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau()) {
        training.retain(|row| row.0 != "stepping");
    }
    (optimizer, problem, training)
}

fn spec(prefix: &str, group: Group, row: Row) -> ParamSpec {
    let (label, kind, pytorch_default, help) = row;
    ParamSpec { key: format!("{prefix}{label}"), label, group, kind, pytorch_default, help }
}

fn scheduler_specs(prefix: &str, cfg: &SchedulerConfig, out: &mut Vec<ParamSpec>) {
    if let Some(children) = children_of(cfg) {
        for (i, child) in children.iter().enumerate() {
            let p = format!("{prefix}s{i}");
            out.push(ParamSpec { key: p.clone(), ..child_spec() });
            scheduler_specs(&format!("{p}."), child, out);
        }
    }
    out.extend(scheduler_rows(cfg.name()).into_iter().map(|r| spec(prefix, Group::Scheduler, r)));
}

/// Every control for the current config, in display order.
pub fn sim_params(cfg: &SimConfig) -> Vec<ParamSpec> {
    let mut out = vec![scheduler_picker()];
    if let Some(s) = &cfg.scheduler {
        scheduler_specs("", s, &mut out);
    }
    let (optimizer, problem, training) = top_rows(cfg);
    out.extend(optimizer.into_iter().map(|r| spec("", Group::Optimizer, r)));
    out.extend(problem.into_iter().map(|r| spec("", Group::Problem, r)));
    out.extend(training.into_iter().map(|r| spec("", Group::Training, r)));
    out
}

/// The scheduler picker, the first control.
fn scheduler_picker() -> ParamSpec {
    let mut names: Vec<&'static str> = SchedulerConfig::NAMES.to_vec();
    names.push(NO_SCHEDULER);
    ParamSpec {
        key: "scheduler".into(),
        label: "scheduler",
        group: Group::Scheduler,
        kind: ParamKind::Choice(names),
        pytorch_default: None,
        help: "The torch.optim.lr_scheduler class.",
    }
}

/// The spec of one key for the current config: the entry of [`sim_params`] with this key,
/// found without building the others (the URL decoder and the UI's fields call this for
/// every key they set).
pub fn spec_of(cfg: &SimConfig, key: &str) -> Option<ParamSpec> {
    if key == "scheduler" {
        return Some(scheduler_picker());
    }
    let own = |rows: Vec<Row>, prefix: &str, field: &str, group: Group| {
        rows.into_iter().find(|r| r.0 == field).map(|r| spec(prefix, group, r))
    };
    if let Some(sched) = &cfg.scheduler {
        if let Some((path, field)) = split_key(key) {
            let node = path.iter().try_fold(sched, |node, &i| children_of(node)?.get(i));
            if let Some(node) = node {
                if field.is_empty() {
                    return Some(ParamSpec { key: key.to_string(), ..child_spec() });
                }
                let prefix = &key[..key.len() - field.len()];
                if let Some(found) = own(scheduler_rows(node.name()), prefix, field, Group::Scheduler) {
                    return Some(found);
                }
            }
            if !path.is_empty() {
                return None;
            }
        }
    }
    let (optimizer, problem, training) = top_rows(cfg);
    own(optimizer, "", key, Group::Optimizer)
        .or_else(|| own(problem, "", key, Group::Problem))
        .or_else(|| own(training, "", key, Group::Training))
}

/// The children of a composite scheduler.
fn children_of(cfg: &SchedulerConfig) -> Option<&Vec<SchedulerConfig>> {
    match cfg {
        SchedulerConfig::SequentialLR(s) => Some(&s.schedulers),
        SchedulerConfig::ChainedScheduler(c) => Some(&c.schedulers),
        _ => None,
    }
}

fn children_of_mut(cfg: &mut SchedulerConfig) -> Option<&mut Vec<SchedulerConfig>> {
    match cfg {
        SchedulerConfig::SequentialLR(s) => Some(&mut s.schedulers),
        SchedulerConfig::ChainedScheduler(c) => Some(&mut c.schedulers),
        _ => None,
    }
}

/// The picker of a composite's child (its key is filled in by the caller).
fn child_spec() -> ParamSpec {
    ParamSpec {
        key: String::new(),
        label: "scheduler",
        group: Group::Scheduler,
        kind: choice(&CHILD_NAMES),
        pytorch_default: None,
        help: "A scheduler in the composite.",
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => NO_SCHEDULER.to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => fmt_num(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => String::new(),
    }
}

/// Split `s1.s0.gamma` into child indices `[1, 0]` and the field `gamma` (`s1` → `[1]`, "").
fn split_key(key: &str) -> Option<(Vec<usize>, &str)> {
    if key.is_empty() || key.starts_with('.') || key.ends_with('.') || key.contains("..") {
        return None;
    }
    let mut path = Vec::new();
    let mut rest = key;
    loop {
        let (head, tail) = match rest.split_once('.') {
            Some((h, t)) => (h, Some(t)),
            None => (rest, None),
        };
        // Canonical indices only (`s2`, not `s02`), so every key has one spelling.
        let index = head
            .strip_prefix('s')
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (*n == "0" || !n.starts_with('0')));
        match index.and_then(|n| n.parse::<usize>().ok()) {
            Some(i) if path.len() < 8 => {
                path.push(i);
                match tail {
                    Some(t) => rest = t,
                    None => return Some((path, "")),
                }
            }
            _ => return if tail.is_none() { Some((path, rest)) } else { None },
        }
    }
}

/// The current value of `key` as text (as the UI's field and the URL show it). Typed: a
/// scheduler's parameters come from its `fields`, not from its serde form, so the app never
/// serializes a config.
pub fn get(cfg: &SimConfig, key: &str) -> Option<String> {
    let o = &cfg.optimizer;
    let text = match key {
        "scheduler" => cfg.scheduler.as_ref().map_or(NO_SCHEDULER, |s| s.name()).to_string(),
        "lr" => fmt_num(o.lr),
        "momentum" => fmt_num(o.momentum),
        "dampening" => fmt_num(o.dampening),
        "nesterov" => value_text(&Value::Bool(o.nesterov)),
        "weight_decay" => fmt_num(o.weight_decay),
        "problem" => cfg.problem.name().to_string(),
        "epochs" => cfg.epochs.to_string(),
        "stepping" => match cfg.stepping {
            Stepping::Epoch => "epoch",
            Stepping::Batch => "batch",
        }
        .to_string(),
        "seed" => cfg.seed.to_string(),
        _ => {
            if let Some(v) = problem_value(&cfg.problem, key) {
                return Some(v);
            }
            let sched = cfg.scheduler.as_ref()?;
            let (path, field) = split_key(key)?;
            let node = path.iter().try_fold(sched, |node, &i| children_of(node)?.get(i))?;
            return Some(scheduler_value(node, field));
        }
    };
    Some(text)
}

/// Field `field` of one scheduler as text ("" or `type`: its class name), as its serde form
/// read: a parameter it does not have (or a `None` one) shows as `None`, and a composite's
/// `schedulers` as one empty text per child.
fn scheduler_value(node: &SchedulerConfig, field: &str) -> String {
    match field {
        "" | "type" => node.name().to_string(),
        "schedulers" if node.is_composite() => ", ".repeat(children_of(node).map_or(0, Vec::len).saturating_sub(1)),
        _ => node
            .fields()
            .into_iter()
            .find(|(k, _)| *k == field)
            .map_or(NO_SCHEDULER.to_string(), |(_, v)| value_text(&v)),
    }
}

/// Every control of the config with its value: [`sim_params`] paired with [`get`].
pub fn values(cfg: &SimConfig) -> Vec<(ParamSpec, Option<String>)> {
    sim_params(cfg)
        .into_iter()
        .map(|spec| {
            let value = get(cfg, &spec.key);
            (spec, value)
        })
        .collect()
}

/// A field of the current problem as text (what its serde form would show).
fn problem_value(p: &ProblemConfig, key: &str) -> Option<String> {
    Some(match (p, key) {
        (ProblemConfig::Quadratic(q), "kappa") => fmt_num(q.kappa),
        (ProblemConfig::Quadratic(q), "angle") => fmt_num(q.angle),
        (ProblemConfig::Quadratic(q), "noise") => fmt_num(q.noise),
        (ProblemConfig::Quadratic(q), "steps_per_epoch") => q.steps_per_epoch.to_string(),
        (ProblemConfig::Logistic(l), "points") => l.points.to_string(),
        (ProblemConfig::Logistic(l), "separation") => fmt_num(l.separation),
        (ProblemConfig::Logistic(l), "label_noise") => fmt_num(l.label_noise),
        (ProblemConfig::Logistic(l), "val_fraction") => fmt_num(l.val_fraction),
        (ProblemConfig::Logistic(l), "batch_size") => l.batch_size.to_string(),
        (ProblemConfig::Logistic(l), "l2") => fmt_num(l.l2),
        _ => return None,
    })
}

fn malformed(key: &str, what: impl std::fmt::Display) -> ConfigError {
    ConfigError {
        field: key.to_string(),
        kind: ConfigErrorKind::Malformed,
        message: format!("`{key}` {what}"),
        against: None,
    }
}

fn describe(kind: &ParamKind) -> String {
    match kind {
        ParamKind::Float { .. } => "a number, e.g. 0.1 or 1e-3".into(),
        ParamKind::Int { .. } => "a whole number, e.g. 30".into(),
        ParamKind::Bool => "True or False".into(),
        ParamKind::Choice(w) => format!("one of {}", w.join(", ")),
        ParamKind::Text => "an expression".into(),
        ParamKind::IntList => "whole numbers separated by commas, e.g. 30, 80".into(),
    }
}

/// Parse a field's text for its kind into a JSON value (`None`/empty for optional ones).
fn parse_text(key: &str, kind: &ParamKind, optional: bool, text: &str) -> Result<Value, ConfigError> {
    let t = text.trim();
    if optional && (t.is_empty() || t == "None") {
        return Ok(Value::Null);
    }
    let bad =
        || malformed(key, format_args!("must be {}, got `{}`", describe(kind), t.chars().take(40).collect::<String>()));
    if t.is_empty() && !matches!(kind, ParamKind::Text | ParamKind::IntList) {
        return Err(malformed(key, format_args!("is empty; enter {}", describe(kind))));
    }
    Ok(match kind {
        ParamKind::Float { .. } => {
            let v = parse_f64(t).ok_or_else(bad)?;
            if !v.is_finite() {
                return Err(malformed(key, format_args!("must be a finite number, got `{t}`")));
            }
            Value::from(v)
        }
        ParamKind::Int { .. } => Value::from(parse_int(t).ok_or_else(|| too_big(key, t).unwrap_or_else(bad))?),
        ParamKind::Bool => Value::Bool(match t.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => true,
            "false" | "0" | "no" | "off" => false,
            _ => return Err(bad()),
        }),
        ParamKind::Choice(words) => {
            if !words.contains(&t) {
                return Err(bad());
            }
            Value::from(t)
        }
        ParamKind::Text => {
            if t.chars().count() > 1000 {
                return Err(malformed(key, "is too long (at most 1000 characters)"));
            }
            Value::from(t)
        }
        ParamKind::IntList => {
            let inner = t.trim_start_matches('[').trim_end_matches(']');
            let items: Vec<&str> = inner.split([',', ' ']).filter(|s| !s.is_empty()).collect();
            if items.len() > 1000 {
                return Err(malformed(key, "lists too many epochs (at most 1000)"));
            }
            let mut nums = Vec::with_capacity(items.len());
            for item in items {
                nums.push(parse_int(item).ok_or_else(|| too_big(key, item).unwrap_or_else(bad))?);
            }
            Value::from(nums)
        }
    })
}

/// The error for a whole number too large to be one (`1e308`), if that is what `t` is.
fn too_big(key: &str, t: &str) -> Option<ConfigError> {
    let f = parse_f64(t)?;
    (f.is_finite() && f.abs() >= 9e15).then(|| {
        malformed(key, format_args!("must be a whole number no larger than {}", crate::core::schedulers::MAX_INT_PARAM))
    })
}

/// A whole number, also written as `30.0` or `1e3`.
fn parse_int(t: &str) -> Option<i64> {
    if let Ok(i) = t.parse::<i64>() {
        return Some(i);
    }
    let f = parse_f64(t)?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15).then_some(f as i64)
}

/// Set `key` from text: parse it for its kind, apply it, validate the whole run.
/// On error the caller keeps its last valid config and shows the message by the field.
pub fn set(cfg: &SimConfig, key: &str, text: &str) -> Result<SimConfig, ConfigError> {
    let next = assign(cfg, key, text)?;
    next.validate()?;
    Ok(next)
}

/// The `scheduler.step()` calls of a whole run: what [`fit_new_scheduler`] sizes OneCycleLR
/// and CosineAnnealingLR to.
fn run_steps(cfg: &SimConfig) -> usize {
    let per_batch = cfg.stepping == Stepping::Batch;
    cfg.epochs
        .saturating_mul(if per_batch { cfg.problem.steps_per_epoch() } else { 1 })
        .clamp(1, crate::core::schedulers::MAX_INT_PARAM as usize)
}

/// The parameter that sizes a schedule to the whole run, where the usual recipe does so:
/// OneCycleLR's `total_steps`, CosineAnnealingLR's `T_max`.
fn run_length_param(cfg: &mut SchedulerConfig) -> Option<&mut i64> {
    match cfg {
        SchedulerConfig::OneCycleLR(c) => c.total_steps.as_mut(),
        SchedulerConfig::CosineAnnealingLR(c) => Some(&mut c.t_max),
        _ => None,
    }
}

/// The key of that parameter (`total_steps`, `T_max`) if the top scheduler has one.
pub fn run_length_key(cfg: &SimConfig) -> Option<&'static str> {
    match cfg.scheduler.as_ref()? {
        SchedulerConfig::OneCycleLR(_) => Some("total_steps"),
        SchedulerConfig::CosineAnnealingLR(_) => Some("T_max"),
        _ => None,
    }
}

/// Whether that parameter is the run's length now (as picking the scheduler sets it).
pub fn fits_run_length(cfg: &SimConfig) -> bool {
    let steps = run_steps(cfg) as i64;
    cfg.scheduler.clone().as_mut().and_then(run_length_param).is_some_and(|p| *p == steps)
}

/// `cfg` with that parameter set to the run's length, if it has one and the result is
/// valid. The UI calls it after an edit of the run (epochs, stepping, batches) while the
/// parameter follows the run: from picking the scheduler until the user sets it.
pub fn fit_run_length(cfg: &SimConfig) -> Option<SimConfig> {
    let mut next = cfg.clone();
    *next.scheduler.as_mut().and_then(run_length_param)? = run_steps(cfg) as i64;
    next.validate().ok()?;
    Some(next)
}

/// [`set`] as the UI applies an edit, with whether the run-length parameter follows the run
/// (`follows`, from picking the scheduler until the user sets the parameter): an edit of the
/// run (epochs, stepping, batches) moves it while it follows, and setting it stops that.
/// Returns the new config and whether its run-length parameter follows the run now. (Picking
/// a scheduler goes through `core::shelf`, which says whether the pick follows.)
pub fn set_following(cfg: &SimConfig, follows: bool, key: &str, text: &str) -> Result<(SimConfig, bool), ConfigError> {
    let next = set(cfg, key, text)?;
    let own = run_length_key(&next);
    if own == Some(key) {
        return Ok((next, false));
    }
    let follows = follows && own.is_some();
    let moved = if follows { fit_run_length(&next) } else { None };
    Ok((moved.unwrap_or(next), follows))
}

/// What [`retry`] made of the fields that were refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Retried {
    pub cfg: SimConfig,
    /// Whether the run-length parameter follows the run (see [`set_following`]).
    pub follows: bool,
    /// The keys whose text now applies (in the order they were applied).
    pub applied: Vec<String>,
    /// The keys still refused, with the reason as it reads now.
    pub refused: Vec<(String, ConfigError)>,
    /// Scheduler keys whose text was for another scheduler: the edit changed which
    /// schedulers there are or their order (a pick, a child's type, a child added, removed or
    /// moved), so `s1.gamma` may now name another child's gamma. Their texts are dropped:
    /// every child's after such an edit, the top scheduler's too when it was replaced.
    pub dropped: Vec<String>,
}

/// The classes of a set-up's schedulers, composites' children in order (depth first).
fn scheduler_shape(cfg: &SimConfig) -> Vec<&'static str> {
    fn walk(s: &SchedulerConfig, out: &mut Vec<&'static str>) {
        out.push(s.name());
        for c in children_of(s).into_iter().flatten() {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    if let Some(s) = &cfg.scheduler {
        walk(s, &mut out);
    }
    out
}

/// After an edit from `before` to `cfg`, try again the texts of the fields that were refused
/// (`pending`: key and text), since the edit may have made them valid: `points` too small
/// for the batch size fits once `batch_size` is lowered, `nesterov` once there is momentum,
/// two SequentialLR milestones once there is a third child. What the fields show is then
/// what runs. They are tried in the controls' order; each that applies is applied in turn
/// (one may make another valid) until no more do; the rest are refused again, with their
/// messages as they read now (the values they name may have changed). Scheduler keys are
/// dropped when the edit changed the schedulers ([`Retried::dropped`]): `structural` says the
/// edit moved or removed children (which may keep the classes in the same order); a changed
/// class is seen by comparing the two set-ups. Keys that are not a control of the set-up and
/// the scheduler picker are left out.
pub fn retry(
    before: &SimConfig,
    cfg: &SimConfig,
    structural: bool,
    follows: bool,
    pending: &[(String, String)],
) -> Retried {
    let mut out = Retried { cfg: cfg.clone(), follows, applied: Vec::new(), refused: Vec::new(), dropped: Vec::new() };
    let shape = (scheduler_shape(before), scheduler_shape(cfg));
    let reshaped = structural || shape.0 != shape.1;
    let same_top = shape.0.first() == shape.1.first();
    let stale = |k: &str| {
        let of_child = split_key(k).is_none_or(|(path, _)| !path.is_empty());
        reshaped && spec_of(before, k).is_some_and(|s| s.group == Group::Scheduler) && (of_child || !same_top)
    };
    let specs = sim_params(cfg);
    let mut left: Vec<(usize, &String, &String)> = Vec::new();
    for (k, text) in pending {
        if k == "scheduler" {
            continue;
        }
        if stale(k) {
            out.dropped.push(k.clone());
        } else if let Some(i) = specs.iter().position(|s| s.key == *k) {
            left.push((i, k, text));
        }
    }
    crate::core::util::sort_short(&mut left, |&(i, ..)| i);
    // A pass that applies nothing leaves the errors of the final config.
    loop {
        let mut applied = false;
        let mut refused = Vec::new();
        left.retain(|&(_, k, text)| match set_following(&out.cfg, out.follows, k, text) {
            Ok((next, follows)) => {
                (out.cfg, out.follows) = (next, follows);
                out.applied.push(k.clone());
                applied = true;
                false
            }
            Err(e) => {
                refused.push((k.clone(), e));
                true
            }
        });
        if !applied {
            out.refused = refused;
            break;
        }
    }
    out
}

/// The key of the field a [`ConfigError`] names: the validators write a composite's child as
/// PyTorch does (`schedulers[1].T_max`), keys as `s1.T_max`.
pub fn key_of_field(field: &str) -> String {
    let mut key = String::with_capacity(field.len());
    let mut rest = field;
    while let Some((index, tail)) = rest.strip_prefix("schedulers[").and_then(|r| r.split_once(']')) {
        key.push('s');
        key.push_str(index);
        rest = tail;
        if let Some(tail) = rest.strip_prefix('.') {
            key.push('.');
            rest = tail;
        }
    }
    key.push_str(rest);
    key
}

/// Whether `key` names a composite child's type (`s1`, `s0.s2`).
pub fn is_child_key(key: &str) -> bool {
    split_key(key).is_some_and(|(path, field)| !path.is_empty() && field.is_empty())
}

/// Like [`set`] but without validating the whole run (the URL decoder validates once at
/// the end, so that fields that depend on each other can arrive in any order). A child key
/// one past the last child appends a child.
pub fn assign(cfg: &SimConfig, key: &str, text: &str) -> Result<SimConfig, ConfigError> {
    if is_child_key(key) {
        if let Some((path, _)) = split_key(key) {
            let (last, parent) = path.split_last().unwrap_or((&0, &[]));
            let prefix = parent.iter().map(|i| format!("s{i}")).collect::<Vec<_>>().join(".");
            let value = parse_text(key, &choice(&CHILD_NAMES), false, text)?;
            let name = value.as_str().unwrap_or("");
            let count = child_count(cfg, &prefix);
            if count == Some(*last) {
                return add_child_unchecked(cfg, &prefix, name);
            }
        }
    }
    let spec = spec_of(cfg, key).ok_or_else(|| ConfigError {
        field: key.to_string(),
        kind: ConfigErrorKind::UnknownField,
        message: if key == "stepping" && cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau()) {
            "ReduceLROnPlateau steps once per epoch, on the epoch's loss (PyTorch's scheduler.step(metric))".into()
        } else {
            format!("unknown setting `{key}` for this set-up")
        },
        against: None,
    })?;
    let optional = spec.pytorch_default == Some("None");
    let value = parse_text(key, &spec.kind, optional, text)?;
    let mut next = cfg.clone();
    match (spec.group, key) {
        (_, "scheduler") => {
            let name = value.as_str().unwrap_or("");
            if next.scheduler.as_ref().map_or(NO_SCHEDULER, |s| s.name()) != name {
                next.scheduler = SchedulerConfig::default_for(name);
                fit_new_scheduler(&mut next);
            }
        }
        (Group::Scheduler, _) => {
            let sched = next.scheduler.as_mut().ok_or_else(|| malformed(key, "needs a scheduler"))?;
            let (path, field) = split_key(key).ok_or_else(|| malformed(key, "is not a parameter"))?;
            let node = path
                .iter()
                .try_fold(sched, |node, &i| children_of_mut(node)?.get_mut(i))
                .ok_or_else(|| malformed(key, "names no scheduler"))?;
            if field.is_empty() {
                let name = value.as_str().unwrap_or("");
                if node.name() != name {
                    *node = SchedulerConfig::default_for(name).ok_or_else(|| malformed(key, "names no scheduler"))?;
                }
                return Ok(next);
            }
            // Typed, on this one scheduler (not its parents or siblings).
            node.set_field(field, &value)?;
        }
        (Group::Optimizer, _) => {
            let o = &mut next.optimizer;
            match key {
                "lr" => o.lr = value.as_f64().unwrap_or(f64::NAN),
                "momentum" => o.momentum = value.as_f64().unwrap_or(f64::NAN),
                "dampening" => o.dampening = value.as_f64().unwrap_or(f64::NAN),
                "nesterov" => o.nesterov = value.as_bool().unwrap_or(false),
                _ => o.weight_decay = value.as_f64().unwrap_or(f64::NAN),
            }
        }
        (Group::Problem, "problem") if value.as_str() != Some(next.problem.name()) => {
            next.problem = if value.as_str() == Some("quadratic") {
                ProblemConfig::Quadratic(QuadraticConfig::default())
            } else {
                ProblemConfig::Logistic(LogisticConfig::default())
            };
        }
        (Group::Problem, "problem") => {}
        (Group::Problem, _) => {
            // The number by hand (not `Value`'s Display, which would bring serde_json's writer).
            if let Some(i) = value.as_i64().filter(|&i| i < 0) {
                // The message validation gives for 5 points, not a type error for -5.
                return Err(negative_count(&next.problem, key, i));
            }
            next.problem.set_field(key, &value)?;
        }
        (Group::Training, _) => match key {
            "epochs" | "seed" => {
                let i = value.as_i64().unwrap_or(-1);
                if i < 0 {
                    return Err(malformed(
                        key,
                        format_args!(
                            "must be a whole number of at least {}, got {i}",
                            if key == "seed" { 0 } else { 1 }
                        ),
                    ));
                }
                if key == "epochs" {
                    // Checked before the count narrows to a usize, which is 32 bits in wasm:
                    // 4294967396 would otherwise become 100 epochs, with no message.
                    ConfigError::ctx("", "training").int_at_most(key, i, MAX_EPOCHS as i64)?;
                    next.epochs = i as usize;
                } else {
                    next.seed = i as u64;
                }
            }
            _ => next.stepping = if value.as_str() == Some("batch") { Stepping::Batch } else { Stepping::Epoch },
        },
    }
    Ok(next)
}

/// A negative count of the problem (`points`, `batch_size`, `steps_per_epoch`), refused with
/// the message validation gives below the count's minimum.
fn negative_count(problem: &ProblemConfig, key: &str, i: i64) -> ConfigError {
    let min = if key == "points" { MIN_POINTS as i64 } else { 1 };
    ConfigError::ctx("", problem.name())
        .int_at_least(key, i, min)
        .err()
        .unwrap_or_else(|| malformed(key, "is negative"))
}

/// After picking a scheduler: step it where PyTorch users do (per batch for OneCycleLR and
/// CyclicLR, per epoch otherwise) and size OneCycleLR's cycle to the whole run.
fn fit_new_scheduler(cfg: &mut SimConfig) {
    let per_batch = cfg.scheduler.as_ref().is_some_and(|s| s.prefers_per_batch());
    cfg.stepping = if per_batch { Stepping::Batch } else { Stepping::Epoch };
    let steps = run_steps(cfg) as i64;
    match cfg.scheduler.as_mut() {
        Some(SchedulerConfig::OneCycleLR(c)) => c.total_steps = Some(steps),
        Some(SchedulerConfig::CosineAnnealingLR(c)) => c.t_max = steps,
        _ => {}
    }
}

/// Number of children of the composite at `prefix`, if it is one.
pub fn child_count(cfg: &SimConfig, prefix: &str) -> Option<usize> {
    let path = if prefix.is_empty() { Vec::new() } else { split_key(prefix)?.0 };
    let node = path.iter().try_fold(cfg.scheduler.as_ref()?, |node, &i| children_of(node)?.get(i))?;
    children_of(node).map(Vec::len)
}

/// Edit the children of the composite at `prefix` ("" for the top scheduler, `s1` for a
/// nested one) with `f(schedulers, milestones)`, then validate.
fn edit_children(
    cfg: &SimConfig,
    prefix: &str,
    f: impl FnOnce(&mut Vec<SchedulerConfig>, Option<&mut Vec<i64>>) -> Result<(), ConfigError>,
) -> Result<SimConfig, ConfigError> {
    let next = edit_children_unchecked(cfg, prefix, f)?;
    next.validate()?;
    Ok(next)
}

fn edit_children_unchecked(
    cfg: &SimConfig,
    prefix: &str,
    f: impl FnOnce(&mut Vec<SchedulerConfig>, Option<&mut Vec<i64>>) -> Result<(), ConfigError>,
) -> Result<SimConfig, ConfigError> {
    let mut next = cfg.clone();
    let sched = next.scheduler.as_mut().ok_or_else(|| malformed("scheduler", "is not a composite"))?;
    // A field after the path (`s1.gamma`) is ignored: the prefix names the composite.
    let path = if prefix.is_empty() { Some((Vec::new(), "")) } else { split_key(prefix) };
    let (path, _) = path.ok_or_else(|| malformed(prefix, "names no composite scheduler"))?;
    let (children, milestones) = match path.iter().try_fold(sched, |node, &i| children_of_mut(node)?.get_mut(i)) {
        Some(SchedulerConfig::SequentialLR(s)) => (&mut s.schedulers, Some(&mut s.milestones)),
        Some(SchedulerConfig::ChainedScheduler(c)) => (&mut c.schedulers, None),
        _ => return Err(malformed(prefix, "names no composite scheduler")),
    };
    f(children, milestones)?;
    Ok(next)
}

/// Append a child scheduler `name` to the composite at `prefix` (SequentialLR gets a new
/// milestone 10 epochs after the last).
pub fn add_child(cfg: &SimConfig, prefix: &str, name: &str) -> Result<SimConfig, ConfigError> {
    let next = add_child_unchecked(cfg, prefix, name)?;
    next.validate()?;
    Ok(next)
}

fn add_child_unchecked(cfg: &SimConfig, prefix: &str, name: &str) -> Result<SimConfig, ConfigError> {
    let fresh =
        SchedulerConfig::default_for(name).ok_or_else(|| malformed(prefix, format_args!("cannot add `{name}`")))?;
    edit_children_unchecked(cfg, prefix, |children, milestones| {
        if children.len() >= 8 {
            return Err(malformed(prefix, "may hold at most 8 schedulers"));
        }
        if let Some(ms) = milestones {
            let last = ms.last().copied().unwrap_or(0);
            ms.push(last + 10);
        }
        children.push(fresh);
        Ok(())
    })
}

/// Keep only the first `len` children of the composite at `prefix` (and `len − 1`
/// milestones), without validating.
pub fn truncate_children(cfg: &SimConfig, prefix: &str, len: usize) -> Result<SimConfig, ConfigError> {
    edit_children_unchecked(cfg, prefix, |children, milestones| {
        children.truncate(len.max(1));
        if let Some(ms) = milestones {
            ms.truncate(len.max(1) - 1);
        }
        Ok(())
    })
}

/// Remove child `index` (SequentialLR drops the milestone that starts it, or the first).
pub fn remove_child(cfg: &SimConfig, prefix: &str, index: usize) -> Result<SimConfig, ConfigError> {
    edit_children(cfg, prefix, |children, milestones| {
        if index >= children.len() || children.len() == 1 {
            return Err(malformed(prefix, "must keep at least one scheduler"));
        }
        children.remove(index);
        if let Some(ms) = milestones {
            if !ms.is_empty() {
                ms.remove(index.saturating_sub(1).min(ms.len() - 1));
            }
        }
        Ok(())
    })
}

/// Swap child `index` with the one before it (milestones stay where they are).
pub fn move_child_up(cfg: &SimConfig, prefix: &str, index: usize) -> Result<SimConfig, ConfigError> {
    edit_children(cfg, prefix, |children, _| {
        if index == 0 || index >= children.len() {
            return Err(malformed(prefix, "cannot move that scheduler up"));
        }
        children.swap(index - 1, index);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_reads_back_and_sets_its_own_value() {
        let mut cfgs = vec![SimConfig::default()];
        for name in SchedulerConfig::NAMES {
            let c = set(&SimConfig::default(), "scheduler", name).unwrap();
            cfgs.push(set(&c, "problem", "quadratic").unwrap());
            cfgs.push(c);
        }
        for cfg in cfgs {
            for s in sim_params(&cfg) {
                let text = get(&cfg, &s.key).unwrap_or_else(|| panic!("no value for {}", s.key));
                let again = set(&cfg, &s.key, &text).unwrap_or_else(|e| panic!("{} = {text}: {e}", s.key));
                assert_eq!(again, cfg, "{} = {text}", s.key);
            }
        }
    }

    /// Configs with every scheduler, both problems, the presets and nested composites.
    fn assorted_configs() -> Vec<SimConfig> {
        let mut cfgs = vec![SimConfig::default()];
        for name in SchedulerConfig::NAMES.iter().chain(&[NO_SCHEDULER]) {
            let c = set(&SimConfig::default(), "scheduler", name).unwrap();
            cfgs.push(set(&c, "problem", "quadratic").unwrap());
            cfgs.push(c);
        }
        cfgs.extend(crate::core::presets::presets().into_iter().map(|p| p.cfg));
        let seq = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        let nested = assign(&seq, "s2", "StepLR").and_then(|c| assign(&c, "s0", "ConstantLR")).unwrap();
        cfgs.push(nested);
        cfgs
    }

    #[test]
    fn spec_of_is_the_entry_of_sim_params() {
        let extra =
            ["s0", "s1", "s9", "s0.lr", "s0.gamma", "s0.s0", "s1.total_iters", "kappa", "points", "nope", "", "type"];
        for cfg in assorted_configs() {
            let all = sim_params(&cfg);
            let keys = all.iter().map(|s| s.key.clone()).chain(extra.iter().map(|k| k.to_string()));
            for key in keys {
                let expected = all.iter().find(|s| s.key == key).cloned();
                assert_eq!(spec_of(&cfg, &key), expected, "{key} in {cfg:?}");
            }
        }
    }

    #[test]
    fn values_are_sim_params_with_get() {
        for cfg in assorted_configs() {
            let expected: Vec<_> = sim_params(&cfg)
                .into_iter()
                .map(|s| {
                    let v = get(&cfg, &s.key);
                    (s, v)
                })
                .collect();
            assert_eq!(values(&cfg), expected);
        }
    }

    #[test]
    fn problem_fields_read_as_their_serde_form() {
        for cfg in assorted_configs() {
            let v = serde_json::to_value(&cfg.problem).unwrap();
            for key in [
                "kappa",
                "angle",
                "noise",
                "steps_per_epoch",
                "points",
                "separation",
                "label_noise",
                "val_fraction",
                "batch_size",
                "l2",
                "type",
                "x",
            ] {
                let expected = if key == "type" { None } else { v.get(key).map(value_text) };
                assert_eq!(problem_value(&cfg.problem, key), expected, "{key}");
            }
        }
    }

    #[test]
    fn error_fields_map_to_keys() {
        assert_eq!(key_of_field("gamma"), "gamma");
        assert_eq!(key_of_field("schedulers[1].T_max"), "s1.T_max");
        assert_eq!(key_of_field("schedulers[0]"), "s0");
        assert_eq!(key_of_field("schedulers[2].schedulers[0].gamma"), "s2.s0.gamma");
        assert_eq!(key_of_field(""), "");
    }

    #[test]
    fn sets_and_validates() {
        let cfg = SimConfig::default();
        let c = set(&cfg, "gamma", "0.5").unwrap();
        assert_eq!(get(&c, "gamma").unwrap(), "0.5");
        let e = set(&cfg, "gamma", "-1").unwrap_err();
        assert!(e.message.contains("greater than 0"), "{e}");
        let e = set(&cfg, "gamma", "abc").unwrap_err();
        assert!(e.message.contains("must be a number"), "{e}");
        let e = set(&cfg, "step_size", "2.5").unwrap_err();
        assert!(e.message.contains("whole number"), "{e}");
        let e = set(&cfg, "lr", "nan").unwrap_err();
        assert!(e.message.contains("finite"), "{e}");
        assert!(set(&cfg, "T_max", "5").is_err()); // not a StepLR parameter
    }

    #[test]
    fn composite_children_by_prefix() {
        let cfg = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        assert_eq!(get(&cfg, "s1").unwrap(), "CosineAnnealingLR");
        let c = set(&cfg, "s1.T_max", "40").unwrap();
        assert_eq!(get(&c, "s1.T_max").unwrap(), "40");
        let c = set(&c, "s1", "ExponentialLR").unwrap();
        assert_eq!(get(&c, "s1.gamma").unwrap(), "0.95");
        let c = add_child(&c, "", "StepLR").unwrap();
        assert_eq!(get(&c, "milestones").unwrap(), "5, 15");
        let c = move_child_up(&c, "", 2).unwrap();
        assert_eq!(get(&c, "s1").unwrap(), "StepLR");
        let c = remove_child(&c, "", 0).unwrap();
        assert_eq!(get(&c, "milestones").unwrap(), "15");
        let e = set(&c, "milestones", "").unwrap_err();
        assert!(e.message.contains("one epoch fewer than there are schedulers"), "{e}");
    }

    #[test]
    fn picking_a_scheduler_sets_stepping_and_one_cycle_length() {
        let c = set(&SimConfig::default(), "scheduler", "OneCycleLR").unwrap();
        assert_eq!(c.stepping, Stepping::Batch);
        assert_eq!(get(&c, "total_steps").unwrap(), "800"); // 100 epochs × 8 batches
        assert!(fits_run_length(&c));
        // Refitted to the run (as the UI does while it follows): epochs, stepping, batches.
        let refit = |c: &SimConfig| fit_run_length(c).unwrap();
        let c = refit(&set(&c, "epochs", "50").unwrap());
        assert_eq!(get(&c, "total_steps").unwrap(), "400");
        let c = refit(&set(&c, "stepping", "epoch").unwrap());
        assert_eq!(get(&c, "total_steps").unwrap(), "50");
        let c = set(&c, "stepping", "batch").unwrap();
        let c = refit(&set(&c, "batch_size", "40").unwrap()); // 160 training points: 4 batches
        assert_eq!(get(&c, "total_steps").unwrap(), "200");
        // `set` itself never moves it.
        let c = set(&c, "epochs", "300").unwrap();
        assert_eq!(get(&c, "total_steps").unwrap(), "200");
        assert!(!fits_run_length(&c));
        assert_eq!(run_length_key(&c), Some("total_steps"));
        let c = set(&c, "scheduler", "LambdaLR").unwrap();
        assert_eq!(c.stepping, Stepping::Epoch);
        assert_eq!((run_length_key(&c), fit_run_length(&c)), (None, None));
        // CosineAnnealingLR's T_max: one half cosine over the run, as usually set.
        let c = set(&c, "epochs", "60").unwrap();
        let c = set(&c, "scheduler", "CosineAnnealingLR").unwrap();
        assert_eq!(get(&c, "T_max").unwrap(), "60");
        // A huge run length is clamped, not overflowed.
        let mut big = c.clone();
        big.epochs = usize::MAX;
        big.stepping = Stepping::Batch;
        assert!(!fits_run_length(&big));
    }

    #[test]
    fn fuzz_findings_round_trip() {
        // An empty milestone list is valid (MultiStepLR with no drops, SequentialLR with one
        // scheduler) and must read back; a child index has one spelling.
        let c = set(&SimConfig::default(), "scheduler", "MultiStepLR").unwrap();
        let c = set(&c, "milestones", ",").unwrap();
        assert_eq!(get(&c, "milestones").unwrap(), "");
        assert_eq!(set(&c, "milestones", "").unwrap(), c);
        let c = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        assert!(set(&c, "s02", "CosineAnnealingLR").is_err());
        assert!(set(&c, "s01.T_max", "5").is_err());
        assert!(set(&c, "s2.", "CosineAnnealingLR").is_err());
        assert!(set(&c, "s+2", "CyclicLR").is_err());
        assert!(set(&c, "s1..T_max", "5").is_err());
    }

    #[test]
    fn optional_params_take_none() {
        let cfg = set(&SimConfig::default(), "scheduler", "CyclicLR").unwrap();
        let c = set(&cfg, "step_size_down", "7").unwrap();
        assert_eq!(get(&c, "step_size_down").unwrap(), "7");
        let c = set(&c, "step_size_down", "").unwrap();
        assert_eq!(get(&c, "step_size_down").unwrap(), "None");
    }

    fn pending(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, t)| (k.to_string(), t.to_string())).collect()
    }

    #[test]
    fn refused_fields_apply_once_an_edit_makes_them_valid() {
        // points=50 is refused while batch_size is 100 (40 training points); batch_size=10 fixes it.
        let big = set(&SimConfig::default(), "batch_size", "100").unwrap();
        let e = set(&big, "points", "50").unwrap_err();
        assert!(e.message.contains("`batch_size` must be at most the 40 training points, got 100"), "{}", e.message);
        let fixed = set(&big, "batch_size", "10").unwrap();
        let r = retry(&big, &fixed, false, false, &pending(&[("points", "50")]));
        assert_eq!(r.applied, ["points"]);
        assert!(r.refused.is_empty());
        assert_eq!(r.cfg, set(&fixed, "points", "50").unwrap());

        // nesterov needs momentum; CyclicLR's max_lr must stay above base_lr.
        let nesterov = set(&SimConfig::default(), "nesterov", "true").unwrap_err();
        assert!(nesterov.message.contains("here momentum 0 and dampening 0"), "{}", nesterov.message);
        let m = set(&SimConfig::default(), "momentum", "0.9").unwrap();
        assert!(
            retry(&SimConfig::default(), &m, false, false, &pending(&[("nesterov", "true")])).cfg.optimizer.nesterov
        );
        let cyc = set(&SimConfig::default(), "scheduler", "CyclicLR").unwrap();
        assert!(set(&cyc, "max_lr", "0.0001").is_err());
        let low = set(&cyc, "base_lr", "0.00001").unwrap();
        let r = retry(&cyc, &low, false, false, &pending(&[("max_lr", "0.0001")]));
        assert_eq!(get(&r.cfg, "max_lr").as_deref(), Some("0.0001"));

        // Two milestones wait for a third SequentialLR child.
        let seq = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        assert!(set(&seq, "milestones", "5, 10").is_err());
        let three = add_child(&seq, "", "ExponentialLR").unwrap();
        let r = retry(&seq, &three, true, false, &pending(&[("milestones", "5, 10"), ("add-child", "StepLR")]));
        assert_eq!(
            (r.applied.as_slice(), get(&r.cfg, "milestones").as_deref()),
            (&["milestones".to_string()][..], Some("5, 10"))
        );
    }

    #[test]
    fn refused_texts_for_a_scheduler_that_is_gone_are_dropped() {
        // A refused gamma of StepLR does not land on the ExponentialLR picked after it.
        let step = SimConfig::default();
        let exp = set(&step, "scheduler", "ExponentialLR").unwrap();
        let r = retry(&step, &exp, false, false, &pending(&[("gamma", "1.5"), ("points", "abc")]));
        assert_eq!((r.dropped.as_slice(), r.cfg == exp), (&["gamma".to_string()][..], true));
        assert_eq!(r.refused.len(), 1, "points is not a scheduler's");
        // Children: removing (or moving) one shifts the keys of the others.
        let seq = add_child(&set(&step, "scheduler", "SequentialLR").unwrap(), "", "ExponentialLR").unwrap();
        let seq = set(&seq, "milestones", "5, 10").unwrap();
        let gone = remove_child(&seq, "", 1).unwrap();
        let texts = pending(&[("s1.T_max", "abc"), ("milestones", "7")]);
        let r = retry(&seq, &gone, true, false, &texts);
        assert_eq!(r.dropped, ["s1.T_max"]);
        assert_eq!(get(&r.cfg, "milestones").as_deref(), Some("7"), "the top scheduler's own field is kept");
        // Two children of one class swapped: the classes read the same, the edit says it moved them.
        let r = retry(&seq, &seq, true, false, &pending(&[("s1.T_max", "abc")]));
        assert_eq!(r.dropped, ["s1.T_max"]);
        // Any other edit keeps them, refused as before.
        let r = retry(&seq, &seq, false, false, &pending(&[("s1.T_max", "abc")]));
        assert_eq!((r.dropped.len(), r.refused.len()), (0, 1));
    }

    #[test]
    fn refused_fields_that_still_fail_say_why_as_it_reads_now() {
        // One applied field can make another valid: lowering points needs the batch size first.
        let big = set(&SimConfig::default(), "batch_size", "100").unwrap();
        let r = retry(&big, &big, false, false, &pending(&[("points", "50"), ("gamma", "abc"), ("batch_size", "10")]));
        assert_eq!(r.applied, ["batch_size", "points"]);
        assert_eq!(r.refused.len(), 1);
        assert_eq!(r.refused[0].0, "gamma");
        assert!(r.refused[0].1.message.contains("must be a number"), "{}", r.refused[0].1.message);
        // The message names the values on screen now.
        let cyc = set(&set(&SimConfig::default(), "scheduler", "CyclicLR").unwrap(), "max_lr", "0.002").unwrap();
        let r = retry(&cyc, &cyc, false, false, &pending(&[("base_lr", "0.005")]));
        assert!(
            r.refused[0].1.message.contains("(0.002) must be at least base_lr (0.005)"),
            "{}",
            r.refused[0].1.message
        );
    }
}

/// The typed setters against the serde path they replaced: `assign` and the composite edits
/// give exactly what writing into the serde form and deserializing it gave (the same config,
/// or the same error), for every scheduler (nested in composites too), every settable field
/// and valid, edge and invalid texts of its kind. Likewise the typed reading (`get`,
/// `values`, each scheduler's `fields`) against reading the serde form.
#[cfg(test)]
pub(crate) mod typed_equals_serde {
    use super::*;
    use crate::core::schedulers::{
        ChainedScheduler, CyclicLR, CyclicMode, ExponentialLR, MultiStepLR, OneCycleLR, ScaleMode, SequentialLR, StepLR,
    };

    // ---- The serde reading as it was (reference only; the app reads `fields`). ----

    fn child_serde<'a>(v: &'a Value, path: &[usize]) -> Option<&'a Value> {
        path.iter().try_fold(v, |v, &i| v.get("schedulers")?.get(i))
    }

    /// The current value of `key` as text (as the UI's field and the URL show it).
    pub(crate) fn get_serde(cfg: &SimConfig, key: &str) -> Option<String> {
        get_in_serde(cfg, None, key)
    }

    /// Every control of the config with its value: `sim_params` paired with `get`, reading
    /// the scheduler's serde form once instead of once per control.
    pub(crate) fn values_serde(cfg: &SimConfig) -> Vec<(ParamSpec, Option<String>)> {
        let sched = cfg.scheduler.as_ref().and_then(|s| serde_json::to_value(s).ok());
        sim_params(cfg)
            .into_iter()
            .map(|spec| {
                let value = get_in_serde(cfg, sched.as_ref(), &spec.key);
                (spec, value)
            })
            .collect()
    }

    /// `get` with the scheduler's serde form already at hand (`sched`), if it is.
    fn get_in_serde(cfg: &SimConfig, sched: Option<&Value>, key: &str) -> Option<String> {
        let o = &cfg.optimizer;
        let text = match key {
            "scheduler" => cfg.scheduler.as_ref().map_or(NO_SCHEDULER, |s| s.name()).to_string(),
            "lr" => fmt_num(o.lr),
            "momentum" => fmt_num(o.momentum),
            "dampening" => fmt_num(o.dampening),
            "nesterov" => value_text(&Value::Bool(o.nesterov)),
            "weight_decay" => fmt_num(o.weight_decay),
            "problem" => cfg.problem.name().to_string(),
            "epochs" => cfg.epochs.to_string(),
            "stepping" => match cfg.stepping {
                Stepping::Epoch => "epoch",
                Stepping::Batch => "batch",
            }
            .to_string(),
            "seed" => cfg.seed.to_string(),
            _ => {
                if let Some(v) = problem_value(&cfg.problem, key) {
                    return Some(v);
                }
                let owned;
                let sched = match sched {
                    Some(v) => v,
                    None => {
                        owned = serde_json::to_value(cfg.scheduler.as_ref()?).ok()?;
                        &owned
                    }
                };
                let (path, field) = split_key(key)?;
                let node = child_serde(sched, &path)?;
                return if field.is_empty() {
                    node.get("type").map(value_text)
                } else {
                    Some(node.get(field).map_or(NO_SCHEDULER.to_string(), value_text))
                };
            }
        };
        Some(text)
    }

    // ---- The serde path as it was (reference only; the app no longer has it). ----

    fn child_mut_serde<'a>(v: &'a mut Value, path: &[usize]) -> Option<&'a mut Value> {
        path.iter().try_fold(v, |v, &i| v.get_mut("schedulers")?.get_mut(i))
    }

    fn assign_serde(cfg: &SimConfig, key: &str, text: &str) -> Result<SimConfig, ConfigError> {
        if is_child_key(key) {
            if let Some((path, _)) = split_key(key) {
                let (last, parent) = path.split_last().unwrap_or((&0, &[]));
                let prefix = parent.iter().map(|i| format!("s{i}")).collect::<Vec<_>>().join(".");
                let value = parse_text(key, &choice(&CHILD_NAMES), false, text)?;
                let name = value.as_str().unwrap_or("");
                let count = child_count(cfg, &prefix);
                if count == Some(*last) {
                    return add_child_unchecked_serde(cfg, &prefix, name);
                }
            }
        }
        let spec = spec_of(cfg, key).ok_or_else(|| ConfigError {
            field: key.to_string(),
            kind: ConfigErrorKind::UnknownField,
            message: format!("unknown setting `{key}` for this set-up"),
            against: None,
        })?;
        let optional = spec.pytorch_default == Some("None");
        let value = parse_text(key, &spec.kind, optional, text)?;
        let mut next = cfg.clone();
        match (spec.group, key) {
            (_, "scheduler") => {
                let name = value.as_str().unwrap_or("");
                if next.scheduler.as_ref().map_or(NO_SCHEDULER, |s| s.name()) != name {
                    next.scheduler = SchedulerConfig::default_for(name);
                    fit_new_scheduler(&mut next);
                }
            }
            (Group::Scheduler, _) => {
                let sched = next.scheduler.as_mut().ok_or_else(|| malformed(key, "needs a scheduler"))?;
                let (path, field) = split_key(key).ok_or_else(|| malformed(key, "is not a parameter"))?;
                let node = path
                    .iter()
                    .try_fold(sched, |node, &i| children_of_mut(node)?.get_mut(i))
                    .ok_or_else(|| malformed(key, "names no scheduler"))?;
                if field.is_empty() {
                    let name = value.as_str().unwrap_or("");
                    if node.name() != name {
                        *node =
                            SchedulerConfig::default_for(name).ok_or_else(|| malformed(key, "names no scheduler"))?;
                    }
                    return Ok(next);
                }
                // Through the serde form of this one scheduler (not its parents or siblings).
                let mut v = serde_json::to_value(&*node).map_err(|e| malformed(key, e))?;
                if let Value::Object(map) = &mut v {
                    if value.is_null() {
                        map.remove(field);
                    } else {
                        map.insert(field.to_string(), value);
                    }
                }
                *node = serde_json::from_value(v).map_err(ConfigError::from_serde)?;
            }
            (Group::Optimizer, _) => {
                let o = &mut next.optimizer;
                match key {
                    "lr" => o.lr = value.as_f64().unwrap_or(f64::NAN),
                    "momentum" => o.momentum = value.as_f64().unwrap_or(f64::NAN),
                    "dampening" => o.dampening = value.as_f64().unwrap_or(f64::NAN),
                    "nesterov" => o.nesterov = value.as_bool().unwrap_or(false),
                    _ => o.weight_decay = value.as_f64().unwrap_or(f64::NAN),
                }
            }
            (Group::Problem, "problem") if value.as_str() != Some(next.problem.name()) => {
                next.problem = if value.as_str() == Some("quadratic") {
                    ProblemConfig::Quadratic(QuadraticConfig::default())
                } else {
                    ProblemConfig::Logistic(LogisticConfig::default())
                };
            }
            (Group::Problem, "problem") => {}
            (Group::Problem, _) => {
                if let Some(i) = value.as_i64().filter(|&i| i < 0) {
                    return Err(negative_count(&next.problem, key, i));
                }
                let mut v = serde_json::to_value(&next.problem).map_err(|e| malformed(key, e))?;
                if let Value::Object(map) = &mut v {
                    map.insert(key.to_string(), value);
                }
                next.problem = serde_json::from_value(v).map_err(ConfigError::from_serde)?;
            }
            (Group::Training, _) => match key {
                "epochs" | "seed" => {
                    let i = value.as_i64().unwrap_or(-1);
                    if i < 0 {
                        return Err(malformed(
                            key,
                            format_args!(
                                "must be a whole number of at least {}, got {i}",
                                if key == "seed" { 0 } else { 1 }
                            ),
                        ));
                    }
                    if key == "epochs" {
                        ConfigError::ctx("", "training").int_at_most(key, i, MAX_EPOCHS as i64)?;
                        next.epochs = i as usize;
                    } else {
                        next.seed = i as u64;
                    }
                }
                _ => next.stepping = if value.as_str() == Some("batch") { Stepping::Batch } else { Stepping::Epoch },
            },
        }
        Ok(next)
    }

    fn composite_children_serde<'a>(
        v: &'a mut Value,
        prefix: &str,
    ) -> Result<&'a mut serde_json::Map<String, Value>, ConfigError> {
        let path = if prefix.is_empty() { Some((Vec::new(), "")) } else { split_key(prefix) };
        let (path, _) = path.ok_or_else(|| malformed(prefix, "names no composite scheduler"))?;
        match child_mut_serde(v, &path) {
            Some(Value::Object(m)) if m.get("schedulers").is_some_and(|s| s.is_array()) => Ok(m),
            _ => Err(malformed(prefix, "names no composite scheduler")),
        }
    }

    fn edit_children_serde(
        cfg: &SimConfig,
        prefix: &str,
        f: impl FnOnce(&mut Vec<Value>, Option<&mut Vec<Value>>) -> Result<(), ConfigError>,
    ) -> Result<SimConfig, ConfigError> {
        let next = edit_children_unchecked_serde(cfg, prefix, f)?;
        next.validate()?;
        Ok(next)
    }

    fn edit_children_unchecked_serde(
        cfg: &SimConfig,
        prefix: &str,
        f: impl FnOnce(&mut Vec<Value>, Option<&mut Vec<Value>>) -> Result<(), ConfigError>,
    ) -> Result<SimConfig, ConfigError> {
        let sched = cfg.scheduler.as_ref().ok_or_else(|| malformed("scheduler", "is not a composite"))?;
        let mut v = serde_json::to_value(sched).map_err(|e| malformed(prefix, e))?;
        let map = composite_children_serde(&mut v, prefix)?;
        let mut milestones = map.remove("milestones");
        let mut children = match map.remove("schedulers") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let ms = match milestones.as_mut() {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        };
        f(&mut children, ms)?;
        map.insert("schedulers".into(), Value::Array(children));
        if let Some(m) = milestones {
            map.insert("milestones".into(), m);
        }
        let mut next = cfg.clone();
        next.scheduler = Some(serde_json::from_value(v).map_err(ConfigError::from_serde)?);
        Ok(next)
    }

    fn add_child_serde(cfg: &SimConfig, prefix: &str, name: &str) -> Result<SimConfig, ConfigError> {
        let next = add_child_unchecked_serde(cfg, prefix, name)?;
        next.validate()?;
        Ok(next)
    }

    fn add_child_unchecked_serde(cfg: &SimConfig, prefix: &str, name: &str) -> Result<SimConfig, ConfigError> {
        let fresh =
            SchedulerConfig::default_for(name).ok_or_else(|| malformed(prefix, format_args!("cannot add `{name}`")))?;
        let fresh = serde_json::to_value(fresh).map_err(|e| malformed(prefix, e))?;
        edit_children_unchecked_serde(cfg, prefix, |children, milestones| {
            if children.len() >= 8 {
                return Err(malformed(prefix, "may hold at most 8 schedulers"));
            }
            if let Some(ms) = milestones {
                let last = ms.last().and_then(Value::as_i64).unwrap_or(0);
                ms.push(Value::from(last + 10));
            }
            children.push(fresh);
            Ok(())
        })
    }

    fn truncate_children_serde(cfg: &SimConfig, prefix: &str, len: usize) -> Result<SimConfig, ConfigError> {
        edit_children_unchecked_serde(cfg, prefix, |children, milestones| {
            children.truncate(len.max(1));
            if let Some(ms) = milestones {
                ms.truncate(len.max(1) - 1);
            }
            Ok(())
        })
    }

    fn remove_child_serde(cfg: &SimConfig, prefix: &str, index: usize) -> Result<SimConfig, ConfigError> {
        edit_children_serde(cfg, prefix, |children, milestones| {
            if index >= children.len() || children.len() == 1 {
                return Err(malformed(prefix, "must keep at least one scheduler"));
            }
            children.remove(index);
            if let Some(ms) = milestones {
                if !ms.is_empty() {
                    ms.remove(index.saturating_sub(1).min(ms.len() - 1));
                }
            }
            Ok(())
        })
    }

    fn move_child_up_serde(cfg: &SimConfig, prefix: &str, index: usize) -> Result<SimConfig, ConfigError> {
        edit_children_serde(cfg, prefix, |children, _| {
            if index == 0 || index >= children.len() {
                return Err(malformed(prefix, "cannot move that scheduler up"));
            }
            children.swap(index - 1, index);
            Ok(())
        })
    }

    fn assorted_problems(cfgs: Vec<SimConfig>) -> Vec<SimConfig> {
        let mut out = Vec::new();
        for c in cfgs {
            out.push(assign(&c, "problem", "quadratic").unwrap());
            out.push(c);
        }
        out
    }

    fn with(s: SchedulerConfig) -> SimConfig {
        SimConfig { scheduler: Some(s), ..SimConfig::default() }
    }

    fn named(name: &str) -> SchedulerConfig {
        SchedulerConfig::default_for(name).unwrap()
    }

    /// Every scheduler on its own and in composites (nested two deep, full, empty), with
    /// optional fields set and unset, both problems, the presets, no scheduler.
    pub(crate) fn configs() -> Vec<SimConfig> {
        let mut cfgs = vec![SimConfig::default(), SimConfig { scheduler: None, ..SimConfig::default() }];
        cfgs.extend(SchedulerConfig::NAMES.iter().map(|n| set(&SimConfig::default(), "scheduler", n).unwrap()));
        cfgs.extend(SchedulerConfig::NAMES.iter().map(|n| with(named(n))));
        cfgs.extend(crate::core::presets::presets().into_iter().map(|p| p.cfg));
        let cyclic = CyclicLR {
            step_size_down: Some(7),
            scale_fn: Some("0.5 ** x".into()),
            mode: CyclicMode::ExpRange,
            scale_mode: ScaleMode::Iterations,
            cycle_momentum: false,
            ..CyclicLR::default()
        };
        let one_cycle = OneCycleLR {
            total_steps: None,
            epochs: Some(10),
            steps_per_epoch: Some(5),
            three_phase: true,
            ..OneCycleLR::default()
        };
        cfgs.push(with(SchedulerConfig::CyclicLR(cyclic.clone())));
        cfgs.push(with(SchedulerConfig::OneCycleLR(one_cycle.clone())));
        let first8: Vec<_> = CHILD_NAMES[..8].iter().map(|n| named(n)).collect();
        let rest: Vec<_> = CHILD_NAMES[8..].iter().map(|n| named(n)).collect();
        cfgs.push(with(SchedulerConfig::ChainedScheduler(ChainedScheduler { schedulers: first8 })));
        cfgs.push(with(SchedulerConfig::SequentialLR(SequentialLR { schedulers: rest, milestones: vec![5, 10, 20] })));
        let inner_seq =
            SequentialLR { schedulers: vec![named("ConstantLR"), named("ExponentialLR")], milestones: vec![3] };
        let inner_chain = ChainedScheduler {
            schedulers: vec![
                named("StepLR"),
                SchedulerConfig::SequentialLR(inner_seq.clone()),
                SchedulerConfig::CyclicLR(cyclic),
            ],
        };
        cfgs.push(with(SchedulerConfig::SequentialLR(SequentialLR {
            schedulers: vec![SchedulerConfig::ChainedScheduler(inner_chain.clone()), named("CosineAnnealingLR")],
            milestones: vec![10],
        })));
        cfgs.push(with(SchedulerConfig::ChainedScheduler(ChainedScheduler {
            schedulers: vec![
                SchedulerConfig::SequentialLR(inner_seq),
                SchedulerConfig::ChainedScheduler(inner_chain),
                SchedulerConfig::OneCycleLR(one_cycle),
                SchedulerConfig::MultiStepLR(MultiStepLR { milestones: vec![], gamma: 0.5 }),
            ],
        })));
        // Not valid, but `assign` (the URL decoder's step) sees such configs.
        cfgs.push(with(SchedulerConfig::SequentialLR(SequentialLR {
            schedulers: vec![named("StepLR"), named("ReduceLROnPlateau")],
            milestones: vec![i64::MAX - 5, -3, 0],
        })));
        cfgs.push(with(SchedulerConfig::SequentialLR(SequentialLR { schedulers: vec![], milestones: vec![] })));
        cfgs.push(with(SchedulerConfig::ChainedScheduler(ChainedScheduler { schedulers: vec![] })));
        assorted_problems(cfgs)
    }

    /// The prefixes of every composite in the config ("" for the top one, `s1`, `s1.s0`).
    fn composite_prefixes(cfg: &SimConfig) -> Vec<String> {
        fn walk(node: &SchedulerConfig, prefix: String, out: &mut Vec<String>) {
            if let Some(children) = children_of(node) {
                for (i, c) in children.iter().enumerate() {
                    let p = if prefix.is_empty() { format!("s{i}") } else { format!("{prefix}.s{i}") };
                    walk(c, p, out);
                }
                out.push(prefix);
            }
        }
        let mut out = Vec::new();
        if let Some(s) = &cfg.scheduler {
            walk(s, String::new(), &mut out);
        }
        out
    }

    fn texts(kind: &ParamKind) -> Vec<String> {
        let mut t: Vec<String> = match kind {
            ParamKind::Float { .. } => vec![
                "0",
                "-0",
                "0.5",
                "0.1",
                "1e-3",
                "2.5",
                "3",
                "-7",
                "1e308",
                "1e-320",
                "5e-324",
                "nan",
                "inf",
                "-inf",
                " ",
                "abc",
                "1,5",
                "  0.25  ",
                "1_000",
                "0.3333333333333333",
                "1e7",
            ],
            ParamKind::Int { .. } => vec![
                "0",
                "1",
                "-1",
                "5",
                "30",
                "2.5",
                "1e3",
                "30.0",
                "-0",
                "1000000",
                "1000001",
                "4294967296",
                "9007199254740993",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
                "1e308",
                "abc",
                "0x10",
                "+4",
            ],
            ParamKind::Bool => {
                vec!["True", "False", "true", "FALSE", "0", "1", "yes", "no", "on", "off", "maybe"]
            }
            ParamKind::Choice(words) => {
                let mut w = words.clone();
                w.extend(["bogus", "Triangular", " cos ", "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler"]);
                w
            }
            ParamKind::Text => vec!["epoch", "0.95 ** epoch", "1/0", "x", "lambda epoch: 1", "é", "0.5 ** x"],
            ParamKind::IntList => vec![
                ",",
                "30, 80",
                "[5]",
                "5 10 15",
                "80, 30",
                "-1",
                "2.5",
                "1e3",
                "a",
                "9223372036854775807",
                "5,5",
                "[]",
                "0",
                "1e308",
            ],
        }
        .into_iter()
        .map(String::from)
        .collect();
        t.extend(["", "None"].map(String::from));
        t.push("1".repeat(1000));
        t.push("2".repeat(1001));
        t.push((1..=1001).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
        t
    }

    /// The same config (or error) from both paths; compared by `==` and by `Debug`, which
    /// also tells -0.0 from 0.0.
    fn same(typed: Result<SimConfig, ConfigError>, serde: Result<SimConfig, ConfigError>, what: &str) {
        assert_eq!(typed, serde, "{what}");
        assert_eq!(format!("{typed:?}"), format!("{serde:?}"), "{what}");
    }

    #[test]
    fn typed_assign_equals_serde_assign() {
        let mut checked = 0;
        for cfg in configs() {
            let mut keys: Vec<(String, ParamKind, Option<String>)> =
                values(&cfg).into_iter().map(|(s, v)| (s.key, s.kind, v)).collect();
            // One past the last child appends; two past is an unknown key.
            for p in composite_prefixes(&cfg) {
                let n = child_count(&cfg, &p).unwrap();
                for i in [n, n + 1] {
                    let key = if p.is_empty() { format!("s{i}") } else { format!("{p}.s{i}") };
                    keys.push((key, choice(&CHILD_NAMES), None));
                }
            }
            keys.extend(
                ["x", "type", "schedulers", "epochs.x", "s0.schedulers", "s0.type", "s1.milestones"]
                    .map(|k| (k.to_string(), ParamKind::Text, None)),
            );
            for (key, kind, current) in keys {
                for text in texts(&kind).into_iter().chain(current) {
                    // The one intended difference: a count above 2^32 − 1 is refused by the
                    // setter, on every platform (serde set it natively, and refused it in wasm32).
                    let count = matches!(key.as_str(), "points" | "batch_size" | "steps_per_epoch");
                    if count && parse_int(text.trim()).is_some_and(|i| i > i64::from(u32::MAX)) {
                        let e = assign(&cfg, &key, &text).unwrap_err();
                        assert!(
                            e.message.ends_with(&format!(
                                "must be at most 4294967295, got {}",
                                parse_int(text.trim()).unwrap()
                            )),
                            "{e:?}"
                        );
                        continue;
                    }
                    same(assign(&cfg, &key, &text), assign_serde(&cfg, &key, &text), &format!("{key} = {text:?}"));
                    checked += 1;
                }
            }
        }
        assert!(checked > 20_000, "{checked}");
    }

    #[test]
    fn typed_composite_edits_equal_serde_ones() {
        let names = CHILD_NAMES.iter().chain(&["ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "Nope", ""]);
        for cfg in configs() {
            let mut prefixes = composite_prefixes(&cfg);
            prefixes.extend(
                ["s0", "s1", "s1.gamma", "s0.s1.T_max", "s9", "x", ".", "s0.", "s00", "gamma"].map(String::from),
            );
            for p in &prefixes {
                for name in names.clone() {
                    same(add_child(&cfg, p, name), add_child_serde(&cfg, p, name), &format!("add {name} at {p:?}"));
                    same(
                        add_child_unchecked(&cfg, p, name),
                        add_child_unchecked_serde(&cfg, p, name),
                        &format!("add {name} at {p:?}"),
                    );
                }
                for i in 0..10 {
                    let at = format!("{i} at {p:?}");
                    same(truncate_children(&cfg, p, i), truncate_children_serde(&cfg, p, i), &format!("truncate {at}"));
                    same(remove_child(&cfg, p, i), remove_child_serde(&cfg, p, i), &format!("remove {at}"));
                    same(move_child_up(&cfg, p, i), move_child_up_serde(&cfg, p, i), &format!("move up {at}"));
                }
            }
        }
    }

    /// The one difference a 32-bit `usize` makes: a count beyond it gets serde's message.
    #[test]
    fn counts_beyond_32_bits_get_the_same_message_on_every_platform() {
        // Before, the serde path set 5,000,000,000 points natively (then validation refused
        // them: "at most 5000") while in wasm32 serde refused the usize ("expected usize").
        let cfg = SimConfig::default();
        for key in ["points", "batch_size"] {
            assert_eq!(
                set(&cfg, key, "5000000000").unwrap_err().message,
                format!("logistic: `{key}` must be at most 4294967295, got 5000000000")
            );
        }
        assert_eq!(
            set(&cfg, "points", "4294967295").unwrap_err().message,
            "logistic: `points` must be at most 5000, got 4294967295"
        );
        // 2^32 + 100 epochs: a 32-bit usize would read 100 and accept it. Natively this pins
        // the message; tests/web.rs runs the same check in wasm32, where the narrowing was.
        for text in ["4294967396", "5000000000"] {
            assert_eq!(
                set(&cfg, "epochs", text).unwrap_err().message,
                format!("training: `epochs` must be at most 5000, got {text}")
            );
        }
        let q = set(&cfg, "problem", "quadratic").unwrap();
        assert_eq!(
            set(&q, "steps_per_epoch", "5000000000").unwrap_err().message,
            "quadratic: `steps_per_epoch` must be at most 4294967295, got 5000000000"
        );
    }

    /// A value of another kind than the field's cannot come from `parse_text`; the setters
    /// still answer it (with an error where the value does not fit), never with a panic.
    #[test]
    fn wrong_kinds_do_not_panic() {
        for name in SchedulerConfig::NAMES {
            let cfg = with(named(name));
            for s in sim_params(&cfg).into_iter().filter(|s| s.group == Group::Scheduler && s.key != "scheduler") {
                let Some((path, field)) = split_key(&s.key) else { continue };
                if !path.is_empty() {
                    continue;
                }
                for v in [Value::Bool(true), Value::from("x"), Value::from(vec![1.5]), Value::from(2.5), Value::Null] {
                    let mut sched = named(name);
                    let _ = sched.set_field(field, &v);
                }
            }
            assert!(named(name).set_field("nope", &Value::Null).is_err());
        }
        let mut p = ProblemConfig::default();
        assert!(p.set_field("points", &Value::from(2.5)).is_err());
        assert!(p.set_field("kappa", &Value::from(2.0)).is_err());
    }

    /// Every scheduler with each of its parameters set in turn to edge values of its kind
    /// (−0.0, 1e-300, 1e300, the smallest subnormal, the largest float and integers, odd
    /// texts, empty and extreme lists, every word, `None`), on its own and inside composites
    /// (two deep); non-finite numbers (serde writes `null`); both problems.
    pub(crate) fn edge_configs() -> Vec<SimConfig> {
        let mut pool: Vec<Value> =
            [-0.0, 0.0, 1e-300, 1e300, 5e-324, f64::MAX, -1.5, 0.1, 1.0 / 3.0, 100.0, 1e21, 1e-7]
                .into_iter()
                .map(Value::from)
                .collect();
        pool.extend([i64::MAX, i64::MIN, 0, -1, 9_007_199_254_740_993].map(Value::from));
        pool.extend([Value::Bool(true), Value::Bool(false), Value::Null]);
        pool.extend(
            ["", "it's \"q\" \\ \n\t\r\0 é 😀 \u{7f}\u{85}", "cos(pi * epoch) + sqrt(x) ** e", "0.5 ** x"]
                .map(Value::from),
        );
        pool.extend(
            [
                "triangular",
                "triangular2",
                "exp_range",
                "cycle",
                "iterations",
                "cos",
                "linear",
                "min",
                "max",
                "rel",
                "abs",
            ]
            .map(Value::from),
        );
        pool.extend([Value::from(Vec::<i64>::new()), Value::from(vec![i64::MAX, -3, 0, 5, i64::MIN])]);
        let mut scheds = Vec::new();
        for name in SchedulerConfig::NAMES {
            let base = named(name);
            let mut fields: Vec<&str> = scheduler_rows(name).into_iter().map(|r| r.0).collect();
            fields.extend(base.fields().into_iter().map(|(k, _)| k));
            for field in fields {
                for v in &pool {
                    let mut s = base.clone();
                    if s.set_field(field, v).is_ok() {
                        scheds.push(s);
                    }
                }
            }
        }
        let one_cycle = |total_steps, epochs, steps_per_epoch| {
            SchedulerConfig::OneCycleLR(OneCycleLR { total_steps, epochs, steps_per_epoch, ..OneCycleLR::default() })
        };
        scheds.extend([
            one_cycle(None, None, None),
            one_cycle(Some(5), Some(i64::MAX), Some(i64::MIN)),
            one_cycle(None, Some(-0), None),
            one_cycle(None, None, Some(7)),
            SchedulerConfig::StepLR(StepLR { step_size: 3, gamma: f64::NAN }),
            SchedulerConfig::ExponentialLR(ExponentialLR { gamma: f64::INFINITY }),
            SchedulerConfig::CyclicLR(CyclicLR { base_lr: f64::NEG_INFINITY, max_lr: -0.0, ..CyclicLR::default() }),
            SchedulerConfig::OneCycleLR(OneCycleLR {
                max_lr: f64::NAN,
                div_factor: -f64::NAN,
                ..OneCycleLR::default()
            }),
        ]);
        let mut cfgs = Vec::new();
        for s in scheds {
            let seq = SchedulerConfig::SequentialLR(SequentialLR {
                schedulers: vec![named("StepLR"), s.clone()],
                milestones: vec![5],
            });
            let chain = ChainedScheduler { schedulers: vec![seq.clone(), s.clone()] };
            cfgs.push(with(s));
            cfgs.push(with(seq));
            cfgs.push(with(SchedulerConfig::ChainedScheduler(chain)));
        }
        assorted_problems(cfgs)
    }

    /// Keys to read besides the controls': unknown, `type`, `schedulers`, bad child paths.
    pub(crate) const EXTRA_KEYS: [&str; 22] = [
        "",
        ".",
        "x",
        "type",
        "schedulers",
        "milestones",
        "gamma",
        "T_max",
        "s0",
        "s1",
        "s2",
        "s9",
        "s0.type",
        "s0.schedulers",
        "s0.s0",
        "s0.s1.gamma",
        "s1.type",
        "s1.schedulers",
        "s1.milestones",
        "s01",
        "s1.",
        "points",
    ];

    fn check_reading(cfg: &SimConfig) -> usize {
        assert_eq!(values(cfg), values_serde(cfg), "{cfg:?}");
        let mut n = 0;
        let keys = sim_params(cfg).into_iter().map(|s| s.key).chain(EXTRA_KEYS.map(String::from));
        for key in keys {
            assert_eq!(get(cfg, &key), get_serde(cfg, &key), "{key} in {cfg:?}");
            n += 1;
        }
        n
    }

    /// `fields` is the serde form without `type` and `schedulers`: the same names, order and
    /// values (compared by `Debug`, which tells -0.0 from 0.0 and floats from integers).
    fn check_fields(node: &SchedulerConfig) {
        let serde = serde_json::to_value(node).unwrap();
        let Value::Object(map) = serde else { panic!("{node:?}") };
        let want: Vec<(String, Value)> = map.into_iter().filter(|(k, _)| k != "type" && k != "schedulers").collect();
        let got: Vec<(String, Value)> = node.fields().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "{node:?}");
        for child in children_of(node).into_iter().flatten() {
            check_fields(child);
        }
    }

    #[test]
    fn typed_reading_equals_serde_reading() {
        let mut checked = 0;
        for cfg in configs().into_iter().chain(edge_configs()) {
            checked += check_reading(&cfg);
            if let Some(s) = &cfg.scheduler {
                check_fields(s);
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    /// The one error message that showed a `Value` with serde_json's Display.
    #[test]
    fn negative_problem_counts_read_as_before() {
        for (problem, key) in [("logistic", "points"), ("logistic", "batch_size"), ("quadratic", "steps_per_epoch")] {
            let cfg = assign(&SimConfig::default(), "problem", problem).unwrap();
            for text in ["-1", "-5", "-30.0", "-9223372036854775808", "-1e3"] {
                let typed = assign(&cfg, key, text);
                same(typed.clone(), assign_serde(&cfg, key, text), &format!("{key} = {text}"));
                let e = typed.unwrap_err();
                let min = if key == "points" { 10 } else { 1 };
                assert!(
                    e.message
                        .starts_with(&format!("{problem}: `{key}` must be a whole number of at least {min}, got -")),
                    "{e}"
                );
            }
        }
    }
}
