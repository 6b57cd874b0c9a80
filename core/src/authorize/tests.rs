//! The tests of [`super`].

use super::*;
use crate::config::Config;
use crate::json::{FromJson, ToJson};
use crate::region::Region;
use std::collections::HashMap;

fn config(scopes: &str) -> Config {
    let attrs = HashMap::from([
        ("clientid", "client 1"),
        ("redirecturi", "https://app.example.com/cb?x=1&y=2"),
        ("scopes", scopes),
    ]);
    Config::from_attributes(
        |n| attrs.get(n).map(|v| v.to_string()),
        "https://app.example.com/",
        crate::web_url::parse_native,
    )
    .unwrap()
}

fn attempt(scopes: &str) -> PendingAttempt {
    let metadata = Region::Us.documented_metadata();
    PendingAttempt::new(
        config(scopes).client(),
        &metadata,
        [[1; 32], [2; 32], [3; 32]],
        1_000_000.0,
    )
}

fn query_of(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').unwrap().1;
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[test]
fn authorize_url_carries_every_parameter_encoded() {
    let a = attempt("openid read:full");
    let url = a.authorize_url(&Region::Us.documented_metadata());
    assert!(url.starts_with("https://anypoint.mulesoft.com/accounts/api/v2/oauth2/authorize?"));
    assert!(
        url.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1%26y%3D2"),
        "{url}"
    );
    assert!(url.contains("client_id=client+1"), "{url}");
    let q: HashMap<_, _> = query_of(&url).into_iter().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "client 1");
    assert_eq!(q["redirect_uri"], "https://app.example.com/cb?x=1&y=2");
    assert_eq!(q["scope"], "openid read:full");
    assert_eq!(q["state"], a.state);
    assert_eq!(q["code_challenge"], pkce::challenge(&a.code_verifier));
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["nonce"], *a.nonce.as_ref().unwrap());
    assert!(
        !url.contains(&a.code_verifier),
        "the verifier never leaves the browser"
    );
}

#[test]
fn no_nonce_without_openid_and_endpoint_query_is_kept() {
    let a = attempt("full");
    assert_eq!(a.nonce, None);
    let mut m = Region::Us.documented_metadata();
    m.authorization_endpoint = "https://idp.example.com/auth?tenant=t".into();
    let url = a.authorize_url(&m);
    assert!(
        url.starts_with("https://idp.example.com/auth?tenant=t&response_type=code&"),
        "{url}"
    );
    assert!(query_of(&url).iter().all(|(k, _)| k != "nonce"));
}

#[test]
fn offline_access_asks_for_consent() {
    let metadata = Region::Us.documented_metadata();
    let q: HashMap<_, _> = query_of(&attempt("openid offline_access").authorize_url(&metadata))
        .into_iter()
        .collect();
    assert_eq!(q["prompt"], "consent");
    let url = attempt("openid offline_accessx").authorize_url(&metadata);
    assert!(query_of(&url).iter().all(|(k, _)| k != "prompt"));
}

#[test]
fn state_verifier_and_nonce_are_distinct_random_values() {
    let a = attempt("openid");
    assert_ne!(a.state, a.code_verifier);
    assert_ne!(a.state, *a.nonce.as_ref().unwrap());
    assert_eq!(
        a.issuer,
        "https://anypoint.mulesoft.com/accounts/api/v2/oauth2"
    );
    assert_eq!(a.client_id, "client 1");
    assert_eq!(
        a.token_endpoint,
        "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/token"
    );
}

#[test]
fn only_an_element_of_the_same_client_issuer_and_backend_may_finish_it() {
    let a = attempt("openid");
    let mine = config("openid").client();
    assert!(a.is_for(&mine));
    let other_issuer = Client {
        issuer: "https://evil.example".into(),
        ..mine.clone()
    };
    let other_client = Client {
        client_id: "other".into(),
        ..mine.clone()
    };
    let other_backend = Client {
        exchange_uri: Some("https://evil.example/steal".into()),
        ..mine.clone()
    };
    for client in [other_issuer, other_client, other_backend] {
        assert!(!a.is_for(&client), "{client:?}");
    }
}

#[test]
fn attempts_round_trip_through_storage() {
    for a in [attempt("openid"), attempt("full")] {
        assert_eq!(PendingAttempt::from_json(&a.to_json()), Ok(a));
    }
}

#[test]
fn attempts_expire_after_ten_minutes() {
    let a = attempt("openid");
    assert!(!a.is_expired(1_000_000.0 + ATTEMPT_LIFETIME_MS));
    assert!(a.is_expired(1_000_000.0 + ATTEMPT_LIFETIME_MS + 1.0));
    assert!(a.is_expired(1_000_000.0 - ATTEMPT_LIFETIME_MS - 1.0));
}
