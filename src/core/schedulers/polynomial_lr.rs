//! `torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=5, power=1.0)`.
//!
//! Decays the learning rate with a polynomial of degree `power` to zero at `total_iters`:
//!
//! ```text
//! lr_t = base_lr · (1 − min(t, total_iters) / total_iters)^power
//! ```
//!
//! PyTorch applies it recursively, multiplying the current lr at `0 < t ≤ total_iters` by
//! `((1 − t/total_iters) / (1 − (t−1)/total_iters))^power`.

use super::error::{ConfigError, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolynomialLR {
    /// Number of epochs until the lr reaches 0. Default: 5.
    #[serde(default = "default_total_iters")]
    pub total_iters: i64,
    /// Power of the polynomial. Default: 1.0.
    #[serde(default = "default_power")]
    pub power: f64,
}

fn default_total_iters() -> i64 {
    5
}

fn default_power() -> f64 {
    1.0
}

impl Default for PolynomialLR {
    fn default() -> Self {
        PolynomialLR { total_iters: 100, power: default_power() }
    }
}

impl PolynomialLR {
    parameters!("PolynomialLR" {
        "total_iters" => total_iters,
        "power" => power,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.int_at_least("total_iters", self.total_iters, 1)?;
        c.int_at_most("total_iters", self.total_iters, MAX_INT_PARAM)?;
        c.in_range("power", self.power, self.power >= 0.0 && self.power <= 100.0, "between 0 and 100")
    }

    pub(crate) fn runtime(&self) -> Run {
        Run { cfg: self.clone(), st: EpochState::default() }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: PolynomialLR,
    st: EpochState,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let (t, n) = (self.st.last_epoch, self.cfg.total_iters);
        if t == 0 || t > n {
            return Ok(g.lr);
        }
        let (t, n) = (t as f64, n as f64);
        let decay = ((1.0 - t / n) / (1.0 - (t - 1.0) / n)).powf(self.cfg.power);
        Ok(g.lr * decay)
    }

    fn closed_form_lr(&mut self) -> Option<f64> {
        let n = self.cfg.total_iters;
        let t = self.st.last_epoch.min(n) as f64;
        Some(self.st.base_lr * (1.0 - t / n as f64).powf(self.cfg.power))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};

    #[test]
    fn reaches_zero_at_total_iters() {
        let cfg = SchedulerConfig::PolynomialLR(super::PolynomialLR { total_iters: 4, power: 2.0 });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 6, &[]).unwrap();
        let want = [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0, 0.0];
        for (p, w) in t.iter().zip(want) {
            assert!((p.lr - w).abs() < 1e-15, "{} vs {w}", p.lr);
        }
    }
}
