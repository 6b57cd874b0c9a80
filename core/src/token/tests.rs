//! The tests of [`super`].

use super::*;

fn pending() -> PendingAttempt {
    PendingAttempt::example()
}

fn response(json: &str) -> Result<TokenResponse, String> {
    crate::fields::parse(json)
}

#[test]
fn token_request_is_form_encoded_with_the_verifier() {
    let body = token_request_body("a b&c", &pending());
    assert_eq!(
        body,
        "grant_type=authorization_code&code=a+b%26c&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb\
         &client_id=client&code_verifier=verifier"
    );
    assert_eq!(
        refresh_request_body("r/t+", "client"),
        "grant_type=refresh_token&refresh_token=r%2Ft%2B&client_id=client"
    );
    assert_eq!(
        revocation_body("t", "access_token", "client"),
        "token=t&token_type_hint=access_token&client_id=client"
    );
}

#[test]
fn a_complete_response_parses_and_validates() {
    let r = response(
        r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"scope":"openid",
            "id_token":"x.y.z","refresh_token":"rt","extra":true}"#,
    )
    .unwrap();
    assert_eq!(r.expires_in, Some(3600));
    assert_eq!(r.refresh_token.as_deref(), Some("rt"));
    assert!(r.validate(&pending()).is_ok());
    let kept = r.clone().confidential();
    assert_eq!(kept.refresh_token, None);
    assert_eq!(kept.access_token, r.access_token);
}

#[test]
fn malformed_responses_are_refused() {
    for (json, why) in [
        (
            r#"{"token_type":"Bearer"}"#,
            "the `access_token` field is missing",
        ),
        (
            r#"{"access_token":1,"token_type":"Bearer"}"#,
            "the `access_token` field is not a string",
        ),
        (
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#,
            "the `expires_in` field is not a whole number",
        ),
        (r#""a""#, "it is not a JSON object"),
    ] {
        assert_eq!(response(json), Err(why.to_owned()), "{json}");
    }
    let no_id = response(r#"{"access_token":"a","token_type":"Bearer"}"#).unwrap();
    assert_eq!(
        no_id.validate(&pending()).unwrap_err().code(),
        Code::InvalidTokenResponse
    );
    let mac = response(r#"{"access_token":"a","token_type":"mac","id_token":"x"}"#).unwrap();
    assert_eq!(
        mac.validate(&pending()).unwrap_err().code(),
        Code::InvalidTokenResponse
    );
    let empty = response(r#"{"access_token":"","token_type":"Bearer","id_token":"x"}"#).unwrap();
    assert!(empty.validate(&pending()).is_err());
    let expired = response(r#"{"access_token":"a","token_type":"Bearer","expires_in":0}"#).unwrap();
    assert_eq!(
        expired.validate_renewal().unwrap_err().code(),
        Code::InvalidTokenResponse
    );
    let mut no_openid = pending();
    no_openid.nonce = None;
    assert!(
        no_id.validate(&no_openid).is_ok(),
        "without openid no id_token is needed"
    );
}

#[test]
fn error_responses_parse() {
    let e: ErrorResponse = crate::fields::parse(r#"{"error":"invalid_grant"}"#).unwrap();
    assert_eq!(e.error, "invalid_grant");
    assert_eq!(e.error_description, None);
    let described: ErrorResponse =
        crate::fields::parse(r#"{"error":"invalid_grant","error_description":"spent"}"#).unwrap();
    assert_eq!(described.error_description.as_deref(), Some("spent"));
}

#[test]
fn the_earlier_elements_camel_case_token_reads_as_a_token_response() {
    let EarlierTokenResponse(r) = crate::fields::parse(
        r#"{"accessToken":"at","expiresIn":60,"scope":"full","refreshToken":"rt"}"#,
    )
    .unwrap();
    assert_eq!(
        (r.access_token.as_str(), r.token_type.as_str()),
        ("at", "Bearer")
    );
    assert_eq!(
        (r.expires_in, r.refresh_token.as_deref()),
        (Some(60), Some("rt"))
    );
    assert_eq!(
        crate::fields::parse::<EarlierTokenResponse>(r#"{"access_token":"snake"}"#),
        Err("the `accessToken` field is missing".to_owned())
    );
}

#[test]
fn the_backend_bodies_carry_no_token() {
    // The contract of anypoint-signin-server and anypoint-signin/server: the refresh token stays in their cookie.
    assert_eq!(
        BackendRefresh { client_id: "app" }.to_json(),
        Value::Object(vec![
            ("grant_type", "refresh_token".into()),
            ("client_id", "app".into())
        ])
    );
    assert_eq!(
        BackendSignOut { client_id: "app" }.to_json(),
        Value::Object(vec![
            ("action", "sign_out".into()),
            ("client_id", "app".into())
        ])
    );
}
