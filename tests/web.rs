//! Browser tests of the UI pieces (wasm-bindgen-test in headless Chromium):
//! `cargo test --target wasm32-unknown-unknown --test web` (scripts/test.sh runs it).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use lr_playground::core::schedulers::{SchedulerConfig, StepLR};
use lr_playground::core::sim::{simulate, SimConfig};
use lr_playground::core::url::ViewOptions;
use lr_playground::ui::{export, share, summary, Playground};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// Uniform numbers in [0, 1) from a xorshift generator seeded with `seed` (independent of
/// the core's `Rng`, which one of these tests checks).
fn uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The PyTorch parity of the training loop, in wasm: there it uses the core's own `exp` and
/// `ln_1p` (`core::math`), natively the platform's libm (`tests/golden_sgd.rs`).
#[wasm_bindgen_test]
fn sgd_matches_pytorch_in_wasm() {
    let golden: serde_json::Value = serde_json::from_str(include_str!("golden/sgd.json")).expect("sgd.json");
    let (cases, failures) = common::sgd_failures(&golden);
    assert!(failures.is_empty(), "{} mismatch(es) with PyTorch in wasm:\n{}", failures.len(), failures.join("\n"));
    assert!(cases > 0);
}

/// The two-lane `exp_pair` (wasm `simd128` instructions in this build) gives exactly the bits of
/// the scalar `exp`, for every kind of argument: the training loop's range, where
/// `round(64·x/ln 2)` is about to change, tiny ones, and the arguments the lanes leave to the
/// scalar code (out of range, infinite, NaN).
#[wasm_bindgen_test]
fn two_lane_math_is_bit_identical_to_scalar() {
    use lr_playground::core::math::{exp, exp_pair};
    const { assert!(cfg!(target_feature = "simd128"), "the wasm build is meant to use simd128 (.cargo/config.toml)") };
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
    let mut next = uniform(0x9E37_79B9_7F4A_7C15);
    let special = [
        0.0,
        -0.0,
        -745.133_219_101_941_1, // below: 0
        709.782_712_893_384,    // above: +∞
        -708.396_418_532_264_1, // ln of the smallest normal number
        20.0,
        -708.0,
        709.0,
        -708.1,
        709.1,
        800.0,
        -800.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1e-300,
        -1e-300,
    ];
    let mut checked = 0;
    for n in 0..200_000 {
        let pick = |r: f64, k: usize| match (n + k) % 5 {
            0 => -30.0 + 50.0 * r, // the training loop's range
            // Just below, at or just above the half-way point between k and k + 1, for
            // k = round(64·x/ln 2) in [-500, 499].
            1 => {
                let side = ((r * 1000.0).fract() * 3.0).floor() - 1.0;
                ((r * 1000.0).floor() - 499.5) * std::f64::consts::LN_2 / 64.0 * (1.0 + side * 1e-13)
            }
            2 => -720.0 + 1440.0 * r,
            3 => (r - 0.5) * 1e-6,
            _ => special[(r * special.len() as f64) as usize % special.len()],
        };
        let x = [pick(next(), 0), pick(next(), n % 3)];
        let s = exp_pair(x);
        for i in 0..2 {
            assert!(same(s[i], exp(x[i])), "exp_pair({x:?})[{i}] = {}, exp = {}", s[i], exp(x[i]));
            checked += 1;
        }
    }
    assert_eq!(checked, 400_000);
}

/// The per-epoch logistic losses in wasm (the core's `exp`, two lanes, and `ln_1p`; natively
/// glibc's, tested in `core::problems`): within 1e-13 relative of a compensated sum of the
/// exactly rewritten terms (`libm`), on odd and even data-set sizes, with the products settled
/// many times (weights near 0: every factor near 2) and the threshold crossed (large weights).
#[wasm_bindgen_test]
fn logistic_losses_are_accurate_in_wasm() {
    use lr_playground::core::problems::{Logistic, LogisticConfig};
    let mut next = uniform(0x2545_F491_4F6C_DD1D);
    let mut worst = 0.0f64;
    for case in 0..120u64 {
        let cfg = LogisticConfig {
            points: [1, 3, 256, 257, 1001, 5000][case as usize % 6],
            separation: 20.0 * next(),
            label_noise: [0.0, 0.1, 0.5][case as usize % 3],
            val_fraction: 0.0,
            l2: 0.0,
            ..LogisticConfig::default()
        };
        let data = Logistic::generate(&cfg, case);
        let scale = 10f64.powf(-4.0 + 7.0 * next());
        let w = [scale * (next() - 0.5), scale * (next() - 0.5), scale * (next() - 0.5)];
        let (mut sum, mut c) = (0.0f64, 0.0f64);
        for (x, &y) in data.x.iter().zip(&data.y) {
            let z = w[0] * x[0] + w[1] * x[1] + w[2];
            let signed = if y == 1.0 { -z } else { z };
            let term = if z > 20.0 { z - y * z } else { signed.max(0.0) + libm::log1p(libm::exp(-z.abs())) };
            let t = sum + term;
            c += if sum.abs() >= term.abs() { (sum - t) + term } else { (term - t) + sum };
            sum = t;
        }
        let want = (sum + c) / data.x.len() as f64;
        let got = data.loss(&w);
        if want == 0.0 {
            assert_eq!(got, 0.0, "case {case}");
        } else {
            worst = worst.max((got - want).abs() / want);
        }
    }
    assert!(worst <= 1e-13, "worst relative error {worst:e}");
}

/// `Rng::normal` in wasm (`f64::ln`, `cos`, `sqrt`: compiler-builtins' libm and the
/// `f64.sqrt` instruction) gives the bits of the `libm` crate it uses natively, so a link
/// draws the same data set in the browser as in `cargo test`.
#[wasm_bindgen_test]
fn gaussians_match_native_libm_bit_for_bit() {
    use lr_playground::core::rng::Rng;
    for seed in [0u64, 1, 42, 0xDEAD_BEEF] {
        let (mut a, mut b) = (Rng::new(seed), Rng::new(seed));
        for i in 0..100_000 {
            let got = a.normal();
            let (u1, u2) = (1.0 - b.uniform(), b.uniform());
            let want = libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
            assert_eq!(got.to_bits(), want.to_bits(), "seed {seed}, draw {i}: {got} vs {want}");
        }
    }
}

/// A count too big for wasm32's `usize` gets the same message in the browser as natively
/// (`core::params` tests), not serde's "expected usize".
#[wasm_bindgen_test]
fn huge_counts_get_the_native_message_in_wasm() {
    let cfg = SimConfig::default();
    let e = lr_playground::core::params::set(&cfg, "points", "5000000000").unwrap_err();
    assert_eq!(e.message, "logistic: `points` must be at most 4294967295, got 5000000000");
    let e = lr_playground::core::params::set(&cfg, "points", "4294967295").unwrap_err();
    assert_eq!(e.message, "logistic: `points` must be at most 5000, got 4294967295");
    // 2^32 + 100 epochs, typed or in a link, is refused, not read as 100.
    let e = lr_playground::core::params::set(&cfg, "epochs", "4294967396").unwrap_err();
    assert_eq!(e.message, "training: `epochs` must be at most 5000, got 4294967396");
    let d = lr_playground::core::url::decode("epochs=4294967396");
    assert_eq!(d.cfg.epochs, SimConfig::default().epochs);
    assert!(d.notices.iter().any(|n| n.contains("must be at most 5000, got 4294967396")), "{:?}", d.notices);
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh, visible container with a real size (charts need one).
fn container() -> web_sys::HtmlElement {
    let el: web_sys::HtmlElement = document().create_element("div").unwrap().dyn_into().unwrap();
    el.style().set_property("width", "1200px").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Let microtasks (effects) and a couple of animation frames run.
async fn settle() {
    for _ in 0..3 {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 40).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
}

fn input(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlInputElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap()
}

fn type_into(el: &web_sys::HtmlInputElement, value: &str) {
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

fn mount(cfg: SimConfig) -> (web_sys::HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || view! { <Playground initial=cfg.clone() /> });
    (root, handle)
}

#[wasm_bindgen_test]
async fn mounts_three_labelled_charts_with_summaries() {
    let (root, _h) = mount(SimConfig::default());
    settle().await;
    let canvases = root.query_selector_all("canvas[role=img]").unwrap();
    assert_eq!(canvases.length(), 3);
    let labels: Vec<String> = (0..canvases.length())
        .map(|i| canvases.item(i).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("aria-label").unwrap())
        .collect();
    for want in ["Learning rate", "Loss", "Parameter space"] {
        assert!(labels.iter().any(|l| l.contains(want)), "{want} in {labels:?}");
    }
    for chart in ["lr", "loss", "params"] {
        let s = text_of(&root, &format!(".summary[data-chart={chart}]"));
        assert!(!s.trim().is_empty(), "summary of {chart} is empty");
    }
    assert_eq!(text_of(&root, "#lr-summary"), "LR starts at 0.1, ends at 0.0001; drops after 30, 60, 90 epochs.");
    // The canvases got a backing store sized from their wrappers.
    let cv: web_sys::HtmlCanvasElement = root.query_selector("#lr-chart").unwrap().unwrap().dyn_into().unwrap();
    assert!(cv.width() > 100 && cv.height() > 100, "{}x{}", cv.width(), cv.height());
}

#[wasm_bindgen_test]
async fn typing_a_parameter_updates_the_summary() {
    let (root, _h) = mount(SimConfig::default());
    settle().await;
    let before = text_of(&root, "#lr-summary");
    type_into(&input(&root, "input.num[data-key=gamma]"), "0.5");
    settle().await;
    let after = text_of(&root, "#lr-summary");
    assert_ne!(before, after);
    assert!(after.contains("ends at 0.0125"), "{after}");
}

#[wasm_bindgen_test]
async fn invalid_input_shows_the_error_and_keeps_the_run() {
    let (root, _h) = mount(SimConfig::default());
    settle().await;
    let before = text_of(&root, "#lr-summary");
    let field = input(&root, "input.num[data-key=gamma]");
    type_into(&field, "-1");
    settle().await;
    let err = text_of(&root, "[data-key=gamma] .field-error");
    assert!(err.contains("gamma"), "error beside the field: {err:?}");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(field.value(), "-1", "the typed text is kept");
    assert_eq!(text_of(&root, "#lr-summary"), before, "the last valid run stays");
    // Fixing it clears the error.
    type_into(&field, "0.1");
    settle().await;
    assert_eq!(text_of(&root, "[data-key=gamma] .field-error"), "");
}

#[wasm_bindgen_test]
async fn picking_a_scheduler_swaps_its_parameters() {
    let (root, _h) = mount(SimConfig::default());
    settle().await;
    let select: web_sys::HtmlSelectElement = root.query_selector("#p-scheduler").unwrap().unwrap().dyn_into().unwrap();
    assert!(select.query_selector("optgroup[label=Cyclic]").unwrap().is_some(), "grouped by family");
    select.set_value("CosineAnnealingLR");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert!(root.query_selector("[data-key=T_max]").unwrap().is_some());
    assert!(root.query_selector("[data-key=step_size]").unwrap().is_none());
    assert!(text_of(&root, ".understanding").contains("CosineAnnealingLR"));
}

#[wasm_bindgen_test]
fn summaries_describe_the_run() {
    let cfg = SimConfig {
        scheduler: Some(SchedulerConfig::StepLR(StepLR { step_size: 30, gamma: 0.1 })),
        ..SimConfig::default()
    };
    let t = simulate(&cfg.problem.build(cfg.seed), &cfg).unwrap();
    assert_eq!(summary::lr_summary(&cfg, &t), "LR starts at 0.1, ends at 0.0001; drops after 30, 60, 90 epochs.");
    // LinearLR lowering the lr is a decay, not a warm-up.
    for (link, what) in [
        ("scheduler=LinearLR&start_factor=1&end_factor=0.1&total_iters=50", "decay ends after 50 epochs"),
        ("scheduler=LinearLR&start_factor=0.1&end_factor=1&total_iters=5", "warm-up ends after 5 epochs"),
    ] {
        let c = lr_playground::core::url::decode(link).cfg;
        let t = simulate(&c.problem.build(c.seed), &c).unwrap();
        let s = summary::lr_summary(&c, &t);
        assert!(s.ends_with(&format!("; {what}.")), "{s}");
    }
    // A schedule that never moves the lr names no drops it does not make.
    for (link, want) in [
        ("scheduler=StepLR&lr=0", "LR stays at 0 for the whole run."),
        ("scheduler=StepLR&gamma=1", "LR stays at 0.1 for the whole run."),
        ("scheduler=None&lr=0.3", "LR stays at 0.3 for the whole run."),
        ("scheduler=ReduceLROnPlateau&lr=0", "LR stays at 0 for the whole run; never reduced."),
    ] {
        let c = lr_playground::core::url::decode(link).cfg;
        let t = simulate(&c.problem.build(c.seed), &c).unwrap();
        assert_eq!(summary::lr_summary(&c, &t), want, "{link}");
    }
    // Stepped per batch (8 batches per epoch), landmarks fall within epochs.
    let warm = lr_playground::core::params::set(&cfg, "scheduler", "CosineAnnealingWarmRestarts").unwrap();
    let warm = lr_playground::core::params::set(&warm, "stepping", "batch").unwrap();
    let t = simulate(&warm.problem.build(warm.seed), &warm).unwrap();
    let s = summary::lr_summary(&warm, &t);
    assert!(s.contains("; restarts after 1.25, 2.5, 3.75, 5, 6.25, 7.5, 8.75, 10 epochs (and "), "{s}");
    let loss = summary::loss_summary(&t);
    assert!(
        loss.starts_with("Train loss ") && loss.contains("after 100 epochs") && loss.contains("accuracy"),
        "{loss}"
    );
    assert_eq!(summary::fmt_num(0.0001), "0.0001");
    assert_eq!(summary::fmt_num(1.5e-6), "1.5e-6");
}

#[wasm_bindgen_test]
fn csv_has_a_row_per_epoch_and_empty_cells_where_they_do_not_apply() {
    let cfg = SimConfig { epochs: 12, ..SimConfig::default() };
    let t = simulate(&cfg.problem.build(cfg.seed), &cfg).unwrap();
    let csv = export::trace_csv(&t, true, false);
    let lines: Vec<&str> = csv.trim_end().split('\n').collect();
    assert_eq!(lines[0], "epoch,lr,momentum,train_loss,val_loss,accuracy,w0,w1,bias");
    assert_eq!(lines.len(), 13);
    let last: Vec<&str> = lines[12].split(',').collect();
    assert_eq!(last.len(), 9);
    assert_eq!(last[0], "12");
    assert_eq!(last[3].parse::<f64>().unwrap(), t.train_loss[11], "exact round trip");
    assert_eq!(last[8].parse::<f64>().unwrap(), t.weights[11][2]);
    // The quadratic has no validation set, accuracy or bias.
    let quad = lr_playground::core::params::set(&cfg, "problem", "quadratic").unwrap();
    let t = simulate(&quad.problem.build(quad.seed), &quad).unwrap();
    let csv = export::trace_csv(&t, false, false);
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!((row[4], row[5], row[8]), ("", "", ""));
    // Stepped per batch (OneCycleLR), the columns say at which batch the lr was read.
    let one = lr_playground::core::params::set(&cfg, "scheduler", "OneCycleLR").unwrap();
    assert!(one.per_batch());
    let t = simulate(&one.problem.build(one.seed), &one).unwrap();
    let csv = export::trace_csv(&t, true, true);
    let lines: Vec<&str> = csv.trim_end().split('\n').collect();
    assert_eq!(
        lines[0],
        "epoch,lr_first_batch,lr_last_batch,momentum_first_batch,train_loss,val_loss,accuracy,w0,w1,bias"
    );
    let row: Vec<f64> = lines[3].split(',').map(|c| c.parse().unwrap()).collect();
    assert_eq!(row.len(), 10);
    let spe = t.steps_per_epoch;
    assert_eq!((row[1], row[2]), (t.step_lr[2 * spe], t.step_lr[3 * spe - 1]));
    assert_ne!(row[1], row[2], "OneCycleLR's lr moves within an epoch");
    assert_eq!(row[4], t.train_loss[2]);
    // And one row per SGD step, with the momentum the schedule cycles.
    let m = lr_playground::core::params::set(&one, "momentum", "0.9").unwrap();
    let t = simulate(&m.problem.build(m.seed), &m).unwrap();
    let csv = export::steps_csv(&m, &t, true);
    let lines: Vec<&str> = csv.trim_end().split('\n').collect();
    assert_eq!(lines[0], "step,epoch,batch,lr,momentum,w0,w1,bias");
    let spe = t.steps_per_epoch;
    assert_eq!(lines.len(), 12 * spe + 1);
    let schedule = lr_playground::core::schedulers::trace(m.scheduler.as_ref(), 0.1, 0.9, 12 * spe, &[]).unwrap().0;
    for k in [0, 1, spe - 1, spe, 12 * spe - 1] {
        let row: Vec<f64> = lines[k + 1].split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(row[..3], [(k + 1) as f64, (k / spe + 1) as f64, (k % spe + 1) as f64], "step {k}");
        assert_eq!((row[3], row[4]), (t.step_lr[k], schedule[k].momentum), "step {k}");
        assert_eq!(row[3], schedule[k].lr, "the run's lr is the schedule's at step {k}");
        assert_eq!(row[5..], t.path[k + 1], "the weights after step {k}");
    }
    assert_ne!(lines[1].split(',').nth(4), lines[spe / 2 + 1].split(',').nth(4), "OneCycleLR cycles momentum");
    // Each epoch's first step used the momentum the run recorded for that epoch.
    for e in 0..12 {
        let row: Vec<f64> = lines[e * spe + 1].split(',').map(|c| c.parse().unwrap()).collect();
        assert_eq!(row[4], t.momentum[e], "epoch {e}");
    }
    // Handed out in parts, the same text.
    let mut parts = Vec::new();
    export::steps_csv_chunks(&m, &t, true, 100, |p| parts.push(p.to_string()));
    assert!(parts.len() > 10 && parts.iter().all(|p| p.len() < 100 + 200));
    assert_eq!(parts.concat(), csv);
    assert_eq!(export::csv_num(1e-20), "1e-20");
    // What an exported PNG says under its title: enough to rebuild the set-up.
    assert_eq!(export::caption(&cfg), "StepLR(step_size=30, gamma=0.1) · SGD(lr=0.1) · logistic regression, 12 epochs");
    let m = lr_playground::core::params::set(&quad, "momentum", "0.9").unwrap();
    assert_eq!(
        export::caption(&m),
        "StepLR(step_size=30, gamma=0.1) · SGD(lr=0.1, momentum=0.9) · quadratic bowl, 12 epochs"
    );
    assert!(
        export::caption(&one).ends_with("· logistic regression, 12 epochs, stepped per batch"),
        "{}",
        export::caption(&one)
    );
    // OneCycleLR sets the lr and momentum itself: SGD's are left out, as in pin labels.
    let oc = lr_playground::core::params::set(&m, "scheduler", "OneCycleLR").unwrap();
    assert!(export::caption(&oc).contains("· SGD() · quadratic bowl"), "{}", export::caption(&oc));
    let none = lr_playground::core::params::set(&cfg, "scheduler", "None").unwrap();
    assert!(export::caption(&none).starts_with("no scheduler · SGD(lr=0.1)"), "{}", export::caption(&none));
    // A composite names its children and milestones; settings that differ from the defaults.
    let seq = lr_playground::core::url::decode(
        "scheduler=SequentialLR&s0=LinearLR&s0.start_factor=0.1&s0.total_iters=5&s1=CosineAnnealingLR&s1.T_max=95\
         &milestones=5&lr=0.5&momentum=0.9&nesterov=True&weight_decay=0.001&batch_size=10&patience=3",
    );
    let c = export::caption(&seq.cfg);
    for part in [
        "SequentialLR(s0=LinearLR, ",
        "s0.start_factor=0.1",
        "s1=CosineAnnealingLR",
        "s1.T_max=95",
        "milestones=[5]",
        "· SGD(lr=0.5, momentum=0.9, ",
        "nesterov=True",
        "weight_decay=0.001",
        "· logistic regression (batch_size=10), 100 epochs",
    ] {
        assert!(c.contains(part), "{part} in {c}");
    }
    assert_eq!(export::csv_num(0.1), "0.1");
    assert_eq!(export::csv_num(f64::NAN), "NaN");
}

#[wasm_bindgen_test]
fn unknown_panels_and_controls_in_a_link_are_dropped_with_a_notice() {
    let d = share::decode("#scheduler=StepLR&embed=1&show=zzz,lr&controls=gamma,nope");
    assert_eq!(d.view.show, Some(vec!["lr".to_string()]));
    assert_eq!(d.view.controls, Some(vec!["gamma".to_string()]));
    assert!(d.notices.iter().any(|n| n.contains("show=zzz")), "{:?}", d.notices);
    assert!(d.notices.iter().any(|n| n.contains("controls=nope")), "{:?}", d.notices);
    // Nothing known left: all panels (an empty page helps nobody).
    let d = share::decode("#show=zzz&controls=");
    assert_eq!(d.view.show, None);
    assert_eq!(d.view.controls, None);
}

#[wasm_bindgen_test]
async fn presentation_mode_marks_the_page_and_the_embed_links_to_the_full_app() {
    let root = container();
    let view = ViewOptions { present: true, embed: true, ..ViewOptions::default() };
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <Playground initial=SimConfig::default() view=view.clone() /> }
    });
    settle().await;
    let html = document().document_element().unwrap();
    assert!(html.class_list().contains("lrp-present"));
    assert!(root.query_selector(".app.present.embed").unwrap().is_some());
    let link = root.query_selector(".open-full a").unwrap().expect("Open in link");
    let href = link.get_attribute("href").unwrap();
    assert!(href.contains("#scheduler=StepLR") && href.contains("present=1") && !href.contains("embed"), "{href}");
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    drop(_h);
    html.class_list().remove_1("lrp-present").unwrap();
}

mod float_strings;

/// `core::num::parse_f64` in wasm, where what its exact fast path leaves goes to JavaScript's
/// `parseFloat`, gives the bits of Rust's own `str::parse::<f64>` (in this test binary) on
/// the strings `tests/parse_f64.rs` checks natively: halfway points with hundreds of digits,
/// the range's ends, and text that must be refused.
#[wasm_bindgen_test]
fn parse_f64_matches_str_parse_in_wasm() {
    use lr_playground::core::num::parse_f64;
    let cases = float_strings::cases(2000);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|s| {
            let want = s.parse::<f64>().ok();
            let got = parse_f64(s);
            (got.map(f64::to_bits) != want.map(f64::to_bits))
                .then(|| format!("{s:?}: parse_f64 {got:?}, str::parse {want:?}"))
        })
        .collect();
    let first = failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n");
    assert!(failures.is_empty(), "{} of {} differ in wasm, the first:\n{first}", failures.len(), cases.len());
    assert!(cases.len() > 100_000);
}

/// A log scale has no 0: where the LR reaches it, the LR chart's summary says it is drawn on
/// the bottom line.
#[wasm_bindgen_test]
fn the_lr_summary_says_where_a_log_scale_cannot_show_the_lr() {
    use lr_playground::core::params::set;
    use lr_playground::ui::charts::log_floor_note;
    let run = |cfg: SimConfig| {
        let t = simulate(&cfg.problem.build(cfg.seed), &cfg).unwrap();
        (cfg.per_batch(), t)
    };
    let (pb, t) = run(lr_playground::core::url::decode("scheduler=PolynomialLR&total_iters=50&power=1").cfg);
    assert_eq!(
        log_floor_note(&t, pb).as_deref(),
        Some("An lr of 0 (first after 50 epochs) is drawn on the bottom line: a log scale has no 0.")
    );
    let (pb, t) = run(lr_playground::core::url::decode("scheduler=ExponentialLR&gamma=0.5").cfg);
    assert_eq!(log_floor_note(&t, pb), None);
    let (pb, t) = run(lr_playground::core::url::decode("scheduler=None&lr=0").cfg);
    assert!(log_floor_note(&t, pb).unwrap().starts_with("An lr of 0 (from the start)"));
    // LinearLR down to 0 ends at rounding noise (-1.5e-18), as in PyTorch, and trains on.
    let (pb, t) = run(lr_playground::core::url::decode("scheduler=LinearLR&end_factor=0&total_iters=20").cfg);
    assert_eq!(t.len(), 100);
    assert!(log_floor_note(&t, pb).unwrap().starts_with("An lr of about 0 (first after 20 epochs)"));
    // Stepped per batch: CyclicLR from 0 starts there; in fractions of an epoch otherwise.
    let cyc = set(&lr_playground::core::url::decode("scheduler=CyclicLR&step_size_up=4").cfg, "base_lr", "0").unwrap();
    let (pb, mut t) = run(cyc);
    assert!(pb);
    assert!(log_floor_note(&t, pb).unwrap().contains("(from the start)"));
    t.step_lr[0] = 0.05;
    assert!(log_floor_note(&t, pb).unwrap().contains("(first after 1 epoch)"), "{:?}", log_floor_note(&t, pb));
}

/// A refused field's message follows the other fields as they change (the values it names),
/// and the field applies once they let it.
#[wasm_bindgen_test]
fn a_refused_fields_message_names_the_values_on_screen_now() {
    let owner = Owner::new();
    owner.with(|| {
        let st = lr_playground::ui::state::AppState::new(
            lr_playground::core::params::set(&SimConfig::default(), "batch_size", "100").unwrap(),
        );
        assert!(!st.apply("points", "50"));
        let message = || st.errors.with_untracked(|e| e.get("points").map(|f| f.message.clone()));
        assert!(message().unwrap().contains("at most the 40 training points, got 100"), "{:?}", message());
        assert!(st.apply("batch_size", "60"));
        assert!(message().unwrap().contains("at most the 40 training points, got 60"), "{:?}", message());
        assert!(st.apply("batch_size", "10"));
        assert_eq!(message(), None);
        assert_eq!(st.cfg.with_untracked(|c| lr_playground::core::params::get(c, "points")), Some("50".into()));
    });
}

/// The parameter-space window takes the plot's shape, so that w0 and w1 have one scale: it
/// grows on its shorter side around the box of the path and the minimum.
#[wasm_bindgen_test]
fn the_parameter_space_window_has_the_plots_shape() {
    use lr_playground::ui::state::window_for;
    for link in ["problem=quadratic&kappa=10", "problem=quadratic&angle=0&kappa=50", ""] {
        let cfg = lr_playground::core::url::decode(link).cfg;
        let p = cfg.problem.build(cfg.seed);
        let t = simulate(&p, &cfg).unwrap();
        let square = window_for(&p, Some(&t), 1.0);
        for aspect in [0.5, 1.0, 1.4, 2.6] {
            let w = window_for(&p, Some(&t), aspect);
            let (dx, dy) = (w.x.1 - w.x.0, w.y.1 - w.y.0);
            assert!((dx / dy / aspect - 1.0).abs() < 1e-9, "{link}: {w:?} is not {aspect} wide per unit high");
            // Widened, never cut: the start and the minimum stay inside, and a wider plot
            // shows at least the width of a square one.
            let start = p.start();
            let mut must = vec![[start[0], start[1]]];
            must.extend(p.minimum());
            for q in must {
                assert!(q[0] > w.x.0 && q[0] < w.x.1 && q[1] > w.y.0 && q[1] < w.y.1, "{link}: {q:?} outside {w:?}");
            }
            if aspect >= 1.0 {
                assert!(dx >= (square.x.1 - square.x.0) - 1e-9, "{link}: {w:?} narrower than {square:?}");
            }
            for q in &t.path {
                if q[0].is_finite() && q[1].is_finite() && q[0].abs() < 10.0 && q[1].abs() < 10.0 {
                    assert!(
                        q[0] >= w.x.0 && q[0] <= w.x.1 && q[1] >= w.y.0 && q[1] <= w.y.1,
                        "{link}: {q:?} outside {w:?}"
                    );
                }
            }
        }
    }
}

/// Training above the bowl's stability limit without diverging gets a word: when, and what it
/// did to the loss.
#[wasm_bindgen_test]
fn an_lr_above_the_stability_limit_is_named_before_the_run_diverges() {
    use lr_playground::ui::panels::instability_note;
    let note = |link: &str| {
        let cfg = lr_playground::core::url::decode(link).cfg;
        let p = cfg.problem.build(cfg.seed);
        let t = simulate(&p, &cfg).unwrap();
        instability_note(&cfg, &p, &t)
    };
    let whole = note("scheduler=None&lr=2.05&problem=quadratic&kappa=10&epochs=60").unwrap();
    assert!(
        whole.starts_with("the learning rate is above this bowl's stability limit 2/λmax = 2 for the whole run: each step overshoots the minimum further, so the loss grows (2.099 → "),
        "{whole}"
    );
    assert_eq!(note("scheduler=None&lr=1.9&problem=quadratic&kappa=10&epochs=60"), None);
    assert_eq!(note("scheduler=None&lr=5&problem=quadratic&epochs=60"), None, "diverged: the banner says so");
    assert_eq!(note(""), None, "logistic regression has no fixed limit");
    // Above it for a few epochs only: what the loss did in them.
    let brief = note("scheduler=StepLR&step_size=3&gamma=0.1&lr=2.5&problem=quadratic&kappa=10&epochs=30").unwrap();
    assert!(
        brief.contains(" in epochs 1–3: each step there overshoots the minimum further: the loss grew from 2.099 to "),
        "{brief}"
    );
    // The loss may still fall while the steep direction overshoots (the shallow one dominates).
    let cfg = lr_playground::core::url::decode("scheduler=None&lr=2.5&problem=quadratic&kappa=10&epochs=2").cfg;
    let p = cfg.problem.build(cfg.seed);
    let mut t = simulate(&p, &cfg).unwrap();
    t.lr[1] = 0.5;
    t.loss0 = 4.0;
    t.train_loss = vec![3.0, 2.0];
    assert_eq!(
        instability_note(&cfg, &p, &t).unwrap(),
        "the learning rate is above this bowl's stability limit 2/λmax = 2 in epoch 1: there SGD overshoots the minimum in the steepest direction, though the loss still fell (4 → 3)."
    );
    // The limit follows Nesterov, dampening and a cycled momentum.
    assert_eq!(
        note("scheduler=None&lr=5&momentum=0.9&dampening=0.9&problem=quadratic&kappa=10&epochs=60"),
        None,
        "limit 38"
    );
    assert_eq!(note("scheduler=OneCycleLR&max_lr=2.3&lr=0.1&problem=quadratic&kappa=10"), None, "μ ≈ 0.85 at the peak");
    let cfg = lr_playground::core::url::decode(
        "scheduler=None&lr=1.45&momentum=0.9&nesterov=True&problem=quadratic&kappa=10&epochs=60",
    )
    .cfg;
    let p = cfg.problem.build(cfg.seed);
    let t = simulate(&p, &cfg).unwrap();
    let why = lr_playground::ui::panels::divergence_reason(&cfg, &p, &t);
    assert!(
        why.starts_with("the learning rate was 1.45, above this bowl's stability limit 2(1 + momentum)/((1 + 2·momentum)·λmax) = 1.357."),
        "{why}"
    );
    // Blown up in the first epoch: the limit at the momentum OneCycleLR set (0.95 and
    // falling), not the optimizer's 0.
    let cfg = lr_playground::core::url::decode(
        "scheduler=OneCycleLR&max_lr=250&problem=quadratic&steps_per_epoch=20&epochs=10",
    )
    .cfg;
    let p = cfg.problem.build(cfg.seed);
    let t = simulate(&p, &cfg).unwrap();
    assert!(t.is_empty() && t.divergence.is_some());
    let why = lr_playground::ui::panels::divergence_reason(&cfg, &p, &t);
    assert!(
        why.contains("above this bowl's stability limit 2(1 + momentum)/λmax = 3.")
            && why.contains("at the momentum the scheduler set then"),
        "{why}"
    );
}
