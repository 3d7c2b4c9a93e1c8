//! The settings of the schedulers a user switched away from, so that picking one again brings
//! its parameters back as they were: StepLR with `gamma` 0.5, then ExponentialLR, then StepLR
//! again shows `gamma` 0.5, not PyTorch's default 0.1. Trying another scheduler for a moment
//! costs nothing.
//!
//! A scheduler's run-length parameter (`params::run_length_key`: OneCycleLR's `total_steps`,
//! CosineAnnealingLR's `T_max`) comes back following the run if it did when it was put away,
//! so it fits the run's length as it is now. A kept config that no longer validates (the run
//! changed meanwhile) gives way to the defaults, as a first pick does. The UI empties the shelf
//! when a whole set-up is replaced (preset, link, reset): a new set-up starts from defaults.

use crate::core::params;
use crate::core::schedulers::{ConfigError, SchedulerConfig};
use crate::core::sim::SimConfig;

/// One kept scheduler config per scheduler class.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shelf {
    kept: Vec<Kept>,
}

#[derive(Clone, Debug, PartialEq)]
struct Kept {
    config: SchedulerConfig,
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
    /// Pick scheduler `name` (or `none`) as the `scheduler` control does (`params::set`:
    /// PyTorch's defaults, the stepping its users use, the run's length), then put the
    /// current scheduler on the shelf and bring `name`'s kept settings back if there are any.
    /// `follows_run` says whether the current scheduler's run-length parameter follows the run.
    /// Picking the scheduler already on screen changes nothing.
    pub fn pick(&mut self, cfg: &SimConfig, follows_run: bool, name: &str) -> Result<Picked, ConfigError> {
        let fresh = params::set(cfg, "scheduler", name)?;
        let current = cfg.scheduler.as_ref();
        if current.map_or(params::NO_SCHEDULER, |s| s.name()) == name {
            return Ok(Picked { cfg: fresh, follows_run, restored: false });
        }
        if let Some(now) = current {
            self.kept.retain(|k| k.config.name() != now.name());
            self.kept.push(Kept { config: now.clone(), follows_run });
        }
        let restored = self.kept.iter().find(|k| k.config.name() == name).and_then(|k| {
            let mut next = fresh.clone();
            next.scheduler = Some(k.config.clone());
            if k.follows_run {
                next = params::fit_run_length(&next)?;
            }
            next.validate().ok()?;
            Some(Picked { cfg: next, follows_run: k.follows_run, restored: true })
        });
        Ok(restored.unwrap_or(Picked { cfg: fresh, follows_run: true, restored: false }))
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
    use crate::core::sim::Stepping;

    fn set(cfg: &SimConfig, key: &str, text: &str) -> SimConfig {
        params::set(cfg, key, text).unwrap()
    }

    fn pick(shelf: &mut Shelf, cfg: &SimConfig, name: &str) -> Picked {
        shelf.pick(cfg, params::fits_run_length(cfg), name).unwrap()
    }

    #[test]
    fn switching_away_and_back_keeps_the_parameters() {
        let mut shelf = Shelf::default();
        let step = set(&set(&SimConfig::default(), "scheduler", "StepLR"), "gamma", "0.5");
        let step = set(&step, "step_size", "7");
        let exp = pick(&mut shelf, &step, "ExponentialLR");
        assert!(!exp.restored);
        assert_eq!(exp.cfg, set(&step, "scheduler", "ExponentialLR"), "a first pick gives the defaults");
        let exp = set(&exp.cfg, "gamma", "0.9");
        let back = pick(&mut shelf, &exp, "StepLR");
        assert!(back.restored);
        assert_eq!(back.cfg, step);
        assert_eq!(params::get(&back.cfg, "gamma").as_deref(), Some("0.5"));
        // ExponentialLR's edit was kept in turn.
        let again = pick(&mut shelf, &back.cfg, "ExponentialLR");
        assert_eq!(params::get(&again.cfg, "gamma").as_deref(), Some("0.9"));
    }

    #[test]
    fn picking_the_scheduler_on_screen_changes_nothing() {
        let mut shelf = Shelf::default();
        let step = set(&set(&SimConfig::default(), "scheduler", "StepLR"), "gamma", "0.5");
        let same = pick(&mut shelf, &step, "StepLR");
        assert_eq!(same.cfg, step);
        assert!(!same.restored);
        assert!(shelf.is_empty());
    }

    #[test]
    fn no_scheduler_is_a_pick_like_any_other() {
        let mut shelf = Shelf::default();
        let step = set(&set(&SimConfig::default(), "scheduler", "StepLR"), "gamma", "0.5");
        let none = pick(&mut shelf, &step, params::NO_SCHEDULER);
        assert_eq!(none.cfg.scheduler, None);
        assert_eq!(pick(&mut shelf, &none.cfg, "StepLR").cfg, step);
    }

    #[test]
    fn a_following_run_length_fits_the_run_as_it_is_now() {
        let mut shelf = Shelf::default();
        let cos = set(&set(&SimConfig::default(), "scheduler", "CosineAnnealingLR"), "eta_min", "0.001");
        assert_eq!(params::get(&cos, "T_max").as_deref(), Some("100"));
        let step = pick(&mut shelf, &cos, "StepLR").cfg;
        let longer = set(&step, "epochs", "250");
        let back = pick(&mut shelf, &longer, "CosineAnnealingLR");
        assert!(back.restored && back.follows_run);
        assert_eq!(params::get(&back.cfg, "T_max").as_deref(), Some("250"));
        assert_eq!(params::get(&back.cfg, "eta_min").as_deref(), Some("0.001"));
    }

    #[test]
    fn a_run_length_the_user_set_stays_as_they_set_it() {
        let mut shelf = Shelf::default();
        let cos = set(&set(&SimConfig::default(), "scheduler", "CosineAnnealingLR"), "T_max", "40");
        let step = shelf.pick(&cos, false, "StepLR").unwrap().cfg;
        let back = pick(&mut shelf, &set(&step, "epochs", "250"), "CosineAnnealingLR");
        assert!(back.restored && !back.follows_run);
        assert_eq!(params::get(&back.cfg, "T_max").as_deref(), Some("40"));
    }

    #[test]
    fn the_picked_schedulers_stepping_is_set_as_on_a_first_pick() {
        let mut shelf = Shelf::default();
        let one = set(&SimConfig::default(), "scheduler", "OneCycleLR");
        assert_eq!(one.stepping, Stepping::Batch);
        let one = set(&one, "max_lr", "0.5");
        let step = pick(&mut shelf, &one, "StepLR").cfg;
        assert_eq!(step.stepping, Stepping::Epoch);
        let back = pick(&mut shelf, &step, "OneCycleLR").cfg;
        assert_eq!(back.stepping, Stepping::Batch);
        assert_eq!(back, one);
    }

    #[test]
    fn a_kept_config_that_does_not_validate_gives_way_to_the_defaults() {
        let mut shelf = Shelf::default();
        let mut bad = SchedulerConfig::default_for("StepLR").unwrap();
        bad.set_field("gamma", &serde_json::Value::from(-1.0)).unwrap();
        shelf.kept.push(Kept { config: bad, follows_run: false });
        let exp = set(&SimConfig::default(), "scheduler", "ExponentialLR");
        let step = pick(&mut shelf, &exp, "StepLR");
        assert!(!step.restored && step.follows_run);
        assert_eq!(step.cfg, set(&exp, "scheduler", "StepLR"));
    }
}
