//! The element's published surface as data, from where the code defines it: every attribute (name, the
//! earlier element's spelling, its choices and default), error code and event. Written to
//! `www/meta/registry.json`, from which `www/meta` builds the Custom Elements Manifest, the `.d.ts` and the
//! README's reference (the playground reads the manifest). The test below fails when the file and this
//! disagree; `UPDATE_REGISTRY=1 cargo test -p anypoint-signin registry` rewrites it.

use anypoint_signin_core::attributes::{self, Attribute, Kind};
use anypoint_signin_core::config::DEFAULT_SCOPES;
use anypoint_signin_core::error::Code;

use crate::events;

/// A JSON string.
fn string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A JSON array of strings.
fn strings<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<_> = texts.into_iter().map(string).collect();
    format!("[{}]", items.join(", "))
}

/// The attribute's default, when the element has one: a choice's first word, and the default scopes.
fn default(attribute: &Attribute) -> Option<&'static str> {
    match attribute.kind {
        Kind::Choice(words) => words.first().copied(),
        _ if attribute.name == attributes::SCOPES.name => Some(DEFAULT_SCOPES),
        _ => None,
    }
}

fn json() -> String {
    let attributes: Vec<String> = attributes::ALL
        .iter()
        .map(|a| {
            let kind = match a.kind {
                Kind::Text => "text",
                Kind::Url => "url",
                Kind::Choice(_) => "choice",
            };
            format!(
                "    {{\"name\": {}, \"alias\": {}, \"kind\": {}, \"choices\": {}, \"default\": {}}}",
                string(a.name),
                a.alias.map_or("null".into(), string),
                string(kind),
                strings(a.words().iter().copied()),
                default(a).map_or("null".into(), string),
            )
        })
        .collect();
    format!(
        "{{\n  \"tag\": {},\n  \"attributes\": [\n{}\n  ],\n  \"errorCodes\": {},\n  \"events\": {}\n}}\n",
        string(crate::element::TAG),
        attributes.join(",\n"),
        strings(Code::ALL.iter().map(|c| c.as_str())),
        strings(events::ALL),
    )
}

#[test]
fn the_shipped_registry_is_the_generated_one() {
    crate::shipped::check(
        "www/meta/registry.json",
        &json(),
        "UPDATE_REGISTRY",
        "registry",
    );
}
