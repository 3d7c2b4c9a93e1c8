//! Redraw coalescing and the app's performance instrumentation.
//!
//! Chart effects hand a draw job to [`schedule`] (one pending job per chart: a newer one
//! replaces it). The jobs run together, at most once per animation frame:
//!
//! * if nothing was drawn in the current frame yet, right after the effects of the change
//!   (a microtask), so the drawing lands in the frame that is being produced: an input event
//!   and its paint share a frame, whether the event came from the browser's input handling
//!   or from a `requestAnimationFrame` callback;
//! * otherwise in the next animation frame.
//!
//! After a run, the pending input's `performance.measure("update", {start, end})` is closed:
//! from the event's `timeStamp` ([`note_input`]) to the end of the drawing it caused. With
//! `window.__lrpPerf = true` set before the app starts (the benchmark does), the app also
//! records where the time goes: `effects` (from the input to the draws: its handler and every
//! effect it woke, `simulate` among them), `simulate`, `surface`, `draw:lr`, `draw:loss`,
//! `draw:params`.
//! The first time all three charts have drawn, `performance.mark("charts-painted")` is set.
//! Entries are cleared every few thousand, so the performance timeline does not grow without
//! bound (read them with a `PerformanceObserver`).
//!
//! Also the palette (colors read from computed CSS variables, so dark mode and themes
//! follow the stylesheet).

use crate::core::num::parse_f64;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type Job = Box<dyn FnOnce()>;
type FrameCallback = Closure<dyn FnMut(f64)>;

thread_local! {
    /// Pending draw jobs by (draw order, chart id), in that order.
    static JOBS: RefCell<Vec<((u8, u32), Job)>> = const { RefCell::new(Vec::new()) };
    /// A microtask flush is queued.
    static FLUSH_QUEUED: Cell<bool> = const { Cell::new(false) };
    /// An animation frame callback is requested.
    static FRAME_REQUESTED: Cell<bool> = const { Cell::new(false) };
    /// Jobs ran since the last animation frame callback.
    static DREW_SINCE_FRAME: Cell<bool> = const { Cell::new(false) };
    static PENDING_INPUT: Cell<Option<f64>> = const { Cell::new(None) };
    static CALLBACK: RefCell<Option<FrameCallback>> = const { RefCell::new(None) };
    static PAINTED: Cell<u8> = const { Cell::new(0) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static PERF: RefCell<Option<Perf>> = const { RefCell::new(None) };
    /// Work waiting for a frame without input (see [`when_idle`]), one job per key.
    static IDLE: RefCell<Vec<(&'static str, Job)>> = const { RefCell::new(Vec::new()) };
    /// An input was noted since the idle job was queued or last postponed.
    static INPUT_SEEN: Cell<bool> = const { Cell::new(false) };
}

/// Run `job` in the first animation frame callback with no input noted since the previous
/// one: work that can wait (resampling the loss-surface contours, writing the URL) waits
/// while the user drags and runs as soon as they pause. A newer job for `key` replaces a
/// waiting one.
pub fn when_idle(key: &'static str, job: impl FnOnce() + 'static) {
    IDLE.with(|i| {
        let mut i = i.borrow_mut();
        match i.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = Box::new(job),
            None => i.push((key, Box::new(job))),
        }
    });
    request_frame();
}
struct Perf {
    perf: web_sys::Performance,
    measure: js_sys::Function,
    /// `window.__lrpPerf` was set: record the breakdown too.
    detail: bool,
    count: u32,
}

fn with_perf<R>(f: impl FnOnce(&mut Perf) -> R) -> Option<R> {
    PERF.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            let win = web_sys::window()?;
            let perf = win.performance()?;
            let measure = js_sys::Reflect::get(&perf, &"measure".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
            let detail = js_sys::Reflect::get(&win, &"__lrpPerf".into()).is_ok_and(|v| v.is_truthy());
            *p = Some(Perf { perf, measure, detail, count: 0 });
        }
        p.as_mut().map(f)
    })
}

/// `performance.now()` (0 where there is none).
pub fn now() -> f64 {
    with_perf(|p| p.perf.now()).unwrap_or(0.0)
}

/// Start of a breakdown span: `Some(now)` when detail measures are on.
pub fn span_start() -> Option<f64> {
    with_perf(|p| p.detail.then(|| p.perf.now())).flatten()
}

/// Close a breakdown span opened with [`span_start`].
pub fn span_end(name: &str, start: Option<f64>) {
    if let Some(start) = start {
        let end = now();
        measure(name, start, end);
    }
}

/// `performance.measure(name, {start, end})`, clearing old entries now and then.
fn measure(name: &str, start: f64, end: f64) {
    with_perf(|p| {
        p.count += 1;
        if p.count >= 2000 {
            p.count = 0;
            p.perf.clear_measures();
        }
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"start".into(), &start.into());
        let _ = js_sys::Reflect::set(&opts, &"end".into(), &end.max(start).into());
        let _ = p.measure.call2(&p.perf, &JsValue::from_str(name), &opts);
    });
}

/// Remember the time stamp of an input event (the earliest one not yet painted).
pub fn note_input(time_stamp: f64) {
    PENDING_INPUT.with(|p| {
        if p.get().is_none() {
            p.set(Some(time_stamp));
        }
    });
    INPUT_SEEN.with(|s| s.set(true));
    // Close the measure even if the input changes nothing that is drawn.
    request_frame();
}

/// A new id for [`schedule`] (one per chart on the page).
pub fn new_id() -> u32 {
    NEXT_ID.with(|n| n.replace(n.get().wrapping_add(1)))
}

/// Record that chart `key` has drawn; the first time all three have, `performance.mark("charts-painted")`.
pub fn painted(key: &str) {
    let bit = match key {
        "lr" => 1,
        "loss" => 2,
        "params" => 4,
        _ => 0,
    };
    let before = PAINTED.with(|p| p.replace(p.get() | bit));
    if before != 7 && before | bit == 7 {
        with_perf(|p| p.perf.mark("charts-painted").ok());
    }
}

/// Replace chart `id`'s pending draw job (jobs run in `order`, then `id`, order); it runs
/// with the others in this frame if nothing was drawn since the last animation frame, else
/// in the next.
pub fn schedule(order: u8, id: u32, job: impl FnOnce() + 'static) {
    let key = (order, id);
    JOBS.with(|j| {
        let mut j = j.borrow_mut();
        match j.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(i) => j[i].1 = Box::new(job),
            Err(i) => j.insert(i, (key, Box::new(job))),
        }
    });
    if DREW_SINCE_FRAME.with(Cell::get) {
        request_frame();
    } else if !FLUSH_QUEUED.with(|f| f.replace(true)) {
        // Two hops: effects woken by this change that run in the next executor tick have
        // scheduled their jobs by then too, so one run draws them all.
        leptos::prelude::queue_microtask(|| leptos::prelude::queue_microtask(flush));
    }
}

fn flush() {
    FLUSH_QUEUED.with(|f| f.set(false));
    if DREW_SINCE_FRAME.with(Cell::get) {
        request_frame();
    } else {
        run_jobs();
    }
}

fn request_frame() {
    if FRAME_REQUESTED.with(|r| r.replace(true)) {
        return;
    }
    let Some(win) = web_sys::window() else { return };
    CALLBACK.with(|c| {
        let mut c = c.borrow_mut();
        let cb = c.get_or_insert_with(|| Closure::new(on_frame));
        if win.request_animation_frame(cb.as_ref().unchecked_ref()).is_err() {
            FRAME_REQUESTED.with(|r| r.set(false));
        }
    });
}

/// Animation frame: a new frame may draw again; run what waited.
fn on_frame(_time: f64) {
    FRAME_REQUESTED.with(|r| r.set(false));
    if IDLE.with(|i| !i.borrow().is_empty()) {
        if INPUT_SEEN.with(|s| s.replace(false)) {
            request_frame();
        } else {
            // The draws their changes cause run in this frame (microtask flush).
            for (_, job) in IDLE.with(|i| std::mem::take(&mut *i.borrow_mut())) {
                job();
            }
        }
    }
    DREW_SINCE_FRAME.with(|d| d.set(false));
    if JOBS.with(|j| !j.borrow().is_empty()) {
        run_jobs();
    } else {
        close_input();
    }
}

fn run_jobs() {
    if let Some(start) = PENDING_INPUT.with(Cell::get) {
        // Breakdown: from the input to the draws (its handler and every effect it woke).
        span_end("effects", span_start().map(|_| start));
    }
    let jobs = JOBS.with(|j| std::mem::take(&mut *j.borrow_mut()));
    RUN.with(|r| r.set(r.get().wrapping_add(1)));
    for (_, job) in jobs {
        job();
    }
    DREW_SINCE_FRAME.with(|d| d.set(true));
    // The next frame clears the flag (and runs whatever is scheduled meanwhile).
    request_frame();
    close_input();
}

fn close_input() {
    if let Some(start) = PENDING_INPUT.with(Cell::take) {
        measure("update", start, now());
    }
}

/// A colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Chart colors, from CSS custom properties on :root, and `--chart-scale` (a factor for
/// chart fonts, line widths and margins; presentation mode sets it).
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub scale: f64,
    pub bg: Rgb,
    pub fg: Rgb,
    pub muted: Rgb,
    pub grid: Rgb,
    pub lr: Rgb,
    pub momentum: Rgb,
    pub train: Rgb,
    pub val: Rgb,
    pub acc: Rgb,
    pub danger: Rgb,
    pub path: Rgb,
    pub cursor: Rgb,
    pub marker: Rgb,
    pub best: Rgb,
    pub ghosts: [Rgb; 4],
}

fn parse_color(s: &str) -> Option<Rgb> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix('#') {
        let h: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
        if h.len() < 6 {
            return None;
        }
        let p = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        return Some(Rgb(p(0)?, p(2)?, p(4)?));
    }
    if let Some(inner) = s.strip_prefix("rgb(").or_else(|| s.strip_prefix("rgba(")) {
        let v: Vec<u8> = inner
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .filter_map(|x| parse_f64(x.trim()))
            .map(|x| x as u8)
            .collect();
        if v.len() == 3 {
            return Some(Rgb(v[0], v[1], v[2]));
        }
    }
    None
}

thread_local! {
    /// The palette read during a run of jobs (reading computed styles may recalc styles).
    static PALETTE: Cell<Option<(u32, Palette)>> = const { Cell::new(None) };
    static RUN: Cell<u32> = const { Cell::new(0) };
}

impl Palette {
    /// The palette, read from CSS once per run of draw jobs.
    pub fn current() -> Palette {
        let run = RUN.with(Cell::get);
        if let Some((r, p)) = PALETTE.with(Cell::get) {
            if r == run {
                return p;
            }
        }
        let p = Palette::read();
        PALETTE.with(|c| c.set(Some((run, p))));
        p
    }

    pub fn read() -> Palette {
        let style = web_sys::window()
            .and_then(|w| Some((w.clone(), w.document()?.document_element()?)))
            .and_then(|(w, el)| w.get_computed_style(&el).ok().flatten());
        let get = |name: &str, fallback: Rgb| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .and_then(|v| parse_color(&v))
                .unwrap_or(fallback)
        };
        let scale = style
            .as_ref()
            .and_then(|s| s.get_property_value("--chart-scale").ok())
            .and_then(|v| parse_f64(v.trim()))
            .filter(|v| v.is_finite())
            .map_or(1.0, |v| v.clamp(0.5, 3.0));
        Palette {
            scale,
            bg: get("--chart-bg", Rgb(255, 255, 255)),
            fg: get("--chart-fg", Rgb(31, 41, 55)),
            muted: get("--chart-muted", Rgb(107, 114, 128)),
            grid: get("--chart-grid", Rgb(229, 231, 235)),
            lr: get("--c-lr", Rgb(234, 88, 12)),
            momentum: get("--c-momentum", Rgb(124, 58, 237)),
            train: get("--c-train", Rgb(37, 99, 235)),
            val: get("--c-val", Rgb(234, 88, 12)),
            acc: get("--c-acc", Rgb(22, 163, 74)),
            danger: get("--c-danger", Rgb(220, 38, 38)),
            path: get("--c-path", Rgb(17, 24, 39)),
            cursor: get("--c-cursor", Rgb(219, 39, 119)),
            marker: get("--c-marker", Rgb(107, 114, 128)),
            best: get("--c-best", Rgb(22, 163, 74)),
            ghosts: [
                get("--c-ghost1", Rgb(14, 165, 233)),
                get("--c-ghost2", Rgb(168, 85, 247)),
                get("--c-ghost3", Rgb(132, 204, 22)),
                get("--c-ghost4", Rgb(244, 63, 94)),
            ],
        }
    }
}
