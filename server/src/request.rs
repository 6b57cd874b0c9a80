//! What the element may ask of the endpoint, read from its JSON body.

use anypoint_signin_core::backend_session::SIGN_OUT_ACTION;
use serde::Deserialize;

/// A request, its fields checked present (the client is checked by the caller, against the configuration).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Request {
    /// `{code, code_verifier, redirect_uri, client_id}`, with `grant_type` absent or `authorization_code`.
    Code {
        code: String,
        code_verifier: String,
        redirect_uri: String,
        client_id: String,
    },
    /// `{grant_type: "refresh_token", client_id}`: renew with the session cookie's refresh token.
    Refresh { client_id: String },
    /// `{action: "sign_out", client_id}`: revoke the session cookie's refresh token and clear the cookie.
    SignOut { client_id: String },
}

/// Why a body is refused: an OAuth error code and its description.
pub(crate) type Refusal = (&'static str, String);

const BAD_BODY: &str = "the body must be a JSON object of strings: {code, code_verifier, redirect_uri, \
                        client_id}, {grant_type: \"refresh_token\", client_id} or {action: \"sign_out\", client_id}";

/// The body as sent: every field read is a string or null (or absent); others are ignored. Apart from
/// [`Request`] because a refusal names every missing field at once, which a derived tagged enum's first-error
/// message cannot.
#[derive(Deserialize)]
struct Body {
    action: Option<String>,
    grant_type: Option<String>,
    code: Option<String>,
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    refresh_token: Option<String>,
}

/// `Some` when present and not empty.
fn present(field: Option<String>) -> Option<String> {
    field.filter(|v| !v.is_empty())
}

impl Request {
    pub(crate) fn client_id(&self) -> &str {
        match self {
            Request::Code { client_id, .. }
            | Request::Refresh { client_id }
            | Request::SignOut { client_id } => client_id,
        }
    }

    /// Reads a body, or says why it is refused (`invalid_request`, `unsupported_grant_type`).
    pub(crate) fn parse(body: &[u8]) -> Result<Request, Refusal> {
        // An object first: serde's derived reader would also take an array of the fields in order.
        let body: Body = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
            .and_then(|object| serde_json::from_value(object.into()))
            .map_err(|_| ("invalid_request", BAD_BODY.to_owned()))?;
        let invalid = |why: &str| Err(("invalid_request", why.to_owned()));
        let [
            action,
            grant_type,
            code,
            code_verifier,
            redirect_uri,
            client_id,
            refresh_token,
        ] = [
            body.action,
            body.grant_type,
            body.code,
            body.code_verifier,
            body.redirect_uri,
            body.client_id,
            body.refresh_token,
        ]
        .map(present);
        let missing = |fields: &[(&str, &Option<String>)]| {
            let names: Vec<&str> = fields
                .iter()
                .filter(|(_, v)| v.is_none())
                .map(|(name, _)| *name)
                .collect();
            (!names.is_empty())
                .then(|| ("invalid_request", format!("missing {}", names.join(", "))))
        };
        if let Some(action) = action {
            if action != SIGN_OUT_ACTION {
                return invalid("action must be sign_out");
            }
            return match client_id {
                Some(client_id) => Ok(Request::SignOut { client_id }),
                None => invalid("missing client_id"),
            };
        }
        match grant_type.as_deref() {
            None | Some("authorization_code") => {
                let fields = [
                    ("code", &code),
                    ("code_verifier", &code_verifier),
                    ("redirect_uri", &redirect_uri),
                    ("client_id", &client_id),
                ];
                if let Some(refusal) = missing(&fields) {
                    return Err(refusal);
                }
                Ok(Request::Code {
                    code: code.unwrap_or_default(),
                    code_verifier: code_verifier.unwrap_or_default(),
                    redirect_uri: redirect_uri.unwrap_or_default(),
                    client_id: client_id.unwrap_or_default(),
                })
            }
            Some("refresh_token") => {
                if let Some(refusal) = missing(&[("client_id", &client_id)]) {
                    return Err(refusal);
                }
                // The refresh token lives in the backend's cookie: one sent by a page (an old element, or a
                // script replaying a stolen one) is never redeemed with the secret.
                if refresh_token.is_some() {
                    return invalid(
                        "this backend keeps the refresh token itself, in its cookie: send none",
                    );
                }
                Ok(Request::Refresh {
                    client_id: client_id.unwrap_or_default(),
                })
            }
            Some(_) => Err((
                "unsupported_grant_type",
                "grant_type must be absent, authorization_code or refresh_token".to_owned(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Request, Refusal> {
        Request::parse(body.as_bytes())
    }

    fn refused(error: &'static str, why: &str) -> Result<Request, Refusal> {
        Err((error, why.to_owned()))
    }

    #[test]
    fn reads_the_three_requests() {
        let code = r#"{"code":"c","code_verifier":"v","redirect_uri":"https://app.example/","client_id":"app","other":1}"#;
        let expected = Request::Code {
            code: "c".into(),
            code_verifier: "v".into(),
            redirect_uri: "https://app.example/".into(),
            client_id: "app".into(),
        };
        assert_eq!(parse(code), Ok(expected));
        let explicit = code.replacen('{', r#"{"grant_type":"authorization_code","#, 1);
        assert!(matches!(parse(&explicit), Ok(Request::Code { .. })));
        assert_eq!(
            parse(r#"{"grant_type":"refresh_token","client_id":"app","code":null}"#),
            Ok(Request::Refresh {
                client_id: "app".into()
            })
        );
        assert_eq!(
            parse(r#"{"action":"sign_out","client_id":"app"}"#),
            Ok(Request::SignOut {
                client_id: "app".into()
            })
        );
    }

    #[test]
    fn refuses_what_is_not_an_object_of_strings() {
        for body in [
            "",
            "code=c",
            "[]",
            r#"["sign_out",null,null,null,null,"app",null]"#,
            "\"text\"",
            "null",
            r#"{"code":7}"#,
            r#"{"client_id":["app"]}"#,
            r#"{"action":{"sign_out":true}}"#,
        ] {
            assert_eq!(parse(body), refused("invalid_request", BAD_BODY), "{body}");
        }
    }

    #[test]
    fn names_every_missing_field() {
        assert_eq!(
            parse(r#"{"code":"c","redirect_uri":"","client_id":null}"#),
            refused(
                "invalid_request",
                "missing code_verifier, redirect_uri, client_id"
            )
        );
        assert_eq!(
            parse(r#"{"grant_type":"refresh_token"}"#),
            refused("invalid_request", "missing client_id")
        );
        assert_eq!(
            parse(r#"{"action":"sign_out"}"#),
            refused("invalid_request", "missing client_id")
        );
    }

    #[test]
    fn refuses_a_refresh_token_sent_by_the_page_and_other_grants_and_actions() {
        assert_eq!(
            parse(r#"{"grant_type":"refresh_token","client_id":"app","refresh_token":"stolen"}"#),
            refused(
                "invalid_request",
                "this backend keeps the refresh token itself, in its cookie: send none"
            )
        );
        assert_eq!(
            parse(r#"{"grant_type":"password","client_id":"app"}"#),
            refused(
                "unsupported_grant_type",
                "grant_type must be absent, authorization_code or refresh_token"
            )
        );
        assert_eq!(
            parse(r#"{"action":"delete_everything","client_id":"app"}"#),
            refused("invalid_request", "action must be sign_out")
        );
    }
}
