//! `torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)`.
//!
//! Scales the learning rate by a factor that moves linearly from `start_factor` to
//! `end_factor` over `total_iters` epochs (the classic linear warm-up):
//!
//! ```text
//! lr_t = base_lr · (start_factor + (end_factor − start_factor) · min(t, total_iters) / total_iters)
//! ```
//!
//! PyTorch applies it recursively, multiplying the current lr at step `t ≤ total_iters` by
//! `1 + (end − start) / (total_iters · start + (t − 1)(end − start))`.

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearLR {
    /// Factor at epoch 0. Default: 1/3.
    #[serde(default = "default_start")]
    pub start_factor: f64,
    /// Factor from `total_iters` on. Default: 1.0.
    #[serde(default = "default_end")]
    pub end_factor: f64,
    /// Number of epochs of the linear change. Default: 5.
    #[serde(default = "default_total_iters")]
    pub total_iters: i64,
}

fn default_start() -> f64 {
    1.0 / 3.0
}

fn default_end() -> f64 {
    1.0
}

fn default_total_iters() -> i64 {
    5
}

impl Default for LinearLR {
    fn default() -> Self {
        LinearLR { start_factor: default_start(), end_factor: default_end(), total_iters: default_total_iters() }
    }
}

impl LinearLR {
    parameters!("LinearLR" {
        "start_factor" => start_factor,
        "end_factor" => end_factor,
        "total_iters" => total_iters,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        let s = self.start_factor;
        c.in_range("start_factor", s, s > 0.0 && s <= 1.0, "greater than 0 and at most 1")?;
        let e = self.end_factor;
        c.in_range("end_factor", e, (0.0..=1.0).contains(&e), "between 0 and 1")?;
        c.int_at_least("total_iters", self.total_iters, 1)?;
        c.int_at_most("total_iters", self.total_iters, MAX_INT_PARAM)
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: LinearLR,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let LinearLR { start_factor: s, end_factor: e, total_iters: n } = self.cfg;
        let t = self.st.last_epoch;
        Ok(if t == 0 {
            g.lr * s
        } else if t > n {
            g.lr
        } else {
            g.lr * (1.0 + (e - s) / (n as f64 * s + (t - 1) as f64 * (e - s)))
        })
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        let LinearLR { start_factor: s, end_factor: e, total_iters: n } = self.cfg;
        let t = self.st.last_epoch.min(n) as f64;
        Some(self.st.base_lr * (s + (e - s) * t / n as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn warms_up_linearly() {
        let cfg = SchedulerConfig::LinearLR(super::LinearLR { start_factor: 0.25, end_factor: 1.0, total_iters: 3 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 4, &[]).unwrap();
        let want = [0.25, 0.5, 0.75, 1.0, 1.0];
        for (p, w) in t.iter().zip(want) {
            assert!((p.lr - w).abs() < 1e-15, "{} vs {w}", p.lr);
        }
    }

    /// Down to 0, PyTorch's chainable formula ends at -1.5e-18 for most start factors
    /// (rounding): a run trains on, as PyTorch's does, rather than stopping at a negative lr.
    #[test]
    fn decaying_to_zero_ends_at_rounding_noise_and_trains_on() {
        let cfg =
            SchedulerConfig::LinearLR(super::LinearLR { start_factor: 1.0 / 3.0, end_factor: 0.0, total_iters: 20 });
        let (t, err) = trace(Some(&cfg), 0.005, 0.0, 30, &[]).unwrap();
        assert!(err.is_none(), "{:?}", err.map(|e| e.message));
        assert_eq!(t.len(), 31);
        assert!(t[20].lr < 0.0 && t[20].lr > -1e-17, "{}", t[20].lr);
        // A schedule that really goes below zero still stops.
        let cfg = SchedulerConfig::LambdaLR(crate::core::schedulers::LambdaLR { lr_lambda: "1 - epoch / 10".into() });
        let (_, err) = trace(Some(&cfg), 0.1, 0.0, 15, &[]).unwrap();
        assert!(err.unwrap().message.contains("at epoch 11"));
    }
}
