//! `torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None,
//! steps_per_epoch=None, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True,
//! base_momentum=0.85, max_momentum=0.95, div_factor=25.0, final_div_factor=1e4,
//! three_phase=False)`.
//!
//! The 1cycle policy (Smith & Topin 2018): warm up from `initial_lr = max_lr / div_factor`
//! to `max_lr` over the first `pct_start` of `total_steps`, then anneal down to
//! `min_lr = initial_lr / final_div_factor`; momentum moves the opposite way between
//! `max_momentum` and `base_momentum`. With `three_phase`, the second phase returns to
//! `initial_lr` symmetrically and a third anneals to `min_lr`. Each phase interpolates
//!
//! ```text
//! cos:    lr = end + (start − end) / 2 · (1 + cos(π · pct))
//! linear: lr = (end − start) · pct + start,     pct = (t − phase_start) / (phase_end − phase_start)
//! ```
//!
//! with phase ends at `pct_start·total − 1` (and `2·pct_start·total − 2`) and `total − 1`.
//! The constructor sets the lr to `initial_lr`; stepping more than `total_steps` times is
//! an error, as in PyTorch. Meant to be stepped after every batch.

use super::error::{ConfigError, ConfigErrorKind, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError, StepErrorKind};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnealStrategy {
    Cos,
    Linear,
}

impl AnnealStrategy {
    pub const ALL: [AnnealStrategy; 2] = [AnnealStrategy::Cos, AnnealStrategy::Linear];

    pub fn as_str(self) -> &'static str {
        match self {
            AnnealStrategy::Cos => "cos",
            AnnealStrategy::Linear => "linear",
        }
    }

    fn anneal(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            AnnealStrategy::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            AnnealStrategy::Linear => (end - start) * pct + start,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneCycleLR {
    /// Peak learning rate.
    pub max_lr: f64,
    /// Total number of steps in the cycle (or give `epochs` and `steps_per_epoch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_steps: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epochs: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps_per_epoch: Option<i64>,
    /// Fraction of the cycle spent increasing the lr. Default: 0.3.
    #[serde(default = "default_pct_start")]
    pub pct_start: f64,
    /// Default: `cos`.
    #[serde(default = "default_anneal")]
    pub anneal_strategy: AnnealStrategy,
    /// Default: true.
    #[serde(default = "yes")]
    pub cycle_momentum: bool,
    /// Default: 0.85.
    #[serde(default = "default_base_momentum")]
    pub base_momentum: f64,
    /// Default: 0.95.
    #[serde(default = "default_max_momentum")]
    pub max_momentum: f64,
    /// `initial_lr = max_lr / div_factor`. Default: 25.0.
    #[serde(default = "default_div")]
    pub div_factor: f64,
    /// `min_lr = initial_lr / final_div_factor`. Default: 1e4.
    #[serde(default = "default_final_div")]
    pub final_div_factor: f64,
    /// Default: false.
    #[serde(default)]
    pub three_phase: bool,
}

fn default_pct_start() -> f64 {
    0.3
}
fn default_anneal() -> AnnealStrategy {
    AnnealStrategy::Cos
}
fn yes() -> bool {
    true
}
fn default_base_momentum() -> f64 {
    0.85
}
fn default_max_momentum() -> f64 {
    0.95
}
fn default_div() -> f64 {
    25.0
}
fn default_final_div() -> f64 {
    1e4
}

impl Default for OneCycleLR {
    fn default() -> Self {
        OneCycleLR {
            max_lr: 0.1,
            total_steps: Some(100),
            epochs: None,
            steps_per_epoch: None,
            pct_start: default_pct_start(),
            anneal_strategy: default_anneal(),
            cycle_momentum: true,
            base_momentum: default_base_momentum(),
            max_momentum: default_max_momentum(),
            div_factor: default_div(),
            final_div_factor: default_final_div(),
            three_phase: false,
        }
    }
}

impl OneCycleLR {
    parameters!("OneCycleLR" {
        "max_lr" => max_lr,
        "total_steps" => total_steps,
        "epochs" => epochs,
        "steps_per_epoch" => steps_per_epoch,
        "pct_start" => pct_start,
        "anneal_strategy" => anneal_strategy,
        "cycle_momentum" => cycle_momentum,
        "base_momentum" => base_momentum,
        "max_momentum" => max_momentum,
        "div_factor" => div_factor,
        "final_div_factor" => final_div_factor,
        "three_phase" => three_phase,
    });

    /// `total_steps`, or `epochs · steps_per_epoch`.
    pub fn resolved_total_steps(&self) -> Option<i64> {
        match (self.total_steps, self.epochs, self.steps_per_epoch) {
            (Some(t), _, _) => Some(t),
            (None, Some(e), Some(s)) => e.checked_mul(s),
            _ => None,
        }
    }

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.positive("max_lr", self.max_lr)?;
        if let Some(t) = self.total_steps {
            c.int_at_least("total_steps", t, 1)?;
        } else if let (Some(e), Some(s)) = (self.epochs, self.steps_per_epoch) {
            c.int_at_least("epochs", e, 1)?;
            c.int_at_least("steps_per_epoch", s, 1)?;
        } else {
            return Err(c.err(
                "total_steps",
                ConfigErrorKind::Malformed,
                "is missing: define either total_steps OR (epochs AND steps_per_epoch)",
            ));
        }
        let total = self.resolved_total_steps().unwrap_or(i64::MAX);
        c.int_at_most("total_steps", total, MAX_INT_PARAM)?;
        let p = self.pct_start;
        c.in_range("pct_start", p, p > 0.0 && p < 1.0, "strictly between 0 and 1")?;
        if self.three_phase && p >= 0.5 {
            return Err(c.err(
                "pct_start",
                ConfigErrorKind::OutOfRange,
                format_args!(
                    "must be below 0.5 with three_phase (the first two phases take 2·pct_start of the cycle), got {p}"
                ),
            ));
        }
        c.in_range("div_factor", self.div_factor, self.div_factor >= 1.0, "at least 1")?;
        c.in_range("final_div_factor", self.final_div_factor, self.final_div_factor >= 1.0, "at least 1")?;
        if self.cycle_momentum {
            c.momentum_range(self.base_momentum, self.max_momentum)?;
        }
        // PyTorch divides by each phase's length: a zero-length phase is a ZeroDivisionError.
        let mut start = 0.0;
        for end in self.phase_ends(total) {
            if end == start {
                return Err(c.err(
                    "pct_start",
                    ConfigErrorKind::OutOfRange,
                    format_args!(
                        "gives a phase of zero steps with total_steps = {total} (pct_start × total_steps must not be a whole 1 or 2); try another pct_start"
                    ),
                ));
            }
            start = end;
        }
        Ok(())
    }

    fn phase_ends(&self, total: i64) -> Vec<f64> {
        let t = total as f64;
        if self.three_phase {
            vec![self.pct_start * t - 1.0, 2.0 * self.pct_start * t - 2.0, t - 1.0]
        } else {
            vec![self.pct_start * t - 1.0, t - 1.0]
        }
    }

    pub(crate) fn runtime(&self) -> Run {
        use Bound::*;
        let total = self.resolved_total_steps().unwrap_or(1);
        let initial = self.max_lr / self.div_factor;
        let ends = self.phase_ends(total);
        let phases = if self.three_phase {
            vec![
                Phase { end: ends[0], lr: (InitialLr, MaxLr), momentum: (MaxMomentum, BaseMomentum) },
                Phase { end: ends[1], lr: (MaxLr, InitialLr), momentum: (BaseMomentum, MaxMomentum) },
                Phase { end: ends[2], lr: (InitialLr, MinLr), momentum: (MaxMomentum, MaxMomentum) },
            ]
        } else {
            vec![
                Phase { end: ends[0], lr: (InitialLr, MaxLr), momentum: (MaxMomentum, BaseMomentum) },
                Phase { end: ends[1], lr: (MaxLr, MinLr), momentum: (BaseMomentum, MaxMomentum) },
            ]
        };
        Run { cfg: self.clone(), st: EpochState::default(), total, initial, phases }
    }
}

/// A phase's ends, named as PyTorch names the group entries it reads them from at every
/// step (`group[phase["start_lr"]]`, ...): values another OneCycleLR or CyclicLR constructed
/// later on the optimizer may have overwritten (see [`ParamGroup`]).
#[derive(Clone, Copy, Debug)]
enum Bound {
    InitialLr,
    MaxLr,
    MinLr,
    MaxMomentum,
    BaseMomentum,
}

impl Bound {
    fn read(self, g: &ParamGroup) -> f64 {
        match self {
            Bound::InitialLr => g.initial_lr.unwrap_or(g.lr),
            Bound::MaxLr => g.max_lr,
            Bound::MinLr => g.min_lr,
            Bound::MaxMomentum => g.max_momentum,
            Bound::BaseMomentum => g.base_momentum,
        }
    }
}

#[derive(Debug)]
struct Phase {
    end: f64,
    lr: (Bound, Bound),
    momentum: (Bound, Bound),
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: OneCycleLR,
    st: EpochState,
    total: i64,
    initial: f64,
    phases: Vec<Phase>,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn pre_construct(&mut self, g: &mut ParamGroup) {
        g.initial_lr = Some(self.initial);
        g.max_lr = self.cfg.max_lr;
        g.min_lr = self.initial / self.cfg.final_div_factor;
        if self.cfg.cycle_momentum {
            g.momentum = self.cfg.max_momentum;
            g.max_momentum = self.cfg.max_momentum;
            g.base_momentum = self.cfg.base_momentum;
        }
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let step = self.st.last_epoch;
        if step > self.total {
            return Err(StepError::new(
                StepErrorKind::Refused,
                format!(
                "OneCycleLR was stepped {step} times but total_steps is {}: it cannot go past the end of its cycle \
                 (make total_steps at least the number of scheduler steps, e.g. epochs × batches per epoch)",
                self.total
            ),
            ));
        }
        let t = step as f64;
        let mut start = 0.0;
        let last = self.phases.len() - 1;
        for (i, ph) in self.phases.iter().enumerate() {
            if t <= ph.end || i == last {
                let pct = (t - start) / (ph.end - start);
                let s = self.cfg.anneal_strategy;
                if self.cfg.cycle_momentum {
                    g.momentum = s.anneal(ph.momentum.0.read(g), ph.momentum.1.read(g), pct);
                }
                let lr = s.anneal(ph.lr.0.read(g), ph.lr.1.read(g), pct);
                if lr < 0.0 {
                    // PyTorch allows step number total_steps, where a linear anneal overshoots.
                    return Err(StepError::new(
                        StepErrorKind::BadLr,
                        format!(
                            "OneCycleLR's linear anneal overshoots to lr = {lr:e} at step {step} = total_steps \
                             (PyTorch would set it); make total_steps larger than the number of steps"
                        ),
                    ));
                }
                return Ok(lr);
            }
            start = ph.end;
        }
        Ok(g.lr)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};
    use super::*;

    #[test]
    fn refuses_to_step_past_total_steps() {
        let cfg = SchedulerConfig::OneCycleLR(OneCycleLR { total_steps: Some(10), ..Default::default() });
        let (t, err) = trace(Some(&cfg), 0.1, 0.9, 20, &[]).unwrap();
        assert_eq!(t.len(), 11);
        assert!(err.unwrap().message.contains("total_steps is 10"));
        assert!((t[0].lr - 0.004).abs() < 1e-15);
    }
}
