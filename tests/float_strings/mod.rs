//! Strings to compare `core::num::parse_f64` with `str::parse::<f64>` on, bit for bit: the
//! grammar's edge cases, the exact halfway points between neighbouring doubles (and strings
//! just below and above them), doubles of every magnitude as Rust writes them, and random
//! decimal text, valid or not. Shared by `tests/parse_f64.rs` (natively, where `parse_f64`
//! falls back to `str::parse`) and `tests/web.rs` (in the browser, where it falls back to
//! JavaScript's `parseFloat`). Deterministic: the same strings on every run.

/// Text that `f64::from_str` accepts or rejects for a reason worth checking.
const FIXED: &[&str] = &[
    // grammar
    "", ".", "+", "-", "+.", "-.", "e", "E", "e5", ".e5", "+e5", "1e", "1E", "1e+", "1e-", "1e+-5", "1e5e5", "1ee5",
    "1.2.3", "1..2", "--1", "++1", "+-1", "-+1", " 1", "1 ", "\t1", "1\n", "1_0", "1_000.5", "_1", "0x10", "0X1p3",
    "1,5", "1.5f", "1d", "１", "٣", "1e5.5", "1e٣", "0.", ".0", "0.0", "00", "000.000", "5.", ".5", "-.5", "+.5", "-5.",
    "+5.", "1.e5", ".5e5", "5.E-3", "1E5", "1e+5", "1e-5", "+1", "-1", "+0", "-0", "-0.0", "-.0", "-0e0", "-0e-999",
    "0e999999999999999999999999", "-0e+99999999999999999999", "0000000000000000000000000000001",
    "0.000000000000000000000000000001e30", "100000000000000000000000", "1000000000000000000000000e-24",
    "1.000000000000000000000000000", "0.1000000000000000000000000", "12345678901234567890", "1234567890123456789",
    "9999999999999999999", "18446744073709551615", "18446744073709551616", // 19, 20 digits, u64 max
    // inf and nan in every case and with signs
    "inf", "INF", "Inf", "iNf", "-inf", "+inf", "infinity", "Infinity", "INFINITY", "-infinity", "+Infinity",
    "infinit", "infinityy", "infinity1", "in", "i", "-i", "nan", "NaN", "NAN", "nAn", "-nan", "+nan", "-NaN", "nan1",
    "nana", "na", "n", "+-inf", "- inf", "inf ",
    // the fast path's limits
    "9007199254740992", "9007199254740993", "9007199254740994", "9007199254740995", "-9007199254740993",
    "9007199254740992e22", "9007199254740993e22", "9007199254740992e-22", "9007199254740993e-22", "1e22", "1e23",
    "1e-22", "1e-23", "123e20", "123e21", "5e22", "5e-22", "2e22", "1.5e22", "0.5e23", "10e21", "10e-23",
    "4.5e-22", "0.0000000000000000000001", "0.00000000000000000000001", "10000000000000000000000",
    "100000000000000000000000", "1e0000000000000000000022", "1e00000000000000000000023", "1e-0000000000000000000022",
    "1e-00000000000000000000023", "1e+0000000000000000000000000000000000000000000000000000000000000000005",
    // ordinary values
    "0.1", "0.2", "0.3", "0.7", "1.1", "2.675", "3.14159", "0.95", "1e-3", "5e-4", "2.5E+4", "30", "80", "0.001",
    "123.456", "-7.25", "1e6", "1e15", "1e16", "1e17", "9e15", "8.999999999999999e15",
    // the range's ends
    "1e308", "-1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
    "-1e309", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999",
    "179769313486231580793728971405301e276", "179769313486231580793728971405302e276", "1e99999999999999999999",
    "-1e99999999999999999999", "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308",
    "2.225073858507201e-308", "4.9406564584124654e-324", "4.9e-324", "5e-324", "-5e-324", "3e-324", "2.5e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "2.47032822920623272088e-324", "1e-323", "1e-324",
    "-1e-324", "1e-99999999999999999999", "1e-400", "7.2911220195563975e-304", "4.4501477170144023e-308",
    // halfway cases of the literature
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "9007199254740993.0000000000000000000000000000000000001", "9007199254740992.9999999999999999999999999999999999999",
    "0.500000000000000166533453693773481063544750213623046875",
    "3.518437208883201171875e13", "62.5364939768271845828", "8.10109172351e-10", "1.50000000000000011102230246251565e0",
    "9007199254740991.4999999999999999999999999999999995", "1448997445238699", "30078505129381147446200",
    "1777820000000000000001", "0.3932922657273", "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
];

/// A fixed-seed xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// The exact decimal digits of `m × 2^e` (m > 0): `(digits, k)` with value = digits × 10^k.
fn exact_decimal(m: u64, e: i32) -> (String, i32) {
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![m % BASE, m / BASE % BASE, m / BASE / BASE];
    // m × 2^e, or m × 5^-e × 10^e.
    let (factor, chunk, mut times, k) = if e >= 0 { (2u64, 29, e, 0) } else { (5u64, 12, -e, e) };
    while times > 0 {
        let n = times.min(chunk);
        times -= n;
        let mul = factor.pow(n as u32);
        let mut carry = 0;
        for limb in &mut limbs {
            let v = *limb * mul + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut digits = limbs.last().unwrap().to_string();
    for limb in limbs.iter().rev().skip(1) {
        digits.push_str(&format!("{limb:09}"));
    }
    (digits, k)
}

/// The halfway point between positive finite `x` and the next double up (for `f64::MAX`,
/// 2¹⁰²⁴), exactly, and text just below and just above it, in two layouts.
fn halfway(x: f64, out: &mut Vec<String>) {
    let bits = x.to_bits();
    let exp_field = (bits >> 52) as i32 & 0x7ff;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if exp_field == 0 { (frac, -1074) } else { (frac | 1 << 52, exp_field - 1075) };
    let (digits, k) = exact_decimal(2 * m + 1, e - 1);
    let sci = |d: &str, k: i32| {
        let exp = k + d.len() as i32 - 1;
        if d.len() == 1 {
            format!("{d}e{exp}")
        } else {
            format!("{}.{}e{exp}", &d[..1], &d[1..])
        }
    };
    out.push(format!("{digits}e{k}"));
    out.push(sci(&digits, k));
    // just above: one more digit
    out.push(format!("{digits}1e{}", k - 1));
    out.push(sci(&format!("{digits}000000000000000000001"), k - 21));
    // just below: truncated
    for n in [16, 17, 18, 19, 20, 21, 22, 25, 30, 40, 100] {
        if n < digits.len() {
            let cut = &digits[..n];
            let k2 = k + (digits.len() - n) as i32;
            out.push(format!("{cut}e{k2}"));
            out.push(sci(cut, k2));
        }
    }
    // as an integer or a plain decimal fraction when it is short enough
    if k == 0 && digits.len() < 400 {
        out.push(format!("{digits}.0"));
    } else if k < 0 && (-k as usize) < 400 {
        let pad = (-k as usize).saturating_sub(digits.len());
        let d = format!("{}{digits}", "0".repeat(pad + 1));
        let point = d.len() - (-k as usize);
        out.push(format!("{}.{}", &d[..point], &d[point..]));
    }
}

/// Random text in and around the decimal grammar.
fn random_decimal(rng: &mut Rng) -> String {
    // Any digits, or only 0s and 9s (carries), or mostly 0s (short mantissas, halfway-like).
    let digits = |rng: &mut Rng, max: u64| -> String {
        let n = rng.below(max + 1);
        let style = rng.below(4);
        (0..n)
            .map(|_| match style {
                0 => ['0', '9'][rng.below(2) as usize],
                1 => ['0', '0', '0', '1', '5'][rng.below(5) as usize],
                _ => char::from(b'0' + rng.below(10) as u8),
            })
            .collect()
    };
    let mut s = String::new();
    s.push_str(rng.pick(&["", "", "", "-", "+"]));
    let max = if rng.below(8) == 0 { 40 } else { 20 };
    let int = digits(rng, max);
    s.push_str(&int);
    if rng.below(3) > 0 {
        s.push('.');
        let max = if rng.below(8) == 0 { 40 } else { 20 };
        let frac = digits(rng, max);
        s.push_str(&frac);
    }
    if rng.below(3) > 0 {
        s.push_str(rng.pick(&["e", "E"]));
        s.push_str(rng.pick(&["", "", "-", "+"]));
        let exp = match rng.below(10) {
            0 => digits(rng, 25),
            1 => String::new(),
            _ => (rng.below(350)).to_string(),
        };
        s.push_str(&exp);
    }
    if rng.below(20) == 0 {
        // damage it
        let at = rng.below(s.len() as u64 + 1) as usize;
        s.insert_str(at, rng.pick(&[" ", "_", "x", ".", "e", "+", "-", "\u{a0}", "inf", "0"]));
    }
    s
}

/// All the strings: the fixed ones, then `scale` × (halfway points, written doubles,
/// random decimal text).
pub fn cases(scale: usize) -> Vec<String> {
    let mut out: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    // Halfway points around the doubles of the literature and random ones, of every magnitude
    // and between 1e-30 and 1e30.
    let fixed = [1.0, 0.1, 2.0, 1e22, 1e23, 9007199254740992.0, f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e-323];
    let mut xs: Vec<f64> = fixed.to_vec();
    for _ in 0..scale {
        xs.push(f64::from_bits(rng.next() >> 1)); // any positive bits; NaN/inf skipped below
        let m = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 + 0.5;
        xs.push(m * 10f64.powi(rng.below(61) as i32 - 30));
        xs.push(f64::from_bits(rng.below(1 << 20))); // subnormal
    }
    for &x in &xs {
        if x.is_finite() && x > 0.0 {
            halfway(x, &mut out);
            let neg = -x;
            for v in [x, neg] {
                out.push(format!("{v}"));
                out.push(format!("{v:e}"));
                out.push(format!("{v:?}"));
                out.push(format!("{v:.16e}"));
                out.push(format!("{v:.17e}"));
                out.push(format!("{v:.20e}"));
                out.push(format!("{v:.25e}"));
            }
        }
    }
    for _ in 0..scale * 20 {
        out.push(random_decimal(&mut rng));
    }
    out
}
