//! `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0.0)`.
//!
//! Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017): the lr follows a
//! half cosine from `base_lr` down towards `eta_min` over a period `T_i`, then jumps back to
//! `base_lr`; each period is `T_mult` times longer than the previous one:
//!
//! ```text
//! lr_t = eta_min + (base_lr − eta_min) · (1 + cos(π T_cur / T_i)) / 2
//! ```
//!
//! where `T_cur` counts epochs since the last restart and `T_i` starts at `T_0`.
//! `T_0` has no default in PyTorch (the playground starts at 10).

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CosineAnnealingWarmRestarts {
    /// Number of epochs before the first restart.
    #[serde(rename = "T_0")]
    pub t_0: i64,
    /// Factor by which each period grows after a restart. Default: 1.
    #[serde(rename = "T_mult", default = "default_t_mult")]
    pub t_mult: i64,
    /// Minimum learning rate. Default: 0.0.
    #[serde(default)]
    pub eta_min: f64,
}

fn default_t_mult() -> i64 {
    1
}

impl Default for CosineAnnealingWarmRestarts {
    fn default() -> Self {
        CosineAnnealingWarmRestarts { t_0: 10, t_mult: 1, eta_min: 0.0 }
    }
}

impl CosineAnnealingWarmRestarts {
    parameters!("CosineAnnealingWarmRestarts" {
        "T_0" => t_0,
        "T_mult" => t_mult,
        "eta_min" => eta_min,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.int_at_least("T_0", self.t_0, 1)?;
        c.int_at_most("T_0", self.t_0, MAX_INT_PARAM)?;
        c.int_at_least("T_mult", self.t_mult, 1)?;
        c.int_at_most("T_mult", self.t_mult, 100)?;
        c.non_negative("eta_min", self.eta_min)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default(), t_cur: -1.0, t_i: self.t_0 as f64 }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: CosineAnnealingWarmRestarts,
    st: EpochState,
    /// Epochs since the last restart.
    t_cur: f64,
    /// Length of the current period.
    t_i: f64,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, _g: &mut ParamGroup) -> Result<f64, StepError> {
        let eta_min = self.cfg.eta_min;
        Ok(eta_min + (self.st.base_lr - eta_min) * (1.0 + (PI * self.t_cur / self.t_i).cos()) / 2.0)
    }

    /// PyTorch overrides `step()`: without an epoch it advances `T_cur` and restarts when it
    /// reaches `T_i` (the very first step, at construction, is `step(0)`).
    fn step(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        if self.st.last_epoch < 0 {
            return self.step_to(g, 0);
        }
        self.st.last_epoch += 1;
        self.t_cur += 1.0;
        if self.t_cur >= self.t_i {
            self.t_cur -= self.t_i;
            self.t_i *= self.cfg.t_mult as f64;
        }
        g.lr = self.get_lr(g)?;
        Ok(())
    }

    /// `step(epoch)`: places `T_cur`/`T_i` in closed form.
    fn step_to(&mut self, g: &mut ParamGroup, epoch: i64) -> Result<(), StepError> {
        let (t0, tm) = (self.cfg.t_0 as f64, self.cfg.t_mult as f64);
        let e = epoch as f64;
        if epoch >= self.cfg.t_0 {
            if self.cfg.t_mult == 1 {
                self.t_cur = e % t0;
            } else {
                let n = ((e / t0 * (tm - 1.0) + 1.0).ln() / tm.ln()).floor();
                self.t_cur = e - t0 * (tm.powf(n) - 1.0) / (tm - 1.0);
                self.t_i = t0 * tm.powf(n);
            }
        } else {
            self.t_i = t0;
            self.t_cur = e;
        }
        self.st.last_epoch = epoch;
        g.lr = self.get_lr(g)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn restarts_with_growing_periods() {
        let cfg = SchedulerConfig::CosineAnnealingWarmRestarts(super::CosineAnnealingWarmRestarts {
            t_0: 2,
            t_mult: 2,
            eta_min: 0.0,
        });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 7, &[]).unwrap();
        // restarts at 2 and 2 + 4 = 6
        assert_eq!(t[2].lr, 1.0);
        assert_eq!(t[6].lr, 1.0);
        assert!(t[5].lr < 0.2);
    }
}
