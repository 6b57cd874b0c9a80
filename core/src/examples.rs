//! Values the core's tests share (compiled for tests only).

use crate::authorize::PendingAttempt;
use crate::config::Config;

/// An attempt (`state` `s`, client `client`, at `https://idp.example.com`, redirect
/// `https://app.example.com/cb`).
pub(crate) fn attempt() -> PendingAttempt {
    PendingAttempt {
        state: "s".into(),
        code_verifier: "verifier".into(),
        nonce: Some("n-1".into()),
        redirect_uri: "https://app.example.com/cb".into(),
        issuer: "https://idp.example.com".into(),
        client_id: "client".into(),
        token_endpoint: "https://idp.example.com/token".into(),
        exchange_uri: None,
        scope: "openid profile".into(),
        created_at: 0.0,
    }
}

/// The element's configuration from `attributes`, on the page `https://app.example.com/`.
pub(crate) fn config(attributes: &[(&str, &str)]) -> Config {
    Config::from_attributes(
        |name| {
            attributes
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        },
        "https://app.example.com/",
        crate::web_url::parse_native,
    )
    .unwrap()
}
