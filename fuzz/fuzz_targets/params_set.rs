//! `params::set` as the UI's text fields call it. The input is lines `key=value`, applied
//! in turn to a default `SimConfig` (a key `@N` means the N-th control the current config
//! shows, so nested children's keys are reached too). A set that succeeds must give a
//! valid config whose field reads back (`params::get`) as text that sets the same config
//! (`lr_playground::core::checks::params_set_lines`, shared with `tests/fuzz_regressions.rs`);
//! the final config is simulated (bounded: ≤ 20 epochs, ≤ 64 points) and rendered as code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::checks::params_set_lines;
use lr_playground::core::codegen::pytorch_code;
use lr_playground::core::params::{get, sim_params};
use lr_playground_fuzz::{simulate_checked, text};

fuzz_target!(|data: &[u8]| {
    let cfg = params_set_lines(&text(data)).unwrap_or_else(|broken| panic!("{broken}"));
    for spec in sim_params(&cfg) {
        let _ = get(&cfg, &spec.key);
    }
    let _ = pytorch_code(&cfg);
    simulate_checked(&cfg);
});
