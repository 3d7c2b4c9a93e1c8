//! Everything around the charts: banner, playback, readout, compare, understanding, presets.

use super::controls::tidy_message;
use super::core_api;
use super::frame;
use super::state::{relabel, AppState, Pin, MAX_PINS};
use super::summary::fmt_num;
use crate::core::num::parse_f64;
use crate::core::optim::SgdConfig;
use crate::core::problems::{Problem, ProblemConfig};
use crate::core::schedulers::Schedule;
use crate::core::sim::{SimConfig, Trace, DIVERGENCE_FACTOR};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Divergence and early-stop notices.
#[component]
pub fn Banner() -> impl IntoView {
    let st = expect_context::<AppState>();
    let diverged = move || {
        let t = st.trace.get().ok()?;
        let d = t.divergence?;
        let why = st.cfg.with(|cfg| divergence_reason(cfg, &st.problem.get(), &t));
        Some(view! {
            <div class="banner danger" role="alert">
                <strong>{format!("Training diverged at epoch {}", d.epoch + 1)}</strong>
                {format!(" — {why}")}
            </div>
        })
    };
    let halted = move || {
        let t = st.trace.get().ok()?;
        let h = t.halted.clone()?;
        Some(view! {
            <div class="banner notice" role="status">
                <strong>{format!("Training stopped after epoch {}: ", t.len())}</strong>
                {h}
            </div>
        })
    };
    let unstable = move || {
        let t = st.trace.get().ok()?;
        let note = st.cfg.with(|cfg| instability_note(cfg, &st.problem.get(), &t))?;
        Some(view! {
            <div class="banner notice" role="status">
                <strong>"Unstable"</strong>
                {format!(" — {note}")}
            </div>
        })
    };
    let error = move || {
        st.trace.get().err().map(|e| view! { <div class="banner danger" role="alert">{tidy_message(&e.message)}</div> })
    };
    view! { <div class="banners">{diverged}{halted}{unstable}{error}</div> }
}

/// The learning rate in effect when the run blew up: the schedule replayed up to the step
/// that failed (with the recorded metrics, for ReduceLROnPlateau), and the largest lr of the
/// steps that did run in that epoch. The scheduler may have raised it far above where it
/// started. Returns (the lr the schedule starts at, the lr when the run blew up, the
/// momentum then: a scheduler that cycles it sets it, from its construction on).
pub fn lr_at_divergence(cfg: &SimConfig, t: &Trace) -> (f64, f64, f64) {
    let opt = &cfg.optimizer;
    let spe = t.steps_per_epoch.max(1);
    let done = t.len();
    let recorded = t.step_lr.get(done * spe..).unwrap_or(&[]).iter().copied().fold(f64::NAN, f64::max);
    let Ok(mut s) = Schedule::new(cfg.scheduler.as_ref(), opt.lr, opt.momentum) else {
        return (opt.lr, if recorded.is_finite() { recorded } else { opt.lr }, opt.momentum);
    };
    let start = s.lr();
    if cfg.per_batch() {
        // The failing step is the first one not recorded.
        for _ in 0..t.step_lr.len().min(1 << 22) {
            if s.step(0.0).is_err() {
                break;
            }
        }
    } else {
        for e in 0..done {
            let metric = t.val_loss.get(e).or(t.train_loss.get(e)).copied().unwrap_or(0.0);
            if s.step(metric).is_err() {
                break;
            }
        }
    }
    let replayed = s.lr();
    let at = match (replayed.is_finite(), recorded.is_finite()) {
        (true, true) => replayed.max(recorded),
        (true, false) => replayed,
        (false, true) => recorded,
        (false, false) => start,
    };
    (start, at, s.momentum())
}

/// The quadratic's stability limit as a formula in SGD's settings
/// ([`Problem::stability_lr`]), with PyTorch's names or, `short`, with μ, d and wd.
pub fn stability_formula(opt: &SgdConfig, momentum: bool, short: bool) -> String {
    let (mu, d, wd) = if short { ("μ", "d", "wd") } else { ("momentum", "dampening", "weight_decay") };
    let l = if opt.weight_decay > 0.0 { format!("(λmax + {wd})") } else { "λmax".to_string() };
    if !momentum {
        return format!("2/{l}");
    }
    let factor = match (opt.nesterov, opt.dampening > 0.0) {
        (true, false) => format!("(1 + 2·{mu})·"),
        (true, true) => format!("(1 + {mu}(2 − {d}))·"),
        (false, true) => format!("(1 − {d})·"),
        (false, false) => String::new(),
    };
    if factor.is_empty() {
        format!("2(1 + {mu})/{l}")
    } else {
        format!("2(1 + {mu})/({factor}{l})")
    }
}

/// The bowl's stability limit in epoch `e`: at the optimizer's momentum, or at the momentum a
/// scheduler cycles it to in that epoch (OneCycleLR, CyclicLR). `None` without one.
pub fn limit_in_epoch(cfg: &SimConfig, problem: &Problem, t: &Trace, e: usize) -> Option<f64> {
    let cycled = cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let m = if cycled { t.momentum.get(e).or(t.momentum.last()).copied() } else { None };
    problem.stability_lr(m.unwrap_or(cfg.optimizer.momentum), &cfg.optimizer)
}

/// A run that did not diverge but trained with the lr above the bowl's stability limit:
/// when, and what it did to the loss (a slow blow-up stays far below the divergence test's
/// million-fold, and deserves a word before it gets there).
pub fn instability_note(cfg: &SimConfig, problem: &Problem, t: &Trace) -> Option<String> {
    // Only a bowl has a limit: logistic regression skips the per-epoch pass.
    if t.divergence.is_some() || t.is_empty() || problem.lambda_max().is_none() {
        return None;
    }
    let per_step = cfg.per_batch() && !t.step_lr.is_empty();
    let spe = if per_step { t.steps_per_epoch.max(1) } else { 1 };
    let lrs: &[f64] = if per_step { &t.step_lr } else { &t.lr };
    let limits: Vec<Option<f64>> = (0..t.len()).map(|e| limit_in_epoch(cfg, problem, t, e)).collect();
    let above = |i: usize| limits[(i / spe).min(limits.len() - 1)].is_some_and(|l| lrs[i] > l * (1.0 + 1e-12));
    let first = (0..lrs.len()).find(|&i| above(i))? / spe;
    let last = (0..lrs.len()).rev().find(|&i| above(i)).unwrap_or(0) / spe;
    let n = t.len();
    let epochs_above = (first..=last).filter(|&e| (e * spe..((e + 1) * spe).min(lrs.len())).any(above)).count();
    let whole = first == 0 && last + 1 >= n && epochs_above == n;
    let when = if whole {
        "for the whole run".to_string()
    } else if first == last {
        format!("in epoch {}", first + 1)
    } else if epochs_above == last - first + 1 {
        format!("in epochs {}–{}", first + 1, last + 1)
    } else {
        format!("in {epochs_above} of the epochs between {} and {}", first + 1, last + 1)
    };
    // The loss going into the first such epoch and after the last.
    let before = if first == 0 { t.loss0 } else { t.train_loss[first - 1] };
    let after = t.train_loss[last.min(n - 1)];
    let (b, a) = (fmt_num(before), fmt_num(after));
    let effect = if after <= before {
        format!("there SGD overshoots the minimum in the steepest direction, though the loss still fell ({b} → {a}).")
    } else if whole {
        let fix =
            if cfg.scheduler.is_some() { "Lower lr." } else { "Lower lr, or add a scheduler that brings it down." };
        format!("each step overshoots the minimum further, so the loss grows ({b} → {a}) instead of falling. {fix}")
    } else {
        format!(
            "each step there overshoots the minimum further: the loss grew from {b} to {a}. Lower the schedule's peak."
        )
    };
    let cycled = cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    let m = cycled || cfg.optimizer.momentum > 0.0;
    let value = match limits
        .iter()
        .flatten()
        .fold(None::<(f64, f64)>, |r, &l| Some(r.map_or((l, l), |(a, b)| (a.min(l), b.max(l)))))
    {
        Some((lo, hi)) if hi > lo * (1.0 + 1e-9) => format!(
            "{}–{} as {} cycles momentum",
            fmt_num(lo),
            fmt_num(hi),
            cfg.scheduler.as_ref().map_or("", |s| s.name())
        ),
        Some((lo, _)) => fmt_num(lo),
        None => return None,
    };
    Some(format!(
        "the learning rate is above this bowl's stability limit {} = {value} {when}: {effect}",
        stability_formula(&cfg.optimizer, m, false)
    ))
}

/// Why a run diverged, in words a student can act on.
pub fn divergence_reason(cfg: &SimConfig, problem: &Problem, t: &Trace) -> String {
    let opt = &cfg.optimizer;
    let (start, lr, m) = lr_at_divergence(cfg, t);
    let raised = lr > start * (1.0 + 1e-9);
    let what = if raised {
        format!("the scheduler raised the learning rate to {} (it starts at {})", fmt_num(lr), fmt_num(start))
    } else {
        format!("the learning rate was {}", fmt_num(lr))
    };
    let fix =
        if raised { "Lower the schedule's peak (or lr)" } else { "Lower lr, or let a scheduler bring it down sooner" };
    let cycled = cfg.scheduler.as_ref().is_some_and(|s| s.cycles_momentum());
    // At the momentum of the step that failed (the replayed schedule's, where it cycles).
    if let Some(limit) = problem.stability_lr(m, opt) {
        if lr > limit {
            let formula = stability_formula(opt, cycled || opt.momentum > 0.0, false);
            let cycled = if cycled { " at the momentum the scheduler set then" } else { "" };
            return format!("{what}, above this bowl's stability limit {formula} = {}{cycled}. {fix}.", fmt_num(limit));
        }
        return format!(
            "{what}, below the stability limit {} but the loss still grew past {}× its start (noisy gradients can push it over). {fix}.",
            fmt_num(limit),
            fmt_num(DIVERGENCE_FACTOR)
        );
    }
    // The decay term alone is a bowl of curvature weight_decay.
    let wd = opt.weight_decay;
    if let Some(decay_limit) = crate::core::problems::sgd_stability_limit(wd, m, opt).filter(|&l| lr > l) {
        return format!(
            "weight_decay {} is too strong for a learning rate of {}: above {}, the decay term alone overshoots. Lower weight_decay or lr.",
            fmt_num(wd),
            fmt_num(lr),
            fmt_num(decay_limit)
        );
    }
    format!("{what}, too high for this problem. {fix}.")
}

/// Epoch scrubber, play/pause and speed.
#[component]
pub fn Playback() -> impl IntoView {
    let st = expect_context::<AppState>();
    let n = move || st.trace.with(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
    // The epoch shown (counted from 1) and the number of epochs. A cursor left beyond a run
    // that got shorter reads as its last epoch, as the readout and the charts show it.
    let shown = move || {
        let n = n();
        (st.cursor.get().map_or(n, |c| (c + 1).min(n)), n)
    };
    let acc = Rc::new(Cell::new(0.0f64));
    {
        let acc = acc.clone();
        let tick = 40u64;
        let _ = set_interval_with_handle(
            move || {
                if !st.playing.get_untracked() {
                    return;
                }
                let n = st.trace.with_untracked(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
                if n == 0 {
                    st.playing.set(false);
                    return;
                }
                let cur = st.cursor.get_untracked().unwrap_or(0);
                let a = acc.get() + st.speed.get_untracked() * tick as f64 / 1000.0;
                let steps = a.floor();
                acc.set(a - steps);
                if steps >= 1.0 {
                    let next = cur + steps as usize;
                    if next >= n - 1 {
                        set_cursor(&st, n - 1, n);
                        st.playing.set(false);
                    } else {
                        st.cursor.set(Some(next));
                    }
                }
            },
            Duration::from_millis(tick),
        );
    }
    let toggle = move |_| toggle_play(&st);
    view! {
        <div class="playback">
            <button type="button" class="play" on:click=toggle aria-keyshortcuts="Space"
                aria-pressed=move || if st.playing.get() { "true" } else { "false" }>
                {move || if st.playing.get() { "❚❚ Pause" } else { "▶ Play" }}
            </button>
            <label class="scrub">
                <span>"Epoch"</span>
                <input type="range" id="scrubber" min="0" max=move || n().saturating_sub(1).to_string() step="1"
                    prop:value=move || st.cursor.get().unwrap_or(n().saturating_sub(1)).to_string()
                    aria-valuetext=move || { let (c, n) = shown(); format!("epoch {c} of {n}") }
                    on:input=move |ev| {
                        let v: usize = event_target_value(&ev).parse().unwrap_or(0);
                        set_cursor(&st, v, n());
                    }
                    // Shift+←/→ moves ten epochs here too, as it does on the page (help dialog).
                    on:keydown=move |ev| {
                        let dir = match ev.key().as_str() {
                            "ArrowLeft" | "ArrowDown" => -1,
                            "ArrowRight" | "ArrowUp" => 1,
                            _ => return,
                        };
                        if ev.shift_key() && !(ev.ctrl_key() || ev.meta_key() || ev.alt_key()) {
                            ev.prevent_default();
                            step_cursor(&st, 10 * dir);
                        }
                    } />
                <output>{move || { let (c, n) = shown(); format!("{c} / {n}") }}</output>
            </label>
            <label class="speed">
                <span>"Speed"</span>
                <select on:change=move |ev| st.speed.set(parse_f64(&event_target_value(&ev)).unwrap_or(20.0))>
                    <option value="5">"5 epochs/s"</option>
                    <option value="20" selected>"20 epochs/s"</option>
                    <option value="60">"60 epochs/s"</option>
                    <option value="200">"200 epochs/s"</option>
                </select>
            </label>
        </div>
    }
}

/// Play from the start (or from the cursor), or pause.
pub fn toggle_play(st: &AppState) {
    let playing = !st.playing.get_untracked();
    if playing {
        let n = st.trace.with_untracked(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
        let cur = st.cursor.get_untracked();
        if cur.is_none() || cur.is_some_and(|c| c + 1 >= n) {
            st.cursor.set(Some(0));
        }
    }
    st.playing.set(playing);
}

/// Put the cursor on epoch `e` (0-based) of a run of `n`: the last one is no cursor, which
/// follows the end of the run when it gets longer or shorter.
pub fn set_cursor(st: &AppState, e: usize, n: usize) {
    let c = (e + 1 < n).then_some(e);
    if st.cursor.get_untracked() != c {
        st.cursor.set(c);
    }
}

/// Move the cursor by `delta` epochs (no cursor counts as the last epoch); pauses playback.
/// Returns the new cursor epoch (0-based), if there is a run.
pub fn step_cursor(st: &AppState, delta: i64) -> Option<usize> {
    let n = st.trace.with_untracked(|t| t.as_ref().map(|t| t.len()).unwrap_or(0));
    if n == 0 {
        return None;
    }
    st.playing.set(false);
    let cur = st.cursor.get_untracked().unwrap_or(n - 1).min(n - 1) as i64;
    let next = (cur + delta).clamp(0, n as i64 - 1) as usize;
    set_cursor(st, next, n);
    Some(next)
}

/// Pin the current run as a ghost overlay. Ok(label) or Err(why not).
pub fn pin_current(st: &AppState) -> Result<String, String> {
    let t = match st.trace.get_untracked() {
        Ok(t) => t,
        Err(e) => return Err(format!("nothing to pin: {}", e.message)),
    };
    if st.pins.with_untracked(|p| p.len()) >= MAX_PINS {
        return Err(format!("{MAX_PINS} runs are pinned already; unpin one first"));
    }
    let cfg = st.cfg.get_untracked();
    if st.pins.with_untracked(|p| p.iter().any(|q| q.cfg == cfg)) {
        return Err("this run is pinned already; change a setting first".into());
    }
    Ok(push_pin(st, cfg, t))
}

fn push_pin(st: &AppState, cfg: SimConfig, trace: std::sync::Arc<Trace>) -> String {
    let id = st.next_pin.get_untracked();
    st.next_pin.set(id + 1);
    let mut label = String::new();
    st.pins.update(|p| {
        p.push(Pin { id, label: String::new(), cfg, trace });
        relabel(p);
        label = p.last().map(|p| p.label.clone()).unwrap_or_default();
    });
    label
}

/// Pin these runs in place of the pinned ones (a link's `pin=` pairs), each once; returns a
/// notice for each that cannot run.
pub fn set_pins(st: &AppState, cfgs: Vec<SimConfig>) -> Vec<String> {
    st.pins.set(Vec::new());
    let mut notices = Vec::new();
    for (i, cfg) in cfgs.into_iter().take(MAX_PINS).enumerate() {
        if st.pins.with_untracked(|p| p.iter().any(|q| q.cfg == cfg)) {
            continue;
        }
        match crate::core::sim::simulate(&cfg.problem.build(cfg.seed), &cfg) {
            Ok(t) => {
                push_pin(st, cfg, std::sync::Arc::new(t));
            }
            Err(e) => notices.push(format!("pinned run {}: not pinned: {}", i + 1, e.message)),
        }
    }
    notices
}

/// The LR during epoch `c`; stepped per batch, it changes within the epoch: its first and
/// last batches' LRs.
fn lr_in_epoch(t: &Trace, c: usize) -> String {
    let first = fmt_num(t.lr[c]);
    match t.last_step_lr(c).map(fmt_num) {
        Some(last) if last != first => format!("{first} → {last} (first → last batch)"),
        _ => first,
    }
}

/// Every value at the cursor epoch (or the last epoch).
#[component]
pub fn Readout() -> impl IntoView {
    let st = expect_context::<AppState>();
    let rows = move || {
        let Ok(t) = st.trace.get() else { return Vec::new() };
        if t.is_empty() {
            return vec![("epoch", "none finished".to_string())];
        }
        let c = st.cursor.get().unwrap_or(t.len() - 1).min(t.len() - 1);
        let mut r: Vec<(&'static str, String)> = vec![
            ("epoch", format!("{} of {}", c + 1, t.len())),
            ("lr", lr_in_epoch(&t, c)),
            ("momentum", fmt_num(t.momentum[c])),
            ("train loss", fmt_num(t.train_loss[c])),
        ];
        if let Some(v) = t.val_loss.get(c) {
            r.push(("val loss", fmt_num(*v)));
        }
        if let Some(a) = t.accuracy.get(c) {
            r.push(("accuracy", format!("{:.1}%", a * 100.0)));
        }
        let w = t.weights[c];
        let logistic = matches!(st.cfg.with(|c| c.problem.clone()), ProblemConfig::Logistic(_));
        if logistic {
            r.push(("weights", format!("({}, {}), bias {}", fmt_num(w[0]), fmt_num(w[1]), fmt_num(w[2]))));
        } else {
            r.push(("weights", format!("({}, {})", fmt_num(w[0]), fmt_num(w[1]))));
        }
        if let Some(p) = t.plateau.get(c) {
            r.push(("best", fmt_num(p.best)));
            r.push(("bad epochs", format!("{}", p.num_bad_epochs)));
            r.push(("cooldown", format!("{}", p.cooldown_counter)));
            if p.reduced {
                r.push(("this epoch", "LR reduced".into()));
            }
        }
        r
    };
    view! {
        <section class="card readout" aria-label="Values at the cursor">
            <h2>"At the cursor"</h2>
            <dl>
                {move || rows().into_iter().map(|(k, v)| view! {
                    <div class="kv" data-k=k><dt>{k}</dt><dd>{v}</dd></div>
                }).collect_view()}
            </dl>
            <p class="hint">"Hover a chart or drag the epoch slider."</p>
        </section>
    }
}

/// Pin runs as ghost overlays.
#[component]
pub fn Compare() -> impl IntoView {
    let st = expect_context::<AppState>();
    // A memo, so the list is rebuilt when the problem changes, not on every slider tick.
    let problem = Memo::new(move |_| st.cfg.with(|c| (c.problem.clone(), c.seed)));
    let pin = move |_| {
        let _ = pin_current(&st);
    };
    view! {
        <section class="card compare" aria-label="Compare runs">
            <h2>"Compare"</h2>
            <div class="row">
                <button type="button" class="pin" on:click=pin aria-keyshortcuts="P"
                    disabled=move || st.pins.with(|p| p.len() >= MAX_PINS || st.cfg.with(|c| p.iter().any(|q| q.cfg == *c)))
                    >"Pin run"</button>
                <button type="button" on:click=move |_| st.pins.set(Vec::new())
                    disabled=move || st.pins.with(|p| p.is_empty())>"Clear"</button>
            </div>
            <ul class="pins">
                {move || st.pins.get().into_iter().enumerate().map(|(i, p)| {
                    let id = p.id;
                    // Another problem's run is only on the LR chart, another bowl's or data
                    // set's not on the parameter space (see `charts::pins_on`).
                    let elsewhere = problem.with(|(now, seed)| {
                        if now.name() != p.problem() {
                            Some(format!("{}: LR chart only", p.problem()))
                        } else if !p.cfg.problem.same_surface(p.cfg.seed, now, *seed) {
                            let other = if now.name() == "quadratic" { "another bowl" } else { "other data" };
                            Some(format!("{other}: not in the parameter space"))
                        } else {
                            None
                        }
                    });
                    view! {
                        <li>
                            <span class=format!("swatch sw-ghost{}", i % 4 + 1)></span>
                            <span class="pin-label" title=p.label.clone()>{p.label.clone()}</span>
                            {elsewhere.map(|e| view! { <span class="pin-note">{e}</span> })}
                            <button type="button" class="unpin" aria-label=format!("Unpin {}", p.label)
                                on:click=move |_| st.pins.update(|v| {
                                    v.retain(|q| q.id != id);
                                    relabel(v);
                                })>"✕"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint">{move || if st.pins.with(|p| p.is_empty()) {
                "Pin a run, change a slider, and compare (up to 4).".to_string()
            } else {
                format!("{} of {} pinned", st.pins.with(|p| p.len()), MAX_PINS)
            }}</p>
        </section>
    }
}

/// Formula, when to use, and the PyTorch code.
#[component]
pub fn Understanding() -> impl IntoView {
    let st = expect_context::<AppState>();
    let name = move || st.cfg.with(|c| c.scheduler.as_ref().map(|s| s.name()).unwrap_or("constant lr"));
    let formula = Memo::new(move |_| {
        st.cfg.with(|c| match &c.scheduler {
            Some(s) => core_api::formula(s, c.optimizer.lr),
            None => format!("lr = {} at every epoch (no scheduler)", fmt_num(c.optimizer.lr)),
        })
    });
    let when = move || st.cfg.with(|c| core_api::when_to_use(c.scheduler.as_ref().map_or("", |s| s.name())));
    let note = Memo::new(move |_| {
        st.cfg.with(|c| {
            let spe = c.problem.steps_per_epoch();
            c.scheduler.as_ref().and_then(|s| core_api::counter_note(s, c.per_batch(), spe))
        })
    });
    // The formula's counter at the cursor: PyTorch counts from 0 (and, stepped per batch,
    // in batches), the charts and the readout count epochs from 1. SequentialLR: the phase
    // and its own counter (see `explain::counter_at`).
    let at_cursor = Memo::new(move |_| {
        let Ok(t) = st.trace.get() else { return None };
        if t.is_empty() {
            return None;
        }
        let c = st.cursor.get().unwrap_or(t.len() - 1).min(t.len() - 1);
        // None for ReduceLROnPlateau, which has no counter.
        let counter =
            st.cfg.with(|cfg| core_api::counter_at(cfg.scheduler.as_ref()?, cfg.per_batch(), t.steps_per_epoch, c))?;
        let lr = lr_in_epoch(&t, c);
        Some(format!("At the cursor, epoch {} of {}: {counter}, the lr is {lr}.", c + 1, t.len()))
    });
    let code = Memo::new(move |_| st.cfg.with(core_api::pytorch_code));
    let copy = move |_| {
        let text = code.get_untracked();
        let Some(nav) = web_sys::window().map(|w| w.navigator()) else { return };
        // navigator.clipboard is missing on insecure origins: check before calling it.
        let has = js_sys::Reflect::get(&nav, &"clipboard".into()).map(|v| !v.is_undefined()).unwrap_or(false);
        if !has {
            st.copied.set(Some(false));
            return;
        }
        let promise = nav.clipboard().write_text(&text);
        wasm_bindgen_futures::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            st.copied.set(Some(ok));
            set_timeout(move || st.copied.set(None), Duration::from_millis(1800));
        });
    };
    view! {
        <section class="card understanding" aria-label="Understanding this scheduler">
            <h2>{name}</h2>
            <pre class="formula">{formula}</pre>
            // Kept in the page and updated in place (the cursor line changes on every input).
            <p class="counter-note" hidden=move || note.with(Option::is_none)>{move || note.get()}</p>
            <p class="at-cursor" hidden=move || at_cursor.with(Option::is_none)>{move || at_cursor.get()}</p>
            <p class="when">{when}</p>
            <div class="code-head">
                <h3>"PyTorch code"</h3>
                <button type="button" class="copy" on:click=copy>
                    {move || match st.copied.get() {
                        Some(true) => "Copied ✓",
                        Some(false) => "Copy failed: select the code",
                        None => "Copy",
                    }}
                </button>
            </div>
            // A scrolling region: focusable and named, so keyboard users can scroll it.
            <pre class="code" tabindex="0" role="region" aria-label="PyTorch code"><code>{move || code.get()}</code></pre>
        </section>
    }
}

/// Presets picker.
#[component]
pub fn Presets() -> impl IntoView {
    let st = expect_context::<AppState>();
    let list = core_api::presets();
    let names: Vec<(&'static str, &'static str, &'static str)> =
        list.iter().map(|p| (p.id, p.name, p.description)).collect();
    // The preset the set-up is (none once a setting changes), so the menu never shows a
    // preset that is no longer on screen, and picking the same one again re-applies it.
    let cfgs: Vec<(&'static str, SimConfig)> = list.iter().map(|p| (p.id, p.cfg.clone())).collect();
    let current = Memo::new(move |_| st.cfg.with(|c| cfgs.iter().find(|(_, p)| p == c).map_or("", |(id, _)| *id)));
    let on_change = move |ev: leptos::ev::Event| {
        frame::note_input(ev.time_stamp());
        let v = event_target_value(&ev);
        if let Some(p) = list.iter().find(|p| p.id == v) {
            st.replace(p.cfg.clone());
        }
    };
    view! {
        <label class="presets">
            <span>"Preset"</span>
            <select id="preset" on:change=on_change>
                <option value="" disabled prop:selected=move || current.get().is_empty()>"Choose a classic…"</option>
                {names.into_iter().map(|(i, n, d)| view! {
                    <option value=i title=d prop:selected=move || current.get() == i>{n}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// Settings from the URL that were ignored, one per line, and why.
#[component]
pub fn Notices() -> impl IntoView {
    let st = expect_context::<AppState>();
    let too_long = move || {
        st.link_too_long.get().map(|(len, pins_left_out)| {
            let max = group_thousands(crate::core::url::MAX_FRAGMENT);
            let text = if len > crate::core::url::MAX_FRAGMENT {
                (
                    "This set-up is too long for a link.",
                    format!(
                        " Its link is {} characters and links keep only the first {max}, so opening it \
                         (or reloading this page) would lose settings. Shorten the lr_lambda \
                         expressions or use fewer schedulers.",
                        group_thousands(len),
                    ),
                )
            } else {
                let runs = if pins_left_out == 1 { "1 pinned run is" } else { "pinned runs are" };
                let n = if pins_left_out == 1 { String::new() } else { format!("{pins_left_out} ") };
                (
                    "The link leaves out pinned runs.",
                    format!(
                        " {n}{runs} not in it: with them it would be longer than the {max} characters a link keeps. \
                         Unpin a run with a long lr_lambda, or shorten it."
                    ),
                )
            };
            view! {
                <div class="banner notice link-too-long" role="status">
                    <strong>{text.0}</strong>
                    {text.1}
                </div>
            }
        })
    };
    let ignored = move || {
        let n = st.notices.get();
        (!n.is_empty()).then(|| {
            view! {
                <div class="banner notice link-notice" role="status">
                    <div class="notice-head">
                        <strong>{if n.len() == 1 {
                            "One setting in the link was ignored; the default is used instead:".to_string()
                        } else {
                            format!("{} settings in the link were ignored; the defaults are used instead:", n.len())
                        }}</strong>
                        <button type="button" on:click=move |_| st.notices.set(Vec::new())>"Dismiss"</button>
                    </div>
                    <ul>{n.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    view! { {too_long} {ignored} }
}

/// `9085` → `9,085`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
