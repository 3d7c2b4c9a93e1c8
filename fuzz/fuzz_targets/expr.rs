//! `Expr::parse` on any text, with the variable named `epoch` and `x`, then `eval` at
//! ordinary and extreme points: nothing may panic, a value must be finite, and a
//! non-finite variable must be an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lr_playground::core::expr::Expr;
use lr_playground_fuzz::text;

const POINTS: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    99.0,
    9007199254740993.0,
    1e308,
    -1e308,
    f64::MAX,
    f64::MIN_POSITIVE,
    5e-324,
    -7.25,
];

fuzz_target!(|data: &[u8]| {
    let src = text(data);
    for var in ["epoch", "x"] {
        let Ok(e) = Expr::parse(&src, var) else { continue };
        assert_eq!(e.source(), src);
        for x in POINTS {
            if let Ok(v) = e.eval(x) {
                assert!(v.is_finite(), "`{src}` at {var} = {x:e} gave {v}");
                assert_eq!(e.eval(x).ok().map(f64::to_bits), Some(v.to_bits()), "eval is not deterministic");
            }
        }
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(e.eval(x).is_err(), "`{src}` at {var} = {x} must be an error");
        }
    }
});
