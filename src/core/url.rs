//! The whole set-up in the URL fragment, with readable keys that are PyTorch's parameter
//! names: `#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100`.
//!
//! Decoding never fails: every pair that cannot be used (unknown key, bad value, a value
//! that makes the set-up invalid) is dropped with a notice saying which and why, and the
//! rest is kept. Keys follow [`crate::core::params`]; children of composite schedulers are
//! `s0=LinearLR&s0.total_iters=5&s1=CosineAnnealingLR...`. View options (`embed`, `show`,
//! `controls`, `present`, `log`, `log_lr`) ride along, and pinned runs as `pin=` pairs, each
//! a %-encoded fragment of its own ([`encode_with_pins`]).

use crate::core::params::{self, Group, ParamKind};
use crate::core::sim::SimConfig;

/// How the page is shown (not part of the run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// `embed=1`: no page chrome, for iframes.
    pub embed: bool,
    /// `show=lr,loss,params`: which charts (and `code`, `formula`) to show; all if `None`.
    pub show: Option<Vec<String>>,
    /// `controls=gamma,step_size`: which controls to show; all if `None`.
    pub controls: Option<Vec<String>>,
    /// `present=1`: classroom presentation mode.
    pub present: bool,
    /// `log=1`: the loss chart on a log scale.
    pub log_loss: bool,
    /// `log_lr=1`: the learning-rate chart on a log scale.
    pub log_lr: bool,
}

/// A decoded fragment.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub cfg: SimConfig,
    pub view: ViewOptions,
    /// One sentence per ignored field, e.g. "ignored `gamma=-1`: StepLR: `gamma` must be greater than 0, got -1".
    pub notices: Vec<String>,
    /// Runs pinned for comparison: `pin=` pairs, each the pinned run's own fragment.
    pub pins: Vec<SimConfig>,
}

/// Most pinned runs a link carries (the Compare panel holds four).
pub const MAX_PINS: usize = 4;

/// Longest fragment read; the rest is ignored with a notice.
pub const MAX_FRAGMENT: usize = 8192;
/// Most pairs read.
pub const MAX_PAIRS: usize = 256;

fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'*' | b',' | b'(' | b')' | b'!' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The fragment (without `#`) for a run and view. Scheduler parameters, `lr` and `epochs`
/// are always written; other settings only when they differ from the defaults.
pub fn encode(cfg: &SimConfig, view: &ViewOptions) -> String {
    let defaults = SimConfig::default();
    // Picking a scheduler sets its stepping (CyclicLR and OneCycleLR per batch): `stepping`
    // is written when it differs from what the link's scheduler picks.
    let picked = params::get(cfg, "scheduler")
        .and_then(|name| params::set(&defaults, "scheduler", &name).ok())
        .and_then(|c| params::get(&c, "stepping"));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (spec, value) in params::values(cfg) {
        let Some(mut value) = value else { continue };
        if spec.kind == ParamKind::IntList {
            value.retain(|c| c != ' '); // `milestones=30,80`, not `30,%2080`
        }
        let always =
            spec.group == Group::Scheduler || spec.key == "lr" || spec.key == "epochs" || spec.key == "problem";
        if spec.group == Group::Scheduler && value == "None" && spec.key != "scheduler" {
            continue; // an optional parameter left at PyTorch's default
        }
        let reference = if spec.key == "stepping" { picked.clone() } else { params::get(&defaults, &spec.key) };
        if always || reference.as_deref() != Some(value.as_str()) {
            pairs.push((spec.key, value));
        }
    }
    if view.embed {
        pairs.push(("embed".into(), "1".into()));
    }
    if let Some(show) = &view.show {
        pairs.push(("show".into(), show.join(",")));
    }
    if let Some(controls) = &view.controls {
        pairs.push(("controls".into(), controls.join(",")));
    }
    if view.present {
        pairs.push(("present".into(), "1".into()));
    }
    if view.log_loss {
        pairs.push(("log".into(), "1".into()));
    }
    if view.log_lr {
        pairs.push(("log_lr".into(), "1".into()));
    }
    pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect::<Vec<_>>().join("&")
}

/// [`encode`], then a `pin=` pair for each pinned run (at most [`MAX_PINS`]): the run's own
/// fragment, %-encoded, so that a shared link shows the comparison too. A pin that would make
/// the link longer than [`MAX_FRAGMENT`] (which [`decode`] reads) is left out, and so are
/// the ones after it: count those in with [`pins_in`].
pub fn encode_with_pins<'a>(
    cfg: &SimConfig,
    view: &ViewOptions,
    pins: impl IntoIterator<Item = &'a SimConfig>,
) -> String {
    let mut frag = encode(cfg, view);
    for p in pins.into_iter().take(MAX_PINS) {
        let pair = format!("&pin={}", encode_component(&encode(p, &ViewOptions::default())));
        if frag.len() + pair.len() > MAX_FRAGMENT {
            break;
        }
        frag.push_str(&pair);
    }
    frag
}

/// How many pinned runs a fragment [`encode_with_pins`] wrote carries.
pub fn pins_in(fragment: &str) -> usize {
    fragment.matches("&pin=").count()
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// A `show=`/`controls=` list: names of panels or settings (letters, digits, `_`, `.`), at
/// most 32 of at most 40 characters; anything else is not a name and is left out.
fn list(v: &str) -> Vec<String> {
    let is_name = |s: &&str| s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).filter(is_name).take(32).map(str::to_string).collect()
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "True" | "yes" | "on")
}

/// Decode a fragment (with or without the leading `#`). Never fails.
pub fn decode(fragment: &str) -> Decoded {
    decode_with(fragment, true)
}

/// [`decode`]; a pinned run's own fragment (`pins` false) has no view options or pins of its
/// own: such keys in it are unknown settings.
fn decode_with(fragment: &str, pins: bool) -> Decoded {
    let mut notices = Vec::new();
    let mut frag = fragment.strip_prefix('#').unwrap_or(fragment);
    if frag.len() > MAX_FRAGMENT {
        let mut cut = MAX_FRAGMENT;
        while !frag.is_char_boundary(cut) {
            cut -= 1;
        }
        frag = &frag[..cut];
        notices.push(format!("the link is longer than {MAX_FRAGMENT} characters; the rest was ignored"));
    }
    let mut view = ViewOptions::default();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut pinned: Vec<String> = Vec::new();
    for (n, part) in frag.split('&').filter(|p| !p.is_empty()).enumerate() {
        if n == MAX_PAIRS {
            notices.push(format!("the link has more than {MAX_PAIRS} settings; the rest were ignored"));
            break;
        }
        let Some((k, v)) = part.split_once('=') else {
            notices.push(format!("ignored `{}`: expected key=value", clip(part, 40)));
            continue;
        };
        let (Some(k), Some(v)) = (decode_component(k), decode_component(v)) else {
            notices.push(format!("ignored `{}`: bad %-encoding", clip(part, 40)));
            continue;
        };
        if k.is_empty() {
            // `&=&` says nothing; `=0.5` names no setting.
            if !v.is_empty() {
                notices.push(format!("ignored `{}`: no setting named before `=`", clip(part, 40)));
            }
            continue;
        }
        match k.as_str() {
            "embed" if pins => view.embed = flag(&v),
            "show" if pins => view.show = Some(list(&v)),
            "controls" if pins => view.controls = Some(list(&v)),
            "present" if pins => view.present = flag(&v),
            "log" if pins => view.log_loss = flag(&v),
            "log_lr" if pins => view.log_lr = flag(&v),
            "pin" if pins => pinned.push(v),
            _ => pairs.push((k, v)),
        }
    }
    let mut cfg = apply_pairs(&mut pairs, &mut notices);
    // A hand-written link that picks OneCycleLR or CosineAnnealingLR without naming its
    // `total_steps` / `T_max` gets the run's length, as picking it in the app does (the link's
    // `epochs` is applied after its scheduler). The app's own links always name it.
    if let Some(key) = params::run_length_key(&cfg) {
        if !pairs.iter().any(|(k, _)| k == key) {
            cfg = params::fit_run_length(&cfg).unwrap_or(cfg);
        }
    }
    let mut pin_cfgs = Vec::new();
    for (i, frag) in pinned.iter().enumerate() {
        if i == MAX_PINS {
            notices.push(format!("the link pins more than {MAX_PINS} runs; the rest were ignored"));
            break;
        }
        let d = decode_with(frag, false);
        notices.extend(d.notices.into_iter().map(|n| format!("pinned run {}: {n}", i + 1)));
        pin_cfgs.push(d.cfg);
    }
    Decoded { cfg, view, notices, pins: pin_cfgs }
}

/// The order pairs are applied in: the scheduler and problem pickers first, then child
/// types (shallow first), then everything else in the link's order.
fn rank(key: &str) -> usize {
    match key {
        "scheduler" => 0,
        "problem" => 1,
        k if params::is_child_key(k) => 2 + k.matches('.').count(),
        _ => 100,
    }
}

/// A decoding in progress: the set-up so far and the bookkeeping of composite children.
#[derive(Default)]
struct Partial {
    cfg: SimConfig,
    /// One past the highest top-level child index the link named.
    top_children: Option<usize>,
    /// Whether children not named in the link were dropped already.
    truncated: bool,
}

/// Apply `order[from..]` (minus dropped pairs) to `st`. Before each pair that applies, the
/// state before it is pushed on `checkpoints` with its position, so that a later round can
/// resume there. A pair that fails on its own is dropped with its notice.
fn build(
    pairs: &[(String, String)],
    order: &[(usize, usize)],
    from: usize,
    mut st: Partial,
    checkpoints: &mut Vec<(usize, Partial)>,
    notices: &mut Vec<String>,
    dropped: &mut [bool],
) -> SimConfig {
    for (p, &(i, rank)) in order.iter().enumerate().skip(from) {
        if dropped[i] {
            continue;
        }
        let (k, v) = &pairs[i];
        if rank >= 100 && !st.truncated {
            // Children not named in the link are dropped (a link lists all of them).
            if let Some(n) = st.top_children {
                if let Ok(c) = params::truncate_children(&st.cfg, "", n) {
                    st.cfg = c;
                }
            }
            st.truncated = true;
        }
        match params::assign(&st.cfg, k, v) {
            Ok(c) => {
                let before = Partial { cfg: std::mem::replace(&mut st.cfg, c), ..st };
                checkpoints.push((p, before));
                if rank == 2 {
                    let idx = k[1..].parse::<usize>().unwrap_or(0);
                    st.top_children = Some(st.top_children.map_or(idx + 1, |n: usize| n.max(idx + 1)));
                }
            }
            Err(e) => {
                notices.push(format!("ignored `{}={}`: {}", clip(k, 40), clip(v, 40), e.message));
                dropped[i] = true;
            }
        }
    }
    let mut cfg = st.cfg;
    if !st.truncated {
        if let Some(n) = st.top_children {
            if let Ok(c) = params::truncate_children(&cfg, "", n) {
                cfg = c;
            }
        }
    }
    cfg
}

fn apply_pairs(pairs: &mut [(String, String)], notices: &mut Vec<String>) -> SimConfig {
    let mut dropped = vec![false; pairs.len()];
    let mut order: Vec<(usize, usize)> = pairs.iter().enumerate().map(|(i, (k, _))| (i, rank(k))).collect();
    crate::core::util::sort_short(&mut order, |&(_, rank)| rank);
    let mut checkpoints = Vec::new();
    let (mut from, mut start) = (0, Partial::default());
    // Each round either validates or drops one more pair, so this ends. A round resumes just
    // before the pair the previous one dropped: what came before it applies as it did.
    for _ in 0..=pairs.len() {
        // Pairs that fail on their own are dropped (with their notice) inside `build`.
        let cfg = build(pairs, &order, from, start, &mut checkpoints, notices, &mut dropped);
        match cfg.validate() {
            Ok(()) => return cfg,
            Err(e) => {
                // Drop the pair that set the offending field (the last one naming it): by its
                // key (`schedulers[1].T_max` is the link's `s1.T_max`), else by its name.
                let field = params::key_of_field(&e.field);
                let live = |i: &usize| !dropped[*i];
                let last =
                    |hit: &dyn Fn(&str) -> bool| pairs.iter().enumerate().rev().find(|(i, (k, _))| live(i) && hit(k));
                // The field it was refused against (`base_lr` for a `max_lr` below it), before
                // any unrelated setting.
                let against = e.against.as_deref().map(params::key_of_field);
                let culprit = last(&|k| field == k)
                    .or_else(|| last(&|k| field.ends_with(&format!(".{k}")) || k.ends_with(&format!(".{field}"))))
                    .or_else(|| against.as_deref().and_then(|a| last(&|k| k == a)))
                    .or_else(|| {
                        order.iter().rev().find(|&&(i, rank)| live(&i) && rank >= 100).map(|&(i, _)| (i, &pairs[i]))
                    });
                let Some((i, (k, v))) = culprit else { break };
                notices.push(format!("ignored `{}={}`: {}", clip(k, 40), clip(v, 40), e.message));
                dropped[i] = true;
                let p = order.iter().position(|&(j, _)| j == i).unwrap_or(0);
                while checkpoints.last().is_some_and(|(q, _)| *q > p) {
                    checkpoints.pop();
                }
                (from, start) = match checkpoints.pop() {
                    Some((q, st)) => (q, st),
                    None => (0, Partial::default()),
                };
            }
        }
    }
    notices.push("the link's set-up is not valid; showing the default set-up".into());
    SimConfig::default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::params::{set, sim_params};
    use crate::core::schedulers::SchedulerConfig;
    use proptest::prelude::*;

    const VIEW_KEYS: [&str; 5] = ["embed", "show", "controls", "present", "log"];

    fn all_configs() -> Vec<SimConfig> {
        let mut out = Vec::new();
        for name in SchedulerConfig::NAMES.iter().chain(["None"].iter()) {
            let c = set(&SimConfig::default(), "scheduler", name).unwrap();
            out.push(set(&c, "problem", "quadratic").unwrap());
            out.push(c);
        }
        out
    }

    #[test]
    fn pinned_runs_ride_along_in_their_own_fragments() {
        let base = set(&SimConfig::default(), "gamma", "0.5").unwrap();
        let pins = [SimConfig::default(), set(&SimConfig::default(), "momentum", "0.9").unwrap()];
        let link = encode_with_pins(&base, &ViewOptions::default(), &pins);
        assert!(link.contains("&pin=scheduler%3DStepLR%26step_size%3D30%26gamma%3D0.1%26lr%3D0.1"), "{link}");
        let d = decode(&link);
        assert_eq!((d.cfg, d.pins.as_slice(), d.notices.len()), (base.clone(), &pins[..], 0), "{:?}", d.notices);
        // A bad pinned run keeps what it can and says so; a pin has no pins or view of its own.
        let d = decode(&format!("{link}&pin={}", encode_component("gamma=-1&pin=x&embed=1")));
        assert_eq!(d.pins.len(), 3);
        assert_eq!(d.pins[2], SimConfig::default());
        assert!(!d.view.embed);
        assert_eq!(d.notices.len(), 3, "{:?}", d.notices);
        assert!(d.notices.iter().all(|n| n.starts_with("pinned run 3: ignored `")), "{:?}", d.notices);
        // Pins that would make the link too long to read back are left out.
        let long = set(&base, "scheduler", "LambdaLR").unwrap();
        let long = set(&long, "lr_lambda", &format!("1{}* 1", " ".repeat(990))).unwrap();
        let link = encode_with_pins(&base, &ViewOptions::default(), &[long.clone(), long.clone(), long.clone()]);
        assert!(link.len() <= MAX_FRAGMENT, "{}", link.len());
        let n = pins_in(&link);
        assert!((1..3).contains(&n), "{n} of 3 pins of ~5,000 characters each");
        assert_eq!(decode(&link).pins, vec![long; n]);
        // At most four.
        let many = encode_with_pins(
            &base,
            &ViewOptions::default(),
            &[pins[0].clone(), pins[1].clone(), pins[0].clone(), pins[1].clone()],
        );
        let d = decode(&format!("{many}&pin=gamma%3D0.3"));
        assert_eq!(d.pins.len(), 4);
        assert_eq!(d.notices, ["the link pins more than 4 runs; the rest were ignored"]);
    }

    #[test]
    fn lists_are_written_without_spaces() {
        let c = set(&SimConfig::default(), "scheduler", "MultiStepLR").unwrap();
        let c = set(&c, "milestones", "30, 80").unwrap();
        let link = encode(&c, &ViewOptions::default());
        assert!(link.contains("&milestones=30,80&"), "{link}");
        assert_eq!(decode(&link).cfg, c);
    }

    #[test]
    fn stepping_survives_a_link_whichever_the_scheduler_prefers() {
        for name in SchedulerConfig::NAMES {
            for stepping in ["epoch", "batch"] {
                let c = set(&SimConfig::default(), "scheduler", name).unwrap();
                let Ok(c) = set(&c, "stepping", stepping) else { continue }; // ReduceLROnPlateau
                let back = decode(&encode(&c, &ViewOptions::default()));
                assert_eq!(back.cfg.stepping, c.stepping, "{name} stepped per {stepping}: {:?}", back.notices);
            }
        }
    }

    #[test]
    fn a_field_refused_against_another_drops_those_two_not_the_rest() {
        for (link, base) in [
            ("scheduler=CyclicLR&base_lr=0.2&max_lr=0.1&lr=0.05&epochs=50&seed=3", "base_lr"),
            (
                "scheduler=ChainedScheduler&s0=CyclicLR&s0.base_lr=0.2&s0.max_lr=0.1&s1=ExponentialLR&lr=0.05&epochs=50&seed=3",
                "s0.base_lr",
            ),
            // As the app writes it: every parameter, `base_lr` not the last.
            (
                "scheduler=CyclicLR&base_lr=0.2&max_lr=0.1&step_size_up=5&mode=triangular&gamma=1&scale_mode=cycle\
                 &cycle_momentum=True&base_momentum=0.8&max_momentum=0.9&lr=0.05&epochs=50&seed=3",
                "base_lr",
            ),
        ] {
            let d = decode(link);
            assert_eq!((d.cfg.optimizer.lr, d.cfg.epochs, d.cfg.seed), (0.05, 50, 3), "{link}: {:?}", d.notices);
            assert_eq!(d.notices.len(), 2, "{:?}", d.notices);
            assert!(d.notices[1].starts_with(&format!("ignored `{base}=0.2`")), "{:?}", d.notices);
        }
    }

    #[test]
    fn a_bad_child_field_drops_only_its_own_pair() {
        let d = decode("scheduler=SequentialLR&s0=LinearLR&s1=CosineAnnealingLR&s1.T_max=0&lr=0.5");
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert!(d.notices[0].starts_with("ignored `s1.T_max=0`"), "{:?}", d.notices);
        assert_eq!(d.cfg.optimizer.lr, 0.5, "the good lr is kept");
    }

    #[test]
    fn links_without_a_run_length_get_the_runs() {
        let get = |frag: &str, key: &str| params::get(&decode(frag).cfg, key).unwrap();
        assert_eq!(get("scheduler=CosineAnnealingLR&epochs=50", "T_max"), "50");
        assert_eq!(get("scheduler=OneCycleLR&epochs=200", "total_steps"), "1600"); // 8 batches
        assert_eq!(get("scheduler=CosineAnnealingLR&epochs=50&T_max=20", "T_max"), "20");
        assert_eq!(get("epochs=50&T_max=20&scheduler=CosineAnnealingLR", "T_max"), "20");
        let d = decode("scheduler=OneCycleLR&epochs=200");
        assert!(d.notices.is_empty() && decode(&encode(&d.cfg, &d.view)).cfg == d.cfg);
    }

    #[test]
    fn plateau_has_no_stepping_to_choose() {
        // ReduceLROnPlateau steps once per epoch: a link's stepping=batch says it is ignored.
        let d = decode("scheduler=ReduceLROnPlateau&stepping=batch&patience=3");
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert_eq!(
            d.notices,
            ["ignored `stepping=batch`: ReduceLROnPlateau steps once per epoch, on the epoch's loss (PyTorch's \
              scheduler.step(metric))"]
        );
        // Empty pairs say nothing; a value without a name is ignored with a notice.
        assert_eq!(decode("&&&=&=&gamma=0.5"), decode("gamma=0.5"));
        assert_eq!(decode("=0.5&gamma=0.5").notices, ["ignored `=0.5`: no setting named before `=`"]);
        assert!(!d.cfg.per_batch());
        let mut batch = d.cfg.clone();
        batch.stepping = crate::core::sim::Stepping::Batch;
        assert!(!encode(&batch, &ViewOptions::default()).contains("stepping"), "not a setting of this set-up");
        let steps = decode("scheduler=StepLR&stepping=batch");
        assert!(steps.notices.is_empty() && steps.cfg.per_batch());
    }

    #[test]
    fn every_scheduler_round_trips() {
        for cfg in all_configs() {
            let frag = encode(&cfg, &ViewOptions::default());
            let d = decode(&frag);
            assert_eq!(d.notices, Vec::<String>::new(), "{frag}");
            assert_eq!(d.cfg, cfg, "{frag}");
        }
    }

    #[test]
    fn readable_and_matches_the_issue_example() {
        let d = decode("#scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&epochs=100");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(
            encode(&d.cfg, &d.view),
            "scheduler=StepLR&step_size=30&gamma=0.1&lr=0.1&problem=logistic&epochs=100"
        );
    }

    #[test]
    fn expressions_composites_and_view_round_trip() {
        let mut cfg = set(&SimConfig::default(), "scheduler", "SequentialLR").unwrap();
        cfg = set(&cfg, "s1", "LambdaLR").unwrap();
        cfg = set(&cfg, "s1.lr_lambda", "1 / (1 + 0.1 * epoch) if epoch < 50 else 0.5 ** (epoch // 10) % 3").unwrap();
        cfg = crate::core::params::add_child(&cfg, "", "StepLR").unwrap();
        let view = ViewOptions {
            embed: true,
            show: Some(vec!["lr".into(), "loss".into()]),
            controls: Some(vec!["gamma".into()]),
            present: true,
            log_loss: true,
            log_lr: true,
        };
        let frag = encode(&cfg, &view);
        let d = decode(&frag);
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        assert_eq!(d.cfg, cfg);
        assert_eq!(d.view, view);
        // fewer children than the default composite
        let one = crate::core::params::remove_child(&cfg, "", 2).unwrap();
        let one = crate::core::params::remove_child(&one, "", 1).unwrap();
        assert_eq!(decode(&encode(&one, &ViewOptions::default())).cfg, one);
    }

    #[test]
    fn an_lr_lambda_that_cannot_start_is_dropped() {
        let d = decode("scheduler=LambdaLR&lr_lambda=0%2F0&lr=0.5");
        assert_eq!(d.cfg.optimizer.lr, 0.5);
        assert_eq!(d.cfg.scheduler, SchedulerConfig::default_for("LambdaLR"));
        assert!(d.notices[0].contains("lr_lambda") && d.notices[0].contains("division by zero"), "{:?}", d.notices);
        let d = decode("scheduler=SequentialLR&s1=LambdaLR&s1.lr_lambda=1%2F(epoch-0)");
        assert_eq!(d.notices.len(), 1, "{:?}", d.notices);
        assert!(d.cfg.validate().is_ok());
    }

    #[test]
    fn fuzz_findings_round_trip() {
        for frag in ["scheduler=MultiStepLR&milestones=,", "scheduler=SequentialLR&s0=LinearLR"] {
            let d = decode(frag);
            let again = decode(&encode(&d.cfg, &d.view));
            assert!(again.notices.is_empty(), "{frag}: {:?}", again.notices);
            assert_eq!(again.cfg, d.cfg, "{frag}");
        }
    }

    #[test]
    fn bad_fields_fall_back_with_notices() {
        let d = decode("scheduler=StepLR&gamma=-1&step_size=abc&bogus=1&lr=0.5&noequals&%ZZ=1");
        assert_eq!(d.cfg.optimizer.lr, 0.5);
        assert_eq!(d.cfg.scheduler, SchedulerConfig::default_for("StepLR"));
        assert_eq!(d.notices.len(), 5, "{:?}", d.notices);
        assert!(d.notices.iter().any(|n| n.contains("gamma=-1") && n.contains("greater than 0")));
        assert!(d.notices.iter().any(|n| n.contains("bogus")));
        // cross-field: base_lr above the default max_lr is fine when max_lr comes later
        let d = decode("scheduler=CyclicLR&base_lr=0.5&max_lr=1");
        assert!(d.notices.is_empty(), "{:?}", d.notices);
        let d = decode("scheduler=CyclicLR&base_lr=0.5&max_lr=0.2");
        assert!(d.notices[0].contains("ignored `max_lr=0.2`"), "{:?}", d.notices);
        assert!(d.cfg.validate().is_ok());
    }

    #[test]
    fn every_control_key_is_known_to_the_decoder() {
        for cfg in all_configs() {
            for s in sim_params(&cfg) {
                assert!(!VIEW_KEYS.contains(&s.key.as_str()), "{} collides with a view key", s.key);
            }
        }
    }

    proptest! {
        #[test]
        fn decode_never_panics_and_always_gives_a_valid_config(s in ".{0,300}") {
            let d = decode(&s);
            prop_assert!(d.cfg.validate().is_ok());
        }

        #[test]
        fn decode_survives_mangled_real_links(cut in 0usize..200, junk in "[=&%.a-z0-9]{0,20}") {
            let cfg = set(&SimConfig::default(), "scheduler", "OneCycleLR").unwrap();
            let frag = encode(&cfg, &ViewOptions::default());
            let mut cut = cut.min(frag.len());
            while !frag.is_char_boundary(cut) { cut -= 1; }
            let d = decode(&format!("{}{}", &frag[..cut], junk));
            prop_assert!(d.cfg.validate().is_ok());
        }
    }
}
