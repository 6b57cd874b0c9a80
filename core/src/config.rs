//! The element's attributes, validated into a [`Config`].
//!
//! Validation is strict and happens before any network or storage work, so a typo in the page's markup shows
//! up as a clear message in the element instead of a failure at Anypoint's login page.

use crate::attributes::{
    AUTHORITY, CLIENT_ID, EXCHANGE_URI, MODE, REDIRECT_URI, REGION, Reader, SCOPES, STORAGE,
    invalid,
};
use crate::error::Error;
use crate::region::Region;
use crate::web_url::{Parse, check_resolved, check_web_url};

/// Scopes requested when the `scopes` attribute is absent or blank.
pub const DEFAULT_SCOPES: &str = "openid profile email";

/// Where tokens are kept between page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    /// sessionStorage: the tab keeps its sign-in across reloads.
    Session,
    /// Page memory only: a reload signs the user out.
    Memory,
}

/// Where the authorization server's pages open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The whole tab goes to the sign-in page and comes back.
    Redirect,
    /// A popup window signs in; its redirect page hands the response back to this page.
    Popup,
}

/// Who issues the tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provider {
    /// One of Anypoint's control planes; documented endpoints are the fallback when discovery is unreachable.
    Anypoint(Region),
    /// Any OpenID Connect issuer; its discovery document is required.
    Authority(String),
}

impl Provider {
    /// The issuer identifier, which discovery must echo and callbacks' `iss` must equal.
    pub fn issuer(&self) -> String {
        match self {
            Provider::Anypoint(region) => region.issuer(),
            Provider::Authority(url) => url.clone(),
        }
    }
}

/// A validated element configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The connected app's client ID.
    pub client_id: String,
    /// Where the authorization server sends the user back; registered on the connected app.
    pub redirect_uri: String,
    /// Requested scopes, deduplicated, in attribute order.
    pub scopes: Vec<String>,
    /// The authorization server.
    pub provider: Provider,
    /// The site's backend that exchanges the code with a client secret, when set: an absolute URL, resolved
    /// against the page as the browser resolves it.
    pub exchange_uri: Option<String>,
    /// Where the signed-in session is kept.
    pub storage: StorageKind,
    /// Redirect or popup.
    pub mode: Mode,
}

impl Config {
    /// Validates the element's attributes. `attribute` reads one by name (absent = `None`);
    /// `page_url` is the current page without query or fragment, the default redirect URI; `parse` reads URLs
    /// as the browser does.
    pub fn from_attributes(
        attribute: impl Fn(&str) -> Option<String>,
        page_url: &str,
        parse: Parse,
    ) -> Result<Config, Error> {
        Config::read(&attribute, page_url, parse)
    }

    /// [`Config::from_attributes`], compiled once whatever reads the attributes.
    fn read(
        attribute: &dyn Fn(&str) -> Option<String>,
        page_url: &str,
        parse: Parse,
    ) -> Result<Config, Error> {
        let read = Reader(attribute);
        let client_id = read.text(&CLIENT_ID).ok_or_else(|| {
            Error::new(
                CLIENT_ID.code,
                "Set the clientid attribute to your connected app's client ID.",
            )
        })?;

        let redirect_uri = read
            .text(&REDIRECT_URI)
            .unwrap_or_else(|| page_url.to_owned());
        check_web_url(&redirect_uri, parse)
            .and_then(|_| match redirect_uri.contains('#') {
                true => Err("must not contain a fragment (#)"),
                false => Ok(()),
            })
            .map_err(|why| invalid(&REDIRECT_URI, &redirect_uri, why))?;

        let scopes = parse_scopes(read.text(&SCOPES).as_deref().unwrap_or(DEFAULT_SCOPES))?;

        let provider = match read.text(&AUTHORITY) {
            Some(authority) => {
                let issuer = authority.trim_end_matches('/').to_owned();
                check_web_url(&issuer, parse)
                    .and_then(|_| match issuer.contains(['?', '#']) {
                        true => Err("must not have a query or fragment"),
                        false => Ok(()),
                    })
                    .map_err(|why| invalid(&AUTHORITY, &authority, why))?;
                Provider::Authority(issuer)
            }
            None => Provider::Anypoint(Region::ALL[read.choice(&REGION)?]),
        };

        let exchange_uri = read
            .text(&EXCHANGE_URI)
            .map(|uri| {
                exchange_url(&uri, page_url, parse).map_err(|why| invalid(&EXCHANGE_URI, &uri, why))
            })
            .transpose()?;

        let storage = [StorageKind::Session, StorageKind::Memory][read.choice(&STORAGE)?];
        let mode = [Mode::Redirect, Mode::Popup][read.choice(&MODE)?];

        Ok(Config {
            client_id,
            redirect_uri,
            scopes,
            provider,
            exchange_uri,
            storage,
            mode,
        })
    }

    /// Whether this is an OpenID Connect sign-in (an id_token and a nonce are then required).
    pub fn is_openid(&self) -> bool {
        self.scopes.iter().any(|s| s == "openid")
    }

    /// The scopes as the space-separated `scope` parameter.
    pub fn scope_param(&self) -> String {
        self.scopes.join(" ")
    }
}

/// Splits and checks a space-separated scope list (RFC 6749 §3.3 scope-token characters only).
fn parse_scopes(raw: &str) -> Result<Vec<String>, Error> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in raw.split_ascii_whitespace() {
        if !scope
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
        {
            return Err(invalid(
                &SCOPES,
                scope,
                "has a character a scope cannot contain",
            ));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    if scopes.is_empty() {
        return parse_scopes(DEFAULT_SCOPES);
    }
    Ok(scopes)
}

/// The backend URL `uri` names, as the browser resolves it from the page: an absolute https URL (http on
/// loopback), or a relative one that stays on the page's origin. Whether it is relative is the parser's call,
/// never the text's: `/\\evil.example/x` resolves to another site.
fn exchange_url(uri: &str, page_url: &str, parse: Parse) -> Result<String, &'static str> {
    if parse(uri, None).is_some() {
        return check_web_url(uri, parse).map(|url| url.href);
    }
    let page = check_web_url(page_url, parse)?;
    match check_resolved(uri, Some(&page.href), parse) {
        Ok(url) if url.origin == page.origin => Ok(url.href),
        Ok(_) => Err("resolves to another site: a path on this site must start with a single /"),
        Err(why) => Err(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::observed;
    use crate::error::Code;
    use crate::web_url::parse_native;
    use std::collections::HashMap;

    const PAGE: &str = "https://app.example.com/callback";

    fn config(attrs: &[(&str, &str)]) -> Result<Config, Error> {
        let map: HashMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_attributes(|name| map.get(name).cloned(), PAGE, parse_native)
    }

    fn error_code(attrs: &[(&str, &str)]) -> String {
        config(attrs).unwrap_err().code().to_owned()
    }

    #[test]
    fn minimal_attributes_get_the_documented_defaults() {
        let c = config(&[("clientid", "abc")]).unwrap();
        assert_eq!(c.client_id, "abc");
        assert_eq!(c.redirect_uri, PAGE);
        assert_eq!(c.scopes, ["openid", "profile", "email"]);
        assert_eq!(c.provider, Provider::Anypoint(Region::Us));
        assert_eq!(c.storage, StorageKind::Session);
        assert_eq!(c.exchange_uri, None);
        assert!(c.is_openid());
    }

    #[test]
    fn hyphenated_aliases_work_and_the_new_spelling_wins() {
        let c = config(&[
            ("client-id", "old"),
            ("redirect-uri", "https://a.example/cb"),
        ])
        .unwrap();
        assert_eq!(
            (c.client_id.as_str(), c.redirect_uri.as_str()),
            ("old", "https://a.example/cb")
        );
        let c = config(&[("client-id", "old"), ("clientid", "new")]).unwrap();
        assert_eq!(c.client_id, "new");
    }

    #[test]
    fn missing_or_blank_client_id_is_an_error() {
        assert_eq!(error_code(&[]), Code::MissingClientId);
        assert_eq!(error_code(&[("clientid", "   ")]), Code::MissingClientId);
    }

    #[test]
    fn redirect_uri_must_be_https_or_loopback_http() {
        for ok in [
            "https://app.example.com/cb",
            "http://127.0.0.1:8080/cb",
            "http://localhost/",
            "http://[::1]:3000/",
            "https://app.example.com:8443/a?x=1",
        ] {
            assert!(
                config(&[("clientid", "a"), ("redirecturi", ok)]).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://app.example.com/cb",
            "/callback",
            "callback",
            "javascript:alert(1)",
            "https://",
            "https://user:pw@app.example.com/",
            "https://app.example.com/cb#frag",
            "https://app.example.com:80x/",
            "https://app example.com/",
            "http://127.0.0.1.evil.com/",
            "ftp://app.example.com/",
        ] {
            assert_eq!(
                error_code(&[("clientid", "a"), ("redirecturi", bad)]),
                Code::InvalidRedirectUri,
                "{bad}"
            );
        }
    }

    #[test]
    fn scopes_are_split_deduplicated_and_checked() {
        let c = config(&[
            ("clientid", "a"),
            ("scopes", " read:full  openid read:full\tfull "),
        ])
        .unwrap();
        assert_eq!(c.scopes, ["read:full", "openid", "full"]);
        assert_eq!(c.scope_param(), "read:full openid full");
        assert!(
            !config(&[("clientid", "a"), ("scopes", "full")])
                .unwrap()
                .is_openid()
        );
        let blank = config(&[("clientid", "a"), ("scopes", " ")]).unwrap();
        assert_eq!(blank.scopes, ["openid", "profile", "email"]);
        assert_eq!(
            error_code(&[("clientid", "a"), ("scopes", "openid \"x\"")]),
            Code::InvalidScopes
        );
    }

    #[test]
    fn region_and_authority_pick_the_provider() {
        let c = config(&[("clientid", "a"), ("region", "EU")]).unwrap();
        assert_eq!(c.provider, Provider::Anypoint(Region::Eu));
        assert_eq!(
            error_code(&[("clientid", "a"), ("region", "mars")]),
            Code::InvalidRegion
        );

        let c = config(&[
            ("clientid", "a"),
            ("region", "mars"),
            ("authority", "http://127.0.0.1:9000/accounts/api/v2/oauth2/"),
        ])
        .unwrap();
        assert_eq!(
            c.provider.issuer(),
            "http://127.0.0.1:9000/accounts/api/v2/oauth2",
            "authority overrides region and loses its trailing slash"
        );
        for bad in [
            "http://idp.example.com",
            "idp.example.com",
            "https://idp.example.com/?x=1",
        ] {
            assert_eq!(
                error_code(&[("clientid", "a"), ("authority", bad)]),
                Code::InvalidAuthority,
                "{bad}"
            );
        }
    }

    #[test]
    fn exchange_uri_is_a_path_or_a_secure_url() {
        let c = config(&[("clientid", "a"), ("exchangeuri", "/api/exchange")]).unwrap();
        assert_eq!(
            c.exchange_uri.as_deref(),
            Some("https://app.example.com/api/exchange"),
            "resolved against the page"
        );
        assert!(
            config(&[
                ("clientid", "a"),
                ("exchangeuri", "https://api.example.com/x")
            ])
            .is_ok()
        );
        for bad in [
            "//evil.example/x",
            "/\\evil.example/steal",
            "/\t/evil.example/steal",
            "\\\\evil.example/steal",
            "\\/evil.example/steal",
            "javascript:alert(1)",
            "http://api.example.com/x",
            "https://user@api.example.com/x",
        ] {
            assert_eq!(
                error_code(&[("clientid", "a"), ("exchangeuri", bad)]),
                Code::InvalidExchangeUri,
                "{bad}"
            );
        }
    }

    #[test]
    fn mode_is_redirect_or_popup() {
        assert_eq!(config(&[("clientid", "a")]).unwrap().mode, Mode::Redirect);
        assert_eq!(
            config(&[("clientid", "a"), ("mode", "popup")])
                .unwrap()
                .mode,
            Mode::Popup
        );
        assert_eq!(
            error_code(&[("clientid", "a"), ("mode", "window")]),
            Code::InvalidAttribute
        );
    }

    #[test]
    fn storage_is_session_or_memory() {
        assert_eq!(
            config(&[("clientid", "a"), ("storage", "memory")])
                .unwrap()
                .storage,
            StorageKind::Memory
        );
        assert_eq!(
            error_code(&[("clientid", "a"), ("storage", "local")]),
            Code::InvalidStorage
        );
    }

    #[test]
    fn every_observed_attribute_is_read() {
        // An attribute that is observed but never read would update nothing: catch the list drifting.
        let read = std::cell::RefCell::new(Vec::new());
        let _ = Config::from_attributes(
            |name| {
                read.borrow_mut().push(name.to_owned());
                None::<String>
            },
            PAGE,
            parse_native,
        );
        let _ = Config::from_attributes(
            |name| {
                read.borrow_mut().push(name.to_owned());
                (name == "clientid").then(|| "a".to_owned())
            },
            PAGE,
            parse_native,
        );
        let _ = crate::appearance::Appearance::from_attributes(|name| {
            read.borrow_mut().push(name.to_owned());
            None
        });
        for name in observed() {
            assert!(
                read.borrow().iter().any(|r| r == name),
                "{name} is observed but not read"
            );
        }
        for name in read.borrow().iter() {
            assert!(
                observed().any(|n| n == name),
                "{name} is read but not observed"
            );
        }
    }
}
