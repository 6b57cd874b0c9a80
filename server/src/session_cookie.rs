//! The session cookie: the refresh token sealed (AES-256-GCM by the `cookie` crate's private jar) with what it
//! is bound to, and the script-readable hint beside it (`anypoint_signin_core::backend_session`). Stateless: any
//! instance with the same keys reads any cookie, so a site scales behind a load balancer with no shared store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anypoint_signin_core::backend_session::{HINT_COOKIE, SECURE_PREFIX, SESSION_COOKIE};
use axum::http::HeaderMap;
use axum::http::header::{COOKIE, ORIGIN};
use cookie::{Cookie, CookieJar, SameSite};
use serde::{Deserialize, Serialize};

use crate::Config;

/// What the cookie holds. Bound to the app and the issuer: a cookie of another app (or of this app at another
/// issuer), sealed with a key this backend shares, is refused.
#[derive(Serialize, Deserialize)]
struct Sealed {
    iss: String,
    client_id: String,
    refresh_token: String,
    /// Unix seconds: refused from then on, whatever the browser kept.
    exp: u64,
}

/// A session read back from the request's cookie.
pub(crate) struct Session {
    pub(crate) refresh_token: String,
    pub(crate) exp: u64,
}

/// Where the cookies go: `__Host-` names, `Secure`, on an `https` site; bare names on a plain-`http` loopback
/// one (development), where a browser refuses both. Read from the request's `Origin`, which a browser sends
/// with every POST (a request without one gets the strict kind).
#[derive(Clone, Copy)]
pub(crate) struct Site {
    secure: bool,
}

/// The seconds since the epoch.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Site {
    pub(crate) fn of(headers: &HeaderMap) -> Site {
        let loopback = headers
            .get(ORIGIN)
            .and_then(|o| o.to_str().ok())
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|rest| {
                let host = match rest.rsplit_once(':') {
                    Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                    _ => rest,
                };
                host == "localhost" || host == "[::1]" || is_127(host)
            });
        Site { secure: !loopback }
    }

    fn name(self, base: &str) -> String {
        match self.secure {
            true => format!("{SECURE_PREFIX}{base}"),
            false => base.to_owned(),
        }
    }

    fn cookie(self, base: &str, value: String, max_age: u64) -> Cookie<'static> {
        Cookie::build((self.name(base), value))
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .path("/")
            .max_age(cookie::time::Duration::seconds(
                max_age.min(i64::MAX as u64) as i64,
            ))
            .build()
    }

    /// The session cookie of this kind of site in `headers`, unsealed and checked; `Err(())` when there is one
    /// that is refused (another key, tampered, another app or issuer, expired), `Ok(None)` when there is none.
    pub(crate) fn read(self, config: &Config, headers: &HeaderMap) -> Result<Option<Session>, ()> {
        let name = self.name(SESSION_COOKIE);
        let Some(value) = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find_map(|(n, v)| (n == name).then_some(v))
        else {
            return Ok(None);
        };
        let cookie = Cookie::new(name, value.to_owned());
        let jar = CookieJar::new();
        let plain = config
            .keys()
            .iter()
            .find_map(|key| jar.private(key).decrypt(cookie.clone()))
            .ok_or(())?;
        let sealed: Sealed = serde_json::from_str(plain.value()).map_err(drop)?;
        let valid = sealed.iss == config.issuer()
            && sealed.client_id == config.client_id()
            && sealed.exp > now()
            && !sealed.refresh_token.is_empty();
        match valid {
            true => Ok(Some(Session {
                refresh_token: sealed.refresh_token,
                exp: sealed.exp,
            })),
            false => Err(()),
        }
    }

    /// The Set-Cookie values that keep `refresh_token` until `exp` (Unix seconds), sealed with the first key.
    pub(crate) fn keep(self, config: &Config, refresh_token: &str, exp: u64) -> [String; 2] {
        let sealed = Sealed {
            iss: config.issuer().to_owned(),
            client_id: config.client_id().to_owned(),
            refresh_token: refresh_token.to_owned(),
            exp,
        };
        let max_age = exp.saturating_sub(now());
        let mut jar = CookieJar::new();
        let plain = serde_json::to_string(&sealed).unwrap_or_default();
        jar.private_mut(&config.keys()[0])
            .add(self.cookie(SESSION_COOKIE, plain, max_age));
        let session = jar.delta().next().map(|c| {
            let mut c = c.clone();
            c.set_http_only(true);
            c.to_string()
        });
        [
            session.unwrap_or_default(),
            self.cookie(HINT_COOKIE, "1".into(), max_age).to_string(),
        ]
    }

    /// The Set-Cookie values that end the session (and a stale hint).
    pub(crate) fn clear(self) -> [String; 2] {
        let mut session = self.cookie(SESSION_COOKIE, String::new(), 0);
        session.set_http_only(true);
        [
            session.to_string(),
            self.cookie(HINT_COOKIE, String::new(), 0).to_string(),
        ]
    }
}

/// When a session that starts now ends: the configured lifetime, or sooner when the token response says its
/// refresh token expires sooner (`refresh_token_expires_in`, or Keycloak's `refresh_expires_in`).
pub(crate) fn expiry(config: &Config, refresh_expires_in: Option<u64>) -> u64 {
    let lifetime = config.session_lifetime();
    let lifetime = refresh_expires_in
        .filter(|s| *s > 0)
        .map_or(lifetime, |s| lifetime.min(Duration::from_secs(s)));
    now().saturating_add(lifetime.as_secs())
}

fn is_127(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
