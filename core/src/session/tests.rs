//! The tests of [`super`].

use super::*;
use crate::fields::parse;

fn profile(json: &str) -> Profile {
    parse(json).unwrap()
}

#[test]
fn display_name_prefers_the_full_name() {
    assert_eq!(
        profile(r#"{"sub":"u","name":"Max Mule","email":"m@x"}"#).display_name(),
        Some("Max Mule")
    );
    assert_eq!(
        profile(r#"{"sub":"u","name":" ","email":"m@x"}"#).display_name(),
        Some("m@x")
    );
    assert_eq!(profile(r#"{"sub":"u"}"#).display_name(), Some("u"));
    assert_eq!(profile("{}").display_name(), None);
}

#[test]
fn claims_are_cleaned_and_capped() {
    let p = profile(&format!(
        r#"{{"name":"Eve\u202e lanreT\u0007","email":"{}"}}"#,
        "e".repeat(10_000)
    ));
    assert_eq!(p.name.as_deref(), Some("Eve lanreT"));
    assert_eq!(p.email.unwrap().chars().count(), MAX_CLAIM_CHARS);
}

#[test]
fn lifetimes_are_range_checked() {
    let response: TokenResponse =
        parse(r#"{"access_token":"at","token_type":"Bearer","expires_in":1e308}"#).unwrap();
    let s = Session::new(
        response,
        Profile::default(),
        "openid",
        Renewal::Never,
        1000.0,
    );
    assert_eq!(s.expires_at, Some(1000.0 + MAX_LIFETIME_S as f64 * 1000.0));
}

#[test]
fn merge_fills_gaps_from_the_same_user_only() {
    let mut p = profile(r#"{"sub":"u","email":"m@x"}"#);
    assert!(p.merge(profile(r#"{"sub":"u","name":"Max","email":"other@x"}"#)));
    assert_eq!(
        (p.name.as_deref(), p.email.as_deref()),
        (Some("Max"), Some("m@x"))
    );
    assert!(!p.merge(profile(r#"{"sub":"someone-else","given_name":"Eve"}"#)));
    assert_eq!(p.given_name, None);
}

#[test]
fn sessions_expire_and_hide_the_refresh_token_from_the_page() {
    let response: TokenResponse = parse(
        r#"{"access_token":"at","token_type":"Bearer","expires_in":60,"refresh_token":"rt"}"#,
    )
    .unwrap();
    let renewal = Renewal::after_exchange(response.refresh_token.clone(), false, false);
    assert_eq!(renewal, Renewal::RefreshToken("rt".into()));
    let s = Session::new(
        response,
        Profile::default(),
        "full offline_access",
        renewal,
        1000.0,
    );
    assert_eq!(s.expires_at, Some(61_000.0));
    assert_eq!(
        s.scope, "full offline_access",
        "requested scopes stand in for an absent scope"
    );
    assert!(!s.is_expired(60_999.0));
    assert!(s.is_expired(61_000.0));
    assert_eq!(
        s.public().to_json(),
        Value::Object(vec![
            ("accessToken", "at".into()),
            ("tokenType", "Bearer".into()),
            ("expiresAt", 61_000.0.into()),
            ("scope", "full offline_access".into()),
            ("idToken", Value::Null),
            ("profile", Value::Object(vec![])),
        ]),
        "the event's detail: every field, null when absent, no refresh token"
    );
    assert_eq!(
        Session {
            renewal: Renewal::Backend,
            ..s.clone()
        }
        .public(),
        s.public(),
        "nor word of a backend"
    );
    assert_eq!(
        s.deadline(1000.0),
        Some(61_000.0 - 15_000.0),
        "a quarter ahead"
    );
    let with_profile = Session {
        profile: profile(r#"{"sub":"u","email":"m@x"}"#),
        ..s
    };
    assert_eq!(
        Session::from_json(&with_profile.to_json()),
        Ok(with_profile),
        "storage round-trips"
    );
}

fn session(json: &str) -> Session {
    parse(json).unwrap()
}

#[test]
fn deadlines_renew_ahead_or_expire_on_time() {
    let with_refresh = session(
        r#"{"accessToken":"a","tokenType":"Bearer","expiresAt":3600000,"scope":"s","idToken":null,
            "profile":{},"refreshToken":"r"}"#,
    );
    assert_eq!(
        with_refresh.deadline(0.0),
        Some(3_540_000.0),
        "a minute ahead"
    );
    assert_eq!(
        with_refresh.deadline(3_600_000.0),
        Some(3_600_000.0),
        "due now"
    );
    let without = Session {
        renewal: Renewal::Never,
        ..with_refresh.clone()
    };
    assert_eq!(without.deadline(0.0), Some(3_600_000.0));
    let backend = Session {
        renewal: Renewal::Backend,
        ..with_refresh.clone()
    };
    assert_eq!(backend.deadline(0.0), Some(3_540_000.0), "renews ahead too");
    let forever = Session {
        expires_at: None,
        ..with_refresh
    };
    assert_eq!(forever.deadline(0.0), None);
}

#[test]
fn renewal_keeps_the_user_and_the_refresh_token_unless_rotated() {
    let old = session(
        r#"{"accessToken":"a","tokenType":"Bearer","expiresAt":1,"scope":"openid offline_access",
            "idToken":"old.id.token","profile":{"name":"Max"},"refreshToken":"r1"}"#,
    );
    let response = |json: &str| parse::<TokenResponse>(json).unwrap();
    let kept = old.renewed(
        response(r#"{"access_token":"b","token_type":"Bearer","expires_in":10}"#),
        5000.0,
    );
    assert_eq!(kept.access_token, "b");
    assert_eq!(kept.expires_at, Some(15_000.0));
    assert_eq!(kept.renewal, Renewal::RefreshToken("r1".into()));
    assert_eq!(kept.id_token.as_deref(), Some("old.id.token"));
    assert_eq!(kept.scope, "openid offline_access");
    assert_eq!(kept.profile.name.as_deref(), Some("Max"));
    let rotated = old.renewed(
        response(
            r#"{"access_token":"c","token_type":"Bearer","refresh_token":"r2","id_token":"new.id.token"}"#,
        ),
        0.0,
    );
    assert_eq!(
        (&rotated.renewal, rotated.id_token.as_deref()),
        (&Renewal::RefreshToken("r2".into()), Some("new.id.token"))
    );
    assert_eq!(rotated.expires_at, None);
}

#[test]
fn a_backend_session_stays_one_and_never_takes_a_refresh_token() {
    let old = Session {
        renewal: Renewal::Backend,
        ..session(r#"{"accessToken":"a","tokenType":"Bearer","scope":"s","profile":{}}"#)
    };
    let stored = old.to_json();
    assert_eq!(
        Session::from_json(&stored),
        Ok(old.clone()),
        "storage round-trips"
    );
    let renewed = old.renewed(
        parse(r#"{"access_token":"b","token_type":"Bearer","refresh_token":"leaked"}"#).unwrap(),
        0.0,
    );
    assert_eq!(renewed.renewal, Renewal::Backend);
}

#[test]
fn a_code_exchange_decides_how_the_session_renews() {
    let token = || Some("rt".to_owned());
    // Public client: the token endpoint's refresh token, if any.
    assert_eq!(
        Renewal::after_exchange(token(), false, false),
        Renewal::RefreshToken("rt".into())
    );
    assert_eq!(Renewal::after_exchange(None, false, true), Renewal::Never);
    // Backend: it keeps the refresh token when it says so (the hint); one in its answer (a backend of the
    // earlier contract) is never kept, and such a session ends at expiry.
    assert_eq!(Renewal::after_exchange(None, true, true), Renewal::Backend);
    assert_eq!(
        Renewal::after_exchange(token(), true, true),
        Renewal::Backend
    );
    assert_eq!(
        Renewal::after_exchange(token(), true, false),
        Renewal::Never
    );
    assert_eq!(Renewal::after_exchange(None, true, false), Renewal::Never);
}

#[test]
fn the_end_session_url_carries_the_hint_the_client_and_the_way_back() {
    let s = session(
        r#"{"accessToken":"a","tokenType":"Bearer","scope":"openid","idToken":"h.p.s","profile":{}}"#,
    );
    let url = end_session_url(
        "https://idp.example.com/logout",
        &s,
        "c 1",
        "https://app.example.com/?x=1",
    );
    assert_eq!(
        url,
        "https://idp.example.com/logout?id_token_hint=h.p.s&client_id=c+1&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F%3Fx%3D1"
    );
    let without = Session {
        id_token: None,
        ..s
    };
    assert!(
        end_session_url(
            "https://idp.example.com/logout?t=1",
            &without,
            "c",
            "https://a/"
        )
        .starts_with("https://idp.example.com/logout?t=1&client_id=c&")
    );
}
