//! The core's explain / codegen / presets API as the UI uses it (one place to adapt).

use crate::core::schedulers::SchedulerConfig;
use crate::core::sim::SimConfig;

pub use crate::core::presets::{presets, Preset};

pub fn formula(s: &SchedulerConfig, lr: f64) -> String {
    crate::core::explain::formula(s, lr)
}

pub fn counter_at(s: &SchedulerConfig, per_batch: bool, steps_per_epoch: usize, epoch: usize) -> Option<String> {
    crate::core::explain::counter_at(s, per_batch, steps_per_epoch, epoch)
}

pub fn counter_note(s: &SchedulerConfig, per_batch: bool, steps_per_epoch: usize) -> Option<String> {
    crate::core::explain::counter_note(s, per_batch, steps_per_epoch)
}

pub fn when_to_use(name: &str) -> &'static str {
    crate::core::explain::when_to_use(name)
}

pub fn pytorch_code(cfg: &SimConfig) -> String {
    crate::core::codegen::pytorch_code(cfg)
}
