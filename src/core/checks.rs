//! The invariants two fuzz targets check (`fuzz/fuzz_targets/url_decode.rs` and
//! `params_set.rs`), as plain functions, so that `tests/fuzz_regressions.rs` replays their
//! saved findings with exactly the same checks. Each returns the first broken invariant as
//! a message. (Not used by the app; the release build leaves them out.)

use crate::core::params::{get, set, sim_params};
use crate::core::sim::SimConfig;
use crate::core::url::{decode, encode, MAX_FRAGMENT};

/// Most `key=value` lines [`params_set_lines`] applies.
pub const MAX_SETS: usize = 32;

/// `url::decode` on any text: what it returns validates, and the link the app writes for it
/// (`url::encode`) decodes back to the same set-up and view with no notice and encodes to
/// the same link again (unless that link is longer than `MAX_FRAGMENT`, which `decode`
/// cuts by design).
pub fn url_round_trip(fragment: &str) -> Result<(), String> {
    let d = decode(fragment);
    if let Err(e) = d.cfg.validate() {
        return Err(format!("decode returned an invalid config: {}\nconfig: {:?}", e.message, d.cfg));
    }
    let link = encode(&d.cfg, &d.view);
    if link.len() > MAX_FRAGMENT {
        return Ok(());
    }
    let again = decode(&link);
    if again.cfg != d.cfg {
        return Err(format!("decode(encode(cfg)) changed the config; link: {link}"));
    }
    if again.view != d.view {
        return Err(format!("decode(encode(view)) changed the view; link: {link}"));
    }
    if !again.notices.is_empty() {
        return Err(format!("the app's own link {link} decodes with notices: {:?}", again.notices));
    }
    if encode(&again.cfg, &again.view) != link {
        return Err(format!("encode is not stable; link: {link}"));
    }
    Ok(())
}

/// `params::set` as the UI's text fields call it, on lines `key=value` (at most
/// [`MAX_SETS`]) applied in turn to a default `SimConfig`; a key `@N` means the N-th control
/// the current config shows, so nested children's keys are reached too. A set that succeeds
/// must give a valid config whose field reads back (`params::get`) as text that sets the same
/// config. Returns the final config.
pub fn params_set_lines(input: &str) -> Result<SimConfig, String> {
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
            return Err(format!("set({key:?}, {value:?}) returned an invalid config: {}", e.message));
        }
        if let Some(shown) = get(&next, &key) {
            match set(&next, &key, &shown) {
                Ok(again) if again == next => {}
                Ok(_) => return Err(format!("setting {key} to its shown value {shown:?} changed the config")),
                Err(e) => {
                    return Err(format!("set({key:?}, {value:?}) shows {shown:?}, which set rejects: {}", e.message))
                }
            }
        }
        cfg = next;
    }
    Ok(cfg)
}
