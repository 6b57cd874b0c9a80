//! What the endpoint answers: JSON that no cache keeps, an OAuth error (RFC 6749 §5.2) when it refuses, and the
//! session's Set-Cookie headers.

use anypoint_signin_core::token::response::ErrorResponse;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A JSON answer and the cookies it sets.
pub(crate) struct Answer {
    status: StatusCode,
    /// The JSON text.
    body: String,
    cookies: Vec<String>,
}

impl Answer {
    /// `body`, as JSON text already.
    pub(crate) fn text(status: StatusCode, body: String) -> Answer {
        Answer {
            status,
            body,
            cookies: Vec::new(),
        }
    }

    pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Answer {
        Answer::text(status, text(body))
    }

    /// The same answer, setting `cookies` too.
    pub(crate) fn with_cookies(mut self, cookies: [String; 2]) -> Answer {
        self.cookies.extend(cookies);
        self
    }
}

/// The JSON text of `value`: the answers' types (string keys only) always have one.
pub(crate) fn text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `{error, error_description}` with `status`: the element's [`ErrorResponse`].
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Answer {
    let body = ErrorResponse {
        error: error.to_owned(),
        error_description: Some(description.to_owned()),
    };
    Answer::json(status, &body)
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
            self.body,
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
