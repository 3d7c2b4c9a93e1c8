//! The control panel: one row per parameter spec (slider + numeric field, select, checkbox
//! or expression field), grouped like the core's `sim_params`.

use super::frame;
use super::params::{self, Group, ParamKind};
use super::state::{AppState, FieldError};
use super::summary::fmt_num;
use crate::core::num::parse_f64;
use crate::core::schedulers::{Family, SchedulerConfig};
use crate::core::slider::Scale;
use leptos::prelude::*;

/// What a row looks like; rows re-render only when this changes.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Float(Scale),
    Int { min: i64, max: i64 },
    Bool,
    Choice(Vec<&'static str>),
    Text,
    IntList,
}

fn shape_of(kind: &ParamKind) -> Shape {
    match kind {
        ParamKind::Float { min, max, log } => Shape::Float(Scale::new(*min, *max, *log)),
        ParamKind::Int { min, max } => Shape::Int { min: *min, max: *max },
        ParamKind::Bool => Shape::Bool,
        ParamKind::Choice(c) => Shape::Choice(c.clone()),
        ParamKind::Text => Shape::Text,
        ParamKind::IntList => Shape::IntList,
    }
}

pub fn dom_id(key: &str) -> String {
    format!("p-{}", key.replace(['.', '[', ']'], "-"))
}

/// The range input's `min` and `max` (its stops are 1 apart).
fn slider_range(shape: &Shape) -> (f64, f64) {
    match shape {
        Shape::Float(scale) => (0.0, scale.last()),
        Shape::Int { min, max } => (*min as f64, *max as f64),
        _ => (0.0, 0.0),
    }
}

fn slider_pos(shape: &Shape, text: &str) -> f64 {
    let v = parse_f64(text.trim()).unwrap_or(0.0);
    match shape {
        Shape::Float(scale) => scale.position(v),
        Shape::Int { min, max } => v.clamp(*min as f64, *max as f64),
        _ => 0.0,
    }
}

fn slider_text(shape: &Shape, pos: f64) -> String {
    match shape {
        // Written exactly (the shortest form that reads back as the same number), so the
        // text maps back to the same stop.
        Shape::Float(scale) => params::fmt_num(scale.value(pos)),
        Shape::Int { .. } => format!("{}", pos.round() as i64),
        _ => String::new(),
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let st = expect_context::<AppState>();
    let groups = [
        (Group::Scheduler, "Scheduler"),
        (Group::Optimizer, "Optimizer: SGD"),
        (Group::Problem, "Problem"),
        (Group::Training, "Training"),
    ];
    let embed = st.view.with_untracked(|v| v.embed);
    let narrow =
        web_sys::window().and_then(|w| w.match_media("(max-width: 760px)").ok().flatten()).is_some_and(|m| m.matches());
    groups
        .into_iter()
        .map(|(g, title)| {
            let keys = Memo::new(move |_| {
                st.controls
                    .with(|c| c.iter().filter(|(s, _)| s.group == g).map(|(s, _)| s.key.clone()).collect::<Vec<_>>())
            });
            let visible = Memo::new(move |_| {
                let keys = keys.get();
                st.view.with(|v| match &v.controls {
                    Some(list) => keys.into_iter().filter(|k| list.contains(k)).collect::<Vec<_>>(),
                    None => keys,
                })
            });
            let composite = move || {
                g == Group::Scheduler && st.cfg.with(|c| c.scheduler.as_ref().is_some_and(|s| s.is_composite()))
            };
            let restricted = move || st.view.with(|v| v.controls.is_some());
            // Collapsible groups: all open on wide screens and in embeds; on phones only the
            // scheduler group starts open, so the charts are a short scroll away.
            let open = g == Group::Scheduler || embed || !narrow;
            view! {
                <details class="group" data-group=title open=open hidden=move || visible.with(|v| v.is_empty())>
                    <summary><span class="group-title">{title}</span></summary>
                    <fieldset>
                        <legend class="sr-only">{title}</legend>
                        <For each=move || visible.get() key=|k| k.clone() let:k>
                            <ParamRow key=k />
                        </For>
                        {move || (composite() && !restricted()).then(|| view! { <AddChild /> })}
                    </fieldset>
                </details>
            }
        })
        .collect_view()
}

#[component]
fn ParamRow(key: String) -> impl IntoView {
    let st = expect_context::<AppState>();
    let k = key.clone();
    // This row's entry of the shared list: the row's effects wake only when it changes.
    let spec = Memo::new(move |_| {
        st.controls.with(|c| {
            c.iter()
                .find(|(s, _)| s.key == k)
                .map(|(s, _)| (s.label, shape_of(&s.kind), s.pytorch_default.map(|d| d.to_string()), s.help))
        })
    });
    let shape = Memo::new(move |_| spec.with(|s| s.as_ref().map(|s| s.1.clone())));
    let id = dom_id(&key);
    let k = key.clone();
    let value = Memo::new(move |_| {
        st.controls.with(|c| c.iter().find(|(s, _)| s.key == k).and_then(|(_, v)| v.clone())).unwrap_or_default()
    });
    let current = move || value.get();
    let k = key.clone();
    let error = Memo::new(move |_| st.errors.with(|e| e.get(&k).cloned()));
    let k = key.clone();
    let shown = move || {
        st.drafts
            .with(|d| d.get(&k).cloned())
            .or_else(|| error.with(|e| e.as_ref().map(|e| e.text.clone())))
            .unwrap_or_else(current)
    };
    let label = move || spec.with(|s| s.as_ref().map(|s| s.0).unwrap_or(""));
    let help = move || spec.with(|s| s.as_ref().map(|s| s.3).unwrap_or(""));
    let default = move || spec.with(|s| s.as_ref().and_then(|s| s.2.clone()));
    let err_id = format!("{id}-err");
    // A composite child's parameter is named after its child for screen readers
    // (`schedulers[1].step_size`): two StepLR children have the same parameter names.
    let owner = child_owner(&key);
    // An embed that shows a child's parameter without the child's own row names the child's
    // scheduler beside it (`LinearLR total_iters`): the heading that says so is not there.
    let owner_key = key.rsplit_once('.').map(|(p, _)| p.to_string());
    let owner_type = move || {
        let ok = owner_key.as_deref()?;
        let headed = st.view.with(|v| v.controls.as_ref().is_none_or(|c| c.iter().any(|k| k == ok)));
        if headed {
            return None;
        }
        st.cfg.with(|c| params::get(c, ok))
    };

    let body = {
        let key = key.clone();
        let shown = shown.clone();
        let id = id.clone();
        let err_id = err_id.clone();
        let owner = owner.clone().unwrap_or_default();
        move || {
            let Some(shape) = shape.get() else { return ().into_any() };
            let key = key.clone();
            let id = id.clone();
            let err_id = err_id.clone();
            match shape {
                Shape::Float(_) | Shape::Int { .. } => {
                    let (min, max) = slider_range(&shape);
                    let sh = shape.clone();
                    let sh2 = shape.clone();
                    let shown = shown.clone();
                    let k1 = key.clone();
                    let owner = owner.clone();
                    view! {
                        <div class="inputs">
                            <input type="range" class="slider" data-key=key.clone()
                                aria-label=move || format!("{owner}{} slider", label())
                                // Screen readers announce the value, not the slider's position.
                                aria-valuetext=current
                                min=min max=max step="1"
                                prop:value=move || slider_pos(&sh, &current()).to_string()
                                on:input=move |ev| {
                                    frame::note_input(ev.time_stamp());
                                    let pos = parse_f64(&event_target_value(&ev)).unwrap_or(0.0);
                                    st.set_draft(&k1, None);
                                    st.apply(&k1, &slider_text(&sh2, pos));
                                } />
                            {text_field(st, key, id, err_id, "num", None, shown, error)}
                        </div>
                    }
                    .into_any()
                }
                // A checkbox or select shows what the user chose while it is refused (like a
                // text field), then the run's value again once the error goes (a reset, a
                // preset, a link): its state in the page must follow, not stay as clicked.
                Shape::Bool => {
                    let k1 = key.clone();
                    let shown = shown.clone();
                    view! {
                        <input type="checkbox" id=id data-key=key.clone() aria-describedby=err_id
                            aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                            prop:checked=move || shown().eq_ignore_ascii_case("true")
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                let on = event_target_checked(&ev);
                                st.apply(&k1, if on { "true" } else { "false" });
                            } />
                    }
                    .into_any()
                }
                Shape::Choice(options) => {
                    let k1 = key.clone();
                    let opts = if key == "scheduler" {
                        scheduler_options(&options, shown.clone())
                    } else {
                        options
                            .iter()
                            .map(|o| {
                                let o = *o;
                                let shown = shown.clone();
                                view! { <option value=o prop:selected=move || shown() == o>{o}</option> }.into_any()
                            })
                            .collect::<Vec<_>>()
                    };
                    let shown = shown.clone();
                    view! {
                        <select id=id data-key=key.clone() aria-describedby=err_id
                            prop:value=shown
                            on:change=move |ev| {
                                frame::note_input(ev.time_stamp());
                                let v = event_target_value(&ev);
                                st.apply(&k1, &v);
                            }>
                            {opts}
                        </select>
                    }
                    .into_any()
                }
                Shape::Text | Shape::IntList => {
                    let shown = shown.clone();
                    let is_expr = shape == Shape::Text;
                    let placeholder = if is_expr { "e.g. 0.95 ** epoch" } else { "e.g. 30, 80" };
                    let class = if is_expr { "expr" } else { "list" };
                    view! {
                        <div class="inputs text-input">
                            {text_field(st, key, id, err_id, class, Some(placeholder), shown, error)}
                            {move || error.get().and_then(|e| e.column).map(|col| {
                                let pad = " ".repeat(col.saturating_sub(1));
                                view! { <div class="caret" aria-hidden="true">{format!("{pad}^")}</div> }
                            })}
                        </div>
                    }
                    .into_any()
                }
            }
        }
    };

    let reset = {
        let key = key.clone();
        let owner = owner.clone().unwrap_or_default();
        move || {
            default().map(|d| {
                let key = key.clone();
                let d2 = d.clone();
                let owner = owner.clone();
                // Judged by what the field shows: a refused or half-typed text over a run
                // already at the default still has something to reset.
                let is_current = {
                    let d = d.clone();
                    let shown = shown.clone();
                    move || same_value(&shown(), &d)
                };
                view! {
                    <span class="default" title=format!("PyTorch's default: {d}")>
                        "default " {parse_f64(d.trim()).map(fmt_num).unwrap_or_else(|| d.clone())}
                    </span>
                    <button type="button" class="reset"
                        aria-label=move || format!("Reset {owner}{} to its default {}", label(), d)
                        title="Reset to PyTorch's default"
                        disabled=is_current
                        on:click=move |ev| {
                            frame::note_input(ev.time_stamp());
                            st.set_draft(&key, None);
                            st.apply(&key, &d2);
                        }>"↺"</button>
                }
            })
        }
    };

    let is_choice_or_bool = move || shape.with(|s| matches!(s, Some(Shape::Bool)));
    let child_index: Option<usize> =
        if params::is_child_key(&key) { key.strip_prefix('s').and_then(|n| n.parse().ok()) } else { None };
    let is_child = key.contains('.') || child_index.is_some();
    let shown_label = move || match child_index {
        Some(i) => format!("schedulers[{i}]"),
        None => label().to_string(),
    };
    let tools = child_index.map(|i| {
        let k1 = key.clone();
        let k2 = key.clone();
        let count = move || st.cfg.with(|c| params::child_count(c, "").unwrap_or(0));
        view! {
            <span class="tools">
                <button type="button" aria-label=format!("Move schedulers[{i}] up") title="Move up"
                    disabled=move || i == 0
                    on:click=move |ev| {
                        frame::note_input(ev.time_stamp());
                        st.apply_with(&k1, "", |c| params::move_child_up(c, "", i));
                    }>"↑"</button>
                <button type="button" aria-label=format!("Remove schedulers[{i}]") title="Remove"
                    disabled=move || count() <= 1
                    on:click=move |ev| {
                        frame::note_input(ev.time_stamp());
                        st.apply_with(&k2, "", |c| params::remove_child(c, "", i));
                    }>"✕"</button>
            </span>
        }
    });
    view! {
        <div class="param" class:inline=is_choice_or_bool class:child=is_child data-key=key.clone()>
            <div class="param-head">
                <label for=id.clone() title=help>
                    {owner.clone().map(|o| view! { <span class="sr-only">{o}</span> })}
                    {move || owner_type().map(|t| view! { <span class="owner">{t}" "</span> })}
                    {shown_label}
                </label>
                {reset}
                {tools}
            </div>
            {body}
            <p class="field-error" id=err_id role="status" aria-live="polite">
                {move || error.get().map(|e| tidy_message(&e.message))}
            </p>
        </div>
    }
}

/// `schedulers[1] ` for the key `s1.step_size`, `schedulers[0].schedulers[2] ` for
/// `s0.s2.gamma`; None for a top-level key.
fn child_owner(key: &str) -> Option<String> {
    let (path, _) = key.rsplit_once('.')?;
    let names: Vec<String> = path.split('.').map(|s| format!("schedulers[{}]", s.trim_start_matches('s'))).collect();
    Some(format!("{} ", names.join(".")))
}

/// A message as shown beside a field: numbers written out in full (the core prints an f64
/// with every digit, so `1e308` would be 309 characters) are shortened to `1e308`.
pub fn tidy_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        match parse_f64(run) {
            Some(v) if digits > 15 && v.is_finite() => out.push_str(&fmt_num(v)),
            _ => out.push_str(run),
        }
        run.clear();
    };
    for ch in msg.chars() {
        if ch.is_ascii_digit() || (ch == '.' && !run.is_empty() && !run.contains('.')) {
            run.push(ch);
        } else {
            flush(&mut run, &mut out);
            out.push(ch);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn same_value(a: &str, b: &str) -> bool {
    match (parse_f64(a.trim()), parse_f64(b.trim())) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0),
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

fn scheduler_options(
    names: &[&'static str],
    current: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> Vec<AnyView> {
    let families = [Family::Decay, Family::WarmUp, Family::Cyclic, Family::Adaptive, Family::Composite];
    let mut out: Vec<AnyView> = families
        .iter()
        .map(|f| {
            let members: Vec<&'static str> = names
                .iter()
                .copied()
                .filter(|n| SchedulerConfig::NAMES.contains(n) && SchedulerConfig::family_of(n) == *f)
                .collect();
            view! {
                <optgroup label=f.label()>
                    {members.into_iter().map(|n| {
                        let cur = current.clone();
                        view! { <option value=n prop:selected=move || cur() == n>{n}</option> }
                    }).collect_view()}
                </optgroup>
            }
            .into_any()
        })
        .collect();
    // Anything the core lists that is not a scheduler class (e.g. "none").
    for n in names.iter().filter(|n| !SchedulerConfig::NAMES.contains(n)) {
        let cur = current.clone();
        let n = *n;
        out.push(view! { <option value=n prop:selected=move || cur() == n>{n}</option> }.into_any());
    }
    out
}

/// A parameter's text field (the number beside a slider, an expression, a list): every
/// keystroke is applied, or its error shown while the last valid run stays; the typed text is
/// kept as a draft until it is valid and the field is left.
#[allow(clippy::too_many_arguments)]
fn text_field(
    st: AppState,
    key: String,
    id: String,
    err_id: String,
    class: &'static str,
    placeholder: Option<&'static str>,
    shown: impl Fn() -> String + Send + Sync + 'static,
    error: Memo<Option<FieldError>>,
) -> impl IntoView {
    let numeric = class == "num";
    let (k1, k2) = (key.clone(), key.clone());
    view! {
        <input type="text" class=class id=id inputmode=numeric.then_some("decimal") data-key=key
            autocomplete="off" spellcheck="false" placeholder=placeholder
            aria-describedby=err_id
            aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
            prop:value=shown
            on:input=move |ev| {
                frame::note_input(ev.time_stamp());
                let text = event_target_value(&ev);
                st.set_draft(&k1, Some(text.clone()));
                st.apply(&k1, &text);
            }
            on:change=move |_| {
                if st.errors.with_untracked(|e| !e.contains_key(&k2)) {
                    st.set_draft(&k2, None);
                }
            } />
    }
}

/// Append a child scheduler to the composite.
#[component]
fn AddChild() -> impl IntoView {
    let st = expect_context::<AppState>();
    let pick = RwSignal::new(String::from("ExponentialLR"));
    let error = Memo::new(move |_| st.errors.with(|e| e.get("add-child").map(|e| e.message.clone())));
    view! {
        <div class="add-child">
            <label for="add-child" class="sr-only">"Scheduler to add"</label>
            <select id="add-child" on:change=move |ev| pick.set(event_target_value(&ev))>
                {params::CHILD_NAMES.iter().map(|n| {
                    let n = *n;
                    view! { <option value=n prop:selected=move || pick.get() == n>{n}</option> }
                }).collect_view()}
            </select>
            <button type="button" on:click=move |ev| {
                frame::note_input(ev.time_stamp());
                let name = pick.get_untracked();
                st.apply_with("add-child", &name, |c| params::add_child(c, "", &name));
            }>"+ Add"</button>
        </div>
        <p class="field-error" role="status" aria-live="polite">{move || error.get().map(|e| tidy_message(&e))}</p>
    }
}
