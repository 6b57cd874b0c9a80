//! What a signed-in element does as its access token nears expiry: renew with the refresh token or through
//! the `exchangeuri` backend that keeps it (only the element holding the session's Web Lock does, as often as
//! [`anypoint_signin_core::renewal_policy`] allows), or report the end when the token expires without a way to renew. And, as
//! the same lock's holder, a page's first session from the backend alone (`storage="memory"` after a reload,
//! or a new tab). What comes of it goes to the one [`Reporter`] the session's lifecycle gave
//! ([`crate::flows::lifecycle`], which alone starts and stops this).

use std::time::Duration;

use anypoint_signin_core::arrival::Arrival;
use leptos::prelude::*;

use crate::controller::{Controller, now};
use crate::discovery_cache::metadata;
use crate::dpop::key_store;
use crate::tabs::Lock;
use crate::{events, http, json, storage, userinfo};
use anypoint_signin_core::config::{Config, StorageKind};
use anypoint_signin_core::dpop::binding::{Algorithm, Binding};
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::id_token::IdToken;
use anypoint_signin_core::renewal_policy::{Outcome, RenewalPolicy, Step};
use anypoint_signin_core::session::profile::Profile;
use anypoint_signin_core::session::{Renewal, Session};
use anypoint_signin_core::token::request::{Party, TokenRequest};
use anypoint_signin_core::token::response::TokenResponse;

/// What comes of watching a session.
pub(crate) enum Report {
    /// A session to adopt: renewed, or the backend's.
    Session(Box<Session>, Arrival),
    /// The session expired with no way to renew it.
    Expired,
}

/// Who hears the [`Report`]s.
pub(crate) type Reporter = fn(&Controller, &Config, Report);

/// How an element keeps its session going: its lock, its timer, its renewal record. Private to this module;
/// dropped (timer cleared, lock released) when the session ends or the element leaves.
#[derive(Default)]
pub(crate) struct Watch {
    /// Held or waited for: the holder alone renews the session.
    lock: Option<Lock>,
    /// This element holds the lock.
    leader: bool,
    timer: Option<TimeoutHandle>,
    /// When to renew, and whether renewal stopped.
    policy: RenewalPolicy,
    reporter: Option<Reporter>,
}

impl Watch {
    fn clear_timer(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.clear_timer();
    }
}

/// Tells the session's lifecycle, unless the watch stopped meanwhile (a sign-out during a renewal).
fn report(c: &Controller, config: &Config, report: Report) {
    let reporter = c.handles.renewal.borrow().reporter;
    if let Some(reporter) = reporter {
        reporter(c, config, report);
    }
}

/// Watches a new session's expiry: when it renews, queue for the session's lock (the holder renews);
/// otherwise report its end when it expires.
pub(crate) fn watch(c: &Controller, config: &Config, session: &Session, reporter: Reporter) {
    c.handles.renewal.borrow_mut().reporter = Some(reporter);
    if session.renewal.renews() {
        queue(c, config);
    }
    arm(c);
}

/// A page with no session of its own whose `exchangeuri` backend holds one: queue for the session's lock.
/// The holder asks the backend for tokens, unless another element or tab brought the session first (the
/// lock's holder answers the question every new page asks): so two tabs opening together refresh once.
pub(crate) fn from_backend(c: &Controller, config: &Config, reporter: Reporter) {
    c.handles.renewal.borrow_mut().reporter = Some(reporter);
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
        return arm(c);
    }
    let this = c.clone();
    c.spawn(async move {
        match backend_session(&config).await {
            // Another element of the page may have brought it meanwhile.
            Ok(_) if storage::load_session(&config).is_some() => arm(&this),
            Ok(session) => report(
                &this,
                &config,
                Report::Session(Box::new(session), Arrival::Backend),
            ),
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
        dpop_jkt: None,
    };
    // With no token of its own, it is never taken for renewed meanwhile.
    let session = renew(config, &empty).await?.ok_or_else(renewal_lost)?;
    let Ok(metadata) = metadata(config).await else {
        return Ok(session);
    };
    // The backend's tokens are Bearer: it is the client.
    let profile = userinfo::complete(
        session.profile.clone(),
        &metadata,
        &session.access_token,
        None,
    )
    .await;
    Ok(Session { profile, ..session })
}

/// Stops watching: gives up the lock (the next element in line takes over) and the timer, and reports
/// nothing more; a new session starts with a fresh renewal record.
pub(crate) fn stop(c: &Controller) {
    drop(c.handles.renewal.take());
}

/// Looks at the stored session and does what it needs next ([`RenewalPolicy::next`]): nothing, a timer that
/// looks again, a renewal, or the report of its end.
fn arm(c: &Controller) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    c.handles.renewal.borrow_mut().clear_timer();
    let Some(session) = storage::load_session(&config) else {
        return;
    };
    let step = {
        let mut watch = c.handles.renewal.borrow_mut();
        let leader = watch.leader;
        watch.policy.next(&session, leader, now())
    };
    match step {
        Step::Idle => {}
        Step::Wait(at) => {
            let this = c.clone();
            set_timer(c, at - now(), move || arm(&this));
        }
        Step::Renew => renew_now(c, config, session),
        Step::Expire => report(c, &config, Report::Expired),
    }
}

/// Runs `then` in `delay_ms`, instead of any timer set before.
fn set_timer(c: &Controller, delay_ms: f64, then: impl FnOnce() + 'static) {
    let mut watch = c.handles.renewal.borrow_mut();
    watch.clear_timer();
    // setTimeout takes at most 2^31-1 ms; a later time finds itself early when it fires, and waits again.
    let delay = Duration::from_millis(delay_ms.clamp(0.0, 2_147_483_647.0) as u64);
    watch.timer = set_timeout_with_handle(then, delay).ok();
}

/// Renews `session` now: the renewed session is reported; a failure is said, and the session waits for its
/// next try or its expiry, as the policy says.
fn renew_now(c: &Controller, config: Config, session: Session) {
    c.handles.renewal.borrow_mut().policy.started(now());
    let this = c.clone();
    c.spawn(async move {
        let result = renew(&config, &session).await;
        let outcome = match &result {
            Ok(Some(renewed)) => Outcome::Renewed(renewed.expires_at.map(|at| at - now())),
            // Renewed meanwhile by this page's request (`element.fetch`), which reported it.
            Ok(None) => return arm(&this),
            Err(error) if error.code() == Code::NetworkError => Outcome::Unreachable,
            Err(_) => Outcome::Refused,
        };
        if let Err(error) = &result {
            events::error(&this.host, error);
        }
        let verdict = this.handles.renewal.borrow_mut().policy.finished(outcome);
        if let Err(Some(error)) = verdict {
            events::error(&this.host, &error);
        }
        match result {
            Ok(Some(renewed)) => report(
                &this,
                &config,
                Report::Session(Box::new(renewed), Arrival::Renewal),
            ),
            // Offline: try again later (backing off); refused: keep the token until it expires.
            _ => arm(&this),
        }
    });
}

/// A renewed session for a request whose token `stale` holds is expired or refused (`element.fetch`):
/// renewed now when this element leads the session's renewal (and told as the timer's renewals are), or
/// `None`: the element that leads renews on its own schedule, and a session without a way to renew cannot.
pub(crate) async fn fresh(
    c: &Controller,
    config: &Config,
    stale: &Session,
) -> Option<Result<Session, Error>> {
    if !c.handles.renewal.borrow().leader || !stale.renewal.renews() {
        return None;
    }
    let renewed = match renew(config, stale).await {
        Ok(Some(renewed)) => {
            report(
                c,
                config,
                Report::Session(Box::new(renewed.clone()), Arrival::Renewal),
            );
            Ok(renewed)
        }
        // Renewed meanwhile, and told then.
        Ok(None) => storage::load_session(config).ok_or_else(renewal_lost),
        Err(error) => {
            events::error(&c.host, &error);
            Err(error)
        }
    };
    Some(renewed)
}

/// The session ended while its renewal waited.
fn renewal_lost() -> Error {
    Error::new(
        Code::RenewalFailed,
        "The session ended while it was being renewed: sign in again.",
    )
}

/// The refresh_token grant, at the token endpoint or through the `exchangeuri` backend. A new id_token must be
/// the session's user's (OpenID Connect Core §12.2); otherwise the renewal is refused and its tokens are dropped.
/// `None` when the session was renewed meanwhile: one refresh at a time in the whole browser, as each spends
/// the refresh token (or the backend's cookie) the previous one rotated, and a refresh token spent twice
/// looks like a theft to a provider, which then revokes the grant.
async fn renew(config: &Config, session: &Session) -> Result<Option<Session>, Error> {
    let _one_at_a_time = Lock::acquire(&format!("{}:refresh", storage::session_key(config))).await;
    if !session.access_token.is_empty()
        && storage::load_session(config).is_some_and(|s| s.access_token != session.access_token)
    {
        return Ok(None);
    }
    let response = refresh(config, session).await?;
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
    Ok(Some(match profile {
        Some(profile) if session.profile == Profile::default() => Session { profile, ..renewed },
        _ => renewed,
    }))
}

/// A refresh's token response, checked: a public client's at the token endpoint, with its refresh token (and
/// a proof with the session's key, when its tokens are bound); the backend's, which renews with the one it
/// keeps and its secret.
async fn refresh(config: &Config, session: &Session) -> Result<TokenResponse, Error> {
    let how = &session.renewal;
    let token_endpoint = match how.at_token_endpoint() {
        true => Some(metadata(config).await?.token_endpoint),
        false => None,
    };
    let request = TokenRequest::refresh(
        how,
        &config.client_id,
        config.exchange_uri.as_deref(),
        token_endpoint.as_deref(),
    )?;
    let (key, requested) = match (request.to, session.is_bound()) {
        (Party::TokenEndpoint, true) => (
            Some(key_store::find(config, session.dpop_jkt.as_deref()).await?),
            Binding::Dpop(Algorithm::Es256),
        ),
        _ => (None, Binding::Bearer),
    };
    let mut response = http::request_tokens(&request, key.as_ref()).await?;
    if let Some(warning) = response.validate_renewal(config.dpop, requested)? {
        events::warn(&warning);
    }
    Ok(response)
}
