//! Text summaries of the charts (for screen readers and tests) and number formatting.

use crate::core::problems::Problem;
use crate::core::sim::{SimConfig, Trace, DIVERGENCE_FACTOR};

/// A short, readable number: 0.1, 0.0001, 1.5e-6, 1234.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e6).contains(&a) {
        let s = format!("{v:.2e}");
        // 1.00e-5 → 1e-5
        return match s.split_once('e') {
            Some((m, e)) => format!("{}e{}", m.trim_end_matches('0').trim_end_matches('.'), e),
            None => s,
        };
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 8) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Epochs at which the LR drops or changes abruptly within the epochs actually trained
/// ([`Trace::markers`]: a landmark at or after the last trained epoch never reached training).
/// Where the schedule's landmarks fall, in epochs done: whole epochs when the scheduler
/// steps per epoch, fractions of one when it steps per batch (a restart after 10 of 8
/// batches per epoch is after 1.25 epochs).
fn lr_events(t: &Trace) -> Vec<f64> {
    let mut ev: Vec<f64> = t.markers.iter().map(|&(e, _)| e).collect();
    ev.dedup();
    ev
}

pub fn lr_summary(cfg: &SimConfig, t: &Trace) -> String {
    if t.is_empty() {
        return match &t.divergence {
            Some(d) => format!("Training diverged at epoch {} before the first epoch finished.", d.epoch + 1),
            None => "No epochs were run.".into(),
        };
    }
    let per_batch = cfg.per_batch() && !t.step_lr.is_empty();
    let series: &[f64] = if per_batch { &t.step_lr } else { &t.lr };
    let first = series[0];
    let last = *series.last().unwrap_or(&first);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in series {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    // A schedule that never moves the lr (lr = 0, or gamma = 1) has landmarks where nothing
    // happens: "drops after 30 epochs" would be untrue.
    let constant = lo == hi;
    let mut s = if constant {
        format!("LR stays at {} for the whole run", fmt_num(first))
    } else {
        format!("LR starts at {}, ends at {}", fmt_num(first), fmt_num(last))
    };
    if hi > first.max(last) * (1.0 + 1e-9) {
        s.push_str(&format!("; peaks at {}", fmt_num(hi)));
    }
    if lo < first.min(last) * (1.0 - 1e-9) {
        s.push_str(&format!("; lowest {}", fmt_num(lo)));
    }
    let ev = lr_events(t);
    let is_plateau = cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau());
    if !ev.is_empty() && !constant {
        let list: Vec<String> = ev.iter().take(8).map(|&e| fmt_num(e)).collect();
        let more = if ev.len() > 8 { format!(" (and {} more)", ev.len() - 8) } else { String::new() };
        // Counted in epochs done, as the x axis and the readout count them: "drops after 30
        // epochs" is PyTorch's epoch 30 (from 0), the 31st epoch.
        let what = match cfg.scheduler.as_ref().map(|s| s.name()) {
            Some("CosineAnnealingWarmRestarts") => "restarts after",
            Some("SequentialLR") => "switches scheduler after",
            // LinearLR decays as often as it warms up (start_factor above end_factor).
            Some("LinearLR") if cfg.scheduler.as_ref().is_some_and(decays) => "decay ends after",
            Some("ConstantLR") | Some("LinearLR") => "warm-up ends after",
            _ if is_plateau => "reduced after",
            _ => "drops after",
        };
        let unit = if ev == [1.0] { "epoch" } else { "epochs" };
        s.push_str(&format!("; {what} {} {unit}{more}", list.join(", ")));
    } else if is_plateau {
        s.push_str("; never reduced");
    }
    if per_batch {
        let n = t.step_lr.len();
        s.push_str(&format!(" (stepped every batch, {n} {})", if n == 1 { "step" } else { "steps" }));
    }
    s.push('.');
    s
}

pub fn loss_summary(t: &Trace) -> String {
    let mut s = String::new();
    if let Some(d) = &t.divergence {
        s.push_str(&format!(
            "Diverged at epoch {}: loss exceeded {}× its start. ",
            d.epoch + 1,
            fmt_num(DIVERGENCE_FACTOR)
        ));
    }
    if t.is_empty() {
        s.push_str("No epoch finished.");
        return s.trim().to_string();
    }
    let n = t.len();
    let last = t.train_loss[n - 1];
    s.push_str(&format!(
        "Train loss {} → {} after {} epoch{}",
        fmt_num(t.loss0),
        fmt_num(last),
        n,
        if n == 1 { "" } else { "s" }
    ));
    if let Some(v) = t.val_loss.last() {
        s.push_str(&format!("; validation {}", fmt_num(*v)));
    }
    if let Some(a) = t.accuracy.last() {
        s.push_str(&format!("; accuracy {:.1}%", a * 100.0));
    }
    if t.halted.is_some() {
        s.push_str(&format!("; stopped early after epoch {n} (the scheduler refused to step)"));
    }
    s.push('.');
    s
}

pub fn params_summary(problem: &Problem, t: &Trace) -> String {
    let Some(first) = t.path.first() else { return "No path.".into() };
    let last = t.path.last().unwrap_or(first);
    let mut s = format!(
        "SGD path from ({}, {}) to ({}, {}) in {} step{}",
        fmt_num(first[0]),
        fmt_num(first[1]),
        fmt_num(last[0]),
        fmt_num(last[1]),
        t.path.len() - 1,
        if t.path.len() == 2 { "" } else { "s" }
    );
    if let Some(m) = problem.minimum() {
        // hypot: no overflow in the squares when the path ends ~1e308 away; the larger
        // offset if even the distance overflows (the path itself is always finite).
        let (dx, dy) = (last[0] - m[0], last[1] - m[1]);
        let d = dx.hypot(dy);
        let d = if d.is_finite() { d } else { dx.abs().max(dy.abs()) };
        s.push_str(&format!("; minimum at ({}, {}), final distance {}", fmt_num(m[0]), fmt_num(m[1]), fmt_num(d)));
    } else {
        s.push_str(&format!("; bias {}", fmt_num(last[2])));
    }
    if t.divergence.is_some() {
        s.push_str(if problem.minimum().is_some() { "; the path left the bowl (diverged)" } else { "; diverged" });
    }
    s.push('.');
    s
}

/// A LinearLR that lowers the lr (its `start_factor` above its `end_factor`).
fn decays(s: &crate::core::schedulers::SchedulerConfig) -> bool {
    matches!(s, crate::core::schedulers::SchedulerConfig::LinearLR(c) if c.start_factor > c.end_factor)
}
