//! URLs as the browser reads them (the WHATWG URL Standard), and the check every URL-valued input passes.
//!
//! A URL is never classified by its text: `/\evil.example/x` looks like a path on this site, but the browser
//! reads it as `//evil.example/x`. Every URL is parsed the way the browser parses it, then its parts are
//! checked. The element parses with the browser's own `URL` (no parser is compiled into the wasm); native
//! builds (tests, fuzzing, the playground's server) with the `url` crate, which implements the same standard.

/// The parts of a parsed URL that the checks read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl {
    /// The URL as the parser serializes it.
    pub href: String,
    /// The scheme, without its `:`.
    pub scheme: String,
    /// The host as serialized (an IPv6 address in brackets); empty when there is none.
    pub host: String,
    /// `scheme://host[:port]`, or `null` for an opaque origin.
    pub origin: String,
    /// A user name or a password is present.
    pub has_credentials: bool,
}

/// Parses `input` as `new URL(input, base)` does; `None` where that throws. `base: None` accepts only
/// absolute URLs.
pub type Parse = fn(&str, Option<&str>) -> Option<WebUrl>;

/// Parses `url` as an absolute https URL, or http on a loopback host (RFC 8252 §7.3, and the only http that
/// RFC 9700 tolerates). The error says why not, worded to follow the URL in a message.
pub fn check_web_url(url: &str, parse: Parse) -> Result<WebUrl, &'static str> {
    check_resolved(url, None, parse)
}

/// [`check_web_url`] for `url` resolved against `base` (`None`: `url` must be absolute).
pub fn check_resolved(url: &str, base: Option<&str>, parse: Parse) -> Result<WebUrl, &'static str> {
    // The parser would silently drop tabs and newlines, and trim spaces: such a value is refused, not guessed at.
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters");
    }
    let parsed = parse(url, base).ok_or("must be an absolute https:// URL")?;
    if parsed.has_credentials {
        return Err("must not contain a user name or password");
    }
    match parsed.scheme.as_str() {
        "https" if !parsed.host.is_empty() => Ok(parsed),
        "http" if is_loopback(&parsed.host) => Ok(parsed),
        "http" => Err("must use https (http is only allowed for 127.0.0.1, [::1] and localhost)"),
        _ => Err("must be an absolute https:// URL"),
    }
}

/// A loopback host as the parser serializes it: `localhost`, `[::1]`, or an IPv4 address in 127.0.0.0/8
/// (the parser writes every IPv4 form, such as `127.1` or `0x7f.0.0.1`, as four decimal parts).
fn is_loopback(host: &str) -> bool {
    let mut parts = host.split('.');
    let ipv4_loopback = parts.next() == Some("127")
        && parts.clone().count() == 3
        && parts.all(|p| p.parse::<u8>().is_ok());
    host == "localhost" || host == "[::1]" || ipv4_loopback
}

/// [`Parse`] for native builds, with the `url` crate (feature `url`).
#[cfg(feature = "url")]
pub fn parse_native(input: &str, base: Option<&str>) -> Option<WebUrl> {
    let url = match base {
        Some(base) => url::Url::parse(base).ok()?.join(input).ok()?,
        None => url::Url::parse(input).ok()?,
    };
    Some(WebUrl {
        href: url.as_str().to_owned(),
        scheme: url.scheme().to_owned(),
        host: url.host_str().unwrap_or_default().to_owned(),
        origin: url.origin().ascii_serialization(),
        has_credentials: !url.username().is_empty() || url.password().is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<String, &'static str> {
        check_web_url(url, parse_native).map(|u| u.href)
    }

    #[test]
    fn https_and_loopback_http_pass() {
        for ok in [
            "https://app.example.com/cb",
            "https://app.example.com:8443/a?x=1",
            "http://127.0.0.1:8080/cb",
            "http://localhost/",
            "http://[::1]:3000/",
            "http://127.1/",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn anything_else_is_refused_by_what_the_browser_would_read() {
        for bad in [
            "http://app.example.com/cb",
            "http://127.0.0.1.evil.com/",
            "http://localhost.evil.com/",
            "/callback",
            "//evil.example/x",
            "/\\evil.example/x",
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "https://user:pw@app.example.com/",
            "https://app.example.com:80x/",
            "https://app example.com/",
            "https://app.example.com/\t/x",
            "ftp://app.example.com/",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_native_parser_reads_relative_urls_as_the_browser_does() {
        let page = Some("https://app.example.com/cb");
        let origin = |input| parse_native(input, page).map(|u| u.origin);
        assert_eq!(origin("/api/x").as_deref(), Some("https://app.example.com"));
        assert_eq!(
            origin("/\\evil.example/steal").as_deref(),
            Some("https://evil.example")
        );
        assert_eq!(
            origin("\\\\evil.example/steal").as_deref(),
            Some("https://evil.example")
        );
        assert_eq!(
            origin("/\t/evil.example/steal").as_deref(),
            Some("https://evil.example")
        );
        assert_eq!(
            parse_native("/api/x", None),
            None,
            "no base: relative URLs do not parse"
        );
    }
}
