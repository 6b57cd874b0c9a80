//! The element's published surface as data, from where the code defines it: every attribute (name, the
//! earlier element's spelling, its choices and default), error code, event (and the earlier element's name
//! for it), CSS part and custom property, and the languages its labels come in. Written to
//! `www/meta/registry.json`, from which `www/meta` builds the Custom Elements Manifest, the `.d.ts` and the
//! README's reference (the playground reads the manifest). The test below fails when the file and this
//! disagree; `UPDATE_REGISTRY=1 cargo test -p anypoint-signin registry` rewrites it.

use anypoint_signin_core::attributes::{self, Attribute, Kind};
use anypoint_signin_core::config::DEFAULT_SCOPES;
use anypoint_signin_core::error::Code;
use anypoint_signin_core::locale::LANGUAGES;

use crate::button::style::{CSS, part};
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

/// A JSON object of `name` and `alias` (or null).
fn named(name: &str, alias: Option<&str>) -> String {
    format!(
        "{{\"name\": {}, \"alias\": {}}}",
        string(name),
        alias.map_or("null".into(), string)
    )
}

/// `names` without repeats, in order of first appearance.
fn unique(names: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut kept = Vec::new();
    for name in names {
        if !kept.contains(&name) {
            kept.push(name);
        }
    }
    kept
}

/// The parts' names, in the view's order: the words of its `part` attributes.
fn parts() -> Vec<&'static str> {
    unique(part::ALL.iter().flat_map(|value| value.split_whitespace()))
}

/// The custom properties a page can set: those the stylesheet reads (`var(--anypoint-signin-…`), in order.
fn custom_properties() -> Vec<&'static str> {
    unique(CSS.match_indices("var(--anypoint-signin-").map(|(at, _)| {
        let rest = &CSS[at + "var(".len()..];
        &rest[..rest.find([',', ')']).unwrap_or(rest.len())]
    }))
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
    let events: Vec<String> = events::ALL
        .iter()
        .map(|(name, earlier)| format!("    {}", named(name, *earlier)))
        .collect();
    format!(
        "{{\n  \"tag\": {},\n  \"attributes\": [\n{}\n  ],\n  \"errorCodes\": {},\n  \"events\": [\n{}\n  ],\n  \
         \"cssParts\": {},\n  \"cssProperties\": {},\n  \"languages\": {}\n}}\n",
        string(crate::element::TAG),
        attributes.join(",\n"),
        strings(Code::ALL.iter().map(|c| c.as_str())),
        events.join(",\n"),
        strings(parts()),
        strings(custom_properties()),
        strings(LANGUAGES.iter().map(|labels| labels.lang)),
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
