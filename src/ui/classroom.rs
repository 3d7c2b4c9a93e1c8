//! Classroom mode: presentation mode (`present=1`: larger type, thicker lines, high contrast),
//! keyboard shortcuts, a help overlay, fullscreen, and a toast for short feedback (with Undo
//! after a reset).
//!
//! Presentation mode puts the class `lrp-present` on `<html>`; the stylesheet then sets
//! `--chart-scale` (a unitless factor for chart fonts and line widths) and high-contrast
//! `--chart-*`/`--c-*` colours on `:root`, which the charts read on every redraw (`st.theme`
//! is bumped so they redraw).

use super::panels::{pin_current, step_cursor, toggle_play};
use super::state::{AppState, Snapshot};
use crate::core::sim::SimConfig;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The shortcuts, as listed in the help overlay.
pub const SHORTCUTS: [(&str, &str); 8] = [
    ("Space", "Play / pause"),
    ("← →", "Previous / next epoch"),
    ("Shift + ← →", "Ten epochs back / forward"),
    ("p", "Pin the current run (compare)"),
    ("r", "Reset the set-up (Undo in the notice)"),
    ("f", "Fullscreen on / off"),
    ("?", "Show this help"),
    ("Esc", "Close this help"),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u32,
    pub text: String,
    /// The set-up before a reset, restored by Undo.
    pub undo: Option<Snapshot>,
}

/// UI-only state for classroom mode (provided as context next to `AppState`).
#[derive(Clone, Copy)]
pub struct Classroom {
    pub toast: RwSignal<Option<Toast>>,
    next_toast: StoredValue<u32>,
    pub help_open: RwSignal<bool>,
    pub fullscreen: RwSignal<bool>,
    /// What `r` resets to: the defaults, or in embed mode the set-up the embed started with.
    pub reset_to: StoredValue<SimConfig>,
    /// Whether `reset_to` is the set-up an embed started with (not the defaults).
    reset_to_embed: bool,
    pub root: NodeRef<html::Div>,
    pub help: NodeRef<html::Dialog>,
}

thread_local! {
    /// The element focused before the help overlay opened (focus returns there).
    static RETURN_FOCUS: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

impl Classroom {
    pub fn new(reset_to: SimConfig, reset_to_embed: bool, root: NodeRef<html::Div>) -> Classroom {
        Classroom {
            toast: RwSignal::new(None),
            next_toast: StoredValue::new(1),
            help_open: RwSignal::new(false),
            fullscreen: RwSignal::new(false),
            reset_to: StoredValue::new(reset_to),
            reset_to_embed,
            root,
            help: NodeRef::new(),
        }
    }

    /// Show a short message (replaces the previous one); it hides itself after a while.
    pub fn say(&self, text: impl Into<String>, undo: Option<Snapshot>) {
        let id = self.next_toast.get_value();
        self.next_toast.set_value(id + 1);
        let secs = if undo.is_some() { 10 } else { 4 };
        self.toast.set(Some(Toast { id, text: text.into(), undo }));
        let toast = self.toast;
        set_timeout(
            move || {
                if toast.try_with_untracked(|t| t.as_ref().is_some_and(|t| t.id == id)) == Some(true) {
                    toast.set(None);
                }
            },
            Duration::from_secs(secs),
        );
    }

    /// `r`: back to the defaults (an embed: to how it started), with Undo.
    pub fn reset(&self, st: &AppState) {
        let before = st.snapshot();
        let target = self.reset_to.get_value();
        st.playing.set(false);
        // An embed resets to the set-up it started with, not to PyTorch's defaults.
        let embed = self.reset_to_embed;
        // Refused texts count as changes: a reset clears them too.
        let clean = st.errors.with_untracked(|e| e.is_empty()) && st.drafts.with_untracked(|d| d.is_empty());
        if before.cfg == target && clean {
            let text = if embed {
                "The set-up is already as this embed started."
            } else {
                "The set-up is already at its defaults."
            };
            self.say(text, None);
            return;
        }
        st.replace(target);
        let text =
            if embed { "Reset the set-up to how this embed started." } else { "Reset the set-up to its defaults." };
        self.say(text, Some(before));
    }

    pub fn toggle_present(&self, st: &AppState) {
        st.view.update(|v| v.present = !v.present);
    }

    pub fn open_help(&self) {
        let Some(dialog) = self.help.get_untracked() else { return };
        if dialog.open() {
            return;
        }
        let active =
            document().and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        RETURN_FOCUS.with(|r| *r.borrow_mut() = active);
        if dialog.show_modal().is_ok() {
            self.help_open.set(true);
        }
    }

    pub fn close_help(&self) {
        if let Some(dialog) = self.help.get_untracked() {
            if dialog.open() {
                dialog.close();
            }
        }
    }

    pub fn toggle_fullscreen(&self) {
        let Some(doc) = document() else { return };
        if !doc.fullscreen_enabled() {
            self.say("Fullscreen is not available here (the page or frame does not allow it).", None);
            return;
        }
        let me = *self;
        let (target, method): (JsValue, &str) = if doc.fullscreen_element().is_some() {
            (doc.into(), "exitFullscreen")
        } else if let Some(root) = self.root.get_untracked() {
            (root.into(), "requestFullscreen")
        } else {
            return;
        };
        // Both return promises that reject when refused: handle that instead of letting it
        // surface as an unhandled rejection.
        let Some(f) =
            js_sys::Reflect::get(&target, &method.into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        else {
            return;
        };
        match f.call0(&target) {
            Ok(p) => {
                if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                    wasm_bindgen_futures::spawn_local(async move {
                        if wasm_bindgen_futures::JsFuture::from(p).await.is_err() {
                            me.say("The browser refused fullscreen.", None);
                        }
                    });
                }
            }
            Err(_) => me.say("The browser refused fullscreen.", None),
        }
    }
}

/// Whether a key press inside `target` belongs to the element (typing, a native control).
fn typing_in(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = el.tag_name().to_ascii_uppercase();
    if matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
        return true;
    }
    el.dyn_ref::<web_sys::HtmlElement>().is_some_and(|h| h.is_content_editable())
}

/// Space activates a focused button or link itself, or scrolls a focused region; don't
/// also play/pause.
fn activates_on_space(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(el.tag_name().to_ascii_uppercase().as_str(), "BUTTON" | "A" | "SUMMARY")
        // A focused scrolling region (the PyTorch code) scrolls on Space.
        || el.get_attribute("role").is_some_and(|r| matches!(r.as_str(), "button" | "link" | "checkbox" | "switch" | "region"))
}

fn on_key(ev: web_sys::KeyboardEvent, st: &AppState, cls: &Classroom) {
    if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.is_composing() {
        return;
    }
    if cls.help_open.get_untracked() {
        return; // the dialog handles its own keys (Esc closes it)
    }
    let target = ev.target();
    if typing_in(target.clone()) {
        return;
    }
    let key = ev.key();
    let step = if ev.shift_key() { 10 } else { 1 };
    match key.as_str() {
        " " | "Spacebar" => {
            if activates_on_space(target) {
                return;
            }
            toggle_play(st);
        }
        "ArrowLeft" => {
            step_cursor(st, -step);
        }
        "ArrowRight" => {
            step_cursor(st, step);
        }
        "p" | "P" => match pin_current(st) {
            Ok(label) => cls.say(format!("Pinned {label}"), None),
            Err(why) => cls.say(format!("Cannot pin: {why}"), None),
        },
        "r" | "R" => cls.reset(st),
        "f" | "F" => cls.toggle_fullscreen(),
        "?" => cls.open_help(),
        _ => return,
    }
    ev.prevent_default();
}

/// Install the global shortcuts, the fullscreen tracking and the presentation class.
pub fn install(st: AppState, cls: Classroom) {
    let keys = window_event_listener(ev::keydown, move |ev| on_key(ev, &st, &cls));
    let fs = window_event_listener_untyped("fullscreenchange", move |_| {
        let on = document().and_then(|d| d.fullscreen_element()).is_some();
        cls.fullscreen.set(on);
    });
    on_cleanup(move || {
        keys.remove();
        fs.remove();
    });
    // Presentation mode: a class on <html> (the charts read their colours and scale from
    // :root), then a redraw.
    Effect::new(move |prev: Option<bool>| {
        let on = st.view.with(|v| v.present);
        if let Some(root) = document().and_then(|d| d.document_element()) {
            let _ = root.class_list().toggle_with_force("lrp-present", on);
        }
        if prev.is_some_and(|p| p != on) || (prev.is_none() && on) {
            st.theme.update(|t| *t += 1);
        }
        on
    });
}

/// Present / Fullscreen / Shortcuts buttons (page chrome).
#[component]
pub fn ClassroomButtons() -> impl IntoView {
    let st = expect_context::<AppState>();
    let cls = expect_context::<Classroom>();
    let fs_enabled = document().map(|d| d.fullscreen_enabled()).unwrap_or(false);
    view! {
        <button type="button" class="present-toggle"
            aria-pressed=move || if st.view.with(|v| v.present) { "true" } else { "false" }
            title="Presentation mode: larger type, thicker lines, high contrast"
            on:click=move |_| cls.toggle_present(&st)>"Present"</button>
        <button type="button" class="fullscreen-toggle" hidden=!fs_enabled aria-keyshortcuts="F"
            aria-pressed=move || if cls.fullscreen.get() { "true" } else { "false" }
            on:click=move |_| cls.toggle_fullscreen()>
            {move || if cls.fullscreen.get() { "Exit fullscreen" } else { "Fullscreen" }}
        </button>
        <button type="button" class="help-open" aria-haspopup="dialog" aria-keyshortcuts="Shift+?"
            title="Keyboard shortcuts (?)"
            on:click=move |_| cls.open_help()>
            <span aria-hidden="true">"?"</span>
            <span class="sr-only">"Keyboard shortcuts"</span>
        </button>
    }
}

/// The keyboard-shortcut overlay: a modal <dialog> (the rest of the page is inert while it is
/// open, Esc closes it), Tab kept inside, focus returned on close.
#[component]
pub fn HelpDialog() -> impl IntoView {
    let cls = expect_context::<Classroom>();
    let on_close = move |_| {
        cls.help_open.set(false);
        if let Some(el) = RETURN_FOCUS.with(|r| r.borrow_mut().take()) {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
    };
    // Keep Tab inside the dialog (the modal dialog already makes the page inert; this also
    // stops focus from leaving to the browser's UI).
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() != "Tab" {
            return;
        }
        let Some(dialog) = cls.help.get_untracked() else { return };
        let Ok(list) = dialog.query_selector_all("button, a[href], [tabindex]:not([tabindex='-1'])") else { return };
        let items: Vec<web_sys::HtmlElement> =
            (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect();
        let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
        let active = document().and_then(|d| d.active_element());
        let at = |e: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>());
        if ev.shift_key() && (at(first) || !items.iter().any(at)) {
            ev.prevent_default();
            let _ = last.focus();
        } else if !ev.shift_key() && (at(last) || !items.iter().any(at)) {
            ev.prevent_default();
            let _ = first.focus();
        }
    };
    view! {
        <dialog class="help-dialog" node_ref=cls.help aria-labelledby="help-title" on:close=on_close
            on:keydown=on_keydown>
            <div class="help-head">
                <h2 id="help-title">"Keyboard shortcuts"</h2>
                <button type="button" class="help-close" on:click=move |_| cls.close_help()>"Close"</button>
            </div>
            <table class="shortcuts">
                <caption class="sr-only">"Keys and what they do"</caption>
                <tbody>
                    {SHORTCUTS.iter().map(|(k, what)| view! {
                        <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*what}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">"Shortcuts are ignored while you type in a field. Presentation mode: the Present button or "<code>"present=1"</code>" in the link."</p>
        </dialog>
    }
}

/// Short feedback at the bottom of the page (role=status), with Undo after a reset.
#[component]
pub fn ToastView() -> impl IntoView {
    let st = expect_context::<AppState>();
    let cls = expect_context::<Classroom>();
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            {move || cls.toast.get().map(|t| {
                let undo = t.undo.clone();
                view! {
                    <div class="toast">
                        <span>{t.text.clone()}</span>
                        {undo.map(|prev| view! {
                            <button type="button" class="undo" on:click=move |_| {
                                st.restore(prev.clone());
                                cls.say("Restored the previous set-up.", None);
                            }>"Undo"</button>
                        })}
                        <button type="button" class="toast-close" aria-label="Dismiss"
                            on:click=move |_| cls.toast.set(None)>"✕"</button>
                    </div>
                }
            })}
        </div>
    }
}
