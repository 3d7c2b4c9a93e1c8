//! Where a parameter's slider stops: the value at each position of an `<input type=range>`
//! and the position of a value. Every position has one value, written with as few digits as
//! it needs, and that value maps back to its own position; so an arrow key moves one stop
//! either way and lands on round numbers where there are any (gamma 0.1, 0.5, 0.95).
//! - Linear: stops a round step apart (1, 2 or 5 × 10^k, about 1000 of them), on multiples
//!   of the step.
//! - Log: 1000 stops evenly spaced in the logarithm, each value rounded to the fewest
//!   significant digits (2 to 4) that keep it on its stop.

use crate::core::ticks::round_sig;

/// Stops of a log slider, and the most a linear one has.
pub const STOPS: f64 = 1000.0;

/// A slider's scale over `min..=max`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    Linear { min: f64, max: f64, step: f64 },
    Log { min: f64, max: f64 },
}

/// The smallest of 1, 2 and 5 × 10^k that is at least `raw`.
fn step_at_least(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|&s| s >= raw * (1.0 - 1e-12)).unwrap_or(10.0 * mag)
}

impl Scale {
    /// A log scale when asked for and `0 < min < max`, else linear.
    pub fn new(min: f64, max: f64, log: bool) -> Scale {
        if log && min > 0.0 && max > min {
            Scale::Log { min, max }
        } else {
            let span = (max - min).abs().max(f64::MIN_POSITIVE);
            Scale::Linear { min, max, step: step_at_least(span / STOPS) }
        }
    }

    /// The last position (the first is 0).
    pub fn last(&self) -> f64 {
        match *self {
            Scale::Linear { min, max, step } => ((max - min) / step).round().max(1.0),
            Scale::Log { .. } => STOPS,
        }
    }

    /// The position of `v`, not rounded (the browser rounds it to a stop), clamped to the
    /// slider.
    pub fn position(&self, v: f64) -> f64 {
        let p = match *self {
            Scale::Linear { min, step, .. } => (v - min) / step,
            Scale::Log { min, max } => (v.max(min).log10() - min.log10()) / (max.log10() - min.log10()) * STOPS,
        };
        if p.is_nan() {
            0.0
        } else {
            p.clamp(0.0, self.last())
        }
    }

    /// The value at stop `pos`.
    pub fn value(&self, pos: f64) -> f64 {
        let pos = if pos.is_nan() { 0.0 } else { pos.round().clamp(0.0, self.last()) };
        match *self {
            Scale::Linear { min, max, step } => {
                // Multiples of the step (clean decimals), kept inside the range.
                let first = (min / step).round();
                round_sig((first + pos) * step, 12).clamp(min, max)
            }
            Scale::Log { min, max } => {
                let (a, b) = (min.log10(), max.log10());
                let v = 10f64.powf(a + (b - a) * pos / STOPS);
                (2..=4)
                    .map(|d| round_sig(v, d))
                    .find(|&t| (self.position(t) - pos).abs() < 0.5)
                    .unwrap_or_else(|| round_sig(v, 4))
                    .clamp(min, max)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stop's value, written as the controls write it and read back, lands on that
    /// stop.
    fn assert_round_trips(s: Scale) {
        let n = s.last() as usize;
        for pos in 0..=n {
            let v = s.value(pos as f64);
            let text = crate::core::schedulers::fmt_num(v);
            let back = crate::core::num::parse_f64(&text).unwrap();
            assert_eq!(s.position(back).round() as usize, pos, "{s:?}: stop {pos} has {v}, written {text}");
        }
    }

    #[test]
    fn linear_stops_are_round_multiples_of_a_round_step() {
        let g = Scale::new(0.01, 1.0, false); // gamma
        assert_eq!(g, Scale::Linear { min: 0.01, max: 1.0, step: 0.001 });
        assert_eq!(g.last(), 990.0);
        assert_eq!(g.value(0.0), 0.01);
        assert_eq!(g.value(990.0), 1.0);
        for want in [0.1, 0.5, 0.95, 0.99] {
            assert_eq!(g.value(g.position(want).round()), want);
        }
        // One stop right of 0.1 and back.
        let p = g.position(0.1).round();
        assert_eq!(g.value(p + 1.0), 0.101);
        assert_eq!(g.value(g.position(0.101).round() - 1.0), 0.1);
        let angle = Scale::new(-90.0, 90.0, false);
        assert_eq!(angle.value(angle.position(45.0).round()), 45.0);
        assert_eq!(angle.value(angle.position(0.0).round()), 0.0);
        for s in [g, angle, Scale::new(0.0, 0.05, false), Scale::new(0.9, 1.0, false), Scale::new(0.05, 0.5, false)] {
            assert_round_trips(s);
        }
    }

    #[test]
    fn log_stops_are_short_and_arrow_keys_move_one_stop_either_way() {
        let lr = Scale::new(1e-4, 10.0, true);
        assert_round_trips(lr);
        assert_round_trips(Scale::new(1e-5, 1.0, true));
        assert_round_trips(Scale::new(1e-6, 1e-4, true)); // two decades: 4 digits needed
        assert_round_trips(Scale::new(1.0, 1e6, true));
        let p = lr.position(0.1).round();
        assert_eq!(lr.value(p), 0.1);
        let right = lr.value(p + 1.0);
        assert!(right > 0.1 && right < 0.103, "{right}");
        assert_eq!(lr.value(lr.position(right).round() - 1.0), 0.1, "left from {right} is 0.1 again");
        assert_eq!(lr.value(0.0), 1e-4);
        assert_eq!(lr.value(STOPS), 10.0);
    }

    #[test]
    fn positions_of_values_outside_or_not_numbers_stay_on_the_slider() {
        let g = Scale::new(0.01, 1.0, false);
        assert_eq!(g.position(-5.0), 0.0);
        assert_eq!(g.position(7.0), g.last());
        assert_eq!(g.position(f64::NAN), 0.0);
        let lr = Scale::new(1e-4, 10.0, true);
        assert_eq!(lr.position(0.0), 0.0);
        assert_eq!(lr.position(1e9), STOPS);
        assert_eq!(g.value(f64::NAN), 0.01);
    }

    #[test]
    fn degenerate_ranges_do_not_divide_by_zero() {
        let s = Scale::new(1.0, 1.0, false);
        assert!(s.last() >= 1.0);
        assert!(s.value(0.0).is_finite());
        let l = Scale::new(0.0, 1.0, true); // a log scale needs min > 0
        assert!(matches!(l, Scale::Linear { .. }));
    }
}
