//! Where a chart's axis puts its ticks: "nice" round values (1, 2, 2.5, 5 × 10^k) for linear
//! axes, and for log axes either whole decades, the 1–2–5 sequence, or round values spaced
//! evenly in value (never evenly in the logarithm, whose round-offs would not be round).
//! Pure arithmetic, so the UI's charts are tested natively.

/// `v` rounded to `digits` significant digits (0, ±∞ and NaN as they are, and values too
/// small for the scaling, below about 1e-290, too).
pub fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let p = 10f64.powi(digits - 1 - v.abs().log10().floor() as i32);
    if !p.is_finite() {
        return v;
    }
    (v * p).round() / p
}

/// The lowest value a log axis over `values` shows: the smallest positive one that is not
/// cut off from the larger ones by a stretch of more than 2^20 (about six decades) holding
/// no value at all. What lies below such a gap is rounding noise (LinearLR with
/// `end_factor=0` ends at ±1e-18 instead of 0, in PyTorch too) or a jump that would squash
/// the rest into the top of the axis; it is drawn on the floor, as zeros are. A decay by a
/// constant factor (ExponentialLR) has no such gap, however many decades it spans. `None`
/// without a positive finite value. One pass, binary exponents only (no logarithms).
pub fn log_floor(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    // The smallest value seen per binary exponent (subnormals share exponent 0).
    let mut least = [f64::INFINITY; 2048];
    for v in values {
        if v > 0.0 && v.is_finite() {
            let e = (v.to_bits() >> 52) as usize & 0x7ff;
            least[e] = least[e].min(v);
        }
    }
    let top = (0..2048).rev().find(|&e| least[e].is_finite())?;
    let (mut floor, mut empty) = (least[top], 0);
    for e in (0..top).rev() {
        if least[e].is_finite() {
            (floor, empty) = (least[e], 0);
        } else {
            empty += 1;
            if empty > 20 {
                break;
            }
        }
    }
    Some(floor)
}

/// A round step (1, 2, 2.5 or 5 × 10^k) that splits `range` into about `n` parts.
pub fn nice_step(range: f64, n: usize) -> f64 {
    let raw = (range / n.max(1) as f64).abs().max(1e-300);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The top of a `0..=top` axis over values up to `v > 0` with about `n` ticks: `v` plus a
/// little headroom, rounded up to a multiple of the axis's [`nice_step`], so that the top
/// line is labelled (a peak of 0.5 reads against 0.6, not an unlabelled 0.54).
pub fn nice_top(v: f64, n: usize) -> f64 {
    let v = v * 1.04;
    let mut step = nice_step(v, n);
    let mut top = (v / step).ceil() * step;
    // The axis's step is taken from `top`, which may round to the next nice step.
    let axis = nice_step(top, n);
    if axis > step {
        step = axis;
        top = (v / step).ceil() * step;
    }
    top
}

/// Multiples of a [`nice_step`] for about `n` parts of `lo..=hi` (`[lo]` if the range is
/// empty or not finite; at most 50).
pub fn linear(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.is_nan() || lo.is_nan() || hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let step = nice_step(hi - lo, n);
    let first = (lo / step).ceil();
    let mut out = Vec::new();
    let mut k = first;
    while k * step <= hi + step * 1e-9 && out.len() < 50 {
        let v = k * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    out
}

/// Ticks of a log axis whose ends are `lo` and `hi` in log10 units: `(log10(value), value)`.
/// - Two decades or more: whole decades, every 1, 2, 3, 5, 10, ... decades (about five ticks).
/// - One to two decades: the values 1, 2 and 5 × 10^k inside the range.
/// - Less than a decade: round values evenly spaced in value (1, 1.1, 1.2, ...).
pub fn log(lo: f64, hi: f64) -> Vec<(f64, f64)> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let span = hi - lo;
    let inside = |k: f64| k >= lo - 1e-9 && k <= hi + 1e-9;
    if span >= 2.0 {
        let step = nice_step(span, 5).max(1.0).round();
        let mut out = Vec::new();
        let mut k = (lo / step).ceil() * step;
        while k <= hi + 1e-9 && out.len() < 50 {
            out.push((k, 10f64.powi(k as i32)));
            k += step;
        }
        return out;
    }
    if span >= 1.0 {
        let mut out = Vec::new();
        for d in lo.floor() as i32..=hi.ceil() as i32 {
            for m in [1.0, 2.0, 5.0] {
                let v = round_sig(m * 10f64.powi(d), 12);
                let k = if m == 1.0 { d as f64 } else { v.log10() };
                if inside(k) {
                    out.push((k, v));
                }
            }
        }
        return out;
    }
    let (vlo, vhi) = (10f64.powf(lo), 10f64.powf(hi));
    linear(vlo, vhi, 5)
        .into_iter()
        .filter(|&v| v > 0.0)
        .map(|v| round_sig(v, 12))
        .map(|v| (v.log10(), v))
        .filter(|&(k, _)| inside(k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(1.0, 4), 0.25);
        assert_eq!(nice_step(300.0, 5), 100.0);
        assert_eq!(nice_step(0.9, 4), 0.25);
        assert_eq!(linear(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(linear(-0.3, 0.3, 3), vec![-0.2, 0.0, 0.2]);
        assert_eq!(linear(1.0, 1.0, 4), vec![1.0]);
        assert_eq!(linear(f64::NAN, 1.0, 4).len(), 1);
    }

    #[test]
    fn nice_tops_are_labelled_ticks_above_the_data() {
        for v in [0.1, 0.5, 0.98, 1.3, 2.099, 7.0, 1e-4, 3.3e5, 0.0123] {
            let top = nice_top(v, 5);
            assert!(top >= v * 1.04 && top <= v * 2.0, "{v} → {top}");
            let ticks = linear(0.0, top, 5);
            let last = *ticks.last().unwrap();
            assert!((last - top).abs() <= top * 1e-9, "{v}: top {top} is a tick, ticks {ticks:?}");
        }
        assert_eq!(linear(0.0, nice_top(0.5, 5), 5), [0.0, 0.2, 0.4, 0.6000000000000001]);
    }

    #[test]
    fn round_sig_keeps_the_leading_digits() {
        assert_eq!(round_sig(0.123456, 2), 0.12);
        assert_eq!(round_sig(98765.0, 3), 98800.0);
        assert_eq!(round_sig(-0.0015, 1), -0.002);
        assert_eq!(round_sig(0.0, 3), 0.0);
        assert!(round_sig(f64::NAN, 3).is_nan());
    }

    /// Every tick of a log axis sits at the logarithm of the value it is labelled with.
    fn assert_placed(ticks: &[(f64, f64)]) {
        for &(k, v) in ticks {
            assert!((k - v.log10()).abs() < 1e-12, "{k} is not log10({v})");
        }
    }

    #[test]
    fn log_axes_over_many_decades_tick_at_whole_decades() {
        // ExponentialLR(gamma=0.1) from 0.1 over 40 epochs: 1e-41 ..= 0.1.
        let t = log(-41.0, -0.9);
        assert_placed(&t);
        let ks: Vec<f64> = t.iter().map(|q| q.0).collect();
        assert_eq!(ks, vec![-40.0, -30.0, -20.0, -10.0]);
        let t = log(-4.2, 0.1);
        assert_eq!(t.iter().map(|q| q.1).collect::<Vec<_>>(), vec![1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
    }

    #[test]
    fn log_axes_over_one_or_two_decades_tick_at_1_2_5() {
        let t = log(0.02f64.log10(), 0.9f64.log10());
        assert_placed(&t);
        assert_eq!(t.iter().map(|q| q.1).collect::<Vec<_>>(), vec![0.02, 0.05, 0.1, 0.2, 0.5]);
    }

    #[test]
    fn log_axes_within_a_decade_tick_at_round_values() {
        // A loss from 1.0 to 1.45: the labels are the values, not rounded powers of ten.
        let t = log(0.99f64.log10(), 1.45f64.log10());
        assert_placed(&t);
        assert_eq!(t.iter().map(|q| q.1).collect::<Vec<_>>(), vec![1.0, 1.1, 1.2, 1.3, 1.4]);
        let t = log(0.3f64.log10(), 0.95f64.log10());
        assert_placed(&t);
        assert_eq!(t.iter().map(|q| q.1).collect::<Vec<_>>(), vec![0.4, 0.6, 0.8]);
    }

    #[test]
    fn log_floors_follow_decays_and_drop_rounding_noise() {
        // ExponentialLR(gamma=0.1) from 0.1 over 40 epochs: every value, down to 1e-41.
        let decay: Vec<f64> = (0..=40).map(|k| 0.1 * 0.1f64.powi(k)).collect();
        assert_eq!(log_floor(decay.iter().copied()), Some(decay[40]));
        // gamma = 0.01, the slider's smallest: 6.6 octaves per epoch, still one run.
        let fast: Vec<f64> = (0..=60).map(|k| 0.01f64.powi(k)).collect();
        assert_eq!(log_floor(fast.iter().copied()), Some(fast[60]));
        // LinearLR(end_factor=0) as PyTorch computes it: ±1e-18 where the LR is 0.
        assert_eq!(log_floor([0.1, 0.08, 0.06, 0.04, 0.02, 1.3e-18, 0.0, -2e-18]), Some(0.02));
        assert_eq!(log_floor([0.0, 0.0]), None);
        assert_eq!(log_floor([f64::NAN, f64::INFINITY, -1.0]), None);
        assert_eq!(log_floor([5e-324, 1e-320]), Some(5e-324)); // subnormals
        assert_eq!(round_sig(1e-300, 12), 1e-300); // the scaling would overflow
    }

    #[test]
    fn log_axes_without_a_range_have_no_ticks() {
        assert!(log(1.0, 1.0).is_empty());
        assert!(log(f64::NEG_INFINITY, 0.0).is_empty());
        assert!(log(0.0, f64::NAN).is_empty());
    }
}
