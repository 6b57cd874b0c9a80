//! The confidential connected app the endpoint acts for, and the keys of its session cookie: from values, or
//! from the environment (a secret does not belong on a command line, where any local user can read it in the
//! process list).

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie::Key;

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
    /// The first seals, every one unseals (rotation).
    keys: Vec<Key>,
    origins: Vec<String>,
    timeout: Duration,
    session_lifetime: Duration,
}

/// How long a token or revocation request may take, reading its answer included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a session cookie lasts: Anypoint's refresh tokens live 90 days.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::from_secs(90 * 24 * 3600);

const KEY_RULE: &str = "must be 32 random bytes, base64url (openssl rand -base64 32)";

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
            .field("keys", &format!("({} hidden)", self.keys.len()))
            .field("origins", &self.origins)
            .field("timeout", &self.timeout)
            .field("session_lifetime", &self.session_lifetime)
            .finish()
    }
}

impl Config {
    /// The app `client_id` with `client_secret` at `issuer` (whose token endpoint is `{issuer}/token` and
    /// revocation endpoint `{issuer}/revoke`, as on Anypoint), sealing its session cookies with
    /// `session_keys`: 32 random bytes each, base64url or standard base64 (`openssl rand -base64 32`); the first
    /// seals, all unseal, so a new key goes first and the old one stays second until its cookies are gone. The
    /// issuer must be `https://` (`http://` only on loopback), checked as the element checks its URLs; the ID
    /// and secret must not be empty.
    pub fn new<K: AsRef<str>>(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        session_keys: impl IntoIterator<Item = K>,
    ) -> Result<Config, ConfigError> {
        let (issuer, client_id, client_secret) =
            (issuer.into(), client_id.into(), client_secret.into());
        check_issuer(&issuer).map_err(|why| ConfigError(format!("the issuer {why}")))?;
        for (value, what) in [(&client_id, "client ID"), (&client_secret, "client secret")] {
            if value.is_empty() {
                return Err(ConfigError(format!("the {what} is empty")));
            }
        }
        let keys =
            keys(session_keys).ok_or_else(|| ConfigError(format!("the session key {KEY_RULE}")))?;
        Ok(Config::checked(issuer, client_id, client_secret, keys))
    }

    fn checked(issuer: String, client_id: String, client_secret: String, keys: Vec<Key>) -> Config {
        Config {
            issuer,
            client_id,
            client_secret,
            keys,
            origins: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            session_lifetime: DEFAULT_SESSION_LIFETIME,
        }
    }

    /// The site's own origins (`https://app.example.com`), for a request that carries no `Sec-Fetch-Site`:
    /// its `Origin` must be one of them. Without them it must name the request's `Host`, which a reverse proxy
    /// that rewrites `Host` breaks: configure them then.
    pub fn with_origins<O: Into<String>>(mut self, origins: impl IntoIterator<Item = O>) -> Config {
        self.origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// How long a token or revocation request may take ([`DEFAULT_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Config {
        self.timeout = timeout;
        self
    }

    /// The longest a session cookie lasts ([`DEFAULT_SESSION_LIFETIME`]); shorter when the token response
    /// says its refresh token expires sooner.
    pub fn with_session_lifetime(mut self, lifetime: Duration) -> Config {
        self.session_lifetime = lifetime;
        self
    }

    /// From the process environment: see [`Config::from_vars`].
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(&std::env::vars().collect())
    }

    /// From `ANYPOINT_ISSUER` (default [`ANYPOINT_US_ISSUER`]), `ANYPOINT_CLIENT_ID`,
    /// `ANYPOINT_CLIENT_SECRET` and `ANYPOINT_SIGNIN_SESSION_KEY` (keys separated by commas or spaces, the
    /// sealing one first) in `vars`; an empty variable counts as unset.
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
        let client_id = required("ANYPOINT_CLIENT_ID", "client ID")?;
        let client_secret = required("ANYPOINT_CLIENT_SECRET", "client secret")?;
        let keys = get("ANYPOINT_SIGNIN_SESSION_KEY")
            .and_then(|list| keys(list.split([',', ' ']).filter(|k| !k.is_empty())))
            .ok_or_else(|| ConfigError(format!("ANYPOINT_SIGNIN_SESSION_KEY {KEY_RULE}")))?;
        Ok(Config::checked(
            issuer.to_owned(),
            client_id,
            client_secret,
            keys,
        ))
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

    /// The revocation endpoint sign-out calls (RFC 7009).
    pub fn revocation_endpoint(&self) -> String {
        format!("{}/revoke", self.issuer.trim_end_matches('/'))
    }

    pub(crate) fn keys(&self) -> &[Key] {
        &self.keys
    }

    pub(crate) fn origins(&self) -> &[String] {
        &self.origins
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    pub(crate) fn session_lifetime(&self) -> Duration {
        self.session_lifetime
    }
}

/// The cookie keys of `encoded`: `None` when there is none, or one is not 32 bytes of base64url (or standard
/// base64, as `openssl rand -base64 32` prints it). Each is expanded as the `cookie` crate does (HKDF), which
/// `www/server.js` repeats, so either library reads the other's cookies.
fn keys<K: AsRef<str>>(encoded: impl IntoIterator<Item = K>) -> Option<Vec<Key>> {
    let keys = encoded
        .into_iter()
        .map(|key| {
            let url_safe: String = key
                .as_ref()
                .chars()
                .filter(|c| *c != '=')
                .map(|c| match c {
                    '+' => '-',
                    '/' => '_',
                    c => c,
                })
                .collect();
            let bytes = URL_SAFE_NO_PAD.decode(url_safe).ok()?;
            (bytes.len() == 32).then(|| Key::derive_from(&bytes))
        })
        .collect::<Option<Vec<Key>>>()?;
    (!keys.is_empty()).then_some(keys)
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
    use crate::testing::{APP, KEY, vars};

    /// 32 bytes in base64url.
    const KEY_URL: &str = "-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_8";

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
            config.revocation_endpoint(),
            "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/revoke"
        );
        assert_eq!(
            (config.client_id(), config.client_secret()),
            ("app", "s3cret")
        );
        assert_eq!(
            (config.timeout(), config.session_lifetime().as_secs()),
            (Duration::from_secs(10), 7_776_000)
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
        let err = Config::from_vars(&vars(&APP[1..])).unwrap_err();
        assert!(err.to_string().contains("ANYPOINT_CLIENT_ID"), "{err}");
        for issuer in BAD_ISSUERS {
            let mut v = vars(&APP);
            v.insert("ANYPOINT_ISSUER".into(), issuer.into());
            let err = Config::from_vars(&v).unwrap_err().to_string();
            assert!(err.starts_with("ANYPOINT_ISSUER"), "{issuer}: {err}");
        }
    }

    #[test]
    fn a_session_key_is_required_and_must_be_32_bytes() {
        let rule = "ANYPOINT_SIGNIN_SESSION_KEY must be 32 random bytes, base64url (openssl rand -base64 32)";
        let short = URL_SAFE_NO_PAD.encode([7u8; 31]);
        let long = URL_SAFE_NO_PAD.encode([7u8; 33]);
        for key in [
            None,
            Some(""),
            Some(" , "),
            Some("not base64!"),
            Some(&short),
            Some(&long),
        ] {
            let mut v = vars(&APP[..2]);
            if let Some(key) = key {
                v.insert("ANYPOINT_SIGNIN_SESSION_KEY".into(), key.into());
            }
            let err = Config::from_vars(&v).unwrap_err().to_string();
            assert_eq!(err, rule, "{key:?}");
        }
        for list in [
            KEY_URL,
            "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA",
            &format!("{KEY}, {KEY_URL}"),
        ] {
            let mut v = vars(&APP);
            v.insert("ANYPOINT_SIGNIN_SESSION_KEY".into(), list.into());
            assert!(Config::from_vars(&v).is_ok(), "{list}");
        }
        let two = Config::new(ANYPOINT_US_ISSUER, "app", "s3cret", [KEY, KEY_URL]).unwrap();
        assert_eq!(two.keys().len(), 2);
        let none: [&str; 0] = [];
        let err = Config::new(ANYPOINT_US_ISSUER, "app", "s3cret", none).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the session key must be 32 random bytes, base64url (openssl rand -base64 32)"
        );
    }

    #[test]
    fn new_checks_the_same() {
        assert!(Config::new("http://[::1]:9000/oauth2", "app", "s3cret", [KEY]).is_ok());
        for issuer in BAD_ISSUERS {
            let err = Config::new(issuer, "app", "s3cret", [KEY])
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("the issuer"), "{issuer}: {err}");
        }
        let err = Config::new(ANYPOINT_US_ISSUER, "", "s3cret", [KEY]).unwrap_err();
        assert_eq!(err.to_string(), "the client ID is empty");
        let err = Config::new(ANYPOINT_US_ISSUER, "app", "", [KEY]).unwrap_err();
        assert_eq!(err.to_string(), "the client secret is empty");
    }

    #[test]
    fn debug_output_hides_the_secret_and_the_keys() {
        let config = Config::from_vars(&vars(&APP)).unwrap();
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains(KEY) && shown.contains("(hidden)"),
            "{shown}"
        );
    }
}
