//! `torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)`.
//!
//! Decays the learning rate by `gamma` every `step_size` epochs:
//!
//! ```text
//! lr_t = base_lr · gamma^⌊t / step_size⌋
//! ```
//!
//! PyTorch applies it recursively: at every `t > 0` with `t mod step_size = 0` the current
//! lr is multiplied by `gamma`. `step_size` has no default in PyTorch (the playground starts
//! at 30, the example in PyTorch's docs).

use super::error::{ConfigError, Ctx};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepLR {
    /// Period of learning-rate decay, in epochs.
    pub step_size: i64,
    /// Multiplicative factor of learning-rate decay. Default: 0.1.
    #[serde(default = "default_gamma")]
    pub gamma: f64,
}

fn default_gamma() -> f64 {
    0.1
}

impl Default for StepLR {
    fn default() -> Self {
        StepLR { step_size: 30, gamma: default_gamma() }
    }
}

impl StepLR {
    parameters!("StepLR" {
        "step_size" => step_size,
        "gamma" => gamma,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.int_at_least("step_size", self.step_size, 1)?;
        c.positive("gamma", self.gamma)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: StepLR,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let e = self.st.last_epoch;
        if e == 0 || e % self.cfg.step_size != 0 {
            Ok(g.lr)
        } else {
            Ok(g.lr * self.cfg.gamma)
        }
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        let k = self.st.last_epoch.div_euclid(self.cfg.step_size);
        Some(self.st.base_lr * self.cfg.gamma.powf(k as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn drops_every_step_size() {
        let cfg = SchedulerConfig::StepLR(super::StepLR { step_size: 3, gamma: 0.5 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 7, &[]).unwrap();
        let lrs: Vec<f64> = t.iter().map(|p| p.lr).collect();
        assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]);
    }
}
