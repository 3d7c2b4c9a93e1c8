//! `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0.0)`.
//!
//! Anneals the learning rate from `base_lr` to `eta_min` along half a cosine over `T_max`
//! epochs (SGDR without restarts, Loshchilov & Hutter 2017):
//!
//! ```text
//! lr_t = eta_min + (base_lr − eta_min) · (1 + cos(π t / T_max)) / 2
//! ```
//!
//! PyTorch steps the recursive form
//! `lr_t = eta_min + (lr_{t−1} − eta_min) · (1 + cos(π t/T_max)) / (1 + cos(π (t−1)/T_max))`,
//! adding `(base_lr − eta_min)(1 − cos(π/T_max))/2` when `(t − 1 − T_max) mod 2T_max = 0`.
//! So past `T_max` the lr does not stay at `eta_min`: it rises again along the cosine.
//! `T_max` has no default in PyTorch (the playground starts at 100).

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CosineAnnealingLR {
    /// Number of epochs of the half cosine.
    #[serde(rename = "T_max")]
    pub t_max: i64,
    /// Minimum learning rate. Default: 0.0.
    #[serde(default)]
    pub eta_min: f64,
}

impl Default for CosineAnnealingLR {
    fn default() -> Self {
        CosineAnnealingLR { t_max: 100, eta_min: 0.0 }
    }
}

impl CosineAnnealingLR {
    parameters!("CosineAnnealingLR" {
        "T_max" => t_max,
        "eta_min" => eta_min,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.int_at_least("T_max", self.t_max, 1)?;
        c.int_at_most("T_max", self.t_max, MAX_INT_PARAM)?;
        c.non_negative("eta_min", self.eta_min)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: CosineAnnealingLR,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let (t, t_max, eta_min, base) = (self.st.last_epoch, self.cfg.t_max, self.cfg.eta_min, self.st.base_lr);
        let tm = t_max as f64;
        Ok(if t == 0 {
            g.lr
        } else if (t - 1 - t_max).rem_euclid(2 * t_max) == 0 {
            g.lr + (base - eta_min) * (1.0 - (PI / tm).cos()) / 2.0
        } else {
            (1.0 + (PI * t as f64 / tm).cos()) / (1.0 + (PI * (t - 1) as f64 / tm).cos()) * (g.lr - eta_min) + eta_min
        })
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        let (t, tm, eta_min) = (self.st.last_epoch as f64, self.cfg.t_max as f64, self.cfg.eta_min);
        Some(eta_min + (self.st.base_lr - eta_min) * (1.0 + (PI * t / tm).cos()) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn rises_again_past_t_max() {
        let cfg = SchedulerConfig::CosineAnnealingLR(super::CosineAnnealingLR { t_max: 4, eta_min: 0.0 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 8, &[]).unwrap();
        assert!(t[4].lr.abs() < 1e-15);
        assert!(t[6].lr > 0.4 && (t[8].lr - 1.0).abs() < 1e-12);
    }
}
