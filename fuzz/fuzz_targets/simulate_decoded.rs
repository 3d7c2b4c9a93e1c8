//! The page's whole path for a link: `url::decode`, then what the page does with the
//! config: simulate it (bounded by `lr_playground_fuzz::bound`: ≤ 20 epochs, ≤ 64
//! points, ≤ 20 quadratic steps an epoch), list and read its controls, write its formula and PyTorch code. Nothing may
//! panic, and the trace must hold only finite numbers and no negative lr.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::codegen::pytorch_code;
use lr_playground::core::explain::formula;
use lr_playground::core::params::{get, sim_params};
use lr_playground::core::url::decode;
use lr_playground_fuzz::{simulate_checked, text};

fuzz_target!(|data: &[u8]| {
    let d = decode(&text(data));
    simulate_checked(&d.cfg);
    for spec in sim_params(&d.cfg) {
        let _ = get(&d.cfg, &spec.key);
    }
    if let Some(s) = &d.cfg.scheduler {
        let _ = formula(s, d.cfg.optimizer.lr);
    }
    let _ = pytorch_code(&d.cfg);
});
