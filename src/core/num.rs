//! Reading numbers from text without core's `str::parse::<f64>`.
//!
//! Rust's float parser (`core::num::dec2flt`, with its 10 kB table of powers of five) is
//! about 14 kB of the gzipped wasm. [`parse_f64`] gives the same results: it checks Rust's
//! grammar by hand, computes the common cases exactly itself, and leaves the rest to the
//! platform, which also rounds correctly: `str::parse` natively, JavaScript's `parseFloat`
//! in the browser (the only web call in the core, behind `cfg(target_arch = "wasm32")`).
//! `tests/parse_f64.rs` compares it with `str::parse` bit for bit natively and
//! `tests/web.rs` does the same in Chromium.

/// The powers of ten that are exact in an `f64` (5²² < 2⁵³).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Exactly what `s.parse::<f64>().ok()` gives, bit for bit (NaN's sign included), without
/// Rust's float parser in the wasm.
///
/// Accepts what [`f64::from_str`](std::str::FromStr) accepts and nothing else: an optional
/// `+` or `-`, then `inf`, `infinity` or `nan` in any case, or digits with an optional `.`
/// (`5`, `5.`, `.5`, `5.25`, at least one digit) and an optional exponent (`e` or `E`, an
/// optional sign, at least one digit). No whitespace, no `_`, no hexadecimal.
///
/// The value is correctly rounded (round half to even), as `str::parse` rounds. When the
/// digits, read as an integer, are at most 2⁵³ and the decimal exponent is within ±22, it
/// is one exact multiplication or division by an exact power of ten (Clinger's fast path);
/// zero is zero whatever the exponent; everything else goes to `str::parse` natively and
/// to JavaScript's `parseFloat` in wasm, given only text of the grammar above, which is
/// valid JavaScript number syntax too. (ECMAScript lets an engine round loosely past the
/// 20th significant digit; V8, SpiderMonkey and JavaScriptCore round correctly, and
/// `tests/web.rs` checks halfway cases of hundreds of digits in Chromium.)
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let special = |word: &[u8]| body.eq_ignore_ascii_case(word);
    let v = if special(b"inf") || special(b"infinity") {
        f64::INFINITY
    } else if special(b"nan") {
        f64::NAN
    } else {
        let d = decimal(body)?;
        if d.mantissa == 0 {
            0.0
        } else if !d.inexact && d.mantissa <= 1 << 53 && d.exp.unsigned_abs() <= 22 {
            let m = d.mantissa as f64;
            let p = POW10[d.exp.unsigned_abs() as usize];
            if d.exp >= 0 {
                m * p
            } else {
                m / p
            }
        } else {
            return Some(fallback(s));
        }
    };
    Some(if neg { -v } else { v })
}

/// A decimal number `mantissa × 10^exp`, as far as it was read.
struct Decimal {
    mantissa: u64,
    /// The written exponent saturates at ±10⁹, far beyond where it matters.
    exp: i64,
    /// More than 19 significant digits (trailing zeros included): `mantissa` and `exp` are
    /// not the value.
    inexact: bool,
}

/// Checks `digits [. digits] [(e|E) [sign] digits]` with at least one mantissa digit and
/// reads it; `None` for anything else.
fn decimal(b: &[u8]) -> Option<Decimal> {
    let mut d = Decimal { mantissa: 0, exp: 0, inexact: false };
    let mut i = 0;
    let mut seen_digit = false;
    let mut significant = 0;
    let mut in_fraction = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                let digit = u64::from(c - b'0');
                if d.mantissa != 0 || digit != 0 {
                    if significant == 19 {
                        d.inexact = true;
                    } else {
                        d.mantissa = d.mantissa * 10 + digit;
                        significant += 1;
                    }
                }
                if in_fraction && !d.inexact {
                    d.exp -= 1;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        let neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i == b.len() {
            return None;
        }
        let mut e: i64 = 0;
        for &c in &b[i..] {
            if !c.is_ascii_digit() {
                return None;
            }
            e = (e * 10 + i64::from(c - b'0')).min(1_000_000_000);
        }
        d.exp += if neg { -e } else { e };
    }
    Some(d)
}

/// The correctly rounded value of `s`, which [`decimal`] accepted.
#[cfg(not(target_arch = "wasm32"))]
fn fallback(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

/// The correctly rounded value of `s`, which [`decimal`] accepted: JavaScript's
/// `parseFloat` reads the same syntax (leading zeros, `5.`, `.5`, `+`, `E` included).
#[cfg(target_arch = "wasm32")]
fn fallback(s: &str) -> f64 {
    js_sys::parse_float(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(parse_f64(s).map(f64::to_bits), want, "{s:?}");
    }

    #[test]
    fn grammar() {
        for s in ["0", "-0", "+0", ".5", "5.", "-.5e-3", "1E5", "1e+5", "inf", "-Infinity", "NaN", "-nan", "007"] {
            assert!(parse_f64(s).is_some(), "{s:?}");
            same(s);
        }
        for s in
            ["", ".", "+", "-", "e5", "1e", "1e+", ".e5", "--1", " 1", "1 ", "1_0", "0x10", "infin", "nanx", "1.2.3"]
        {
            assert_eq!(parse_f64(s), None, "{s:?}");
            same(s);
        }
    }

    #[test]
    fn fast_path_and_fallback() {
        for s in ["0.1", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992", "9007199254740993", "1e308", "1e309"] {
            same(s);
        }
        assert_eq!(parse_f64("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(parse_f64("0e999999999999999999999"), Some(0.0));
    }
}
