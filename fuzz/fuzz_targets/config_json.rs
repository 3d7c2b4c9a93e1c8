//! `SchedulerConfig::from_json` on any text. A config it accepts must validate, survive a
//! JSON round trip unchanged, and run: 200 scheduler steps (every lr finite and ≥ 0), its
//! formula and its PyTorch code, none of which may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::codegen::pytorch_code;
use lr_playground::core::explain::formula;
use lr_playground::core::schedulers::{trace, SchedulerConfig};
use lr_playground::core::sim::SimConfig;
use lr_playground_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let json = text(data);
    let Ok(cfg) = SchedulerConfig::from_json(&json) else { return };
    if let Err(e) = cfg.validate() {
        panic!("from_json accepted an invalid config: {}", e.message);
    }
    let written = serde_json::to_string(&cfg).expect("serialize");
    match SchedulerConfig::from_json(&written) {
        Ok(back) => assert_eq!(back, cfg, "JSON round trip changed the config: {written}"),
        Err(e) => panic!("from_json rejects its own output {written}: {}", e.message),
    }
    if let Ok((points, _)) = trace(Some(&cfg), 0.1, 0.9, 200, &[]) {
        for (k, p) in points.iter().enumerate() {
            assert!(p.lr.is_finite() && p.lr >= 0.0 && p.momentum.is_finite(), "step {k}: {p:?}");
        }
    }
    let _ = formula(&cfg, 0.1);
    let _ = pytorch_code(&SimConfig { scheduler: Some(cfg), ..SimConfig::default() });
});
