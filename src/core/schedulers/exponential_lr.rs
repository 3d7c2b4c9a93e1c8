//! `torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)`.
//!
//! Decays the learning rate by `gamma` every epoch:
//!
//! ```text
//! lr_t = base_lr · gamma^t
//! ```
//!
//! `gamma` has no default in PyTorch (the playground starts at 0.95).

use super::error::{ConfigError, Ctx};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExponentialLR {
    /// Multiplicative factor of learning-rate decay per epoch.
    pub gamma: f64,
}

impl Default for ExponentialLR {
    fn default() -> Self {
        ExponentialLR { gamma: 0.95 }
    }
}

impl ExponentialLR {
    parameters!("ExponentialLR" {
        "gamma" => gamma,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.positive("gamma", self.gamma)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { gamma: self.gamma, st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    gamma: f64,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        Ok(if self.st.last_epoch == 0 { g.lr } else { g.lr * self.gamma })
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        Some(self.st.base_lr * self.gamma.powf(self.st.last_epoch as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn multiplies_each_epoch() {
        let cfg = SchedulerConfig::ExponentialLR(super::ExponentialLR { gamma: 0.5 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 3, &[]).unwrap();
        assert_eq!(t.iter().map(|p| p.lr).collect::<Vec<_>>(), [1.0, 0.5, 0.25, 0.125]);
    }
}
