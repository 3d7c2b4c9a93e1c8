//! Redraw coalescing: chart effects hand a draw job to [`schedule`]; all jobs run in the
//! next animation frame (at most one draw per chart per frame). After the last job, the
//! pending input's `performance.measure("update", ...)` is closed.
//!
//! Also the palette (colors read from computed CSS variables, so dark mode and themes
//! follow the stylesheet).

use plotters::style::RGBColor;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

type Job = Box<dyn FnOnce()>;
type FrameCallback = Closure<dyn FnMut(f64)>;

thread_local! {
    static JOBS: RefCell<BTreeMap<&'static str, Job>> = RefCell::new(BTreeMap::new());
    static REQUESTED: Cell<bool> = const { Cell::new(false) };
    static PENDING_INPUT: Cell<Option<f64>> = const { Cell::new(None) };
    static CALLBACK: RefCell<Option<FrameCallback>> = const { RefCell::new(None) };
}

/// Remember the time stamp of an input event (the earliest one not yet painted).
pub fn note_input(time_stamp: f64) {
    PENDING_INPUT.with(|p| {
        if p.get().is_none() {
            p.set(Some(time_stamp));
        }
    });
}

/// Replace `key`'s pending draw job and make sure a frame is requested.
pub fn schedule(key: &'static str, job: impl FnOnce() + 'static) {
    JOBS.with(|j| j.borrow_mut().insert(key, Box::new(job)));
    if REQUESTED.with(|r| r.replace(true)) {
        return;
    }
    let Some(win) = web_sys::window() else { return };
    CALLBACK.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(Closure::new(|_t: f64| run_frame()));
        }
        if let Some(cb) = c.as_ref() {
            if win.request_animation_frame(cb.as_ref().unchecked_ref()).is_err() {
                REQUESTED.with(|r| r.set(false));
            }
        }
    });
}

fn run_frame() {
    REQUESTED.with(|r| r.set(false));
    let jobs = JOBS.with(|j| std::mem::take(&mut *j.borrow_mut()));
    for (_, job) in jobs {
        job();
    }
    if let Some(start) = PENDING_INPUT.with(|p| p.take()) {
        measure_update(start);
    }
}

fn measure_update(start: f64) {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else { return };
    let end = perf.now();
    let _ = perf.mark("update-end");
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&opts, &"end".into(), &end.max(start).into());
    if let Ok(f) = js_sys::Reflect::get(&perf, &"measure".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call2(&perf, &"update".into(), &opts);
        }
    }
}

/// Chart colors, from CSS custom properties on :root.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub lr: RGBColor,
    pub momentum: RGBColor,
    pub train: RGBColor,
    pub val: RGBColor,
    pub acc: RGBColor,
    pub danger: RGBColor,
    pub path: RGBColor,
    pub cursor: RGBColor,
    pub marker: RGBColor,
    pub best: RGBColor,
    pub ghosts: [RGBColor; 4],
}

fn parse_color(s: &str) -> Option<RGBColor> {
    let s = s.trim();
    if let Some(h) = s.strip_prefix('#') {
        let h: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
        if h.len() < 6 {
            return None;
        }
        let p = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        return Some(RGBColor(p(0)?, p(2)?, p(4)?));
    }
    if let Some(inner) = s.strip_prefix("rgb(").or_else(|| s.strip_prefix("rgba(")) {
        let v: Vec<u8> = inner
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .filter_map(|x| x.trim().parse::<f64>().ok())
            .map(|x| x as u8)
            .collect();
        if v.len() == 3 {
            return Some(RGBColor(v[0], v[1], v[2]));
        }
    }
    None
}

impl Palette {
    pub fn read() -> Palette {
        let style = web_sys::window()
            .and_then(|w| Some((w.clone(), w.document()?.document_element()?)))
            .and_then(|(w, el)| w.get_computed_style(&el).ok().flatten());
        let get = |name: &str, fallback: RGBColor| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .and_then(|v| parse_color(&v))
                .unwrap_or(fallback)
        };
        Palette {
            bg: get("--chart-bg", RGBColor(255, 255, 255)),
            fg: get("--chart-fg", RGBColor(31, 41, 55)),
            muted: get("--chart-muted", RGBColor(107, 114, 128)),
            grid: get("--chart-grid", RGBColor(229, 231, 235)),
            lr: get("--c-lr", RGBColor(234, 88, 12)),
            momentum: get("--c-momentum", RGBColor(124, 58, 237)),
            train: get("--c-train", RGBColor(37, 99, 235)),
            val: get("--c-val", RGBColor(234, 88, 12)),
            acc: get("--c-acc", RGBColor(22, 163, 74)),
            danger: get("--c-danger", RGBColor(220, 38, 38)),
            path: get("--c-path", RGBColor(17, 24, 39)),
            cursor: get("--c-cursor", RGBColor(219, 39, 119)),
            marker: get("--c-marker", RGBColor(107, 114, 128)),
            best: get("--c-best", RGBColor(22, 163, 74)),
            ghosts: [
                get("--c-ghost1", RGBColor(14, 165, 233)),
                get("--c-ghost2", RGBColor(168, 85, 247)),
                get("--c-ghost3", RGBColor(132, 204, 22)),
                get("--c-ghost4", RGBColor(244, 63, 94)),
            ],
        }
    }
}
