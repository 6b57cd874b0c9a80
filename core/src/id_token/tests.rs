//! The tests of [`super`].

use super::*;

fn encode(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

fn jwt_with(header: &str, claims: &str) -> String {
    format!("{}.{}.c2ln", encode(header), encode(claims))
}

fn read(jwt: &str) -> Result<IdToken, Error> {
    // Leaked: the native reader borrows the parsed value, and a test's few values may outlive it.
    IdToken::read(jwt, |text| {
        serde_json::from_str::<serde_json::Value>(text)
            .map(|value| &*Box::leak(Box::new(value)))
            .map_err(|e| e.to_string())
    })
}

fn claims(json: &str) -> IdTokenClaims {
    read(&jwt_with(r#"{"alg":"RS256"}"#, json)).unwrap().claims
}

const GOOD: &str = r#"{"iss":"https://idp.example.com","sub":"u1","aud":"client","exp":2000,
    "iat":1000,"nonce":"n-1","name":"Max Mule","email":"max@example.com"}"#;
const NOW: f64 = 1_500_000.0;

#[test]
fn a_token_decodes_into_claims_and_profile() {
    let token = read(&jwt_with(r#"{"alg":"RS256"}"#, GOOD)).unwrap();
    assert_eq!(token.claims.sub, "u1");
    assert_eq!(token.claims.iat, Some(1000.0));
    assert_eq!(token.profile.name.as_deref(), Some("Max Mule"));
    assert_eq!(token.profile.email.as_deref(), Some("max@example.com"));
    assert!(
        token
            .claims
            .validate(&crate::examples::attempt(), NOW)
            .is_ok()
    );
}

#[test]
fn garbage_and_unsigned_tokens_are_refused() {
    for bad in ["", "a.b", "a.b.c.d", "a.!!!.c", "a.gA.c"] {
        assert_eq!(read(bad).unwrap_err().code(), Code::InvalidIdToken, "{bad}");
    }
    for header in [r#"{"alg":"none"}"#, r#"{"alg":"NONE"}"#, r#"{}"#, "[]", "x"] {
        let refused = read(&jwt_with(header, GOOD)).unwrap_err();
        assert_eq!(refused.code(), Code::InvalidIdToken, "{header}");
    }
    assert_eq!(
        read(&jwt_with(
            r#"{"alg":"RS256"}"#,
            &GOOD.replace(r#""aud":"client""#, r#""aud":7"#)
        ))
        .unwrap_err()
        .message(),
        "The id_token's claims are invalid: the `aud` field is not a string or an array of strings."
    );
}

#[test]
fn claims_for_another_attempt_issuer_or_client_are_refused() {
    for (from, to) in [
        (r#""nonce":"n-1""#, r#""nonce":"n-2""#),
        (r#""nonce":"n-1""#, r#""x":1"#),
        (
            r#""iss":"https://idp.example.com""#,
            r#""iss":"https://evil.example""#,
        ),
        (r#""aud":"client""#, r#""aud":"other""#),
        (r#""aud":"client""#, r#""aud":["client","other"]"#),
        (r#""aud":"client""#, r#""aud":"client","azp":"other""#),
        (r#""exp":2000"#, r#""exp":1000"#),
        (r#""iat":1000"#, r#""iat":1801"#),
    ] {
        let c = claims(&GOOD.replace(from, to));
        assert_eq!(
            c.validate(&crate::examples::attempt(), NOW)
                .unwrap_err()
                .code(),
            Code::InvalidIdToken,
            "{to}"
        );
    }
    for (from, to) in [
        (
            r#""aud":"client""#,
            r#""aud":["client","other"],"azp":"client""#,
        ),
        (r#""aud":"client""#, r#""aud":"client","azp":"client""#),
        (r#""iat":1000"#, r#""iat":1799"#),
    ] {
        let c = claims(&GOOD.replace(from, to));
        assert!(c.validate(&crate::examples::attempt(), NOW).is_ok(), "{to}");
    }
}

#[test]
fn a_renewed_token_must_be_for_the_same_user_and_sign_in() {
    let original = claims(&GOOD.replace(r#""iat":1000"#, r#""iat":1000,"auth_time":900"#));
    let renewed = |from: &str, to: &str| claims(&GOOD.replace(from, to));
    let check = |c: IdTokenClaims| {
        c.validate_renewal("https://idp.example.com", "client", Some(&original), NOW)
    };
    assert!(check(renewed(r#""iat":1000"#, r#""iat":1400"#)).is_ok());
    assert!(check(renewed(r#""iat":1000"#, r#""iat":1400,"auth_time":900"#)).is_ok());
    for (from, to) in [
        (r#""sub":"u1""#, r#""sub":"mallory""#),
        (
            r#""iss":"https://idp.example.com""#,
            r#""iss":"https://evil.example""#,
        ),
        (
            r#""aud":"client""#,
            r#""aud":["client","other"],"azp":"client""#,
        ),
        (r#""aud":"client""#, r#""aud":"other""#),
        (r#""iat":1000"#, r#""iat":1400,"auth_time":1300"#),
        (r#""aud":"client""#, r#""aud":"client","azp":"client""#),
    ] {
        assert_eq!(
            check(renewed(from, to)).unwrap_err().code(),
            Code::InvalidIdToken,
            "{to}"
        );
    }
    let fresh = renewed(r#""sub":"u1""#, r#""sub":"mallory""#);
    assert!(
        fresh
            .validate_renewal("https://idp.example.com", "client", None, NOW)
            .is_ok(),
        "without an original token, the usual checks only"
    );
    assert!(
        fresh
            .validate_renewal("https://idp.example.com", "other", None, NOW)
            .is_err()
    );
}
