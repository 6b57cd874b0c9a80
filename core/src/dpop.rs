//! DPoP (RFC 9449): tokens bound to a key the page cannot export, so that a token copied out of the page is
//! useless without it. The protocol side, with no browser in it: whether a sign-in binds its tokens and what
//! type of token it then accepts ([`binding`]), the key's public half and thumbprint ([`key`]), each request's
//! proof up to its signature ([`proof`]), and the server's nonces ([`nonce`], and the resource server's
//! `WWW-Authenticate` challenge: [`challenge`]). The element signs with Web Crypto (ES256, a non-extractable
//! key) and sends.

pub mod binding;
pub mod challenge;
pub mod key;
pub mod nonce;
pub mod proof;

use std::fmt::Write;

/// A member's value in [`object_text`].
enum Member<'a> {
    /// A string, escaped.
    Text(&'a str),
    /// A whole number (`iat`).
    Number(u64),
    /// An object's text, written as it is.
    Object(&'a str),
}

/// The text of a JSON object with these members, in this order, without whitespace: the exact bytes a proof
/// signs and a thumbprint hashes, which the core writes itself ([`crate::json`] leaves the text to the
/// browser, whose `JSON.stringify` does not promise an order).
fn object_text(members: &[(&str, Member)]) -> String {
    let mut text = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        string_text(&mut text, name);
        text.push(':');
        match value {
            Member::Text(s) => string_text(&mut text, s),
            Member::Number(n) => text.push_str(&n.to_string()),
            Member::Object(object) => text.push_str(object),
        }
    }
    text.push('}');
    text
}

/// `s` as a JSON string (RFC 8259 §7): a URL or a nonce with a quote in it stays one member.
fn string_text(text: &mut String, s: &str) {
    text.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                text.push('\\');
                text.push(c);
            }
            // Writing to a String cannot fail.
            c if c < ' ' => _ = write!(text, "\\u{:04x}", c as u32),
            c => text.push(c),
        }
    }
    text.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_text_reads_back_as_written_whatever_the_strings_hold() {
        let hostile = "a\"b\\c\u{0}\n\u{1f}\u{7f}é\u{202e}</script>";
        let text = object_text(&[
            ("s", Member::Text(hostile)),
            ("n", Member::Number(u64::MAX)),
            ("o", Member::Object(r#"{"k":"v"}"#)),
            ("q\"", Member::Text("")),
        ]);
        assert_eq!(
            text,
            "{\"s\":\"a\\\"b\\\\c\\u0000\\u000a\\u001f\u{7f}é\u{202e}</script>\",\
             \"n\":18446744073709551615,\"o\":{\"k\":\"v\"},\"q\\\"\":\"\"}"
        );
        let read: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read["s"], hostile);
        assert_eq!(read["n"], u64::MAX);
        assert_eq!(read["o"]["k"], "v");
        assert_eq!(read["q\""], "");
    }
}
