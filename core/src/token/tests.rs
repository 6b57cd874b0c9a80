//! The tests of [`super`].

use super::*;
use crate::session::Renewal;

fn pending() -> PendingAttempt {
    crate::examples::attempt()
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

#[test]
fn a_code_is_redeemed_where_its_attempt_recorded() {
    let at_endpoint = TokenRequest::code("c0de", &pending());
    assert_eq!(
        (at_endpoint.to, at_endpoint.url.as_str()),
        (Party::TokenEndpoint, "https://idp.example.com/token")
    );
    let Body::Form(form) = &at_endpoint.body else {
        panic!("{at_endpoint:?}")
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        [
            "grant_type",
            "code",
            "code_verifier",
            "client_id",
            "redirect_uri"
        ]
        .map(field),
        [
            Some("authorization_code"),
            Some("c0de"),
            Some("verifier"),
            Some("client"),
            Some("https://app.example.com/cb")
        ]
    );

    let through_backend = PendingAttempt {
        exchange_uri: Some("https://app.example.com/api/exchange".into()),
        ..pending()
    };
    let request = TokenRequest::code("c0de", &through_backend);
    assert_eq!(
        (request.to, request.url.as_str()),
        (Party::Backend, "https://app.example.com/api/exchange")
    );
    let json = |fields: Vec<(&'static str, &str)>| {
        Body::Json(Value::Object(
            fields.into_iter().map(|(k, v)| (k, v.into())).collect(),
        ))
    };
    assert_eq!(
        request.body,
        json(vec![
            ("code", "c0de"),
            ("code_verifier", "verifier"),
            ("redirect_uri", "https://app.example.com/cb"),
            ("client_id", "client"),
        ])
    );
}

#[test]
fn a_session_renews_the_way_it_was_given() {
    let endpoint = Some("https://idp.example.com/token");
    let with_token = Renewal::RefreshToken("rt".into());
    let request = TokenRequest::refresh(
        &with_token,
        "client",
        Some("https://app.example.com/api"),
        endpoint,
    )
    .unwrap();
    assert_eq!(
        request.to,
        Party::TokenEndpoint,
        "a refresh token of its own goes to the token endpoint"
    );
    assert_eq!(
        request.body,
        Body::Form("grant_type=refresh_token&refresh_token=rt&client_id=client".into())
    );

    let request = TokenRequest::refresh(
        &Renewal::Backend,
        "client",
        Some("https://app.example.com/api"),
        None,
    )
    .unwrap();
    assert_eq!(
        (request.to, request.url.as_str()),
        (Party::Backend, "https://app.example.com/api")
    );
    let no_token = Value::Object(vec![
        ("grant_type", "refresh_token".into()),
        ("client_id", "client".into()),
    ]);
    assert_eq!(request.body, Body::Json(no_token), "no token in it");

    for (renewal, exchange_uri) in [
        (Renewal::Backend, None),
        (Renewal::Never, Some("https://app.example.com/api")),
    ] {
        let refused =
            TokenRequest::refresh(&renewal, "client", exchange_uri, endpoint).unwrap_err();
        assert_eq!(refused.code(), Code::RenewalFailed, "{renewal:?}");
    }
}
