//! Export: the current run as CSV (one row per epoch) and each chart as PNG, downloaded
//! through a Blob, an object URL and a temporary `<a download>`.

use super::state::AppState;
use crate::core::problems::ProblemConfig;
use crate::core::sim::Trace;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const CSV_HEADER: &str = "epoch,lr,momentum,train_loss,val_loss,accuracy,w0,w1,bias";
pub const CSV_NAME: &str = "lr-playground.csv";

/// A number for CSV: the shortest text that reads back to the same f64 (exponent for very
/// small or large values, which spreadsheets and pandas read too).
pub fn csv_num(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = v.abs();
    if a == 0.0 || (1e-4..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The trace as CSV: a header and one row per finished epoch. Row k (1-based `epoch`) has
/// the lr and momentum used during epoch k and the losses, accuracy and weights after it.
/// Cells that do not apply (validation and accuracy on the quadratic, its bias) are empty.
pub fn trace_csv(t: &Trace, has_bias: bool) -> String {
    let mut out = String::with_capacity(64 * (t.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    let opt = |v: Option<&f64>| v.map(|v| csv_num(*v)).unwrap_or_default();
    for e in 0..t.len() {
        let w = t.weights.get(e);
        let cells = [
            (e + 1).to_string(),
            csv_num(t.lr[e]),
            opt(t.momentum.get(e)),
            opt(t.train_loss.get(e)),
            opt(t.val_loss.get(e)),
            opt(t.accuracy.get(e)),
            opt(w.map(|w| &w[0])),
            opt(w.map(|w| &w[1])),
            if has_bias { opt(w.map(|w| &w[2])) } else { String::new() },
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Click a temporary `<a download>` for `href`.
fn click_download(href: &str, name: &str) -> Result<(), JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    a.set_href(href);
    a.set_download(name);
    a.set_attribute("hidden", "")?;
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    Ok(())
}

/// Download a Blob under `name`; the object URL is released a little later.
fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let res = click_download(&url, name);
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(5),
    );
    res
}

pub fn download_text(text: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    download_blob(&blob, name)
}

/// Download the chart canvas `#<kind>-chart` as `lr-playground-<kind>.png`.
pub fn download_chart(kind: &str) -> Result<(), JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let cv: web_sys::HtmlCanvasElement = doc
        .get_element_by_id(&format!("{kind}-chart"))
        .ok_or_else(|| JsValue::from_str("the chart is not shown"))?
        .dyn_into()?;
    let name = format!("lr-playground-{kind}.png");
    let cb = Closure::once_into_js(move |blob: JsValue| {
        if let Some(blob) = blob.dyn_ref::<web_sys::Blob>() {
            if let Err(e) = download_blob(blob, &name) {
                web_sys::console::warn_2(&"PNG download failed:".into(), &e);
            }
        }
    });
    cv.to_blob_with_type(cb.unchecked_ref(), "image/png")
}

/// (chart kind, button text). The texts are ASCII, so the aria-labels lower-case them with
/// `to_ascii_lowercase` (`str::to_lowercase` would pull in the Unicode case tables, ~6 kB gzip).
const CHARTS: [(&str, &str); 3] = [("lr", "Learning rate"), ("loss", "Loss"), ("params", "Parameter space")];

/// The export card: CSV of the run and a PNG of each chart shown.
#[component]
pub fn Export() -> impl IntoView {
    let st = expect_context::<AppState>();
    let csv = move |_| {
        let Ok(t) = st.trace.get_untracked() else { return };
        let has_bias = st.cfg.with_untracked(|c| matches!(c.problem, ProblemConfig::Logistic(_)));
        if let Err(e) = download_text(&trace_csv(&t, has_bias), "text/csv", CSV_NAME) {
            web_sys::console::warn_2(&"CSV download failed:".into(), &e);
        }
    };
    let shown = move |k: &str| st.view.with(|v| v.show.as_ref().is_none_or(|s| s.iter().any(|x| x == k)));
    let no_run = move || st.trace.with(|t| t.as_ref().map(|t| t.is_empty()).unwrap_or(true));
    view! {
        <section class="card export" aria-label="Export">
            <h2>"Export"</h2>
            <div class="row">
                <button type="button" class="download-csv" on:click=csv disabled=no_run
                    title="One row per epoch: lr, momentum, losses, accuracy, weights">"Download CSV"</button>
            </div>
            <div class="row png-row">
                <span class="row-label" aria-hidden="true">"PNG:"</span>
                {CHARTS.into_iter().map(|(k, title)| view! {
                    <button type="button" class="download-png" data-chart=k hidden=move || !shown(k)
                        aria-label=format!("Download the {} chart as PNG", title.to_ascii_lowercase())
                        on:click=move |_| {
                            if let Err(e) = download_chart(k) {
                                web_sys::console::warn_2(&"PNG download failed:".into(), &e);
                            }
                        }>{title}</button>
                }).collect_view()}
            </div>
            <p class="hint">"CSV: one row per epoch (lr, momentum, losses, accuracy, weights)."</p>
        </section>
    }
}
