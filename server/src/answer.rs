//! What the endpoint answers: JSON that no cache keeps, an OAuth error (RFC 6749 §5.2) when it refuses, and the
//! session's Set-Cookie headers.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A JSON answer and the cookies it sets.
pub(crate) struct Answer {
    status: StatusCode,
    body: Value,
    cookies: Vec<String>,
}

impl Answer {
    pub(crate) fn json(status: StatusCode, body: Value) -> Answer {
        Answer {
            status,
            body,
            cookies: Vec::new(),
        }
    }

    /// The same answer, setting `cookies` too.
    pub(crate) fn with_cookies(mut self, cookies: [String; 2]) -> Answer {
        self.cookies.extend(cookies);
        self
    }
}

/// `{error, error_description}` with `status`.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Answer {
    Answer::json(
        status,
        json!({ "error": error, "error_description": description }),
    )
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        // Token responses must not be cached (RFC 6749 §5.1).
        let mut response = (
            self.status,
            [
                (CONTENT_TYPE, "application/json"),
                (CACHE_CONTROL, "no-store"),
            ],
            self.body.to_string(),
        )
            .into_response();
        for cookie in self.cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        response
    }
}
