//! `torch.optim.SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False)`.
//!
//! One step, with `g` the gradient, `μ` the momentum, `τ` the dampening, `λ` the weight
//! decay (PyTorch's algorithm, `maximize=False`):
//!
//! ```text
//! g ← g + λ·w                                  (if λ ≠ 0)
//! b ← g  (first step),  b ← μ·b + (1 − τ)·g    (if μ ≠ 0)
//! g ← g + μ·b  (nesterov)  or  g ← b
//! w ← w − lr·g
//! ```
//!
//! `lr` and `momentum` are read from the param group at every step, because schedulers
//! (CyclicLR, OneCycleLR) change them while training.

use crate::core::schedulers::ConfigErrorKind;
use crate::core::schedulers::{fmt_num, ConfigError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SgdConfig {
    pub lr: f64,
    #[serde(default)]
    pub momentum: f64,
    #[serde(default)]
    pub dampening: f64,
    #[serde(default)]
    pub nesterov: bool,
    #[serde(default)]
    pub weight_decay: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig { lr: 0.1, momentum: 0.0, dampening: 0.0, nesterov: false, weight_decay: 0.0 }
    }
}

impl SgdConfig {
    /// PyTorch's checks (`Invalid learning rate`, nesterov's requirements) and a few more.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let c = ConfigError::ctx("", "SGD");
        c.non_negative("lr", self.lr)?;
        c.in_range("momentum", self.momentum, (0.0..1.0).contains(&self.momentum), "from 0 up to (not including) 1")?;
        c.in_range("dampening", self.dampening, (0.0..=1.0).contains(&self.dampening), "between 0 and 1")?;
        c.non_negative("weight_decay", self.weight_decay)?;
        if self.nesterov && (self.momentum <= 0.0 || self.dampening != 0.0) {
            return Err(c.err(
                "nesterov",
                ConfigErrorKind::OutOfRange,
                format_args!(
                    "requires a momentum above 0 and zero dampening, here momentum {} and dampening {} \
                     (PyTorch: \"Nesterov momentum requires a momentum and zero dampening\")",
                    fmt_num(self.momentum),
                    fmt_num(self.dampening)
                ),
            ));
        }
        Ok(())
    }
}

/// SGD's state: the momentum buffer.
#[derive(Clone, Debug)]
pub struct Sgd {
    cfg: SgdConfig,
    buf: [f64; 3],
    has_buf: bool,
}

impl Sgd {
    pub fn new(cfg: &SgdConfig) -> Sgd {
        Sgd { cfg: cfg.clone(), buf: [0.0; 3], has_buf: false }
    }

    /// One `optimizer.step()` on `w` (up to 3 weights) with gradient `grad` (overwritten).
    pub fn step(&mut self, w: &mut [f64], grad: &mut [f64], lr: f64, momentum: f64) {
        let SgdConfig { dampening, nesterov, weight_decay, .. } = self.cfg;
        let n = w.len();
        if weight_decay != 0.0 {
            for i in 0..n {
                grad[i] += weight_decay * w[i];
            }
        }
        if momentum != 0.0 {
            let buf = &mut self.buf[..n];
            if self.has_buf {
                for i in 0..n {
                    buf[i] = buf[i] * momentum + (1.0 - dampening) * grad[i];
                }
            } else {
                buf.copy_from_slice(&grad[..n]);
                self.has_buf = true;
            }
            for i in 0..n {
                grad[i] = if nesterov { grad[i] + momentum * buf[i] } else { buf[i] };
            }
        }
        for i in 0..n {
            w[i] += -lr * grad[i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_momentum_steps() {
        let mut s = Sgd::new(&SgdConfig { lr: 0.1, ..Default::default() });
        let mut w = [1.0, 2.0];
        s.step(&mut w, &mut [1.0, -1.0], 0.1, 0.0);
        assert_eq!(w, [0.9, 2.1]);

        let cfg = SgdConfig { lr: 1.0, momentum: 0.5, ..Default::default() };
        let mut s = Sgd::new(&cfg);
        let mut w = [0.0];
        s.step(&mut w, &mut [1.0], 1.0, 0.5);
        s.step(&mut w, &mut [1.0], 1.0, 0.5);
        assert_eq!(w, [-2.5]); // buf: 1, then 1.5
    }

    #[test]
    fn rejects_nesterov_without_momentum() {
        let cfg = SgdConfig { nesterov: true, ..Default::default() };
        assert!(cfg.validate().unwrap_err().message.contains("Nesterov"));
        assert!(SgdConfig { lr: -1.0, ..Default::default() }.validate().is_err());
        assert!(SgdConfig { lr: f64::NAN, ..Default::default() }.validate().is_err());
    }
}
