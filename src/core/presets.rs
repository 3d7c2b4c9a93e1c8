//! Ready-made set-ups: the classic examples from PyTorch's docs, and the situations a
//! course wants to show (warm-up, one cycle, cyclic, divergence, noise).

use crate::core::optim::SgdConfig;
use crate::core::problems::{LogisticConfig, ProblemConfig, QuadraticConfig};
use crate::core::schedulers::{
    CyclicLR, ExponentialLR, OneCycleLR, ReduceLROnPlateau, SchedulerConfig, SequentialLR, StepLR,
};
use crate::core::sim::{SimConfig, Stepping};

/// A named set-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Short id used in the UI and tests.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub cfg: SimConfig,
}

fn logistic() -> ProblemConfig {
    ProblemConfig::Logistic(LogisticConfig::default())
}

/// All presets, in the order the picker shows them.
pub fn presets() -> Vec<Preset> {
    let base = SimConfig::default();
    // 160 training points in batches of 20: 8 steps per epoch.
    let steps_per_epoch = 8;
    vec![
        Preset {
            id: "steplr",
            name: "StepLR: step_size=30, gamma=0.1",
            description: "PyTorch's docs example: the lr drops tenfold every 30 epochs.",
            cfg: SimConfig {
                problem: logistic(),
                optimizer: SgdConfig { lr: 0.1, ..Default::default() },
                scheduler: Some(SchedulerConfig::StepLR(StepLR { step_size: 30, gamma: 0.1 })),
                epochs: 100,
                ..base.clone()
            },
        },
        Preset {
            id: "exponential",
            name: "ExponentialLR: gamma=0.1",
            description: "PyTorch's docs example: ten times smaller every epoch, so training stops almost at once.",
            cfg: SimConfig {
                problem: logistic(),
                optimizer: SgdConfig { lr: 0.1, ..Default::default() },
                scheduler: Some(SchedulerConfig::ExponentialLR(ExponentialLR { gamma: 0.1 })),
                epochs: 20,
                ..base.clone()
            },
        },
        Preset {
            id: "plateau",
            name: "ReduceLROnPlateau: 'min'",
            description: "The lr is cut tenfold when the validation loss stops improving for 10 epochs.",
            cfg: SimConfig {
                problem: ProblemConfig::Logistic(LogisticConfig { label_noise: 0.15, ..Default::default() }),
                optimizer: SgdConfig { lr: 1.0, ..Default::default() },
                scheduler: Some(SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau::default())),
                epochs: 150,
                ..base.clone()
            },
        },
        Preset {
            id: "warmup-cosine",
            name: "Warm-up then cosine",
            description: "LinearLR for 5 epochs, then CosineAnnealingLR to zero: a common modern recipe.",
            cfg: SimConfig {
                problem: logistic(),
                optimizer: SgdConfig { lr: 0.5, momentum: 0.9, ..Default::default() },
                scheduler: Some(SchedulerConfig::SequentialLR(SequentialLR::default())),
                epochs: 100,
                ..base.clone()
            },
        },
        Preset {
            id: "onecycle",
            name: "OneCycleLR (per batch)",
            description: "One warm-up to max_lr and a long anneal, with momentum cycling the other way.",
            cfg: SimConfig {
                problem: logistic(),
                optimizer: SgdConfig { lr: 0.1, momentum: 0.9, ..Default::default() },
                scheduler: Some(SchedulerConfig::OneCycleLR(OneCycleLR {
                    max_lr: 1.0,
                    total_steps: Some(50 * steps_per_epoch),
                    ..Default::default()
                })),
                epochs: 50,
                stepping: Stepping::Batch,
                ..base.clone()
            },
        },
        Preset {
            id: "cyclic",
            name: "CyclicLR: triangular (per batch)",
            description: "The lr bounces between base_lr and max_lr every 80 batches.",
            cfg: SimConfig {
                problem: logistic(),
                optimizer: SgdConfig { lr: 0.01, momentum: 0.9, ..Default::default() },
                scheduler: Some(SchedulerConfig::CyclicLR(CyclicLR {
                    base_lr: 0.01,
                    max_lr: 1.0,
                    step_size_up: 40,
                    ..Default::default()
                })),
                epochs: 60,
                stepping: Stepping::Batch,
                ..base.clone()
            },
        },
        Preset {
            id: "divergence",
            name: "LR too high: divergence",
            description: "On a bowl with λmax = 1, any constant lr above 2 makes SGD overshoot further every step.",
            cfg: SimConfig {
                problem: ProblemConfig::Quadratic(QuadraticConfig { kappa: 10.0, angle: 30.0, ..Default::default() }),
                optimizer: SgdConfig { lr: 2.2, ..Default::default() },
                scheduler: None,
                epochs: 100,
                ..base.clone()
            },
        },
        Preset {
            id: "noise-decay",
            name: "Noisy gradients: why decay helps",
            description: "With gradient noise, a constant lr stalls at a noise floor; StepLR's drops go below it.",
            cfg: SimConfig {
                problem: ProblemConfig::Quadratic(QuadraticConfig {
                    kappa: 5.0,
                    angle: 30.0,
                    noise: 0.5,
                    steps_per_epoch: 10,
                }),
                optimizer: SgdConfig { lr: 0.5, ..Default::default() },
                scheduler: Some(SchedulerConfig::StepLR(StepLR { step_size: 25, gamma: 0.3 })),
                epochs: 100,
                ..base
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sim::simulate;

    fn run(id: &str) -> crate::core::sim::Trace {
        let p = presets().into_iter().find(|p| p.id == id).unwrap();
        simulate(&p.cfg.problem.build(p.cfg.seed), &p.cfg).unwrap()
    }

    #[test]
    fn every_preset_is_valid_and_runs() {
        for p in presets() {
            assert!(p.cfg.validate().is_ok(), "{}", p.id);
            let t = simulate(&p.cfg.problem.build(p.cfg.seed), &p.cfg).unwrap();
            assert!(t.halted.is_none(), "{}: {:?}", p.id, t.halted);
            assert!(!t.is_empty());
        }
    }

    #[test]
    fn presets_show_what_they_promise() {
        let t = run("steplr");
        assert_eq!((t.lr[29], t.lr[30], t.lr[60]), (0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1));
        assert!(run("plateau").plateau.iter().any(|p| p.reduced));
        assert!(run("divergence").divergence.is_some());
        assert!(run("noise-decay").divergence.is_none());
        let t = run("onecycle");
        assert_eq!(t.len(), 50);
        let peak = t.step_lr.iter().cloned().fold(0.0, f64::max);
        assert!((peak - 1.0).abs() < 1e-2, "{peak}");
        assert!(t.momentum.iter().any(|&m| m < 0.9));
    }
}
