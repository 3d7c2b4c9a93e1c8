//! `torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers, milestones)`.
//!
//! Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` until `milestones[1]`,
//! and so on (e.g. a linear warm-up, then cosine annealing):
//!
//! ```text
//! i = bisect_right(milestones, t);   at t = milestones[i−1]: schedulers[i].step(0), else schedulers[i].step()
//! ```
//!
//! PyTorch constructs every child first (each takes its initial step), then resets the lr
//! to `initial_lr`, rewinds every child by one epoch and re-runs the first child's initial
//! step. At a milestone the next child restarts at epoch 0 with its closed form. Needs one
//! milestone fewer than schedulers; `ReduceLROnPlateau` cannot be a child.

use super::error::{ConfigError, ConfigErrorKind, Ctx, MAX_INT_PARAM};
use super::{
    ConstantLR, CosineAnnealingLR, EpochState, LinearLR, LrScheduler, ParamGroup, SchedulerConfig, StepError,
    StepErrorKind,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequentialLR {
    /// The schedulers to run one after another.
    pub schedulers: Vec<SchedulerConfig>,
    /// Epochs at which the next scheduler takes over (one fewer than schedulers).
    pub milestones: Vec<i64>,
}

impl Default for SequentialLR {
    /// Linear warm-up for 5 epochs, then cosine annealing.
    fn default() -> Self {
        SequentialLR {
            schedulers: vec![
                SchedulerConfig::LinearLR(LinearLR { start_factor: 0.1, end_factor: 1.0, total_iters: 5 }),
                SchedulerConfig::CosineAnnealingLR(CosineAnnealingLR { t_max: 95, eta_min: 0.0 }),
            ],
            milestones: vec![5],
        }
    }
}

/// Children a composite may hold: checks count, plateau and nesting; validates each child.
pub(crate) fn validate_children(
    c: &Ctx,
    path: &str,
    children: &[SchedulerConfig],
    allow_composite: bool,
) -> Result<(), ConfigError> {
    if children.is_empty() {
        return Err(c.err("schedulers", ConfigErrorKind::BadMilestones, "needs at least one scheduler"));
    }
    if children.len() > 8 {
        return Err(c.err("schedulers", ConfigErrorKind::OutOfRange, "may hold at most 8 schedulers"));
    }
    for (i, child) in children.iter().enumerate() {
        let at = format!("schedulers[{i}]");
        if child.is_plateau() {
            return Err(c.err(
                &at,
                ConfigErrorKind::PlateauInComposite,
                "is ReduceLROnPlateau, which cannot be combined: it needs the metric passed to step(), which \
                 SequentialLR and ChainedScheduler do not pass on. Use it on its own.",
            ));
        }
        if child.is_composite() && !allow_composite {
            return Err(c.err(
                &at,
                ConfigErrorKind::BadNesting,
                format_args!(
                    "is a {}, which PyTorch cannot run inside SequentialLR; list its schedulers directly",
                    child.name()
                ),
            ));
        }
        child.validate_at(&format!("{path}{at}."))?;
    }
    Ok(())
}

impl SequentialLR {
    parameters!("SequentialLR" {
        "milestones" => milestones,
    });

    pub(crate) fn validate(&self, c: &Ctx, path: &str) -> Result<(), ConfigError> {
        validate_children(c, path, &self.schedulers, false)?;
        let n = self.schedulers.len();
        if self.milestones.len() + 1 != n {
            let (s, need) = if n == 1 { ("", "needs") } else { ("s", "need") };
            let m = if n == 2 { "" } else { "s" };
            return Err(c.err(
                "milestones",
                ConfigErrorKind::MilestoneCount,
                format_args!(
                    "must list one epoch fewer than there are schedulers: {n} scheduler{s} {need} {} milestone{m}, got {}",
                    n - 1,
                    self.milestones.len()
                ),
            ));
        }
        let mut prev = 0;
        for (i, &m) in self.milestones.iter().enumerate() {
            if m <= prev || m > MAX_INT_PARAM {
                return Err(c.err(
                    &format!("milestones[{i}]"),
                    ConfigErrorKind::BadMilestones,
                    format_args!("must be an epoch after {prev} (milestones increase, up to {MAX_INT_PARAM}), got {m}"),
                ));
            }
            prev = m;
        }
        Ok(())
    }

    pub(crate) fn runtime(&self) -> Result<Run, ConfigError> {
        let children = self.schedulers.iter().map(|s| s.runtime()).collect::<Result<_, _>>()?;
        Ok(Run { children, milestones: self.milestones.clone(), st: EpochState::default() })
    }

    /// A warm-up of `warmup` epochs then constant: a small helper for presets.
    pub fn warmup_then(warmup: i64, then: SchedulerConfig) -> SequentialLR {
        SequentialLR {
            schedulers: vec![SchedulerConfig::ConstantLR(ConstantLR { factor: 0.1, total_iters: warmup }), then],
            milestones: vec![warmup],
        }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    children: Vec<Box<dyn LrScheduler>>,
    milestones: Vec<i64>,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        Ok(g.lr)
    }

    fn construct(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        for child in &mut self.children {
            child.construct(g)?;
        }
        self.st.last_epoch = 0;
        g.lr = g.set_default_initial_lr();
        for child in &mut self.children {
            child.state().last_epoch -= 1;
        }
        self.children[0].initial_step(g)
    }

    fn step(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        self.st.last_epoch += 1;
        let t = self.st.last_epoch;
        let idx = self.milestones.partition_point(|&m| m <= t);
        let child = &mut self.children[idx];
        if idx > 0 && self.milestones[idx - 1] == t {
            child.step_to(g, 0)
        } else {
            child.step(g)
        }
    }

    fn step_to(&mut self, _g: &mut ParamGroup, _epoch: i64) -> Result<(), StepError> {
        Err(StepError::new(StepErrorKind::Refused, "SequentialLR cannot be stepped to a given epoch"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, ReduceLROnPlateau};
    use super::*;

    #[test]
    fn switches_at_the_milestone() {
        let cfg = SchedulerConfig::SequentialLR(SequentialLR::warmup_then(
            2,
            SchedulerConfig::ExponentialLR(super::super::ExponentialLR { gamma: 0.5 }),
        ));
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 4, &[]).unwrap();
        let lrs: Vec<f64> = t.iter().map(|p| p.lr).collect();
        assert_eq!(lrs, [0.1, 0.1, 1.0, 0.5, 0.25]);
    }

    #[test]
    fn rejects_plateau_and_bad_milestones() {
        let mut s = SequentialLR { milestones: vec![], ..Default::default() };
        let e = SchedulerConfig::SequentialLR(s.clone()).validate().unwrap_err();
        assert_eq!(e.kind, ConfigErrorKind::MilestoneCount);
        s.milestones = vec![5];
        s.schedulers[1] = SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau::default());
        let e = SchedulerConfig::SequentialLR(s).validate().unwrap_err();
        assert_eq!(e.kind, ConfigErrorKind::PlateauInComposite);
        assert_eq!(e.field, "schedulers[1]");
    }
}
