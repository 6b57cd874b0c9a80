//! The page's discovery documents: fetched once per issuer and checked, or brought along by the attempt a
//! callback answers; Anypoint's documented endpoints when an Anypoint region's document cannot be fetched.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::address;
use crate::http;
use anypoint_signin_core::config::{Config, Provider};
use anypoint_signin_core::discovery::{Metadata, discovery_url};
use anypoint_signin_core::error::{Code, Error};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Discovery documents by issuer.
    static METADATA: RefCell<FxHashMap<String, Metadata>> = RefCell::default();
    /// The requests under way, by issuer: settled when they end, so that the page's other elements wait for
    /// the one request instead of sending their own (a page may hold dozens of buttons). A list: a page has an
    /// issuer or two, and a map of another type would compile its own copy of the hash table (1 KB).
    static IN_FLIGHT: RefCell<Vec<(String, js_sys::Promise)>> = RefCell::default();
}

/// Settles an [`IN_FLIGHT`] promise when dropped: when the request ends, and when the element that sent it
/// leaves mid-request (its task dropped), so that no waiter hangs.
struct Settle(String, js_sys::Function);

impl Drop for Settle {
    fn drop(&mut self) {
        IN_FLIGHT.with_borrow_mut(|pending| pending.retain(|(issuer, _)| *issuer != self.0));
        let _ = self.1.call0(&JsValue::NULL);
    }
}

/// Takes the discovery document kept with a callback's attempt as this page's copy (the callback page then
/// fetches none), when it passes the checks a fetched one must; else [`metadata`] fetches it. The copy is only
/// as trustworthy as this tab's sessionStorage, which also holds the attempt's verifier: whoever could alter it
/// could already take the code and the verifier, so fetching again would keep no one out (SECURITY.md).
pub(crate) fn adopt(config: &Config, kept: Metadata) {
    let issuer = config.provider.issuer();
    if kept.validate(&issuer, address::parse_url).is_ok() {
        METADATA.with_borrow_mut(|m| m.insert(issuer, kept));
    }
}

/// The server's metadata: discovery when it answers (validated), Anypoint's documented endpoints when it
/// does not and the provider is an Anypoint region, an error otherwise.
pub(crate) async fn metadata(config: &Config) -> Result<Metadata, Error> {
    let issuer = config.provider.issuer();
    let cached = || METADATA.with_borrow(|m| m.get(&issuer).cloned());
    if let Some(cached) = cached() {
        return Ok(cached);
    }
    let under_way = IN_FLIGHT.with_borrow(|pending| {
        pending
            .iter()
            .find(|(i, _)| *i == issuer)
            .map(|(_, p)| p.clone())
    });
    if let Some(pending) = under_way {
        let _ = JsFuture::from(pending).await;
        // Its answer, or (it failed) a request of this element's own, which says why.
        if let Some(cached) = cached() {
            return Ok(cached);
        }
    }
    let mut settle = None;
    let pending = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    IN_FLIGHT.with_borrow_mut(|under_way| under_way.push((issuer.clone(), pending)));
    let _settle = settle.map(|resolve| Settle(issuer.clone(), resolve));
    let metadata = match http::get_json::<Metadata>(&discovery_url(&issuer)).await {
        Ok(metadata) => {
            metadata.validate(&issuer, address::parse_url)?;
            metadata
        }
        Err(failure) => match config.provider {
            Provider::Anypoint(region) => region.documented_metadata(),
            Provider::Authority(_) => {
                return Err(Error::new(
                    Code::DiscoveryFailed,
                    format!(
                        "Could not load {}: {}.",
                        discovery_url(&issuer),
                        failure.why()
                    ),
                ));
            }
        },
    };
    METADATA.with_borrow_mut(|m| m.insert(issuer, metadata.clone()));
    Ok(metadata)
}
