//! The training simulation every chart draws from: SGD on a toy problem with a PyTorch
//! scheduler in the loop.
//!
//! ```text
//! for epoch e:
//!     record lr, momentum
//!     for each batch B (a seeded shuffle of the training set each epoch; quadratic: k steps):
//!         g = ∇L_B(w) (+ σ·noise);  SGD step;   [per-batch stepping: scheduler.step()]
//!     record L(w), validation loss, accuracy, w
//!     stop if L(w) is not finite or > 1e6 · L(w_0)  (divergence)
//!     [per-epoch stepping: scheduler.step(), ReduceLROnPlateau: step(validation loss)]
//! ```
//!
//! This is exactly the loop of the PyTorch reference traces (`tests/golden/sgd.json`).

use crate::core::optim::{Sgd, SgdConfig};
use crate::core::problems::{Problem, ProblemConfig};
use crate::core::rng::Rng;
use crate::core::schedulers::{
    ConfigError, ConfigErrorKind, PlateauState, Schedule, SchedulerConfig, StepError, StepErrorKind,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// When the scheduler steps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stepping {
    /// `scheduler.step()` after every epoch (the usual place).
    #[default]
    Epoch,
    /// `scheduler.step()` after every batch (OneCycleLR, CyclicLR).
    Batch,
}

/// Everything that defines a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub problem: ProblemConfig,
    pub optimizer: SgdConfig,
    pub scheduler: Option<SchedulerConfig>,
    pub epochs: usize,
    pub stepping: Stepping,
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            problem: ProblemConfig::default(),
            optimizer: SgdConfig::default(),
            scheduler: Some(SchedulerConfig::default_for("StepLR").expect("StepLR")),
            epochs: 100,
            stepping: Stepping::Epoch,
            seed: 1,
        }
    }
}

/// Most epochs a run may have.
pub const MAX_EPOCHS: usize = 5000;
/// Most SGD steps in a run (epochs × batches per epoch). Every step is kept (the path over the
/// loss surface, the lr it used): 20 million steps, which the other limits allow together,
/// took seconds per input and half a gigabyte. It is also OneCycleLR's largest `total_steps`.
pub const MAX_STEPS: usize = crate::core::schedulers::MAX_INT_PARAM as usize;
/// Most data points × epochs in a logistic run: every epoch's losses go over every point (and
/// a batch as large as the data set computes its gradient over all of them). 5000 points for
/// 5000 epochs, which the other limits allow, took 0.35 s natively per input; this is 2.5
/// times the benchmark's heavy run (1000 × 1000) and above what the sliders reach (2000 ×
/// 1000).
pub const MAX_POINT_EPOCHS: usize = 2_500_000;
/// A count with thousands separators: `20,000,000`.
fn fmt_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A loss above this multiple of the starting loss counts as divergence.
pub const DIVERGENCE_FACTOR: f64 = 1e6;

impl SimConfig {
    /// Check everything (problem, optimizer, scheduler, epochs).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.problem.validate()?;
        self.optimizer.validate()?;
        // Validates the scheduler's config, then runs its constructor as PyTorch does (e.g.
        // `lr_lambda` at epoch 0), which must succeed too.
        Schedule::new(self.scheduler.as_ref(), self.optimizer.lr, self.optimizer.momentum)?;
        let c = ConfigError::ctx("", "training");
        c.int_at_least("epochs", self.epochs as i64, 1)?;
        c.int_at_most("epochs", self.epochs as i64, MAX_EPOCHS as i64)?;
        if let ProblemConfig::Logistic(l) = &self.problem {
            let work = self.epochs.saturating_mul(l.points);
            if work > MAX_POINT_EPOCHS {
                return Err(c.err(
                    "epochs",
                    ConfigErrorKind::OutOfRange,
                    format_args!(
                        "{} × {} points makes {} point-epochs (each epoch's losses go over every point); a run \
                         takes at most {}: fewer epochs or points",
                        self.epochs,
                        l.points,
                        fmt_count(work),
                        fmt_count(MAX_POINT_EPOCHS)
                    ),
                ));
            }
        }
        let spe = self.problem.steps_per_epoch();
        let steps = self.epochs.saturating_mul(spe);
        if steps > MAX_STEPS {
            let (per, fewer) = match self.problem {
                ProblemConfig::Logistic(_) => {
                    ("batches", "fewer epochs or points, or a larger batch_size or val_fraction")
                }
                ProblemConfig::Quadratic(_) => ("steps", "fewer epochs or steps_per_epoch"),
            };
            return Err(c.err(
                "epochs",
                ConfigErrorKind::OutOfRange,
                format_args!(
                    "{} × {spe} {per} per epoch makes {} SGD steps; a run takes at most {}: {fewer}",
                    self.epochs,
                    fmt_count(steps),
                    fmt_count(MAX_STEPS)
                ),
            ));
        }
        Ok(())
    }

    /// Whether the scheduler actually steps per batch (ReduceLROnPlateau always per epoch).
    pub fn per_batch(&self) -> bool {
        self.stepping == Stepping::Batch && !self.scheduler.as_ref().is_some_and(|s| s.is_plateau())
    }
}

/// Where and why a run diverged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Divergence {
    /// The epoch (0-based) whose loss blew up; nothing from it is in the trace.
    pub epoch: usize,
    /// The loss there (may be infinite or NaN).
    pub loss: f64,
}

/// Everything the charts need, per epoch and per SGD step. Every number in it is finite.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// lr during each epoch (at its start).
    pub lr: Vec<f64>,
    /// momentum during each epoch (at its start).
    pub momentum: Vec<f64>,
    /// Full training loss after each epoch.
    pub train_loss: Vec<f64>,
    /// Validation loss after each epoch (logistic only).
    pub val_loss: Vec<f64>,
    /// Validation accuracy after each epoch (logistic only).
    pub accuracy: Vec<f64>,
    /// Weights after each epoch (`[w0, w1, bias]`; bias 0 for the quadratic).
    pub weights: Vec<[f64; 3]>,
    /// ReduceLROnPlateau's internals after each epoch's step.
    pub plateau: Vec<PlateauState>,
    /// The loss before training.
    pub loss0: f64,
    /// Weights before training, then after every SGD step.
    pub path: Vec<[f64; 3]>,
    /// lr used by every SGD step.
    pub step_lr: Vec<f64>,
    /// SGD steps per epoch.
    pub steps_per_epoch: usize,
    /// Epochs asked for.
    pub epochs: usize,
    /// Set when the loss blew up; the run stopped there.
    pub divergence: Option<Divergence>,
    /// Set when the scheduler refused to step (e.g. OneCycleLR past `total_steps`).
    pub halted: Option<String>,
    /// Landmarks of the schedule in (fractional) epochs: drops, milestones, restarts,
    /// warm-up ends, SequentialLR switches and ReduceLROnPlateau's reductions; only those
    /// before the end of the last epoch trained (a later one changes no lr that was used).
    pub markers: Vec<(f64, &'static str)>,
}

impl Trace {
    /// Epochs completed.
    pub fn len(&self) -> usize {
        self.lr.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lr.is_empty()
    }

    /// The LR of epoch `epoch`'s last SGD step (`lr[epoch]` too unless the scheduler steps
    /// per batch); `None` past the epochs completed.
    pub fn last_step_lr(&self, epoch: usize) -> Option<f64> {
        if epoch >= self.len() {
            return None;
        }
        let end = (epoch + 1).saturating_mul(self.steps_per_epoch).min(self.step_lr.len());
        end.checked_sub(1).and_then(|i| self.step_lr.get(i)).copied()
    }
}

/// One epoch's minibatches, reused from epoch to epoch (no allocation in the loop):
/// batch `k` is `order[ends[k − 1]..ends[k]]` (training-set indices). The quadratic has no
/// data: its `ends` are all 0 and each "batch" is a full gradient step. `order` is borrowed
/// when the orders were shuffled ahead ([`Shuffles`]), owned when shuffled as training goes.
#[derive(Clone, Debug, Default)]
pub struct Epoch<'a> {
    pub order: Cow<'a, [usize]>,
    pub ends: Vec<usize>,
}

/// Fills the batches of epoch `e`.
pub type BatchPlan<'p, 'a> = &'p mut dyn FnMut(usize, &mut Epoch<'a>);

/// How to train: optimizer, scheduler, length, and where the scheduler steps.
#[derive(Clone, Copy, Debug)]
pub struct Training<'a> {
    pub optimizer: &'a SgdConfig,
    pub scheduler: Option<&'a SchedulerConfig>,
    pub epochs: usize,
    /// `scheduler.step()` after every batch instead of every epoch.
    pub per_batch: bool,
    /// Seed of the quadratic's gradient noise (`None`: no noise).
    pub noise_seed: Option<u64>,
}

/// The training loop on a built problem. `w0` is where it starts.
pub fn train(
    problem: &Problem,
    w0: [f64; 3],
    run: Training<'_>,
    batches: BatchPlan<'_, '_>,
) -> Result<Trace, ConfigError> {
    let Training { optimizer, scheduler, epochs, per_batch, noise_seed } = run;
    optimizer.validate()?;
    let mut sched = Schedule::new(scheduler, optimizer.lr, optimizer.momentum)?;
    let mut sgd = Sgd::new(optimizer);
    let dim = problem.dim();
    let mut w = w0;
    let loss0 = problem.loss(&w[..dim]);
    let mut noise = match (problem, noise_seed) {
        (Problem::Quadratic(q), Some(seed)) if q.noise > 0.0 => Some((Rng::new(seed), q.noise)),
        _ => None,
    };
    let mut t = Trace { loss0, epochs, path: vec![w], ..Trace::default() };
    let limit = if loss0.is_finite() { DIVERGENCE_FACTOR * loss0.abs().max(1e-12) } else { f64::INFINITY };
    let mut g = [0.0; 3];
    let mut plan = Epoch::default();
    'epochs: for e in 0..epochs {
        let (lr0, m0) = (sched.lr(), sched.momentum());
        batches(e, &mut plan);
        let n_batches = plan.ends.len();
        if e == 0 {
            t.steps_per_epoch = n_batches;
            let cap = (epochs * n_batches).min(1 << 20);
            t.step_lr.reserve(cap);
            t.path.reserve(cap);
        }
        let mut begin = 0;
        for (k, &end) in plan.ends.iter().enumerate() {
            match problem {
                Problem::Quadratic(q) => q.grad(&w[..2], &mut g[..2]),
                Problem::Logistic(l) => l.grad(&w, &plan.order[begin..end], &mut g),
            }
            begin = end;
            if let Some((rng, sigma)) = noise.as_mut() {
                for gi in g.iter_mut().take(dim) {
                    *gi += *sigma * rng.normal();
                }
            }
            let lr = sched.lr();
            sgd.step(&mut w[..dim], &mut g[..dim], lr, sched.momentum());
            if !w.iter().all(|x| x.is_finite()) {
                t.divergence = Some(Divergence { epoch: e, loss: f64::INFINITY });
                break 'epochs;
            }
            t.step_lr.push(lr);
            t.path.push(w);
            if per_batch {
                let last = e + 1 == epochs && k + 1 == n_batches;
                if let Err(err) = sched.step(0.0) {
                    if !unused_lr_error(&err, last) {
                        // Keep what was computed: the epoch is recorded below, then we stop.
                        t.halted = Some(err.message);
                        break;
                    }
                }
            }
        }
        let loss = problem.loss(&w[..dim]);
        if !loss.is_finite() || loss > limit {
            t.divergence = Some(Divergence { epoch: e, loss });
            break;
        }
        t.lr.push(lr0);
        t.momentum.push(m0);
        t.train_loss.push(loss);
        t.weights.push(w);
        let metric = match problem {
            Problem::Logistic(l) => {
                let (v, acc) = l.val_metrics(&w, loss);
                t.val_loss.push(v);
                t.accuracy.push(acc);
                v
            }
            Problem::Quadratic(_) => loss,
        };
        if t.halted.is_some() {
            break;
        }
        if !per_batch {
            if let Err(err) = sched.step(metric) {
                if !unused_lr_error(&err, e + 1 == epochs) {
                    t.halted = Some(err.message);
                    break;
                }
            }
            if let Some(p) = sched.plateau() {
                t.plateau.push(p);
            }
        }
    }
    Ok(t)
}

/// A bad lr from the run's very last `scheduler.step()` is never used for training (e.g.
/// OneCycleLR's linear anneal overshooting at step `total_steps`), so it does not halt the run.
fn unused_lr_error(err: &StepError, last_step: bool) -> bool {
    last_step && err.kind == StepErrorKind::BadLr
}

/// Run a whole configuration on an already built problem (see [`ProblemConfig::build`]),
/// drawing minibatches from a shuffle seeded by `cfg.seed` every epoch.
pub fn simulate(problem: &Problem, cfg: &SimConfig) -> Result<Trace, ConfigError> {
    simulate_with(problem, cfg, None)
}

/// [`simulate`], replaying the minibatch orders of `shuffles` when they fit the run (the same
/// data-set size, batch size and seed, at least `cfg.epochs` epochs): the same trace, without
/// reshuffling the training set every epoch.
pub fn simulate_with(problem: &Problem, cfg: &SimConfig, shuffles: Option<&Shuffles>) -> Result<Trace, ConfigError> {
    cfg.validate()?;
    if let Some(s) = shuffles.filter(|s| s.fits(problem, cfg.seed, cfg.epochs)) {
        let mut plan = s.plan();
        return finish(problem, cfg, &mut plan);
    }
    let mut plan = minibatches(problem, cfg.seed);
    finish(problem, cfg, &mut plan)
}

fn finish(problem: &Problem, cfg: &SimConfig, plan: BatchPlan<'_, '_>) -> Result<Trace, ConfigError> {
    let run = Training {
        optimizer: &cfg.optimizer,
        scheduler: cfg.scheduler.as_ref(),
        epochs: cfg.epochs,
        per_batch: cfg.per_batch(),
        noise_seed: Some(cfg.seed),
    };
    let mut t = train(problem, problem.start(), run, plan)?;
    t.markers = markers(cfg, &t);
    Ok(t)
}

/// The schedule's landmarks within the trained epochs (see [`Trace::markers`]).
fn markers(cfg: &SimConfig, t: &Trace) -> Vec<(f64, &'static str)> {
    let Some(s) = &cfg.scheduler else { return Vec::new() };
    let spe = if cfg.per_batch() { t.steps_per_epoch.max(1) as f64 } else { 1.0 };
    let horizon = (t.len() as f64 * spe) as usize;
    let mut out: Vec<(f64, &'static str)> =
        s.markers(horizon).into_iter().take(500).map(|(step, what)| (step as f64 / spe, what)).collect();
    // A reduction at the end of epoch e takes effect from epoch e + 1.
    out.extend(t.plateau.iter().enumerate().filter(|(_, p)| p.reduced).map(|(e, _)| ((e + 1) as f64, "reduction")));
    // A landmark at the end of the last epoch would change the lr of an epoch never trained.
    out.retain(|(e, _)| *e < t.len() as f64);
    // Epochs are finite: `f64`'s partial order is total here.
    crate::core::util::sort_short(&mut out, |m| m.0);
    out
}

/// The playground's batches: the quadratic takes `steps_per_epoch` full gradient steps; the
/// logistic training set is reshuffled every epoch (seeded) and cut into `batch_size` chunks.
pub fn minibatches(problem: &Problem, seed: u64) -> impl FnMut(usize, &mut Epoch<'_>) {
    let mut shuffle = Rng::new(seed ^ 0x5EED_BA7C);
    let (n, bs, k) = match problem {
        Problem::Quadratic(q) => (0, 1, q.steps_per_epoch.max(1)),
        Problem::Logistic(l) => (l.x.len(), l.batch_size.max(1), 0),
    };
    move |_, ep: &mut Epoch<'_>| {
        if n == 0 {
            ep.ends.clear();
            ep.ends.resize(k, 0);
            return;
        }
        if ep.order.len() != n {
            ep.order = Cow::Owned((0..n).collect());
            ep.ends = (1..=n.div_ceil(bs)).map(|b| (b * bs).min(n)).collect();
        }
        shuffle.shuffle(ep.order.to_mut());
    }
}

/// Every epoch's minibatch order of the logistic problem for a seed, shuffled once: they depend
/// on the data-set size, the batch size and the seed only, so while a scheduler or optimizer
/// slider moves, runs replay them ([`simulate_with`]) instead of reshuffling 1000s of indices
/// per epoch (2.3 of the heavy benchmark run's 18 ms in Chromium). The orders of fewer epochs
/// are a prefix (each epoch reshuffles the previous order), so they also fit shorter runs.
#[derive(Debug)]
pub struct Shuffles {
    seed: u64,
    n: usize,
    batch_size: usize,
    epochs: usize,
    /// `epochs × n` indices, epoch after epoch.
    orders: Vec<usize>,
    ends: Vec<usize>,
}

impl Shuffles {
    /// The most indices kept (4 MB in wasm, where memory never shrinks; the heavy benchmark
    /// run's 800,000 fit); longer runs shuffle as they go.
    pub const MAX_INDICES: usize = 1 << 20;

    /// The orders of `epochs` epochs, or `None` for the quadratic (no data) and for runs above
    /// [`Shuffles::MAX_INDICES`].
    pub fn new(problem: &Problem, seed: u64, epochs: usize) -> Option<Shuffles> {
        let Problem::Logistic(l) = problem else { return None };
        let n = l.x.len();
        if n == 0 || epochs.checked_mul(n).is_none_or(|total| total > Self::MAX_INDICES) {
            return None;
        }
        let mut plan = minibatches(problem, seed);
        let mut ep = Epoch::default();
        let mut orders = Vec::with_capacity(epochs * n);
        for e in 0..epochs {
            plan(e, &mut ep);
            orders.extend_from_slice(&ep.order);
        }
        Some(Shuffles { seed, n, batch_size: l.batch_size.max(1), epochs, orders, ends: ep.ends })
    }

    /// Whether these are the orders of a run of `epochs` epochs on `problem` with `seed`.
    pub fn fits(&self, problem: &Problem, seed: u64, epochs: usize) -> bool {
        matches!(problem, Problem::Logistic(l)
            if l.x.len() == self.n && l.batch_size.max(1) == self.batch_size)
            && seed == self.seed
            && epochs <= self.epochs
    }

    /// Lends each epoch's order (copying them cost 0.35 ms of the heavy benchmark run).
    fn plan<'s>(&'s self) -> impl FnMut(usize, &mut Epoch<'s>) + 's {
        move |e, ep: &mut Epoch<'s>| {
            if ep.ends != self.ends {
                ep.ends.clone_from(&self.ends);
            }
            ep.order = Cow::Borrowed(&self.orders[e * self.n..(e + 1) * self.n]);
        }
    }
}

/// A grid of loss values over a window of the (w0, w1) plane: the quadratic's loss, or for
/// logistic regression the training loss on the slice at a fixed `bias`.
#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub nx: usize,
    pub ny: usize,
    /// Row-major, `ny` rows of `nx` values; row 0 at `y.0`.
    pub values: Vec<f64>,
    pub min: f64,
    pub max: f64,
}

/// Sample the loss over `x × y` on an `nx × ny` grid (both at least 2).
pub fn loss_surface(problem: &Problem, x: (f64, f64), y: (f64, f64), nx: usize, ny: usize, bias: f64) -> Surface {
    let (nx, ny) = (nx.clamp(2, 400), ny.clamp(2, 400));
    let mut values = Vec::with_capacity(nx * ny);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for j in 0..ny {
        let wy = y.0 + (y.1 - y.0) * j as f64 / (ny - 1) as f64;
        for i in 0..nx {
            let wx = x.0 + (x.1 - x.0) * i as f64 / (nx - 1) as f64;
            let v = problem.loss(&[wx, wy, bias]);
            let v = if v.is_finite() { v } else { f64::MAX };
            lo = lo.min(v);
            hi = hi.max(v);
            values.push(v);
        }
    }
    Surface { x, y, nx, ny, values, min: lo, max: hi }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::problems::{LogisticConfig, QuadraticConfig};
    use crate::core::schedulers::{OneCycleLR, ReduceLROnPlateau, StepLR};

    fn run(cfg: &SimConfig) -> Trace {
        simulate(&cfg.problem.build(cfg.seed), cfg).unwrap()
    }

    #[test]
    fn a_run_takes_at_most_a_million_steps_and_2_5_million_point_epochs() {
        let big = |points, batch_size, epochs| SimConfig {
            problem: ProblemConfig::Logistic(LogisticConfig { points, batch_size, ..Default::default() }),
            epochs,
            ..Default::default()
        };
        // 2500 points (2000 to train on) in batches of 1, for 1000 epochs: 2 million steps.
        let e = big(2500, 1, 1000).validate().unwrap_err();
        assert_eq!(
            e.message,
            "training: `epochs` 1000 × 2000 batches per epoch makes 2,000,000 SGD steps; a run takes at most \
             1,000,000: fewer epochs or points, or a larger batch_size or val_fraction"
        );
        assert!(big(5000, 1, 250).validate().is_ok(), "exactly 1,000,000 steps");
        assert!(big(5000, 1, 251).validate().is_err());
        // Every epoch's losses go over every point: 5000 points for 5000 epochs in one batch.
        let e = big(5000, 4000, 5000).validate().unwrap_err();
        assert_eq!(
            e.message,
            "training: `epochs` 5000 × 5000 points makes 25,000,000 point-epochs (each epoch's losses go over \
             every point); a run takes at most 2,500,000: fewer epochs or points"
        );
        assert!(big(5000, 4000, 500).validate().is_ok(), "exactly 2,500,000 point-epochs");
        assert!(big(2000, 20, 1000).validate().is_ok(), "the sliders' largest run");
        let quad = SimConfig {
            problem: ProblemConfig::Quadratic(QuadraticConfig { steps_per_epoch: 1000, ..Default::default() }),
            epochs: 1001,
            ..Default::default()
        };
        assert!(quad.validate().unwrap_err().message.ends_with(": fewer epochs or steps_per_epoch"));
    }

    #[test]
    fn default_scenario_trains_and_is_reproducible() {
        let cfg = SimConfig { epochs: 300, ..Default::default() };
        let a = run(&cfg);
        assert_eq!(a.len(), 300);
        assert_eq!(a.steps_per_epoch, 8);
        assert!(a.train_loss[299] < 0.8 * a.loss0, "{} vs {}", a.train_loss[299], a.loss0);
        assert!(a.accuracy[299] > 0.7);
        assert_eq!(a, run(&cfg));
        let b = run(&SimConfig { seed: 2, ..cfg });
        assert_ne!(a.train_loss, b.train_loss);
    }

    #[test]
    fn too_high_lr_diverges_at_the_right_epoch() {
        // λmax = 1: lr 2.5 multiplies the error along the top axis by |1 − 2.5| = 1.5 per step.
        let cfg = SimConfig {
            problem: ProblemConfig::Quadratic(QuadraticConfig { kappa: 10.0, angle: 0.0, ..Default::default() }),
            optimizer: SgdConfig { lr: 2.5, ..Default::default() },
            scheduler: None,
            epochs: 200,
            ..Default::default()
        };
        let t = run(&cfg);
        let d = t.divergence.expect("diverges");
        // loss along the top axis grows by 1.5² per epoch; the other axis decays.
        let p = cfg.problem.build(0);
        let mut w = [Quadratic_START[0], Quadratic_START[1]];
        let mut expect = None;
        for e in 0..200 {
            w[0] = 1.0 + (w[0] - 1.0) * (1.0 - 2.5);
            w[1] = 0.5 + (w[1] - 0.5) * (1.0 - 0.25);
            if p.loss(&w) > DIVERGENCE_FACTOR * t.loss0 {
                expect = Some(e);
                break;
            }
        }
        assert_eq!(Some(d.epoch), expect);
        assert_eq!(t.len(), d.epoch);
        assert!(t.train_loss.iter().chain(&t.lr).all(|v| v.is_finite()));
    }

    #[allow(non_upper_case_globals)]
    const Quadratic_START: [f64; 2] = crate::core::problems::Quadratic::START;

    #[test]
    fn plateau_gets_the_validation_loss_and_reports_state() {
        let cfg = SimConfig {
            scheduler: Some(SchedulerConfig::ReduceLROnPlateau(ReduceLROnPlateau {
                patience: 2,
                ..Default::default()
            })),
            optimizer: SgdConfig { lr: 1.0, ..Default::default() },
            epochs: 120,
            stepping: Stepping::Batch, // ignored for plateau
            ..Default::default()
        };
        let t = run(&cfg);
        assert_eq!(t.plateau.len(), t.len());
        assert!(t.plateau.iter().any(|p| p.reduced));
        assert!(t.lr.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn one_cycle_per_batch_halts_past_total_steps() {
        let cfg = SimConfig {
            problem: ProblemConfig::Logistic(LogisticConfig { points: 100, batch_size: 10, ..Default::default() }),
            scheduler: Some(SchedulerConfig::OneCycleLR(OneCycleLR { total_steps: Some(40), ..Default::default() })),
            epochs: 10,
            stepping: Stepping::Batch,
            ..Default::default()
        };
        let t = run(&cfg);
        // 8 batches per epoch: step 41 follows the first batch of epoch 5 (0-based); that
        // partial epoch is kept.
        assert!(t.halted.as_deref().unwrap().contains("total_steps is 40"));
        assert_eq!(t.len(), 6);
        assert_eq!(t.step_lr.len(), 41); // PyTorch raises at the 41st scheduler.step()
    }

    #[test]
    fn replayed_shuffles_give_the_same_trace() {
        let cfg = SimConfig { epochs: 40, ..SimConfig::default() };
        let cfg = crate::core::params::set(&cfg, "batch_size", "16").unwrap();
        let p = cfg.problem.build(cfg.seed);
        let want = simulate(&p, &cfg).unwrap();
        assert!(want.steps_per_epoch > 1);
        // Orders of more epochs than the run: a prefix is replayed.
        let s = Shuffles::new(&p, cfg.seed, 60).unwrap();
        assert!(s.fits(&p, cfg.seed, 40) && !s.fits(&p, cfg.seed, 61) && !s.fits(&p, cfg.seed + 1, 40));
        assert_eq!(simulate_with(&p, &cfg, Some(&s)).unwrap(), want);
        // Orders that do not fit are ignored, not replayed.
        let other = Shuffles::new(&p, cfg.seed + 1, 60).unwrap();
        assert_eq!(simulate_with(&p, &cfg, Some(&other)).unwrap(), want);
        let short = Shuffles::new(&p, cfg.seed, 10).unwrap();
        assert_eq!(simulate_with(&p, &cfg, Some(&short)).unwrap(), want);
        let bigger_batches = crate::core::params::set(&cfg, "batch_size", "32").unwrap();
        let p2 = bigger_batches.problem.build(cfg.seed);
        assert!(!s.fits(&p2, cfg.seed, 40));
        assert_eq!(simulate_with(&p2, &bigger_batches, Some(&s)).unwrap(), simulate(&p2, &bigger_batches).unwrap());
        // No orders for the quadratic or for runs above the cap.
        let q = SimConfig { problem: ProblemConfig::Quadratic(Default::default()), ..SimConfig::default() };
        assert!(Shuffles::new(&q.problem.build(1), 1, 10).is_none());
        assert!(Shuffles::new(&p, cfg.seed, Shuffles::MAX_INDICES).is_none());
    }

    #[test]
    fn markers_in_epochs() {
        let t = run(&SimConfig::default()); // StepLR step_size 30 over 100 epochs
        assert_eq!(t.markers, vec![(30.0, "drop"), (60.0, "drop"), (90.0, "drop")]);
        // A drop due after the last epoch is not one: step_size 25 over 100 epochs.
        let cfg = crate::core::params::set(&SimConfig::default(), "step_size", "25").unwrap();
        assert_eq!(run(&cfg).markers, vec![(25.0, "drop"), (50.0, "drop"), (75.0, "drop")]);
        let cfg = crate::core::params::set(&SimConfig::default(), "scheduler", "CosineAnnealingWarmRestarts").unwrap();
        let cfg = crate::core::params::set(&cfg, "stepping", "batch").unwrap(); // 8 batches per epoch
        let t = run(&cfg);
        assert_eq!(t.markers[..2], [(10.0 / 8.0, "restart"), (20.0 / 8.0, "restart")]);
        // Per batch, an epoch's last step has its own LR; per epoch it is the epoch's.
        assert_eq!(t.last_step_lr(0), Some(t.step_lr[7]));
        assert_ne!(t.last_step_lr(0), Some(t.lr[0]));
        assert_eq!(t.last_step_lr(t.len()), None);
        let per_epoch = run(&SimConfig::default());
        assert!((0..per_epoch.len()).all(|e| per_epoch.last_step_lr(e) == Some(per_epoch.lr[e])));
        let t = run(&crate::core::presets::presets().into_iter().find(|p| p.id == "plateau").unwrap().cfg);
        assert!(t.markers.iter().any(|m| m.1 == "reduction"));
    }

    #[test]
    fn noise_is_seeded() {
        let cfg = SimConfig {
            problem: ProblemConfig::Quadratic(QuadraticConfig { noise: 0.5, steps_per_epoch: 5, ..Default::default() }),
            scheduler: Some(SchedulerConfig::StepLR(StepLR { step_size: 10, gamma: 0.5 })),
            epochs: 50,
            ..Default::default()
        };
        assert_eq!(run(&cfg), run(&cfg));
        assert_ne!(run(&cfg).path, run(&SimConfig { seed: 9, ..cfg.clone() }).path);
    }

    #[test]
    fn surface_samples_the_loss() {
        let p = ProblemConfig::Quadratic(QuadraticConfig::default()).build(0);
        let s = loss_surface(&p, (-3.0, 3.0), (-3.0, 3.0), 31, 21, 0.0);
        assert_eq!(s.values.len(), 31 * 21);
        assert!(s.min >= 0.0 && s.max > s.min);
    }
}
