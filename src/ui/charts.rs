//! The three charts, drawn straight onto a <canvas> 2D context sized by its wrapper (backing
//! size = CSS size × devicePixelRatio), redrawn through [`frame::schedule`] at most once per
//! animation frame.
//!
//! What keeps a redraw cheap (see docs/performance.md): one path and one `stroke()` per
//! series, dashes through `setLineDash` (a dashed plotters series was one path per dash, each
//! with a freshly formatted colour string), long series cut to four points per pixel column,
//! labels placed with canvas text anchors and never measured, the contour image rendered
//! once per surface into an offscreen canvas, and each chart redrawn only when what it shows
//! changed.

use super::frame::{self, Palette, Rgb};
use super::state::{AppState, Pin, Window};
use super::summary::{self, fmt_num};
use crate::core::problems::Problem;
use crate::core::sim::{SimConfig, Surface, Trace};
use crate::core::ticks;
use leptos::html;
use leptos::prelude::*;
use std::cell::RefCell;
use std::f64::consts::TAU;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

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
    fn span(self) -> &'static str {
        match self {
            ChartKind::Lr => "draw:lr",
            ChartKind::Loss => "draw:loss",
            ChartKind::Params => "draw:params",
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
    /// The parameter-space chart's view and contours (`None` for the other charts).
    contours: Option<(Window, Arc<Surface>)>,
    cursor: Option<usize>,
    /// The pinned runs this chart draws, with their colour index ([`pins_on`]).
    pins: Vec<(usize, Pin)>,
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
    let layers: Rc<Layers> = Rc::default();
    let id = frame::new_id();

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
                    if kind == ChartKind::Params {
                        if let Some(a) = params_aspect(s.w, s.h, Palette::current().scale) {
                            st.set_params_aspect(a);
                        }
                    }
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
            // Track only what this chart shows.
            let (lr, loss, params) = (kind == ChartKind::Lr, kind == ChartKind::Loss, kind == ChartKind::Params);
            let cfg = if lr { st.cfg.get() } else { st.cfg.get_untracked() };
            let data = DrawData {
                pins: pins_on(kind, &cfg, st.pins.get()),
                cfg,
                trace: st.trace.get().map_err(|e| e.message),
                problem: if loss { st.problem.get_untracked() } else { st.problem.get() },
                // The parameter-space view and its contours (they hold still while the
                // user drags; see `AppState::surface`).
                contours: params.then(|| st.surface.with(|c| (c.window, c.surface.clone()))),
                cursor: st.cursor.get(),
                log_loss: if loss { st.log_loss.get() } else { false },
                log_lr: if lr { st.log_lr.get() } else { false },
                theme: st.theme.get(),
            };
            let geom = geom.clone();
            let layers = layers.clone();
            frame::schedule(kind as u8, id, move || {
                let cv: HtmlCanvasElement = cv;
                let bw = (sz.w * sz.dpr).round() as u32;
                let bh = (sz.h * sz.dpr).round() as u32;
                if cv.width() != bw {
                    cv.set_width(bw);
                }
                if cv.height() != bh {
                    cv.set_height(bh);
                }
                let pal = Palette::current();
                let t0 = frame::span_start();
                let res = context_of(&cv).and_then(|ctx| {
                    let p = Paper { ctx, w: bw as f64, h: bh as f64, s: sz.dpr * pal.scale, layers };
                    p.ctx.set_line_join("round");
                    p.fill_rect(0.0, 0.0, p.w, p.h, pal.bg.css());
                    match kind {
                        ChartKind::Lr => draw_lr(&p, &data, &pal),
                        ChartKind::Loss => draw_loss(&p, &data, &pal),
                        ChartKind::Params => draw_params(&p, &data, &pal),
                    }
                });
                frame::span_end(kind.span(), t0);
                match res {
                    Ok(g) => {
                        *geom.borrow_mut() = g;
                        frame::painted(kind.key());
                    }
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
                ChartKind::Lr => {
                    let s = summary::lr_summary(&cfg, &t);
                    match st.log_lr.get().then(|| log_floor_note(&t, cfg.per_batch())).flatten() {
                        Some(note) => format!("{s} {note}"),
                        None => s,
                    }
                }
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
                super::panels::set_cursor(&st, e, n);
            }
        }
    };
    let on_leave = move |_| {
        if !st.playing.get_untracked() {
            st.cursor.set(None);
        }
    };

    // Rebuilt only when the entries change (not on every slider tick).
    let legend_spec = Memo::new(move |_| legend_items(kind, &st));
    let legend = move || {
        legend_spec
            .get()
            .into_iter()
            .map(|(class, ghost, label)| {
                view! { <li class:ghost=ghost><span class=format!("swatch sw-{class}")></span>{label}</li> }
            })
            .collect_view()
    };

    view! {
        <figure class="chart" data-chart=kind.key()>
            <figcaption>
                <span class="chart-title">{kind.title()}</span>
                {(kind == ChartKind::Loss).then(|| view! {
                    <label class="toggle">
                        <input type="checkbox" id="log-loss" aria-label="Loss chart: log scale" prop:checked=move || st.log_loss.get()
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                st.view.update(|v| v.log_loss = event_target_checked(&ev))
                            } />
                        " log scale"
                    </label>
                })}
                {(kind == ChartKind::Lr).then(|| view! {
                    <label class="toggle">
                        <input type="checkbox" id="log-lr" aria-label="Learning rate chart: log scale" prop:checked=move || st.log_lr.get()
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                st.view.update(|v| v.log_lr = event_target_checked(&ev))
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

/// The pinned runs a chart draws, with their index (their colour): the LR chart draws every
/// one; the loss chart those that trained the same problem (another problem's losses are not
/// comparable; another bowl's are, and show what conditioning does); the parameter space
/// only those on its loss surface (a path over another bowl's contours would mislead).
fn pins_on(kind: ChartKind, cfg: &SimConfig, pins: Vec<Pin>) -> Vec<(usize, Pin)> {
    let shows = |p: &Pin| match kind {
        ChartKind::Lr => true,
        ChartKind::Loss => p.problem() == cfg.problem.name(),
        ChartKind::Params => p.cfg.problem.same_surface(p.cfg.seed, &cfg.problem, cfg.seed),
    };
    pins.into_iter().enumerate().filter(|(_, p)| shows(p)).collect()
}

/// The legend's entries: (swatch class, ghost, label).
fn legend_items(kind: ChartKind, st: &AppState) -> Vec<(String, bool, String)> {
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
            // Only when the chart draws it (as `draw_lr` decides).
            let limit = st.trace.with(|t| {
                let t = t.as_ref().ok()?;
                st.problem.with(|p| lowest_limit(&cfg, p, t))
            });
            if let Some(lim) = limit {
                let top = st.trace.with(|t| {
                    st.pins.with(|pins| {
                        let own = t.as_ref().map_or(&[][..], |t| lr_values(t, cfg.per_batch()));
                        let pinned = pins.iter().flat_map(|p| lr_values(&p.trace, p.per_batch()));
                        own.iter().chain(pinned).fold(0.0f64, |m, &v| m.max(v))
                    })
                });
                if shows_limit(lim, top) {
                    items.push(("danger", "stability limit".into()));
                }
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
    let mut out: Vec<(String, bool, String)> =
        items.into_iter().map(|(c, label)| (c.to_string(), false, label)).collect();
    for (i, p) in pins_on(kind, &cfg, st.pins.get()) {
        // A pinned run's loss chart shows its training loss only.
        let label = if kind == ChartKind::Loss { format!("{}: train loss", p.label) } else { p.label };
        out.push((format!("ghost{}", i % 4 + 1), true, label));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Drawing

type DrawResult = Result<Geom, String>;

fn context_of(cv: &HtmlCanvasElement) -> Result<Ctx, String> {
    cv.get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<Ctx>().ok())
        .ok_or_else(|| "no 2d context".to_string())
}

/// The canvas being drawn on: its 2D context, backing size, the scale `s` of fonts, line
/// widths and margins (devicePixelRatio × the stylesheet's `--chart-scale`), and the chart's
/// cached layers.
struct Paper {
    ctx: Ctx,
    w: f64,
    h: f64,
    s: f64,
    layers: Rc<Layers>,
}

/// Offscreen canvases a chart keeps between redraws (one set per chart on the page).
#[derive(Default)]
struct Layers {
    /// The pinned runs, and the key they were drawn for (see [`ghosts`]).
    ghosts: RefCell<Option<(Vec<u64>, HtmlCanvasElement)>>,
    /// The contour image, the surface it shows (held, so no other surface can reuse its
    /// address) and the theme it was coloured for.
    contours: RefCell<Option<(Arc<Surface>, u32, HtmlCanvasElement)>>,
}

/// Horizontal and vertical text anchors (canvas `textAlign`, `textBaseline`).
#[derive(Clone, Copy)]
enum Anchor {
    LeftTop,
    RightMiddle,
    CenterTop,
    LeftMiddle,
    RightBottom,
    LeftBottom,
}

/// A straight segment in pixels.
type Seg = ((f64, f64), (f64, f64));

/// Pixel coordinates kept where canvas paths stay well behaved (a diverged run's numbers
/// are huge but finite; NaN is dropped by the callers).
fn sane(v: f64) -> f64 {
    v.clamp(-1e6, 1e6)
}

impl Paper {
    fn fill_rect(&self, x: f64, y: f64, w: f64, h: f64, color: String) {
        self.ctx.set_fill_style_str(&color);
        self.ctx.fill_rect(x, y, w, h);
    }

    /// One polyline (pixel points; a non-finite point breaks it), one stroke.
    fn line(&self, pts: &[(f64, f64)], color: &str, width: f64, dash: Option<(f64, f64)>) {
        let ctx = &self.ctx;
        ctx.begin_path();
        let mut pen_down = false;
        for &(x, y) in pts {
            if !(x.is_finite() && y.is_finite()) {
                pen_down = false;
                continue;
            }
            if pen_down {
                ctx.line_to(sane(x), sane(y));
            } else {
                ctx.move_to(sane(x), sane(y));
                pen_down = true;
            }
        }
        self.stroke(color, width, dash);
    }

    /// Several straight segments in one path (grid lines, markers), one stroke.
    fn segments(&self, segs: &[Seg], color: &str, width: f64, dash: Option<(f64, f64)>) {
        if segs.is_empty() {
            return;
        }
        self.ctx.begin_path();
        for &(a, b) in segs {
            self.ctx.move_to(sane(a.0), sane(a.1));
            self.ctx.line_to(sane(b.0), sane(b.1));
        }
        self.stroke(color, width, dash);
    }

    fn stroke(&self, color: &str, width: f64, dash: Option<(f64, f64)>) {
        let ctx = &self.ctx;
        ctx.set_line_width(width);
        ctx.set_stroke_style_str(color);
        if let Some((on, off)) = dash {
            let _ = ctx.set_line_dash(&js_sys::Array::of2(&on.into(), &off.into()));
        }
        ctx.stroke();
        if dash.is_some() {
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
    }

    fn polygon(&self, pts: &[(f64, f64)], color: &str) {
        let ctx = &self.ctx;
        ctx.begin_path();
        for (i, &(x, y)) in pts.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).enumerate() {
            if i == 0 {
                ctx.move_to(sane(x), sane(y));
            } else {
                ctx.line_to(sane(x), sane(y));
            }
        }
        ctx.close_path();
        ctx.set_fill_style_str(color);
        ctx.fill();
    }

    fn circle(&self, (x, y): (f64, f64), r: f64, fill: Option<&str>, stroke: Option<(&str, f64)>) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let ctx = &self.ctx;
        ctx.begin_path();
        let _ = ctx.arc(sane(x), sane(y), r, 0.0, TAU);
        if let Some(c) = fill {
            ctx.set_fill_style_str(c);
            ctx.fill();
        }
        if let Some((c, w)) = stroke {
            self.stroke(c, w, None);
        }
    }

    /// Many filled dots in one path.
    fn dots(&self, pts: impl Iterator<Item = (f64, f64)>, r: f64, color: &str) {
        let ctx = &self.ctx;
        ctx.begin_path();
        for (x, y) in pts.filter(|p| p.0.is_finite() && p.1.is_finite()) {
            let (x, y) = (sane(x), sane(y));
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, TAU);
        }
        ctx.set_fill_style_str(color);
        ctx.fill();
    }

    fn font(&self, size: f64, color: &str) {
        self.ctx.set_font(&format!("{}px sans-serif", (size * self.s * 10.0).round() / 10.0));
        self.ctx.set_fill_style_str(color);
    }

    /// Text at a pixel position, in the current font and colour.
    fn text(&self, text: &str, (x, y): (f64, f64), anchor: Anchor) {
        let (align, baseline) = match anchor {
            Anchor::LeftTop => ("left", "top"),
            Anchor::RightMiddle => ("right", "middle"),
            Anchor::CenterTop => ("center", "top"),
            Anchor::LeftMiddle => ("left", "middle"),
            Anchor::RightBottom => ("right", "bottom"),
            Anchor::LeftBottom => ("left", "bottom"),
        };
        self.ctx.set_text_align(align);
        self.ctx.set_text_baseline(baseline);
        let _ = self.ctx.fill_text(text, sane(x), sane(y));
    }

    /// A centered message (errors, empty runs).
    fn message(&self, pal: &Palette, text: &str) {
        self.font(14.0, &pal.fg.css());
        self.text(text, (16.0 * self.s, self.h / 2.0), Anchor::LeftTop);
    }
}

/// The plot area in backing pixels and the data ranges it shows.
#[derive(Clone, Copy, Debug)]
struct Area {
    l: f64,
    r: f64,
    t: f64,
    b: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Area {
    /// The plot area left by the label areas and margins (in units of `p.s`).
    fn new(p: &Paper, (top, right, bottom, left): (f64, f64, f64, f64), x: (f64, f64), y: (f64, f64)) -> Area {
        let s = p.s;
        Area { l: left * s, r: p.w - right * s, t: top * s, b: p.h - bottom * s, x, y }
    }
    fn usable(&self) -> bool {
        self.r - self.l >= 10.0 && self.b - self.t >= 10.0 && self.x.1 > self.x.0 && self.y.1 > self.y.0
    }
    fn px(&self, v: f64) -> f64 {
        self.l + (v - self.x.0) / (self.x.1 - self.x.0) * (self.r - self.l)
    }
    fn py(&self, v: f64) -> f64 {
        self.b - (v - self.y.0) / (self.y.1 - self.y.0) * (self.b - self.t)
    }
    fn at(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.px(x), self.py(y))
    }
    /// The same area over another y range (a right-hand axis).
    fn with_y(&self, y: (f64, f64)) -> Area {
        Area { y, ..*self }
    }
    fn geom(&self) -> Geom {
        Geom { left: self.l, right: self.r, x0: self.x.0, x1: self.x.1, points: Vec::new() }
    }
    /// Clip further drawing to the plot area (undo with `ctx.restore()`).
    fn clip(&self, ctx: &Ctx) {
        ctx.save();
        ctx.begin_path();
        ctx.rect(self.l, self.t - 1.0, self.r - self.l, self.b - self.t + 2.0);
        ctx.clip();
    }
}

/// A series whose x never decreases, in pixels, with at most four points per pixel column
/// (the first, the lowest, the highest and the last, in drawing order), and only the last where
/// the column's points span less than half a pixel: the same picture as every point, for a
/// fraction of the `lineTo` calls (each one a call from wasm into the browser). Fed point by point, so long series
/// (40,000 per-batch learning rates) need no intermediate vector.
struct Series<'a> {
    a: &'a Area,
    out: Vec<(f64, f64)>,
    cur: Option<Col>,
}

/// One pixel column's points so far: (point, sequence number in the column).
struct Col {
    c: i64,
    first: (f64, f64),
    lo: ((f64, f64), u32),
    hi: ((f64, f64), u32),
    last: ((f64, f64), u32),
}

impl<'a> Series<'a> {
    fn new(a: &'a Area) -> Self {
        Series { a, out: Vec::new(), cur: None }
    }

    fn flush(&mut self) {
        if let Some(col) = self.cur.take() {
            if col.hi.0 .1 - col.lo.0 .1 < 0.5 {
                // A column less than half a pixel tall (a smooth curve): its last point alone
                // draws the same picture, plus its first where the line starts or jumps to it
                // (a step at the column's edge stays vertical).
                let jump = |q: &(f64, f64)| q.0.is_nan() || (q.1 - col.first.1).abs() >= 0.5;
                if self.out.last().is_none_or(jump) && col.last.1 > 0 {
                    self.out.push(col.first);
                }
                self.out.push(col.last.0);
                return;
            }
            self.out.push(col.first);
            let (a, b) = if col.lo.1 <= col.hi.1 { (col.lo, col.hi) } else { (col.hi, col.lo) };
            for (q, n) in [a, b, col.last] {
                if n > 0 && self.out.last() != Some(&q) {
                    self.out.push(q);
                }
            }
        }
    }

    /// Add a point in data coordinates (a non-finite one breaks the line).
    fn push(&mut self, p: (f64, f64)) {
        let q = self.a.at(p);
        if !(q.0.is_finite() && q.1.is_finite()) {
            self.flush();
            self.out.push((f64::NAN, f64::NAN));
            return;
        }
        let c = q.0.floor() as i64;
        match self.cur.as_mut() {
            Some(col) if col.c == c => {
                let n = col.last.1 + 1;
                if q.1 < col.lo.0 .1 {
                    col.lo = (q, n);
                }
                if q.1 > col.hi.0 .1 {
                    col.hi = (q, n);
                }
                col.last = (q, n);
            }
            _ => {
                self.flush();
                self.cur = Some(Col { c, first: q, lo: (q, 0), hi: (q, 0), last: (q, 0) });
            }
        }
    }

    fn finish(mut self) -> Vec<(f64, f64)> {
        self.flush();
        self.out
    }
}

fn series_px(a: &Area, pts: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut s = Series::new(a);
    for p in pts {
        s.push(p);
    }
    s.finish()
}

/// The lowest stability limit over the run's epochs (one value unless a scheduler cycles
/// the momentum; see `panels::limit_in_epoch`).
fn lowest_limit(cfg: &SimConfig, problem: &Problem, t: &Trace) -> Option<f64> {
    let cycled = cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let epochs = if cycled { t.len().max(1) } else { 1 };
    (0..epochs).filter_map(|e| super::panels::limit_in_epoch(cfg, problem, t, e)).reduce(f64::min)
}

/// Whether the LR chart shows the stability limit `lim` beside learning rates up to `top`:
/// when it is within 3× of them (the axis then stretches to it); a limit far above would
/// flatten the curves.
fn shows_limit(lim: f64, top: f64) -> bool {
    lim < top * 3.0 || top == 0.0
}

/// The learning rates a trace used: per SGD step when stepping per batch, else per epoch.
fn lr_values(t: &Trace, per_batch: bool) -> &[f64] {
    if per_step(t, per_batch) {
        &t.step_lr
    } else {
        &t.lr
    }
}

/// Whether the LR curve has a point per SGD step (stepped per batch) rather than per epoch.
fn per_step(t: &Trace, per_batch: bool) -> bool {
    per_batch && t.steps_per_epoch > 0 && !t.step_lr.is_empty()
}

/// What the LR chart's summary adds on a log scale when the LR reaches 0 (PolynomialLR's
/// end, LinearLR down to 0, CyclicLR from 0), or rounding noise below the smallest LR drawn
/// (`ticks::log_floor`): those are drawn on the bottom line, which would read as its value.
/// Said in words under the chart rather than on it, where a note collides with the curve.
pub fn log_floor_note(t: &Trace, per_batch: bool) -> Option<String> {
    let vals = lr_values(t, per_batch);
    // No positive lr at all (lr = 0): the whole curve lies on the bottom line.
    let floor = ticks::log_floor(vals.iter().copied()).unwrap_or(f64::MIN_POSITIVE);
    let i = vals.iter().position(|&v| v < floor)?;
    let x = if per_step(t, per_batch) { i as f64 / t.steps_per_epoch as f64 } else { i as f64 };
    let when = match x {
        0.0 => "from the start".to_string(),
        1.0 => "first after 1 epoch".to_string(),
        _ => format!("first after {} epochs", fmt_num(x)),
    };
    let what = if vals[i] == 0.0 { "An lr of 0" } else { "An lr of about 0" };
    Some(format!("{what} ({when}) is drawn on the bottom line: a log scale has no 0."))
}

/// The LR curve in pixels (y through `tf`): per-step points when stepping per batch (x in
/// epochs), else a step line with one level per epoch.
fn lr_px(a: &Area, t: &Trace, per_batch: bool, tf: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    let mut s = Series::new(a);
    if per_step(t, per_batch) {
        let spe = t.steps_per_epoch as f64;
        for (i, &lr) in t.step_lr.iter().enumerate() {
            s.push((i as f64 / spe, tf(lr)));
        }
        if let Some(&last) = t.step_lr.last() {
            s.push((t.step_lr.len() as f64 / spe, tf(last)));
        }
    } else {
        for (e, &lr) in t.lr.iter().enumerate() {
            s.push((e as f64, tf(lr)));
            s.push((e as f64 + 1.0, tf(lr)));
        }
    }
    s.finish()
}

/// The top of a linear y axis from 0 over values up to `v`: a labelled tick ([`ticks::nice_top`]).
fn nice_max(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    ticks::nice_top(v, 5)
}

/// Draw the pinned runs through a cached layer. They do not change while the user drags a
/// slider, and only move when the axes do: the layer is redrawn when the pins, the canvas,
/// the plot area, its ranges, `extra` (what else maps values to pixels) or the theme change,
/// and otherwise copied in with one `drawImage` (stroking four long dashed lines again would
/// cost milliseconds of drawing and tens of milliseconds of software rasterization).
fn ghosts(p: &Paper, d: &DrawData, a: &Area, extra: &[f64], draw: impl FnOnce(&Paper)) {
    if d.pins.is_empty() {
        return;
    }
    let mut key: Vec<u64> = d.pins.iter().map(|(_, pin)| pin.id as u64).collect();
    key.push(u64::MAX);
    key.extend([p.w, p.h, p.s, a.l, a.r, a.t, a.b, a.x.0, a.x.1, a.y.0, a.y.1].iter().map(|v| v.to_bits()));
    key.extend(extra.iter().map(|v| v.to_bits()));
    key.push(d.theme as u64);
    let cache = &p.layers.ghosts;
    let hit = cache.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, cv)| cv.clone());
    let layer = hit.or_else(|| {
        let cv = cache
            .borrow_mut()
            .take()
            .map(|(_, cv)| cv)
            .or_else(|| web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok())?;
        cv.set_width(p.w as u32);
        cv.set_height(p.h as u32); // also clears it
        let layer = Paper { ctx: context_of(&cv).ok()?, w: p.w, h: p.h, s: p.s, layers: p.layers.clone() };
        layer.ctx.set_line_join("round");
        draw(&layer);
        *cache.borrow_mut() = Some((key, cv.clone()));
        Some(cv)
    });
    if let Some(cv) = layer {
        let _ = p.ctx.draw_image_with_html_canvas_element(&cv, 0.0, 0.0);
    }
}

/// Dash pattern of pinned run `i` (each ghost its own rhythm).
fn ghost_dash(i: usize, s: f64) -> Option<(f64, f64)> {
    Some(((6.0 + 2.0 * i as f64) * s, (3.0 + i as f64) * s))
}

fn draw_lr(p: &Paper, d: &DrawData, pal: &Palette) -> DrawResult {
    let Some(t) = trace_or_message(p, d, pal) else { return Ok(Geom::default()) };
    let s = p.s;
    let per_batch = d.cfg.per_batch();
    let xmax = (t.epochs.max(1)) as f64;
    let runs = || {
        std::iter::once(lr_values(&t, per_batch)).chain(d.pins.iter().map(|(_, p)| lr_values(&p.trace, p.per_batch())))
    };
    let mut ymax = runs().flatten().fold(0.0f64, |m, &v| m.max(v));
    let stability = lowest_limit(&d.cfg, &d.problem, &t);
    let cycled = d.cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    if let Some(s) = stability.filter(|&s| shows_limit(s, ymax)) {
        ymax = ymax.max(s * 1.1);
    }
    let ymax = nice_max(ymax);
    let log = d.log_lr;
    // Log scale: down to the smallest positive LR, however many decades a decay spans (a
    // straight line all the way), but not to rounding noise (`ticks::log_floor`). LRs of 0
    // or below the floor are drawn on it.
    let floor = if log { ticks::log_floor(runs().flatten().copied()).unwrap_or(ymax * 1e-3) } else { 0.0 };
    let tf = move |v: f64| if log { v.max(floor).log10() } else { v };
    let (ylo, yhi) = if log {
        let (a, b) = (floor.log10(), ymax.log10());
        let pad = ((b - a) * 0.05).max(0.05);
        (a - pad, b + pad * 0.4)
    } else {
        (0.0, ymax)
    };
    let momentum = d.cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let a = Area::new(p, (12.0, if momentum { 48.0 } else { 14.0 }, 34.0, 60.0), (0.0, xmax), (ylo, yhi));
    if !a.usable() {
        return Ok(Geom::default());
    }
    let y2 = if momentum { Some(Axis::linear(0.0, 1.0, 4, fmt_num)) } else { None };
    let yaxis = if log { Axis::log(ylo, yhi) } else { Axis::linear(ylo, yhi, 5, fmt_num) };
    draw_axes(p, &a, &Axis::epochs(xmax), &yaxis, y2.as_ref(), pal);
    let pts = lr_px(&a, &t, per_batch, tf);
    a.clip(&p.ctx);
    // Stability limit and the region above it.
    if let (Some(lim), true) = (stability, cycled) {
        // The limit moves with the momentum the scheduler cycles: a step line, one level
        // per epoch (the region above it is not shaded).
        if lim < ymax {
            let mut line = Vec::with_capacity(2 * t.len());
            for e in 0..t.len() {
                let l = super::panels::limit_in_epoch(&d.cfg, &d.problem, &t, e).unwrap_or(f64::INFINITY);
                let y = a.py(tf(l.min(ymax * 2.0)));
                line.push((a.px(e as f64), y));
                line.push((a.px(e as f64 + 1.0), y));
            }
            p.line(&line, &pal.danger.css(), 1.5 * s, Some((6.0 * s, 4.0 * s)));
            let formula = super::panels::stability_formula(&d.cfg.optimizer, true, true);
            p.font(11.0, &pal.danger.css());
            // Above the line's highest level, clear of it.
            let top = line.iter().map(|q| q.1).fold(f64::INFINITY, f64::min).max(a.t + 14.0 * s);
            p.text(
                &format!("stable below {formula}, μ as cycled"),
                (a.px(xmax * 0.02), top - 3.0 * s),
                Anchor::LeftBottom,
            );
        }
    } else if let Some(lim) = stability {
        if lim < ymax {
            let ts = a.py(tf(lim));
            let mut poly: Vec<(f64, f64)> =
                pts.iter().filter(|q| q.0.is_finite()).map(|&(x, y)| (x, y.min(ts))).collect();
            if let (Some(first), Some(last)) = (poly.first().copied(), poly.last().copied()) {
                poly.push((last.0, ts));
                poly.push((first.0, ts));
            }
            p.polygon(&poly, &pal.danger.alpha(0.22));
            p.line(&[(a.l, ts), (a.r, ts)], &pal.danger.css(), 1.5 * s, Some((6.0 * s, 4.0 * s)));
            let o = &d.cfg.optimizer;
            let formula = super::panels::stability_formula(o, o.momentum > 0.0, true);
            let label = format!("stable below {formula} = {}", fmt_num(lim));
            p.font(11.0, &pal.danger.css());
            // Just below the dashed line, not struck through by it.
            p.text(&label, (a.px(xmax * 0.02), ts + 3.0 * s), Anchor::LeftTop);
        }
    }
    // Markers: drops, restarts, milestones, switches, plateau reductions.
    let marks: Vec<Seg> = t.markers.iter().take(500).map(|m| a.px(m.0)).map(|x| ((x, a.t), (x, a.b))).collect();
    p.segments(&marks, &pal.marker.alpha(0.8), s, Some((4.0 * s, 4.0 * s)));
    // Pinned runs (a cached layer: they only move when the axes do). `floor` moves with the
    // current run's smallest LR, but maps values to pixels only on the log scale.
    ghosts(p, d, &a, &if log { [1.0, floor] } else { [0.0; 2] }, |g| {
        for &(i, ref pin) in &d.pins {
            let gp = lr_px(&a, &pin.trace, pin.per_batch(), tf);
            g.line(&gp, &pal.ghosts[i % 4].alpha(0.75), 1.5 * s, ghost_dash(i, s));
        }
    });
    if momentum {
        let a2 = a.with_y((0.0, 1.0));
        let mp = series_px(&a2, t.momentum.iter().enumerate().map(|(e, &m)| (e as f64 + 0.5, m)));
        p.line(&mp, &pal.momentum.css(), 1.5 * s, None);
    }
    p.line(&pts, &pal.lr.css(), 2.0 * s, None);
    draw_divergence(p, &a, &t, pal);
    if let Some(c) = d.cursor.filter(|&c| c < t.len()) {
        let x = a.px(c as f64 + 1.0);
        p.line(&[(x, a.t), (x, a.b)], &pal.cursor.css(), s, None);
        // At the end of the epoch: its LR, or stepped per batch its last batch's (on the curve).
        let lr = t.last_step_lr(c).unwrap_or(t.lr[c]);
        p.circle((x, a.py(tf(lr))), 4.0 * s, Some(&pal.cursor.css()), None);
    }
    p.ctx.restore();
    Ok(a.geom())
}

/// The run to draw, or `None` once the reason there is none is written across the chart.
fn trace_or_message(p: &Paper, d: &DrawData, pal: &Palette) -> Option<Arc<Trace>> {
    match &d.trace {
        Ok(t) => Some(t.clone()),
        Err(e) => {
            p.message(pal, e);
            None
        }
    }
}

fn draw_divergence(p: &Paper, a: &Area, t: &Trace, pal: &Palette) {
    if let Some(dv) = &t.divergence {
        let x = a.px(dv.epoch as f64 + 1.0);
        let c = pal.danger.css();
        p.line(&[(x, a.t), (x, a.b)], &c, 2.0 * p.s, None);
        p.font(12.0, &c);
        p.text(&format!("diverged (epoch {})", dv.epoch + 1), (x, a.t), Anchor::LeftTop);
    }
}

fn draw_loss(p: &Paper, d: &DrawData, pal: &Palette) -> DrawResult {
    let Some(t) = trace_or_message(p, d, pal) else { return Ok(Geom::default()) };
    let s = p.s;
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
    for q in train.iter().chain(&val) {
        lo = lo.min(q.1);
        hi = hi.max(q.1);
    }
    for (_, pin) in &d.pins {
        for &v in pin.trace.train_loss.iter().chain(std::iter::once(&pin.trace.loss0)) {
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
    // A linear axis starts at 0 and ends on a labelled tick.
    let (lo, hi) = if log { (lo - pad, hi + pad) } else { (lo, if lo == 0.0 { nice_max(hi) } else { hi + pad }) };
    let logistic = !t.accuracy.is_empty();
    let a = Area::new(p, (12.0, if logistic { 48.0 } else { 14.0 }, 34.0, 60.0), (0.0, xmax), (lo, hi));
    if !a.usable() {
        return Ok(Geom::default());
    }
    let y2 = if logistic { Some(Axis::linear(0.0, 1.0, 4, |v| format!("{:.0}%", v * 100.0))) } else { None };
    let yaxis = if log { Axis::log(lo, hi) } else { Axis::linear(lo, hi, 5, fmt_num) };
    draw_axes(p, &a, &Axis::epochs(xmax), &yaxis, y2.as_ref(), pal);
    a.clip(&p.ctx);
    // ReduceLROnPlateau: threshold band between best and bar, best-so-far, reductions.
    if !t.plateau.is_empty() {
        let n = t.plateau.len();
        let mut band = series_px(&a, (0..n).map(|e| (e as f64 + 1.0, tf(t.plateau[e].best))));
        let mut bar = series_px(&a, (0..n).map(|e| (e as f64 + 1.0, tf(t.plateau[e].bar))));
        bar.reverse();
        let best = band.clone();
        band.extend(bar);
        p.polygon(&band, &pal.best.alpha(0.18));
        p.line(&best, &pal.best.css(), 1.5 * s, None);
        let reduced: Vec<usize> = t.plateau.iter().enumerate().filter(|(_, q)| q.reduced).map(|(e, _)| e).collect();
        let lines: Vec<_> = reduced.iter().map(|&e| a.px(e as f64 + 1.0)).map(|x| ((x, a.t), (x, a.b))).collect();
        p.segments(&lines, &pal.marker.css(), s, Some((4.0 * s, 4.0 * s)));
        let r = 5.0 * s;
        let ctx = &p.ctx;
        ctx.begin_path();
        for &e in &reduced {
            let (x, y) = a.at((e as f64 + 1.0, tf(t.plateau[e].best)));
            if x.is_finite() && y.is_finite() {
                ctx.move_to(x, sane(y) - r);
                ctx.line_to(x + r * 0.866, sane(y) + r * 0.5);
                ctx.line_to(x - r * 0.866, sane(y) + r * 0.5);
                ctx.close_path();
            }
        }
        ctx.set_fill_style_str(&pal.danger.css());
        ctx.fill();
    }
    ghosts(p, d, &a, &[log as u8 as f64], |g| {
        for &(i, ref pin) in &d.pins {
            let gp = series_px(&a, series(&pin.trace, &pin.trace.train_loss));
            g.line(&gp, &pal.ghosts[i % 4].alpha(0.75), 1.5 * s, ghost_dash(i, s));
        }
    });
    if logistic {
        let a2 = a.with_y((0.0, 1.0));
        let acc = series_px(&a2, t.accuracy.iter().enumerate().map(|(e, &v)| (e as f64 + 1.0, v)));
        p.line(&acc, &pal.acc.alpha(0.9), 1.5 * s, None);
    }
    if !val.is_empty() {
        p.line(&series_px(&a, val), &pal.val.css(), 1.5 * s, None);
    }
    p.line(&series_px(&a, train), &pal.train.css(), 2.0 * s, None);
    draw_divergence(p, &a, &t, pal);
    if let Some(c) = d.cursor.filter(|&c| c < t.len()) {
        let x = a.px(c as f64 + 1.0);
        p.line(&[(x, a.t), (x, a.b)], &pal.cursor.css(), s, None);
        p.circle((x, a.py(tf(t.train_loss[c]))), 4.0 * s, Some(&pal.cursor.css()), None);
    }
    p.ctx.restore();
    Ok(a.geom())
}

// --- parameter space ---------------------------------------------------------------------

const BANDS: f64 = 14.0;

/// Render the surface as filled colour bands into an offscreen canvas (once per surface).
fn contour_image(layers: &Layers, s: &Arc<Surface>, theme: u32) -> Option<HtmlCanvasElement> {
    let cached =
        layers.contours.borrow().as_ref().filter(|c| Arc::ptr_eq(&c.0, s) && c.1 == theme).map(|c| c.2.clone());
    if cached.is_some() {
        return cached;
    }
    let doc = web_sys::window()?.document()?;
    let cv: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    cv.set_width(s.nx as u32);
    cv.set_height(s.ny as u32);
    let ctx: Ctx = cv.get_context("2d").ok()??.dyn_into().ok()?;
    let style = web_sys::window().and_then(|w| w.get_computed_style(&doc.document_element()?).ok().flatten());
    let dark = style.and_then(|s| s.get_property_value("--contour-dark").ok()).is_some_and(|v| v.trim() == "1");
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
    *layers.contours.borrow_mut() = Some((s.clone(), theme, cv.clone()));
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

/// The parameter-space plot's margins (top, right, bottom, left) in CSS pixels at scale 1.
const PARAMS_MARGINS: (f64, f64, f64, f64) = (18.0, 14.0, 34.0, 52.0);

/// Width over height of the parameter-space plot area for a chart of `w` × `h` CSS pixels
/// at font scale `scale`: the view window takes this shape, so that a unit of w0 and of w1
/// are the same length on screen (a round bowl looks round, steps cross contours at right
/// angles).
fn params_aspect(w: f64, h: f64, scale: f64) -> Option<f64> {
    let (top, right, bottom, left) = PARAMS_MARGINS;
    let (pw, ph) = (w - (left + right) * scale, h - (top + bottom) * scale);
    (pw > 10.0 && ph > 10.0).then(|| pw / ph)
}

fn draw_params(p: &Paper, d: &DrawData, pal: &Palette) -> DrawResult {
    let Some(t) = trace_or_message(p, d, pal) else { return Ok(Geom::default()) };
    let s = p.s;
    let Some((w, surface)) = &d.contours else { return Ok(Geom::default()) };
    let w = *w;
    let (top, right, bottom, left) = PARAMS_MARGINS;
    let a = Area::new(p, (top, right, bottom, left), w.x, w.y);
    if !a.usable() {
        return Ok(Geom::default());
    }
    let xa = Axis::linear(w.x.0, w.x.1, 5, fmt_num).named("w0");
    let ya = Axis::linear(w.y.0, w.y.1, 5, fmt_num).named("w1");
    let ctx = &p.ctx;
    a.clip(ctx);
    if let Some(img) = contour_image(&p.layers, surface, d.theme) {
        // Drawn where it belongs (the surface is sampled over the view window).
        let sf = surface;
        let (x0, y0) = a.at((sf.x.0, sf.y.1));
        let (x1, y1) = a.at((sf.x.1, sf.y.0));
        ctx.set_image_smoothing_enabled(true);
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&img, x0, y0, x1 - x0, y1 - y0);
    }
    ctx.restore();
    draw_axes(p, &a, &xa, &ya, None, pal);
    a.clip(ctx);
    let clamp = |q: (f64, f64)| {
        let (dx, dy) = ((w.x.1 - w.x.0) * 0.5, (w.y.1 - w.y.0) * 0.5);
        (q.0.clamp(w.x.0 - dx, w.x.1 + dx), q.1.clamp(w.y.0 - dy, w.y.1 + dy))
    };
    let to_px = |v: Vec<(f64, f64)>| -> Vec<(f64, f64)> { v.into_iter().map(|q| a.at(clamp(q))).collect() };
    ghosts(p, d, &a, &[], |g| {
        for &(i, ref pin) in &d.pins {
            let gp = to_px(decimate(&pin.trace.path, 1500));
            g.line(&gp, &pal.ghosts[i % 4].alpha(0.8), 1.5 * s, ghost_dash(i, s));
        }
    });
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
        p.line(&to_px(decimate(rest, 3000)), &pal.path.alpha(0.22), 1.2 * s, None);
    }
    p.line(&to_px(decimate(done, 3000)), &pal.path.alpha(0.85), 1.5 * s, None);
    // Per-epoch dots (sparse).
    let stride = (t.weights.len() / 40).max(1);
    p.dots(t.weights.iter().step_by(stride).map(|wv| a.at(clamp((wv[0], wv[1])))), 1.8 * s, &pal.path.css());
    if let Some(st) = t.path.first() {
        p.circle(a.at((st[0], st[1])), 5.0 * s, Some(&pal.acc.css()), None);
    }
    let end_mark = match d.problem.minimum() {
        Some(m) => Some((m[0], m[1])),
        None => t.path.last().map(|l| (l[0], l[1])),
    };
    if let Some(m) = end_mark {
        let (x, y) = a.at(clamp(m));
        let r = 6.0 * s;
        p.segments(
            &[((x - r, y - r), (x + r, y + r)), ((x - r, y + r), (x + r, y - r))],
            &pal.danger.css(),
            2.5 * s,
            None,
        );
    }
    if let Some(c) = d.cursor.filter(|&c| c < t.weights.len()) {
        let wv = t.weights[c];
        p.circle(a.at(clamp((wv[0], wv[1]))), 6.0 * s, None, Some((&pal.cursor.css(), 2.5 * s)));
    }
    if t.divergence.is_some() {
        p.font(12.0, &pal.danger.css());
        p.text(
            "diverged: the path leaves the window",
            a.at((w.x.0 + (w.x.1 - w.x.0) * 0.03, w.y.1 - (w.y.1 - w.y.0) * 0.04)),
            Anchor::LeftTop,
        );
    }
    ctx.restore();
    let points = t.weights.iter().map(|wv| a.at(clamp((wv[0], wv[1])))).collect();
    Ok(Geom { points, ..a.geom() })
}

// --- axes --------------------------------------------------------------------------------

/// Tick positions and labels of one axis.
struct Axis {
    ticks: Vec<(f64, String)>,
    name: Option<&'static str>,
}

impl Axis {
    fn linear(lo: f64, hi: f64, n: usize, fmt: impl Fn(f64) -> String) -> Axis {
        Axis { ticks: ticks::linear(lo, hi, n).into_iter().map(|v| (v, fmt(v))).collect(), name: None }
    }
    fn epochs(xmax: f64) -> Axis {
        Axis::linear(0.0, xmax, 5, fmt_num).named("epoch")
    }
    /// Values are log10 of the data; the labels are the values at the ticks.
    fn log(lo: f64, hi: f64) -> Axis {
        let marks = ticks::log(lo, hi).into_iter().map(|(k, v)| (k, fmt_num(ticks::round_sig(v, 4)))).collect();
        Axis { ticks: marks, name: None }
    }
    fn named(mut self, name: &'static str) -> Axis {
        self.name = Some(name);
        self
    }
}

/// Grid, tick labels (placed with canvas text anchors: never measured), axis lines and names.
fn draw_axes(p: &Paper, a: &Area, xa: &Axis, ya: &Axis, y2: Option<&Axis>, pal: &Palette) {
    let s = p.s;
    // Thin lines on pixel centres stay crisp.
    let crisp = |v: f64| (v.round() + 0.5).min(p.w - 0.5);
    let (l, r, t, b) = (crisp(a.l), crisp(a.r), crisp(a.t), crisp(a.b));
    let gap = 5.0 * s;
    let in_y = |y: f64| y >= a.t - 1.0 && y <= a.b + 1.0;
    let in_x = |x: f64| x >= a.l - 1.0 && x <= a.r + 1.0;
    let ys: Vec<(f64, &str)> =
        ya.ticks.iter().map(|(v, lab)| (a.py(*v), lab.as_str())).filter(|(y, _)| in_y(*y)).collect();
    let xs: Vec<(f64, &str)> =
        xa.ticks.iter().map(|(v, lab)| (a.px(*v), lab.as_str())).filter(|(x, _)| in_x(*x)).collect();
    let mut grid: Vec<Seg> = ys.iter().map(|(y, _)| ((l, crisp(*y)), (r, crisp(*y)))).collect();
    grid.extend(xs.iter().map(|(x, _)| ((crisp(*x), t), (crisp(*x), b))));
    p.segments(&grid, &pal.grid.css(), s.round().max(1.0), None);
    p.font(11.5, &pal.fg.css());
    for (y, lab) in &ys {
        p.text(lab, (a.l - gap, *y), Anchor::RightMiddle);
    }
    for (x, lab) in &xs {
        p.text(lab, (*x, a.b + gap), Anchor::CenterTop);
    }
    let mut axis = vec![((l, t), (l, b)), ((l, b), (r, b))];
    if let Some(y2) = y2 {
        for (v, lab) in &y2.ticks {
            p.text(lab, (a.r + gap, a.b - v * (a.b - a.t)), Anchor::LeftMiddle);
        }
        axis.push(((r, t), (r, b)));
    }
    p.segments(&axis, &pal.muted.css(), s.round().max(1.0), None);
    p.font(11.5, &pal.muted.css());
    if let Some(n) = xa.name {
        p.text(n, ((a.l + a.r) / 2.0, a.b + gap + 11.5 * s * 1.25), Anchor::CenterTop);
    }
    if let Some(n) = ya.name {
        p.text(n, (a.l - gap, a.t - 6.0 * s), Anchor::RightBottom);
    }
}

impl Rgb {
    /// `rgba(r, g, b, alpha)`.
    fn alpha(self, alpha: f64) -> String {
        format!("rgba({},{},{},{alpha})", self.0, self.1, self.2)
    }
}
