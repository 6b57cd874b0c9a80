//! The element's attributes, validated into a [`Config`].
//!
//! Validation is strict and happens before any network or storage work, so a typo in the page's markup shows
//! up as a clear message in the element instead of a failure at Anypoint's login page.

use crate::attributes::{
    AUTHORITY, AUTHTYPE, CLIENT_ID, DPOP, EXCHANGE_URI, FETCH_ORIGINS, MODE, REDIRECT_URI, REGION,
    Reader, SCOPES, SIGNOUT, STORAGE, choices, invalid,
};
use crate::client::Client;
use crate::discovery::Metadata;
use crate::dpop::binding::{Binding, DpopMode, binding};
use crate::error::Error;
use crate::region::Region;
use crate::web_url::{Parse, check_resolved, check_web_url};

/// Scopes requested when the `scopes` attribute is absent or blank.
pub const DEFAULT_SCOPES: &str = "openid profile email";

choices! {
    /// Where tokens are kept between page loads (`storage`).
    pub enum StorageKind {
        /// sessionStorage: the tab keeps its sign-in across reloads.
        Session = "session",
        /// Page memory only: a reload signs the user out.
        Memory = "memory",
    }
}

choices! {
    /// Where the authorization server's pages open (`mode`).
    pub enum Mode {
        /// The whole tab goes to the sign-in page and comes back.
        Redirect = "redirect",
        /// A popup window signs in; its redirect page hands the response back to this page.
        Popup = "popup",
    }
}

choices! {
    /// What sign-out ends (`signout`).
    pub enum SignOutScope {
        /// The session here, its tokens revoked.
        Revoke = "revoke",
        /// Then also the provider's (RP-initiated logout).
        Provider = "provider",
    }
}

choices! {
    /// The earlier element's grant choice (`authtype`): only the authorization code (with PKCE) remains.
    pub enum AuthType {
        /// The authorization code grant with PKCE.
        AuthorizationCode = "authorization_code",
    }
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
// Outside the core, a config comes from `Config::from_attributes` only, never a struct literal: every value
// in it has been checked.
#[non_exhaustive]
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
    /// Whether sign-out also ends the session at the provider (`signout="provider"`).
    pub provider_sign_out: bool,
    /// Whether the browser's tokens are bound to its key (DPoP).
    pub dpop: DpopMode,
    /// The origins `element.fetch()` may send the token to (`fetchorigins`; by default the issuer's and the
    /// page's).
    pub fetch_origins: Vec<String>,
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

    /// [`Config::from_attributes`], compiled once whatever reads the attributes (size rule 3, BENCHMARKS.md).
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
            None => Provider::Anypoint(read.choice(&REGION)?),
        };

        let exchange_uri = read
            .text(&EXCHANGE_URI)
            .map(|uri| {
                exchange_url(&uri, page_url, parse).map_err(|why| invalid(&EXCHANGE_URI, &uri, why))
            })
            .transpose()?;

        // The earlier element's implicit flow hands tokens over in the URL: RFC 9700 §2.1.2 retires it.
        if let Some(kind) = read
            .text(&AUTHTYPE)
            .filter(|k| k.eq_ignore_ascii_case("implicit"))
        {
            let why = "is not supported: the element always signs in with the authorization code and PKCE (RFC 9700 retires the implicit flow); remove the attribute";
            return Err(invalid(&AUTHTYPE, &kind, why));
        }
        read.choice::<AuthType>(&AUTHTYPE)?;
        let storage = read.choice(&STORAGE)?;
        let mode = read.choice(&MODE)?;
        let provider_sign_out = read.choice::<SignOutScope>(&SIGNOUT)? == SignOutScope::Provider;
        let dpop = read.choice(&DPOP)?;
        if dpop == DpopMode::On && exchange_uri.is_some() {
            let why = "cannot apply with exchangeuri: the backend redeems the code and renews as the client, with Bearer tokens. Remove dpop, or exchangeuri to bind the browser's own tokens";
            return Err(invalid(&DPOP, "on", why));
        }
        let fetch_origins = match read.text(&FETCH_ORIGINS) {
            Some(list) => list
                .split_ascii_whitespace()
                .map(|origin| {
                    origin_of(origin, parse).map_err(|why| invalid(&FETCH_ORIGINS, origin, why))
                })
                .collect::<Result<_, _>>()?,
            // Both parsed before: the issuer and the page (a page that is not a web URL adds none).
            None => [provider.issuer().as_str(), page_url]
                .into_iter()
                .filter_map(|url| check_web_url(url, parse).ok().map(|url| url.origin))
                .collect(),
        };

        Ok(Config {
            client_id,
            redirect_uri,
            scopes,
            provider,
            exchange_uri,
            storage,
            mode,
            provider_sign_out,
            dpop,
            fetch_origins,
        })
    }

    /// How this sign-in's tokens are requested from the server `metadata` describes: bound with DPoP when
    /// the `dpop` choice and the server agree; Bearer through the `exchangeuri` backend, which is the client
    /// there. An error for `dpop="on"` against a server without DPoP, before the visitor leaves the page.
    pub fn dpop_binding(&self, metadata: &Metadata) -> Result<Binding, Error> {
        match self.exchange_uri {
            Some(_) => Ok(Binding::Bearer),
            None => binding(
                self.dpop,
                metadata.dpop_signing_alg_values_supported.as_deref(),
            ),
        }
    }

    /// Whether this is an OpenID Connect sign-in (an id_token and a nonce are then required).
    pub fn is_openid(&self) -> bool {
        self.scopes.iter().any(|s| s == "openid")
    }

    /// The scopes as the space-separated `scope` parameter.
    pub fn scope_param(&self) -> String {
        self.scopes.join(" ")
    }

    /// The values the protocol steps take.
    pub fn client(&self) -> Client {
        Client {
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope_param(),
            issuer: self.provider.issuer(),
            exchange_uri: self.exchange_uri.clone(),
        }
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

/// The origin `text` names: an https (or loopback http) URL with no path, query or fragment, as in
/// `https://api.example.com`.
fn origin_of(text: &str, parse: Parse) -> Result<String, &'static str> {
    let url = check_web_url(text, parse)?;
    match url.href == format!("{}/", url.origin) {
        true => Ok(url.origin),
        false => {
            Err("is not an origin: write scheme, host and port only, as https://api.example.com")
        }
    }
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
mod tests;
