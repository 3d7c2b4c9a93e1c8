//! `torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1/3, total_iters=5)`.
//!
//! Multiplies the learning rate by a constant `factor` until epoch `total_iters`:
//!
//! ```text
//! lr_t = base_lr · factor   for t < total_iters
//! lr_t = base_lr            for t ≥ total_iters
//! ```
//!
//! PyTorch applies it recursively: `lr · factor` at construction and `lr / factor` at
//! `t = total_iters`, which is why a `ConstantLR` ending inside a `ChainedScheduler`
//! multiplies whatever lr the chain has by `1/factor` at that step.

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstantLR {
    /// The factor the lr is multiplied by until `total_iters`. Default: 1/3.
    #[serde(default = "default_factor")]
    pub factor: f64,
    /// Number of epochs the factor applies. Default: 5.
    #[serde(default = "default_total_iters")]
    pub total_iters: i64,
}

fn default_factor() -> f64 {
    1.0 / 3.0
}

fn default_total_iters() -> i64 {
    5
}

impl Default for ConstantLR {
    fn default() -> Self {
        ConstantLR { factor: default_factor(), total_iters: default_total_iters() }
    }
}

impl ConstantLR {
    parameters!("ConstantLR" {
        "factor" => factor,
        "total_iters" => total_iters,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.in_range("factor", self.factor, self.factor > 0.0 && self.factor <= 1.0, "greater than 0 and at most 1")?;
        c.int_at_least("total_iters", self.total_iters, 1)?;
        c.int_at_most("total_iters", self.total_iters, MAX_INT_PARAM)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: ConstantLR,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let e = self.st.last_epoch;
        Ok(if e == 0 {
            g.lr * self.cfg.factor
        } else if e != self.cfg.total_iters {
            g.lr
        } else {
            g.lr * (1.0 / self.cfg.factor)
        })
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        let done = if self.st.last_epoch >= self.cfg.total_iters { 1.0 } else { 0.0 };
        Some(self.st.base_lr * (self.cfg.factor + done * (1.0 - self.cfg.factor)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn factor_until_total_iters() {
        let cfg = SchedulerConfig::ConstantLR(super::ConstantLR { factor: 0.5, total_iters: 2 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 3, &[]).unwrap();
        assert_eq!(t.iter().map(|p| p.lr).collect::<Vec<_>>(), [0.5, 0.5, 1.0, 1.0]);
    }
}
