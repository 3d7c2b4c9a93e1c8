//! Prints a benchmark scenario as JSON (data set, every epoch's batches, config) together
//! with the simulator's own result and timing, so `benches/pytorch_compare.py` can run the
//! identical training in PyTorch: `cargo run --release --example scenario -- default|heavy`.

use lr_playground::core::params::set;
use lr_playground::core::problems::Problem;
use lr_playground::core::sim::{minibatches, simulate, Epoch, SimConfig};
use serde_json::json;
use std::time::Instant;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "default".into());
    let cfg = match which.as_str() {
        "default" => SimConfig { epochs: 300, ..SimConfig::default() },
        "heavy" => set(&SimConfig { epochs: 1000, ..SimConfig::default() }, "points", "1000").expect("valid"),
        other => {
            eprintln!("unknown scenario `{other}`: use default or heavy");
            std::process::exit(2);
        }
    };
    let problem = cfg.problem.build(cfg.seed);
    let Problem::Logistic(data) = &problem else { unreachable!("both scenarios are logistic") };
    // Time the simulator: best of several runs.
    let runs = if which == "heavy" { 10 } else { 200 };
    let mut best = f64::INFINITY;
    let mut trace = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let t = simulate(&problem, &cfg).expect("valid scenario");
        best = best.min(t0.elapsed().as_secs_f64());
        trace = Some(t);
    }
    let trace = trace.expect("ran");
    let mut plan = minibatches(&problem, cfg.seed);
    let mut ep = Epoch::default();
    let batches: Vec<Vec<Vec<usize>>> = (0..cfg.epochs)
        .map(|e| {
            plan(e, &mut ep);
            let mut begin = 0;
            ep.ends
                .iter()
                .map(|&end| {
                    let b = ep.order[begin..end].to_vec();
                    begin = end;
                    b
                })
                .collect()
        })
        .collect();
    let out = json!({
        "scenario": which,
        "x": data.x, "y": data.y, "l2": data.l2,
        "w0": problem.start(),
        "optimizer": cfg.optimizer,
        "scheduler": cfg.scheduler,
        "epochs": cfg.epochs,
        "batches": batches,
        "rust_seconds": best,
        "loss_trace": trace.train_loss,
        "lr_trace": trace.lr,
    });
    println!("{out}");
}
