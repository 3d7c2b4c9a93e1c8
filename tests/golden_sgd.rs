//! Parity with PyTorch: every case of `$GOLDEN_DIR/sgd.json` (SGD with a scheduler on the
//! toy problems, recorded from PyTorch in float64) is replayed through the simulator's
//! training loop and compared epoch by epoch (the replay is `common::sgd_failures`; the
//! browser tests in `tests/web.rs` run it in wasm too).

mod common;

#[test]
fn sgd_matches_pytorch() {
    let (cases, failures) = common::sgd_failures(&common::load("sgd.json"));
    assert!(failures.is_empty(), "{} mismatch(es) with PyTorch:\n{}", failures.len(), failures.join("\n"));
    println!("{cases} SGD cases match PyTorch");
}
