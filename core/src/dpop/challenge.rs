//! A resource server's nonce challenge (RFC 9449 §9): a 401 whose `WWW-Authenticate` holds a `DPoP` challenge
//! with `error="use_dpop_nonce"`, the header read as RFC 9110 §11.6.1 defines it.

/// The longest header read. RFC 9110 sets no limit; servers commonly cap a whole header section near 8 KB. A
/// longer one is not read, so it earns no retry.
pub const MAX_HEADER_LEN: usize = 8 * 1024;

/// Whether a resource's answer asks for a nonce: status 401, and a `WWW-Authenticate` header (the browser
/// joins several with `, `) with a challenge of scheme `DPoP` (any case) whose `error` is `use_dpop_nonce`. A
/// header that does not parse as a whole asks for nothing: a quote left open could hide or fake a parameter.
pub fn asks_for_nonce(status: u16, www_authenticate: &str) -> bool {
    says_error(status, www_authenticate, &["DPoP"], "use_dpop_nonce")
}

/// Whether a resource's answer refuses the access token itself (RFC 6750 §3.1 `invalid_token`: expired,
/// revoked): status 401 and a `Bearer` or `DPoP` challenge with that error, read as [`asks_for_nonce`] reads.
/// A renewed token may then be taken.
pub fn refuses_token(status: u16, www_authenticate: &str) -> bool {
    says_error(
        status,
        www_authenticate,
        &["Bearer", "DPoP"],
        "invalid_token",
    )
}

/// A 401 whose header holds a challenge of one of `schemes` (any case) with `error` (exactly).
fn says_error(status: u16, www_authenticate: &str, schemes: &[&str], error: &str) -> bool {
    status == 401
        && www_authenticate.len() <= MAX_HEADER_LEN
        && challenges(www_authenticate).is_some_and(|all| {
            all.iter().any(|c| {
                schemes.iter().any(|s| c.scheme.eq_ignore_ascii_case(s))
                    && c.params
                        .iter()
                        .any(|(name, value)| name.eq_ignore_ascii_case("error") && value == error)
            })
        })
}

/// One challenge: its scheme and auth-params (a token68 is read past, not kept).
struct Challenge<'a> {
    scheme: &'a str,
    params: Vec<(&'a str, String)>,
}

/// `#challenge`: challenges separated by commas, which also separate a challenge's params. `None` when the
/// header does not parse.
fn challenges(header: &str) -> Option<Vec<Challenge<'_>>> {
    let mut at = Cursor {
        text: header,
        at: 0,
    };
    let mut all = Vec::new();
    loop {
        // Empty list elements are allowed (RFC 9110 §5.6.1).
        at.skip(|b| is_ows(b) || b == b',');
        if at.peek().is_none() {
            return Some(all);
        }
        let scheme = at.token()?;
        let spaced = !at.skip(is_ows).is_empty();
        let params = match at.peek() {
            None | Some(b',') => Vec::new(),
            Some(_) if spaced && at.token68() => Vec::new(),
            Some(_) if spaced => at.params()?,
            Some(_) => return None,
        };
        all.push(Challenge { scheme, params });
    }
}

/// A position in the header. It only steps over ASCII bytes outside quoted strings, so each slice it takes is
/// whole characters.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The bytes from here that are in `set`, stepped over.
    fn skip(&mut self, set: impl Fn(u8) -> bool) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(&set) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    fn token(&mut self) -> Option<&'a str> {
        Some(self.skip(is_tchar)).filter(|t| !t.is_empty())
    }

    /// Steps over a token68 (`Basic dXNlcjpwdw==`) if one is here, alone up to the next comma or the end;
    /// otherwise stays put (`error="…"` starts like one).
    fn token68(&mut self) -> bool {
        let start = self.at;
        let body = self.skip(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
        self.skip(|b| b == b'=');
        self.skip(is_ows);
        let alone = !body.is_empty() && matches!(self.peek(), None | Some(b','));
        if !alone {
            self.at = start;
        }
        alone
    }

    /// `#auth-param` (`name BWS "=" BWS ( token / quoted-string )`), up to the next challenge or the end.
    fn params(&mut self) -> Option<Vec<(&'a str, String)>> {
        let mut params: Vec<(&str, String)> = Vec::new();
        loop {
            let name = self.token()?;
            self.skip(is_ows);
            self.eat(b'=')?;
            self.skip(is_ows);
            let value = match self.eat(b'"') {
                Some(()) => self.quoted()?,
                None => self.token()?.to_owned(),
            };
            // A name twice in one challenge is invalid (RFC 9110 §11.2): which would count?
            if params.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                return None;
            }
            params.push((name, value));
            self.skip(is_ows);
            match self.peek() {
                None => return Some(params),
                Some(b',') => {}
                Some(_) => return None,
            }
            // After the comma, `name =` is another param; anything else starts the next challenge.
            self.skip(|b| is_ows(b) || b == b',');
            let next = self.at;
            let is_param = self.token().is_some() && {
                self.skip(is_ows);
                self.peek() == Some(b'=')
            };
            self.at = next;
            if !is_param {
                return Some(params);
            }
        }
    }

    /// The rest of a quoted string whose opening quote is read, unescaped; `None` when it is not closed or
    /// holds a control character.
    fn quoted(&mut self) -> Option<String> {
        let mut value = Vec::new();
        loop {
            let b = self.peek()?;
            self.at += 1;
            match b {
                b'"' => return String::from_utf8(value).ok(),
                b'\\' => {
                    let escaped = self.peek().filter(|&e| is_quoted_text(e) || e == b'"')?;
                    self.at += 1;
                    value.push(escaped);
                }
                b if is_quoted_text(b) => value.push(b),
                _ => return None,
            }
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }
}

/// `OWS`: spaces and tabs.
fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `tchar` (RFC 9110 §5.6.2).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// What a quoted string holds unescaped (`qdtext`), and the backslash, which may be escaped too: tab, space,
/// visible ASCII but the quote, and any byte of a non-ASCII character (`obs-text`).
fn is_quoted_text(b: u8) -> bool {
    matches!(b, b'\t' | 0x20..=0x21 | 0x23..=0x7E | 0x80..=0xFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(header: &str) -> bool {
        asks_for_nonce(401, header)
    }

    #[test]
    fn a_dpop_challenge_with_use_dpop_nonce_asks() {
        for header in [
            // RFC 9449 §9's example.
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
            "dpop ERROR=use_dpop_nonce",
            r#"DPoP error = "use_dpop_nonce""#,
            r#"DPoP algs="ES256 PS256", error="use_dpop_nonce""#,
            r#"DPoP error="use_\dpop_nonce""#,
            r#"DPoP realm="é \"quoted\", \\", error="use_dpop_nonce""#,
            // Several challenges, as the browser joins several headers.
            r#"Bearer realm="api", error="invalid_token", DPoP algs="ES256", error="use_dpop_nonce""#,
            r#"Bearer, DPoP error="use_dpop_nonce""#,
            r#"Basic dXNlcjpwdw==, DPoP error="use_dpop_nonce",, "#,
            r#"Newauth abc, , DPoP error="use_dpop_nonce""#,
        ] {
            assert!(asks(header), "{header}");
        }
    }

    #[test]
    fn anything_else_does_not() {
        for header in [
            "",
            ",, ,",
            "DPoP",
            r#"DPoP error="invalid_token""#,
            r#"DPoP error="use_dpop_nonce ""#,
            r#"DPoP error="USE_DPOP_NONCE""#,
            r#"Bearer error="use_dpop_nonce""#,
            r#"DPoPx error="use_dpop_nonce""#,
            r#"XDPoP error="use_dpop_nonce""#,
            // The error belongs to the Bearer challenge; the DPoP one has none.
            r#"DPoP algs="ES256", Bearer error="use_dpop_nonce""#,
            // Not a param of a DPoP challenge: a challenge named `error`, which does not parse.
            r#"DPoP, error="use_dpop_nonce""#,
            // Inside another value, behind escaped quotes.
            r#"DPoP realm="x\", error=\"use_dpop_nonce\"""#,
            // Unterminated quotes, and an escape at the very end.
            r#"DPoP error="use_dpop_nonce"#,
            r#"DPoP error="use_dpop_nonce", realm="x"#,
            r#"DPoP error="use_dpop_nonce", realm="x\"#,
            // The same name twice: which one would count?
            r#"DPoP error="use_dpop_nonce", error="invalid_token""#,
            r#"DPoP error="invalid_token", Error="use_dpop_nonce""#,
            // Malformed around a valid-looking challenge.
            r#"DPoP error="use_dpop_nonce" realm="x""#,
            r#"DPoP error=use_dpop_nonce=x"#,
            r#"DPoP error=, error="use_dpop_nonce""#,
            "DPoP error=\"use_dpop_nonce\u{0}\"",
            "DPoP error=\"use_dpop_nonce\", realm=\"a\nb\"",
            "DPoP\u{a0}error=\"use_dpop_nonce\"",
            r#"DPoP=error="use_dpop_nonce""#,
        ] {
            assert!(!asks(header), "{header}");
        }
        let good = r#"DPoP error="use_dpop_nonce""#;
        assert!(!asks_for_nonce(400, good));
        assert!(!asks_for_nonce(403, good));
    }

    #[test]
    fn an_invalid_token_challenge_of_either_scheme_refuses_the_token() {
        for header in [
            r#"Bearer error="invalid_token", error_description="expired""#,
            r#"DPoP algs="ES256", error="invalid_token""#,
            r#"Basic realm="x", bearer ERROR=invalid_token"#,
        ] {
            assert!(refuses_token(401, header), "{header}");
            assert!(!refuses_token(403, header), "{header}");
            assert!(!asks_for_nonce(401, header), "{header}");
        }
        for header in [
            r#"Bearer error="insufficient_scope""#,
            r#"Basic error="invalid_token""#,
            r#"Bearer error="invalid_token"#,
            r#"Bearer realm="error=\"invalid_token\"""#,
            "",
        ] {
            assert!(!refuses_token(401, header), "{header}");
        }
    }

    #[test]
    fn huge_headers_are_not_read() {
        let challenge = r#"DPoP error="use_dpop_nonce""#;
        let pad = |n: usize| format!(r#"Bearer realm="{}", "#, "a".repeat(n));
        let fits = pad(MAX_HEADER_LEN - challenge.len() - 17) + challenge;
        assert_eq!(fits.len(), MAX_HEADER_LEN);
        assert!(asks(&fits));
        assert!(!asks(&(pad(MAX_HEADER_LEN) + challenge)));
        assert!(!asks(&(",".repeat(10_000_000) + challenge)));
        // At the limit, the worst shapes still parse in one pass.
        for filler in [",", " ", "a=b, ", "Basic a, ", "\"", "\\"] {
            let many = filler.repeat(MAX_HEADER_LEN / filler.len() - challenge.len());
            asks(&(many + challenge));
        }
    }
}
