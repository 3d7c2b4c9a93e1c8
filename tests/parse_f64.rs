//! `core::num::parse_f64` gives exactly what `str::parse::<f64>` gives, natively (`tests/web.rs`
//! checks the same strings in the browser, where its fallback is JavaScript's `parseFloat`).

mod float_strings;

use lr_playground::core::num::parse_f64;
use proptest::prelude::*;

fn mismatch(s: &str) -> Option<String> {
    let want = s.parse::<f64>().ok();
    let got = parse_f64(s);
    (got.map(f64::to_bits) != want.map(f64::to_bits)).then(|| format!("{s:?}: parse_f64 {got:?}, str::parse {want:?}"))
}

#[test]
fn parse_f64_is_str_parse_bit_for_bit() {
    let cases = float_strings::cases(2000);
    let failures: Vec<String> = cases.iter().filter_map(|s| mismatch(s)).collect();
    let first = failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n");
    assert!(failures.is_empty(), "{} of {} differ, the first:\n{first}", failures.len(), cases.len());
    let accepted = cases.iter().filter(|s| s.parse::<f64>().is_ok()).count();
    let rejected = cases.len() - accepted;
    assert!(cases.len() > 100_000 && rejected > 1000 && accepted > 90_000, "{accepted} accepted, {rejected} rejected");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Short text from the characters of the grammar and a few others.
    #[test]
    fn parse_f64_agrees_on_grammar_soup(s in "[0-9.eE+\\-_ xinfatyINFATY]{0,12}") {
        prop_assert!(mismatch(&s).is_none(), "{}", mismatch(&s).unwrap_or_default());
    }

    /// Anything at all.
    #[test]
    fn parse_f64_agrees_on_any_text(s in "\\PC{0,30}") {
        prop_assert!(mismatch(&s).is_none(), "{}", mismatch(&s).unwrap_or_default());
    }

    /// Well-formed numbers with up to 40 digits and exponents of every size.
    #[test]
    fn parse_f64_agrees_on_numbers(s in "[+-]?[0-9]{0,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{1,4})?") {
        prop_assert!(mismatch(&s).is_none(), "{}", mismatch(&s).unwrap_or_default());
    }
}
