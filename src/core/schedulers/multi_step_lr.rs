//! `torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma=0.1)`.
//!
//! Decays the learning rate by `gamma` once the epoch reaches each milestone:
//!
//! ```text
//! lr_t = base_lr · gamma^|{m ∈ milestones : m ≤ t}|
//! ```
//!
//! Milestones are counted with multiplicity (PyTorch keeps a `Counter`), so a milestone
//! listed twice applies `gamma²` at that epoch. `milestones` has no default in PyTorch (the
//! playground starts at `[30, 80]`, the example in PyTorch's docs).

use super::error::{ConfigError, ConfigErrorKind, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiStepLR {
    /// Epoch indices at which the lr is multiplied by `gamma` (increasing in PyTorch's docs;
    /// repeats compound).
    pub milestones: Vec<i64>,
    /// Multiplicative factor of learning-rate decay. Default: 0.1.
    #[serde(default = "default_gamma")]
    pub gamma: f64,
}

fn default_gamma() -> f64 {
    0.1
}

impl Default for MultiStepLR {
    fn default() -> Self {
        MultiStepLR { milestones: vec![30, 80], gamma: default_gamma() }
    }
}

impl MultiStepLR {
    parameters!("MultiStepLR" {
        "milestones" => milestones,
        "gamma" => gamma,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        if self.milestones.len() > 1000 {
            return Err(c.err("milestones", ConfigErrorKind::OutOfRange, "may list at most 1000 epochs"));
        }
        for (i, &m) in self.milestones.iter().enumerate() {
            if !(1..=MAX_INT_PARAM).contains(&m) {
                return Err(c.err(
                    &format!("milestones[{i}]"),
                    ConfigErrorKind::OutOfRange,
                    format_args!("must be an epoch from 1 to {MAX_INT_PARAM}, got {m}"),
                ));
            }
        }
        c.positive("gamma", self.gamma)
    }

    pub(crate) fn runtime(&self) -> Run {
        let mut sorted = self.milestones.clone();
        crate::core::util::sort_short(&mut sorted, |&m| m); // at most 1000 (validated)
        Run { sorted, gamma: self.gamma, st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    /// Milestones sorted, repeats kept (PyTorch's `sorted(Counter.elements())`).
    sorted: Vec<i64>,
    gamma: f64,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let e = self.st.last_epoch;
        let count = self.sorted.iter().filter(|&&m| m == e).count();
        if count == 0 {
            Ok(g.lr)
        } else {
            Ok(g.lr * self.gamma.powf(count as f64))
        }
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        // bisect_right(sorted milestones, last_epoch)
        let passed = self.sorted.partition_point(|&m| m <= self.st.last_epoch);
        Some(self.st.base_lr * self.gamma.powf(passed as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn repeated_milestone_compounds() {
        let cfg = SchedulerConfig::MultiStepLR(super::MultiStepLR { milestones: vec![2, 2], gamma: 0.5 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 3, &[]).unwrap();
        assert_eq!(t.iter().map(|p| p.lr).collect::<Vec<_>>(), [1.0, 1.0, 0.25, 0.25]);
    }

    /// `gamma ** count` in Python is C's `pow`, not repeated multiplication: torch gives
    /// 0.61499811426558 here, `gamma.powi(3)` 0.6149981142655802 (found by a differential test).
    #[test]
    fn a_repeated_milestone_is_a_power_as_python_takes_it() {
        let cfg =
            SchedulerConfig::MultiStepLR(super::MultiStepLR { milestones: vec![1, 1, 1], gamma: 0.8504026301348071 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 1, &[]).unwrap();
        assert_eq!(t[1].lr, 0.61499811426558);
    }
}
