//! The Leptos UI (wasm32 only): a thin shell mapping the core's state to views.
//!
//! * `state`: the one `RwSignal<SimConfig>` (last valid config), field drafts/errors, memos
//!   for the problem, trace and loss surface.
//! * `controls`: the parameter panel (driven by the core's parameter specs).
//! * `charts`: the three charts, drawn with the canvas 2D API at most once per frame (`frame`).
//! * `panels`: banner, playback, readout, compare, understanding, presets.
//! * `share`: the URL fragment as the UI reads it, "Copy link", the embed's "Open in" link.
//! * `classroom`: presentation mode, keyboard shortcuts, help overlay, fullscreen, toasts.
//! * `export`: CSV of the run, PNG of each chart.

pub mod charts;
pub mod classroom;
pub mod controls;
pub mod core_api;
pub mod export;
pub mod frame;
pub mod panels;
pub mod share;
pub mod state;
pub mod summary;

pub use crate::core::params;

use crate::core::sim::SimConfig;
use crate::core::url::{self, ViewOptions};
use charts::{Chart, ChartKind};
use classroom::{Classroom, ClassroomButtons, HelpDialog, ToastView};
use controls::Controls;
use export::Export;
use leptos::prelude::*;
use panels::{Banner, Compare, Notices, Playback, Presets, Readout, Understanding};
use share::{CopyLink, OpenFull};
use state::AppState;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Entry point: panic hooks, then mount the app on <body>.
pub fn start() {
    install_panic_hook();
    leptos::mount::mount_to_body(App);
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_error_box(&info.to_string());
    }));
}

/// A readable error instead of a frozen page.
fn show_error_box(detail: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("lrp-error").is_some() {
        return;
    }
    if let Ok(div) = doc.create_element("div") {
        div.set_id("lrp-error");
        div.set_class_name("lrp-message lrp-error");
        let _ = div.set_attribute("role", "alert");
        let h = doc.create_element("h1").ok();
        let p = doc.create_element("p").ok();
        let pre = doc.create_element("pre").ok();
        if let (Some(h), Some(p), Some(pre)) = (h, p, pre) {
            h.set_text_content(Some("LR Playground crashed"));
            p.set_text_content(Some("Something went wrong inside the playground. Reloading the page may help; if it keeps happening, please report it with the details below."));
            pre.set_text_content(Some(detail));
            let _ = div.append_child(&h);
            let _ = div.append_child(&p);
            let _ = div.append_child(&pre);
        }
        let _ = body.prepend_with_node_1(&div);
    }
}

fn remove_loading() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("loading")) {
        el.remove();
    }
}

/// Re-read chart colors when the color scheme changes.
fn watch_color_scheme(st: AppState) {
    let Some(win) = web_sys::window() else { return };
    if let Ok(Some(mq)) = win.match_media("(prefers-color-scheme: dark)") {
        let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| st.theme.update(|t| *t += 1));
        let _ = mq.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
        cb.forget();
    }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The whole playground, set up from the URL fragment (kept in sync with it).
#[component]
pub fn App() -> impl IntoView {
    let decoded = share::decode(&current_hash());
    view! {
        <Playground initial=decoded.cfg view=decoded.view notices=decoded.notices pins=decoded.pins sync_url=true />
    }
}

/// Write the fragment on every change; re-read it when the user edits it (hashchange).
fn sync_url(st: AppState) {
    Effect::new(move |_| {
        let cfg = st.cfg.get();
        let view = st.view.get();
        let pins: Vec<SimConfig> = st.pins.with(|p| p.iter().map(|p| p.cfg.clone()).collect());
        // history.replaceState costs 1-2 ms a call: write the link once the user pauses.
        frame::when_idle("url", move || {
            let frag = url::encode_with_pins(&cfg, &view, &pins);
            // Too long to read back, or pinned runs left out to keep it readable.
            let too_long = (frag.len() > url::MAX_FRAGMENT || url::pins_in(&frag) < pins.len())
                .then(|| (frag.len(), pins.len() - url::pins_in(&frag).min(pins.len())));
            if st.link_too_long.get_untracked() != too_long {
                st.link_too_long.set(too_long);
            }
            let Some(win) = web_sys::window() else { return };
            if current_hash().trim_start_matches('#') != frag {
                if let Ok(h) = win.history() {
                    let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{frag}")));
                }
            }
        });
    });
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        frame::note_input(ev.time_stamp());
        let d = share::decode(&current_hash());
        if st.cfg.with_untracked(|c| *c != d.cfg) {
            st.replace(d.cfg);
        }
        if st.view.with_untracked(|v| *v != d.view) {
            st.view.set(d.view);
        }
        let mut notices = d.notices;
        if st.pins.with_untracked(|p| !p.iter().map(|p| &p.cfg).eq(d.pins.iter())) {
            notices.extend(panels::set_pins(&st, d.pins));
        }
        st.notices.set(notices);
    });
    if let Some(win) = web_sys::window() {
        let _ = win.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    }
    cb.forget();
}

/// Embedded in an iframe: tell the parent our height whenever it changes.
fn post_height(root: web_sys::HtmlElement) {
    let last = std::rc::Rc::new(std::cell::Cell::new(-1i32));
    let el = root.clone();
    let send = move || {
        let h = el.scroll_height();
        if h == last.get() {
            return;
        }
        last.set(h);
        let Some(win) = web_sys::window() else { return };
        let Ok(Some(parent)) = win.parent() else { return };
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"lr-playground:height".into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &h.into());
        let _ = parent.post_message(&msg, "*");
    };
    send();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |_| send());
    if let Ok(ro) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        ro.observe(&root);
    }
    cb.forget();
}

/// The playground for a given starting config (tests mount this directly).
#[component]
pub fn Playground(
    initial: SimConfig,
    #[prop(optional)] view: ViewOptions,
    #[prop(optional)] notices: Vec<String>,
    /// Runs pinned for comparison from the start (a link's `pin=` pairs).
    #[prop(optional)]
    pins: Vec<SimConfig>,
    #[prop(optional)] sync_url: bool,
) -> impl IntoView {
    let embedded = view.embed;
    let reset_to = if embedded { initial.clone() } else { SimConfig::default() };
    let st = AppState::new(initial);
    st.view.set(view);
    let mut notices = notices;
    notices.extend(panels::set_pins(&st, pins));
    st.notices.set(notices);
    provide_context(st);
    watch_color_scheme(st);
    if sync_url {
        self::sync_url(st);
    }
    let root = NodeRef::<leptos::html::Div>::new();
    let cls = Classroom::new(reset_to, embedded, root);
    provide_context(cls);
    classroom::install(st, cls);
    Effect::new(move |_| {
        remove_loading();
        if let Some(el) = root.get() {
            if st.view.with_untracked(|v| v.embed) {
                post_height(el.into());
            }
        }
    });
    let shows = move |name: &str| st.view.with(|v| v.show.as_ref().is_none_or(|s| s.iter().any(|x| x == name)));
    let embed = move || st.view.with(|v| v.embed);
    let no_controls = move || st.view.with(|v| v.embed && v.controls.is_none());
    let present = move || st.view.with(|v| v.present);
    let chrome = move || !embed();
    // What sits beside and below the charts (readout, compare, export, the formula and code
    // card, the help dialog) is mounted once the charts are on screen: a shorter cold start.
    // Their containers are there from the start, so nothing moves when they arrive.
    let later = RwSignal::new(false);
    request_animation_frame(move || set_timeout(move || later.set(true), std::time::Duration::ZERO));

    view! {
        <div class="app" class:embed=embed class:no-controls=no_controls class:present=present node_ref=root>
            <header class="topbar" hidden=embed>
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <h1>"LR Playground"</h1>
                    <p class="tagline">"PyTorch learning-rate schedulers, live in your browser"</p>
                </div>
                <Presets />
                <div class="actions" role="group" aria-label="Share and present">
                    <CopyLink />
                    <ClassroomButtons />
                </div>
                <button type="button" class="to-charts" on:click=move |_| {
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.query_selector(".main").ok().flatten())
                    {
                        el.scroll_into_view();
                    }
                }>"Charts ↓"</button>
            </header>
            <div class="layout">
                <aside class="controls" aria-label="Controls" hidden=no_controls>
                    <Controls />
                </aside>
                <main class="main" id="charts">
                    // The top bar (with the page's h1) is hidden in embeds; keep a heading for
                    // screen readers' page outline.
                    <Show when=embed>
                        <h1 class="sr-only">{move || format!("LR Playground: {}", st.cfg.with(|c| {
                            c.scheduler.as_ref().map(|s| s.name()).unwrap_or("constant learning rate")
                        }))}</h1>
                    </Show>
                    <Notices />
                    <Banner />
                    <div class="charts">
                        <Show when=move || shows("lr")><Chart kind=ChartKind::Lr /></Show>
                        <Show when=move || shows("loss")><Chart kind=ChartKind::Loss /></Show>
                    </div>
                    <Playback />
                    <div class="lower">
                        <Show when=move || shows("params")><Chart kind=ChartKind::Params /></Show>
                        <Show when=chrome>
                            <div class="side">
                                <Show when=move || later.get()>
                                    <Readout />
                                    <Compare />
                                    <Export />
                                </Show>
                            </div>
                        </Show>
                    </div>
                    <Show when=move || later.get() && (chrome() || shows("code") || shows("formula"))>
                        <Understanding />
                    </Show>
                    <Show when=embed><OpenFull /></Show>
                </main>
            </div>
            <Show when=move || later.get()>
                <HelpDialog />
            </Show>
            <ToastView />
        </div>
    }
}
