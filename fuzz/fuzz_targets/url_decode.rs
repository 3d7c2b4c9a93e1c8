//! `url::decode` on any text: it must never panic, what it returns must validate, and the
//! link the app writes for it (`url::encode`) must decode back to the same set-up and view
//! with no notice, and encode to the same link again (unless that link is longer than
//! `url::MAX_FRAGMENT`, which `decode` cuts by design).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::url::{decode, encode};
use lr_playground_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let fragment = text(data);
    let d = decode(&fragment);
    if let Err(e) = d.cfg.validate() {
        panic!("decode returned an invalid config: {}\nconfig: {:?}", e.message, d.cfg);
    }
    let link = encode(&d.cfg, &d.view);
    if link.len() > lr_playground::core::url::MAX_FRAGMENT {
        return; // a link over the limit is cut by design (raw characters re-encode longer)
    }
    let again = decode(&link);
    assert_eq!(again.cfg, d.cfg, "decode(encode(cfg)) changed the config; link: {link}");
    assert_eq!(again.view, d.view, "decode(encode(view)) changed the view; link: {link}");
    assert!(again.notices.is_empty(), "the app's own link {link} decodes with notices: {:?}", again.notices);
    assert_eq!(encode(&again.cfg, &again.view), link, "encode is not stable");
});
