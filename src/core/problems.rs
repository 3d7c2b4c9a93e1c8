//! The toy problems SGD trains in the playground, each with an analytic loss and gradient.
//!
//! * **Quadratic bowl** in 2-D: `L(w) = ½ (w − c)ᵀ A (w − c)` with `A = R(θ) diag(1, 1/κ) R(θ)ᵀ`
//!   (largest eigenvalue 1, condition number κ, rotated by θ). Plain SGD is stable for
//!   `lr < 2/λmax`, heavy-ball momentum μ for `lr < 2(1+μ)/λmax`. Optional gradient noise σ
//!   models the stochastic-gradient noise floor that learning-rate decay removes.
//! * **Logistic regression** on a seeded two-class 2-D data set: weights `(w0, w1, bias)`,
//!   `z = w0·x0 + w1·x1 + bias`, `L_B(w) = mean_B(softplus(z) − y·z) + ½·l2·(w0² + w1²)`
//!   (bias not regularised), exactly the loss of the PyTorch reference traces.

use crate::core::optim::SgdConfig;
use crate::core::rng::Rng;
use crate::core::schedulers::{no_field, ConfigError, ConfigErrorKind, Param};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which problem to train, with its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProblemConfig {
    Quadratic(QuadraticConfig),
    Logistic(LogisticConfig),
}

impl Default for ProblemConfig {
    fn default() -> Self {
        ProblemConfig::Logistic(LogisticConfig::default())
    }
}

impl ProblemConfig {
    /// Whether two set-ups (with their seeds) train on the same loss surface: the same bowl
    /// (κ and angle), or the same data set and penalty (points, separation, label noise,
    /// validation split, l2 and the seed that draws the data). Gradient noise, steps per
    /// epoch and the batch size change the path, not the surface.
    pub fn same_surface(&self, seed: u64, other: &ProblemConfig, other_seed: u64) -> bool {
        match (self, other) {
            (ProblemConfig::Quadratic(a), ProblemConfig::Quadratic(b)) => a.kappa == b.kappa && a.angle == b.angle,
            (ProblemConfig::Logistic(a), ProblemConfig::Logistic(b)) => {
                seed == other_seed
                    && (a.points, a.separation, a.label_noise, a.val_fraction, a.l2)
                        == (b.points, b.separation, b.label_noise, b.val_fraction, b.l2)
            }
            _ => false,
        }
    }

    /// Its name in the controls and the link: `quadratic` or `logistic`.
    pub fn name(&self) -> &'static str {
        match self {
            ProblemConfig::Quadratic(_) => "quadratic",
            ProblemConfig::Logistic(_) => "logistic",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuadraticConfig {
    /// Condition number κ = λmax / λmin (≥ 1).
    pub kappa: f64,
    /// Rotation of the bowl's axes, in degrees.
    pub angle: f64,
    /// Standard deviation σ of the Gaussian noise added to every gradient.
    pub noise: f64,
    /// SGD steps per epoch.
    pub steps_per_epoch: usize,
}

impl Default for QuadraticConfig {
    fn default() -> Self {
        QuadraticConfig { kappa: 10.0, angle: 30.0, noise: 0.0, steps_per_epoch: 1 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogisticConfig {
    /// Number of data points (train + validation).
    pub points: usize,
    /// Distance between the two class means, in units of the clusters' spread.
    pub separation: f64,
    /// Fraction of labels flipped at random.
    pub label_noise: f64,
    /// Fraction of points held out for validation.
    pub val_fraction: f64,
    /// Minibatch size.
    pub batch_size: usize,
    /// L2 penalty on (w0, w1) inside the loss.
    pub l2: f64,
}

impl Default for LogisticConfig {
    fn default() -> Self {
        LogisticConfig { points: 200, separation: 2.0, label_noise: 0.05, val_fraction: 0.2, batch_size: 20, l2: 0.0 }
    }
}

/// A count (`usize`) from a whole number of `problem`'s `field`. One above 2^32 − 1 (the
/// largest `usize` of wasm32; validation refuses far smaller ones) is refused here, in
/// validation's words, on every platform: before, a link with `points=5000000000` got serde's
/// "expected usize" in the browser and "at most 5000" natively.
fn count(problem: &'static str, field: &str, v: &Value) -> Result<usize, ConfigError> {
    let i = i64::read(field, v)?;
    let c = ConfigError::ctx("", problem);
    c.int_at_most(field, i, i64::from(u32::MAX))?;
    usize::try_from(i)
        .map_err(|_| c.err(field, ConfigErrorKind::OutOfRange, format_args!("must be a whole number, got {i}")))
}

/// Fewest data points (train + validation) of the logistic problem.
pub const MIN_POINTS: usize = 10;
/// Largest data set the playground builds.
pub const MAX_POINTS: usize = 5000;

impl ProblemConfig {
    /// Set one field of the current problem by name to `v`, a value of the field's kind as
    /// `params` parsed it. Typed, not through serde: the app never deserializes a config.
    pub(crate) fn set_field(&mut self, field: &str, v: &Value) -> Result<(), ConfigError> {
        match self {
            ProblemConfig::Quadratic(q) => match field {
                "kappa" => q.kappa = f64::read(field, v)?,
                "angle" => q.angle = f64::read(field, v)?,
                "noise" => q.noise = f64::read(field, v)?,
                "steps_per_epoch" => q.steps_per_epoch = count("quadratic", field, v)?,
                _ => return Err(no_field("quadratic", field)),
            },
            ProblemConfig::Logistic(l) => match field {
                "points" => l.points = count("logistic", field, v)?,
                "separation" => l.separation = f64::read(field, v)?,
                "label_noise" => l.label_noise = f64::read(field, v)?,
                "val_fraction" => l.val_fraction = f64::read(field, v)?,
                "batch_size" => l.batch_size = count("logistic", field, v)?,
                "l2" => l.l2 = f64::read(field, v)?,
                _ => return Err(no_field("logistic", field)),
            },
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        match self {
            ProblemConfig::Quadratic(q) => {
                let c = ConfigError::ctx("", "quadratic");
                c.in_range("kappa", q.kappa, (1.0..=1e4).contains(&q.kappa), "between 1 and 10000")?;
                c.in_range("angle", q.angle, (-360.0..=360.0).contains(&q.angle), "between -360 and 360 degrees")?;
                c.in_range("noise", q.noise, (0.0..=100.0).contains(&q.noise), "between 0 and 100")?;
                c.int_at_least("steps_per_epoch", q.steps_per_epoch as i64, 1)?;
                c.int_at_most("steps_per_epoch", q.steps_per_epoch as i64, 1000)
            }
            ProblemConfig::Logistic(l) => {
                let c = ConfigError::ctx("", "logistic");
                c.int_at_least("points", l.points as i64, MIN_POINTS as i64)?;
                c.int_at_most("points", l.points as i64, MAX_POINTS as i64)?;
                c.in_range("separation", l.separation, (0.0..=20.0).contains(&l.separation), "between 0 and 20")?;
                c.in_range("label_noise", l.label_noise, (0.0..=0.5).contains(&l.label_noise), "between 0 and 0.5")?;
                c.in_range(
                    "val_fraction",
                    l.val_fraction,
                    (0.05..=0.5).contains(&l.val_fraction),
                    "between 0.05 and 0.5",
                )?;
                c.int_at_least("batch_size", l.batch_size as i64, 1)?;
                let train = l.points - ((l.points as f64 * l.val_fraction).round() as usize);
                if l.batch_size > train {
                    return Err(c.err(
                        "batch_size",
                        ConfigErrorKind::OutOfRange,
                        format_args!("must be at most the {train} training points, got {}", l.batch_size),
                    ));
                }
                c.in_range("l2", l.l2, (0.0..=10.0).contains(&l.l2), "between 0 and 10")
            }
        }
    }

    /// SGD steps (batches) per epoch this problem will take.
    pub fn steps_per_epoch(&self) -> usize {
        match self {
            ProblemConfig::Quadratic(q) => q.steps_per_epoch.max(1),
            ProblemConfig::Logistic(l) => {
                let n = l.points.min(MAX_POINTS);
                let train = n - val_count(n, l.val_fraction);
                train.div_ceil(l.batch_size.clamp(1, train.max(1))).max(1)
            }
        }
    }

    /// Build the problem (the data set is drawn from `seed`).
    pub fn build(&self, seed: u64) -> Problem {
        match self {
            ProblemConfig::Quadratic(q) => Problem::Quadratic(Quadratic::from_config(q)),
            ProblemConfig::Logistic(l) => Problem::Logistic(Logistic::generate(l, seed)),
        }
    }
}

/// Points held out for validation out of `n`.
fn val_count(n: usize, fraction: f64) -> usize {
    ((n as f64 * fraction).round() as usize).min(n.saturating_sub(1))
}

/// A built problem: loss, gradient and what the charts need to know about it.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Quadratic(Quadratic),
    Logistic(Logistic),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quadratic {
    /// Symmetric 2×2 matrix A.
    pub a: [[f64; 2]; 2],
    /// The minimum.
    pub c: [f64; 2],
    /// Eigenvalues of A, largest first.
    pub eig: [f64; 2],
    pub noise: f64,
    pub steps_per_epoch: usize,
}

impl Quadratic {
    /// Where training starts.
    pub const START: [f64; 2] = [-2.0, 2.0];
    /// The minimum.
    pub const CENTER: [f64; 2] = [1.0, 0.5];

    pub fn from_config(q: &QuadraticConfig) -> Quadratic {
        let (l1, l2) = (1.0, 1.0 / q.kappa);
        let t = q.angle.to_radians();
        let (s, c) = t.sin_cos();
        // A = R diag(l1, l2) Rᵀ
        let a = [[l1 * c * c + l2 * s * s, (l1 - l2) * c * s], [(l1 - l2) * c * s, l1 * s * s + l2 * c * c]];
        Quadratic { a, c: Self::CENTER, eig: [l1, l2], noise: q.noise, steps_per_epoch: q.steps_per_epoch }
    }

    /// A given matrix and minimum (the reference traces' problems).
    pub fn new(a: [[f64; 2]; 2], c: [f64; 2]) -> Quadratic {
        let tr = a[0][0] + a[1][1];
        let det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        let disc = ((tr * tr / 4.0) - det).max(0.0).sqrt();
        Quadratic { a, c, eig: [tr / 2.0 + disc, tr / 2.0 - disc], noise: 0.0, steps_per_epoch: 1 }
    }

    pub fn loss(&self, w: &[f64]) -> f64 {
        let d = [w[0] - self.c[0], w[1] - self.c[1]];
        let ad = [self.a[0][0] * d[0] + self.a[0][1] * d[1], self.a[1][0] * d[0] + self.a[1][1] * d[1]];
        0.5 * (d[0] * ad[0] + d[1] * ad[1])
    }

    /// ∇L = ½(A + Aᵀ)(w − c), what autograd computes.
    pub fn grad(&self, w: &[f64], g: &mut [f64]) {
        let d = [w[0] - self.c[0], w[1] - self.c[1]];
        let s01 = 0.5 * (self.a[0][1] + self.a[1][0]);
        g[0] = self.a[0][0] * d[0] + s01 * d[1];
        g[1] = s01 * d[0] + self.a[1][1] * d[1];
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Logistic {
    /// Training inputs and labels.
    pub x: Vec<[f64; 2]>,
    pub y: Vec<f64>,
    /// Validation inputs and labels (empty when given a fixed data set).
    pub val_x: Vec<[f64; 2]>,
    pub val_y: Vec<f64>,
    pub l2: f64,
    pub batch_size: usize,
}

/// `e^z`, two of them at once, and `ln(1 + t)` for the training loop: the platform's libm
/// natively (glibc's are the fastest there), the core's own in wasm (faster than the wasm
/// libm, and two lanes per instruction: see `core::math`).
#[cfg(not(target_arch = "wasm32"))]
mod fast {
    pub fn exp(z: f64) -> f64 {
        z.exp()
    }
    pub fn exp_pair(z: [f64; 2]) -> [f64; 2] {
        [z[0].exp(), z[1].exp()]
    }
    pub fn ln_1p(t: f64) -> f64 {
        t.ln_1p()
    }
}
#[cfg(target_arch = "wasm32")]
use crate::core::math as fast;

/// The largest stable constant lr of SGD `opt` (at momentum `momentum`) along a direction of
/// curvature `curvature` (see [`Problem::stability_lr`]; its weight decay is not added here).
pub fn sgd_stability_limit(curvature: f64, momentum: f64, opt: &SgdConfig) -> Option<f64> {
    let (m, d) = (momentum, opt.dampening);
    let factor = if m == 0.0 {
        1.0
    } else if opt.nesterov {
        (1.0 + m * (2.0 - d)) / (1.0 + m)
    } else {
        (1.0 - d) / (1.0 + m)
    };
    (factor > 0.0 && curvature > 0.0).then(|| 2.0 / (factor * curvature))
}

/// PyTorch's `softplus` threshold (β = 1): above it, `softplus(z)` is `z` itself.
const SOFTPLUS_THRESHOLD: f64 = 20.0;

/// PyTorch's derivative of `softplus`: `e^z / (e^z + 1)`, 1 above the threshold.
fn softplus_grad(z: f64) -> f64 {
    if z > SOFTPLUS_THRESHOLD {
        1.0
    } else {
        let e = fast::exp(z);
        e / (e + 1.0)
    }
}

/// `z = w0·x0 + w1·x1 + bias` for data point `x`.
#[inline(always)]
fn logit(w: &[f64], x: [f64; 2]) -> f64 {
    w[0] * x[0] + w[1] * x[1] + w[2]
}

/// A product `Π (1 + e_k)` of factors with `e_k ≥ 0`, kept as `q = Π − 1` so that a product
/// of factors all close to 1 keeps its full relative precision (as `ln_1p` does for one).
/// Each factor updates `q ← (q + e) + q·e`: three IEEE operations on non-negative numbers (no
/// cancellation), each off by at most half an ulp, so after `n` factors `q` is within
/// `(1 + 2⁻⁵³)^(3n) − 1 ≈ 3n·2⁻⁵³` of itself, and `ln(1 + q)` within that much in absolute
/// terms. Before `q` could overflow (1 024 factors of 2 do), [`LogProduct::settle`] moves its
/// logarithm to `logs`; it is called every [`LogProduct::BLOCK`] factors, not per factor (a
/// check per factor cost a fifth of the losses' time in Chromium).
#[derive(Clone, Copy, Default)]
struct LogProduct {
    q: f64,
    logs: f64,
}

impl LogProduct {
    /// Factors (each at most 2) between two [`LogProduct::settle`] calls: from `q ≤ 2^500`
    /// they reach at most 2^628.
    const BLOCK: usize = 128;
    /// 2^500, the largest `q` [`LogProduct::settle`] leaves as it is.
    const SETTLE_ABOVE: f64 = f64::from_bits((1023 + 500) << 52);

    #[inline(always)]
    fn times(&mut self, e: f64) {
        self.q = self.q + e + self.q * e;
    }

    /// Keeps `q` at most 2^500, so that `BLOCK` more factors cannot overflow it, and the
    /// product of two settled `q` fits a double too ([`LogProduct::ln_merged`]).
    #[inline(always)]
    fn settle(&mut self) {
        if self.q > Self::SETTLE_ABOVE {
            self.logs += fast::ln_1p(self.q);
            self.q = 0.0;
        }
    }

    /// `ln Π (1 + e_k)` of this product and `other` together.
    fn ln_merged(mut self, mut other: LogProduct) -> f64 {
        self.settle();
        other.settle();
        let q = self.q + other.q + self.q * other.q;
        self.logs + other.logs + fast::ln_1p(q)
    }
}

/// `Σ_i (softplus(z_i) − y_i·z_i)` over the points `x[i]` (labels `y[i]`), with
/// `z_i = logit(w, x[i])` and PyTorch's `softplus` (`z` above the threshold 20, else
/// `ln(1 + e^z)`), calling `each(i, z_i)` for every point in order.
///
/// `ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|)`, and the sum of the logarithms is the logarithm of
/// a product ([`LogProduct`]): each point costs one `e^x`, two points per instruction in wasm,
/// and no logarithm. The two parts are sums of non-negative terms for labels in {0, 1}, and
/// each is within a few ulp per point of its exact value, as summing the per-point losses
/// in order is (the parity tolerance with PyTorch is 1e-12 + 1e-9·|ref|; the test
/// `loss_sum_is_within_a_few_ulp_of_the_exact_sum` measures it). This halved the per-epoch
/// losses, the heavy benchmark run's largest cost.
#[inline(always)]
fn loss_sum(x: &[[f64; 2]], y: &[f64], w: &[f64], mut each: impl FnMut(usize, f64)) -> f64 {
    debug_assert_eq!(x.len(), y.len(), "one label per data point");
    // Summed from −0 as `Sum` does (the terms are never −0 for 0/1 labels, so it changes nothing).
    let mut linear = -0.0;
    let (mut p0, mut p1) = (LogProduct::default(), LogProduct::default());
    // `max(z, 0)`, and `e^−|z|` but 0 above the threshold, where softplus(z) is z itself.
    let positive = |z: f64| if z > 0.0 { z } else { 0.0 };
    let small = |z: f64, e: f64| if z > SOFTPLUS_THRESHOLD { 0.0 } else { e };
    // Blocks of BLOCK pairs: each lane's product takes at most BLOCK factors between settles.
    for (b, (xb, yb)) in x.chunks(2 * LogProduct::BLOCK).zip(y.chunks(2 * LogProduct::BLOCK)).enumerate() {
        let start = b * 2 * LogProduct::BLOCK;
        let n = xb.len();
        let mut k = 0;
        while k + 1 < n {
            let (z0, z1) = (logit(w, xb[k]), logit(w, xb[k + 1]));
            linear += positive(z0) - yb[k] * z0;
            linear += positive(z1) - yb[k + 1] * z1;
            each(start + k, z0);
            each(start + k + 1, z1);
            let e = fast::exp_pair([-z0.abs(), -z1.abs()]);
            p0.times(small(z0, e[0]));
            p1.times(small(z1, e[1]));
            k += 2;
        }
        if k < n {
            // Only in the last block.
            let z = logit(w, xb[k]);
            linear += positive(z) - yb[k] * z;
            each(start + k, z);
            p0.times(small(z, fast::exp(-z.abs())));
        }
        p0.settle();
        p1.settle();
    }
    linear + p0.ln_merged(p1)
}

impl Logistic {
    /// Where training starts.
    pub const START: [f64; 3] = [-1.5, 1.5, 0.0];

    /// A seeded synthetic data set: two Gaussian clusters (unit spread) whose means are
    /// `separation` apart along a 30° direction, labels flipped with probability
    /// `label_noise`, shuffled, then split into train and validation.
    pub fn generate(cfg: &LogisticConfig, seed: u64) -> Logistic {
        let mut rng = Rng::new(seed);
        let (dx, dy) = (0.866_025_403_784_438_6 * cfg.separation / 2.0, 0.5 * cfg.separation / 2.0);
        let n = cfg.points.min(MAX_POINTS);
        let mut pts: Vec<([f64; 2], f64)> = (0..n)
            .map(|i| {
                let class = (i % 2) as f64;
                let sign = if class > 0.5 { 1.0 } else { -1.0 };
                let p = [sign * dx + rng.normal(), sign * dy + rng.normal()];
                let label = if rng.uniform() < cfg.label_noise { 1.0 - class } else { class };
                (p, label)
            })
            .collect();
        rng.shuffle(&mut pts);
        let n_val = val_count(n, cfg.val_fraction);
        let (val, train) = pts.split_at(n_val);
        Logistic {
            x: train.iter().map(|p| p.0).collect(),
            y: train.iter().map(|p| p.1).collect(),
            val_x: val.iter().map(|p| p.0).collect(),
            val_y: val.iter().map(|p| p.1).collect(),
            l2: cfg.l2,
            batch_size: cfg.batch_size.clamp(1, train.len().max(1)),
        }
    }

    /// A given data set with no validation split (the reference traces' problems).
    ///
    /// # Panics
    /// If `x` and `y` differ in length (one label per point).
    pub fn from_data(x: Vec<[f64; 2]>, y: Vec<f64>, l2: f64) -> Logistic {
        assert_eq!(x.len(), y.len(), "one label per data point");
        let batch_size = x.len().max(1);
        Logistic { x, y, val_x: Vec::new(), val_y: Vec::new(), l2, batch_size }
    }

    /// Mean loss over (`x`, `y`) plus the L2 term (0 for no points), calling `each(i, z_i)` for
    /// every point as [`loss_sum`] does.
    fn mean_loss(&self, x: &[[f64; 2]], y: &[f64], w: &[f64], each: impl FnMut(usize, f64)) -> f64 {
        if x.is_empty() {
            return 0.0;
        }
        loss_sum(x, y, w, each) / x.len() as f64 + 0.5 * self.l2 * (w[0] * w[0] + w[1] * w[1])
    }

    /// Full training loss.
    pub fn loss(&self, w: &[f64]) -> f64 {
        self.mean_loss(&self.x, &self.y, w, |_, _| {})
    }

    /// Gradient of the loss on a minibatch of training indices (the hot loop: one `exp`
    /// per point, no loss evaluated).
    pub fn grad(&self, w: &[f64], batch: &[usize], g: &mut [f64]) {
        // One point at a time: two lanes here measured slower in Chromium, both pairing the
        // gathered points directly and taking `e^z` in pairs from a chunk's gathered logits.
        let mut gz = [0.0; 3];
        for &i in batch {
            let xi = self.x[i];
            let d = softplus_grad(logit(w, xi)) - self.y[i];
            gz[0] += d * xi[0];
            gz[1] += d * xi[1];
            gz[2] += d;
        }
        let inv = 1.0 / batch.len().max(1) as f64;
        g[0] = gz[0] * inv + self.l2 * w[0];
        g[1] = gz[1] * inv + self.l2 * w[1];
        g[2] = gz[2] * inv;
    }

    /// Validation loss and accuracy (z > 0 ⇔ class 1) in one pass. Without a validation set
    /// they are the training set's: `train_loss` (the caller's [`Logistic::loss`] at `w`, not
    /// computed twice) and the accuracy, which needs no `exp`.
    pub fn val_metrics(&self, w: &[f64], train_loss: f64) -> (f64, f64) {
        let right = |i: usize, z: f64, y: &[f64]| (z > 0.0) == (y[i] > 0.5);
        if self.val_x.is_empty() {
            let n = self.x.len();
            let hits = (0..n).filter(|&i| right(i, logit(w, self.x[i]), &self.y)).count();
            return (train_loss, if n == 0 { 0.0 } else { hits as f64 / n as f64 });
        }
        let mut hits = 0usize;
        let loss = self.mean_loss(&self.val_x, &self.val_y, w, |i, z| hits += usize::from(right(i, z, &self.val_y)));
        (loss, hits as f64 / self.val_x.len() as f64)
    }
}

impl Problem {
    /// Number of weights: 2 (quadratic) or 3 (logistic: w0, w1, bias).
    pub fn dim(&self) -> usize {
        match self {
            Problem::Quadratic(_) => 2,
            Problem::Logistic(_) => 3,
        }
    }

    /// Where training starts.
    pub fn start(&self) -> [f64; 3] {
        match self {
            Problem::Quadratic(_) => [Quadratic::START[0], Quadratic::START[1], 0.0],
            Problem::Logistic(_) => Logistic::START,
        }
    }

    /// Full (training) loss.
    pub fn loss(&self, w: &[f64]) -> f64 {
        match self {
            Problem::Quadratic(q) => q.loss(w),
            Problem::Logistic(l) => l.loss(w),
        }
    }

    /// The largest Hessian eigenvalue of the quadratic (the logistic loss has no fixed one).
    pub fn lambda_max(&self) -> Option<f64> {
        match self {
            Problem::Quadratic(q) => Some(q.eig[0]),
            Problem::Logistic(_) => None,
        }
    }

    /// Largest stable constant lr on the quadratic for SGD `opt` at momentum μ = `momentum`
    /// (the optimizer's, or the value a scheduler cycles it to), with λ = λmax + weight_decay
    /// and d = dampening:
    ///
    /// ```text
    /// plain SGD (μ = 0):          2 / λ
    /// heavy ball (b ← μb + (1−d)g, w ← w − lr·b):          2(1+μ) / ((1−d)·λ)   (none if d = 1)
    /// Nesterov   (b ← μb + (1−d)g, w ← w − lr·(g + μb)):   2(1+μ) / ((1+μ(2−d))·λ)
    /// ```
    ///
    /// Per eigen-direction the iteration is linear in (w, lr·b); Jury's conditions on its
    /// characteristic polynomial put the binding root at −1 (`2(1+μ) − a(1+μ(2−d)) > 0` with
    /// a = lr·λ for Nesterov, `a(1−d) < 2(1+μ)` for heavy ball).
    pub fn stability_lr(&self, momentum: f64, opt: &SgdConfig) -> Option<f64> {
        sgd_stability_limit(self.lambda_max()? + opt.weight_decay, momentum, opt)
    }

    /// The minimiser when it is known in closed form (the quadratic's centre).
    pub fn minimum(&self) -> Option<[f64; 2]> {
        match self {
            Problem::Quadratic(q) => Some(q.c),
            Problem::Logistic(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `Σ (softplus(z) − y·z)` (PyTorch's threshold included) as exactly as a double allows:
    /// each term from the platform libm as a sum of two non-negative numbers (for labels in
    /// {0, 1}: `softplus(±z) = max(±z, 0) + ln(1 + e^−|z|)`), summed with Neumaier's compensation.
    fn reference_loss_sum(x: &[[f64; 2]], y: &[f64], w: &[f64]) -> f64 {
        let (mut sum, mut c) = (0.0f64, 0.0f64);
        for (xi, &yi) in x.iter().zip(y) {
            let z = logit(w, *xi);
            let signed = if yi == 1.0 { -z } else { z };
            let term = if z > 20.0 { z - yi * z } else { signed.max(0.0) + (-z.abs()).exp().ln_1p() };
            let t = sum + term;
            c += if sum.abs() >= term.abs() { (sum - t) + term } else { (term - t) + sum };
            sum = t;
        }
        sum + c
    }

    /// PyTorch's own arithmetic: `softplus(z) − y·z` per point, summed in order. For `y = 1`
    /// and `z` up to 20 it cancels, so it is off by up to half an ulp of `z` per point.
    fn pytorch_loss_sum(x: &[[f64; 2]], y: &[f64], w: &[f64]) -> f64 {
        x.iter()
            .zip(y)
            .map(|(xi, yi)| {
                let z = logit(w, *xi);
                (if z > 20.0 { z } else { z.exp().ln_1p() }) - yi * z
            })
            .sum()
    }

    #[test]
    fn loss_sum_is_within_a_few_ulp_of_the_exact_sum() {
        let mut rng = crate::core::rng::Rng::new(7);
        let (mut worst, mut worst_pytorch) = (0.0f64, 0.0f64);
        for case in 0..600 {
            let cfg = LogisticConfig {
                points: [1, 2, 3, 200, 1001, 5000][case % 6],
                separation: 20.0 * rng.uniform(),
                label_noise: [0.0, 0.1, 0.5][case % 3],
                val_fraction: 0.0,
                ..LogisticConfig::default()
            };
            let data = Logistic::generate(&cfg, case as u64);
            // Weights from tiny to huge, so that z spans the threshold, e^−|z| underflows, and
            // the losses range from 0 (all points far on their side) to ~1e4.
            let scale = 10f64.powf(-3.0 + 6.0 * rng.uniform());
            let w = [scale * rng.normal(), scale * rng.normal(), scale * rng.normal()];
            let got = loss_sum(&data.x, &data.y, &w, |_, _| {});
            let want = reference_loss_sum(&data.x, &data.y, &w);
            let pytorch = pytorch_loss_sum(&data.x, &data.y, &w);
            assert!(want >= 0.0 && want.is_finite(), "{cfg:?} {w:?}: {want}");
            if want == 0.0 {
                assert_eq!(got, 0.0, "{cfg:?} {w:?}");
                continue;
            }
            worst = worst.max((got - want).abs() / want);
            // What PyTorch's arithmetic gives is farther: that is its own rounding, and the
            // parity tests' 1e-12 absolute tolerance on the mean covers it.
            let z_ulps: f64 = data.x.iter().map(|xi| logit(&w, *xi).abs().min(20.0) * 2f64.powi(-52)).sum();
            assert!((pytorch - want).abs() <= z_ulps + 1e-13 * want, "{cfg:?} {w:?}: {pytorch} vs {want}");
            worst_pytorch = worst_pytorch.max((pytorch - want).abs() / want);
        }
        println!("worst relative error: loss_sum {worst:e}, PyTorch's arithmetic {worst_pytorch:e}");
        // At most 3n·2⁻⁵³ ≈ 1.7e-12 for n = 5000 (`LogProduct`); measured far below.
        assert!(worst <= 1e-13, "worst relative error {worst:e}");
    }

    #[test]
    fn without_a_validation_set_the_metrics_are_the_training_sets() {
        let cfg = LogisticConfig { points: 301, label_noise: 0.2, val_fraction: 0.0, ..LogisticConfig::default() };
        let data = Logistic::generate(&cfg, 5);
        assert!(data.val_x.is_empty());
        for w in [[0.3, -0.7, 0.1], [2.0, 1.0, -0.5], [0.0; 3]] {
            let mut right = 0;
            let loss = loss_sum(&data.x, &data.y, &w, |i, z| right += usize::from((z > 0.0) == (data.y[i] > 0.5)))
                / data.x.len() as f64;
            assert_eq!(data.val_metrics(&w, data.loss(&w)), (loss, right as f64 / data.x.len() as f64));
        }
        let empty = Logistic::from_data(Vec::new(), Vec::new(), 0.0);
        assert_eq!(empty.val_metrics(&[1.0; 3], empty.loss(&[1.0; 3])), (0.0, 0.0));
    }

    #[test]
    fn loss_sum_keeps_nan_and_infinity() {
        let (x, y) = (vec![[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0]], vec![1.0, 0.0, 1.0]);
        assert!(loss_sum(&x, &y, &[f64::NAN, 0.0, 0.0], |_, _| {}).is_nan());
        // +∞ − ∞ for the first point, as in PyTorch's arithmetic.
        assert!(pytorch_loss_sum(&x, &y, &[f64::INFINITY, 0.0, 0.0]).is_nan());
        assert!(loss_sum(&x, &y, &[f64::INFINITY, 0.0, 0.0], |_, _| {}).is_nan());
        assert_eq!(loss_sum(&x, &y, &[1e300, 0.0, 0.0], |_, _| {}), pytorch_loss_sum(&x, &y, &[1e300, 0.0, 0.0]));
        // A class-1 point at z = −∞: +∞, as in PyTorch's arithmetic.
        assert_eq!(loss_sum(&[[1.0, 0.0]], &[1.0], &[f64::NEG_INFINITY, 0.0, 0.0], |_, _| {}), f64::INFINITY);
        // PyTorch's threshold: at z = 20 still ln(1 + e^z), one ulp above it z itself.
        let at = |z: f64| loss_sum(&[[1.0, 0.0]], &[0.0], &[z, 0.0, 0.0], |_, _| {});
        assert_eq!(at(20.0), 20.0 + (-20f64).exp().ln_1p());
        assert!((at(20.0) - 20f64.exp().ln_1p()).abs() <= 4e-15, "{}", at(20.0));
        assert_eq!(at(20f64.next_up()), 20f64.next_up());
        // Far past where e^−|z| underflows: exactly the linear part.
        assert_eq!(loss_sum(&x, &y, &[-800.0, 0.0, 0.0], |_, _| {}), 800.0);
        let mut seen = Vec::new();
        loss_sum(&x, &y, &[0.5, 0.0, 0.0], |i, z| seen.push((i, z)));
        assert_eq!(seen, vec![(0, 0.5), (1, 1.0), (2, -0.5)]);
        // Every factor 2: the products pass 2^500 and are settled into logarithms many times.
        for n in [1, 255, 256, 257, 1001, 5000] {
            let (x, y) = (vec![[0.0, 0.0]; n], vec![0.0; n]);
            let mut seen = 0;
            let got = loss_sum(&x, &y, &[0.0; 3], |i, _| {
                assert_eq!(i, seen);
                seen += 1;
            });
            assert_eq!(seen, n);
            let want = n as f64 * std::f64::consts::LN_2;
            assert!((got - want).abs() <= 1e-14 * want, "{n} points: {got} vs {want}");
        }
    }

    fn fd_grad(f: impl Fn(&[f64]) -> f64, w: &[f64]) -> Vec<f64> {
        let h = 1e-6;
        (0..w.len())
            .map(|i| {
                let (mut a, mut b) = (w.to_vec(), w.to_vec());
                a[i] += h;
                b[i] -= h;
                (f(&a) - f(&b)) / (2.0 * h)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn quadratic_gradient_matches_finite_differences(
            kappa in 1.0f64..100.0, angle in -90.0f64..90.0, w0 in -5.0f64..5.0, w1 in -5.0f64..5.0
        ) {
            let q = Quadratic::from_config(&QuadraticConfig { kappa, angle, ..Default::default() });
            let w = [w0, w1];
            let mut g = [0.0; 2];
            q.grad(&w, &mut g);
            for (a, b) in g.iter().zip(fd_grad(|w| q.loss(w), &w)) {
                prop_assert!((a - b).abs() < 1e-5 * (1.0 + b.abs()), "{} vs {}", a, b);
            }
        }

        #[test]
        fn logistic_gradient_matches_finite_differences(
            seed in 0u64..1000, l2 in 0.0f64..1.0, w0 in -3.0f64..3.0, w1 in -3.0f64..3.0, b in -2.0f64..2.0
        ) {
            let p = Logistic::generate(&LogisticConfig { points: 40, l2, ..Default::default() }, seed);
            let w = [w0, w1, b];
            let mut g = [0.0; 3];
            let all: Vec<usize> = (0..p.x.len()).collect();
            p.grad(&w, &all, &mut g);
            for (a, b) in g.iter().zip(fd_grad(|w| p.loss(w), &w)) {
                prop_assert!((a - b).abs() < 1e-5 * (1.0 + b.abs()), "{} vs {}", a, b);
            }
        }
    }

    /// The limit is where SGD itself turns: on a 1-D bowl (λ = 1), 2% below it the weight
    /// shrinks over 3000 steps, 2% above it it grows, for plain SGD, heavy ball and Nesterov,
    /// with dampening and weight decay.
    #[test]
    fn the_stability_limit_is_where_sgd_turns() {
        let p = ProblemConfig::Quadratic(QuadraticConfig { kappa: 1.0, ..Default::default() }).build(0);
        assert_eq!(p.lambda_max(), Some(1.0));
        for (momentum, dampening, nesterov, weight_decay) in [
            (0.0, 0.0, false, 0.0),
            (0.9, 0.0, false, 0.0),
            (0.9, 0.5, false, 0.0),
            (0.5, 0.9, false, 0.3),
            (0.9, 0.0, true, 0.0),
            (0.3, 0.0, true, 0.5),
        ] {
            let opt = SgdConfig { lr: 0.1, momentum, dampening, nesterov, weight_decay };
            let limit = p.stability_lr(momentum, &opt).unwrap();
            let run = |lr: f64| {
                let mut sgd = crate::core::optim::Sgd::new(&opt);
                let mut w = [1.0];
                for _ in 0..3000 {
                    let mut g = [w[0]]; // L = w²/2 with λ = 1
                    sgd.step(&mut w, &mut g, lr, momentum);
                }
                w[0].abs()
            };
            assert!(run(limit * 0.98) < 1.0, "{opt:?}: converges below {limit}");
            assert!(run(limit * 1.02) > 1.0, "{opt:?}: grows above {limit}");
        }
        let all_damped = SgdConfig { momentum: 0.9, dampening: 1.0, ..Default::default() };
        assert_eq!(p.stability_lr(0.9, &all_damped), None, "the gradient never reaches the buffer");
    }

    #[test]
    fn the_same_surface_is_the_same_bowl_or_data() {
        let q =
            |kappa: f64, noise: f64| ProblemConfig::Quadratic(QuadraticConfig { kappa, noise, ..Default::default() });
        assert!(q(10.0, 0.0).same_surface(1, &q(10.0, 0.5), 2), "noise and seed move the path only");
        assert!(!q(10.0, 0.0).same_surface(1, &q(100.0, 0.0), 1));
        let l = |batch_size: usize, points: usize| {
            ProblemConfig::Logistic(LogisticConfig { batch_size, points, ..Default::default() })
        };
        assert!(l(20, 200).same_surface(1, &l(5, 200), 1));
        assert!(!l(20, 200).same_surface(1, &l(20, 300), 1));
        assert!(!l(20, 200).same_surface(1, &l(20, 200), 2), "another seed draws other data");
        assert!(!l(20, 200).same_surface(1, &q(10.0, 0.0), 1));
    }

    #[test]
    fn quadratic_eigenvalues_and_stability() {
        let p = ProblemConfig::Quadratic(QuadraticConfig { kappa: 4.0, angle: 45.0, ..Default::default() }).build(0);
        assert_eq!(p.lambda_max(), Some(1.0));
        let sgd = SgdConfig::default();
        assert_eq!(p.stability_lr(0.0, &sgd), Some(2.0));
        assert_eq!(p.stability_lr(0.5, &sgd), Some(3.0));
        let Problem::Quadratic(q) = &p else { unreachable!() };
        let e = Quadratic::new(q.a, q.c).eig;
        assert!((e[0] - 1.0).abs() < 1e-12 && (e[1] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn data_set_is_seeded_and_split() {
        let cfg = LogisticConfig::default();
        let a = Logistic::generate(&cfg, 1);
        assert_eq!(a, Logistic::generate(&cfg, 1));
        assert_ne!(a, Logistic::generate(&cfg, 2));
        assert_eq!((a.x.len(), a.val_x.len()), (160, 40));
    }

    #[test]
    fn rejects_bad_problem_configs() {
        let bad = ProblemConfig::Logistic(LogisticConfig { batch_size: 500, ..Default::default() });
        assert!(bad.validate().unwrap_err().message.contains("at most the 160 training points"));
        let bad = ProblemConfig::Quadratic(QuadraticConfig { kappa: 0.5, ..Default::default() });
        assert!(bad.validate().is_err());
        let bad = ProblemConfig::Quadratic(QuadraticConfig { noise: f64::NAN, ..Default::default() });
        assert!(bad.validate().is_err());
    }
}
