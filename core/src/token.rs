//! The code exchange and renewal: the token requests and the token response (the id_token in it:
//! [`crate::id_token`]).
//!
//! JSON is parsed by the caller (the browser's `JSON.parse` in the element, `serde_json` in tests) and read
//! into these types field by field ([`crate::fields`]); this module also decides what is acceptable.

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::fields::{Fields, FromJson, Invalid, Json, ToJson, Value};
use crate::session::Renewal;

/// The form body of the authorization-code token request (RFC 6749 §4.1.3 with RFC 7636's verifier).
pub fn token_request_body(code_value: &str, pending: &PendingAttempt) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code_value)
        .append_pair("redirect_uri", &pending.redirect_uri)
        .append_pair("client_id", &pending.client_id)
        .append_pair("code_verifier", &pending.code_verifier)
        .finish()
}

/// The form body of a refresh request (RFC 6749 §6): a public client renews with its refresh token alone.
pub fn refresh_request_body(refresh_token: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh_token)
        .append_pair("client_id", client_id)
        .finish()
}

/// Who a token request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// The authorization server's token endpoint, the element being a public client.
    TokenEndpoint,
    /// The site's `exchangeuri` backend, which holds the client secret (and, once signed in, the refresh token).
    Backend,
}

impl Party {
    /// As messages name it ("Could not reach …").
    pub fn name(self) -> &'static str {
        match self {
            Party::TokenEndpoint => "the token endpoint",
            Party::Backend => "the site's exchange backend",
        }
    }
}

/// A token request's body: a form for the token endpoint, JSON for the backend.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// `application/x-www-form-urlencoded`.
    Form(String),
    /// `application/json`.
    Json(Value),
}

/// A token request, decided here and sent by the element (a POST that never follows a redirect): to whom,
/// where, with what.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRequest {
    /// Who answers it.
    pub to: Party,
    /// The URL it is POSTed to.
    pub url: String,
    /// What it carries.
    pub body: Body,
}

impl TokenRequest {
    /// Redeems `code` where `attempt` recorded when it started: its backend, or the token endpoint.
    pub fn code(code: &str, attempt: &PendingAttempt) -> TokenRequest {
        match &attempt.exchange_uri {
            Some(uri) => TokenRequest {
                to: Party::Backend,
                url: uri.clone(),
                body: Body::Json(
                    BackendExchange {
                        code,
                        code_verifier: &attempt.code_verifier,
                        redirect_uri: &attempt.redirect_uri,
                        client_id: &attempt.client_id,
                    }
                    .to_json(),
                ),
            },
            None => TokenRequest {
                to: Party::TokenEndpoint,
                url: attempt.token_endpoint.clone(),
                body: Body::Form(token_request_body(code, attempt)),
            },
        }
    }

    /// Renews a session as it renews: with its refresh token at the token endpoint (`token_endpoint`, which
    /// only such a session needs: [`Renewal::at_token_endpoint`]), or through the `exchangeuri` backend,
    /// which renews with the one it keeps.
    pub fn refresh(
        renewal: &Renewal,
        client_id: &str,
        exchange_uri: Option<&str>,
        token_endpoint: Option<&str>,
    ) -> Result<TokenRequest, Error> {
        match (renewal, exchange_uri, token_endpoint) {
            (Renewal::RefreshToken(refresh_token), _, Some(endpoint)) => Ok(TokenRequest {
                to: Party::TokenEndpoint,
                url: endpoint.to_owned(),
                body: Body::Form(refresh_request_body(refresh_token, client_id)),
            }),
            (Renewal::Backend, Some(uri), _) => Ok(TokenRequest {
                to: Party::Backend,
                url: uri.to_owned(),
                body: Body::Json(BackendRefresh { client_id }.to_json()),
            }),
            _ => Err(Error::new(
                Code::RenewalFailed,
                "This session has no way to renew (no refresh token, and no exchangeuri backend).",
            )),
        }
    }
}

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

impl ToJson for BackendExchange<'_> {
    fn to_json(&self) -> Value {
        Value::Object(vec![
            ("code", self.code.into()),
            ("code_verifier", self.code_verifier.into()),
            ("redirect_uri", self.redirect_uri.into()),
            ("client_id", self.client_id.into()),
        ])
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

/// The form body of a revocation request (RFC 7009).
pub fn revocation_body(token: &str, hint: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .append_pair("token_type_hint", hint)
        .append_pair("client_id", client_id)
        .finish()
}

/// A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// Must be `Bearer` (case-insensitive).
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: Option<u64>,
    /// Granted scopes, when they differ from the requested ones.
    pub scope: Option<String>,
    /// Present when `openid` was requested.
    pub id_token: Option<String>,
    /// Present when `offline_access` was granted.
    pub refresh_token: Option<String>,
}

/// The token object the earlier element's `anypointcodeexchange` handlers hand back: the token response's
/// fields in camelCase (`tokenType` may be left out: Bearer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierTokenResponse(pub TokenResponse);

impl FromJson for EarlierTokenResponse {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        let token_type: Option<String> = f.optional("tokenType");
        f.finish(EarlierTokenResponse(TokenResponse {
            access_token: f.required("accessToken"),
            token_type: token_type.unwrap_or_else(|| "Bearer".to_owned()),
            expires_in: f.optional("expiresIn"),
            scope: f.optional("scope"),
            id_token: f.optional("idToken"),
            refresh_token: f.optional("refreshToken"),
        }))
    }
}

/// An error response from the token endpoint (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorResponse {
    /// The OAuth error code, e.g. `invalid_grant`.
    pub error: String,
    /// The server's explanation.
    pub error_description: Option<String>,
}

impl FromJson for TokenResponse {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(TokenResponse {
            access_token: f.required("access_token"),
            token_type: f.required("token_type"),
            expires_in: f.optional("expires_in"),
            scope: f.optional("scope"),
            id_token: f.optional("id_token"),
            refresh_token: f.optional("refresh_token"),
        })
    }
}

impl FromJson for ErrorResponse {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(ErrorResponse {
            error: f.required("error"),
            error_description: f.optional("error_description"),
        })
    }
}

impl TokenResponse {
    /// Checks what reading the JSON does not: a usable token of a type the element can send, and an id_token
    /// when this is an OpenID Connect sign-in.
    pub fn validate(&self, pending: &PendingAttempt) -> Result<(), Error> {
        self.validate_usable()?;
        if pending.nonce.is_some() && self.id_token.is_none() {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The token response lacks the id_token an openid sign-in requires.",
            ));
        }
        Ok(())
    }

    /// The response of a confidential client's exchange by the page (its own code, not `exchangeuri`): its
    /// refresh token needs the client secret, which the element cannot hand it to, so it is not kept.
    pub fn confidential(self) -> TokenResponse {
        TokenResponse {
            refresh_token: None,
            ..self
        }
    }

    /// The checks of a refresh response: a usable token, and one that does not expire at once (renewing it
    /// would start again at once: a request loop, not a session).
    pub fn validate_renewal(&self) -> Result<(), Error> {
        self.validate_usable()?;
        if self.expires_in == Some(0) {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The renewed access token expires at once (expires_in 0).",
            ));
        }
        Ok(())
    }

    /// A token of a type the element can send.
    fn validate_usable(&self) -> Result<(), Error> {
        let fail = |message: &str| Err(Error::new(Code::InvalidTokenResponse, message));
        if self.access_token.is_empty() {
            return fail("The token response has an empty access_token.");
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return fail("The token response's token_type is not Bearer.");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
