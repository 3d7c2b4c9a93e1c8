//! Replays the inputs the fuzzers found (`fuzz/regressions/`) in the normal test suite, with
//! the same checks as the fuzz targets, so every fixed finding stays fixed.

use lr_playground::core::params::{get, set, sim_params};
use lr_playground::core::sim::SimConfig;
use lr_playground::core::url::{decode, encode, MAX_FRAGMENT};
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default()))
                .map(|(name, bytes)| (name, String::from_utf8_lossy(&bytes).into_owned()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn url_decode_findings_stay_fixed() {
    for (name, fragment) in inputs("url_decode") {
        let d = decode(&fragment);
        assert!(d.cfg.validate().is_ok(), "{name}: invalid config");
        let link = encode(&d.cfg, &d.view);
        if link.len() > MAX_FRAGMENT {
            continue;
        }
        let again = decode(&link);
        assert_eq!(again.cfg, d.cfg, "{name}: decode(encode(cfg)) changed the config");
        assert_eq!(again.view, d.view, "{name}: decode(encode(view)) changed the view");
        assert!(again.notices.is_empty(), "{name}: the app's own link has notices: {:?}", again.notices);
    }
}

#[test]
fn params_set_findings_stay_fixed() {
    for (name, input) in inputs("params_set") {
        let mut cfg = SimConfig::default();
        for line in input.lines().take(32) {
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            let key = match key.strip_prefix('@').and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => {
                    let specs = sim_params(&cfg);
                    specs[n % specs.len()].key.clone()
                }
                None => key.to_string(),
            };
            let Ok(next) = set(&cfg, &key, value) else { continue };
            assert!(next.validate().is_ok(), "{name}: set({key:?}) gave an invalid config");
            if let Some(shown) = get(&next, &key) {
                let again = set(&next, &key, &shown).unwrap_or_else(|e| panic!("{name}: {key} shows {shown:?}: {e}"));
                assert_eq!(again, next, "{name}: {key}");
            }
            cfg = next;
        }
    }
}
