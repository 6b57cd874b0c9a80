//! The handler: a same-origin JSON request in; the token endpoint's answer out, less the refresh token, which
//! goes into the session cookie (RFC 10017's token-mediating backend). The secret and the refresh token stay
//! here: no answer, header (but the sealed cookie), log line or error carries them.

use std::sync::Arc;

use axum::extract::{Request as HttpRequest, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode, request::Parts};
use serde::Serialize;

use crate::Config;
use crate::answer::{Answer, oauth_error};
use crate::request::Request;
use crate::session_cookie::{Site, expiry};
use crate::token_endpoint::{Client, Reply};

/// The largest body read: the element's requests are a few hundred bytes.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// The endpoint's state: the configuration and the HTTP client its requests share.
pub(crate) struct Endpoint {
    config: Config,
    client: Client,
}

impl Endpoint {
    pub(crate) fn new(config: Config) -> Endpoint {
        let client = Client::new(config.timeout());
        Endpoint { config, client }
    }
}

/// The handler (axum answers other methods with 405).
pub(crate) async fn handle(State(endpoint): State<Arc<Endpoint>>, request: HttpRequest) -> Answer {
    let (parts, body) = request.into_parts();
    if !same_origin(&endpoint.config, &parts) {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            "only the site's own pages may call this endpoint (Sec-Fetch-Site: same-origin, or an Origin of this site)",
        );
    }
    if !is_json(&parts.headers) {
        return oauth_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "the body must be JSON (Content-Type: application/json)",
        );
    }
    let too_large = || {
        let why = format!("the body is over {MAX_BODY_BYTES} bytes");
        oauth_error(StatusCode::PAYLOAD_TOO_LARGE, "invalid_request", &why)
    };
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    // Stops reading past the limit: a body that never ends costs no more than that.
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return too_large();
    };
    let request = match Request::parse(&body) {
        Ok(request) => request,
        Err((error, why)) => return oauth_error(StatusCode::BAD_REQUEST, error, &why),
    };
    let config = &endpoint.config;
    if request.client_id() != config.client_id() {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "this backend serves its own connected app only",
        );
    }
    let site = Site::of(&parts.headers);
    let client = &endpoint.client;
    match request {
        Request::Code {
            code,
            code_verifier,
            redirect_uri,
            client_id,
        } => {
            let form = [
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("code_verifier", &code_verifier),
                ("redirect_uri", &redirect_uri),
                ("client_id", &client_id),
                ("client_secret", config.client_secret()),
            ];
            let reply = client
                .token(&config.token_endpoint(), &form, &[config.client_secret()])
                .await;
            match reply {
                Reply::Tokens(answer, refresh_token, lifetime) => {
                    // Without a refresh token, a session kept from before (maybe another user's) must end.
                    answer.with_cookies(match refresh_token {
                        Some(token) => site.keep(config, &token, expiry(config, lifetime)),
                        None => site.clear(),
                    })
                }
                Reply::Refused(answer, _) | Reply::Failed(answer) => answer,
            }
        }
        Request::Refresh { client_id } => {
            let session = match site.read(config, &parts.headers) {
                Ok(Some(session)) => session,
                Ok(None) => {
                    return invalid_grant("no session at this backend: sign in again")
                        .with_cookies(site.clear());
                }
                Err(()) => {
                    eprintln!("anypoint-signin-server: a session cookie was refused");
                    return invalid_grant("the session cookie was refused: sign in again")
                        .with_cookies(site.clear());
                }
            };
            let form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", &session.refresh_token),
                ("client_id", &client_id),
                ("client_secret", config.client_secret()),
            ];
            let never_echoed = [config.client_secret(), session.refresh_token.as_str()];
            match client
                .token(&config.token_endpoint(), &form, &never_echoed)
                .await
            {
                Reply::Tokens(answer, rotated, lifetime) => {
                    // Sealed again either way: with the first key, so a rotated-out key's cookies move on.
                    answer.with_cookies(match rotated {
                        Some(token) => site.keep(config, &token, expiry(config, lifetime)),
                        None => site.keep(config, &session.refresh_token, session.exp),
                    })
                }
                // The grant is gone (revoked, expired, or a replayed rotated token): so is the session.
                Reply::Refused(answer, Some(error)) if error == "invalid_grant" => {
                    answer.with_cookies(site.clear())
                }
                Reply::Refused(answer, _) | Reply::Failed(answer) => answer,
            }
        }
        Request::SignOut { client_id } => {
            let revoked = match site.read(config, &parts.headers) {
                Ok(Some(session)) => {
                    let form = [
                        ("token", session.refresh_token.as_str()),
                        ("token_type_hint", "refresh_token"),
                        ("client_id", &client_id),
                        ("client_secret", config.client_secret()),
                    ];
                    client.revoke(&config.revocation_endpoint(), &form).await
                }
                _ => false,
            };
            Answer::json(StatusCode::OK, &SignedOut { revoked }).with_cookies(site.clear())
        }
    }
}

/// The answer to a sign-out.
#[derive(Serialize)]
struct SignedOut {
    /// Whether the provider revoked the refresh token.
    revoked: bool,
}

fn invalid_grant(why: &str) -> Answer {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why)
}

/// Whether the request comes from the site's own pages: what the browser says (`Sec-Fetch-Site`), or, from a
/// browser that does not say it, its `Origin`: one of the configured origins, or else the request's own host.
/// A cross-site page, form or script gets nothing, even with the cookie attached.
fn same_origin(config: &Config, parts: &Parts) -> bool {
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = header(ORIGIN.as_str()) else {
        return false;
    };
    if !config.origins().is_empty() {
        return config.origins().iter().any(|o| o == origin);
    }
    let host = header(HOST.as_str()).or_else(|| parts.uri.authority().map(|a| a.as_str()));
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .filter(|rest| !rest.is_empty() && !rest.contains('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Whether the body is declared JSON, which a cross-site HTML form cannot send.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}
