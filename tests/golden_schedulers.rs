//! Parity with PyTorch: every case of `$GOLDEN_DIR/schedulers.json` (recorded from
//! `torch.optim.lr_scheduler` in float64) is replayed and compared step by step.

mod common;

use lr_playground::core::schedulers::{trace, SchedulerConfig};

#[test]
fn schedulers_match_pytorch() {
    let golden = common::load("schedulers.json");
    let cases = golden["cases"].as_array().expect("`cases` array");
    assert!(!cases.is_empty(), "no cases in schedulers.json");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let cfg: SchedulerConfig = match serde_json::from_value(case["scheduler"].clone()) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: config does not deserialize: {e}"));
                continue;
            }
        };
        let lr = case["lr"].as_f64().expect("lr");
        let momentum = case["momentum"].as_f64().unwrap_or(0.0);
        let steps = case["steps"].as_u64().expect("steps") as usize;
        let metrics = common::floats(&case["metrics"]);
        let (points, err) = match trace(Some(&cfg), lr, momentum, steps, &metrics) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{name}: rejected a config PyTorch accepts: {e}"));
                continue;
            }
        };
        if let Some(e) = err {
            failures.push(format!("{name}: refused step {} that PyTorch took: {e}", points.len()));
        }
        let lrs: Vec<f64> = points.iter().map(|p| p.lr).collect();
        common::check_series(name, "lr_trace", &lrs, &common::floats(&case["lr_trace"]), &mut failures);
        if case.get("momentum_trace").is_some() {
            let ms: Vec<f64> = points.iter().map(|p| p.momentum).collect();
            common::check_series(name, "momentum_trace", &ms, &common::floats(&case["momentum_trace"]), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{} mismatch(es) with PyTorch:\n{}", failures.len(), failures.join("\n"));
    println!("{} scheduler cases match PyTorch", cases.len());
}
