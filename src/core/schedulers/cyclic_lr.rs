//! `torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000,
//! step_size_down=None, mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle',
//! cycle_momentum=True, base_momentum=0.8, max_momentum=0.9)`.
//!
//! Cyclical learning rates (Smith 2017): the lr goes up linearly from `base_lr` to `max_lr`
//! in `step_size_up` steps and back down in `step_size_down` steps (default: the same),
//! the amplitude scaled by `scale_fn`:
//!
//! ```text
//! cycle = ⌊1 + t / (up + down)⌋,   x = 1 + t / (up + down) − cycle
//! s     = x / r  if x ≤ r  else  (x − 1) / (r − 1),   r = up / (up + down)
//! lr_t  = base_lr + (max_lr − base_lr) · s · scale_fn(cycle or t)
//! momentum_t = max_momentum − (max_momentum − base_momentum) · s · scale_fn(cycle or t)
//! ```
//!
//! `mode` picks `scale_fn`: `triangular` (1), `triangular2` (1/2^(cycle−1)), `exp_range`
//! (`gamma^t`, per iteration). A custom `scale_fn` (here an expression in `x`, pasted into
//! `lambda x: ...`) is evaluated per `cycle` or per iteration as `scale_mode` says. Meant to
//! be stepped after every batch. The constructor sets the lr to `base_lr` (and the momentum
//! to `max_momentum` when it cycles momentum). `base_lr` and `max_lr` have no defaults in
//! PyTorch (the playground starts at 0.001 and 0.1).

use super::error::{fmt_num, ConfigError, ConfigErrorKind, Ctx, MAX_INT_PARAM};
use super::{EpochState, LrScheduler, ParamGroup, StepError, StepErrorKind};
use crate::core::expr::Expr;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyclicMode {
    Triangular,
    Triangular2,
    ExpRange,
}

impl CyclicMode {
    pub const ALL: [CyclicMode; 3] = [CyclicMode::Triangular, CyclicMode::Triangular2, CyclicMode::ExpRange];

    pub fn as_str(self) -> &'static str {
        match self {
            CyclicMode::Triangular => "triangular",
            CyclicMode::Triangular2 => "triangular2",
            CyclicMode::ExpRange => "exp_range",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleMode {
    Cycle,
    Iterations,
}

impl ScaleMode {
    pub const ALL: [ScaleMode; 2] = [ScaleMode::Cycle, ScaleMode::Iterations];

    pub fn as_str(self) -> &'static str {
        match self {
            ScaleMode::Cycle => "cycle",
            ScaleMode::Iterations => "iterations",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CyclicLR {
    /// Lower boundary of the cycle.
    pub base_lr: f64,
    /// Upper boundary of the cycle.
    pub max_lr: f64,
    /// Steps in the increasing half of a cycle. Default: 2000.
    #[serde(default = "default_up")]
    pub step_size_up: i64,
    /// Steps in the decreasing half. Default: `None` (= `step_size_up`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_size_down: Option<i64>,
    /// Default: `triangular`.
    #[serde(default = "default_mode")]
    pub mode: CyclicMode,
    /// Base of `exp_range`'s `gamma^iterations`. Default: 1.0.
    #[serde(default = "one")]
    pub gamma: f64,
    /// Custom amplitude scaling, an expression in `x` (`lambda x: ...`); overrides `mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_fn: Option<String>,
    /// What a custom `scale_fn` is evaluated on. Default: `cycle`.
    #[serde(default = "default_scale_mode")]
    pub scale_mode: ScaleMode,
    /// Cycle momentum inversely to the lr. Default: true.
    #[serde(default = "yes")]
    pub cycle_momentum: bool,
    /// Default: 0.8.
    #[serde(default = "default_base_momentum")]
    pub base_momentum: f64,
    /// Default: 0.9.
    #[serde(default = "default_max_momentum")]
    pub max_momentum: f64,
}

fn default_up() -> i64 {
    2000
}
fn default_mode() -> CyclicMode {
    CyclicMode::Triangular
}
fn one() -> f64 {
    1.0
}
fn default_scale_mode() -> ScaleMode {
    ScaleMode::Cycle
}
fn yes() -> bool {
    true
}
fn default_base_momentum() -> f64 {
    0.8
}
fn default_max_momentum() -> f64 {
    0.9
}

impl Default for CyclicLR {
    fn default() -> Self {
        CyclicLR {
            base_lr: 0.001,
            max_lr: 0.1,
            step_size_up: 10,
            step_size_down: None,
            mode: default_mode(),
            gamma: one(),
            scale_fn: None,
            scale_mode: default_scale_mode(),
            cycle_momentum: true,
            base_momentum: default_base_momentum(),
            max_momentum: default_max_momentum(),
        }
    }
}

impl CyclicLR {
    parameters!("CyclicLR" {
        "base_lr" => base_lr,
        "max_lr" => max_lr,
        "step_size_up" => step_size_up,
        "step_size_down" => step_size_down,
        "mode" => mode,
        "gamma" => gamma,
        "scale_fn" => scale_fn,
        "scale_mode" => scale_mode,
        "cycle_momentum" => cycle_momentum,
        "base_momentum" => base_momentum,
        "max_momentum" => max_momentum,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        c.non_negative("base_lr", self.base_lr)?;
        c.positive("max_lr", self.max_lr)?;
        if self.max_lr < self.base_lr {
            return Err(c.err_against(
                "max_lr",
                "base_lr",
                format_args!("({}) must be at least base_lr ({})", fmt_num(self.max_lr), fmt_num(self.base_lr)),
            ));
        }
        c.int_at_least("step_size_up", self.step_size_up, 1)?;
        c.int_at_most("step_size_up", self.step_size_up, MAX_INT_PARAM)?;
        if let Some(d) = self.step_size_down {
            c.int_at_least("step_size_down", d, 1)?;
            c.int_at_most("step_size_down", d, MAX_INT_PARAM)?;
        }
        c.in_range("gamma", self.gamma, self.gamma > 0.0 && self.gamma <= 1.0, "greater than 0 and at most 1")?;
        if let Some(src) = &self.scale_fn {
            Expr::parse(src, "x").map_err(|e| {
                c.err("scale_fn", ConfigErrorKind::Expression { column: e.column }, format_args!("does not parse: {e}"))
            })?;
        }
        if self.cycle_momentum {
            c.momentum_range(self.base_momentum, self.max_momentum)?;
        }
        Ok(())
    }

    pub(crate) fn runtime(&self) -> Run {
        let up = self.step_size_up as f64;
        let down = self.step_size_down.map_or(up, |d| d as f64);
        let total = up + down;
        let (scale, scale_mode) = match &self.scale_fn {
            Some(src) => match Expr::parse(src, "x") {
                Ok(e) => (Scale::Custom(e), self.scale_mode),
                Err(_) => (Scale::Triangular, ScaleMode::Cycle), // unreachable after validate
            },
            None => match self.mode {
                CyclicMode::Triangular => (Scale::Triangular, ScaleMode::Cycle),
                CyclicMode::Triangular2 => (Scale::Triangular2, ScaleMode::Cycle),
                CyclicMode::ExpRange => (Scale::ExpRange(self.gamma), ScaleMode::Iterations),
            },
        };
        Run { cfg: self.clone(), st: EpochState::default(), total, ratio: up / total, scale, scale_mode }
    }
}

#[derive(Debug)]
enum Scale {
    Triangular,
    Triangular2,
    ExpRange(f64),
    Custom(Expr),
}

impl Scale {
    fn eval(&self, x: f64) -> Result<f64, StepError> {
        match self {
            Scale::Triangular => Ok(1.0),
            Scale::Triangular2 => Ok(1.0 / 2f64.powf(x - 1.0)),
            Scale::ExpRange(gamma) => Ok(gamma.powf(x)),
            Scale::Custom(e) => e
                .eval(x)
                .map_err(|err| StepError::new(StepErrorKind::Expression, format!("scale_fn failed at x = {x}: {err}"))),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Run {
    cfg: CyclicLR,
    st: EpochState,
    total: f64,
    ratio: f64,
    scale: Scale,
    scale_mode: ScaleMode,
}

impl LrScheduler for Run {
    fn state(&mut self) -> &mut EpochState {
        &mut self.st
    }

    fn pre_construct(&mut self, g: &mut ParamGroup) {
        g.lr = self.cfg.base_lr;
        if self.cfg.cycle_momentum {
            g.momentum = self.cfg.max_momentum;
            g.max_momentum = self.cfg.max_momentum;
            g.base_momentum = self.cfg.base_momentum;
        }
    }

    fn post_construct(&mut self) {
        self.st.base_lr = self.cfg.base_lr;
    }

    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError> {
        let t = self.st.last_epoch as f64;
        let cycle = (1.0 + t / self.total).floor();
        let x = 1.0 + t / self.total - cycle;
        let s = if x <= self.ratio { x / self.ratio } else { (x - 1.0) / (self.ratio - 1.0) };
        let scale = self.scale.eval(match self.scale_mode {
            ScaleMode::Cycle => cycle,
            ScaleMode::Iterations => t,
        })?;
        // `self.base_lrs`: the group's `initial_lr` for the initial step (another scheduler
        // constructed before it on the optimizer set that), then `base_lr` (`post_construct`).
        let base_lr = self.st.base_lr;
        let CyclicLR { max_lr, base_momentum, max_momentum, .. } = self.cfg;
        let lr = base_lr + (max_lr - base_lr) * s * scale;
        if self.cfg.cycle_momentum {
            g.momentum = max_momentum - (max_momentum - base_momentum) * s * scale;
        }
        Ok(lr)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};
    use super::*;

    #[test]
    fn triangle_and_inverse_momentum() {
        let cfg =
            SchedulerConfig::CyclicLR(CyclicLR { base_lr: 0.0, max_lr: 1.0, step_size_up: 2, ..Default::default() });
        let (t, _) = trace(Some(&cfg), 0.5, 0.0, 4, &[]).unwrap();
        let lrs: Vec<f64> = t.iter().map(|p| p.lr).collect();
        assert_eq!(lrs, [0.0, 0.5, 1.0, 0.5, 0.0]);
        assert_eq!(t[2].momentum, 0.8);
        assert_eq!(t[0].momentum, 0.9);
    }

    #[test]
    fn custom_scale_fn_uses_scale_mode() {
        let cfg = SchedulerConfig::CyclicLR(CyclicLR {
            base_lr: 0.0,
            max_lr: 1.0,
            step_size_up: 1,
            scale_fn: Some("0.5 ** x".into()),
            scale_mode: ScaleMode::Iterations,
            cycle_momentum: false,
            ..Default::default()
        });
        let (t, _) = trace(Some(&cfg), 0.5, 0.0, 3, &[]).unwrap();
        assert_eq!(t[1].lr, 0.5); // peak at t = 1, scaled by 0.5^1
        assert_eq!(t[3].lr, 0.125);
    }
}
