//! `torch.optim.lr_scheduler.ChainedScheduler(schedulers, optimizer=None)`.
//!
//! Steps every scheduler in the list, in order, at every step. Because PyTorch's schedulers
//! are chainable (each multiplies the *current* lr), their effects compose:
//!
//! ```text
//! step(): for s in schedulers: s.step()
//! ```
//!
//! e.g. `ConstantLR(factor=0.1, total_iters=2)` chained with `ExponentialLR(gamma=0.9)` gives
//! `0.1·0.9^t` for `t < 2` and `0.9^t` after. `ReduceLROnPlateau` cannot be a child.

use super::error::{ConfigError, Ctx};
use super::sequential_lr::validate_children;
use super::{
    ConstantLR, EpochState, ExponentialLR, LrScheduler, ParamGroup, SchedulerConfig, StepError, StepErrorKind,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainedScheduler {
    /// The schedulers stepped together.
    pub schedulers: Vec<SchedulerConfig>,
}

impl Default for ChainedScheduler {
    /// PyTorch's docs' example: a constant warm-up factor on top of exponential decay.
    fn default() -> Self {
        ChainedScheduler {
            schedulers: vec![
                SchedulerConfig::ConstantLR(ConstantLR { factor: 0.1, total_iters: 2 }),
                SchedulerConfig::ExponentialLR(ExponentialLR { gamma: 0.9 }),
            ],
        }
    }
}

impl ChainedScheduler {
    // No parameters of its own: its children are edited in place (`params`).
    parameters!("ChainedScheduler" {});

    pub(crate) fn validate(&self, c: &Ctx, path: &str) -> Result<(), ConfigError> {
        validate_children(c, path, &self.schedulers, true)
    }

    pub(crate) fn runtime(&self) -> Result<Run, ConfigError> {
        let children = self.schedulers.iter().map(|s| s.runtime()).collect::<Result<_, _>>()?;
        Ok(Run { children, st: EpochState::default() })
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    children: Vec<Box<dyn LrScheduler>>,
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
        Ok(())
    }

    fn step(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        for child in &mut self.children {
            child.step(g)?;
        }
        Ok(())
    }

    fn step_to(&mut self, _g: &mut ParamGroup, _epoch: i64) -> Result<(), StepError> {
        Err(StepError::new(StepErrorKind::Refused, "ChainedScheduler cannot be stepped to a given epoch"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::trace;
    use super::*;

    #[test]
    fn constant_ending_inside_chain_divides_by_factor() {
        let cfg = SchedulerConfig::ChainedScheduler(ChainedScheduler::default());
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 3, &[]).unwrap();
        let want = [0.1, 0.09, 0.81, 0.729];
        for (p, w) in t.iter().zip(want) {
            assert!((p.lr - w).abs() < 1e-12, "{} vs {w}", p.lr);
        }
    }
}
