//! Sharing: reading the URL fragment for the UI (the core decodes; this checks the view
//! options against what the UI can show), the "Copy link" button, and the embed's
//! "Open in LR Playground" link.

use super::params;
use super::state::AppState;
use crate::core::url::{self, Decoded, ViewOptions};
use leptos::prelude::*;
use std::time::Duration;

/// The panels `show=` can name.
pub const PANELS: [&str; 5] = ["lr", "loss", "params", "code", "formula"];

/// `url::decode`, then drop `show`/`controls` entries the UI does not know (with a notice),
/// so a garbled link never leaves an empty page: no known entry left means "all".
pub fn decode(fragment: &str) -> Decoded {
    let mut d = url::decode(fragment);
    sanitize_view(&mut d);
    d
}

fn sanitize_view(d: &mut Decoded) {
    if let Some(show) = d.view.show.take() {
        let (ok, bad): (Vec<String>, Vec<String>) = show.into_iter().partition(|s| PANELS.contains(&s.as_str()));
        if !bad.is_empty() {
            d.notices.push(format!(
                "ignored `show={}`: unknown panel{}; the panels are {}",
                bad.join(","),
                if bad.len() == 1 { "" } else { "s" },
                PANELS.join(", ")
            ));
        }
        d.view.show = if ok.is_empty() { None } else { Some(ok) };
    }
    if let Some(controls) = d.view.controls.take() {
        let keys: Vec<String> = params::sim_params(&d.cfg).into_iter().map(|s| s.key).collect();
        let (ok, bad): (Vec<String>, Vec<String>) = controls.into_iter().partition(|c| keys.contains(c));
        if !bad.is_empty() {
            d.notices.push(format!(
                "ignored `controls={}`: no such control{} in this set-up",
                bad.join(","),
                if bad.len() == 1 { "" } else { "s" },
            ));
        }
        d.view.controls = if ok.is_empty() { None } else { Some(ok) };
    }
}

/// The page's URL without its fragment.
pub fn base_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// The full playground for the current set-up (no embed, all panels and controls).
pub fn full_app_url(st: &AppState) -> String {
    let view = st.view.with(|v| ViewOptions {
        present: v.present,
        log_loss: v.log_loss,
        log_lr: v.log_lr,
        ..Default::default()
    });
    format!("{}#{}", base_url(), link_fragment(st, &view))
}

/// The fragment of the set-up on screen with `view`, and the runs pinned beside it.
pub fn link_fragment(st: &AppState, view: &ViewOptions) -> String {
    st.cfg.with(|c| st.pins.with(|p| url::encode_with_pins(c, view, p.iter().map(|p| &p.cfg))))
}

/// Copy `text` to the clipboard; `done(true)` on success, `done(false)` when the browser
/// refuses (no `navigator.clipboard` on insecure origins, or permission denied).
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else { return done(false) };
    let has = js_sys::Reflect::get(&nav, &"clipboard".into()).map(|v| !v.is_undefined()).unwrap_or(false);
    if !has {
        return done(false);
    }
    let promise = nav.clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// "Copy link": copies the link of the set-up on screen (the page's address with the
/// fragment `url::encode` writes, which the address bar gets too once the user pauses).
#[component]
pub fn CopyLink() -> impl IntoView {
    let st = expect_context::<AppState>();
    // Copied, with whether a field held a value that is not in the link, or failed.
    let state = RwSignal::new(None::<Result<bool, ()>>);
    let seq = StoredValue::new(0u32);
    let copy = move |_| {
        // The link of what is on screen now (the address bar is updated once the user pauses).
        let href = format!("{}#{}", base_url(), st.view.with(|v| link_fragment(&st, v)));
        // An error kept for a control no longer shown (another scheduler) does not count.
        let invalid = st.errors.with(|e| st.controls.with(|c| c.iter().any(|(s, _)| e.contains_key(&s.key))));
        copy_text(&href, move |ok| {
            state.set(Some(if ok { Ok(invalid) } else { Err(()) }));
            seq.update_value(|s| *s += 1);
            let mine = seq.get_value();
            set_timeout(
                move || {
                    if seq.try_get_value() == Some(mine) {
                        state.set(None);
                    }
                },
                Duration::from_millis(2000),
            );
        });
    };
    view! {
        <button type="button" class="copy-link" on:click=copy
            title="Copy a link to this exact set-up">
            {move || match state.get() {
                Some(Ok(false)) => "Copied ✓",
                Some(Ok(true)) => "Copied ✓ (last valid values)",
                Some(Err(())) => "Copy failed: use the address bar",
                None => "Copy link",
            }}
        </button>
        <span class="sr-only" role="status">{move || match state.get() {
            Some(Ok(false)) => "Link copied to the clipboard",
            Some(Ok(true)) => "Link copied; a field with an invalid value is in it with its last valid value",
            Some(Err(())) => "Could not copy the link",
            None => "",
        }}</span>
    }
}

/// In embed mode: a small link to the full playground with the same set-up.
#[component]
pub fn OpenFull() -> impl IntoView {
    let st = expect_context::<AppState>();
    let href = move || full_app_url(&st);
    view! {
        <p class="open-full">
            <a href=href target="_blank" rel="noopener">
                "Open in LR Playground ↗"
                <span class="sr-only">" (opens in a new tab)"</span>
            </a>
        </p>
    }
}
