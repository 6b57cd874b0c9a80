//! What a signed-in element does as its access token nears expiry: renew with the refresh token (only the
//! element holding the session's Web Lock does, as often as [`crate::renewal_policy`] allows), or sign out
//! when the token expires without one.

use std::time::Duration;

use leptos::prelude::*;

use crate::config::Config;
use crate::controller::{Controller, now};
use crate::discovery_cache::metadata;
use crate::error::{Code, Error};
use crate::flows::{sign_out, signed_in, tab_sync};
use crate::id_token::IdToken;
use crate::renewal_policy::Outcome;
use crate::session::{Session, SignOut};
use crate::tab_message::News;
use crate::tabs::Lock;
use crate::token::{self, BackendRefresh, TokenResponse};
use crate::{events, http, json, storage};

/// Watches a new session's expiry: with a refresh token, queue for the session's lock (the holder renews);
/// without one, sign out when it expires.
pub(crate) fn watch(c: &Controller, config: &Config, session: &Session) {
    if session.refresh_token.is_some() && c.handles.renewal.borrow().lock.is_none() {
        let this = c.clone();
        let lock = Lock::request(
            &format!("{}:renew", storage::session_key(config)),
            move || {
                this.handles.renewal.borrow_mut().leader = true;
                arm(&this, 0.0);
            },
        );
        c.handles.renewal.borrow_mut().lock = Some(lock);
    }
    arm(c, 0.0);
}

/// Stops watching: gives up the lock (the next element in line takes over) and the timer; a new session
/// starts with a fresh renewal record.
pub(crate) fn stop(c: &Controller) {
    drop(c.handles.renewal.take());
}

/// Sets the timer for the stored session's deadline (not before `at_least` ms from now).
fn arm(c: &Controller, at_least: f64) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    c.handles.renewal.borrow_mut().clear_timer();
    let Some(session) = storage::load_session(&config) else {
        return;
    };
    let Some(deadline) = session.deadline(now()) else {
        return;
    };
    let (leader, stopped, due) = {
        let renewal = c.handles.renewal.borrow();
        (
            renewal.leader,
            renewal.stopped,
            renewal.policy.due_at(deadline),
        )
    };
    if session.refresh_token.is_some() && !leader {
        return;
    }
    if stopped {
        return expire_at(c, &config, session.expires_at.unwrap_or_default());
    }
    let this = c.clone();
    let token = session.access_token;
    set_timer(c, (due - now()).max(at_least), move || {
        due_now(&this, &token, due)
    });
}

/// Signs out everywhere when the session expires (at once if it has).
fn expire_at(c: &Controller, config: &Config, expires_at: f64) {
    let (this, config) = (c.clone(), config.clone());
    set_timer(c, expires_at - now(), move || match now() < expires_at {
        // setTimeout's longest delay is under 25 days.
        true => arm(&this, 0.0),
        false => sign_out::end_everywhere(&this, &config, SignOut::Expired),
    });
}

/// Runs `then` in `delay_ms`, instead of any timer set before.
fn set_timer(c: &Controller, delay_ms: f64, then: impl FnOnce() + 'static) {
    let mut renewal = c.handles.renewal.borrow_mut();
    renewal.clear_timer();
    // setTimeout takes at most 2^31-1 ms; a later deadline finds itself early when it fires, and re-arms.
    let delay = Duration::from_millis(delay_ms.clamp(0.0, 2_147_483_647.0) as u64);
    renewal.timer = set_timeout_with_handle(then, delay).ok();
}

/// The deadline of the session with access token `token`, set for `at`, came: renew, or sign out if it
/// expired without a refresh token. When another element renewed meanwhile, wait for the new deadline.
fn due_now(c: &Controller, token: &str, at: f64) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    let Some(session) = storage::load_session(&config) else {
        return;
    };
    // Another element renewed meanwhile; or setTimeout's longest delay (under 25 days) fired early.
    if session.access_token != token || now() + 1000.0 < at {
        return arm(c, 0.0);
    }
    if session.refresh_token.is_none() {
        return sign_out::end_everywhere(c, &config, SignOut::Expired);
    }
    c.handles.renewal.borrow_mut().policy.started(now());
    let this = c.clone();
    c.spawn(async move {
        let result = renew(&config, &session).await;
        let outcome = match &result {
            Ok(renewed) => Outcome::Renewed(renewed.expires_at.map(|at| at - now())),
            Err(error) if error.code() == Code::NetworkError => Outcome::Unreachable,
            Err(_) => Outcome::Refused,
        };
        if let Err(error) = &result {
            events::error(&this.host, error);
        }
        let verdict = this.handles.renewal.borrow_mut().policy.finished(outcome);
        if let Err(stop) = verdict {
            this.handles.renewal.borrow_mut().stopped = true;
            if let Some(error) = stop {
                events::error(&this.host, &error);
            }
        }
        match result {
            Ok(renewed) => {
                storage::save_session(&config, &renewed);
                tab_sync::tell(&this, &config, News::Session(Box::new(renewed.clone())));
                signed_in(&this, renewed);
            }
            Err(_) if session.is_expired(now()) => {
                sign_out::end_everywhere(&this, &config, SignOut::Expired)
            }
            // Offline: try again later (backing off); refused: keep the token until it expires.
            Err(_) => arm(&this, 0.0),
        }
    });
}

/// The refresh_token grant, at the token endpoint or through the `exchangeuri` backend. A new id_token must be the session's user's (OpenID
/// Connect Core §12.2); otherwise the renewal is refused and its tokens are dropped.
async fn renew(config: &Config, session: &Session) -> Result<Session, Error> {
    let refresh_token = session.refresh_token.as_deref().unwrap_or_default();
    let client_id = &config.client_id;
    // A confidential client renews through its backend, which adds the secret; a public one at the endpoint.
    let response: TokenResponse = match &config.exchange_uri {
        Some(uri) => {
            let body = json::stringify(&BackendRefresh {
                refresh_token,
                client_id,
            });
            http::post_json(uri, body)
                .await
                .map_err(|f| f.into_error("the site's exchange backend"))?
        }
        None => {
            let metadata = metadata(config).await?;
            let body = token::refresh_request_body(refresh_token, client_id);
            http::post_form(&metadata.token_endpoint, body)
                .await
                .map_err(|f| f.into_error("the token endpoint"))?
        }
    };
    response.validate_renewal()?;
    if let Some(renewed) = &response.id_token {
        let original = match &session.id_token {
            Some(original) => Some(IdToken::read(original, json::value)?.claims),
            None => None,
        };
        IdToken::read(renewed, json::value)?
            .claims
            .validate_renewal(
                &config.provider.issuer(),
                &config.client_id,
                original.as_ref(),
                now(),
            )?;
    }
    Ok(session.renewed(response, now()))
}
