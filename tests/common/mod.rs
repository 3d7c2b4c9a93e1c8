//! Shared helpers of the golden parity tests.

#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// `$GOLDEN_DIR/<name>` (default `tests/golden/<name>`), parsed.
pub fn load(name: &str) -> Value {
    let dir =
        std::env::var("GOLDEN_DIR").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden").into());
    let path = PathBuf::from(dir).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// |Δ| ≤ 1e-12 + 1e-9·|ref|, the parity tolerance.
pub fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-12 + 1e-9 * want.abs() || (got.is_nan() && want.is_nan())
}

/// Compare a trace step by step; the message names the case, the series and the step.
pub fn check_series(case: &str, series: &str, got: &[f64], want: &[f64], failures: &mut Vec<String>) {
    if got.len() != want.len() {
        failures.push(format!("{case}: {series} has {} values, PyTorch recorded {}", got.len(), want.len()));
    }
    if let Some((k, (g, w))) = got.iter().zip(want).enumerate().find(|(_, (g, w))| !close(**g, **w)) {
        failures.push(format!("{case}: {series}[{k}] = {g:e}, PyTorch gives {w:e} (Δ = {:e})", g - w));
    }
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()).unwrap_or_default()
}
