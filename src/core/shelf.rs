//! The settings of the schedulers a user switched away from, so that picking one again brings
//! its parameters back as they were: StepLR with `gamma` 0.5, then ExponentialLR, then StepLR
//! again shows `gamma` 0.5, not PyTorch's default 0.1. Trying another scheduler for a moment
//! costs nothing.
//!
//! The stepping (per epoch or per batch) comes back with the scheduler. A scheduler's
//! run-length parameter (`params::run_length_key`: OneCycleLR's `total_steps`,
//! CosineAnnealingLR's `T_max`) comes back following the run if it did when it was put away,
//! so it fits the run's length as it is now; one the user set comes back as they set it. A kept
//! config that no longer validates gives way to the defaults, as a first pick does. The UI
//! empties the shelf when a whole set-up is replaced (preset, link, reset; Undo of a reset
//! brings it back): a new set-up starts from defaults.

use crate::core::params;
use crate::core::schedulers::{ConfigError, SchedulerConfig};
use crate::core::sim::{SimConfig, Stepping};

/// One kept scheduler config per scheduler class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shelf {
    kept: Vec<Kept>,
}

#[derive(Clone, Debug, PartialEq)]
struct Kept {
    config: SchedulerConfig,
    stepping: Stepping,
    follows_run: bool,
}

/// The set-up after picking a scheduler, and whether its run-length parameter follows the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    pub cfg: SimConfig,
    pub follows_run: bool,
    /// Whether the scheduler's kept settings were brought back (rather than its defaults).
    pub restored: bool,
}

impl Shelf {
    /// Pick scheduler `name` (or `None`) as the `scheduler` control does (`params::set`:
    /// PyTorch's defaults, the stepping its users use, the run's length), then put the
    /// current scheduler on the shelf and bring `name`'s kept settings back if there are any.
    /// `follows_run` says whether the current scheduler's run-length parameter follows the
    /// run (see `params::set_following`). Picking the scheduler on screen changes nothing.
    pub fn pick(&mut self, cfg: &SimConfig, follows_run: bool, name: &str) -> Result<Picked, ConfigError> {
        let fresh = params::set(cfg, "scheduler", name)?;
        // Only a scheduler with a run-length parameter has one that follows the run.
        let follows_now = follows_run && params::run_length_key(cfg).is_some();
        let current = cfg.scheduler.as_ref();
        if current.map_or(params::NO_SCHEDULER, |s| s.name()) == name {
            return Ok(Picked { cfg: fresh, follows_run: follows_now, restored: false });
        }
        if let Some(now) = current {
            self.kept.retain(|k| k.config.name() != now.name());
            self.kept.push(Kept { config: now.clone(), stepping: cfg.stepping, follows_run: follows_now });
        }
        let restored = self.kept.iter().find(|k| k.config.name() == name).and_then(|k| {
            let mut next = fresh.clone();
            next.scheduler = Some(k.config.clone());
            next.stepping = k.stepping;
            if k.follows_run {
                next = params::fit_run_length(&next)?;
            }
            next.validate().ok()?;
            Some(Picked { cfg: next, follows_run: k.follows_run, restored: true })
        });
        Ok(restored.unwrap_or_else(|| {
            let follows_run = params::run_length_key(&fresh).is_some();
            Picked { cfg: fresh, follows_run, restored: false }
        }))
    }

    /// Forget every kept config.
    pub fn clear(&mut self) {
        self.kept.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The app as the UI drives it: the set-up, whether its run length follows the run, and
    /// the shelf (as `ui::state::AppState`'s `apply` and `pick_scheduler` do).
    struct Session {
        cfg: SimConfig,
        follows: bool,
        shelf: Shelf,
    }

    impl Session {
        fn new(cfg: SimConfig) -> Session {
            Session { follows: params::fits_run_length(&cfg), cfg, shelf: Shelf::default() }
        }

        fn set(&mut self, key: &str, text: &str) -> &mut Self {
            (self.cfg, self.follows) = params::set_following(&self.cfg, self.follows, key, text).unwrap();
            self
        }

        /// Pick `name`; true when its kept settings came back.
        fn pick(&mut self, name: &str) -> bool {
            let p = self.shelf.pick(&self.cfg, self.follows, name).unwrap();
            (self.cfg, self.follows) = (p.cfg, p.follows_run);
            p.restored
        }

        fn get(&self, key: &str) -> String {
            params::get(&self.cfg, key).unwrap_or_default()
        }
    }

    fn fresh_pick(cfg: &SimConfig, name: &str) -> SimConfig {
        params::set(cfg, "scheduler", name).unwrap()
    }

    #[test]
    fn switching_away_and_back_keeps_the_parameters() {
        let mut s = Session::new(SimConfig::default());
        s.set("gamma", "0.5").set("step_size", "7");
        let step = s.cfg.clone();
        assert!(!s.pick("ExponentialLR"));
        assert_eq!(s.cfg, fresh_pick(&step, "ExponentialLR"), "a first pick gives the defaults");
        s.set("gamma", "0.9");
        let exp = s.cfg.clone();
        assert!(s.pick("StepLR"));
        assert_eq!(s.cfg, step);
        assert_eq!(s.get("gamma"), "0.5");
        // A scheduler first picked in the session comes back too.
        assert!(s.pick("ExponentialLR"));
        assert_eq!(s.cfg, exp);
        // And one picked afresh after it, then a composite built by hand.
        assert!(!s.pick("SequentialLR"));
        s.set("milestones", "40").set("s1.T_max", "60");
        let seq = s.cfg.clone();
        assert!(s.pick("StepLR"));
        assert!(s.pick("SequentialLR"));
        assert_eq!(s.cfg, seq);
    }

    #[test]
    fn picking_the_scheduler_on_screen_changes_nothing() {
        let mut s = Session::new(SimConfig::default());
        s.set("gamma", "0.5");
        let step = s.cfg.clone();
        assert!(!s.pick("StepLR"));
        assert_eq!(s.cfg, step);
        assert!(s.shelf.is_empty());
    }

    #[test]
    fn no_scheduler_is_a_pick_like_any_other() {
        let mut s = Session::new(SimConfig::default());
        s.set("gamma", "0.5");
        let step = s.cfg.clone();
        s.pick(params::NO_SCHEDULER);
        assert_eq!(s.cfg.scheduler, None);
        assert!(s.pick("StepLR"));
        assert_eq!(s.cfg, step);
    }

    #[test]
    fn a_following_run_length_fits_the_run_as_it_is_now() {
        let mut s = Session::new(SimConfig::default());
        s.pick("CosineAnnealingLR");
        s.set("eta_min", "0.001");
        assert_eq!(s.get("T_max"), "100");
        s.pick("StepLR");
        s.set("epochs", "250");
        assert!(s.pick("CosineAnnealingLR"));
        assert!(s.follows);
        assert_eq!((s.get("T_max"), s.get("eta_min")), ("250".into(), "0.001".into()));
        s.set("epochs", "300");
        assert_eq!(s.get("T_max"), "300", "and goes on following it");
    }

    #[test]
    fn a_run_length_the_user_set_stays_as_they_set_it() {
        let mut s = Session::new(SimConfig::default());
        s.pick("CosineAnnealingLR");
        s.set("T_max", "40");
        s.pick("StepLR");
        s.set("epochs", "250");
        assert!(s.pick("CosineAnnealingLR"));
        assert!(!s.follows);
        assert_eq!(s.get("T_max"), "40");
    }

    #[test]
    fn the_stepping_comes_back_with_the_scheduler() {
        let mut s = Session::new(SimConfig::default());
        s.pick("OneCycleLR");
        assert_eq!(s.cfg.stepping, Stepping::Batch, "stepped as its users do");
        s.set("max_lr", "0.5").set("stepping", "epoch");
        assert_eq!(s.get("total_steps"), "100", "the run's length, in epochs now");
        let one = s.cfg.clone();
        s.pick("StepLR");
        s.set("stepping", "batch");
        assert!(s.pick("OneCycleLR"));
        assert_eq!(s.cfg, one);
        assert!(s.pick("StepLR"));
        assert_eq!(s.cfg.stepping, Stepping::Batch);
    }

    #[test]
    fn a_kept_config_that_does_not_validate_gives_way_to_the_defaults() {
        let mut s = Session::new(fresh_pick(&SimConfig::default(), "ExponentialLR"));
        let mut bad = SchedulerConfig::default_for("StepLR").unwrap();
        bad.set_field("gamma", &serde_json::Value::from(-1.0)).unwrap();
        s.shelf.kept.push(Kept { config: bad, stepping: Stepping::Epoch, follows_run: false });
        let exp = s.cfg.clone();
        assert!(!s.pick("StepLR"));
        assert_eq!(s.cfg, fresh_pick(&exp, "StepLR"));
    }

    /// Any sequence of edits, as the UI makes them (refused texts kept and retried after each
    /// successful edit, scheduler picks through the shelf, children added and removed): no
    /// panic, the set-up always validates, and every refused text is accounted for.
    mod edits {
        use super::*;
        use proptest::prelude::*;

        const TEXTS: [&str; 12] =
            ["0", "1", "-1", "0.5", "2", "10", "1e9", "abc", "", "30, 80", "True", "0.95 ** epoch"];

        fn run(actions: &[(u8, usize, usize)]) -> Result<(), TestCaseError> {
            let mut s = Session::new(SimConfig::default());
            let mut refused: Vec<(String, String)> = Vec::new();
            for &(kind, a, b) in actions {
                let before = s.cfg.clone();
                let (key, text, structural, res) = match kind % 4 {
                    0 => {
                        let names = SchedulerConfig::NAMES;
                        let name = names[a % names.len()];
                        let res = s.shelf.pick(&s.cfg, s.follows, name).map(|p| (p.cfg, p.follows_run));
                        ("scheduler".to_string(), name.to_string(), false, res)
                    }
                    1 => {
                        let name = params::CHILD_NAMES[a % params::CHILD_NAMES.len()];
                        let res = params::add_child(&s.cfg, "", name).map(|c| (c, s.follows));
                        ("add-child".to_string(), name.to_string(), true, res)
                    }
                    2 => {
                        let res = params::remove_child(&s.cfg, "", a % 4).map(|c| (c, s.follows));
                        (format!("s{}", a % 4), String::new(), true, res)
                    }
                    _ => {
                        let specs = params::sim_params(&s.cfg);
                        let key = specs[a % specs.len()].key.clone();
                        let text = TEXTS[b % TEXTS.len()];
                        let res = params::set_following(&s.cfg, s.follows, &key, text);
                        (key, text.to_string(), false, res)
                    }
                };
                match res {
                    Ok((next, follows)) => {
                        let pending: Vec<_> = refused.iter().filter(|(k, _)| *k != key).cloned().collect();
                        let r = params::retry(&before, &next, structural, follows, &pending);
                        prop_assert!(r.cfg.validate().is_ok(), "after {key}={text}: {:?}", r.cfg.validate());
                        let seen = r.applied.len() + r.refused.len() + r.dropped.len();
                        prop_assert!(seen <= pending.len());
                        for k in r.applied.iter().chain(&r.dropped) {
                            prop_assert!(pending.iter().any(|(p, _)| p == k) && !r.refused.iter().any(|(p, _)| p == k));
                        }
                        refused = pending
                            .into_iter()
                            .filter(|(k, _)| !r.applied.contains(k) && !r.dropped.contains(k))
                            .collect();
                        (s.cfg, s.follows) = (r.cfg, r.follows);
                    }
                    Err(_) if kind % 4 == 3 => {
                        refused.retain(|(k, _)| *k != key);
                        refused.push((key, text));
                    }
                    Err(_) => {}
                }
                prop_assert!(s.cfg.validate().is_ok());
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
            #[test]
            fn any_sequence_of_edits_keeps_a_valid_set_up(actions in proptest::collection::vec((0u8..4, 0usize..64, 0usize..64), 1..40)) {
                run(&actions)?;
            }
        }
    }
}
