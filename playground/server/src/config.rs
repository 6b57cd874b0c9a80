//! The server's configuration, from environment variables (a secret does not belong on a command line,
//! where any local user can read it in the process list).

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use anypoint_signin_core::web_url::{check_web_url, parse_native};

/// Anypoint's US control plane: the issuer when `ANYPOINT_ISSUER` is not set.
pub const ANYPOINT_US_ISSUER: &str = "https://anypoint.mulesoft.com/accounts/api/v2/oauth2";

/// Everything the server needs.
#[derive(Clone)]
pub struct Config {
    /// Where to listen (`PLAYGROUND_ADDR`, default `127.0.0.1:8080`).
    pub addr: SocketAddr,
    /// The authorization server's issuer (`ANYPOINT_ISSUER`); the token endpoint is `{issuer}/token`, as on
    /// Anypoint.
    pub issuer: String,
    /// The confidential connected app (`ANYPOINT_CLIENT_ID`): the only client the exchange accepts.
    pub client_id: String,
    /// Its secret (`ANYPOINT_CLIENT_SECRET`). Sent to the token endpoint, never to a browser.
    pub client_secret: String,
    /// The folder of pages (`PLAYGROUND_PAGES`, default `playground/site`).
    pub pages: PathBuf,
    /// The built element (`PLAYGROUND_DIST`, default `www/dist`), served at `/anypoint-signin/`.
    pub dist: PathBuf,
}

// Hand-written so that the secret never lands in a log line by way of `{:?}`.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("pages", &self.pages)
            .field("dist", &self.dist)
            .finish()
    }
}

impl Config {
    /// The token endpoint the exchange calls.
    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.issuer.trim_end_matches('/'))
    }

    /// Reads the configuration from `vars` (the process environment in `main`).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, String> {
        let get = |name: &str| vars.get(name).filter(|v| !v.is_empty());
        let required = |name: &str| {
            get(name).cloned().ok_or_else(|| {
                format!(
                    "{name} is not set: the confidential connected app's {}",
                    what(name)
                )
            })
        };
        let addr = get("PLAYGROUND_ADDR").map_or("127.0.0.1:8080", String::as_str);
        let addr = addr
            .parse()
            .map_err(|_| format!("PLAYGROUND_ADDR must be host:port, not {addr:?}"))?;
        let issuer = get("ANYPOINT_ISSUER").map_or(ANYPOINT_US_ISSUER, String::as_str);
        // The element's own check, on the URL as a WHATWG parser reads it: `http://127.0.0.1.evil.com`
        // starts like a loopback URL and is not one.
        if let Err(why) = check_web_url(issuer, parse_native) {
            return Err(format!("ANYPOINT_ISSUER {issuer:?} {why}"));
        }
        Ok(Config {
            addr,
            issuer: issuer.to_owned(),
            client_id: required("ANYPOINT_CLIENT_ID")?,
            client_secret: required("ANYPOINT_CLIENT_SECRET")?,
            pages: get("PLAYGROUND_PAGES").map_or("playground/site".into(), PathBuf::from),
            dist: get("PLAYGROUND_DIST").map_or("www/dist".into(), PathBuf::from),
        })
    }
}

fn what(name: &str) -> &'static str {
    if name.ends_with("SECRET") {
        "client secret"
    } else {
        "client ID"
    }
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

    #[test]
    fn defaults_to_anypoint_us_and_local_folders() {
        let config = Config::from_vars(&vars(&APP)).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(
            config.token_endpoint(),
            "https://anypoint.mulesoft.com/accounts/api/v2/oauth2/token"
        );
        assert_eq!(config.pages, PathBuf::from("playground/site"));
        assert_eq!(config.dist, PathBuf::from("www/dist"));
    }

    #[test]
    fn reads_every_variable() {
        let mut v = vars(&APP);
        v.extend(vars(&[
            ("PLAYGROUND_ADDR", "127.0.0.1:0"),
            (
                "ANYPOINT_ISSUER",
                "http://127.0.0.1:9000/accounts/api/v2/oauth2/",
            ),
            ("PLAYGROUND_PAGES", "tests/pages"),
            ("PLAYGROUND_DIST", "dist"),
        ]));
        let config = Config::from_vars(&v).unwrap();
        assert_eq!(config.addr.port(), 0);
        assert_eq!(
            config.token_endpoint(),
            "http://127.0.0.1:9000/accounts/api/v2/oauth2/token"
        );
        assert_eq!(
            (config.client_id.as_str(), config.client_secret.as_str()),
            ("app", "s3cret")
        );
        assert_eq!(config.pages, PathBuf::from("tests/pages"));
    }

    #[test]
    fn refuses_missing_credentials_bad_address_and_plain_http_issuer() {
        let err = Config::from_vars(&vars(&APP[..1])).unwrap_err();
        assert!(err.contains("ANYPOINT_CLIENT_SECRET"), "{err}");
        let err = Config::from_vars(&vars(&[("ANYPOINT_CLIENT_SECRET", "x")])).unwrap_err();
        assert!(err.contains("ANYPOINT_CLIENT_ID"), "{err}");
        let mut v = vars(&APP);
        v.insert("PLAYGROUND_ADDR".into(), "8080".into());
        assert!(Config::from_vars(&v).unwrap_err().contains("host:port"));
        for issuer in [
            "http://idp.example.com",
            "http://127.0.0.1.evil.com/oauth2",
            "http://localhost.evil.com",
            "https://user:pw@idp.example.com",
            "idp.example.com",
        ] {
            let mut v = vars(&APP);
            v.insert("ANYPOINT_ISSUER".into(), issuer.into());
            let err = Config::from_vars(&v).unwrap_err();
            assert!(err.starts_with("ANYPOINT_ISSUER"), "{issuer}: {err}");
        }
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
