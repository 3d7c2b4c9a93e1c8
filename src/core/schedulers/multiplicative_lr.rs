//! `torch.optim.lr_scheduler.MultiplicativeLR(optimizer, lr_lambda)`.
//!
//! Multiplies the learning rate by a function of the epoch at every step:
//!
//! ```text
//! lr_t = lr_{t−1} · lr_lambda(t)   for t > 0,    lr_0 = base_lr
//! ```
//!
//! `lr_lambda` is an expression in `epoch`, as for [`super::LambdaLR`]. It has no default in
//! PyTorch (the playground starts at `0.95`).

use super::error::{ConfigError, Ctx};
use super::lambda_lr::{eval_lambda, parse_lambda};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use crate::core::expr::Expr;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiplicativeLR {
    /// The per-epoch factor as a Python expression in `epoch`.
    pub lr_lambda: String,
}

impl Default for MultiplicativeLR {
    fn default() -> Self {
        MultiplicativeLR { lr_lambda: "0.95".into() }
    }
}

impl MultiplicativeLR {
    parameters!("MultiplicativeLR" {
        "lr_lambda" => lr_lambda,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        parse_lambda(c, &self.lr_lambda).map(drop)
    }

    pub(crate) fn runtime(&self) -> Result<Run, ConfigError> {
        let c = ConfigError::ctx("", "MultiplicativeLR");
        Ok(Run { f: parse_lambda(&c, &self.lr_lambda)?, st: EpochState::default() })
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    f: Expr,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    /// `group["lr"] * lr_lambda(last_epoch)`, except in the initial step (PyTorch tests
    /// `_is_initial`, not the epoch: SequentialLR's `step(0)` at a milestone multiplies by
    /// `lr_lambda(0)`, and fails where it fails).
    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        Ok(if self.st.initial { g.lr } else { g.lr * eval_lambda(&self.f, self.st.last_epoch)? })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};
    use super::*;

    #[test]
    fn compounds_the_factor() {
        let cfg = SchedulerConfig::MultiplicativeLR(MultiplicativeLR { lr_lambda: "0.5".into() });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 2, &[]).unwrap();
        assert_eq!(t.iter().map(|p| p.lr).collect::<Vec<_>>(), [1.0, 0.5, 0.25]);
    }
}
