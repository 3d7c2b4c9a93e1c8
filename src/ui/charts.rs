//! The three charts: plotters on a <canvas> sized by its wrapper (backing size = CSS size ×
//! devicePixelRatio), redrawn through [`frame::schedule`] at most once per animation frame.

use super::frame::{self, Palette};
use super::state::{AppState, Pin, Window};
use super::summary::{self, fmt_num};
use crate::core::problems::Problem;
use crate::core::sim::{SimConfig, Surface, Trace};
use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Lr,
    Loss,
    Params,
}

impl ChartKind {
    pub fn key(self) -> &'static str {
        match self {
            ChartKind::Lr => "lr",
            ChartKind::Loss => "loss",
            ChartKind::Params => "params",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Lr => "Learning rate",
            ChartKind::Loss => "Loss",
            ChartKind::Params => "Parameter space",
        }
    }
    fn aria(self) -> &'static str {
        match self {
            ChartKind::Lr => "Learning rate chart: learning rate per epoch",
            ChartKind::Loss => "Loss chart: training and validation loss per epoch",
            ChartKind::Params => "Parameter space chart: loss contours and the SGD path",
        }
    }
}

/// Where the plot area is, in backing pixels, and the data range it shows (for hover).
#[derive(Clone, Debug, Default)]
struct Geom {
    left: f64,
    right: f64,
    x0: f64,
    x1: f64,
    /// Parameter space: per-epoch weight positions in backing pixels.
    points: Vec<(f64, f64)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Size {
    w: f64,
    h: f64,
    dpr: f64,
}

/// Everything one redraw needs (cheap to clone: Arcs).
#[derive(Clone)]
struct DrawData {
    cfg: SimConfig,
    trace: Result<Arc<Trace>, String>,
    problem: Arc<Problem>,
    surface: Arc<Surface>,
    window: Window,
    cursor: Option<usize>,
    pins: Vec<Pin>,
    log_loss: bool,
    log_lr: bool,
    theme: u32,
}

#[component]
pub fn Chart(kind: ChartKind) -> impl IntoView {
    let st = expect_context::<AppState>();
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let size = RwSignal::new(Size { w: 0.0, h: 0.0, dpr: 1.0 });
    let geom: Rc<RefCell<Geom>> = Rc::new(RefCell::new(Geom::default()));

    // Follow the wrapper's size.
    Effect::new(move |observed: Option<bool>| {
        if observed == Some(true) {
            return true;
        }
        let Some(el) = wrap.get() else { return false };
        let measure = {
            let el = el.clone();
            move || {
                let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
                let s = Size { w: el.client_width() as f64, h: el.client_height() as f64, dpr };
                if size.get_untracked() != s {
                    size.set(s);
                }
            }
        };
        measure();
        let cb = Closure::<dyn FnMut(JsValue)>::new(move |_entries: JsValue| measure());
        if let Ok(ro) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            ro.observe(&el);
        }
        cb.forget();
        true
    });

    // Redraw when anything the chart shows changes.
    {
        let geom = geom.clone();
        Effect::new(move |_| {
            let Some(cv) = canvas.get() else { return };
            let sz = size.get();
            if sz.w < 10.0 || sz.h < 10.0 {
                return;
            }
            let data = DrawData {
                cfg: st.cfg.get(),
                trace: st.trace.get().map_err(|e| e.message),
                problem: st.problem.get(),
                surface: if kind == ChartKind::Params { st.surface.get() } else { st.surface.get_untracked() },
                window: st.window.get(),
                cursor: st.cursor.get(),
                pins: st.pins.get(),
                log_loss: st.log_loss.get(),
                log_lr: st.log_lr.get(),
                theme: st.theme.get(),
            };
            let geom = geom.clone();
            frame::schedule(kind.key(), move || {
                let cv: HtmlCanvasElement = cv;
                let bw = (sz.w * sz.dpr).round() as u32;
                let bh = (sz.h * sz.dpr).round() as u32;
                if cv.width() != bw {
                    cv.set_width(bw);
                }
                if cv.height() != bh {
                    cv.set_height(bh);
                }
                let pal = Palette::read();
                let res = match kind {
                    ChartKind::Lr => draw_lr(&cv, sz.dpr, &data, &pal),
                    ChartKind::Loss => draw_loss(&cv, sz.dpr, &data, &pal),
                    ChartKind::Params => draw_params(&cv, sz.dpr, &data, &pal),
                };
                match res {
                    Ok(g) => *geom.borrow_mut() = g,
                    Err(e) => web_sys::console::warn_1(&format!("chart {}: {e}", kind.key()).into()),
                }
            });
        });
    }

    let summary = move || {
        let cfg = st.cfg.get();
        match st.trace.get() {
            Err(e) => format!("Cannot run this configuration: {}", e.message),
            Ok(t) => match kind {
                ChartKind::Lr => summary::lr_summary(&cfg, &t),
                ChartKind::Loss => summary::loss_summary(&t),
                ChartKind::Params => summary::params_summary(&st.problem.get(), &t),
            },
        }
    };

    let on_move = {
        let geom = geom.clone();
        move |ev: web_sys::MouseEvent| {
            let Some(cv) = canvas.get_untracked() else { return };
            let rect = cv.get_bounding_client_rect();
            if rect.width() <= 0.0 {
                return;
            }
            let scale = cv.width() as f64 / rect.width();
            let px = (ev.client_x() as f64 - rect.left()) * scale;
            let py = (ev.client_y() as f64 - rect.top()) * scale;
            let g = geom.borrow();
            let n = st.trace.with_untracked(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
            if n == 0 {
                return;
            }
            let epoch = if kind == ChartKind::Params {
                g.points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, (p.0 - px).powi(2) + (p.1 - py).powi(2)))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(i, _)| i)
            } else {
                if g.right <= g.left || px < g.left - 4.0 || px > g.right + 4.0 {
                    return;
                }
                let x = g.x0 + (px - g.left) / (g.right - g.left) * (g.x1 - g.x0);
                Some((x.round() as i64 - 1).clamp(0, n as i64 - 1) as usize)
            };
            if let Some(e) = epoch {
                if st.cursor.get_untracked() != Some(e) {
                    st.cursor.set(Some(e));
                }
            }
        }
    };
    let on_leave = move |_| {
        if !st.playing.get_untracked() {
            st.cursor.set(None);
        }
    };

    let legend = move || legend_items(kind, &st);

    view! {
        <figure class="chart" data-chart=kind.key()>
            <figcaption>
                <span class="chart-title">{kind.title()}</span>
                {(kind == ChartKind::Loss).then(|| view! {
                    <label class="toggle">
                        <input type="checkbox" id="log-loss" prop:checked=move || st.log_loss.get()
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                st.log_loss.set(event_target_checked(&ev))
                            } />
                        " log scale"
                    </label>
                })}
                {(kind == ChartKind::Lr).then(|| view! {
                    <label class="toggle">
                        <input type="checkbox" id="log-lr" prop:checked=move || st.log_lr.get()
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                st.log_lr.set(event_target_checked(&ev))
                            } />
                        " log scale"
                    </label>
                })}
            </figcaption>
            <div class="chart-wrap" node_ref=wrap>
                <canvas node_ref=canvas id=format!("{}-chart", kind.key()) role="img" aria-label=kind.aria()
                    aria-describedby=format!("{}-summary", kind.key())
                    on:mousemove=on_move on:mouseleave=on_leave></canvas>
            </div>
            <ul class="legend" aria-hidden="true">{legend}</ul>
            <p class="summary" id=format!("{}-summary", kind.key()) aria-live="polite"
                data-chart=kind.key() data-summary-for=kind.key()>{summary}</p>
        </figure>
    }
}

fn legend_items(kind: ChartKind, st: &AppState) -> Vec<AnyView> {
    let cfg = st.cfg.get();
    let logistic = matches!(cfg.problem, crate::core::problems::ProblemConfig::Logistic(_));
    let plateau = cfg.scheduler.as_ref().is_some_and(|s| s.is_plateau());
    let mut items: Vec<(&'static str, String)> = Vec::new();
    match kind {
        ChartKind::Lr => {
            items.push(("lr", "learning rate".into()));
            if cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum()) {
                items.push(("momentum", "momentum (right axis)".into()));
            }
            if !logistic {
                items.push(("danger", "stability limit".into()));
            }
        }
        ChartKind::Loss => {
            items.push(("train", "train loss".into()));
            if logistic {
                items.push(("val", "validation loss".into()));
                items.push(("acc", "accuracy (right axis)".into()));
            }
            if plateau {
                items.push(("best", "best so far + threshold band".into()));
            }
        }
        ChartKind::Params => {
            items.push(("path", "SGD path".into()));
            items.push(("start", "start".into()));
            items.push(("min", if logistic { "end".into() } else { "minimum".into() }));
        }
    }
    let pins = st.pins.get();
    let mut out: Vec<AnyView> = items
        .into_iter()
        .map(|(c, label)| view! { <li><span class=format!("swatch sw-{c}")></span>{label}</li> }.into_any())
        .collect();
    for (i, p) in pins.iter().enumerate() {
        let c = format!("swatch sw-ghost{}", i % 4 + 1);
        out.push(view! { <li class="ghost"><span class=c></span>{p.label.clone()}</li> }.into_any());
    }
    out
}

// ---------------------------------------------------------------------------------------
// Drawing

type DrawResult = Result<Geom, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn root_of(cv: &HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, String> {
    let backend = CanvasBackend::with_canvas_object(cv.clone()).ok_or("no 2d context")?;
    Ok(backend.into_drawing_area())
}

fn px(v: f64, dpr: f64) -> u32 {
    (v * dpr).round().max(1.0) as u32
}

/// Draw a centered message (errors, empty runs).
fn message(root: &DrawingArea<CanvasBackend, Shift>, dpr: f64, pal: &Palette, text: &str) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let style = ("sans-serif", 14.0 * dpr).into_font().color(&pal.fg);
    root.draw(&Text::new(text.to_string(), ((16.0 * dpr) as i32, (h / 2) as i32), style)).map_err(err)?;
    let _ = w;
    Ok(())
}

/// Per-epoch LR as a step line (x in epochs), or per-step points when stepping per batch.
fn lr_points(t: &Trace, per_batch: bool) -> Vec<(f64, f64)> {
    if per_batch && t.steps_per_epoch > 0 && !t.step_lr.is_empty() {
        let spe = t.steps_per_epoch as f64;
        let stride = (t.step_lr.len() / 3000).max(1);
        let mut v: Vec<(f64, f64)> =
            t.step_lr.iter().enumerate().step_by(stride).map(|(i, &lr)| (i as f64 / spe, lr)).collect();
        if let Some(&last) = t.step_lr.last() {
            v.push((t.step_lr.len() as f64 / spe, last));
        }
        v
    } else {
        let mut v = Vec::with_capacity(t.lr.len() * 2);
        for (e, &lr) in t.lr.iter().enumerate() {
            v.push((e as f64, lr));
            v.push((e as f64 + 1.0, lr));
        }
        v
    }
}

fn nice_max(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    v * 1.08
}

fn draw_lr(cv: &HtmlCanvasElement, dpr: f64, d: &DrawData, pal: &Palette) -> DrawResult {
    let root = root_of(cv)?;
    root.fill(&pal.bg).map_err(err)?;
    let t = match &d.trace {
        Ok(t) => t.clone(),
        Err(e) => {
            message(&root, dpr, pal, e)?;
            return Ok(Geom::default());
        }
    };
    let per_batch = d.cfg.per_batch();
    let raw = lr_points(&t, per_batch);
    let xmax = (t.epochs.max(1)) as f64;
    let mut ymax = raw.iter().map(|p| p.1).fold(0.0, f64::max);
    let mut ypos = raw.iter().map(|p| p.1).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    for p in &d.pins {
        for &v in p.trace.lr.iter().chain(&p.trace.step_lr) {
            ymax = ymax.max(v);
            if v > 0.0 {
                ypos = ypos.min(v);
            }
        }
    }
    let stability = d.problem.stability_lr(d.cfg.optimizer.momentum, d.cfg.optimizer.weight_decay);
    if let Some(s) = stability {
        if s < ymax * 3.0 || ymax == 0.0 {
            ymax = ymax.max(s * 1.1);
        }
    }
    let ymax = nice_max(ymax);
    let log = d.log_lr;
    // Log scale: show at most 8 decades below the top.
    let floor = if ypos.is_finite() { ypos.max(ymax * 1e-8) } else { ymax * 1e-3 };
    let tf = move |v: f64| if log { v.max(floor).log10() } else { v };
    let (ylo, yhi) = if log {
        let (a, b) = (floor.log10(), ymax.log10());
        let pad = ((b - a) * 0.05).max(0.05);
        (a - pad, b + pad * 0.4)
    } else {
        (0.0, ymax)
    };
    let pts: Vec<(f64, f64)> = raw.iter().map(|&(x, y)| (x, tf(y))).collect();
    let momentum = d.cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(12.0, dpr))
        .margin_right(px(if momentum { 4.0 } else { 14.0 }, dpr))
        .margin_left(px(4.0, dpr))
        .x_label_area_size(px(34.0, dpr))
        .y_label_area_size(px(56.0, dpr))
        .right_y_label_area_size(if momentum { px(44.0, dpr) } else { 0 })
        .build_cartesian_2d(0f64..xmax, ylo..yhi)
        .map_err(err)?
        .set_secondary_coord(0f64..xmax, 0f64..1f64);
    let y2 = if momentum { Some(Axis::linear(0.0, 1.0, 4, fmt_num)) } else { None };
    let yaxis = if log { Axis::log(ylo, yhi) } else { Axis::linear(ylo, yhi, 5, fmt_num) };
    draw_axes(
        &root,
        &chart.plotting_area().get_pixel_range(),
        (0.0, xmax),
        (ylo, yhi),
        &Axis::epochs(xmax),
        &yaxis,
        y2.as_ref(),
        dpr,
        pal,
    )?;
    // Stability limit and the region above it.
    if let Some(s) = stability {
        if s < ymax {
            let ts = tf(s);
            let mut poly: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (x, y.max(ts))).collect();
            if let (Some(first), Some(last)) = (pts.first(), pts.last()) {
                poly.push((last.0, ts));
                poly.push((first.0, ts));
            }
            chart.draw_series(std::iter::once(Polygon::new(poly, pal.danger.mix(0.22).filled()))).map_err(err)?;
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(0.0, ts), (xmax, ts)],
                    px(6.0, dpr) as i32,
                    px(4.0, dpr) as i32,
                    pal.danger.stroke_width(px(1.5, dpr)),
                ))
                .map_err(err)?;
            let label = if d.cfg.optimizer.momentum > 0.0 {
                format!("stable below 2(1+μ)/λmax = {}", fmt_num(s))
            } else {
                format!("stable below 2/λmax = {}", fmt_num(s))
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    (xmax * 0.02, ts),
                    ("sans-serif", 11.0 * dpr).into_font().color(&pal.danger),
                )))
                .map_err(err)?;
        }
    }
    // Markers (drops, restarts, milestones) and plateau reductions.
    let mut marks: Vec<f64> = Vec::new();
    if let Some(s) = &d.cfg.scheduler {
        if s.is_plateau() {
            marks.extend(t.plateau.iter().enumerate().filter(|(_, p)| p.reduced).map(|(e, _)| e as f64 + 1.0));
        } else {
            let spe = if per_batch { t.steps_per_epoch.max(1) as f64 } else { 1.0 };
            let horizon = if per_batch { t.epochs * t.steps_per_epoch.max(1) } else { t.epochs };
            marks.extend(s.markers(horizon).into_iter().take(200).map(|(e, _)| e as f64 / spe));
        }
    }
    for m in marks {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(m, ylo), (m, yhi)],
                px(4.0, dpr) as i32,
                px(4.0, dpr) as i32,
                pal.marker.mix(0.8).stroke_width(px(1.0, dpr)),
            ))
            .map_err(err)?;
    }
    // Pinned runs.
    for (i, p) in d.pins.iter().enumerate() {
        let c = pal.ghosts[i % 4];
        let gp: Vec<(f64, f64)> = lr_points(&p.trace, p.per_batch).into_iter().map(|(x, y)| (x, tf(y))).collect();
        chart
            .draw_series(DashedLineSeries::new(
                gp,
                px(6.0 + 2.0 * i as f64, dpr) as i32,
                px(3.0 + i as f64, dpr) as i32,
                c.mix(0.75).stroke_width(px(1.5, dpr)),
            ))
            .map_err(err)?;
    }
    if momentum {
        let mp: Vec<(f64, f64)> = t.momentum.iter().enumerate().map(|(e, &m)| (e as f64 + 0.5, m)).collect();
        chart.draw_secondary_series(LineSeries::new(mp, pal.momentum.stroke_width(px(1.5, dpr)))).map_err(err)?;
    }
    chart.draw_series(LineSeries::new(pts, pal.lr.stroke_width(px(2.0, dpr)))).map_err(err)?;
    draw_divergence(&mut chart, &t, yhi, dpr, pal, ylo)?;
    if let Some(c) = d.cursor.filter(|&c| c < t.len()) {
        let x = c as f64 + 1.0;
        chart
            .draw_series(LineSeries::new(vec![(x, ylo), (x, yhi)], pal.cursor.stroke_width(px(1.0, dpr))))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new((x, tf(t.lr[c])), px(4.0, dpr), pal.cursor.filled())))
            .map_err(err)?;
    }
    Ok(geom_of(&chart.plotting_area().get_pixel_range(), 0.0, xmax))
}

fn geom_of(r: &(std::ops::Range<i32>, std::ops::Range<i32>), x0: f64, x1: f64) -> Geom {
    Geom { left: r.0.start as f64, right: r.0.end as f64, x0, x1, points: Vec::new() }
}

fn draw_divergence<X, Y>(
    chart: &mut ChartContext<'_, CanvasBackend, Cartesian2d<X, Y>>,
    t: &Trace,
    ymax: f64,
    dpr: f64,
    pal: &Palette,
    ymin: f64,
) -> Result<(), String>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    if let Some(dv) = &t.divergence {
        let x = dv.epoch as f64 + 1.0;
        chart
            .draw_series(LineSeries::new(vec![(x, ymin), (x, ymax)], pal.danger.stroke_width(px(2.0, dpr))))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("diverged (epoch {})", dv.epoch + 1),
                (x, ymax),
                ("sans-serif", 12.0 * dpr).into_font().color(&pal.danger),
            )))
            .map_err(err)?;
    }
    Ok(())
}

fn draw_loss(cv: &HtmlCanvasElement, dpr: f64, d: &DrawData, pal: &Palette) -> DrawResult {
    let root = root_of(cv)?;
    root.fill(&pal.bg).map_err(err)?;
    let t = match &d.trace {
        Ok(t) => t.clone(),
        Err(e) => {
            message(&root, dpr, pal, e)?;
            return Ok(Geom::default());
        }
    };
    let log = d.log_loss;
    let tf = move |v: f64| if log { v.max(1e-12).log10() } else { v };
    let xmax = t.epochs.max(1) as f64;
    let series = |t: &Trace, v: &[f64]| -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(v.len() + 1);
        out.push((0.0, tf(t.loss0)));
        out.extend(v.iter().enumerate().map(|(e, &l)| (e as f64 + 1.0, tf(l))));
        out
    };
    let train = series(&t, &t.train_loss);
    let val: Vec<(f64, f64)> = t.val_loss.iter().enumerate().map(|(e, &l)| (e as f64 + 1.0, tf(l))).collect();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in train.iter().chain(&val) {
        lo = lo.min(p.1);
        hi = hi.max(p.1);
    }
    for p in &d.pins {
        for &v in p.trace.train_loss.iter().chain(std::iter::once(&p.trace.loss0)) {
            lo = lo.min(tf(v));
            hi = hi.max(tf(v));
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if !log {
        lo = lo.min(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.06;
    let (lo, hi) = (if log { lo - pad } else { lo }, hi + pad);
    let logistic = !t.accuracy.is_empty();
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(12.0, dpr))
        .margin_right(px(if logistic { 4.0 } else { 14.0 }, dpr))
        .margin_left(px(4.0, dpr))
        .x_label_area_size(px(34.0, dpr))
        .y_label_area_size(px(56.0, dpr))
        .right_y_label_area_size(if logistic { px(44.0, dpr) } else { 0 })
        .build_cartesian_2d(0f64..xmax, lo..hi)
        .map_err(err)?
        .set_secondary_coord(0f64..xmax, 0f64..1f64);
    let y2 = if logistic { Some(Axis::linear(0.0, 1.0, 4, |v| format!("{:.0}%", v * 100.0))) } else { None };
    let yaxis = if log { Axis::log(lo, hi) } else { Axis::linear(lo, hi, 5, fmt_num) };
    draw_axes(
        &root,
        &chart.plotting_area().get_pixel_range(),
        (0.0, xmax),
        (lo, hi),
        &Axis::epochs(xmax),
        &yaxis,
        y2.as_ref(),
        dpr,
        pal,
    )?;
    // ReduceLROnPlateau: threshold band between best and bar, best-so-far, reductions.
    if !t.plateau.is_empty() {
        let n = t.plateau.len();
        let mut band: Vec<(f64, f64)> = (0..n).map(|e| (e as f64 + 1.0, tf(t.plateau[e].best))).collect();
        band.extend((0..n).rev().map(|e| (e as f64 + 1.0, tf(t.plateau[e].bar))));
        chart.draw_series(std::iter::once(Polygon::new(band, pal.best.mix(0.18).filled()))).map_err(err)?;
        let best: Vec<(f64, f64)> = (0..n).map(|e| (e as f64 + 1.0, tf(t.plateau[e].best))).collect();
        chart.draw_series(LineSeries::new(best, pal.best.stroke_width(px(1.5, dpr)))).map_err(err)?;
        for (e, p) in t.plateau.iter().enumerate() {
            if p.reduced {
                let x = e as f64 + 1.0;
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(x, lo), (x, hi)],
                        px(4.0, dpr) as i32,
                        px(4.0, dpr) as i32,
                        pal.marker.stroke_width(px(1.0, dpr)),
                    ))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(TriangleMarker::new(
                        (x, tf(p.best)),
                        px(5.0, dpr) as i32,
                        pal.danger.filled(),
                    )))
                    .map_err(err)?;
            }
        }
    }
    for (i, p) in d.pins.iter().enumerate() {
        let c = pal.ghosts[i % 4];
        chart
            .draw_series(DashedLineSeries::new(
                series(&p.trace, &p.trace.train_loss),
                px(6.0 + 2.0 * i as f64, dpr) as i32,
                px(3.0 + i as f64, dpr) as i32,
                c.mix(0.75).stroke_width(px(1.5, dpr)),
            ))
            .map_err(err)?;
    }
    if logistic {
        let acc: Vec<(f64, f64)> = t.accuracy.iter().enumerate().map(|(e, &a)| (e as f64 + 1.0, a)).collect();
        chart.draw_secondary_series(LineSeries::new(acc, pal.acc.mix(0.9).stroke_width(px(1.5, dpr)))).map_err(err)?;
    }
    if !val.is_empty() {
        chart.draw_series(LineSeries::new(val, pal.val.stroke_width(px(1.5, dpr)))).map_err(err)?;
    }
    chart.draw_series(LineSeries::new(train, pal.train.stroke_width(px(2.0, dpr)))).map_err(err)?;
    draw_divergence(&mut chart, &t, hi, dpr, pal, lo)?;
    if let Some(c) = d.cursor.filter(|&c| c < t.len()) {
        let x = c as f64 + 1.0;
        chart
            .draw_series(LineSeries::new(vec![(x, lo), (x, hi)], pal.cursor.stroke_width(px(1.0, dpr))))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Circle::new((x, tf(t.train_loss[c])), px(4.0, dpr), pal.cursor.filled())))
            .map_err(err)?;
    }
    Ok(geom_of(&chart.plotting_area().get_pixel_range(), 0.0, xmax))
}

// --- parameter space ---------------------------------------------------------------------

thread_local! {
    /// The contour image for the last surface: (surface pointer, theme, canvas).
    static CONTOURS: RefCell<Option<(usize, u32, HtmlCanvasElement)>> = const { RefCell::new(None) };
}

const BANDS: f64 = 14.0;

/// Render the surface as filled colour bands into an offscreen canvas (once per surface).
fn contour_image(s: &Arc<Surface>, theme: u32) -> Option<HtmlCanvasElement> {
    let key = Arc::as_ptr(s) as usize;
    if let Some(cv) = CONTOURS.with(|c| c.borrow().as_ref().filter(|c| c.0 == key && c.1 == theme).map(|c| c.2.clone()))
    {
        return Some(cv);
    }
    let doc = web_sys::window()?.document()?;
    let cv: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    cv.set_width(s.nx as u32);
    cv.set_height(s.ny as u32);
    let ctx: web_sys::CanvasRenderingContext2d = cv.get_context("2d").ok()??.dyn_into().ok()?;
    let pal = Palette::read();
    let style = web_sys::window().and_then(|w| w.get_computed_style(&doc.document_element()?).ok().flatten());
    let dark = style.and_then(|s| s.get_property_value("--contour-dark").ok()).is_some_and(|v| v.trim() == "1");
    let lo = pal.bg;
    let _ = lo;
    let range = (s.max - s.min).max(1e-12);
    let eps = range * 1e-4;
    let (l0, l1) = (eps.ln(), (range + eps).ln());
    let mut data = vec![0u8; s.nx * s.ny * 4];
    for j in 0..s.ny {
        for i in 0..s.nx {
            let v = s.values[j * s.nx + i];
            let t = (((v - s.min).max(0.0) + eps).ln() - l0) / (l1 - l0);
            let t = (t * BANDS).floor().clamp(0.0, BANDS - 1.0) / (BANDS - 1.0);
            let (r, g, b) = colormap(t, dark);
            let row = s.ny - 1 - j;
            let k = (row * s.nx + i) * 4;
            data[k] = r;
            data[k + 1] = g;
            data[k + 2] = b;
            data[k + 3] = 255;
        }
    }
    let img =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&data), s.nx as u32, s.ny as u32)
            .ok()?;
    ctx.put_image_data(&img, 0.0, 0.0).ok()?;
    CONTOURS.with(|c| *c.borrow_mut() = Some((key, theme, cv.clone())));
    Some(cv)
}

/// Low loss → deep teal, high loss → pale sand (light mode); darker ramp in dark mode.
fn colormap(t: f64, dark: bool) -> (u8, u8, u8) {
    let stops: [(f64, [f64; 3]); 4] = if dark {
        [(0.0, [20.0, 60.0, 90.0]), (0.35, [35.0, 95.0, 110.0]), (0.7, [70.0, 80.0, 95.0]), (1.0, [45.0, 45.0, 55.0])]
    } else {
        [
            (0.0, [38.0, 120.0, 160.0]),
            (0.35, [120.0, 190.0, 200.0]),
            (0.7, [225.0, 235.0, 220.0]),
            (1.0, [250.0, 240.0, 225.0]),
        ]
    };
    for w in stops.windows(2) {
        let (a, b) = (w[0], w[1]);
        if t <= b.0 {
            let u = ((t - a.0) / (b.0 - a.0)).clamp(0.0, 1.0);
            let c = |k: usize| (a.1[k] + (b.1[k] - a.1[k]) * u).round() as u8;
            return (c(0), c(1), c(2));
        }
    }
    let l = stops[3].1;
    (l[0] as u8, l[1] as u8, l[2] as u8)
}

fn decimate(path: &[[f64; 3]], max: usize) -> Vec<(f64, f64)> {
    let stride = (path.len() / max).max(1);
    let mut v: Vec<(f64, f64)> = path.iter().step_by(stride).map(|w| (w[0], w[1])).collect();
    if let Some(l) = path.last() {
        v.push((l[0], l[1]));
    }
    v
}

fn draw_params(cv: &HtmlCanvasElement, dpr: f64, d: &DrawData, pal: &Palette) -> DrawResult {
    let root = root_of(cv)?;
    root.fill(&pal.bg).map_err(err)?;
    let t = match &d.trace {
        Ok(t) => t.clone(),
        Err(e) => {
            message(&root, dpr, pal, e)?;
            return Ok(Geom::default());
        }
    };
    let w = d.window;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(18.0, dpr))
        .margin_right(px(14.0, dpr))
        .margin_left(px(4.0, dpr))
        .x_label_area_size(px(34.0, dpr))
        .y_label_area_size(px(48.0, dpr))
        .build_cartesian_2d(w.x.0..w.x.1, w.y.0..w.y.1)
        .map_err(err)?;
    let xa = Axis::linear(w.x.0, w.x.1, 5, fmt_num).named("w0");
    let ya = Axis::linear(w.y.0, w.y.1, 5, fmt_num).named("w1");
    draw_axes(&root, &chart.plotting_area().get_pixel_range(), w.x, w.y, &xa, &ya, None, dpr, pal)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    if let Some(img) = contour_image(&d.surface, d.theme) {
        // The surface may lag the window by a frame; draw it where it belongs.
        let s = &d.surface;
        let to_px = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let (a, b) = (to_px(s.x.0, s.y.1), to_px(s.x.1, s.y.0));
        if let Some(ctx) =
            cv.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        {
            ctx.save();
            ctx.begin_path();
            ctx.rect(xr.start as f64, yr.start as f64, (xr.end - xr.start) as f64, (yr.end - yr.start) as f64);
            ctx.clip();
            ctx.set_image_smoothing_enabled(true);
            let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
                &img,
                a.0 as f64,
                a.1 as f64,
                (b.0 - a.0) as f64,
                (b.1 - a.1) as f64,
            );
            ctx.restore();
        }
    }
    let clamp = |p: (f64, f64)| {
        let (dx, dy) = ((w.x.1 - w.x.0) * 0.5, (w.y.1 - w.y.0) * 0.5);
        (p.0.clamp(w.x.0 - dx, w.x.1 + dx), p.1.clamp(w.y.0 - dy, w.y.1 + dy))
    };
    let plot = chart.plotting_area().clone();
    let _ = plot;
    for (i, p) in d.pins.iter().enumerate() {
        let c = pal.ghosts[i % 4];
        let gp: Vec<(f64, f64)> = decimate(&p.trace.path, 1500).into_iter().map(clamp).collect();
        chart
            .draw_series(DashedLineSeries::new(
                gp,
                px(6.0 + 2.0 * i as f64, dpr) as i32,
                px(3.0 + i as f64, dpr) as i32,
                c.mix(0.8).stroke_width(px(1.5, dpr)),
            ))
            .map_err(err)?;
    }
    // With a cursor, the path up to it is solid and the rest faint (playback "trains" it).
    let cut = d
        .cursor
        .filter(|&c| c < t.len())
        .map(|c| ((c + 1) * t.steps_per_epoch.max(1)).min(t.path.len().saturating_sub(1)));
    let (done, rest) = match cut {
        Some(k) => (&t.path[..=k], &t.path[k..]),
        None => (&t.path[..], &t.path[t.path.len()..]),
    };
    if rest.len() > 1 {
        let faint: Vec<(f64, f64)> = decimate(rest, 3000).into_iter().map(clamp).collect();
        chart.draw_series(LineSeries::new(faint, pal.path.mix(0.22).stroke_width(px(1.2, dpr)))).map_err(err)?;
    }
    let path: Vec<(f64, f64)> = decimate(done, 3000).into_iter().map(clamp).collect();
    chart.draw_series(LineSeries::new(path, pal.path.mix(0.85).stroke_width(px(1.5, dpr)))).map_err(err)?;
    // Per-epoch dots (sparse).
    let stride = (t.weights.len() / 40).max(1);
    chart
        .draw_series(
            t.weights.iter().step_by(stride).map(|w| Circle::new(clamp((w[0], w[1])), px(1.8, dpr), pal.path.filled())),
        )
        .map_err(err)?;
    if let Some(s) = t.path.first() {
        chart.draw_series(std::iter::once(Circle::new((s[0], s[1]), px(5.0, dpr), pal.acc.filled()))).map_err(err)?;
    }
    let end_mark = match d.problem.minimum() {
        Some(m) => Some((m[0], m[1])),
        None => t.path.last().map(|l| (l[0], l[1])),
    };
    if let Some(m) = end_mark {
        let r = px(6.0, dpr) as i32;
        chart.draw_series(std::iter::once(Cross::new(m, r, pal.danger.stroke_width(px(2.5, dpr))))).map_err(err)?;
    }
    if let Some(c) = d.cursor.filter(|&c| c < t.weights.len()) {
        let wv = t.weights[c];
        chart
            .draw_series(std::iter::once(Circle::new(
                clamp((wv[0], wv[1])),
                px(6.0, dpr),
                pal.cursor.stroke_width(px(2.5, dpr)),
            )))
            .map_err(err)?;
    }
    if t.divergence.is_some() {
        chart
            .draw_series(std::iter::once(Text::new(
                "diverged: the path leaves the window".to_string(),
                (w.x.0 + (w.x.1 - w.x.0) * 0.03, w.y.1 - (w.y.1 - w.y.0) * 0.04),
                ("sans-serif", 12.0 * dpr).into_font().color(&pal.danger),
            )))
            .map_err(err)?;
    }
    let points = t
        .weights
        .iter()
        .map(|wv| chart.backend_coord(&clamp((wv[0], wv[1]))))
        .map(|p| (p.0 as f64, p.1 as f64))
        .collect();
    Ok(Geom { left: xr.start as f64, right: xr.end as f64, x0: w.x.0, x1: w.x.1, points })
}

fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let p = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    (v * p).round() / p
}

// --- axes without text measurement ---------------------------------------------------------
// plotters' mesh measures every label through a DOM <span> (a forced layout each); these
// axes place labels with canvas text anchors instead, so a redraw never touches the DOM.

/// Tick positions and labels of one axis.
struct Axis {
    ticks: Vec<(f64, String)>,
    name: Option<&'static str>,
}

fn nice_step(range: f64, n: usize) -> f64 {
    let raw = (range / n.max(1) as f64).abs().max(1e-300);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.is_nan() || lo.is_nan() || hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let step = nice_step(hi - lo, n);
    let first = (lo / step).ceil();
    let mut out = Vec::new();
    let mut k = first;
    while k * step <= hi + step * 1e-9 && out.len() < 50 {
        let v = k * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    out
}

impl Axis {
    fn linear(lo: f64, hi: f64, n: usize, fmt: impl Fn(f64) -> String) -> Axis {
        Axis { ticks: ticks(lo, hi, n).into_iter().map(|v| (v, fmt(v))).collect(), name: None }
    }
    fn epochs(xmax: f64) -> Axis {
        Axis::linear(0.0, xmax, 5, fmt_num).named("epoch")
    }
    /// Values are log10 of the data: ticks at whole decades when the range spans a few.
    fn log(lo: f64, hi: f64) -> Axis {
        let span = hi - lo;
        let vals: Vec<f64> = if span >= 2.0 {
            let step = nice_step(span, 5).max(1.0).round();
            let mut v = Vec::new();
            let mut k = (lo / step).ceil() * step;
            while k <= hi + 1e-9 {
                v.push(k);
                k += step;
            }
            v
        } else {
            ticks(lo, hi, 4)
        };
        Axis { ticks: vals.into_iter().map(|v| (v, fmt_num(round_sig(10f64.powf(v), 2)))).collect(), name: None }
    }
    fn named(mut self, name: &'static str) -> Axis {
        self.name = Some(name);
        self
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_axes(
    root: &DrawingArea<CanvasBackend, Shift>,
    area: &(std::ops::Range<i32>, std::ops::Range<i32>),
    x: (f64, f64),
    y: (f64, f64),
    xa: &Axis,
    ya: &Axis,
    y2: Option<&Axis>,
    dpr: f64,
    pal: &Palette,
) -> Result<(), String> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let (l, r) = (area.0.start, area.0.end);
    let (t, b) = (area.1.start, area.1.end);
    let px = |v: f64| l + ((v - x.0) / (x.1 - x.0) * (r - l) as f64).round() as i32;
    let py = |v: f64| b - ((v - y.0) / (y.1 - y.0) * (b - t) as f64).round() as i32;
    let grid = pal.grid.stroke_width(px_(1.0, dpr));
    let axis = pal.muted.stroke_width(px_(1.0, dpr));
    let size = 11.5 * dpr;
    let style = |h: HPos, v: VPos| ("sans-serif", size).into_font().color(&pal.fg).pos(Pos::new(h, v));
    let gap = (5.0 * dpr) as i32;
    for (v, label) in &ya.ticks {
        let yy = py(*v);
        if yy < t - 1 || yy > b + 1 {
            continue;
        }
        root.draw(&PathElement::new(vec![(l, yy), (r, yy)], grid)).map_err(err)?;
        root.draw(&Text::new(label.clone(), (l - gap, yy), style(HPos::Right, VPos::Center))).map_err(err)?;
    }
    for (v, label) in &xa.ticks {
        let xx = px(*v);
        if xx < l - 1 || xx > r + 1 {
            continue;
        }
        root.draw(&PathElement::new(vec![(xx, t), (xx, b)], grid)).map_err(err)?;
        root.draw(&Text::new(label.clone(), (xx, b + gap), style(HPos::Center, VPos::Top))).map_err(err)?;
    }
    if let Some(a) = y2 {
        for (v, label) in &a.ticks {
            let yy = b - (v * (b - t) as f64).round() as i32;
            root.draw(&Text::new(label.clone(), (r + gap, yy), style(HPos::Left, VPos::Center))).map_err(err)?;
        }
        root.draw(&PathElement::new(vec![(r, t), (r, b)], axis)).map_err(err)?;
    }
    root.draw(&PathElement::new(vec![(l, t), (l, b), (r, b)], axis)).map_err(err)?;
    if let Some(n) = xa.name {
        let yy = b + gap + (size * 1.25) as i32;
        root.draw(&Text::new(n.to_string(), ((l + r) / 2, yy), style(HPos::Center, VPos::Top).color(&pal.muted)))
            .map_err(err)?;
    }
    if let Some(n) = ya.name {
        root.draw(&Text::new(n.to_string(), (l - gap, t - 6), style(HPos::Right, VPos::Bottom).color(&pal.muted)))
            .map_err(err)?;
    }
    Ok(())
}

fn px_(v: f64, dpr: f64) -> u32 {
    px(v, dpr)
}
