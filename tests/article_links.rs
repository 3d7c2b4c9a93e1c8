//! Every playground embedded in the tutorial article (assets/article.html) decodes without a
//! notice, and every control it asks for exists in that set-up.

use lr_playground::core::params::sim_params;
use lr_playground::core::url::decode;

#[test]
fn article_embeds_are_valid_set_ups() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/article.html")).unwrap();
    let mut count = 0;
    for part in html.split("src=\"./#").skip(1) {
        let frag = part.split('"').next().unwrap().replace("&amp;", "&");
        let d = decode(&frag);
        assert!(d.notices.is_empty(), "{frag}: {:?}", d.notices);
        assert!(d.view.embed, "{frag}: not embed mode");
        let keys: Vec<String> = sim_params(&d.cfg).into_iter().map(|s| s.key).collect();
        for c in d.view.controls.iter().flatten() {
            assert!(keys.contains(c), "{frag}: control `{c}` is not a setting of this set-up");
        }
        for s in d.view.show.iter().flatten() {
            assert!(["lr", "loss", "params", "code", "formula"].contains(&s.as_str()), "{frag}: unknown panel {s}");
        }
        count += 1;
    }
    assert_eq!(count, 6, "expected the six embedded playgrounds");
}
