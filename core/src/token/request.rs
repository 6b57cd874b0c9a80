//! The token endpoint's requests, and where a token request goes: the token endpoint, or the site's
//! `exchangeuri` backend ([`super::backend`]).

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::json::{ToJson, Value};
use crate::session::Renewal;
use crate::token::backend::{BackendExchange, BackendRefresh};

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

#[cfg(test)]
mod tests;
