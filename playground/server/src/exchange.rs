//! `POST /api/exchange`: the backend half of a confidential connected app.
//!
//! The element (with `exchangeuri`) posts JSON `{code, code_verifier, redirect_uri, client_id}`; this adds
//! the client secret (`client_secret_post`) and calls the token endpoint, then hands the token response back.
//! The secret stays here: no answer, not even an error, carries it.

use crate::Site;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// The fields the element sends, all required.
const FIELDS: [&str; 4] = ["code", "code_verifier", "redirect_uri", "client_id"];

#[derive(Deserialize)]
struct Request {
    code: Option<String>,
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
}

impl Request {
    fn values(&self) -> [Option<&str>; 4] {
        [
            &self.code,
            &self.code_verifier,
            &self.redirect_uri,
            &self.client_id,
        ]
        .map(|v| v.as_deref().filter(|v| !v.is_empty()))
    }
}

/// The handler.
pub async fn handle(State(site): State<Arc<Site>>, body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<Request>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be a JSON object {code, code_verifier, redirect_uri, client_id}",
        );
    };
    let values = request.values();
    let missing: Vec<&str> = FIELDS
        .iter()
        .zip(values)
        .filter(|(_, v)| v.is_none())
        .map(|(f, _)| *f)
        .collect();
    if !missing.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("missing {}", missing.join(", ")),
        );
    }
    let config = &site.config;
    if values[3] != Some(config.client_id.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "this backend exchanges codes for its own connected app only",
        );
    }
    let mut form: Vec<(&str, String)> = vec![("grant_type", "authorization_code".into())];
    form.extend(
        FIELDS
            .iter()
            .zip(values)
            .map(|(f, v)| (*f, v.unwrap_or_default().to_owned())),
    );
    form.push(("client_secret", config.client_secret.clone()));
    let endpoint = config.token_endpoint();
    // ureq is blocking: keep it off the async workers.
    let answer = tokio::task::spawn_blocking(move || post_form(&endpoint, &form)).await;
    match answer {
        Ok(Ok((status, body))) => relay(status, body, &config.client_secret),
        Ok(Err(why)) => {
            eprintln!("exchange: the token endpoint could not be reached: {why}");
            oauth_error(
                StatusCode::BAD_GATEWAY,
                "server_error",
                "the token endpoint could not be reached",
            )
        }
        Err(why) => {
            eprintln!("exchange: the token request failed: {why}");
            oauth_error(
                StatusCode::BAD_GATEWAY,
                "server_error",
                "the token request failed",
            )
        }
    }
}

/// The token request: a form POST; the status and body of any answer, an error only without one.
fn post_form(endpoint: &str, form: &[(&str, String)]) -> Result<(u16, String), ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let mut response = agent
        .post(endpoint)
        .header("accept", "application/json")
        .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_string()?))
}

/// The token endpoint's answer as the element expects it: a token response, or an OAuth error (RFC 6749
/// §5.2) with its status. Anything else (a 5xx, an HTML error page) becomes a `server_error`.
fn relay(status: u16, body: String, secret: &str) -> Response {
    let json = serde_json::from_str::<serde_json::Value>(&body).is_ok_and(|v| v.is_object());
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    if !json || status.is_server_error() || status.is_informational() || status.is_redirection() {
        eprintln!("exchange: the token endpoint answered HTTP {status}");
        let why = format!("the token endpoint answered HTTP {}", status.as_u16());
        return oauth_error(StatusCode::BAD_GATEWAY, "server_error", &why);
    }
    // A server that echoes the form back would leak the secret to the browser.
    if body.contains(secret) {
        eprintln!("exchange: the token endpoint's answer contained the client secret; not relayed");
        return oauth_error(
            StatusCode::BAD_GATEWAY,
            "server_error",
            "the token endpoint's answer was refused",
        );
    }
    json_response(status, body)
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description });
    json_response(status, body.to_string())
}

fn json_response(status: StatusCode, body: String) -> Response {
    // Token responses must not be cached (RFC 6749 §5.1).
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (status, headers, body).into_response()
}
