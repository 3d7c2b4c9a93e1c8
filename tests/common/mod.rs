//! Shared helpers of the golden parity tests.

#![allow(dead_code)]

use lr_playground::core::optim::SgdConfig;
use lr_playground::core::problems::{Logistic, Problem, Quadratic};
use lr_playground::core::schedulers::SchedulerConfig;
use lr_playground::core::sim::{train, Epoch, Training};
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

/// Replays every case of a `sgd.json` (see its header) through the simulator's training
/// loop; returns the number of cases and the mismatches with PyTorch. Shared by the native
/// parity test (`tests/golden_sgd.rs`) and the browser one (`tests/web.rs`), since the
/// training loop's `exp` and `ln_1p` differ between the two targets.
pub fn sgd_failures(golden: &Value) -> (usize, Vec<String>) {
    let cases = golden["cases"].as_array().expect("`cases` array");
    assert!(!cases.is_empty(), "no cases in sgd.json");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let prob = problem(&case["problem"]);
        let optimizer: SgdConfig = serde_json::from_value(case["optimizer"].clone()).expect("optimizer");
        let scheduler: Option<SchedulerConfig> = serde_json::from_value(case["scheduler"].clone()).expect("scheduler");
        let epochs = case["epochs"].as_u64().expect("epochs") as usize;
        let w0 = floats(&case["w0"]);
        let mut start = [0.0; 3];
        start[..w0.len()].copy_from_slice(&w0);
        let batches: Option<Vec<Vec<Vec<usize>>>> = serde_json::from_value(case["batches"].clone()).ok();
        let n = match &prob {
            Problem::Logistic(l) => l.x.len(),
            Problem::Quadratic(_) => 0,
        };
        let mut plan = |e: usize, ep: &mut Epoch| {
            ep.order.to_mut().clear();
            ep.ends.clear();
            match &batches {
                Some(b) => {
                    for ix in &b[e] {
                        ep.order.to_mut().extend(ix);
                        ep.ends.push(ep.order.len());
                    }
                }
                None => {
                    ep.order.to_mut().extend(0..n);
                    ep.ends.push(n);
                }
            }
        };
        let run = Training {
            optimizer: &optimizer,
            scheduler: scheduler.as_ref(),
            epochs,
            per_batch: false,
            noise_seed: None,
        };
        let t = match train(&prob, start, run, &mut plan) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: rejected: {e}"));
                continue;
            }
        };
        let want_loss0 = case["loss0"].as_f64().expect("loss0");
        check_series(name, "loss0", &[t.loss0], &[want_loss0], &mut failures);
        check_series(name, "lr_trace", &t.lr, &floats(&case["lr_trace"]), &mut failures);
        let want_losses = floats(&case["loss_trace"]);
        // PyTorch keeps going after a blow-up; we stop and mark it. Compare what we kept and
        // check the marked epoch is the first whose loss PyTorch saw exceed the limit.
        let kept = t.train_loss.len();
        check_series(name, "loss_trace", &t.train_loss, &want_losses[..kept.min(want_losses.len())], &mut failures);
        if let Some(d) = t.divergence {
            let limit = 1e6 * want_loss0;
            let first = want_losses.iter().position(|l| !l.is_finite() || *l > limit);
            if first != Some(d.epoch) {
                failures.push(format!(
                    "{name}: divergence marked at epoch {}, PyTorch's loss first exceeds 1e6×loss0 at {first:?}",
                    d.epoch
                ));
            }
        } else if kept != want_losses.len() {
            failures.push(format!("{name}: stopped after {kept} of {} epochs without a divergence", want_losses.len()));
        }
        let want_w = case["w_trace"].as_array().expect("w_trace");
        for (k, (got, want)) in t.weights.iter().zip(want_w).enumerate() {
            let want = floats(want);
            let got = &got[..want.len()];
            check_series(&format!("{name} epoch {k}"), "w_trace", got, &want, &mut failures);
        }
    }
    (cases.len(), failures)
}

fn pair(v: &Value) -> [f64; 2] {
    let f = floats(v);
    [f[0], f[1]]
}

fn problem(p: &Value) -> Problem {
    match p["type"].as_str() {
        Some("quadratic") => {
            let a = p["a"].as_array().expect("a");
            Problem::Quadratic(Quadratic::new([pair(&a[0]), pair(&a[1])], pair(&p["c"])))
        }
        Some("logistic") => {
            let x = p["x"].as_array().expect("x").iter().map(pair).collect();
            let y = floats(&p["y"]);
            Problem::Logistic(Logistic::from_data(x, y, p["l2"].as_f64().unwrap_or(0.0)))
        }
        other => panic!("unknown problem type {other:?}"),
    }
}
