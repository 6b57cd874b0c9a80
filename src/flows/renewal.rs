//! What a signed-in element does as its access token nears expiry: renew with the refresh token or through
//! the `exchangeuri` backend that keeps it (only the element holding the session's Web Lock does, as often as
//! [`crate::renewal_policy`] allows), or sign out when the token expires without a way to renew. And, as the
//! same lock's holder, a page's first session from the backend alone (`storage="memory"` after a reload, or
//! a new tab).

use std::time::Duration;

use leptos::prelude::*;

use crate::config::{Config, StorageKind};
use crate::controller::{Controller, Status, now};
use crate::discovery_cache::metadata;
use crate::error::{Code, Error};
use crate::flows::{callback, sign_out, signed_in, tab_sync};
use crate::id_token::IdToken;
use crate::renewal_policy::Outcome;
use crate::session::{Profile, Renewal, Session, SignOut};
use crate::tab_message::News;
use crate::tabs::Lock;
use crate::token::{self, BackendRefresh, TokenResponse};
use crate::{events, http, json, storage};

/// Watches a new session's expiry: when it renews, queue for the session's lock (the holder renews);
/// otherwise sign out when it expires.
pub(crate) fn watch(c: &Controller, config: &Config, session: &Session) {
    if session.renewal.renews() {
        queue(c, config);
    }
    arm(c, 0.0);
}

/// A page with no session of its own whose `exchangeuri` backend holds one: queue for the session's lock.
/// The holder asks the backend for tokens, unless another element or tab brought the session first (the
/// lock's holder answers the question every new page asks): so two tabs opening together refresh once.
pub(crate) fn from_backend(c: &Controller, config: &Config) {
    c.status.set(Status::Working);
    queue(c, config);
}

/// Queues for the lock of `config`'s session, once: the origin's for a `storage="session"` session, which the
/// tabs share over their channel; this page's for a `memory` one, which no other tab sees.
fn queue(c: &Controller, config: &Config) {
    if c.handles.renewal.borrow().lock.is_some() {
        return;
    }
    let mut name = format!("{}:renew", storage::session_key(config));
    if config.storage == StorageKind::Memory {
        name.push_str(&PAGE.with(|page| format!(":{page}")));
    }
    let this = c.clone();
    let lock = Lock::request(&name, move || lead(&this));
    c.handles.renewal.borrow_mut().lock = Some(lock);
}

thread_local! {
    /// This page among the origin's: its `memory` sessions' locks are its own. An integer: formatting a float
    /// would compile float printing into the wasm (size rule 2, BENCHMARKS.md).
    static PAGE: u32 = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
}

/// This element holds the lock: it renews the stored session when due, or, with none yet, starts one from
/// the backend.
fn lead(c: &Controller) {
    c.handles.renewal.borrow_mut().leader = true;
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    if storage::load_session(&config).is_some() || config.exchange_uri.is_none() {
        return arm(c, 0.0);
    }
    let this = c.clone();
    c.spawn(async move {
        match backend_session(&config).await {
            // Another element of the page may have brought it meanwhile.
            Ok(_) if storage::load_session(&config).is_some() => arm(&this, 0.0),
            Ok(session) => {
                storage::save_session(&config, &session);
                signed_in(&this, session);
                if let Some(session) = this.session() {
                    tab_sync::tell(&this, &config, News::Session(Box::new(session)));
                }
            }
            Err(error) => {
                stop(&this);
                this.fail(error);
            }
        }
    });
}

/// The session the backend's refresh starts: a renewal of an empty session (its tokens checked as a renewal's,
/// the id_token as the first of a session: the issuer's, for this app, unexpired), the user from the id_token,
/// or userinfo.
async fn backend_session(config: &Config) -> Result<Session, Error> {
    let empty = Session {
        access_token: String::new(),
        token_type: String::new(),
        expires_at: None,
        scope: config.scope_param(),
        id_token: None,
        profile: Profile::default(),
        renewal: Renewal::Backend,
    };
    let session = renew(config, &empty).await?;
    let Ok(metadata) = metadata(config).await else {
        return Ok(session);
    };
    let profile =
        callback::with_userinfo(session.profile.clone(), &metadata, &session.access_token).await;
    Ok(Session { profile, ..session })
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
    if session.renewal.renews() && !leader {
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
    if !session.renewal.renews() {
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

/// The refresh_token grant, at the token endpoint or through the `exchangeuri` backend. A new id_token must be
/// the session's user's (OpenID Connect Core §12.2); otherwise the renewal is refused and its tokens are dropped.
async fn renew(config: &Config, session: &Session) -> Result<Session, Error> {
    let response = refresh(config, &session.renewal).await?;
    let mut profile = None;
    if let Some(renewed) = &response.id_token {
        let original = match &session.id_token {
            Some(original) => Some(IdToken::read(original, json::value)?.claims),
            None => None,
        };
        let renewed = IdToken::read(renewed, json::value)?;
        renewed.claims.validate_renewal(
            &config.provider.issuer(),
            &config.client_id,
            original.as_ref(),
            now(),
        )?;
        profile = Some(renewed.profile);
    }
    let renewed = session.renewed(response, now());
    // A session with no user yet (one from the backend alone) takes the id_token's.
    Ok(match profile {
        Some(profile) if session.profile == Profile::default() => Session { profile, ..renewed },
        _ => renewed,
    })
}

/// A refresh's token response, checked: a public client's at the token endpoint, with its refresh token; the
/// backend's, which renews with the one it keeps and its secret.
async fn refresh(config: &Config, how: &Renewal) -> Result<TokenResponse, Error> {
    let client_id = &config.client_id;
    let response: TokenResponse = match (how, &config.exchange_uri) {
        (Renewal::RefreshToken(refresh_token), _) => {
            let metadata = metadata(config).await?;
            let body = token::refresh_request_body(refresh_token, client_id);
            http::post_form(&metadata.token_endpoint, body)
                .await
                .map_err(|f| f.into_error("the token endpoint"))?
        }
        (Renewal::Backend, Some(uri)) => {
            // One request at a time in the whole browser: each carries the cookie the previous one rotated.
            // Two at once would spend the same refresh token twice, which a provider takes for a theft.
            let _one_at_a_time =
                Lock::acquire(&format!("{}:backend", storage::session_key(config))).await;
            let body = json::stringify(&BackendRefresh { client_id });
            http::post_json(uri, body)
                .await
                .map_err(|f| f.into_error(http::BACKEND))?
        }
        _ => {
            return Err(Error::new(
                Code::RenewalFailed,
                "This session has no way to renew (no refresh token, and no exchangeuri backend).",
            ));
        }
    };
    response.validate_renewal()?;
    Ok(response)
}
