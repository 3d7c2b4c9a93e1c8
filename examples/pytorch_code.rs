//! Prints, one JSON object per line, the generated PyTorch code and the simulator's lr trace
//! for every preset and every scheduler's default set-up, for `benches/check_codegen.py`.

use lr_playground::core::codegen::pytorch_code;
use lr_playground::core::params::{set, NO_SCHEDULER};
use lr_playground::core::presets::presets;
use lr_playground::core::problems::ProblemConfig;
use lr_playground::core::schedulers::SchedulerConfig;
use lr_playground::core::sim::{simulate, SimConfig};
use serde_json::json;

fn main() {
    let mut cases: Vec<(String, SimConfig)> =
        presets().into_iter().map(|p| (format!("preset {}", p.id), p.cfg)).collect();
    for name in SchedulerConfig::NAMES.iter().chain([NO_SCHEDULER].iter()) {
        let cfg = set(&SimConfig { epochs: 40, ..SimConfig::default() }, "scheduler", name).expect("valid");
        cases.push((format!("default {name}"), cfg.clone()));
        cases.push((format!("quadratic {name}"), set(&cfg, "problem", "quadratic").expect("valid")));
    }
    for (name, cfg) in cases {
        let trace = simulate(&cfg.problem.build(cfg.seed), &cfg).expect("valid");
        // The quadratic without noise is the same problem in PyTorch; the logistic data differ.
        let exact = matches!(&cfg.problem, ProblemConfig::Quadratic(q) if q.noise == 0.0);
        let data_dependent = !exact && cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau());
        let loss = if exact { Some(&trace.train_loss) } else { None };
        println!(
            "{}",
            json!({ "name": name, "code": pytorch_code(&cfg), "lr": trace.lr, "loss": loss, "data_dependent": data_dependent })
        );
    }
}
