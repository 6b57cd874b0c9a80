//! The JSON bodies the element POSTs to the site's `exchangeuri` backend (`anypoint-signin-server`, or
//! `anypoint-signin/server`): the code to redeem, a renewal and a sign-out. None carries a refresh token: the
//! backend keeps it in its cookie ([`crate::backend_session`]).

use crate::json::object::json_object;
use crate::json::{ToJson, Value};

/// The JSON body POSTed to the site's `exchangeuri` backend, which adds its client secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendExchange<'a> {
    /// The authorization code.
    pub code: &'a str,
    /// The PKCE verifier the token endpoint checks against the challenge.
    pub code_verifier: &'a str,
    /// The redirect URI the code was issued for.
    pub redirect_uri: &'a str,
    /// The connected app.
    pub client_id: &'a str,
}

json_object! {
    write BackendExchange<'_> {
        code: required,
        code_verifier: required,
        redirect_uri: required,
        client_id: required,
    }
}

/// The JSON body of a renewal through the site's `exchangeuri` backend: no token, as the backend renews with
/// the refresh token it keeps in its cookie ([`crate::backend_session`]) and its client secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendRefresh<'a> {
    /// The connected app.
    pub client_id: &'a str,
}

impl ToJson for BackendRefresh<'_> {
    fn to_json(&self) -> Value {
        Value::Object(vec![
            ("grant_type", "refresh_token".into()),
            ("client_id", self.client_id.into()),
        ])
    }
}

/// The JSON body of a sign-out through the site's `exchangeuri` backend, which revokes the refresh token it
/// keeps and clears its cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendSignOut<'a> {
    /// The connected app.
    pub client_id: &'a str,
}

impl ToJson for BackendSignOut<'_> {
    fn to_json(&self) -> Value {
        Value::Object(vec![
            ("action", crate::backend_session::SIGN_OUT_ACTION.into()),
            ("client_id", self.client_id.into()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
