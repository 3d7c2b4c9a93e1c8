//! `url::decode` on any text: it must never panic, what it returns must validate, and the
//! link the app writes for it (`url::encode`) must decode back to the same set-up and view
//! with no notice, and encode to the same link again (unless that link is longer than
//! `url::MAX_FRAGMENT`, which `decode` cuts by design). The checks are
//! `lr_playground::core::checks::url_round_trip`, shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::checks::url_round_trip;
use lr_playground_fuzz::text;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = url_round_trip(&text(data)) {
        panic!("{broken}");
    }
});
