//! Every attribute the element reads, in one list: its name, the earlier element's spelling, what it holds and
//! the error code a bad value gets. The config, the look, the observed attribute list, the Leptos props and the
//! package's description (checked by its drift test) all follow this list; values are read by one [`Reader`].

use std::iter;

use crate::appearance::{Shape, Size, Theme, Width};
use crate::config::{AuthType, Mode, SignOutScope, StorageKind};
use crate::dpop::binding::DpopMode;
use crate::error::{Code, Error};
use crate::region::Region;

/// A choice attribute's values: an enum whose variants carry their words, each written once (the crate's
/// `choices!` macro declares them).
pub trait Choice: Copy + 'static {
    /// Every value, the default first.
    const ALL: &'static [Self];
    /// Their words, in the same order.
    const WORDS: &'static [&'static str];
}

/// `enum E { A = "a", B = "b" }`: the enum, its [`Choice`] (the first variant the default) and `E::word`.
macro_rules! choices {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$variant_meta:meta])* $variant:ident = $word:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
        $vis enum $name {
            #[default]
            $($(#[$variant_meta])* $variant),+
        }

        impl $crate::attributes::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WORDS: &'static [&'static str] = &[$($word),+];
        }

        impl $name {
            /// The attribute's word for this value.
            pub fn word(self) -> &'static str {
                // The variants are declared in the order of their words.
                <Self as $crate::attributes::Choice>::WORDS[self as usize]
            }
        }
    };
}
pub(crate) use choices;

/// What an attribute holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A URL, checked as the browser parses it ([`crate::web_url`]).
    Url,
    /// One of these words (any case); the first is the default.
    Choice(&'static [&'static str]),
}

/// One attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Its name.
    pub name: &'static str,
    /// The earlier element's spelling, also read (the name wins).
    pub alias: Option<&'static str>,
    /// What it holds.
    pub kind: Kind,
    /// The error a bad value gets.
    pub code: Code,
}

impl Attribute {
    /// A choice attribute's words, the default first; none for the others.
    pub fn words(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Choice(words) => words,
            Kind::Text | Kind::Url => &[],
        }
    }
}

const fn attribute(name: &'static str, kind: Kind, code: Code) -> Attribute {
    Attribute {
        name,
        alias: None,
        kind,
        code,
    }
}

/// The connected app's client ID (required).
pub const CLIENT_ID: Attribute = Attribute {
    alias: Some("client-id"),
    ..attribute("clientid", Kind::Text, Code::MissingClientId)
};
/// Where the authorization server sends the user back.
pub const REDIRECT_URI: Attribute = Attribute {
    alias: Some("redirect-uri"),
    ..attribute("redirecturi", Kind::Url, Code::InvalidRedirectUri)
};
/// The space-separated scopes.
pub const SCOPES: Attribute = attribute("scopes", Kind::Text, Code::InvalidScopes);
/// Anypoint's control plane.
pub const REGION: Attribute = attribute("region", Kind::Choice(Region::WORDS), Code::InvalidRegion);
/// Any OpenID Connect issuer, instead of a region.
pub const AUTHORITY: Attribute = attribute("authority", Kind::Url, Code::InvalidAuthority);
/// The site's backend that exchanges the code with a client secret.
pub const EXCHANGE_URI: Attribute = attribute("exchangeuri", Kind::Url, Code::InvalidExchangeUri);
/// Where the session is kept.
pub const STORAGE: Attribute = attribute(
    "storage",
    Kind::Choice(StorageKind::WORDS),
    Code::InvalidStorage,
);
/// Where the sign-in page opens.
pub const MODE: Attribute = attribute("mode", Kind::Choice(Mode::WORDS), Code::InvalidAttribute);
/// The palette.
pub const THEME: Attribute = attribute("theme", Kind::Choice(Theme::WORDS), Code::InvalidAttribute);
/// The button's height and type size.
pub const SIZE: Attribute = attribute("size", Kind::Choice(Size::WORDS), Code::InvalidAttribute);
/// The corners.
pub const SHAPE: Attribute = attribute("shape", Kind::Choice(Shape::WORDS), Code::InvalidAttribute);
/// How wide the button is.
pub const WIDTH: Attribute = attribute("width", Kind::Choice(Width::WORDS), Code::InvalidAttribute);
/// The site's own sign-in label.
pub const LABEL_SIGNIN: Attribute = Attribute {
    alias: Some("labelsignin"),
    ..attribute("label-signin", Kind::Text, Code::InvalidAttribute)
};
/// The site's own sign-out label.
pub const LABEL_SIGNOUT: Attribute = Attribute {
    alias: Some("labelsignout"),
    ..attribute("label-signout", Kind::Text, Code::InvalidAttribute)
};
/// What sign-out ends: the session here (tokens revoked), or also the provider's (RP-initiated logout).
pub const SIGNOUT: Attribute = attribute(
    "signout",
    Kind::Choice(SignOutScope::WORDS),
    Code::InvalidAttribute,
);
/// The earlier element's grant choice: only the authorization code (with PKCE) remains.
pub const AUTHTYPE: Attribute = attribute(
    "authtype",
    Kind::Choice(AuthType::WORDS),
    Code::InvalidAttribute,
);
/// The labels' language.
pub const LOCALE: Attribute = attribute("locale", Kind::Text, Code::InvalidAttribute);
/// Whether tokens are bound to the browser's key (DPoP).
pub const DPOP: Attribute = attribute(
    "dpop",
    Kind::Choice(DpopMode::WORDS),
    Code::InvalidAttribute,
);
/// The origins `element.fetch()` sends the token to, space-separated.
pub const FETCH_ORIGINS: Attribute = attribute("fetchorigins", Kind::Text, Code::InvalidAttribute);

/// Every attribute, sign-in ones first.
pub const ALL: [&Attribute; 19] = [
    &CLIENT_ID,
    &REDIRECT_URI,
    &SCOPES,
    &REGION,
    &AUTHORITY,
    &EXCHANGE_URI,
    &STORAGE,
    &MODE,
    &SIGNOUT,
    &AUTHTYPE,
    &DPOP,
    &FETCH_ORIGINS,
    &THEME,
    &SIZE,
    &SHAPE,
    &WIDTH,
    &LABEL_SIGNIN,
    &LABEL_SIGNOUT,
    &LOCALE,
];

/// Every name the element observes: each attribute's name and alias.
pub fn observed() -> impl Iterator<Item = &'static str> {
    ALL.iter()
        .flat_map(|attribute| iter::once(attribute.name).chain(attribute.alias))
}

/// The error for an attribute's bad value: `name "value" why.` (the one message format).
pub fn invalid(attribute: &Attribute, value: &str, why: &str) -> Error {
    Error::new(
        attribute.code,
        format!("{} \"{value}\" {why}.", attribute.name),
    )
}

/// Reads attribute values by name (absent = `None`), the one way every attribute is read.
pub struct Reader<'a>(pub &'a dyn Fn(&str) -> Option<String>);

impl Reader<'_> {
    /// The value, trimmed; blank counts as absent. The name wins over the alias.
    pub fn text(&self, attribute: &Attribute) -> Option<String> {
        (self.0)(attribute.name)
            .or_else(|| attribute.alias.and_then(self.0))
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    /// The value a choice attribute holds (its word in any case); the default when absent.
    pub fn choice<C: Choice>(&self, attribute: &Attribute) -> Result<C, Error> {
        Ok(C::ALL[self.position(attribute, C::WORDS)?])
    }

    /// Which of `words` the attribute holds, compiled once for every choice (size rule 3, BENCHMARKS.md).
    fn position(&self, attribute: &Attribute, words: &[&str]) -> Result<usize, Error> {
        let Some(value) = self.text(attribute) else {
            return Ok(0);
        };
        words
            .iter()
            .position(|word| word.eq_ignore_ascii_case(&value))
            .ok_or_else(|| {
                let why = format!("is not one of {}", words.join(", "));
                invalid(attribute, &value, &why)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn reader(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn names_are_unique_and_every_alias_is_observed() {
        // The published names (README's attribute table), the earlier element's spellings among them: written
        // out here, not derived from the list under test.
        let mut published = [
            "clientid",
            "client-id",
            "redirecturi",
            "redirect-uri",
            "scopes",
            "region",
            "authority",
            "exchangeuri",
            "storage",
            "mode",
            "signout",
            "authtype",
            "dpop",
            "fetchorigins",
            "theme",
            "size",
            "shape",
            "width",
            "label-signin",
            "labelsignin",
            "label-signout",
            "labelsignout",
            "locale",
        ];
        published.sort_unstable();
        let mut names: Vec<_> = observed().collect();
        names.sort_unstable();
        assert_eq!(names, published);
        names.dedup();
        assert_eq!(names.len(), published.len(), "a name twice");
    }

    #[test]
    fn text_is_trimmed_and_the_name_wins_over_the_alias() {
        let read = reader(&[("client-id", " old "), ("scopes", "  ")]);
        assert_eq!(Reader(&read).text(&CLIENT_ID).as_deref(), Some("old"));
        assert_eq!(Reader(&read).text(&SCOPES), None, "blank is absent");
        let read = reader(&[("client-id", "old"), ("clientid", "new")]);
        assert_eq!(Reader(&read).text(&CLIENT_ID).as_deref(), Some("new"));
    }

    #[test]
    fn choices_take_any_case_default_to_the_first_and_name_the_others() {
        let read = reader(&[("theme", "DARK"), ("mode", "window")]);
        let r = Reader(&read);
        assert_eq!(r.choice(&THEME), Ok(Theme::Dark));
        assert_eq!(r.choice(&SIZE), Ok(Size::Medium));
        let refused = r.choice::<Mode>(&MODE).unwrap_err();
        assert_eq!(refused.code(), Code::InvalidAttribute);
        assert_eq!(
            refused.message(),
            "mode \"window\" is not one of redirect, popup."
        );
    }
}
