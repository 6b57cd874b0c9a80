//! The backend half of `<anypoint-signin exchangeuri>`: the endpoint of a **confidential** connected app, and
//! a token-mediating backend as OAuth 2.0 for Browser-Based Apps (RFC 10017) describes it. It redeems the
//! element's code with the client secret, keeps the refresh token in an encrypted cookie (`HttpOnly`,
//! `SameSite=Strict`, `__Host-` on https) and gives the browser access and id tokens only; it renews and signs
//! out with that cookie. Stateless: any instance with the same keys serves any request.
//!
//! One endpoint, `POST` JSON, from the site's own pages only (`Sec-Fetch-Site: same-origin`, or an `Origin`
//! of the site) and `Content-Type: application/json`, at most 16 KB:
//!
//! | body | does | answers |
//! | --- | --- | --- |
//! | `{code, code_verifier, redirect_uri, client_id}` | redeems the code | the token response without `refresh_token`, which goes into the cookie |
//! | `{grant_type: "refresh_token", client_id}` | renews with the cookie's refresh token | the same; the rotated refresh token into the cookie |
//! | `{action: "sign_out", client_id}` | revokes the cookie's refresh token (`{issuer}/revoke`), clears the cookie | `{revoked: true/false}`, even when the provider is down |
//!
//! Refusals are OAuth errors (RFC 6749 §5.2) as JSON:
//!
//! | status | `error` | when |
//! | --- | --- | --- |
//! | 403 | `access_denied` | another site's page, form or script (neither `Sec-Fetch-Site: same-origin` nor an `Origin` of this site) |
//! | 415 | `invalid_request` | not `Content-Type: application/json` |
//! | 413 | `invalid_request` | a body over 16 KB (not read past that) |
//! | 400 | `invalid_request` | not a JSON object of strings, a field missing, or a refresh token sent by the page |
//! | 400 | `unsupported_grant_type` | `grant_type` is neither absent, `authorization_code` nor `refresh_token` |
//! | 401 | `invalid_client` | `client_id` is not the configured app |
//! | 400 | `invalid_grant` | a renewal without a session cookie, or with one refused (another key, tampered, another app, expired): the cookie is cleared |
//! | 4xx | the server's own | the token endpoint refused (`invalid_grant` also clears the cookie) |
//! | 502 | `server_error` | the token endpoint failed (5xx, a redirect, not JSON, over 1 MiB), echoed a secret, or could not be reached |
//! | 504 | `server_error` | the token endpoint did not answer within the timeout (10 s) |
//!
//! ```no_run
//! use anypoint_signin_server::{Config, router};
//!
//! #[tokio::main]
//! async fn main() {
//!     // ANYPOINT_ISSUER (default: the US control plane), ANYPOINT_CLIENT_ID, ANYPOINT_CLIENT_SECRET,
//!     // ANYPOINT_SIGNIN_SESSION_KEY (openssl rand -base64 32).
//!     let config = Config::from_env().unwrap_or_else(|why| panic!("{why}"));
//!     let app = axum::Router::new().merge(router(config)); // POST /api/exchange
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//!     axum::serve(listener, app).await.unwrap();
//! }
//! ```
//!
//! [`service`] is the same endpoint without a path, to mount anywhere (`Router::route("/auth/token",
//! service(config))`) or to use as a tower `Service` on its own.

mod answer;
mod config;
mod endpoint;
mod request;
mod session_cookie;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod token_endpoint;

use axum::Router;
use axum::routing::{MethodRouter, post};
use std::sync::Arc;

pub use config::{
    ANYPOINT_US_ISSUER, Config, ConfigError, DEFAULT_SESSION_LIFETIME, DEFAULT_TIMEOUT,
};

/// Where [`router`] serves the endpoint: the element's `exchangeuri` in the examples.
pub const EXCHANGE_PATH: &str = "/api/exchange";

/// The endpoint at [`EXCHANGE_PATH`].
pub fn router(config: Config) -> Router {
    Router::new().route(EXCHANGE_PATH, service(config))
}

/// The endpoint on its own: `POST` as above, `405 Method Not Allowed` for anything else. A tower
/// `Service<http::Request<B>>` for any body `B` axum accepts.
pub fn service(config: Config) -> MethodRouter {
    post(endpoint::handle).with_state(Arc::new(endpoint::Endpoint::new(config)))
}
