//! The handler: JSON in, the token endpoint's answer out.
//!
//! The element (with `exchangeuri`) posts `{code, code_verifier, redirect_uri, client_id}`; a renewal posts
//! `{grant_type: "refresh_token", refresh_token, client_id}`. Either way this adds the client secret
//! (`client_secret_post`), calls the token endpoint and hands its token response back. The secret stays
//! here: no answer, not even an error, carries it.

use crate::Config;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// What each grant needs from the request, all forwarded to the token endpoint.
const CODE_FIELDS: &[&str] = &["code", "code_verifier", "redirect_uri", "client_id"];
const REFRESH_FIELDS: &[&str] = &["refresh_token", "client_id"];

const BAD_BODY: &str = "the body must be a JSON object of strings: {code, code_verifier, redirect_uri, \
                        client_id} or {grant_type: \"refresh_token\", refresh_token, client_id}";

/// The request's fields by name; `null` and `""` count as absent.
struct Fields(Map<String, Value>);

impl Fields {
    /// `None` unless `body` is a JSON object whose fields that are read are strings (or null).
    fn parse(body: &[u8]) -> Option<Fields> {
        let Ok(Value::Object(map)) = serde_json::from_slice(body) else {
            return None;
        };
        let mut read = CODE_FIELDS
            .iter()
            .chain(REFRESH_FIELDS)
            .chain(&["grant_type"]);
        read.all(|f| matches!(map.get(*f), None | Some(Value::Null | Value::String(_))))
            .then_some(Fields(map))
    }

    fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field)?.as_str().filter(|v| !v.is_empty())
    }
}

/// The handler.
pub(crate) async fn handle(State(config): State<Arc<Config>>, body: Bytes) -> Response {
    let Some(fields) = Fields::parse(&body) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", BAD_BODY);
    };
    let (grant_type, required) = match fields.get("grant_type") {
        None | Some("authorization_code") => ("authorization_code", CODE_FIELDS),
        Some("refresh_token") => ("refresh_token", REFRESH_FIELDS),
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be absent, authorization_code or refresh_token",
            );
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|f| fields.get(f).is_none())
        .collect();
    if !missing.is_empty() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("missing {}", missing.join(", ")),
        );
    }
    if fields.get("client_id") != Some(config.client_id()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "this backend serves its own connected app only",
        );
    }
    let mut form = vec![("grant_type", grant_type.to_owned())];
    form.extend(
        required
            .iter()
            .map(|f| (*f, fields.get(f).unwrap_or_default().to_owned())),
    );
    form.push(("client_secret", config.client_secret().to_owned()));
    let endpoint = config.token_endpoint();
    // ureq is blocking: keep it off the async workers.
    let answer = tokio::task::spawn_blocking(move || post_form(&endpoint, &form)).await;
    match answer {
        Ok(Ok((status, body))) => relay(status, body, config.client_secret()),
        Ok(Err(why)) => {
            eprintln!("anypoint-signin-server: the token endpoint could not be reached: {why}");
            oauth_error(
                StatusCode::BAD_GATEWAY,
                "server_error",
                "the token endpoint could not be reached",
            )
        }
        Err(why) => {
            eprintln!("anypoint-signin-server: the token request failed: {why}");
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
        // A redirect is relayed as a failure, never followed: the form carries the secret.
        .max_redirects(0)
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
/// §5.2) with its status. Anything else (a 5xx, a redirect, an HTML error page) becomes a `server_error`.
fn relay(status: u16, body: String, secret: &str) -> Response {
    let json = serde_json::from_str::<Value>(&body).is_ok_and(|v| v.is_object());
    let relayed = StatusCode::from_u16(status)
        .ok()
        .filter(|s| s.is_success() || s.is_client_error());
    let Some(status) = relayed.filter(|_| json) else {
        eprintln!("anypoint-signin-server: the token endpoint answered HTTP {status}");
        let why = format!("the token endpoint answered HTTP {status}");
        return oauth_error(StatusCode::BAD_GATEWAY, "server_error", &why);
    };
    // A server that echoes the form back would leak the secret to the browser.
    if body.contains(secret) {
        eprintln!(
            "anypoint-signin-server: the token endpoint's answer contained the client secret; not relayed"
        );
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
