//! What a signed-in element does as its access token nears expiry, and how it keeps in step with the other
//! elements and tabs: renew with the refresh token (only the element holding the session's Web Lock does),
//! or sign out when the token expires without one; adopt what the others renew, sign in and sign out.

use std::time::Duration;

use leptos::prelude::*;

use crate::client::{Client, SignOut, Status, now};
use crate::config::{Config, StorageKind};
use crate::discovery_cache::metadata;
use crate::error::{Code, Error};
use crate::id_token::IdToken;
use crate::renewal_policy::{Outcome, RenewalPolicy};
use crate::session::Session;
use crate::tabs::{Channel, Lock, Message};
use crate::token::{self, TokenResponse};
use crate::{events, http, json, storage};

/// One element's renewal state; dropping it closes the channel, gives up the lock and stops the timer.
#[derive(Default)]
pub struct Renewal {
    channel: Option<Channel>,
    lock: Option<Lock>,
    /// This element holds the lock: it alone renews the session.
    leader: bool,
    timer: Option<TimeoutHandle>,
    /// How often this element may renew, and whether it has stopped.
    policy: RenewalPolicy,
    /// Renewal stopped (refused, or tokens that expire at once): the session ends at expiry.
    stopped: bool,
}

impl Renewal {
    fn clear_timer(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
    }
}

impl Drop for Renewal {
    fn drop(&mut self) {
        self.clear_timer();
    }
}

impl Client {
    /// Joins the other elements of the origin, for a `storage="session"` element: from now on it hears their
    /// sign-ins, renewals and sign-outs.
    pub(crate) fn join(&self, config: &Config) {
        if config.storage != StorageKind::Session {
            return;
        }
        let this = self.clone();
        let channel = Channel::open(move |message| this.heard(message));
        self.renewal.borrow_mut().channel = channel;
    }

    /// Tells the other elements about this session.
    pub(crate) fn tell(&self, config: &Config, message: Message) {
        if let Some(channel) = &self.renewal.borrow().channel {
            channel.post(&Message {
                key: storage::session_key(config),
                ..message
            });
        }
    }

    fn heard(&self, message: Message) {
        let Ok(config) = self.config.get_untracked() else {
            return;
        };
        if message.key != storage::session_key(&config) {
            return;
        }
        let current = self.session();
        match (message.ask, message.session) {
            (true, _) => {
                if let Some(session) = storage::load_session(&config).filter(|_| current.is_some())
                {
                    self.tell(&config, Message::session(session));
                }
            }
            (false, Some(session)) => {
                if current.is_none_or(|c| c.access_token != session.access_token) {
                    storage::save_session(&config, &session);
                    self.signed_in(session);
                }
            }
            (false, None) => {
                if current.is_some() {
                    let why = match message.reason.as_deref() {
                        Some("expired") => SignOut::Expired,
                        _ => SignOut::User,
                    };
                    self.end(&config, why);
                }
            }
        }
    }

    /// Watches a new session's expiry: with a refresh token, queue for the session's lock (the holder renews);
    /// without one, sign out when it expires.
    pub(crate) fn watch_expiry(&self, config: &Config, session: &Session) {
        if session.refresh_token.is_some() && self.renewal.borrow().lock.is_none() {
            let this = self.clone();
            let lock = Lock::request(
                &format!("{}:renew", storage::session_key(config)),
                move || {
                    this.renewal.borrow_mut().leader = true;
                    this.arm(0.0);
                },
            );
            self.renewal.borrow_mut().lock = Some(lock);
        }
        self.arm(0.0);
    }

    /// Sets the timer for the stored session's deadline (not before `at_least` ms from now).
    fn arm(&self, at_least: f64) {
        let Ok(config) = self.config.get_untracked() else {
            return;
        };
        self.renewal.borrow_mut().clear_timer();
        let Some(session) = storage::load_session(&config) else {
            return;
        };
        let Some(deadline) = session.deadline(now()) else {
            return;
        };
        if session.refresh_token.is_some() && !self.renewal.borrow().leader {
            return;
        }
        let (stopped, due) = {
            let renewal = self.renewal.borrow();
            (renewal.stopped, renewal.policy.due_at(deadline))
        };
        if stopped {
            return self.expire_at(&config, session.expires_at.unwrap_or_default());
        }
        let this = self.clone();
        let token = session.access_token;
        self.set_timer((due - now()).max(at_least), move || this.due(&token, due));
    }

    /// Signs out everywhere when the session expires (at once if it has).
    fn expire_at(&self, config: &Config, expires_at: f64) {
        let (this, config) = (self.clone(), config.clone());
        self.set_timer(expires_at - now(), move || match now() < expires_at {
            // setTimeout's longest delay is under 25 days.
            true => this.arm(0.0),
            false => this.end_everywhere(&config, SignOut::Expired),
        });
    }

    /// Runs `then` in `delay_ms`, instead of any timer set before.
    fn set_timer(&self, delay_ms: f64, then: impl FnOnce() + 'static) {
        let mut renewal = self.renewal.borrow_mut();
        renewal.clear_timer();
        // setTimeout takes at most 2^31-1 ms; a later deadline finds itself early when it fires, and re-arms.
        let delay = Duration::from_millis(delay_ms.clamp(0.0, 2_147_483_647.0) as u64);
        renewal.timer = set_timeout_with_handle(then, delay).ok();
    }

    /// The deadline of the session with access token `token`, set for `at`, came: renew, or sign out if it
    /// expired without a refresh token. When another element renewed meanwhile, wait for the new deadline.
    fn due(&self, token: &str, at: f64) {
        let Ok(config) = self.config.get_untracked() else {
            return;
        };
        let Some(session) = storage::load_session(&config) else {
            return;
        };
        // Another element renewed meanwhile; or setTimeout's longest delay (under 25 days) fired early.
        if session.access_token != token || now() + 1000.0 < at {
            return self.arm(0.0);
        }
        if session.refresh_token.is_none() {
            return self.end_everywhere(&config, SignOut::Expired);
        }
        self.renewal.borrow_mut().policy.started(now());
        let this = self.clone();
        self.spawn(async move {
            let result = renew(&config, &session).await;
            let outcome = match &result {
                Ok(renewed) => Outcome::Renewed(renewed.expires_at.map(|at| at - now())),
                Err(error) if error.code() == Code::NetworkError => Outcome::Unreachable,
                Err(_) => Outcome::Refused,
            };
            if let Err(error) = &result {
                events::error(&this.host, error);
            }
            let verdict = this.renewal.borrow_mut().policy.finished(outcome);
            if let Err(stop) = verdict {
                this.renewal.borrow_mut().stopped = true;
                if let Some(error) = stop {
                    events::error(&this.host, &error);
                }
            }
            match result {
                Ok(renewed) => {
                    storage::save_session(&config, &renewed);
                    this.tell(&config, Message::session(renewed.clone()));
                    this.signed_in(renewed);
                }
                Err(_) if session.is_expired(now()) => {
                    this.end_everywhere(&config, SignOut::Expired)
                }
                // Offline: try again later (backing off); refused: keep the token until it expires.
                Err(_) => this.arm(0.0),
            }
        });
    }

    /// A restored session whose access token expired: renew it at once (under the lock) if it can be.
    pub(crate) fn revive(&self, config: &Config, session: &Session) {
        if session.refresh_token.is_some() {
            self.status.set(Status::Working);
            self.watch_expiry(config, session);
        } else {
            storage::clear_session(config);
        }
    }

    /// Stops watching: gives up the lock (the next element in line takes over) and the timer; a new session
    /// starts with a fresh renewal record.
    pub(crate) fn stop_renewal(&self) {
        let mut renewal = self.renewal.borrow_mut();
        renewal.lock = None;
        renewal.leader = false;
        renewal.policy = RenewalPolicy::default();
        renewal.stopped = false;
        renewal.clear_timer();
    }
}

/// The refresh_token grant at the token endpoint. A new id_token must be the session's user's (OpenID
/// Connect Core §12.2); otherwise the renewal is refused and its tokens are dropped.
async fn renew(config: &Config, session: &Session) -> Result<Session, Error> {
    let refresh_token = session.refresh_token.as_deref().unwrap_or_default();
    let metadata = metadata(config).await?;
    let body = token::refresh_request_body(refresh_token, &config.client_id);
    let response: TokenResponse = http::post_form(&metadata.token_endpoint, body)
        .await
        .map_err(|f| f.into_error("the token endpoint"))?;
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
