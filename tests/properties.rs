//! Property tests of the scheduler core and the simulator on random valid configs.

use lr_playground::core::schedulers::*;
use lr_playground::core::sim::{simulate, SimConfig, Stepping};
use lr_playground::core::{params, problems::ProblemConfig};
use proptest::prelude::*;

const LAMBDAS: [&str; 6] = [
    "0.95 ** epoch",
    "1 / (1 + 0.1 * epoch)",
    "0.1 ** (epoch // 30)",
    "min(1, (epoch + 1) / 10)",
    "0.5 * (1 + cos(pi * epoch / 50)) if epoch < 50 else 0.01",
    "max(0.01, 1 - epoch / 100)",
];

fn leaf() -> impl Strategy<Value = SchedulerConfig> {
    prop_oneof![
        (0usize..LAMBDAS.len()).prop_map(|i| SchedulerConfig::LambdaLR(LambdaLR { lr_lambda: LAMBDAS[i].into() })),
        (0.5f64..1.0).prop_map(|g| SchedulerConfig::MultiplicativeLR(MultiplicativeLR { lr_lambda: format!("{g}") })),
        (1i64..50, 0.01f64..2.0).prop_map(|(s, g)| SchedulerConfig::StepLR(StepLR { step_size: s, gamma: g })),
        (prop::collection::vec(1i64..120, 0..5), 0.01f64..2.0)
            .prop_map(|(m, g)| SchedulerConfig::MultiStepLR(MultiStepLR { milestones: m, gamma: g })),
        (0.01f64..=1.0, 1i64..40)
            .prop_map(|(f, t)| SchedulerConfig::ConstantLR(ConstantLR { factor: f, total_iters: t })),
        (0.01f64..=1.0, 0.0f64..=1.0, 1i64..40).prop_map(|(s, e, t)| SchedulerConfig::LinearLR(LinearLR {
            start_factor: s,
            end_factor: e,
            total_iters: t
        })),
        (0.01f64..1.5).prop_map(|g| SchedulerConfig::ExponentialLR(ExponentialLR { gamma: g })),
        (1i64..100, 0.0f64..5.0)
            .prop_map(|(t, p)| SchedulerConfig::PolynomialLR(PolynomialLR { total_iters: t, power: p })),
        (1i64..100, 0.0f64..0.05)
            .prop_map(|(t, e)| SchedulerConfig::CosineAnnealingLR(CosineAnnealingLR { t_max: t, eta_min: e })),
        (1i64..30, 1i64..4, 0.0f64..0.05).prop_map(|(t0, tm, e)| SchedulerConfig::CosineAnnealingWarmRestarts(
            CosineAnnealingWarmRestarts { t_0: t0, t_mult: tm, eta_min: e }
        )),
        (1e-4f64..0.1, 1.0f64..100.0, 1i64..50, prop::option::of(1i64..50), 0usize..3, 0.9f64..=1.0, any::<bool>())
            .prop_map(|(b, k, up, down, mode, gamma, cm)| SchedulerConfig::CyclicLR(CyclicLR {
                base_lr: b,
                max_lr: b * k,
                step_size_up: up,
                step_size_down: down,
                mode: CyclicMode::ALL[mode],
                gamma,
                cycle_momentum: cm,
                ..Default::default()
            })),
        (1e-3f64..2.0, 10i64..400, 0.05f64..0.45, any::<bool>(), any::<bool>(), 1.0f64..100.0).prop_map(
            |(m, t, p, three, lin, div)| SchedulerConfig::OneCycleLR(OneCycleLR {
                max_lr: m,
                total_steps: Some(t),
                pct_start: p,
                three_phase: three,
                anneal_strategy: if lin { AnnealStrategy::Linear } else { AnnealStrategy::Cos },
                div_factor: div,
                ..Default::default()
            })
        ),
    ]
}

fn plateau() -> impl Strategy<Value = ReduceLROnPlateau> {
    (any::<bool>(), 0.01f64..0.99, 0i64..10, 0.0f64..0.2, any::<bool>(), 0i64..5, 0.0f64..0.05).prop_map(
        |(max, factor, patience, threshold, abs, cooldown, min_lr)| ReduceLROnPlateau {
            mode: if max { PlateauMode::Max } else { PlateauMode::Min },
            factor,
            patience,
            threshold,
            threshold_mode: if abs { ThresholdMode::Abs } else { ThresholdMode::Rel },
            cooldown,
            min_lr,
            eps: 1e-8,
        },
    )
}

fn any_config() -> impl Strategy<Value = SchedulerConfig> {
    prop_oneof![
        4 => leaf(),
        1 => plateau().prop_map(SchedulerConfig::ReduceLROnPlateau),
        1 => (prop::collection::vec(leaf(), 1..4), prop::collection::vec(1i64..40, 3)).prop_map(|(s, mut m)| {
            m.truncate(s.len() - 1);
            m.sort();
            m.dedup();
            let mut s = s;
            s.truncate(m.len() + 1);
            SchedulerConfig::SequentialLR(SequentialLR { schedulers: s, milestones: m })
        }),
        1 => prop::collection::vec(leaf(), 1..4).prop_map(|s| SchedulerConfig::ChainedScheduler(ChainedScheduler { schedulers: s })),
    ]
}

fn lrs(cfg: &SchedulerConfig, lr: f64, steps: usize, metrics: &[f64]) -> Vec<f64> {
    let (t, _) = trace(Some(cfg), lr, 0.9, steps, metrics).expect("valid config");
    t.iter().map(|p| p.lr).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lr_stays_finite_and_non_negative(cfg in any_config(), lr in 1e-4f64..10.0) {
        prop_assume!(cfg.validate().is_ok());
        let (t, err) = trace(Some(&cfg), lr, 0.9, 300, &[]).unwrap();
        // Only OneCycleLR (past total_steps) and composites of recursive formulas (which can
        // cross zero in PyTorch too) may stop early; every lr handed out is valid.
        if let Some(e) = err {
            prop_assert!(cfg.is_composite() || matches!(cfg, SchedulerConfig::OneCycleLR(_)), "{}: {}", cfg.name(), e);
        }
        for (k, p) in t.iter().enumerate() {
            prop_assert!(p.lr.is_finite() && p.lr >= 0.0, "{}: step {k}: lr {}", cfg.name(), p.lr);
            prop_assert!(p.momentum.is_finite() && p.momentum >= 0.0);
        }
    }

    #[test]
    fn plateau_never_raises_nor_goes_below_min_lr(
        cfg in plateau(), lr in 0.05f64..1.0, metrics in prop::collection::vec(-10.0f64..10.0, 1..200)
    ) {
        let min_lr = cfg.min_lr;
        let series = lrs(&SchedulerConfig::ReduceLROnPlateau(cfg), lr, metrics.len(), &metrics);
        for w in series.windows(2) {
            prop_assert!(w[1] <= w[0]);
        }
        prop_assert!(series.iter().all(|&l| l >= min_lr));
    }

    #[test]
    fn decays_are_non_increasing(
        step in 1i64..40, ms in prop::collection::vec(1i64..150, 0..6), gamma in 0.01f64..=1.0, lr in 1e-4f64..10.0
    ) {
        for cfg in [
            SchedulerConfig::StepLR(StepLR { step_size: step, gamma }),
            SchedulerConfig::MultiStepLR(MultiStepLR { milestones: ms.clone(), gamma }),
            SchedulerConfig::ExponentialLR(ExponentialLR { gamma }),
        ] {
            let series = lrs(&cfg, lr, 200, &[]);
            for w in series.windows(2) {
                prop_assert!(w[1] <= w[0], "{}: {} then {}", cfg.name(), w[0], w[1]);
            }
        }
    }

    #[test]
    fn json_config_round_trips(cfg in any_config()) {
        let text = serde_json::to_string(&cfg).unwrap();
        let back: SchedulerConfig = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, cfg);
    }

    #[test]
    fn from_json_never_panics(s in ".{0,200}") {
        let _ = SchedulerConfig::from_json(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn simulation_hands_only_finite_numbers_to_charts(
        cfg in any_config(), lr in 1e-3f64..20.0, momentum in 0.0f64..0.95, quad in any::<bool>(),
        per_batch in any::<bool>(), seed in 0u64..100
    ) {
        prop_assume!(cfg.validate().is_ok());
        let mut sim = SimConfig { scheduler: Some(cfg), epochs: 60, seed, ..Default::default() };
        sim.optimizer.lr = lr;
        sim.optimizer.momentum = momentum;
        sim.stepping = if per_batch { Stepping::Batch } else { Stepping::Epoch };
        if quad {
            sim = params::set(&sim, "problem", "quadratic").unwrap();
            sim = params::set(&sim, "noise", "0.3").unwrap();
        }
        let problem = sim.problem.build(sim.seed);
        prop_assert!(matches!(sim.problem, ProblemConfig::Quadratic(_)) == quad);
        let t = simulate(&problem, &sim).unwrap();
        let all = t.lr.iter().chain(&t.momentum).chain(&t.train_loss).chain(&t.val_loss).chain(&t.accuracy)
            .chain(&t.step_lr).chain(t.path.iter().flatten()).chain(t.weights.iter().flatten());
        for v in all {
            prop_assert!(v.is_finite());
        }
        prop_assert_eq!(t.path.len(), t.step_lr.len() + 1);
    }
}
