//! Export: the current run as CSV (one row per epoch) and each chart as PNG, downloaded
//! through a Blob, an object URL and a temporary `<a download>`.

use super::classroom::Classroom;
use super::frame::Palette;
use super::params::{self, Group};
use super::state::AppState;
use crate::core::problems::ProblemConfig;
use crate::core::sim::{SimConfig, Trace};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const CSV_HEADER: &str = "epoch,lr,momentum,train_loss,val_loss,accuracy,w0,w1,bias";
/// Stepped per batch, the lr and momentum change within an epoch: the columns say which batch
/// they were read at, and the epoch's last batch's lr is added.
pub const CSV_HEADER_PER_BATCH: &str =
    "epoch,lr_first_batch,lr_last_batch,momentum_first_batch,train_loss,val_loss,accuracy,w0,w1,bias";
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
/// the lr and momentum used during epoch k (when the scheduler steps per batch: at its first
/// batch, and the lr at its last) and the losses, accuracy and weights after it. Cells that do
/// not apply (validation and accuracy on the quadratic, its bias) are empty.
pub fn trace_csv(t: &Trace, has_bias: bool, per_batch: bool) -> String {
    let mut out = String::with_capacity(64 * (t.len() + 1));
    out.push_str(if per_batch { CSV_HEADER_PER_BATCH } else { CSV_HEADER });
    out.push('\n');
    let opt = |v: Option<&f64>| v.map(|v| csv_num(*v)).unwrap_or_default();
    for e in 0..t.len() {
        let w = t.weights.get(e);
        let lr = csv_num(t.lr[e]);
        let cells = [
            (e + 1).to_string(),
            if per_batch { format!("{lr},{}", opt(t.last_step_lr(e).as_ref())) } else { lr },
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

pub const STEPS_CSV_HEADER: &str = "step,epoch,batch,lr,momentum,w0,w1,bias";
pub const STEPS_CSV_NAME: &str = "lr-playground-steps.csv";

/// The run as CSV with one row per SGD step, for a scheduler stepped every batch (whose lr
/// moves within an epoch, which the per-epoch CSV cannot show): the step (from 1), its epoch
/// and batch (from 1), the lr and momentum the step used and the weights after it. The
/// momentum is the schedule's (`schedulers::trace`; a scheduler stepped per batch does not
/// read the loss), the rest is the run's own record.
pub fn steps_csv(cfg: &SimConfig, t: &Trace, has_bias: bool) -> String {
    let mut out = String::new();
    steps_csv_chunks(cfg, t, has_bias, usize::MAX, |part| out.push_str(part));
    out
}

/// [`steps_csv`] handed to `emit` in parts of about `chunk` bytes: a million steps make about
/// 120 MB of text, which need not be in the wasm memory (which never shrinks) all at once.
pub fn steps_csv_chunks(cfg: &SimConfig, t: &Trace, has_bias: bool, chunk: usize, mut emit: impl FnMut(&str)) {
    use std::fmt::Write;
    let n = t.step_lr.len();
    let schedule =
        crate::core::schedulers::trace(cfg.scheduler.as_ref(), cfg.optimizer.lr, cfg.optimizer.momentum, n, &[])
            .map(|(points, _)| points)
            .unwrap_or_default();
    let spe = t.steps_per_epoch.max(1);
    let mut buf = String::with_capacity(chunk.min(1 << 20) + 256);
    buf.push_str(STEPS_CSV_HEADER);
    buf.push('\n');
    for (k, lr) in t.step_lr.iter().enumerate() {
        let w = t.path.get(k + 1);
        let cell = |i: usize| w.map(|w| csv_num(w[i])).unwrap_or_default();
        let momentum = schedule.get(k).map(|p| csv_num(p.momentum)).unwrap_or_default();
        let bias = if has_bias { cell(2) } else { String::new() };
        let _ = writeln!(
            buf,
            "{},{},{},{},{momentum},{},{},{bias}",
            k + 1,
            k / spe + 1,
            k % spe + 1,
            csv_num(*lr),
            cell(0),
            cell(1)
        );
        if buf.len() >= chunk {
            emit(&buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        emit(&buf);
    }
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
    download_parts(&js_sys::Array::of1(&JsValue::from_str(text)), mime, name)
}

/// Download the concatenation of `parts` (strings) as one file.
fn download_parts(parts: &js_sys::Array, mime: &str, name: &str) -> Result<(), JsValue> {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(parts, &opts)?;
    download_blob(&blob, name)
}

/// What an exported chart says under its title, enough to rebuild the set-up: the scheduler
/// with every parameter the controls show (a composite's children and milestones too), SGD's
/// lr and whatever else differs from the defaults, the problem and its settings that differ,
/// and the run's length.
pub fn caption(cfg: &SimConfig) -> String {
    let mut base = SimConfig::default();
    if base.problem.name() != cfg.problem.name() {
        base = params::set(&base, "problem", cfg.problem.name()).unwrap_or(base);
    }
    // OneCycleLR and CyclicLR set the lr themselves, and the momentum when they cycle it: the
    // optimizer's own would mislead (as in pin labels).
    let sets_lr = cfg.scheduler.as_ref().is_some_and(|s| s.prefers_per_batch());
    let sets_momentum = cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let (mut sched, mut sgd, mut problem) = (Vec::new(), Vec::new(), Vec::new());
    for (spec, value) in params::values(cfg) {
        let Some(v) = value.filter(|v| !v.is_empty()) else { continue };
        let differs = params::get(&base, &spec.key).as_deref() != Some(v.as_str());
        // A list in brackets: `milestones=[30, 80]`, not `milestones=30, 80`.
        let item = match spec.kind {
            params::ParamKind::IntList => format!("{}=[{v}]", spec.key),
            _ => format!("{}={v}", spec.key),
        };
        match spec.group {
            Group::Scheduler if spec.key != "scheduler" => sched.push(item),
            Group::Optimizer => {
                let shown = match spec.key.as_str() {
                    "lr" => !sets_lr,
                    "momentum" => differs && !sets_momentum,
                    _ => differs,
                };
                if shown {
                    sgd.push(item);
                }
            }
            Group::Problem if spec.key != "problem" && differs => problem.push(item),
            Group::Training if spec.key == "seed" && differs => problem.push(item),
            _ => {}
        }
    }
    let name = cfg.scheduler.as_ref().map_or("no scheduler", |s| s.name());
    let mut s = if sched.is_empty() { name.to_string() } else { format!("{name}({})", sched.join(", ")) };
    s.push_str(&format!(" · SGD({})", sgd.join(", ")));
    s.push_str(match cfg.problem {
        ProblemConfig::Logistic(_) => " · logistic regression",
        ProblemConfig::Quadratic(_) => " · quadratic bowl",
    });
    if !problem.is_empty() {
        s.push_str(&format!(" ({})", problem.join(", ")));
    }
    s.push_str(&format!(", {} epochs", cfg.epochs));
    if cfg.per_batch() {
        s.push_str(", stepped per batch");
    }
    s
}

fn text_width(ctx: &web_sys::CanvasRenderingContext2d, text: &str) -> f64 {
    ctx.measure_text(text).map_or(0.0, |m| m.width())
}

/// `word` in pieces no wider than `width` pixels (a long `lr_lambda` typed without spaces is
/// broken over lines, not cut).
fn pieces(ctx: &web_sys::CanvasRenderingContext2d, word: &str, width: f64) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    for ch in word.chars() {
        piece.push(ch);
        if piece.chars().count() > 1 && text_width(ctx, &piece) > width {
            piece.pop();
            out.push(std::mem::replace(&mut piece, ch.to_string()));
        }
    }
    out.push(piece);
    out
}

/// The lines of `text` that fit in `width` pixels in the context's font (a word wider than
/// the line is broken over lines).
fn wrap(ctx: &web_sys::CanvasRenderingContext2d, text: &str, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace().flat_map(|w| pieces(ctx, w, width)) {
        let next = if line.is_empty() { word.clone() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(ctx, &next) > width {
            lines.push(std::mem::replace(&mut line, word));
        } else {
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The chart `kind` as it is exported: the canvas framed by the chart's title, `caption`, its
/// legend and its summary, read from the page as shown (colours from the theme), so that a
/// PNG pasted into slides or notes says what it shows.
fn export_canvas(kind: &str, caption: &str, cursor: Option<&str>) -> Result<web_sys::HtmlCanvasElement, JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let fig = doc.query_selector(&format!("figure[data-chart={kind}]"))?.ok_or("the chart is not shown")?;
    let cv: web_sys::HtmlCanvasElement =
        doc.get_element_by_id(&format!("{kind}-chart")).ok_or("the chart is not shown")?.dyn_into()?;
    let text_of = |sel: &str| {
        fig.query_selector(sel).ok().flatten().and_then(|e| e.text_content()).unwrap_or_default().trim().to_string()
    };
    let pal = Palette::read();
    let (bg, fg) = (pal.bg.css(), pal.fg.css());
    // (swatch, label, ghost) of each legend entry: `lr`, `ghost2`, ... (its `sw-` class).
    let mut legend = Vec::new();
    let items = fig.query_selector_all(".legend li")?;
    for i in 0..items.length() {
        let Some(li) = items.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let swatch = li
            .query_selector(".swatch")?
            .map(|sw| sw.class_name())
            .and_then(|c| c.split_whitespace().find_map(|c| c.strip_prefix("sw-")).map(str::to_string))
            .unwrap_or_default();
        let label = li.text_content().unwrap_or_default().trim().to_string();
        legend.push((swatch, label, li.class_list().contains("ghost")));
    }
    // The cursor is drawn on the chart: the legend says what it marks.
    if let Some(label) = cursor {
        legend.push(("cursor".to_string(), label.to_string(), false));
    }
    if cv.width() == 0 || cv.client_width() <= 0 {
        return Err("the chart is not shown".into());
    }
    // The canvas's pixels per CSS pixel, and the charts' font scale (presentation mode).
    let scale = f64::from(cv.width()) / f64::from(cv.client_width()) * pal.scale;
    let px = |v: f64| v * scale;
    let pad = px(16.0);
    let width = f64::from(cv.width()) + 2.0 * pad;
    let out: web_sys::HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    out.set_width(width as u32);
    let ctx: web_sys::CanvasRenderingContext2d = out.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
    let font = |size: f64, weight: &str, style: &str| format!("{style} {weight} {}px system-ui, sans-serif", px(size));
    let inner = f64::from(cv.width());
    // Measure first (setting the size clears the canvas and its state).
    ctx.set_font(&font(12.5, "400", "normal"));
    let caption_lines = wrap(&ctx, caption, inner);
    // A run that diverged or stopped says so, as the page's banner does: a curve that ends
    // early is not a schedule that ends there.
    let mut banner_lines: Vec<(String, bool)> = Vec::new();
    let banners = doc.query_selector_all(".banners .banner")?;
    for i in 0..banners.length() {
        let Some(b) = banners.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let danger = b.class_list().contains("danger");
        let text = b.text_content().unwrap_or_default();
        banner_lines.extend(wrap(&ctx, text.trim(), inner).into_iter().map(|l| (l, danger)));
    }
    let summary_lines = wrap(&ctx, &text_of(".summary"), inner);
    // Legend entries flow left to right; one too wide for the line gets rows of its own, its
    // label wrapped (pin labels are long, and their last words tell them apart).
    let mut placed: Vec<(f64, usize, usize, Vec<String>)> = Vec::new(); // (x, row, entry, lines)
    let (mut x, mut row) = (0.0, 0usize);
    for (i, (_, label, ghost)) in legend.iter().enumerate() {
        ctx.set_font(&font(12.0, "400", if *ghost { "italic" } else { "normal" }));
        let w = px(22.0) + text_width(&ctx, label) + px(16.0);
        if x > 0.0 && x + w > inner {
            row += 1;
            x = 0.0;
        }
        let lines = wrap(&ctx, label, inner - px(22.0));
        let tall = lines.len().max(1);
        placed.push((x, row, i, lines));
        if tall > 1 {
            row += tall;
            x = 0.0;
        } else {
            x += w;
        }
    }
    let legend_rows = placed.iter().map(|(_, row, _, lines)| row + lines.len().max(1)).max().unwrap_or(0);
    let line = px(17.0);
    let banner_top = pad + px(22.0) + line * caption_lines.len() as f64;
    let chart_top = banner_top + line * banner_lines.len() as f64 + px(6.0);
    let legend_top = chart_top + f64::from(cv.height()) + px(8.0);
    let summary_top = legend_top + line * legend_rows as f64 + px(4.0);
    let height = summary_top + line * summary_lines.len() as f64 + pad;
    out.set_height(height.ceil() as u32);

    ctx.set_fill_style_str(&bg);
    ctx.fill_rect(0.0, 0.0, width, height);
    ctx.set_text_baseline("top");
    ctx.set_fill_style_str(&fg);
    ctx.set_font(&font(16.0, "650", "normal"));
    ctx.fill_text(&text_of(".chart-title"), pad, pad)?;
    ctx.set_font(&font(12.5, "400", "normal"));
    for (i, l) in caption_lines.iter().enumerate() {
        ctx.fill_text(l, pad, pad + px(22.0) + line * i as f64)?;
    }
    for (i, (l, danger)) in banner_lines.iter().enumerate() {
        ctx.set_fill_style_str(&if *danger { pal.danger.css() } else { fg.clone() });
        ctx.fill_text(l, pad, banner_top + line * i as f64)?;
    }
    ctx.draw_image_with_html_canvas_element(&cv, pad, chart_top)?;
    for (x, row, i, lines) in &placed {
        let (swatch, _, ghost) = &legend[*i];
        let y = legend_top + line * *row as f64;
        draw_swatch(&ctx, swatch, pad + x, y + px(7.5), scale, &pal);
        ctx.set_fill_style_str(&fg);
        ctx.set_font(&font(12.0, "400", if *ghost { "italic" } else { "normal" }));
        for (k, l) in lines.iter().enumerate() {
            ctx.fill_text(l, pad + x + px(20.0), y + line * k as f64)?;
        }
    }
    ctx.set_fill_style_str(&fg);
    ctx.set_font(&font(12.5, "400", "normal"));
    for (i, l) in summary_lines.iter().enumerate() {
        ctx.fill_text(l, pad, summary_top + line * i as f64)?;
    }
    Ok(out)
}

/// A legend swatch as the stylesheet draws it (`.sw-*` in style/main.css), 14 px wide,
/// centred on `y`, in the charts' colours.
fn draw_swatch(ctx: &web_sys::CanvasRenderingContext2d, swatch: &str, x: f64, y: f64, scale: f64, pal: &Palette) {
    let px = |v: f64| v * scale;
    if let Some(n) = swatch.strip_prefix("ghost").and_then(|n| n.parse::<usize>().ok()) {
        // The pinned runs' dashes (as `.sw-ghostN`).
        let i = (n.max(1) - 1) % 4;
        let (on, off) = [(4.0, 2.0), (5.0, 3.0), (6.0, 3.0), (7.0, 4.0)][i];
        ctx.set_fill_style_str(&pal.ghosts[i].css());
        let mut dx = 0.0;
        while dx < 14.0 {
            ctx.fill_rect(x + px(dx), y - px(1.5), px(f64::min(on, 14.0 - dx)), px(3.0));
            dx += on + off;
        }
        return;
    }
    match swatch {
        "start" => {
            ctx.set_fill_style_str(&pal.acc.css());
            ctx.begin_path();
            let _ = ctx.arc(x + px(7.0), y, px(4.5), 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
        "min" => {
            ctx.set_stroke_style_str(&pal.danger.css());
            ctx.set_line_width(px(1.6));
            ctx.begin_path();
            ctx.move_to(x + px(2.0), y - px(5.0));
            ctx.line_to(x + px(12.0), y + px(5.0));
            ctx.move_to(x + px(12.0), y - px(5.0));
            ctx.line_to(x + px(2.0), y + px(5.0));
            ctx.stroke();
        }
        "best" => {
            ctx.set_global_alpha(0.7);
            ctx.set_fill_style_str(&pal.best.css());
            ctx.fill_rect(x, y - px(4.0), px(14.0), px(8.0));
            ctx.set_global_alpha(1.0);
        }
        _ => {
            let c = match swatch {
                "lr" => pal.lr,
                "momentum" => pal.momentum,
                "danger" => pal.danger,
                "train" => pal.train,
                "val" => pal.val,
                "acc" => pal.acc,
                "path" => pal.path,
                "cursor" => pal.cursor,
                _ => pal.fg,
            };
            ctx.set_fill_style_str(&c.css());
            ctx.fill_rect(x, y - px(1.5), px(14.0), px(3.0));
        }
    }
}

/// Download the chart `kind` as `lr-playground-<kind>.png`: the chart with its title,
/// `caption`, legend and summary ([`export_canvas`]).
/// `failed` is told why when the download cannot be made (also after the image is encoded).
pub fn download_chart(
    kind: &str,
    caption: &str,
    cursor: Option<&str>,
    failed: impl Fn(String) + 'static,
) -> Result<(), JsValue> {
    let cv = export_canvas(kind, caption, cursor)?;
    let name = format!("lr-playground-{kind}.png");
    let cb = Closure::once_into_js(move |blob: JsValue| {
        let res = match blob.dyn_ref::<web_sys::Blob>() {
            Some(blob) => download_blob(blob, &name),
            None => Err("the browser could not encode the image".into()),
        };
        if let Err(e) = res {
            failed(why(&e));
        }
    });
    cv.to_blob_with_type(cb.unchecked_ref(), "image/png")
}

/// A JavaScript error as a short reason for the user.
fn why(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "the browser refused".into())
}

/// (chart kind, button text). The texts are ASCII, so the aria-labels lower-case them with
/// `to_ascii_lowercase` (`str::to_lowercase` would pull in the Unicode case tables, ~6 kB gzip).
const CHARTS: [(&str, &str); 3] = [("lr", "Learning rate"), ("loss", "Loss"), ("params", "Parameter space")];

/// The export card: CSV of the run and a PNG of each chart shown.
#[component]
pub fn Export() -> impl IntoView {
    let st = expect_context::<AppState>();
    let cls = expect_context::<Classroom>();
    let failed =
        move |what: &str, reason: String| cls.say(format!("The {what} could not be downloaded: {reason}."), None);
    let csv = move |_| {
        let Ok(t) = st.trace.get_untracked() else { return };
        let (has_bias, per_batch) =
            st.cfg.with_untracked(|c| (matches!(c.problem, ProblemConfig::Logistic(_)), c.per_batch()));
        if let Err(e) = download_text(&trace_csv(&t, has_bias, per_batch), "text/csv", CSV_NAME) {
            failed("CSV", why(&e));
        }
    };
    let steps_csv = move |_| {
        let Ok(t) = st.trace.get_untracked() else { return };
        let parts = js_sys::Array::new();
        st.cfg.with_untracked(|c| {
            let has_bias = matches!(c.problem, ProblemConfig::Logistic(_));
            steps_csv_chunks(c, &t, has_bias, 1 << 20, |part| {
                parts.push(&JsValue::from_str(part));
            });
        });
        if let Err(e) = download_parts(&parts, "text/csv", STEPS_CSV_NAME) {
            failed("CSV", why(&e));
        }
    };
    let per_batch = move || st.cfg.with(|c| c.per_batch());
    let shown = move |k: &str| st.view.with(|v| v.show.as_ref().is_none_or(|s| s.iter().any(|x| x == k)));
    let no_run = move || st.trace.with(|t| t.as_ref().map(|t| t.is_empty()).unwrap_or(true));
    // The charts draw the cursor where it is set and within the run.
    let cursor = move || {
        let n = st.trace.with_untracked(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
        st.cursor.get_untracked().filter(|&c| c < n).map(|c| format!("cursor: epoch {} of {n}", c + 1))
    };
    view! {
        <section class="card export" aria-label="Export">
            <h2>"Export"</h2>
            <div class="row">
                <button type="button" class="download-csv" on:click=csv disabled=no_run
                    title="One row per epoch: lr, momentum, losses, accuracy, weights">"Download CSV"</button>
                <button type="button" class="download-steps-csv" on:click=steps_csv disabled=no_run hidden=move || !per_batch()
                    title="One row per SGD step: the lr and momentum it used, the weights after it">"CSV per step"</button>
            </div>
            <div class="row png-row">
                <span class="row-label" aria-hidden="true">"PNG:"</span>
                {CHARTS.into_iter().map(|(k, title)| view! {
                    <button type="button" class="download-png" data-chart=k hidden=move || !shown(k)
                        aria-label=format!("Download the {} chart as PNG", title.to_ascii_lowercase())
                        on:click=move |_| {
                            let failed = move |reason| failed("PNG", reason);
                            if let Err(e) = download_chart(k, &st.cfg.with_untracked(caption), cursor().as_deref(), failed) {
                                failed(why(&e));
                            }
                        }>{title}</button>
                }).collect_view()}
            </div>
            <p class="hint">{move || if per_batch() {
                "CSV: one row per epoch (losses, accuracy, weights; the lr at the first and last batch), or per SGD step (lr, momentum, weights). PNG: the chart with its title, set-up, legend and summary."
            } else {
                "CSV: one row per epoch (lr, momentum, losses, accuracy, weights). PNG: the chart with its title, set-up, legend and summary."
            }}</p>
        </section>
    }
}
