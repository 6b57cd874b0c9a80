//! The backend half of `<anypoint-signin exchangeuri>`: the endpoint of a **confidential** connected app,
//! which redeems the element's code, and renews its tokens, with the client secret the browser never sees.
//!
//! `POST` JSON `{code, code_verifier, redirect_uri, client_id}` (the element's code exchange) or
//! `{grant_type: "refresh_token", refresh_token, client_id}` (a renewal); the answer is the token endpoint's
//! token response, or an OAuth error (RFC 6749 §5.2) as JSON:
//!
//! | status | `error` | when |
//! | --- | --- | --- |
//! | 400 | `invalid_request` | the body is not a JSON object of strings, or misses a field (`error_description` names them) |
//! | 400 | `unsupported_grant_type` | `grant_type` is neither absent, `authorization_code` nor `refresh_token` |
//! | 401 | `invalid_client` | `client_id` is not the configured app |
//! | 4xx | the server's own | the token endpoint refused (`invalid_grant`, …): its answer, passed through |
//! | 502 | `server_error` | the token endpoint failed (5xx, a redirect, not JSON), echoed the secret, or could not be reached |
//!
//! ```no_run
//! use anypoint_signin_server::{Config, router};
//!
//! #[tokio::main]
//! async fn main() {
//!     // ANYPOINT_ISSUER (default: the US control plane), ANYPOINT_CLIENT_ID, ANYPOINT_CLIENT_SECRET.
//!     let config = Config::from_env().unwrap_or_else(|why| panic!("{why}"));
//!     let app = axum::Router::new().merge(router(config)); // POST /api/exchange
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//!     axum::serve(listener, app).await.unwrap();
//! }
//! ```
//!
//! [`service`] is the same endpoint without a path, to mount anywhere (`Router::route("/auth/token",
//! service(config))`) or to use as a tower `Service` on its own.

mod config;
mod exchange;

use axum::Router;
use axum::routing::{MethodRouter, post};
use std::sync::Arc;

pub use config::{ANYPOINT_US_ISSUER, Config, ConfigError};

/// Where [`router`] serves the endpoint: the element's `exchangeuri` in the examples.
pub const EXCHANGE_PATH: &str = "/api/exchange";

/// The endpoint at [`EXCHANGE_PATH`].
pub fn router(config: Config) -> Router {
    Router::new().route(EXCHANGE_PATH, service(config))
}

/// The endpoint on its own: `POST` as above, `405 Method Not Allowed` for anything else. A tower
/// `Service<http::Request<B>>` for any body `B` axum accepts.
pub fn service(config: Config) -> MethodRouter {
    post(exchange::handle).with_state(Arc::new(config))
}
