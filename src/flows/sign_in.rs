//! Starting a sign-in: a new pending attempt, then the authorize page in this tab (redirect) or in a popup
//! whose redirect page hands the response back.

use crate::authorization_response;
use crate::controller::{Controller, Status, now};
use crate::discovery_cache::metadata;
use crate::flows::callback;
use crate::navigator::Navigator;
use crate::{events, page, storage};
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::config::{Config, Mode};
use anypoint_signin_core::error::{Code, Error};
use leptos::prelude::*;

/// Starts a sign-in: remembers a new attempt and leaves for the authorize endpoint.
pub(crate) fn begin(c: &Controller) {
    let config = match c.config.get_untracked() {
        Ok(config) => config,
        Err(error) => return events::error(&c.host, &error),
    };
    if c.status.get_untracked() == Status::Working {
        return;
    }
    // The popup must open now, during the click; blocked, the tab signs in unless the page says no.
    let navigator = match config.mode {
        Mode::Redirect => Navigator::Redirect,
        // No gesture left (a click kept since before the element was defined): the browser would block it.
        Mode::Popup if !page::user_active() => Navigator::Redirect,
        Mode::Popup => match Navigator::popup() {
            Some(popup) => popup,
            None => {
                let blocked = Error::new(
                    Code::PopupBlocked,
                    "The browser blocked the sign-in window: signing in in this tab instead.",
                );
                if !events::cancelable_error(&c.host, &blocked) {
                    return c.fail(blocked);
                }
                Navigator::Redirect
            }
        },
    };
    go(c, config, navigator);
    // Set after queueing the redirect: with discovery already fetched, the browser starts leaving before
    // the view re-renders (both wait for the same microtask queue).
    c.status.set(Status::Working);
}

/// The attempt and the authorize page (this tab leaving, or the popup's round trip).
fn go(c: &Controller, config: Config, navigator: Navigator) {
    let this = c.clone();
    c.spawn(async move {
        let result = async {
            let metadata = metadata(&config).await?;
            // `dpop="on"` against a server without DPoP: said here, not after the visitor signed in.
            config.dpop_binding(&metadata)?;
            // Offline, the browser would show its own error page in place of this one (discovery may be the
            // page's copy, fetched before the connection went): the button says so and stays usable.
            if !page::window().navigator().on_line() {
                return Err(Error::new(
                    Code::NetworkError,
                    "The browser is offline, so the sign-in page cannot open: try again once connected.",
                ));
            }
            let attempt = PendingAttempt::new(config.client(), &metadata, random()?, now());
            storage::save_pending(&attempt, &metadata)?;
            let url = attempt.authorize_url(&metadata);
            let answer = navigator.navigate(&this, &url).await;
            let Some(query) = answer.inspect_err(|_| storage::remove_pending(&attempt.state))? else {
                return Ok(());
            };
            callback::finish(&this, config.clone(), authorization_response::from_popup(&config, &query)?);
            Ok(())
        }
        .await;
        // Nothing would finish the sign-in in its popup: closed.
        if let Err(error) = result {
            navigator.close();
            this.fail(error);
        }
    });
}

/// Makes the button usable again after the user came back (Back button) from the authorize page.
pub(crate) fn abandon(c: &Controller) {
    if c.status.get_untracked() == Status::Working {
        c.status.set(Status::Idle);
    }
}

/// 96 bytes from the browser's CSPRNG: the verifier, the state and the nonce.
fn random() -> Result<[[u8; 32]; 3], Error> {
    let mut bytes = [[0u8; 32]; 3];
    page::fill_random(bytes.as_flattened_mut())?;
    Ok(bytes)
}
