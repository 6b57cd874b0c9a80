//! The page's discovery documents: fetched once per issuer and checked, or brought along by the attempt a
//! callback answers; Anypoint's documented endpoints when an Anypoint region's document cannot be fetched.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::config::{Config, Provider};
use crate::discovery::{Metadata, discovery_url};
use crate::error::{Code, Error};
use crate::{http, page};

thread_local! {
    /// Discovery documents by issuer.
    static METADATA: RefCell<FxHashMap<String, Metadata>> = RefCell::default();
}

/// Takes the discovery document kept with a callback's attempt as this page's copy (the callback page then
/// fetches none), when it passes the checks a fetched one must; else [`metadata`] fetches it. The copy is only
/// as trustworthy as this tab's sessionStorage, which also holds the attempt's verifier: whoever could alter it
/// could already take the code and the verifier, so fetching again would keep no one out (SECURITY.md).
pub(crate) fn adopt(config: &Config, kept: Metadata) {
    let issuer = config.provider.issuer();
    if kept.validate(&issuer, page::parse_url).is_ok() {
        METADATA.with_borrow_mut(|m| m.insert(issuer, kept));
    }
}

/// The server's metadata: discovery when it answers (validated), Anypoint's documented endpoints when it
/// does not and the provider is an Anypoint region, an error otherwise.
pub(crate) async fn metadata(config: &Config) -> Result<Metadata, Error> {
    let issuer = config.provider.issuer();
    if let Some(cached) = METADATA.with_borrow(|m| m.get(&issuer).cloned()) {
        return Ok(cached);
    }
    let metadata = match http::get_json::<Metadata>(&discovery_url(&issuer)).await {
        Ok(metadata) => {
            metadata.validate(&issuer, page::parse_url)?;
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
