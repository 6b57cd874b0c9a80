//! The server's configuration, from environment variables (a secret does not belong on a command line,
//! where any local user can read it in the process list).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs. `Debug` hides the secret (the exchange's `Config` does).
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen (`PLAYGROUND_ADDR`, default `127.0.0.1:8080`).
    pub addr: SocketAddr,
    /// The exchange's authorization server and confidential connected app (`ANYPOINT_ISSUER`,
    /// `ANYPOINT_CLIENT_ID`, `ANYPOINT_CLIENT_SECRET`, `ANYPOINT_SIGNIN_SESSION_KEY`: see [`anypoint_signin_server::Config::from_vars`]).
    pub exchange: anypoint_signin_server::Config,
    /// The folder of pages (`PLAYGROUND_PAGES`, default `playground/site`).
    pub pages: PathBuf,
    /// The built element (`PLAYGROUND_DIST`, default `www/dist`), served at `/anypoint-signin/`.
    pub dist: PathBuf,
}

impl Config {
    /// Reads the configuration from `vars` (the process environment in `main`).
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, String> {
        let get = |name: &str| vars.get(name).filter(|v| !v.is_empty());
        let addr = get("PLAYGROUND_ADDR").map_or("127.0.0.1:8080", String::as_str);
        let addr = addr
            .parse()
            .map_err(|_| format!("PLAYGROUND_ADDR must be host:port, not {addr:?}"))?;
        Ok(Config {
            addr,
            exchange: anypoint_signin_server::Config::from_vars(vars).map_err(|e| e.to_string())?,
            pages: get("PLAYGROUND_PAGES").map_or("playground/site".into(), PathBuf::from),
            dist: get("PLAYGROUND_DIST").map_or("www/dist".into(), PathBuf::from),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anypoint_signin_server::testing::{APP, vars};

    #[test]
    fn defaults_to_local_folders() {
        let config = Config::from_vars(&vars(&APP)).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.pages, PathBuf::from("playground/site"));
        assert_eq!(config.dist, PathBuf::from("www/dist"));
    }

    #[test]
    fn reads_every_variable() {
        let mut v = vars(&APP);
        v.extend(vars(&[
            ("PLAYGROUND_ADDR", "127.0.0.1:0"),
            ("ANYPOINT_ISSUER", "http://127.0.0.1:9000/oauth2"),
            ("PLAYGROUND_PAGES", "tests/pages"),
            ("PLAYGROUND_DIST", "dist"),
        ]));
        let config = Config::from_vars(&v).unwrap();
        assert_eq!(config.addr.port(), 0);
        assert_eq!(config.exchange.issuer(), "http://127.0.0.1:9000/oauth2");
        assert_eq!(config.exchange.client_id(), "app");
        assert_eq!(config.pages, PathBuf::from("tests/pages"));
        assert_eq!(config.dist, PathBuf::from("dist"));
    }

    #[test]
    fn refuses_a_bad_address_and_what_the_exchange_refuses() {
        let mut v = vars(&APP);
        v.insert("PLAYGROUND_ADDR".into(), "8080".into());
        assert!(Config::from_vars(&v).unwrap_err().contains("host:port"));
        let err = Config::from_vars(&vars(&APP[..1])).unwrap_err();
        assert!(err.contains("ANYPOINT_CLIENT_SECRET"), "{err}");
        let mut v = vars(&APP);
        v.insert("ANYPOINT_ISSUER".into(), "http://idp.example.com".into());
        assert!(
            Config::from_vars(&v)
                .unwrap_err()
                .starts_with("ANYPOINT_ISSUER")
        );
    }
}
