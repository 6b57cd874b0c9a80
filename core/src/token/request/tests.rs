//! The tests of [`super`].

use super::*;
use crate::error::Code;

fn pending() -> PendingAttempt {
    crate::examples::attempt()
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
