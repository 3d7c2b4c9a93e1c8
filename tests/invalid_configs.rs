//! Every class of invalid scheduler config, and the exact message the student gets.
//! (Run with `--nocapture` to print the list.)

use lr_playground::core::schedulers::{trace, ConfigErrorKind as K, SchedulerConfig};

/// (what is wrong, the config as JSON, the kind, the message shown).
const CASES: &[(&str, &str, K, &str)] = &[
    (
        "non-positive gamma",
        r#"{"type": "StepLR", "step_size": 30, "gamma": -0.5}"#,
        K::NotPositive,
        "StepLR: `gamma` must be greater than 0, got -0.5",
    ),
    (
        "non-positive step_size",
        r#"{"type": "StepLR", "step_size": 0}"#,
        K::NotPositive,
        "StepLR: `step_size` must be a whole number of at least 1, got 0",
    ),
    (
        "T_max < 1",
        r#"{"type": "CosineAnnealingLR", "T_max": 0}"#,
        K::NotPositive,
        "CosineAnnealingLR: `T_max` must be a whole number of at least 1, got 0",
    ),
    (
        "T_0 < 1",
        r#"{"type": "CosineAnnealingWarmRestarts", "T_0": -3}"#,
        K::NotPositive,
        "CosineAnnealingWarmRestarts: `T_0` must be a whole number of at least 1, got -3",
    ),
    (
        "bad mode",
        r#"{"type": "ReduceLROnPlateau", "mode": "minimum"}"#,
        K::BadChoice,
        "ReduceLROnPlateau: `mode` must be one of `min`, `max`, got `minimum`",
    ),
    (
        "bad CyclicLR mode",
        r#"{"type": "CyclicLR", "base_lr": 0.001, "max_lr": 0.1, "mode": "sawtooth"}"#,
        K::BadChoice,
        "CyclicLR: `mode` must be one of `triangular`, `triangular2`, `exp_range`, got `sawtooth`",
    ),
    (
        "pct_start outside (0,1)",
        r#"{"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 100, "pct_start": 1.5}"#,
        K::OutOfRange,
        "OneCycleLR: `pct_start` must be strictly between 0 and 1, got 1.5",
    ),
    (
        "max_lr < base_lr",
        r#"{"type": "CyclicLR", "base_lr": 0.1, "max_lr": 0.01}"#,
        K::OutOfRange,
        "CyclicLR: `max_lr` (0.01) must be at least base_lr (0.1)",
    ),
    (
        "milestones count not one less than schedulers",
        r#"{"type": "SequentialLR", "schedulers": [{"type": "LinearLR"}, {"type": "ExponentialLR", "gamma": 0.9}], "milestones": [5, 10]}"#,
        K::MilestoneCount,
        "SequentialLR: `milestones` must list one epoch fewer than there are schedulers: 2 schedulers need 1 milestone, got 2",
    ),
    (
        "one scheduler with a milestone",
        r#"{"type": "SequentialLR", "schedulers": [{"type": "LinearLR"}], "milestones": [5]}"#,
        K::MilestoneCount,
        "SequentialLR: `milestones` must list one epoch fewer than there are schedulers: 1 scheduler needs 0 milestones, got 1",
    ),
    (
        "ReduceLROnPlateau in SequentialLR",
        r#"{"type": "SequentialLR", "schedulers": [{"type": "LinearLR"}, {"type": "ReduceLROnPlateau"}], "milestones": [5]}"#,
        K::PlateauInComposite,
        "SequentialLR: `schedulers[1]` is ReduceLROnPlateau, which cannot be combined: it needs the metric passed to step(), which SequentialLR and ChainedScheduler do not pass on. Use it on its own.",
    ),
    (
        "ReduceLROnPlateau in ChainedScheduler",
        r#"{"type": "ChainedScheduler", "schedulers": [{"type": "ReduceLROnPlateau"}]}"#,
        K::PlateauInComposite,
        "ChainedScheduler: `schedulers[0]` is ReduceLROnPlateau, which cannot be combined: it needs the metric passed to step(), which SequentialLR and ChainedScheduler do not pass on. Use it on its own.",
    ),
    (
        "unknown type",
        r#"{"type": "WarmupLR", "warmup": 5}"#,
        K::UnknownType,
        "unknown scheduler type `WarmupLR`; allowed: StepLR, MultiStepLR, ExponentialLR, PolynomialLR, CosineAnnealingLR, LambdaLR, MultiplicativeLR, ConstantLR, LinearLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, ReduceLROnPlateau, SequentialLR, ChainedScheduler",
    ),
    (
        "unknown field",
        r#"{"type": "StepLR", "step_size": 30, "gama": 0.1}"#,
        K::UnknownField,
        "unknown parameter `gama`; this scheduler takes: `step_size`, `gamma`",
    ),
    (
        "missing required parameter",
        r#"{"type": "StepLR", "gamma": 0.1}"#,
        K::Malformed,
        "invalid scheduler config: missing field `step_size`",
    ),
    (
        "non-finite number (overflowing literal)",
        r#"{"type": "ExponentialLR", "gamma": 1e999}"#,
        K::Malformed,
        "invalid scheduler config: number out of range",
    ),
    (
        "lr_lambda that does not parse",
        r#"{"type": "LambdaLR", "lr_lambda": "0.95 ** "}"#,
        K::Expression { column: 9 },
        "LambdaLR: `lr_lambda` does not parse: column 9: expected a number, a name or `(`, found the end of the input",
    ),
    (
        "nested composite SequentialLR can't step",
        r#"{"type": "SequentialLR", "schedulers": [{"type": "LinearLR"}, {"type": "ChainedScheduler", "schedulers": [{"type": "ExponentialLR", "gamma": 0.9}]}], "milestones": [5]}"#,
        K::BadNesting,
        "SequentialLR: `schedulers[1]` is a ChainedScheduler, which PyTorch cannot run inside SequentialLR; list its schedulers directly",
    ),
];

#[test]
fn every_invalid_class_has_a_clear_message() {
    let mut failures = Vec::new();
    for (what, json, kind, message) in CASES {
        match SchedulerConfig::from_json(json) {
            Ok(_) => failures.push(format!("{what}: accepted {json}")),
            Err(e) => {
                println!("{what:<48} → {}", e.message);
                if e.kind != *kind || e.message != *message {
                    failures
                        .push(format!("{what}:\n  got  {:?}: {}\n  want {:?}: {}", e.kind, e.message, kind, message));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn non_finite_numbers_from_the_ui_are_rejected() {
    // JSON cannot carry NaN or ±inf, but the UI and URL can: validation catches them.
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let cfg = SchedulerConfig::ExponentialLR(lr_playground::core::schedulers::ExponentialLR { gamma: v });
        let e = cfg.validate().unwrap_err();
        assert_eq!(e.kind, K::NotFinite);
        assert!(e.message.starts_with("ExponentialLR: `gamma` must be a finite number, got"), "{}", e.message);
    }
}

#[test]
fn one_cycle_refuses_to_step_past_total_steps() {
    let cfg = SchedulerConfig::from_json(r#"{"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 10}"#).unwrap();
    let (points, err) = trace(Some(&cfg), 0.1, 0.9, 11, &[]).unwrap();
    assert_eq!(points.len(), 11);
    assert_eq!(
        err.unwrap().message,
        "OneCycleLR was stepped 11 times but total_steps is 10: it cannot go past the end of its cycle \
         (make total_steps at least the number of scheduler steps, e.g. epochs × batches per epoch)"
    );
}
