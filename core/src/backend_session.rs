//! The session a token-mediating backend keeps for the element (RFC 10017, "Token-Mediating Backend"): with
//! `exchangeuri`, the site's backend holds the refresh token in an encrypted, `HttpOnly` cookie and gives the
//! browser access and id tokens only. The names are shared by the backend (which sets the cookies) and the
//! element (which reads the hint); `www/server.js` and `www/src/anypoint-signin.js` spell them too, and the
//! side-by-side backend tests and this module's tests keep them equal.
//!
//! Two cookies: the session itself (the sealed refresh token, `HttpOnly`: no script reads it) and a hint
//! (`1`, readable by scripts) that only says the backend holds a session, so that a signed-out visitor's page
//! spends no request on asking. On an `https` site both names carry the `__Host-` prefix, which a browser only
//! accepts from the host itself, `Secure`, with `Path=/` and no `Domain`: a sibling subdomain cannot plant one.
//! A plain-`http` loopback site (development) cannot set prefixed or `Secure` cookies, so it gets bare names.

/// The cookie holding the sealed refresh token.
pub const SESSION_COOKIE: &str = "anypoint-signin";
/// The script-readable cookie that says the backend holds a session.
pub const HINT_COOKIE: &str = "anypoint-signin-hint";
/// The prefix both carry on an `https` site.
pub const SECURE_PREFIX: &str = "__Host-";

/// The JSON `action` of the sign-out request: `{action: "sign_out", client_id}`.
pub const SIGN_OUT_ACTION: &str = "sign_out";

/// Whether a `document.cookie` string (or a `Cookie` header) holds the hint, under either name.
pub fn hint_in(cookies: &str) -> bool {
    cookies.split(';').any(|pair| {
        let name = pair.split('=').next().unwrap_or_default().trim();
        name.strip_prefix(SECURE_PREFIX).unwrap_or(name) == HINT_COOKIE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_hint_under_either_name_only() {
        for cookies in [
            "anypoint-signin-hint=1",
            "a=b; __Host-anypoint-signin-hint=1",
            "x=1;anypoint-signin-hint=1;y=2",
        ] {
            assert!(hint_in(cookies), "{cookies}");
        }
        for cookies in [
            "",
            "anypoint-signin=sealed",
            "my-anypoint-signin-hint=1",
            "__Secure-anypoint-signin-hint=1",
            "a=anypoint-signin-hint",
        ] {
            assert!(!hint_in(cookies), "{cookies}");
        }
    }

    #[test]
    fn the_entry_module_looks_for_the_same_hint() {
        let entry = include_str!("../../www/src/anypoint-signin.js");
        assert!(
            entry.contains(&format!("'{HINT_COOKIE}'")),
            "the entry module looks for {HINT_COOKIE}"
        );
        assert!(entry.contains(&format!("'{SECURE_PREFIX}'")));
    }
}
