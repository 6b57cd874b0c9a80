//! The tests of [`super`].

use super::*;
use crate::json::{FromJson, ToJson, Value, parse};

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
        profile: parse(r#"{"sub":"u","email":"m@x"}"#).unwrap(),
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
fn a_bound_session_keeps_its_key_thumbprint_through_storage_and_renewals() {
    let response: TokenResponse =
        parse(r#"{"access_token":"a","token_type":"DPoP","refresh_token":"r"}"#).unwrap();
    let bound = Session {
        dpop_jkt: Some("jkt-1".into()),
        ..Session::new(
            response,
            Profile::default(),
            "openid",
            Renewal::RefreshToken("r".into()),
            0.0,
        )
    };
    assert!(bound.is_bound());
    let stored = bound.to_json();
    assert_eq!(Session::from_json(&stored), Ok(bound.clone()));
    let renewed = bound.renewed(
        parse(r#"{"access_token":"b","token_type":"DPoP","refresh_token":"r2"}"#).unwrap(),
        1.0,
    );
    assert_eq!(renewed.dpop_jkt.as_deref(), Some("jkt-1"));
    // An unbound session's stored form has no such field.
    let unbound = Session {
        dpop_jkt: None,
        ..bound
    };
    let Value::Object(fields) = unbound.to_json() else {
        panic!("a session is an object");
    };
    assert!(!fields.iter().any(|(name, _)| *name == "dpopJkt"));
}
