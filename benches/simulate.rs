//! Simulation speed (issue 3's targets): `cargo bench --bench simulate`.
//!
//! * default: logistic regression, 200 points, batch 20, 300 epochs, StepLR (target ≤ 1 ms);
//! * heavy: 1000 points, 1000 epochs, StepLR;
//! * surface: the 48×48 loss-surface grid the parameter-space chart samples.

use criterion::{criterion_group, criterion_main, Criterion};
use lr_playground::core::params::set;
use lr_playground::core::sim::{loss_surface, simulate, SimConfig};
use std::hint::black_box;

pub fn default_scenario() -> SimConfig {
    SimConfig { epochs: 300, ..SimConfig::default() }
}

pub fn heavy_scenario() -> SimConfig {
    let cfg = SimConfig { epochs: 1000, ..SimConfig::default() };
    set(&cfg, "points", "1000").expect("valid")
}

fn bench(c: &mut Criterion) {
    for (name, cfg) in [
        ("default (logistic 200 pts, 300 epochs, StepLR)", default_scenario()),
        ("heavy (1000 pts, 1000 epochs)", heavy_scenario()),
    ] {
        let problem = cfg.problem.build(cfg.seed);
        c.bench_function(&format!("simulate {name}"), |b| b.iter(|| simulate(black_box(&problem), black_box(&cfg))));
        c.bench_function(&format!("build data + simulate {name}"), |b| {
            b.iter(|| simulate(&black_box(&cfg).problem.build(cfg.seed), &cfg))
        });
    }
    let cfg = SimConfig::default();
    let problem = cfg.problem.build(cfg.seed);
    c.bench_function("loss surface 48x48 (logistic, 160 train points)", |b| {
        b.iter(|| loss_surface(black_box(&problem), (-3.0, 3.0), (-3.0, 3.0), 48, 48, 0.0))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
