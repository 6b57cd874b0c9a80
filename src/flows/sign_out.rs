//! Ending a session: at the user's request (then revoking its tokens), at expiry, or because another element
//! or tab ended it.

use crate::address;
use crate::controller::Controller;
use crate::discovery_cache::metadata;
use crate::dpop::key_store::{self, Taken};
use crate::flows::lifecycle::{self, Reach};
use crate::{events, http, json};
use anypoint_signin_core::config::Config;
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::session::sign_out::{SignOut, end_session_url};
use anypoint_signin_core::session::{Renewal, Session};
use anypoint_signin_core::token::backend::BackendSignOut;
use anypoint_signin_core::token::request::Party;
use anypoint_signin_core::token::revocation::revocation_body;
use leptos::prelude::*;

/// Signs out: forgets the session at once, then revokes its tokens where the server allows (best effort:
/// the user is signed out of this site whatever the server answers); with `signout="provider"`, then also
/// ends the session at the provider, which sends the user back to the redirect URI.
pub(crate) fn begin(c: &Controller) {
    let (Some(session), Ok(config)) = (c.session(), c.config.get_untracked()) else {
        return;
    };
    // Taken before the end forgets it: the revocation requests of bound tokens still carry proofs.
    let key = key_store::take(&config, session.dpop_jkt.as_deref());
    lifecycle::end(c, &config, SignOut::User, Reach::Everywhere);
    // Signed out here already.
    revoke(c, config, session, key);
}

/// What follows a sign-out: the tokens revoked (best effort: offline, they stay unrevoked), the provider's
/// sign-out (which, not happening, is said).
fn revoke(c: &Controller, config: Config, session: Session, key: Taken) {
    let this = c.clone();
    c.spawn(async move {
        let key = match session.is_bound() {
            true => key.key().await,
            false => None,
        };
        // A confidential client's tokens are revoked by its backend, which keeps the refresh token (revoking it
        // ends the grant's access tokens too, RFC 7009 §2.1) and clears its cookie; awaited, as the provider's
        // sign-out below leaves the page.
        if let Some(uri) = &config.exchange_uri {
            let body = json::stringify(&BackendSignOut {
                client_id: &config.client_id,
            });
            if let Err(failure) = http::post_json::<()>(uri, body).await {
                events::warn(&format!(
                    "Signed out here, but {} could not end its session: {}",
                    Party::Backend.name(),
                    failure.why()
                ));
            }
        }
        let metadata = match metadata(&config).await {
            Ok(metadata) => metadata,
            Err(error) if config.provider_sign_out => return this.fail(error),
            Err(_) => return,
        };
        if let (Some(endpoint), None) = (&metadata.revocation_endpoint, &config.exchange_uri) {
            let refresh_token = match &session.renewal {
                Renewal::RefreshToken(token) => Some((token.as_str(), "refresh_token")),
                _ => None,
            };
            let tokens = [
                Some((session.access_token.as_str(), "access_token")),
                refresh_token,
            ];
            for (token, hint) in tokens.into_iter().flatten() {
                let body = revocation_body(token, hint, &config.client_id);
                // RFC 7009 answers 200 with an empty body, which is not JSON: only reaching it matters.
                let _ = http::post_form::<()>(endpoint, body, key.as_ref()).await;
            }
        }
        if !config.provider_sign_out {
            return;
        }
        let Some(endpoint) = &metadata.end_session_endpoint else {
            return this.fail(Error::new(
                Code::DiscoveryFailed,
                "signout=\"provider\": the authorization server names no end_session_endpoint, so the session ended here only (its tokens revoked).",
            ));
        };
        let url = end_session_url(endpoint, &session, &config.client_id, &config.redirect_uri);
        if address::assign(&url).is_err() {
            this.fail(Error::new(
                Code::UnsupportedBrowser,
                "The browser refused to open the provider's sign-out page.",
            ));
        }
    });
}
