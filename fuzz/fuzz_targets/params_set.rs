//! `params::set` as the UI's text fields call it. The input is lines `key=value`, applied
//! in turn to a default `SimConfig` (a key `@N` means the N-th control the current config
//! shows, so nested children's keys are reached too). A set that succeeds must give a
//! valid config whose field reads back (`params::get`) as text that sets the same config;
//! the final config is simulated (bounded: ≤ 50 epochs, ≤ 200 points) and rendered as code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::codegen::pytorch_code;
use lr_playground::core::params::{get, set, sim_params};
use lr_playground::core::sim::SimConfig;
use lr_playground_fuzz::{simulate_checked, text};

/// Most lines applied per input.
const MAX_SETS: usize = 32;

fuzz_target!(|data: &[u8]| {
    let input = text(data);
    let mut cfg = SimConfig::default();
    for line in input.lines().take(MAX_SETS) {
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        let key = match key.strip_prefix('@').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => {
                let specs = sim_params(&cfg);
                specs[n % specs.len()].key.clone()
            }
            None => key.to_string(),
        };
        let Ok(next) = set(&cfg, &key, value) else { continue };
        if let Err(e) = next.validate() {
            panic!("set({key:?}, {value:?}) returned an invalid config: {}", e.message);
        }
        if let Some(shown) = get(&next, &key) {
            match set(&next, &key, &shown) {
                Ok(again) => assert_eq!(again, next, "setting {key} to its shown value {shown:?} changed the config"),
                Err(e) => panic!("set({key:?}, {value:?}) shows {shown:?}, which set rejects: {}", e.message),
            }
        }
        cfg = next;
    }
    for spec in sim_params(&cfg) {
        let _ = get(&cfg, &spec.key);
    }
    let _ = pytorch_code(&cfg);
    simulate_checked(&cfg);
});
