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
            let total = c.resolved_total_steps().unwrap_or(0);
            let start = c.max_lr / c.div_factor;
            let up = (c.pct_start * total as f64).round();
            format!(
                "lr: {} → {} over {} steps, then {} → {} by step {} ({} ramps{})",
                n(start),
                n(c.max_lr),
                up,
                n(c.max_lr),
                n(start / c.final_div_factor),
                total,
                c.anneal_strategy.as_str(),
                if c.three_phase { ", three phases" } else { "" }
            )
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
            // Each phase with its own formula; a later one counts `epoch` from its milestone.
            let mut parts = Vec::new();
            for (i, s) in c.schedulers.iter().enumerate() {
                let start = i.checked_sub(1).and_then(|j| c.milestones.get(j));
                let from = start.map_or(String::new(), |m| format!(", epoch counted from {m}"));
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
}
