//! `torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)`.
//!
//! Sets the learning rate to the initial lr times a function of the epoch:
//!
//! ```text
//! lr_t = base_lr · lr_lambda(t)
//! ```
//!
//! Here `lr_lambda` is an expression in `epoch` (see [`crate::core::expr`]), the body of
//! PyTorch's `lambda epoch: ...`, e.g. `0.95 ** epoch`. It has no default in PyTorch.

use super::error::{ConfigError, ConfigErrorKind, Ctx};
use super::{EpochState, LrScheduler, ParamGroup, StepError, StepErrorKind};
use crate::core::expr::Expr;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaLR {
    /// The multiplicative factor as a Python expression in `epoch`.
    pub lr_lambda: String,
}

impl Default for LambdaLR {
    fn default() -> Self {
        LambdaLR { lr_lambda: "0.95 ** epoch".into() }
    }
}

/// Parse `lr_lambda` for `LambdaLR`/`MultiplicativeLR`, pointing at the column on error.
pub(crate) fn parse_lambda(c: &Ctx, src: &str) -> Result<Expr, ConfigError> {
    Expr::parse(src, "epoch").map_err(|e| {
        c.err("lr_lambda", ConfigErrorKind::Expression { column: e.column }, format_args!("does not parse: {e}"))
    })
}

/// Evaluate `lr_lambda` at an epoch; a failure or a negative/non-finite factor is a step error.
pub(crate) fn eval_lambda(f: &Expr, epoch: i64) -> Result<f64, StepError> {
    let v = f
        .eval(epoch as f64)
        .map_err(|e| StepError::new(StepErrorKind::Expression, format!("lr_lambda failed at epoch {epoch}: {e}")))?;
    if !v.is_finite() || v < 0.0 {
        return Err(StepError::new(
            StepErrorKind::BadLr,
            format!("lr_lambda gave {} at epoch {epoch}; the factor must be a finite number ≥ 0", super::fmt_sig(v, 4)),
        ));
    }
    Ok(v)
}

impl LambdaLR {
    parameters!("LambdaLR" {
        "lr_lambda" => lr_lambda,
    });

    pub(crate) fn validate(&self, c: &Ctx) -> Result<(), ConfigError> {
        parse_lambda(c, &self.lr_lambda).map(drop)
    }

    pub(crate) fn runtime(&self) -> Result<Run, ConfigError> {
        let c = ConfigError::ctx("", "LambdaLR");
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

    fn get_lr(&mut self, _g: &mut ParamGroup) -> Result<f64, StepError> {
        Ok(self.st.base_lr * eval_lambda(&self.f, self.st.last_epoch)?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{trace, SchedulerConfig};
    use super::*;

    #[test]
    fn scales_base_lr() {
        let cfg = SchedulerConfig::LambdaLR(LambdaLR { lr_lambda: "1 / (1 + epoch)".into() });
        let (t, _) = trace(Some(&cfg), 1.0, 0.0, 3, &[]).unwrap();
        assert_eq!(t.iter().map(|p| p.lr).collect::<Vec<_>>(), [1.0, 0.5, 1.0 / 3.0, 0.25]);
    }

    #[test]
    fn failing_lambda_stops_the_trace() {
        let cfg = SchedulerConfig::LambdaLR(LambdaLR { lr_lambda: "1 / (2 - epoch)".into() });
        let (t, err) = trace(Some(&cfg), 1.0, 0.0, 5, &[]).unwrap();
        assert_eq!(t.len(), 2);
        assert!(err.unwrap().message.contains("epoch 2"));
        // A negative factor is named to four significant digits, not every digit of the f64.
        let cfg = SchedulerConfig::LambdaLR(LambdaLR { lr_lambda: "0.00013 / (epoch - 50)".into() });
        let e = super::super::Schedule::new(Some(&cfg), 0.1, 0.0).err().unwrap();
        assert_eq!(e.message, "LambdaLR: lr_lambda gave -2.6e-6 at epoch 0; the factor must be a finite number ≥ 0");
        let cfg = SchedulerConfig::LambdaLR(LambdaLR { lr_lambda: "1 - epoch / 3".into() });
        let (_, err) = trace(Some(&cfg), 0.1, 0.0, 5, &[]).unwrap();
        assert_eq!(err.unwrap().message, "lr_lambda gave -0.3333 at epoch 4; the factor must be a finite number ≥ 0");
        // Powers of ten and values near the smallest f64 read as such.
        assert_eq!(super::super::fmt_sig(-1e-22, 4), "-1e-22");
        assert_eq!(super::super::fmt_sig(-9.999999999999994e-301, 4), "-1e-300");
        assert_eq!(super::super::fmt_sig(-0.008900000000000009, 4), "-0.0089");
    }
}
