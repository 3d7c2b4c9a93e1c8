//! What the "Understanding" card says: each scheduler's formula filled in with the current
//! numbers, and one sentence on when to use it.

use crate::core::expr::lambda_body;
use crate::core::params::fmt_num;
use crate::core::schedulers::{CyclicMode, SchedulerConfig};

fn n(v: f64) -> String {
    let s = fmt_num(v);
    // Keep the card short: 0.3333333333333333 → 0.3333
    if s.len() > 8 && !s.contains('e') {
        format!("{}", (v * 1e4).round() / 1e4)
    } else {
        s
    }
}

/// The formula with the current numbers (`lr` is the optimizer's initial lr).
pub fn formula(cfg: &SchedulerConfig, lr: f64) -> String {
    let b = n(lr);
    match cfg {
        SchedulerConfig::LambdaLR(c) => format!("lr = {b} × ({})", lambda_body(&c.lr_lambda)),
        SchedulerConfig::MultiplicativeLR(c) => {
            format!("lr ← lr × ({}) at every epoch after the first", lambda_body(&c.lr_lambda))
        }
        SchedulerConfig::StepLR(c) => format!("lr = {b} × {}^⌊epoch / {}⌋", n(c.gamma), c.step_size),
        SchedulerConfig::MultiStepLR(c) => {
            format!("lr = {b} × {}^(number of milestones in {:?} that are ≤ epoch)", n(c.gamma), c.milestones)
        }
        SchedulerConfig::ConstantLR(c) => {
            format!("lr = {b} × {} while epoch < {}, then {b}", n(c.factor), c.total_iters)
        }
        SchedulerConfig::LinearLR(c) => format!(
            "lr = {b} × ({s} + ({e} − {s}) × min(epoch, {t}) / {t})",
            s = n(c.start_factor),
            e = n(c.end_factor),
            t = c.total_iters
        ),
        SchedulerConfig::ExponentialLR(c) => format!("lr = {b} × {}^epoch", n(c.gamma)),
        SchedulerConfig::PolynomialLR(c) => {
            format!("lr = {b} × (1 − min(epoch, {t}) / {t})^{}", n(c.power), t = c.total_iters)
        }
        SchedulerConfig::CosineAnnealingLR(c) => format!(
            "lr = {m} + ({b} − {m}) × (1 + cos(π · epoch / {t})) / 2   (past epoch {t} it rises again)",
            m = n(c.eta_min),
            t = c.t_max
        ),
        SchedulerConfig::CosineAnnealingWarmRestarts(c) => format!(
            "lr = {m} + ({b} − {m}) × (1 + cos(π · T_cur / T_i)) / 2,  T_i = {t0} × {tm}^(restarts so far)",
            m = n(c.eta_min),
            t0 = c.t_0,
            tm = c.t_mult
        ),
        SchedulerConfig::CyclicLR(c) => {
            let down = c.step_size_down.unwrap_or(c.step_size_up);
            let scale = match (&c.scale_fn, c.mode) {
                (Some(f), _) => {
                    format!(" × scale_fn(x = the {} count), scale_fn = {}", c.scale_mode.as_str(), lambda_body(f))
                }
                (None, CyclicMode::Triangular) => String::new(),
                (None, CyclicMode::Triangular2) => " × 1/2^(cycle − 1)".into(),
                (None, CyclicMode::ExpRange) => format!(" × {}^step", n(c.gamma)),
            };
            format!(
                "lr = {} + ({} − {}) × triangle(step; {} up, {} down){scale}",
                n(c.base_lr),
                n(c.max_lr),
                n(c.base_lr),
                c.step_size_up,
                down
            )
        }
        SchedulerConfig::OneCycleLR(c) => {
            let total = c.resolved_total_steps().unwrap_or(0) as f64;
            let (initial, top) = (c.max_lr / c.div_factor, c.max_lr);
            let min = initial / c.final_div_factor;
            // PyTorch's `_schedule_phases`: each ramp reaches its target at its `end_step`.
            let peak = c.pct_start * total - 1.0;
            let ramps = if c.three_phase {
                format!(
                    "{} → {} by step {}, {} → {} by step {}, then {} → {} by step {}",
                    n(initial),
                    n(top),
                    n(peak),
                    n(top),
                    n(initial),
                    n(2.0 * c.pct_start * total - 2.0),
                    n(initial),
                    n(min),
                    n(total - 1.0)
                )
            } else {
                format!(
                    "{} → {} by step {}, then {} → {} by step {}",
                    n(initial),
                    n(top),
                    n(peak),
                    n(top),
                    n(min),
                    n(total - 1.0)
                )
            };
            format!("lr: {ramps} ({} ramps)", c.anneal_strategy.as_str())
        }
        SchedulerConfig::ReduceLROnPlateau(c) => {
            let better = match (c.mode.as_str(), c.threshold_mode.as_str()) {
                ("min", "rel") => format!("< best × (1 − {})", n(c.threshold)),
                ("min", _) => format!("< best − {}", n(c.threshold)),
                (_, "rel") => format!("> best × (1 + {})", n(c.threshold)),
                _ => format!("> best + {}", n(c.threshold)),
            };
            format!(
                "if the metric is not {better} for more than {} epochs: lr ← max(lr × {}, {}), then wait {} epochs",
                c.patience,
                n(c.factor),
                n(c.min_lr),
                c.cooldown
            )
        }
        SchedulerConfig::SequentialLR(c) => {
            // Each phase with its own formula; a later one counts from its milestone (see
            // `sequential_phase`).
            let mut parts = Vec::new();
            for (i, s) in c.schedulers.iter().enumerate() {
                let start = i.checked_sub(1).and_then(|j| c.milestones.get(j));
                let from = start.map_or(String::new(), |m| format!(", {} counted from {m}", counter(s)));
                let until = c.milestones.get(i).map_or(String::new(), |m| format!(" until epoch {m}"));
                parts.push(format!("{}{until}{from}:\n  {}", s.name(), formula(s, lr)));
            }
            parts.join("\nthen ")
        }
        SchedulerConfig::ChainedScheduler(c) => format!(
            "every step applies {} in turn to the current lr",
            c.schedulers.iter().map(|s| s.name()).collect::<Vec<_>>().join(", then ")
        ),
    }
}

/// The name of the counter in this scheduler's [`formula`]: PyTorch's `last_epoch`, called
/// `epoch` except in the schedulers meant to be stepped per batch (CyclicLR, OneCycleLR).
pub fn counter(cfg: &SchedulerConfig) -> &'static str {
    if cfg.prefers_per_batch() {
        "step"
    } else {
        "epoch"
    }
}

/// Which of a SequentialLR's phases runs at its step `t` (PyTorch's `last_epoch`: epochs, or
/// scheduler.step() calls when stepped per batch), and the counter in that phase's formula.
/// PyTorch's `step()` takes `i = bisect_right(milestones, t)` and, at `t = milestones[i−1]`,
/// restarts child `i` with `step(0)`; each later `step()` adds one. So phase 0 counts `t`
/// and phase `i ≥ 1` counts `t − milestones[i−1]`. Returns `(i, counter)`, `i` 0-based.
pub fn sequential_phase(milestones: &[i64], t: i64) -> (usize, i64) {
    // Milestones are validated to increase, so this is bisect_right.
    let i = milestones.partition_point(|&m| m <= t);
    (i, i.checked_sub(1).map_or(t, |j| t - milestones[j]))
}

/// `epoch = 49 in the formula`: the counter's name, its value `a` (or range `a … b`), and
/// where it is used (`here`), or `elsewhere` when the formula is written in other terms
/// (T_cur, a chain of schedulers) but PyTorch's `last_epoch` counts all the same.
fn counter_is(cfg: &SchedulerConfig, a: i64, b: i64, here: &str, elsewhere: &str) -> String {
    let name = counter(cfg);
    let range = if a == b { a.to_string() } else { format!("{a} … {b}") };
    let place = if formula(cfg, 1.0).contains(name) { here } else { elsewhere };
    format!("{name} = {range} {place}")
}

/// The formula's counter at the cursor, `epoch` (0-based, as PyTorch counts; the charts
/// count from 1), for the card's "At the cursor" line: `epoch = 49 in the formula`. Stepped
/// per batch it is the range of that epoch's `steps_per_epoch` scheduler.step() calls.
/// SequentialLR names the phase and the counter within it, `in phase 2 (CosineAnnealingLR,
/// since milestone 5), epoch = 44 in its formula`; when a phase starts within the epoch's
/// batches, each phase's share, joined by `, then`. None for ReduceLROnPlateau (no counter).
pub fn counter_at(cfg: &SchedulerConfig, per_batch: bool, steps_per_epoch: usize, epoch: usize) -> Option<String> {
    if cfg.is_plateau() {
        return None;
    }
    let e = epoch as i64;
    let (a, b) = if per_batch {
        let spe = steps_per_epoch.max(1) as i64;
        (e * spe, (e + 1) * spe - 1)
    } else {
        (e, e)
    };
    let SchedulerConfig::SequentialLR(c) = cfg else {
        // ChainedScheduler too: every child is stepped and counts the same `last_epoch`.
        return Some(counter_is(cfg, a, b, "in the formula", "(PyTorch's last_epoch)"));
    };
    let mut parts = Vec::new();
    let mut t = a;
    while t <= b {
        let (i, local) = sequential_phase(&c.milestones, t);
        let Some(s) = c.schedulers.get(i) else { break };
        // The phase runs until the next milestone (the first one above `t`).
        let end = c.milestones.get(i).map_or(b, |&m| (m - 1).min(b));
        let from = i.checked_sub(1).map_or(String::new(), |j| format!(", since milestone {}", c.milestones[j]));
        let ctr = counter_is(s, local, local + end - t, "in its formula", "(its last_epoch)");
        parts.push(format!("in phase {} ({}{from}), {ctr}", i + 1, s.name()));
        t = end + 1;
    }
    (!parts.is_empty()).then(|| parts.join(", then "))
}

/// What the formula's counter counts in this run, where that is not the obvious: stepped
/// per batch, PyTorch's `epoch` counts `scheduler.step()` calls, not epochs of training.
pub fn counter_note(cfg: &SchedulerConfig, per_batch: bool, steps_per_epoch: usize) -> Option<String> {
    match (counter(cfg), per_batch) {
        ("epoch", true) => Some(format!(
            "Stepped every batch: `epoch` counts scheduler.step() calls, {steps_per_epoch} per epoch of training."
        )),
        ("step", true) => Some(format!("One step per batch, {steps_per_epoch} per epoch of training.")),
        ("step", false) => Some("Stepped every epoch: one step per epoch of training.".into()),
        _ => None,
    }
}

/// One sentence on when to reach for this scheduler.
pub fn when_to_use(name: &str) -> &'static str {
    match name {
        "LambdaLR" => "When you want any schedule you can write as a formula of the epoch.",
        "MultiplicativeLR" => "When each epoch should shrink the lr by a factor that may change over time.",
        "StepLR" => "The classic: big steps early, then drop the lr by gamma every few epochs once progress stalls.",
        "MultiStepLR" => "Like StepLR, but you choose the epochs of each drop (e.g. the ResNet recipe: 30, 60, 90).",
        "ConstantLR" => "A short, gentle start at a reduced lr before training at full speed.",
        "LinearLR" => {
            "Linear warm-up: ramp up the lr over the first epochs so early large gradients don't blow up training."
        }
        "ExponentialLR" => "A smooth decay every epoch; choose gamma close to 1 (0.95–0.99) for long runs.",
        "PolynomialLR" => "A decay that reaches exactly zero at a fixed epoch, common when fine-tuning.",
        "CosineAnnealingLR" => {
            "A smooth decay with no steps to tune: the default choice for many modern training runs."
        }
        "CosineAnnealingWarmRestarts" => {
            "Restart the lr periodically to escape poor regions and collect snapshot ensembles."
        }
        "CyclicLR" => {
            "Cycle the lr between bounds every few hundred batches; also a quick way to find a good lr range."
        }
        "OneCycleLR" => {
            "Fast training: one warm-up to a high lr and a long anneal, stepped every batch (super-convergence)."
        }
        "ReduceLROnPlateau" => "When you don't know when to decay: let the validation loss tell you.",
        "SequentialLR" => "Chain phases end to end, e.g. a linear warm-up followed by cosine annealing.",
        "ChainedScheduler" => "Apply several schedules at once, e.g. a warm-up factor on top of an exponential decay.",
        _ => "Keeps the learning rate constant: the baseline to compare schedules against.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheduler_has_a_formula_and_a_sentence() {
        for name in SchedulerConfig::NAMES {
            let cfg = SchedulerConfig::default_for(name).unwrap();
            assert!(!formula(&cfg, 0.1).is_empty());
            assert!(when_to_use(name).ends_with('.'));
        }
        let step = SchedulerConfig::default_for("StepLR").unwrap();
        assert_eq!(formula(&step, 0.1), "lr = 0.1 × 0.1^⌊epoch / 30⌋");
        assert_eq!(counter_note(&step, false, 8), None);
        assert_eq!(
            counter_note(&step, true, 8).as_deref(),
            Some("Stepped every batch: `epoch` counts scheduler.step() calls, 8 per epoch of training.")
        );
        let one = SchedulerConfig::default_for("OneCycleLR").unwrap();
        assert_eq!(counter(&one), "step");
        assert!(counter_note(&one, false, 8).unwrap().contains("one step per epoch"));
        // A pasted `lambda epoch:` is not shown twice.
        let lambda = SchedulerConfig::LambdaLR(crate::core::schedulers::LambdaLR {
            lr_lambda: "lambda epoch: min(1, (epoch + 1) / 5)".into(),
        });
        assert_eq!(formula(&lambda, 0.1), "lr = 0.1 × (min(1, (epoch + 1) / 5))");
        let seq = SchedulerConfig::default_for("SequentialLR").unwrap();
        assert_eq!(
            formula(&seq, 0.5),
            "LinearLR until epoch 5:\n  lr = 0.5 × (0.1 + (1 − 0.1) × min(epoch, 5) / 5)\nthen \
             CosineAnnealingLR, epoch counted from 5:\n  lr = 0 + (0.5 − 0) × (1 + cos(π · epoch / 95)) / 2   (past epoch 95 it rises again)"
        );
    }

    fn seq(schedulers: Vec<SchedulerConfig>, milestones: Vec<i64>) -> SchedulerConfig {
        SchedulerConfig::SequentialLR(crate::core::schedulers::SequentialLR { schedulers, milestones })
    }

    #[test]
    fn sequential_phase_counts_from_the_milestone() {
        assert_eq!(sequential_phase(&[5], 0), (0, 0));
        assert_eq!(sequential_phase(&[5], 4), (0, 4));
        assert_eq!(sequential_phase(&[5], 5), (1, 0));
        assert_eq!(sequential_phase(&[5], 49), (1, 44));
        assert_eq!(sequential_phase(&[5, 12], 11), (1, 6));
        assert_eq!(sequential_phase(&[5, 12], 14), (2, 2));
        // The default warm-up then cosine, run: every lr is its phase's formula at that counter.
        let cfg = SchedulerConfig::default_for("SequentialLR").unwrap();
        let (t, err) = crate::core::schedulers::trace(Some(&cfg), 0.1, 0.0, 99, &[]).unwrap();
        assert!(err.is_none());
        for (step, p) in t.iter().enumerate() {
            let (i, k) = sequential_phase(&[5], step as i64);
            let k = k as f64;
            let want = if i == 0 {
                0.1 * (0.1 + 0.9 * k.min(5.0) / 5.0)
            } else {
                0.1 * (1.0 + (std::f64::consts::PI * k / 95.0).cos()) / 2.0
            };
            assert!((p.lr - want).abs() < 1e-12, "step {step}: {} vs {want}", p.lr);
        }
        assert_eq!(fmt_num((t[49].lr * 1e5).round() / 1e5), "0.05577");
    }

    #[test]
    fn the_counter_at_the_cursor() {
        let seq2 = SchedulerConfig::default_for("SequentialLR").unwrap();
        // Chart epoch 50 is PyTorch's epoch 49, 44 epochs into the cosine phase.
        assert_eq!(
            counter_at(&seq2, false, 8, 49).as_deref(),
            Some("in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 44 in its formula")
        );
        assert_eq!(counter_at(&seq2, false, 8, 4).as_deref(), Some("in phase 1 (LinearLR), epoch = 4 in its formula"));
        assert_eq!(
            counter_at(&seq2, false, 8, 5).as_deref(),
            Some("in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 0 in its formula")
        );
        // Stepped per batch the milestone counts steps: it may fall within an epoch's batches.
        assert_eq!(
            counter_at(&seq2, true, 8, 0).as_deref(),
            Some(
                "in phase 1 (LinearLR), epoch = 0 … 4 in its formula, \
                 then in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 0 … 2 in its formula"
            )
        );
        assert_eq!(
            counter_at(&seq2, true, 6, 0).as_deref(),
            Some(
                "in phase 1 (LinearLR), epoch = 0 … 4 in its formula, \
                 then in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 0 in its formula"
            )
        );
        assert_eq!(
            counter_at(&seq2, true, 8, 1).as_deref(),
            Some("in phase 2 (CosineAnnealingLR, since milestone 5), epoch = 3 … 10 in its formula")
        );
        let seq3 = seq(
            vec![
                SchedulerConfig::default_for("LinearLR").unwrap(),
                SchedulerConfig::default_for("ConstantLR").unwrap(),
                SchedulerConfig::ExponentialLR(crate::core::schedulers::ExponentialLR { gamma: 0.9 }),
            ],
            vec![5, 12],
        );
        assert_eq!(
            counter_at(&seq3, false, 1, 14).as_deref(),
            Some("in phase 3 (ExponentialLR, since milestone 12), epoch = 2 in its formula")
        );
        assert_eq!(
            counter_at(&seq3, true, 5, 2).as_deref(),
            Some(
                "in phase 2 (ConstantLR, since milestone 5), epoch = 5 … 6 in its formula, \
                 then in phase 3 (ExponentialLR, since milestone 12), epoch = 0 … 2 in its formula"
            )
        );
        // A phase whose formula counts steps, or is written in T_cur.
        let one = SchedulerConfig::default_for("OneCycleLR").unwrap();
        let warm = SchedulerConfig::default_for("CosineAnnealingWarmRestarts").unwrap();
        let mixed =
            seq(vec![SchedulerConfig::default_for("LinearLR").unwrap(), one.clone(), warm.clone()], vec![5, 50]);
        assert_eq!(
            formula(&mixed, 0.1).lines().filter(|l| l.contains("counted from")).collect::<Vec<_>>(),
            [
                "then OneCycleLR until epoch 50, step counted from 5:",
                "then CosineAnnealingWarmRestarts, epoch counted from 50:"
            ]
        );
        assert_eq!(
            counter_at(&mixed, false, 1, 49).as_deref(),
            Some("in phase 2 (OneCycleLR, since milestone 5), step = 44 in its formula")
        );
        assert_eq!(
            counter_at(&mixed, false, 1, 53).as_deref(),
            Some("in phase 3 (CosineAnnealingWarmRestarts, since milestone 50), epoch = 3 (its last_epoch)")
        );
        // Everything else counts PyTorch's last_epoch itself, a chain's children included.
        let step = SchedulerConfig::default_for("StepLR").unwrap();
        assert_eq!(counter_at(&step, false, 8, 30).as_deref(), Some("epoch = 30 in the formula"));
        assert_eq!(counter_at(&step, true, 8, 30).as_deref(), Some("epoch = 240 … 247 in the formula"));
        assert_eq!(counter_at(&step, true, 1, 30).as_deref(), Some("epoch = 30 in the formula"));
        assert_eq!(counter_at(&one, true, 8, 2).as_deref(), Some("step = 16 … 23 in the formula"));
        assert_eq!(counter_at(&warm, false, 8, 3).as_deref(), Some("epoch = 3 (PyTorch's last_epoch)"));
        let chain = SchedulerConfig::default_for("ChainedScheduler").unwrap();
        assert_eq!(counter_at(&chain, false, 8, 49).as_deref(), Some("epoch = 49 (PyTorch's last_epoch)"));
        let plateau = SchedulerConfig::default_for("ReduceLROnPlateau").unwrap();
        assert_eq!(counter_at(&plateau, false, 8, 3), None);
    }

    #[test]
    fn one_cycle_names_each_phase_with_pytorchs_end_steps() {
        use crate::core::schedulers::{AnnealStrategy, OneCycleLR};
        let two = OneCycleLR { total_steps: Some(800), ..Default::default() };
        let three = OneCycleLR { three_phase: true, ..two.clone() };
        let f = |c: &OneCycleLR| formula(&SchedulerConfig::OneCycleLR(c.clone()), 0.5);
        assert_eq!(f(&two), "lr: 0.004 → 0.1 by step 239, then 0.1 → 4e-7 by step 799 (cos ramps)");
        assert_eq!(
            f(&three),
            "lr: 0.004 → 0.1 by step 239, 0.1 → 0.004 by step 478, then 0.004 → 4e-7 by step 799 (cos ramps)"
        );
        let linear = OneCycleLR { anneal_strategy: AnnealStrategy::Linear, ..three.clone() };
        assert!(f(&linear).ends_with("by step 799 (linear ramps)"));
        // PyTorch's end steps need not be whole.
        let short = OneCycleLR { total_steps: Some(7), ..three.clone() };
        assert_eq!(
            f(&short),
            "lr: 0.004 → 0.1 by step 1.1, 0.1 → 0.004 by step 2.2, then 0.004 → 4e-7 by step 6 (cos ramps)"
        );
        // The run reaches each target at the step the card names.
        for (cfg, marks) in
            [(&two, vec![(239, 0.1), (799, 4e-7)]), (&three, vec![(239, 0.1), (478, 0.004), (799, 4e-7)])]
        {
            let (t, err) =
                crate::core::schedulers::trace(Some(&SchedulerConfig::OneCycleLR(cfg.clone())), 0.5, 0.9, 799, &[])
                    .unwrap();
            assert!(err.is_none());
            for (step, lr) in marks {
                assert!((t[step].lr - lr).abs() < 1e-12 * lr.max(1e-6), "step {step}: {} vs {lr}", t[step].lr);
            }
        }
    }
}
