//! Errors a student can read: what is wrong, and what is allowed.

use std::fmt;

/// What kind of mistake a config holds (one per class of invalid config).
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigErrorKind {
    /// A number that must be greater than zero is not.
    NotPositive,
    /// A number outside its allowed range.
    OutOfRange,
    /// NaN or ±infinity.
    NotFinite,
    /// A choice (`mode`, `anneal_strategy`, ...) that is not one of the allowed words.
    BadChoice,
    /// `type` names no scheduler.
    UnknownType,
    /// A parameter PyTorch's class does not have.
    UnknownField,
    /// A required parameter is missing, or a value has the wrong type.
    Malformed,
    /// `SequentialLR` needs exactly one milestone fewer than schedulers.
    MilestoneCount,
    /// Milestones or schedulers are empty or out of order.
    BadMilestones,
    /// `ReduceLROnPlateau` cannot be nested in `SequentialLR`/`ChainedScheduler`.
    PlateauInComposite,
    /// A composite that PyTorch cannot step where it is nested.
    BadNesting,
    /// `lr_lambda` does not parse (column and what was expected in the message).
    Expression { column: usize },
    /// The scheduler's constructor already failed (e.g. `lr_lambda` fails at epoch 0).
    Construct,
}

/// An invalid scheduler config.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// Where: e.g. `gamma`, or `schedulers[1].T_max` inside a composite.
    pub field: String,
    pub kind: ConfigErrorKind,
    /// The full sentence shown to the user.
    pub message: String,
    /// The other field `field` was refused against, where the value is wrong only beside it
    /// (`max_lr` below `base_lr`): as `field`, e.g. `schedulers[1].base_lr`.
    pub against: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Why a step failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepErrorKind {
    /// PyTorch raises here too (e.g. OneCycleLR stepped past `total_steps`).
    Refused,
    /// `lr_lambda`/`scale_fn` could not be evaluated (e.g. a division by zero).
    Expression,
    /// The step would set a negative or non-finite lr (PyTorch would set it and train with
    /// it; the playground stops and says so).
    BadLr,
}

/// A scheduler refused to step, or `lr_lambda` failed.
#[derive(Clone, Debug, PartialEq)]
pub struct StepError {
    pub kind: StepErrorKind,
    pub message: String,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StepError {}

impl StepError {
    pub fn new(kind: StepErrorKind, message: impl Into<String>) -> Self {
        StepError { kind, message: message.into() }
    }
}

/// Where a config sits (`schedulers[1].` inside a composite) and its class name; builds
/// the errors for its fields.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    prefix: String,
    class: &'static str,
}

impl Ctx {
    pub fn field(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    pub fn err(&self, field: &str, kind: ConfigErrorKind, what: impl fmt::Display) -> ConfigError {
        ConfigError {
            field: self.field(field),
            kind,
            message: format!("{}: `{}` {}", self.class, self.field(field), what),
            against: None,
        }
    }

    /// [`Ctx::err`] for a value wrong only beside another field, `other`.
    pub fn err_against(&self, field: &str, other: &str, what: impl fmt::Display) -> ConfigError {
        ConfigError { against: Some(self.field(other)), ..self.err(field, ConfigErrorKind::OutOfRange, what) }
    }

    /// A finite float.
    pub fn finite(&self, field: &str, v: f64) -> Result<(), ConfigError> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(self.err(
                field,
                ConfigErrorKind::NotFinite,
                format_args!("must be a finite number, got {}", fmt_num(v)),
            ))
        }
    }

    /// A finite float > 0.
    pub fn positive(&self, field: &str, v: f64) -> Result<(), ConfigError> {
        self.finite(field, v)?;
        if v > 0.0 {
            Ok(())
        } else {
            Err(self.err(
                field,
                ConfigErrorKind::NotPositive,
                format_args!("must be greater than 0, got {}", fmt_num(v)),
            ))
        }
    }

    /// A finite float ≥ 0.
    pub fn non_negative(&self, field: &str, v: f64) -> Result<(), ConfigError> {
        self.finite(field, v)?;
        if v >= 0.0 {
            Ok(())
        } else {
            Err(self.err(field, ConfigErrorKind::OutOfRange, format_args!("must be 0 or more, got {}", fmt_num(v))))
        }
    }

    /// A whole number ≥ `min`.
    pub fn int_at_least(&self, field: &str, v: i64, min: i64) -> Result<(), ConfigError> {
        if v >= min {
            Ok(())
        } else if min == 1 {
            Err(self.err(
                field,
                ConfigErrorKind::NotPositive,
                format_args!("must be a whole number of at least 1, got {v}"),
            ))
        } else {
            Err(self.err(
                field,
                ConfigErrorKind::OutOfRange,
                format_args!("must be a whole number of at least {min}, got {v}"),
            ))
        }
    }

    /// `base_momentum ≤ max_momentum`, both in [0, 1) (schedulers that cycle momentum).
    pub fn momentum_range(&self, base: f64, max: f64) -> Result<(), ConfigError> {
        self.in_range("base_momentum", base, (0.0..1.0).contains(&base), "from 0 up to (not including) 1")?;
        self.in_range("max_momentum", max, (0.0..1.0).contains(&max), "from 0 up to (not including) 1")?;
        if max < base {
            return Err(self.err_against(
                "max_momentum",
                "base_momentum",
                format_args!("({}) must be at least base_momentum ({})", fmt_num(max), fmt_num(base)),
            ));
        }
        Ok(())
    }

    /// A whole number ≤ `max` (keeps loops bounded).
    pub fn int_at_most(&self, field: &str, v: i64, max: i64) -> Result<(), ConfigError> {
        if v <= max {
            Ok(())
        } else {
            Err(self.err(field, ConfigErrorKind::OutOfRange, format_args!("must be at most {max}, got {v}")))
        }
    }

    /// A finite float in `[lo, hi]` (inclusive flags per side), `what` describing the range.
    pub fn in_range(&self, field: &str, v: f64, ok: bool, allowed: &str) -> Result<(), ConfigError> {
        self.finite(field, v)?;
        if ok {
            Ok(())
        } else {
            Err(self.err(field, ConfigErrorKind::OutOfRange, format_args!("must be {allowed}, got {}", fmt_num(v))))
        }
    }
}

/// A number as the playground writes it: shortest round-trip form, with an exponent for tiny
/// and huge magnitudes (`1e308`, not 309 digits).
pub fn fmt_num(v: f64) -> String {
    if v != 0.0 && v.is_finite() && (v.abs() < 1e-4 || v.abs() >= 1e7) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// `v` to `digits` significant digits, written as [`fmt_num`] writes numbers: for a message
/// naming a computed value (`-0.0089`, not `-0.008900000000000009`).
pub fn fmt_sig(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return fmt_num(v);
    }
    let rounded = format!("{:.*e}", digits.max(1) - 1, v);
    fmt_num(crate::core::num::parse_f64(&rounded).unwrap_or(v))
}

/// Largest whole-number parameter accepted (epochs, steps): keeps every loop bounded.
pub const MAX_INT_PARAM: i64 = 1_000_000;

impl ConfigError {
    pub(crate) fn ctx(prefix: &str, class: &'static str) -> Ctx {
        Ctx { prefix: prefix.to_string(), class }
    }

    pub(crate) fn from_step(class: &str, e: StepError) -> ConfigError {
        // Only expressions can fail while a valid config is constructed.
        let field = match e.kind {
            StepErrorKind::Expression | StepErrorKind::BadLr if e.message.starts_with("scale_fn") => "scale_fn",
            StepErrorKind::Expression | StepErrorKind::BadLr => "lr_lambda",
            StepErrorKind::Refused => "",
        };
        ConfigError {
            field: field.to_string(),
            kind: ConfigErrorKind::Construct,
            message: format!("{class}: {}", e.message),
            against: None,
        }
    }

    /// Translate serde_json's wording into the playground's.
    pub(crate) fn from_serde(e: serde_json::Error) -> ConfigError {
        let raw = e.to_string();
        let msg = raw.split(" at line ").next().unwrap_or(&raw).to_string();
        let (kind, message) = if let Some(rest) = msg.strip_prefix("unknown variant ") {
            let name = rest.split(',').next().unwrap_or(rest);
            (
                ConfigErrorKind::UnknownType,
                format!("unknown scheduler type {name}; allowed: {}", super::SchedulerConfig::NAMES.join(", ")),
            )
        } else if let Some(rest) = msg.strip_prefix("unknown field ") {
            let (name, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let expected = expected.trim_start_matches("one of ").replace(" or ", ", ");
            (ConfigErrorKind::UnknownField, format!("unknown parameter {name}; this scheduler takes: {expected}"))
        } else if msg.starts_with("missing field `type`") {
            (ConfigErrorKind::Malformed, "the scheduler needs a `type`, e.g. \"StepLR\"".to_string())
        } else {
            (ConfigErrorKind::Malformed, format!("invalid scheduler config: {msg}"))
        };
        ConfigError { field: String::new(), kind, message, against: None }
    }
}
