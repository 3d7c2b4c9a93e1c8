//! PyTorch's learning-rate schedulers (`torch.optim.lr_scheduler`), reproduced step for step.
//!
//! Every scheduler lives in its own file with its formula and PyTorch's parameter names.
//! A scheduler is described by a [`SchedulerConfig`]: a serde type internally tagged with
//! PyTorch's class name and using PyTorch's parameter names, e.g.
//! `{"type": "StepLR", "step_size": 30, "gamma": 0.1}`; a missing parameter takes PyTorch's
//! default. The same type carries the URL state and the generated PyTorch code.
//!
//! At run time a [`Schedule`] plays the part of PyTorch's optimizer param group plus the
//! scheduler attached to it: it is built (PyTorch's constructor, including its initial step)
//! from a config, a starting `lr` and `momentum`, and then stepped once per epoch (or batch).
//! Like PyTorch, schedulers use the *chainable* (recursive) formulas on the group's current
//! learning rate, which is what makes [`ChainedScheduler`] and [`SequentialLR`] behave as
//! they do in PyTorch.

/// A config's typed accessors, from one list of its parameters (PyTorch's name, then the
/// struct field), in the order of its serde form: `set_field` (what `params` writes through)
/// and `fields` (what `params` shows and `codegen` writes), so the app never goes through
/// serde and the two cannot disagree. Each field's type reads and writes itself ([`Param`]).
macro_rules! parameters {
    ($class:literal { $($name:literal => $field:ident),* $(,)? }) => {
        /// Set one parameter by PyTorch's name to `v` as `params` parsed it (`null`: `None`).
        #[allow(unused_variables, unreachable_code)] // a config without parameters
        pub(crate) fn set_field(&mut self, field: &str, v: &serde_json::Value) -> Result<(), ConfigError> {
            match field {
                $($name => self.$field = crate::core::schedulers::Param::read(field, v)?,)*
                _ => return Err(crate::core::schedulers::no_field($class, field)),
            }
            Ok(())
        }

        /// Its parameters by PyTorch's name, in the order of its serde form (a `None` left
        /// out, as serde skips it).
        #[allow(unused_mut)] // a config without parameters
        pub(crate) fn fields(&self) -> Vec<(&'static str, serde_json::Value)> {
            let mut out = Vec::new();
            $(if let Some(v) = crate::core::schedulers::Param::write(&self.$field) {
                out.push(($name, v));
            })*
            out
        }
    };
}

mod chained;
mod constant_lr;
mod cosine_annealing_lr;
mod cosine_annealing_warm_restarts;
mod cyclic_lr;
mod error;
mod exponential_lr;
mod lambda_lr;
mod linear_lr;
mod multi_step_lr;
mod multiplicative_lr;
mod one_cycle_lr;
mod polynomial_lr;
mod reduce_lr_on_plateau;
mod sequential_lr;
mod step_lr;

pub use chained::ChainedScheduler;
pub use constant_lr::ConstantLR;
pub use cosine_annealing_lr::CosineAnnealingLR;
pub use cosine_annealing_warm_restarts::CosineAnnealingWarmRestarts;
pub use cyclic_lr::{CyclicLR, CyclicMode, ScaleMode};
pub use error::{fmt_num, fmt_sig, ConfigError, ConfigErrorKind, StepError, StepErrorKind, MAX_INT_PARAM};
pub use exponential_lr::ExponentialLR;
pub use lambda_lr::LambdaLR;
pub use linear_lr::LinearLR;
pub use multi_step_lr::MultiStepLR;
pub use multiplicative_lr::MultiplicativeLR;
pub use one_cycle_lr::{AnnealStrategy, OneCycleLR};
pub use polynomial_lr::PolynomialLR;
pub use reduce_lr_on_plateau::{PlateauMode, PlateauState, ReduceLROnPlateau, ThresholdMode};
pub use sequential_lr::SequentialLR;
pub use step_lr::StepLR;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The optimizer's param group as the schedulers see it: PyTorch's `group["lr"]`,
/// `group["initial_lr"]` (set by the first scheduler constructed on the optimizer, and by
/// every OneCycleLR), `group["momentum"]` (written by schedulers that cycle momentum), and
/// the bounds OneCycleLR reads back from the group at every step: `group["max_lr"]`,
/// `group["min_lr"]` (written by OneCycleLR's constructor), `group["max_momentum"]` and
/// `group["base_momentum"]` (by OneCycleLR's and CyclicLR's when they cycle momentum). They
/// are the group's, not the scheduler's: in a composite, a later OneCycleLR or CyclicLR
/// overwrites them for an earlier OneCycleLR, as in PyTorch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamGroup {
    pub lr: f64,
    pub initial_lr: Option<f64>,
    pub momentum: f64,
    pub(crate) max_lr: f64,
    pub(crate) min_lr: f64,
    pub(crate) max_momentum: f64,
    pub(crate) base_momentum: f64,
}

impl ParamGroup {
    pub fn new(lr: f64, momentum: f64) -> Self {
        ParamGroup { lr, initial_lr: None, momentum, max_lr: 0.0, min_lr: 0.0, max_momentum: 0.0, base_momentum: 0.0 }
    }

    /// PyTorch's `group.setdefault("initial_lr", group["lr"])`, returned as the base lr.
    pub(crate) fn set_default_initial_lr(&mut self) -> f64 {
        *self.initial_lr.get_or_insert(self.lr)
    }
}

/// The run-time side of one scheduler, mirroring `torch.optim.lr_scheduler.LRScheduler`.
///
/// The default methods are PyTorch's `LRScheduler` machinery: `construct` records the base
/// lr and takes the initial step, `step` increments `last_epoch` and applies `get_lr`,
/// `step_to` is `step(epoch)` (used by `SequentialLR` at a milestone) which prefers the
/// closed form where PyTorch has one.
///
/// Not a `Debug` supertrait: that would put every scheduler's `Debug::fmt` into the wasm
/// through the trait objects' vtables. A boxed scheduler shows as `LrScheduler { .. }`.
pub(crate) trait LrScheduler {
    /// `self.last_epoch` and the recorded `base_lrs[0]`.
    fn state(&mut self) -> &mut EpochState;
    /// PyTorch's `get_lr()` at the current `last_epoch` (chainable form); may write momentum.
    fn get_lr(&mut self, g: &mut ParamGroup) -> Result<f64, StepError>;
    /// PyTorch's `_get_closed_form_lr()`, where the scheduler has one.
    fn closed_form_lr(&mut self) -> Option<f64> {
        None
    }
    /// Constructor side effects that happen before `LRScheduler.__init__` (CyclicLR sets the
    /// lr to `base_lr`, OneCycleLR sets `initial_lr`, both may set momentum).
    fn pre_construct(&mut self, _g: &mut ParamGroup) {}
    /// Constructor side effects after `LRScheduler.__init__` (CyclicLR's `self.base_lrs =
    /// base_lrs`: its initial step used the group's `initial_lr`, later steps its own).
    fn post_construct(&mut self) {}

    fn construct(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        self.pre_construct(g);
        let base = g.set_default_initial_lr();
        let st = self.state();
        st.base_lr = base;
        st.last_epoch = -1;
        self.initial_step(g)?;
        self.post_construct();
        Ok(())
    }

    /// PyTorch's `_initial_step()`: a `step()` with `_is_initial` set, which some `get_lr`s
    /// read (MultiplicativeLR multiplies by `lr_lambda` on every other step, including the
    /// `step(0)` SequentialLR makes at a milestone).
    fn initial_step(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        self.state().initial = true;
        let r = self.step(g);
        self.state().initial = false;
        r
    }

    fn step(&mut self, g: &mut ParamGroup) -> Result<(), StepError> {
        self.state().last_epoch += 1;
        g.lr = self.get_lr(g)?;
        Ok(())
    }

    fn step_to(&mut self, g: &mut ParamGroup, epoch: i64) -> Result<(), StepError> {
        self.state().last_epoch = epoch;
        g.lr = match self.closed_form_lr() {
            Some(lr) => lr,
            None => self.get_lr(g)?,
        };
        Ok(())
    }

    /// `step(metrics)`: only ReduceLROnPlateau reads the metric.
    fn step_metric(&mut self, g: &mut ParamGroup, _metric: f64) -> Result<(), StepError> {
        self.step(g)
    }

    fn plateau(&self) -> Option<PlateauState> {
        None
    }
}

impl std::fmt::Debug for dyn LrScheduler + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LrScheduler").finish_non_exhaustive()
    }
}

/// `last_epoch` and `base_lrs[0]` of PyTorch's `LRScheduler`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct EpochState {
    pub last_epoch: i64,
    pub base_lr: f64,
    /// PyTorch's `_is_initial`: set during the initial step ([`LrScheduler::initial_step`]).
    pub initial: bool,
}

/// `match` over every [`SchedulerConfig`] variant with one body, `$c` bound to the variant's
/// config (for the methods every config type has with the same signature).
macro_rules! each_config {
    ($value:expr, $c:ident => $body:expr) => {
        match $value {
            SchedulerConfig::LambdaLR($c) => $body,
            SchedulerConfig::MultiplicativeLR($c) => $body,
            SchedulerConfig::StepLR($c) => $body,
            SchedulerConfig::MultiStepLR($c) => $body,
            SchedulerConfig::ConstantLR($c) => $body,
            SchedulerConfig::LinearLR($c) => $body,
            SchedulerConfig::ExponentialLR($c) => $body,
            SchedulerConfig::PolynomialLR($c) => $body,
            SchedulerConfig::CosineAnnealingLR($c) => $body,
            SchedulerConfig::CosineAnnealingWarmRestarts($c) => $body,
            SchedulerConfig::CyclicLR($c) => $body,
            SchedulerConfig::OneCycleLR($c) => $body,
            SchedulerConfig::ReduceLROnPlateau($c) => $body,
            SchedulerConfig::SequentialLR($c) => $body,
            SchedulerConfig::ChainedScheduler($c) => $body,
        }
    };
}

/// A scheduler's configuration, tagged with PyTorch's class name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[allow(clippy::large_enum_variant)]
pub enum SchedulerConfig {
    LambdaLR(LambdaLR),
    MultiplicativeLR(MultiplicativeLR),
    StepLR(StepLR),
    MultiStepLR(MultiStepLR),
    ConstantLR(ConstantLR),
    LinearLR(LinearLR),
    ExponentialLR(ExponentialLR),
    PolynomialLR(PolynomialLR),
    CosineAnnealingLR(CosineAnnealingLR),
    CosineAnnealingWarmRestarts(CosineAnnealingWarmRestarts),
    CyclicLR(CyclicLR),
    OneCycleLR(OneCycleLR),
    ReduceLROnPlateau(ReduceLROnPlateau),
    SequentialLR(SequentialLR),
    ChainedScheduler(ChainedScheduler),
}

/// The five families the UI groups schedulers into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Decay,
    WarmUp,
    Cyclic,
    Adaptive,
    Composite,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Decay => "Decay",
            Family::WarmUp => "Warm-up",
            Family::Cyclic => "Cyclic",
            Family::Adaptive => "Adaptive",
            Family::Composite => "Composite",
        }
    }
}

impl SchedulerConfig {
    /// PyTorch's class names of all 15 schedulers, in the UI's order.
    pub const NAMES: [&'static str; 15] = [
        "StepLR",
        "MultiStepLR",
        "ExponentialLR",
        "PolynomialLR",
        "CosineAnnealingLR",
        "LambdaLR",
        "MultiplicativeLR",
        "ConstantLR",
        "LinearLR",
        "CosineAnnealingWarmRestarts",
        "CyclicLR",
        "OneCycleLR",
        "ReduceLROnPlateau",
        "SequentialLR",
        "ChainedScheduler",
    ];

    /// PyTorch's class name.
    pub fn name(&self) -> &'static str {
        match self {
            SchedulerConfig::LambdaLR(_) => "LambdaLR",
            SchedulerConfig::MultiplicativeLR(_) => "MultiplicativeLR",
            SchedulerConfig::StepLR(_) => "StepLR",
            SchedulerConfig::MultiStepLR(_) => "MultiStepLR",
            SchedulerConfig::ConstantLR(_) => "ConstantLR",
            SchedulerConfig::LinearLR(_) => "LinearLR",
            SchedulerConfig::ExponentialLR(_) => "ExponentialLR",
            SchedulerConfig::PolynomialLR(_) => "PolynomialLR",
            SchedulerConfig::CosineAnnealingLR(_) => "CosineAnnealingLR",
            SchedulerConfig::CosineAnnealingWarmRestarts(_) => "CosineAnnealingWarmRestarts",
            SchedulerConfig::CyclicLR(_) => "CyclicLR",
            SchedulerConfig::OneCycleLR(_) => "OneCycleLR",
            SchedulerConfig::ReduceLROnPlateau(_) => "ReduceLROnPlateau",
            SchedulerConfig::SequentialLR(_) => "SequentialLR",
            SchedulerConfig::ChainedScheduler(_) => "ChainedScheduler",
        }
    }

    pub fn family(&self) -> Family {
        Self::family_of(self.name())
    }

    pub fn family_of(name: &str) -> Family {
        match name {
            "ConstantLR" | "LinearLR" => Family::WarmUp,
            "CosineAnnealingWarmRestarts" | "CyclicLR" | "OneCycleLR" => Family::Cyclic,
            "ReduceLROnPlateau" => Family::Adaptive,
            "SequentialLR" | "ChainedScheduler" => Family::Composite,
            _ => Family::Decay,
        }
    }

    /// The config of `name` with all of PyTorch's defaults (and teaching defaults for the
    /// parameters PyTorch requires), or `None` for an unknown name.
    pub fn default_for(name: &str) -> Option<SchedulerConfig> {
        Some(match name {
            "LambdaLR" => SchedulerConfig::LambdaLR(LambdaLR::default()),
            "MultiplicativeLR" => SchedulerConfig::MultiplicativeLR(MultiplicativeLR::default()),
            "StepLR" => SchedulerConfig::StepLR(StepLR::default()),
            "MultiStepLR" => SchedulerConfig::MultiStepLR(MultiStepLR::default()),
            "ConstantLR" => SchedulerConfig::ConstantLR(ConstantLR::default()),
            "LinearLR" => SchedulerConfig::LinearLR(LinearLR::default()),
            "ExponentialLR" => SchedulerConfig::ExponentialLR(ExponentialLR::default()),
            "PolynomialLR" => SchedulerConfig::PolynomialLR(PolynomialLR::default()),
            "CosineAnnealingLR" => SchedulerConfig::CosineAnnealingLR(CosineAnnealingLR::default()),
            "CosineAnnealingWarmRestarts" => {
                SchedulerConfig::CosineAnnealingWarmRestarts(CosineAnnealingWarmRestarts::default())
            }
            "CyclicLR" => SchedulerConfig::CyclicLR(CyclicLR::default()),
            "OneCycleLR" => SchedulerConfig::OneCycleLR(OneCycleLR::default()),
            "ReduceLROnPlateau" => SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau::default()),
            "SequentialLR" => SchedulerConfig::SequentialLR(SequentialLR::default()),
            "ChainedScheduler" => SchedulerConfig::ChainedScheduler(ChainedScheduler::default()),
            _ => return None,
        })
    }

    /// Set one parameter by PyTorch's name (`T_max`, `eta_min`, ...) to `v`, a value of the
    /// field's kind as `params` parsed it (`null` sets an optional parameter to `None`).
    /// Typed, not through serde: the app never deserializes a config. Composites have only
    /// their `milestones` here; their children are edited in place.
    pub(crate) fn set_field(&mut self, field: &str, v: &Value) -> Result<(), ConfigError> {
        each_config!(self, c => c.set_field(field, v))
    }

    /// Its parameters by PyTorch's name with their values, in the order of its serde form
    /// (`type` and a composite's `schedulers` aside; a `None` left out, as serde skips it):
    /// the mirror of [`set_field`](Self::set_field), read without serde, so the app never
    /// serializes a config. `params` shows these values and `codegen` writes them.
    pub(crate) fn fields(&self) -> Vec<(&'static str, Value)> {
        each_config!(self, c => c.fields())
    }

    /// Parse a JSON config (PyTorch's names), mapping serde's errors to a [`ConfigError`].
    pub fn from_json(text: &str) -> Result<SchedulerConfig, ConfigError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(ConfigError::from_serde)?;
        check_choices(&value, "")?;
        let cfg: SchedulerConfig = serde_json::from_value(value).map_err(ConfigError::from_serde)?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn is_plateau(&self) -> bool {
        matches!(self, SchedulerConfig::ReduceLROnPlateau(_))
    }

    pub fn is_composite(&self) -> bool {
        matches!(self, SchedulerConfig::SequentialLR(_) | SchedulerConfig::ChainedScheduler(_))
    }

    /// Whether PyTorch would step it once per batch (OneCycleLR, CyclicLR) by convention.
    pub fn prefers_per_batch(&self) -> bool {
        matches!(self, SchedulerConfig::OneCycleLR(_) | SchedulerConfig::CyclicLR(_))
    }

    /// Whether the scheduler writes the optimizer's momentum.
    pub fn cycles_momentum(&self) -> bool {
        match self {
            SchedulerConfig::CyclicLR(c) => c.cycle_momentum,
            SchedulerConfig::OneCycleLR(c) => c.cycle_momentum,
            SchedulerConfig::SequentialLR(c) => c.schedulers.iter().any(|s| s.cycles_momentum()),
            SchedulerConfig::ChainedScheduler(c) => c.schedulers.iter().any(|s| s.cycles_momentum()),
            _ => false,
        }
    }

    /// Check every parameter; the error says what is wrong and what is allowed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_at("")
    }

    pub(crate) fn validate_at(&self, path: &str) -> Result<(), ConfigError> {
        let p = ConfigError::ctx(path, self.name());
        match self {
            SchedulerConfig::LambdaLR(c) => c.validate(&p),
            SchedulerConfig::MultiplicativeLR(c) => c.validate(&p),
            SchedulerConfig::StepLR(c) => c.validate(&p),
            SchedulerConfig::MultiStepLR(c) => c.validate(&p),
            SchedulerConfig::ConstantLR(c) => c.validate(&p),
            SchedulerConfig::LinearLR(c) => c.validate(&p),
            SchedulerConfig::ExponentialLR(c) => c.validate(&p),
            SchedulerConfig::PolynomialLR(c) => c.validate(&p),
            SchedulerConfig::CosineAnnealingLR(c) => c.validate(&p),
            SchedulerConfig::CosineAnnealingWarmRestarts(c) => c.validate(&p),
            SchedulerConfig::CyclicLR(c) => c.validate(&p),
            SchedulerConfig::OneCycleLR(c) => c.validate(&p),
            SchedulerConfig::ReduceLROnPlateau(c) => c.validate(&p),
            SchedulerConfig::SequentialLR(c) => c.validate(&p, path),
            SchedulerConfig::ChainedScheduler(c) => c.validate(&p, path),
        }
    }

    /// A fresh, unconstructed run-time scheduler (the config must be valid).
    pub(crate) fn runtime(&self) -> Result<Box<dyn LrScheduler>, ConfigError> {
        Ok(match self {
            SchedulerConfig::LambdaLR(c) => Box::new(c.runtime()?),
            SchedulerConfig::MultiplicativeLR(c) => Box::new(c.runtime()?),
            SchedulerConfig::StepLR(c) => Box::new(c.runtime()),
            SchedulerConfig::MultiStepLR(c) => Box::new(c.runtime()),
            SchedulerConfig::ConstantLR(c) => Box::new(c.runtime()),
            SchedulerConfig::LinearLR(c) => Box::new(c.runtime()),
            SchedulerConfig::ExponentialLR(c) => Box::new(c.runtime()),
            SchedulerConfig::PolynomialLR(c) => Box::new(c.runtime()),
            SchedulerConfig::CosineAnnealingLR(c) => Box::new(c.runtime()),
            SchedulerConfig::CosineAnnealingWarmRestarts(c) => Box::new(c.runtime()),
            SchedulerConfig::CyclicLR(c) => Box::new(c.runtime()),
            SchedulerConfig::OneCycleLR(c) => Box::new(c.runtime()),
            SchedulerConfig::ReduceLROnPlateau(c) => Box::new(c.runtime()),
            SchedulerConfig::SequentialLR(c) => Box::new(c.runtime()?),
            SchedulerConfig::ChainedScheduler(c) => Box::new(c.runtime()?),
        })
    }

    /// Epochs (scheduler steps) at which the schedule has a landmark the LR chart marks:
    /// StepLR/MultiStepLR drops, warm restarts, SequentialLR milestones, warm-up ends.
    /// `horizon` bounds the list.
    pub fn markers(&self, horizon: usize) -> Vec<(usize, &'static str)> {
        let h = horizon as i64;
        let mut out: Vec<(usize, &'static str)> = Vec::new();
        let mut push = |e: i64, what: &'static str| {
            if e > 0 && e <= h {
                out.push((e as usize, what));
            }
        };
        match self {
            SchedulerConfig::StepLR(c) if c.step_size > 0 => {
                let mut e = c.step_size;
                while e <= h {
                    push(e, "drop");
                    e += c.step_size;
                }
            }
            SchedulerConfig::MultiStepLR(c) => c.milestones.iter().for_each(|&m| push(m, "milestone")),
            SchedulerConfig::ConstantLR(c) => push(c.total_iters, "end of warm-up"),
            SchedulerConfig::LinearLR(c) => push(c.total_iters, "end of warm-up"),
            SchedulerConfig::CosineAnnealingWarmRestarts(c) if c.t_0 > 0 && c.t_mult >= 1 => {
                let (mut e, mut ti) = (c.t_0, c.t_0);
                while e <= h {
                    push(e, "restart");
                    ti = ti.saturating_mul(c.t_mult);
                    e = e.saturating_add(ti);
                }
            }
            SchedulerConfig::SequentialLR(c) => c.milestones.iter().for_each(|&m| push(m, "switch")),
            _ => {}
        }
        crate::core::util::sort_short(&mut out, |&m| m);
        out.dedup();
        out
    }
}

/// A parameter's type as the typed accessors read it from what `params` parsed for the
/// field's kind (so a value of another kind cannot arrive from there; if one does, it is a
/// Malformed error, not a panic) and write it back (`None`: left out, as serde skips it).
pub(crate) trait Param: Sized {
    fn read(field: &str, v: &Value) -> Result<Self, ConfigError>;
    fn write(&self) -> Option<Value>;
}

/// `field` holds no value of this kind.
fn wrong_kind(field: &str, what: &str) -> ConfigError {
    ConfigError {
        field: field.to_string(),
        kind: ConfigErrorKind::Malformed,
        message: format!("`{field}` must be {what}"),
        against: None,
    }
}

/// `class` has no parameter `field`.
pub(crate) fn no_field(class: &str, field: &str) -> ConfigError {
    ConfigError {
        field: field.to_string(),
        kind: ConfigErrorKind::UnknownField,
        message: format!("unknown parameter `{field}` for {class}"),
        against: None,
    }
}

/// A number (a whole number reads as one too, as serde reads it).
impl Param for f64 {
    fn read(field: &str, v: &Value) -> Result<f64, ConfigError> {
        v.as_f64().ok_or_else(|| wrong_kind(field, "a number"))
    }
    fn write(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Param for i64 {
    fn read(field: &str, v: &Value) -> Result<i64, ConfigError> {
        v.as_i64().ok_or_else(|| wrong_kind(field, "a whole number"))
    }
    fn write(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Param for bool {
    fn read(field: &str, v: &Value) -> Result<bool, ConfigError> {
        v.as_bool().ok_or_else(|| wrong_kind(field, "True or False"))
    }
    fn write(&self) -> Option<Value> {
        Some(Value::from(*self))
    }
}

impl Param for String {
    fn read(field: &str, v: &Value) -> Result<String, ConfigError> {
        v.as_str().map(str::to_string).ok_or_else(|| wrong_kind(field, "text"))
    }
    fn write(&self) -> Option<Value> {
        Some(Value::from(self.as_str()))
    }
}

impl Param for Vec<i64> {
    fn read(field: &str, v: &Value) -> Result<Vec<i64>, ConfigError> {
        let list = v.as_array().and_then(|a| a.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>());
        list.ok_or_else(|| wrong_kind(field, "a list of whole numbers"))
    }
    fn write(&self) -> Option<Value> {
        Some(Value::from(self.clone()))
    }
}

/// An optional parameter: `null` is `None`.
impl<T: Param> Param for Option<T> {
    fn read(field: &str, v: &Value) -> Result<Option<T>, ConfigError> {
        if v.is_null() {
            Ok(None)
        } else {
            T::read(field, v).map(Some)
        }
    }
    fn write(&self) -> Option<Value> {
        self.as_ref()?.write()
    }
}

/// [`Param`] for a word-valued parameter's enum: one of `ALL`, named by `as_str` (the serde
/// name of each).
macro_rules! word_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn read(field: &str, v: &Value) -> Result<$t, ConfigError> {
                let got = v.as_str();
                <$t>::ALL.iter().copied().find(|t| got == Some(t.as_str())).ok_or_else(|| {
                    let words = <$t>::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ");
                    wrong_kind(field, &format!("one of {words}"))
                })
            }
            fn write(&self) -> Option<Value> {
                Some(Value::from(self.as_str()))
            }
        }
    )*};
}
word_param!(CyclicMode, ScaleMode, AnnealStrategy, PlateauMode, ThresholdMode);

/// The word-valued parameters, checked before serde so the message can name the class
/// and the field (serde's own says neither).
const CHOICES: [(&str, &str, &[&str]); 5] = [
    ("ReduceLROnPlateau", "mode", &["min", "max"]),
    ("ReduceLROnPlateau", "threshold_mode", &["rel", "abs"]),
    ("CyclicLR", "mode", &["triangular", "triangular2", "exp_range"]),
    ("CyclicLR", "scale_mode", &["cycle", "iterations"]),
    ("OneCycleLR", "anneal_strategy", &["cos", "linear"]),
];

fn check_choices(v: &serde_json::Value, path: &str) -> Result<(), ConfigError> {
    let Some(class) = v.get("type").and_then(|t| t.as_str()) else { return Ok(()) };
    for (c, field, words) in CHOICES {
        if c != class {
            continue;
        }
        if let Some(got) = v.get(field).and_then(|x| x.as_str()) {
            if !words.contains(&got) {
                let allowed = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
                let name = SchedulerConfig::NAMES.iter().find(|n| **n == c).copied().unwrap_or("scheduler");
                let ctx = ConfigError::ctx(path, name);
                return Err(ctx.err(
                    field,
                    ConfigErrorKind::BadChoice,
                    format_args!("must be one of {allowed}, got `{got}`"),
                ));
            }
        }
    }
    if let Some(children) = v.get("schedulers").and_then(|s| s.as_array()) {
        for (i, child) in children.iter().enumerate() {
            check_choices(child, &format!("{path}schedulers[{i}]."))?;
        }
    }
    Ok(())
}

/// An optimizer param group with its scheduler attached: PyTorch's
/// `opt = SGD(params, lr=lr, momentum=momentum); sched = Scheduler(opt, ...)`.
pub struct Schedule {
    group: ParamGroup,
    sched: Option<Box<dyn LrScheduler>>,
    steps: usize,
}

impl Schedule {
    /// Build and construct the scheduler (PyTorch's constructor, including its initial
    /// step). `None` keeps the learning rate constant.
    pub fn new(cfg: Option<&SchedulerConfig>, lr: f64, momentum: f64) -> Result<Schedule, ConfigError> {
        let mut group = ParamGroup::new(lr, momentum);
        let sched = match cfg {
            None => None,
            Some(cfg) => {
                cfg.validate()?;
                let mut s = cfg.runtime()?;
                s.construct(&mut group)
                    .and_then(|()| check_lr(&group, 0))
                    .map_err(|e| ConfigError::from_step(cfg.name(), e))?;
                Some(s)
            }
        };
        Ok(Schedule { group, sched, steps: 0 })
    }

    /// The optimizer's current `lr`.
    pub fn lr(&self) -> f64 {
        self.group.lr
    }

    /// The optimizer's current `momentum` (cycled by CyclicLR/OneCycleLR).
    pub fn momentum(&self) -> f64 {
        self.group.momentum
    }

    pub fn group(&self) -> &ParamGroup {
        &self.group
    }

    /// Number of `step` calls so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// `scheduler.step()`, or `scheduler.step(metric)` for ReduceLROnPlateau (other
    /// schedulers ignore the metric).
    pub fn step(&mut self, metric: f64) -> Result<(), StepError> {
        if let Some(s) = self.sched.as_mut() {
            s.step_metric(&mut self.group, metric)?;
        }
        self.steps += 1;
        check_lr(&self.group, self.steps)
    }

    /// ReduceLROnPlateau's internals after the last step.
    pub fn plateau(&self) -> Option<PlateauState> {
        self.sched.as_ref().and_then(|s| s.plateau())
    }
}

/// PyTorch would go on with a negative or non-finite lr (e.g. chained recursive formulas
/// crossing below zero); the playground stops there and says so. Rounding noise below zero
/// is not a negative lr: LinearLR down to `end_factor=0` ends at -1.5e-18 for most
/// `start_factor`s, in PyTorch too, which trains on; so does the playground (within 1e-12 of
/// the initial lr).
fn check_lr(g: &ParamGroup, step: usize) -> Result<(), StepError> {
    let noise = 1e-12 * g.initial_lr.unwrap_or(0.0).abs();
    if g.lr.is_finite() && g.lr >= -noise && g.momentum.is_finite() {
        Ok(())
    } else {
        Err(StepError::new(
            StepErrorKind::BadLr,
            format!(
                "the schedule sets lr = {} at step {step}; a learning rate must be a finite number ≥ 0",
                fmt_sig(g.lr, 4)
            ),
        ))
    }
}

/// One point of a scheduler-only trace.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TracePoint {
    pub lr: f64,
    pub momentum: f64,
}

/// `lr`/`momentum` right after construction and after each of `steps` steps (feeding
/// `metrics[k]` to the k-th step; missing metrics are 0). Stops early, returning what it
/// has and the error, if the scheduler refuses a step (OneCycleLR past `total_steps`).
pub fn trace(
    cfg: Option<&SchedulerConfig>,
    lr: f64,
    momentum: f64,
    steps: usize,
    metrics: &[f64],
) -> Result<(Vec<TracePoint>, Option<StepError>), ConfigError> {
    let mut s = Schedule::new(cfg, lr, momentum)?;
    let mut out = Vec::with_capacity(steps + 1);
    out.push(TracePoint { lr: s.lr(), momentum: s.momentum() });
    for k in 0..steps {
        if let Err(e) = s.step(metrics.get(k).copied().unwrap_or(0.0)) {
            return Ok((out, Some(e)));
        }
        out.push(TracePoint { lr: s.lr(), momentum: s.momentum() });
    }
    Ok((out, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_sorted_and_unique() {
        let c = SchedulerConfig::MultiStepLR(MultiStepLR { milestones: vec![80, 30, 80, 10, 200], gamma: 0.1 });
        assert_eq!(c.markers(100), [(10, "milestone"), (30, "milestone"), (80, "milestone")]);
        let c = SchedulerConfig::StepLR(StepLR { step_size: 1, gamma: 0.5 });
        assert_eq!(c.markers(100_000).len(), 100_000);
    }
}
