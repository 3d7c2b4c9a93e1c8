//! `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode='min', factor=0.1,
//! patience=10, threshold=1e-4, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8)`.
//!
//! Reduces the learning rate when a metric has stopped improving. `step(metric)` compares
//! the metric with the best seen so far:
//!
//! ```text
//! better(a) = a < best · (1 − threshold)   (min, rel)     a < best − threshold   (min, abs)
//!             a > best · (1 + threshold)   (max, rel)     a > best + threshold   (max, abs)
//! ```
//!
//! A better metric becomes `best` and resets the bad-epoch count; otherwise the count grows.
//! While `cooldown` epochs after a reduction run, the count is held at 0. When the count
//! exceeds `patience`: `lr ← max(lr · factor, min_lr)` (skipped if the change is ≤ `eps`),
//! then the cooldown starts.

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlateauMode {
    Min,
    Max,
}

impl PlateauMode {
    pub const ALL: [PlateauMode; 2] = [PlateauMode::Min, PlateauMode::Max];

    pub fn as_str(self) -> &'static str {
        match self {
            PlateauMode::Min => "min",
            PlateauMode::Max => "max",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMode {
    Rel,
    Abs,
}

impl ThresholdMode {
    pub const ALL: [ThresholdMode; 2] = [ThresholdMode::Rel, ThresholdMode::Abs];

    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdMode::Rel => "rel",
            ThresholdMode::Abs => "abs",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReduceLROnPlateau {
    /// `min`: the metric should go down (a loss); `max`: up (an accuracy). Default: `min`.
    #[serde(default = "default_mode")]
    pub mode: PlateauMode,
    /// `new_lr = lr · factor`. Default: 0.1.
    #[serde(default = "default_factor")]
    pub factor: f64,
    /// Bad epochs tolerated before a reduction. Default: 10.
    #[serde(default = "default_patience")]
    pub patience: i64,
    /// Minimum change that counts as an improvement. Default: 1e-4.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// `rel`: relative to `best`; `abs`: absolute. Default: `rel`.
    #[serde(default = "default_threshold_mode")]
    pub threshold_mode: ThresholdMode,
    /// Epochs to wait after a reduction before counting again. Default: 0.
    #[serde(default)]
    pub cooldown: i64,
    /// Lower bound on the lr. Default: 0.
    #[serde(default)]
    pub min_lr: f64,
    /// Reductions smaller than this are skipped. Default: 1e-8.
    #[serde(default = "default_eps")]
    pub eps: f64,
}

fn default_mode() -> PlateauMode {
    PlateauMode::Min
}
fn default_factor() -> f64 {
    0.1
}
fn default_patience() -> i64 {
    10
}
fn default_threshold() -> f64 {
    1e-4
}
fn default_threshold_mode() -> ThresholdMode {
    ThresholdMode::Rel
}
fn default_eps() -> f64 {
    1e-8
}

impl Default for ReduceLROnPlateau {
    fn default() -> Self {
        ReduceLROnPlateau {
            mode: default_mode(),
            factor: default_factor(),
            patience: default_patience(),
            threshold: default_threshold(),
            threshold_mode: default_threshold_mode(),
            cooldown: 0,
            min_lr: 0.0,
            eps: default_eps(),
        }
    }
}

impl ReduceLROnPlateau {
    parameters!("ReduceLROnPlateau" {
        "mode" => mode,
        "factor" => factor,
        "patience" => patience,
        "threshold" => threshold,
        "threshold_mode" => threshold_mode,
        "cooldown" => cooldown,
        "min_lr" => min_lr,
        "eps" => eps,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        let f = self.factor;
        c.in_range("factor", f, f > 0.0 && f < 1.0, "greater than 0 and less than 1.0")?;
        c.int_at_least("patience", self.patience, 0)?;
        c.int_at_most("patience", self.patience, MAX_INT_PARAM)?;
        c.non_negative("threshold", self.threshold)?;
        if self.threshold_mode == ThresholdMode::Rel && self.mode == PlateauMode::Min {
            c.in_range("threshold", self.threshold, self.threshold < 1.0, "less than 1 with threshold_mode 'rel'")?;
        }
        c.int_at_least("cooldown", self.cooldown, 0)?;
        c.int_at_most("cooldown", self.cooldown, MAX_INT_PARAM)?;
        c.non_negative("min_lr", self.min_lr)?;
        c.non_negative("eps", self.eps)
    }

    pub(crate) fn runtime(&self) -> Run {
        let best = match self.mode {
            PlateauMode::Min => f64::INFINITY,
            PlateauMode::Max => f64::NEG_INFINITY,
        };
        Run {
            cfg: self.clone(),
            st: EpochState::default(),
            state: PlateauState { best, num_bad_epochs: 0, cooldown_counter: 0, reduced: false, bar: best },
        }
    }

    /// The value a metric must beat to count as an improvement on `best`.
    pub fn improvement_bar(&self, best: f64) -> f64 {
        match (self.mode, self.threshold_mode) {
            (PlateauMode::Min, ThresholdMode::Rel) => best * (1.0 - self.threshold),
            (PlateauMode::Min, ThresholdMode::Abs) => best - self.threshold,
            (PlateauMode::Max, ThresholdMode::Rel) => best * (self.threshold + 1.0),
            (PlateauMode::Max, ThresholdMode::Abs) => best + self.threshold,
        }
    }

    fn is_better(&self, a: f64, best: f64) -> bool {
        match self.mode {
            PlateauMode::Min => a < self.improvement_bar(best),
            PlateauMode::Max => a > self.improvement_bar(best),
        }
    }
}

/// ReduceLROnPlateau's internals after a step, for the UI to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlateauState {
    /// Best metric so far (±inf before the first step).
    pub best: f64,
    /// Bad epochs counted since the last improvement (reset by a reduction or cooldown).
    pub num_bad_epochs: i64,
    /// Epochs of cooldown left.
    pub cooldown_counter: i64,
    /// Whether this step reduced the lr.
    pub reduced: bool,
    /// What the next metric must beat to count as an improvement (the threshold band's edge).
    pub bar: f64,
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: ReduceLROnPlateau,
    st: EpochState,
    state: PlateauState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        Ok(g.lr)
    }

    /// PyTorch's constructor neither steps nor records `initial_lr`.
    fn construct(&mut self, _g: &mut ParamGroup) -> Result<(), StepError> {
        self.st.last_epoch = 0;
        Ok(())
    }

    fn step_metric(&mut self, g: &mut ParamGroup, current: f64) -> Result<(), StepError> {
        self.st.last_epoch += 1;
        let s = &mut self.state;
        s.reduced = false;
        if self.cfg.is_better(current, s.best) {
            s.best = current;
            s.num_bad_epochs = 0;
        } else {
            s.num_bad_epochs += 1;
        }
        if s.cooldown_counter > 0 {
            s.cooldown_counter -= 1;
            s.num_bad_epochs = 0;
        }
        if s.num_bad_epochs > self.cfg.patience {
            let old = g.lr;
            let new = (old * self.cfg.factor).max(self.cfg.min_lr);
            if old - new > self.cfg.eps {
                g.lr = new;
                s.reduced = true;
            }
            s.cooldown_counter = self.cfg.cooldown;
            s.num_bad_epochs = 0;
        }
        s.bar = self.cfg.improvement_bar(s.best);
        Ok(())
    }

    fn plateau(&self) -> Option<PlateauState> {
        Some(self.state)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};
    use super::*;

    #[test]
    fn reduces_after_patience_bad_epochs() {
        let cfg =
            SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau { patience: 2, factor: 0.5, ..Default::default() });
        let metrics = [1.0, 1.0, 1.0, 1.0, 0.5];
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 5, &metrics).unwrap();
        let lrs: Vec<f64> = t.iter().map(|p| p.lr).collect();
        assert_eq!(lrs, [1.0, 1.0, 1.0, 1.0, 0.5, 0.5]);
    }

    #[test]
    fn nan_metric_counts_as_bad_epoch() {
        let cfg = SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau { patience: 0, ..Default::default() });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 2, &[1.0, f64::NAN]).unwrap();
        assert_eq!(t[2].lr, 0.1);
    }
}
