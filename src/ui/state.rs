//! The UI state: the last valid config, per-field drafts and errors, view options, and the
//! data derived from the config (memos).

use super::frame;
use super::params::{self, ParamSpec};
use crate::core::problems::{Logistic, Problem, ProblemConfig};
use crate::core::schedulers::ConfigError;
use crate::core::shelf::Shelf;
use crate::core::sim::{loss_surface, simulate_with, Shuffles, SimConfig, Surface, Trace};
use crate::core::url::ViewOptions;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A field's rejected text and why.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub text: String,
    pub message: String,
    /// 1-based column for expression errors.
    pub column: Option<usize>,
    /// Whether `text` is a field's text that later edits try again (`params::retry`); not
    /// for the composite editor's actions (add, move, remove a child).
    pub retry: bool,
}

impl FieldError {
    pub fn new(text: &str, err: &ConfigError) -> FieldError {
        let column = match err.kind {
            crate::core::schedulers::ConfigErrorKind::Expression { column } => Some(column),
            _ => None,
        };
        FieldError { text: text.to_string(), message: err.message.clone(), column, retry: true }
    }
}

/// A pinned run shown as a ghost overlay.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub id: u32,
    pub label: String,
    /// The set-up it ran (one run is pinned once).
    pub cfg: SimConfig,
    pub trace: Arc<Trace>,
}

impl Pin {
    /// The problem it trained ([`ProblemConfig::name`](crate::core::problems::ProblemConfig::name)).
    pub fn problem(&self) -> &'static str {
        self.cfg.problem.name()
    }

    /// Whether its scheduler stepped per batch.
    pub fn per_batch(&self) -> bool {
        self.cfg.per_batch()
    }
}

/// Runs pinned at most (as many as a link carries).
pub const MAX_PINS: usize = crate::core::url::MAX_PINS;

/// A plot window over the (w0, w1) plane, quantized so small path changes keep it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub bias: f64,
}

pub type TraceResult = Result<Arc<Trace>, ConfigError>;

#[derive(Clone, Copy)]
pub struct AppState {
    /// The last valid config.
    pub cfg: RwSignal<SimConfig>,
    /// Text typed into a field that is being edited (kept while focused) or was rejected.
    pub drafts: RwSignal<HashMap<String, String>>,
    pub errors: RwSignal<HashMap<String, FieldError>>,
    /// Shared cursor epoch (None: not hovering).
    pub cursor: RwSignal<Option<usize>>,
    pub playing: RwSignal<bool>,
    /// Playback speed in epochs per second.
    pub speed: RwSignal<f64>,
    /// The charts' log scales, read from `view` (where the link keeps them).
    pub log_loss: Memo<bool>,
    pub log_lr: Memo<bool>,
    pub pins: RwSignal<Vec<Pin>>,
    pub next_pin: RwSignal<u32>,
    /// Bumped when the color scheme changes, so charts re-read their colors.
    pub theme: RwSignal<u32>,
    /// Result of the last Copy click (None: nothing to report).
    pub copied: RwSignal<Option<bool>>,
    /// How the page is shown (embed, visible panels/controls), from the URL.
    pub view: RwSignal<ViewOptions>,
    /// Settings from the URL that were ignored, and why.
    pub notices: RwSignal<Vec<String>>,
    /// The length of the page's own link when it is over `url::MAX_FRAGMENT` (opening it
    /// would cut it), so the user is told before they share or reload it.
    pub link_too_long: RwSignal<Option<(usize, usize)>>,
    /// Whether the scheduler's run-length parameter (`params::run_length_key`: OneCycleLR's
    /// `total_steps`, CosineAnnealingLR's `T_max`) follows the run: from picking the
    /// scheduler (or opening a set-up where it is the run's length) until the user sets it.
    pub follow_run: StoredValue<bool>,
    /// The settings of the schedulers switched away from (`core::shelf`), emptied when a
    /// whole set-up is replaced.
    pub shelf: StoredValue<Shelf>,

    /// Every control of the config with its value as text (`params::values`): computed once
    /// per change and shared by the control rows, each of which only reacts to its own entry.
    pub controls: Memo<Vec<(ParamSpec, Option<String>)>>,
    pub problem: Memo<Arc<Problem>>,
    pub trace: Memo<TraceResult>,
    pub window: Memo<Window>,
    pub surface: Memo<Contours>,
    /// Width over height of the parameter-space plot on screen (the window takes its shape).
    pub params_aspect: RwSignal<f64>,
}

/// A set-up with the state that goes with it: the settings of the schedulers switched away
/// from and whether the run length follows the run ([`AppState::snapshot`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub cfg: SimConfig,
    shelf: Shelf,
    follow_run: bool,
    /// The fields' typed and refused texts (Undo of a reset brings them back too).
    drafts: HashMap<String, String>,
    errors: HashMap<String, FieldError>,
}

/// The shared minibatch orders of [`AppState`]'s runs; equal when they are the same
/// allocation (comparing millions of indices on every change would cost what they save).
#[derive(Clone, Debug)]
struct SharedShuffles(Option<Arc<Shuffles>>);

impl PartialEq for SharedShuffles {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

/// The parameter-space chart's view: the window it shows and the loss surface sampled over
/// it. For the logistic problem it may lag [`AppState::window`] while the user drags (see
/// `AppState::new`): the view holds still (and the pinned runs' layer stays cached) until
/// they pause for a frame.
#[derive(Clone, Debug)]
pub struct Contours {
    pub problem: Arc<Problem>,
    pub window: Window,
    generation: u32,
    pub surface: Arc<Surface>,
}

impl PartialEq for Contours {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.surface, &other.surface)
    }
}

impl AppState {
    pub fn new(cfg: SimConfig) -> AppState {
        let follow_run = StoredValue::new(params::fits_run_length(&cfg));
        let cfg = RwSignal::new(cfg);
        let problem_key: Memo<(ProblemConfig, u64)> = Memo::new(move |_| cfg.with(|c| (c.problem.clone(), c.seed)));
        let problem = Memo::new(move |_| {
            let (p, seed) = problem_key.get();
            Arc::new(p.build(seed))
        });
        let controls = Memo::new(move |_| cfg.with(params::values));
        // The minibatch orders, kept while only the scheduler or the optimizer changes.
        let shuffles = Memo::new(move |prev: Option<&SharedShuffles>| {
            let p = problem.get();
            let (seed, epochs) = cfg.with(|c| (c.seed, c.epochs));
            match prev {
                Some(SharedShuffles(Some(s))) if s.fits(&p, seed, epochs) => SharedShuffles(Some(s.clone())),
                _ => SharedShuffles(Shuffles::new(&p, seed, epochs).map(Arc::new)),
            }
        });
        let trace = Memo::new(move |_| {
            let p = problem.get();
            let s = shuffles.get().0;
            let t0 = frame::span_start();
            let t = cfg.with(|c| simulate_with(&p, c, s.as_deref()).map(Arc::new));
            frame::span_end("simulate", t0);
            t
        });
        let params_aspect = RwSignal::new(DEFAULT_ASPECT);
        let window = Memo::new(move |_| {
            let p = problem.get();
            let aspect = params_aspect.get();
            trace.with(|t| window_for(&p, t.as_ref().ok().map(|t| &**t), aspect))
        });
        // Bumped (from an idle frame) to let the contours catch up with the window.
        let catch_up = RwSignal::new(0u32);
        let surface = Memo::new(move |prev: Option<&Contours>| {
            let p = problem.get();
            let w = window.get();
            let generation = catch_up.get();
            if let Some(prev) = prev.filter(|c| Arc::ptr_eq(&c.problem, &p)) {
                if prev.window == w {
                    return Contours { generation, ..prev.clone() };
                }
                // Same data, new window (the path moved): the logistic loss costs a sum over
                // the data set per grid point, so while the user drags, keep the view and its
                // contours (the path may run past the edges for a moment) and resample once
                // they pause for a frame.
                if matches!(*p, Problem::Logistic(_)) && prev.generation == generation {
                    frame::when_idle("contours", move || catch_up.update(|g| *g = g.wrapping_add(1)));
                    return prev.clone();
                }
            }
            // The logistic loss sums over the data set per grid point: sample it more coarsely.
            let (nx, ny) = if p.minimum().is_some() { (120, 90) } else { (72, 54) };
            let t0 = frame::span_start();
            let s = Arc::new(display_surface(&p, w, nx, ny));
            frame::span_end("surface", t0);
            Contours { problem: p, window: w, generation, surface: s }
        });
        let view = RwSignal::new(ViewOptions::default());
        AppState {
            cfg,
            drafts: RwSignal::new(HashMap::new()),
            errors: RwSignal::new(HashMap::new()),
            cursor: RwSignal::new(None),
            playing: RwSignal::new(false),
            speed: RwSignal::new(20.0),
            log_loss: Memo::new(move |_| view.with(|v| v.log_loss)),
            log_lr: Memo::new(move |_| view.with(|v| v.log_lr)),
            pins: RwSignal::new(Vec::new()),
            next_pin: RwSignal::new(1),
            theme: RwSignal::new(0),
            copied: RwSignal::new(None),
            view,
            notices: RwSignal::new(Vec::new()),
            link_too_long: RwSignal::new(None),
            follow_run,
            shelf: StoredValue::new(Shelf::default()),
            controls,
            problem,
            trace,
            window,
            surface,
            params_aspect,
        }
    }

    /// The parameter-space plot was measured: its window follows its shape (a change under
    /// half a percent, a scrollbar's worth, is not one).
    pub fn set_params_aspect(&self, aspect: f64) {
        if (aspect / self.params_aspect.get_untracked() - 1.0).abs() > 0.005 {
            self.params_aspect.set(aspect);
        }
    }

    /// Apply `text` to parameter `key`: on success the config changes and the field's error
    /// clears; on failure the last valid config stays and the error is recorded.
    pub fn apply(&self, key: &str, text: &str) -> bool {
        if key == "scheduler" {
            return self.pick_scheduler(text);
        }
        let follows = self.follow_run.get_value();
        let res = self.cfg.with_untracked(|c| params::set_following(c, follows, key, text));
        self.settle(key, text, false, res)
    }

    /// Pick a scheduler: one the user switched away from comes back as they left it.
    fn pick_scheduler(&self, name: &str) -> bool {
        let follows = self.follow_run.get_value();
        let mut shelf = self.shelf.get_value();
        let res = self.cfg.with_untracked(|c| shelf.pick(c, follows, name)).map(|p| (p.cfg, p.follows_run));
        if res.is_ok() {
            self.shelf.set_value(shelf);
        }
        self.settle("scheduler", name, false, res)
    }

    /// Apply an edit of the whole config (composite editor), recording errors under `key`.
    pub fn apply_with(
        &self,
        key: &str,
        text: &str,
        f: impl FnOnce(&SimConfig) -> Result<SimConfig, ConfigError>,
    ) -> bool {
        let follows = self.follow_run.get_value();
        let res = self.cfg.with_untracked(f).map(|next| (next, follows));
        self.settle(key, text, true, res)
    }

    /// Take the outcome `res` of an edit of `key` (to `text`) from the set-up on screen (not
    /// yet replaced, so it is read in place rather than copied on every input): the new set-up
    /// and whether its run length follows the run (`params::set_following`), or why not. On
    /// success, the fields that were refused are tried again (`params::retry`): the edit may
    /// have made them valid, and then what they show runs. `editor`: an action of the
    /// composite editor (it may move or remove children). One function for every kind of edit
    /// (not generic over it: one copy in the wasm).
    fn settle(&self, key: &str, text: &str, editor: bool, res: Result<(SimConfig, bool), ConfigError>) -> bool {
        match res {
            Ok((mut next, mut follows)) => {
                let pending: Vec<(String, String)> = self.errors.with_untracked(|e| {
                    e.iter()
                        .filter(|(k, e)| e.retry && k.as_str() != key)
                        .map(|(k, e)| (k.clone(), e.text.clone()))
                        .collect()
                });
                let mut retried = (!pending.is_empty())
                    .then(|| self.cfg.with_untracked(|before| params::retry(before, &next, editor, follows, &pending)));
                if let Some(r) = &mut retried {
                    (next, follows) = (std::mem::take(&mut r.cfg), r.follows);
                }
                self.follow_run.set_value(follows);
                // Errors change only where something did (a slider drag with a refused field
                // elsewhere leaves them, and the rows reading them, alone).
                let changed = retried.as_ref().is_some_and(|r| {
                    !r.applied.is_empty()
                        || !r.dropped.is_empty()
                        || self.errors.with_untracked(|e| {
                            r.refused.iter().any(|(k, err)| e.get(k).is_some_and(|f| f.message != err.message))
                        })
                });
                if changed || self.errors.with_untracked(|e| e.contains_key(key)) {
                    self.errors.update(|e| {
                        e.remove(key);
                        for (k, err) in retried.iter().flat_map(|r| &r.refused) {
                            if let Some(f) = e.get_mut(k) {
                                *f = FieldError::new(&f.text.clone(), err);
                            }
                        }
                        for k in retried.iter().flat_map(|r| r.applied.iter().chain(&r.dropped)) {
                            e.remove(k);
                        }
                    });
                }
                if let Some(r) = retried.filter(|r| !r.applied.is_empty() || !r.dropped.is_empty()) {
                    self.drafts.update(|d| {
                        for k in r.applied.iter().chain(&r.dropped) {
                            d.remove(k);
                        }
                    });
                }
                if self.cfg.with_untracked(|c| *c != next) {
                    self.cfg.set(next);
                }
                true
            }
            Err(err) => {
                self.errors.update(|e| {
                    e.insert(key.to_string(), FieldError { retry: !editor, ..FieldError::new(text, &err) });
                });
                false
            }
        }
    }

    /// Replace the whole config (presets, URL, reset): clears drafts, errors and the shelf.
    pub fn replace(&self, cfg: SimConfig) {
        let follows = params::fits_run_length(&cfg);
        let (drafts, errors) = (HashMap::new(), HashMap::new());
        self.restore(Snapshot { cfg, shelf: Shelf::default(), follow_run: follows, drafts, errors });
    }

    /// The set-up with what goes with it, for Undo.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            cfg: self.cfg.get_untracked(),
            shelf: self.shelf.get_value(),
            follow_run: self.follow_run.get_value(),
            drafts: self.drafts.get_untracked(),
            errors: self.errors.get_untracked(),
        }
    }

    /// Bring a [`snapshot`](Self::snapshot) back (Undo), the fields' texts with it.
    pub fn restore(&self, snap: Snapshot) {
        self.follow_run.set_value(snap.follow_run);
        self.shelf.set_value(snap.shelf);
        self.drafts.set(snap.drafts);
        self.errors.set(snap.errors);
        self.cursor.set(None);
        self.cfg.set(snap.cfg);
    }

    pub fn set_draft(&self, key: &str, text: Option<String>) {
        self.drafts.update(|d| match text {
            Some(t) => {
                d.insert(key.to_string(), t);
            }
            None => {
                d.remove(key);
            }
        });
    }
}

fn quantize_down(v: f64, q: f64) -> f64 {
    (v / q).floor() * q
}
fn quantize_up(v: f64, q: f64) -> f64 {
    (v / q).ceil() * q
}

/// The parameter-space plot's shape (width over height) until the chart is measured.
const DEFAULT_ASPECT: f64 = 1.4;

/// Bounding box of the path and the minimum (padded, quantized, clipped so a diverging
/// path does not zoom the contours away), then widened on its shorter side to `aspect`
/// (width over height, the plot's on screen): one unit of w0 is as long as one of w1.
pub fn window_for(problem: &Problem, trace: Option<&Trace>, aspect: f64) -> Window {
    let start = problem.start();
    let mut pts: Vec<[f64; 2]> = vec![[start[0], start[1]]];
    if let Some(m) = problem.minimum() {
        pts.push(m);
    }
    let mut bias = 0.0;
    if let Some(t) = trace {
        let step = (t.path.len() / 2000).max(1);
        pts.extend(t.path.iter().step_by(step).map(|w| [w[0], w[1]]));
        if let Some(w) = t.path.last() {
            pts.push([w[0], w[1]]);
            bias = w[2];
        }
    }
    // Reference scale: the distance from the start to the minimum (or to the end).
    let anchor = problem.minimum().or_else(|| pts.last().copied()).unwrap_or([0.0, 0.0]);
    let d = ((start[0] - anchor[0]).powi(2) + (start[1] - anchor[1]).powi(2)).sqrt().max(1.0);
    let r = 4.0 * d;
    let cx = (start[0] + anchor[0]) / 2.0;
    let cy = (start[1] + anchor[1]) / 2.0;
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in &pts {
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        let px = p[0].clamp(cx - r, cx + r);
        let py = p[1].clamp(cy - r, cy + r);
        x0 = x0.min(px);
        x1 = x1.max(px);
        y0 = y0.min(py);
        y1 = y1.max(py);
    }
    if !x0.is_finite() {
        (x0, x1, y0, y1) = (-3.0, 3.0, -3.0, 3.0);
    }
    let span = (x1 - x0).max(y1 - y0).max(0.5);
    let pad = 0.12 * span;
    let q = 10f64.powf((span.log10()).floor()) / 2.0;
    let bias_q = if bias.is_finite() { (bias * 4.0).round() / 4.0 } else { 0.0 };
    let widen = |(lo, hi): (f64, f64), to: f64| {
        let more = (to - (hi - lo)).max(0.0) / 2.0;
        (lo - more, hi + more)
    };
    let x = (quantize_down(x0 - pad, q), quantize_up(x1 + pad, q));
    let y = (quantize_down(y0 - pad, q), quantize_up(y1 + pad, q));
    let aspect = if aspect.is_finite() && aspect > 0.05 && aspect < 20.0 { aspect } else { DEFAULT_ASPECT };
    let (w, h) = (x.1 - x.0, y.1 - y.0);
    Window { x: widen(x, h * aspect), y: widen(y, w / aspect), bias: bias_q }
}

/// Label each pinned run `StepLR (lr=0.1, step_size=30, gamma=0.1)`; where two pins would
/// read the same (runs that differ in momentum, epochs or a third scheduler parameter), add
/// the settings that tell them apart, up to three in the controls' order.
pub fn relabel(pins: &mut [Pin]) {
    let base: Vec<(&str, Vec<String>)> = pins.iter().map(|p| label_parts(&p.cfg)).collect();
    let labels: Vec<String> = (0..pins.len())
        .map(|i| {
            let (name, mut parts) = base[i].clone();
            let twins: Vec<&SimConfig> =
                (0..pins.len()).filter(|&j| j != i && base[j] == base[i]).map(|j| &pins[j].cfg).collect();
            if !twins.is_empty() {
                let cfg = &pins[i].cfg;
                let mut extra = 0;
                for spec in params::sim_params(cfg) {
                    let v = params::get(cfg, &spec.key);
                    if extra < 3 && twins.iter().any(|t| params::get(t, &spec.key) != v) {
                        parts.push(format!("{}={}", shown_name(&spec), v.unwrap_or_default()));
                        extra += 1;
                    }
                }
            }
            format!("{name} ({})", parts.join(", "))
        })
        .collect();
    for (p, l) in pins.iter_mut().zip(labels) {
        p.label = l;
    }
}

/// A pinned run's label, `name (numbers)`: the scheduler's name, the lr unless the scheduler
/// sets it, and its first two parameters.
fn label_parts(cfg: &SimConfig) -> (&'static str, Vec<String>) {
    let name = cfg.scheduler.as_ref().map(|s| s.name()).unwrap_or("constant");
    // CyclicLR and OneCycleLR set the lr themselves: the optimizer's would mislead.
    let own_lr = cfg.scheduler.as_ref().is_some_and(|s| s.prefers_per_batch());
    let mut parts = Vec::new();
    if !own_lr {
        parts.push(format!("lr={}", params::get(cfg, "lr").unwrap_or_default()));
    }
    for spec in params::sim_params(cfg).iter().filter(|s| s.group == params::Group::Scheduler).skip(1).take(2) {
        if let Some(v) = params::get(cfg, &spec.key) {
            if !v.is_empty() && v.len() < 14 {
                parts.push(format!("{}={}", shown_name(spec), v));
            }
        }
    }
    (name, parts)
}

/// A setting as a label names it: PyTorch's name, or inside a composite the link's key
/// (`s0=LinearLR`, `s0.start_factor`), since two children may share a parameter name.
fn shown_name(spec: &params::ParamSpec) -> &str {
    if spec.key.contains('.') || params::is_child_key(&spec.key) {
        &spec.key
    } else {
        spec.label
    }
}

/// The loss surface the parameter-space chart draws as colour bands.
///
/// The quadratic's is [`loss_surface`] itself. The exact logistic loss costs an `exp` per
/// point and sample (3 million of them for 800 points on the 72×54 grid); here
/// `softplus(z) = max(z, 0) + ln(1 + e^-|z|)` takes the second term from a table (linear
/// interpolation, absolute error < 1e-5), the label term `Σ y·z` is linear in the weights and
/// summed once, and each row walks the points with one multiply-add per sample. Same grid,
/// same values to ~1e-5: the bands look the same, for less time (this was a tenth of the time
/// when the exact loss also took a logarithm per point). Only the picture uses this; training
/// never does.
pub fn display_surface(p: &Problem, w: Window, nx: usize, ny: usize) -> Surface {
    match p {
        Problem::Logistic(l) if !l.x.is_empty() => logistic_surface(l, w, nx, ny),
        _ => loss_surface(p, w.x, w.y, nx, ny, w.bias),
    }
}

/// `ln(1 + e^-a)` for `a` in `[0, SOFTPLUS_MAX]`, `SOFTPLUS_STEPS` samples per unit.
const SOFTPLUS_STEPS: f64 = 64.0;
const SOFTPLUS_MAX: f64 = 40.0;

thread_local! {
    static SOFTPLUS_TAIL: Vec<f64> = (0..=(SOFTPLUS_MAX * SOFTPLUS_STEPS) as usize + 1)
        .map(|i| (-(i as f64) / SOFTPLUS_STEPS).exp().ln_1p())
        .collect();
}

fn logistic_surface(l: &Logistic, w: Window, nx: usize, ny: usize) -> Surface {
    let (nx, ny) = (nx.clamp(2, 400), ny.clamp(2, 400));
    let n = l.x.len() as f64;
    let (mut sy0, mut sy1, mut sy) = (0.0, 0.0, 0.0);
    for (xi, yi) in l.x.iter().zip(&l.y) {
        sy0 += yi * xi[0];
        sy1 += yi * xi[1];
        sy += yi;
    }
    let b = w.bias;
    let dx = (w.x.1 - w.x.0) / (nx - 1) as f64;
    let mut values = vec![0.0; nx * ny];
    let mut row_sum = vec![0.0; nx];
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    SOFTPLUS_TAIL.with(|table| {
        let last = table.len() - 2;
        for j in 0..ny {
            let w1 = w.y.0 + (w.y.1 - w.y.0) * j as f64 / (ny - 1) as f64;
            row_sum.iter_mut().for_each(|v| *v = 0.0);
            for xi in &l.x {
                let step = dx * xi[0];
                let mut z = w.x.0 * xi[0] + w1 * xi[1] + b;
                for acc in row_sum.iter_mut() {
                    let a = z.abs() * SOFTPLUS_STEPS;
                    let k = a as usize;
                    let tail = if k < last {
                        let t0 = table[k];
                        t0 + (a - k as f64) * (table[k + 1] - t0)
                    } else {
                        0.0
                    };
                    *acc += z.max(0.0) + tail;
                    z += step;
                }
            }
            for (i, s) in row_sum.iter().enumerate() {
                let w0 = w.x.0 + dx * i as f64;
                let v = (s - (w0 * sy0 + w1 * sy1 + b * sy)) / n + 0.5 * l.l2 * (w0 * w0 + w1 * w1);
                let v = if v.is_finite() { v } else { f64::MAX };
                lo = lo.min(v);
                hi = hi.max(v);
                values[j * nx + i] = v;
            }
        }
    });
    Surface { x: w.x, y: w.y, nx, ny, values, min: lo, max: hi }
}
