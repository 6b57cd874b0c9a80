//! The confidential connected app the endpoint acts for: from values, or from the environment (a secret does
//! not belong on a command line, where any local user can read it in the process list).

use std::collections::HashMap;
use std::fmt;

use anypoint_signin_core::web_url::{check_web_url, parse_native};

/// Anypoint's US control plane: the issuer when `ANYPOINT_ISSUER` is not set.
pub const ANYPOINT_US_ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

/// The authorization server and the confidential connected app, checked: build it with [`Config::new`] or
/// [`Config::from_env`].
#[derive(Clone)]
pub struct Config {
    issuer: String,
    client_id: String,
    client_secret: String,
}

/// Why a [`Config`] was refused; the message names what to fix (and never holds the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

// Hand-written so that the secret never lands in a log line by way of `{:?}`.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .finish()
    }
}

impl Config {
    /// The app `client_id` with `client_secret` at `issuer` (whose token endpoint is `{issuer}/token`, as on
    /// Anypoint). The issuer must be `https://` (`http://` only on loopback), checked as the element checks
    /// its URLs; the ID and secret must not be empty.
    pub fn new(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Config, ConfigError> {
        let (issuer, client_id, client_secret) =
            (issuer.into(), client_id.into(), client_secret.into());
        check_issuer(&issuer).map_err(|why| ConfigError(format!("the issuer {why}")))?;
        for (value, what) in [(&client_id, "client ID"), (&client_secret, "client secret")] {
            if value.is_empty() {
                return Err(ConfigError(format!("the {what} is empty")));
            }
        }
        Ok(Config {
            issuer,
            client_id,
            client_secret,
        })
    }

    /// From the process environment: see [`Config::from_vars`].
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(&std::env::vars().collect())
    }

    /// From `ANYPOINT_ISSUER` (default [`ANYPOINT_US_ISSUER`]), `ANYPOINT_CLIENT_ID` and
    /// `ANYPOINT_CLIENT_SECRET` in `vars`; an empty variable counts as unset.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |name: &str| vars.get(name).filter(|v| !v.is_empty());
        let issuer = get("ANYPOINT_ISSUER").map_or(ANYPOINT_US_ISSUER, String::as_str);
        check_issuer(issuer).map_err(|why| ConfigError(format!("ANYPOINT_ISSUER {why}")))?;
        let required = |name: &str, what: &str| {
            get(name).cloned().ok_or_else(|| {
                ConfigError(format!(
                    "{name} is not set: the confidential connected app's {what}"
                ))
            })
        };
        Ok(Config {
            issuer: issuer.to_owned(),
            client_id: required("ANYPOINT_CLIENT_ID", "client ID")?,
            client_secret: required("ANYPOINT_CLIENT_SECRET", "client secret")?,
        })
    }

    /// The issuer, as configured.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The only client the endpoint accepts.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Sent to the token endpoint, never to a browser.
    pub(crate) fn client_secret(&self) -> &str {
        &self.client_secret
    }

    /// The token endpoint the exchange calls.
    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.issuer.trim_end_matches('/'))
    }
}

/// The element's own check, on the URL as a WHATWG parser reads it: `http://127.0.0.1.evil.com` starts like
/// a loopback URL and is not one. The error is `{issuer:?} {why}`.
fn check_issuer(issuer: &str) -> Result<(), String> {
    check_web_url(issuer, parse_native)
        .map(drop)
        .map_err(|why| format!("{issuer:?} {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const APP: [(&str, &str); 2] = [
        ("ANYPOINT_CLIENT_ID", "app"),
        ("ANYPOINT_CLIENT_SECRET", "s3cret"),
    ];

    const BAD_ISSUERS: [&str; 5] = [
        "http://idp.example.com",
        "http://127.0.0.1.evil.com/oauth2",
        "http://localhost.evil.com",
        "https://user:pw@idp.example.com",
        "idp.example.com",
    ];

    #[test]
    fn defaults_to_anypoint_us() {
        let config = Config::from_vars(&vars(&APP)).unwrap();
        assert_eq!(
            config.token_endpoint(),
            "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/token"
        );
        assert_eq!(
            (config.client_id(), config.client_secret()),
            ("app", "s3cret")
        );
    }

    #[test]
    fn reads_the_issuer_and_takes_loopback_http() {
        let mut v = vars(&APP);
        v.insert(
            "ANYPOINT_ISSUER".into(),
            "http://127.0.0.1:9000/accounts/api/v2/oauth2/".into(),
        );
        let config = Config::from_vars(&v).unwrap();
        assert_eq!(
            config.token_endpoint(),
            "http://127.0.0.1:9000/accounts/api/v2/oauth2/token"
        );
        assert_eq!(
            config.issuer(),
            "http://127.0.0.1:9000/accounts/api/v2/oauth2/"
        );
    }

    #[test]
    fn from_vars_refuses_missing_credentials_and_plain_http_issuers() {
        let err = Config::from_vars(&vars(&APP[..1])).unwrap_err().to_string();
        assert!(err.contains("ANYPOINT_CLIENT_SECRET"), "{err}");
        let err = Config::from_vars(&vars(&[("ANYPOINT_CLIENT_SECRET", "x")])).unwrap_err();
        assert!(err.to_string().contains("ANYPOINT_CLIENT_ID"), "{err}");
        for issuer in BAD_ISSUERS {
            let mut v = vars(&APP);
            v.insert("ANYPOINT_ISSUER".into(), issuer.into());
            let err = Config::from_vars(&v).unwrap_err().to_string();
            assert!(err.starts_with("ANYPOINT_ISSUER"), "{issuer}: {err}");
        }
    }

    #[test]
    fn new_checks_the_same() {
        assert!(Config::new("http://[::1]:9000/oauth2", "app", "s3cret").is_ok());
        for issuer in BAD_ISSUERS {
            let err = Config::new(issuer, "app", "s3cret")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("the issuer"), "{issuer}: {err}");
        }
        let err = Config::new(ANYPOINT_US_ISSUER, "", "s3cret").unwrap_err();
        assert_eq!(err.to_string(), "the client ID is empty");
        let err = Config::new(ANYPOINT_US_ISSUER, "app", "").unwrap_err();
        assert_eq!(err.to_string(), "the client secret is empty");
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let config = Config::from_vars(&vars(&APP)).unwrap();
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("(hidden)"),
            "{shown}"
        );
    }
}
