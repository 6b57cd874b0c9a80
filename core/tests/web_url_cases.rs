//! The element's rule for its URLs (https, or http on a loopback host; no credentials, no spaces), on one table
//! of cases that the JavaScript which repeats the rule runs too: `www/server.js` (the issuer,
//! tests/browser/server-node.test.mjs) and the playground's check (tests/browser/playground.test.mjs).

use anypoint_signin_core::web_url::{check_web_url, parse_native};

#[test]
fn the_shared_url_cases() {
    let cases: Vec<(String, bool)> =
        serde_json::from_str(include_str!("web-url-cases.json")).unwrap();
    assert!(cases.len() >= 20);
    for (url, ok) in cases {
        assert_eq!(check_web_url(&url, parse_native).is_ok(), ok, "{url:?}");
    }
}
