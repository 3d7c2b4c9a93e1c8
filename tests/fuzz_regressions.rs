//! Replays the inputs the fuzzers found (`fuzz/regressions/`) in the normal test suite, with
//! the same checks as the fuzz targets (`lr_playground::core::checks`), so every fixed
//! finding stays fixed.

use lr_playground::core::checks::{params_set_lines, url_round_trip};
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
    assert!(!out.is_empty(), "no saved inputs in {}", dir.display());
    out.sort();
    out
}

#[test]
fn url_decode_findings_stay_fixed() {
    for (name, fragment) in inputs("url_decode") {
        if let Err(broken) = url_round_trip(&fragment) {
            panic!("{name}: {broken}");
        }
    }
}

#[test]
fn params_set_findings_stay_fixed() {
    for (name, input) in inputs("params_set") {
        if let Err(broken) = params_set_lines(&input) {
            panic!("{name}: {broken}");
        }
    }
}
