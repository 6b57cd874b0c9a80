//! One element's sign-in state and the steps that change it: start, callback, restore, sign-out. Each step
//! runs the pure core against the browser shell; every failure is shown, logged and dispatched in one place (`fail`).

use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use send_wrapper::SendWrapper;

use leptos::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::HtmlElement;

use crate::appearance::Appearance;
use crate::attributes;
use crate::authorize::PendingAttempt;
use crate::callback::Callback;
use crate::claim::{self, Claimed, Found};
use crate::config::{Config, Mode};
use crate::discovery::Metadata;
use crate::discovery_cache::metadata;
use crate::error::{Code, Error};
use crate::id_token::IdToken;
use crate::renewal::Renewal;
use crate::session::{Profile, Session};
use crate::tabs::Message;
use crate::token::{self, BackendExchange, TokenResponse};
use crate::{events, http, json, navigation, popup, storage};

/// The element's attribute values, one signal per observed name.
type Signals = Arc<Vec<(&'static str, ArcRwSignal<Option<String>>)>>;

/// What the button shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Ready to sign in.
    Idle,
    /// Redirecting, or finishing a callback.
    Working,
    /// Signed in.
    SignedIn(Box<Session>),
    /// Signed out, by the user or because the session expired.
    SignedOut(SignOut),
    /// The last step failed; the button offers to try again.
    Failed(Error),
}

/// Why a session ended; the `reason` of `anypoint-signout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOut {
    /// `signOut()` or the sign-out button.
    User,
    /// The access token expired and could not be renewed.
    Expired,
}

impl SignOut {
    /// The event's `reason`.
    pub fn reason(self) -> &'static str {
        match self {
            SignOut::User => "user",
            SignOut::Expired => "expired",
        }
    }
}

/// One element's state: its attributes (one signal each), the config derived from them, and its status.
#[derive(Clone)]
pub struct Client {
    pub(crate) host: HtmlElement,
    /// One signal per observed name ([`attributes::observed`]), in that order.
    attributes: Signals,
    /// The validated attributes; an error is shown instead of the sign-in button.
    pub config: ArcMemo<Result<Config, Error>>,
    /// The validated look attributes; an error is shown like a config error.
    pub appearance: ArcMemo<Result<Appearance, Error>>,
    /// What the button shows.
    pub status: ArcRwSignal<Status>,
    /// Expiry, renewal and the other elements' news.
    pub(crate) renewal: Arc<SendWrapper<RefCell<Renewal>>>,
    /// False once the element has left the page: its tasks and timers then stop before touching anything.
    alive: Arc<AtomicBool>,
}

pub(crate) fn now() -> f64 {
    js_sys::Date::now()
}

impl Client {
    /// State for `host`, from its current attributes.
    pub fn new(host: HtmlElement) -> Client {
        let attributes: Signals = Arc::new(
            attributes::observed()
                .map(|name| (name, ArcRwSignal::new(host.get_attribute(name))))
                .collect(),
        );
        // Each memo tracks only the attributes it reads: a theme change does not re-validate the sign-in.
        let reader = |signals: Signals| {
            move |name: &str| {
                let (_, signal) = signals.iter().find(|(n, _)| *n == name)?;
                signal.get()
            }
        };
        let page_url = navigation::page_url();
        let read = reader(attributes.clone());
        let config =
            ArcMemo::new(move |_| Config::from_attributes(&read, &page_url, navigation::parse_url));
        let read = reader(attributes.clone());
        let appearance = ArcMemo::new(move |_| Appearance::from_attributes(&read));
        Client {
            host,
            attributes,
            config,
            appearance,
            status: ArcRwSignal::new(Status::Idle),
            renewal: Arc::new(SendWrapper::new(RefCell::default())),
            alive: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Runs `task` in the background until it ends or the element leaves the page, whichever comes first: a
    /// task of an element that left is dropped when it next wakes, before it can store, show or dispatch.
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        let alive = self.alive.clone();
        let mut task = Box::pin(task);
        spawn_local(poll_fn(move |cx| match alive.load(Ordering::Relaxed) {
            true => task.as_mut().poll(cx),
            false => Poll::Ready(()),
        }));
    }

    /// Runs `then` after the current task, unless the element has left the page by then.
    pub(crate) fn later(&self, then: impl FnOnce() + 'static) {
        let alive = self.alive.clone();
        let run = move || {
            if alive.load(Ordering::Relaxed) {
                then();
            }
        };
        set_timeout(run, Duration::ZERO);
    }

    /// The element left the page: its tasks and timers stop, its lock and channel close.
    pub(crate) fn leave(&self) {
        self.alive.store(false, Ordering::Relaxed);
        let old = std::mem::take(&mut *self.renewal.borrow_mut());
        drop(old);
    }

    /// Updates one attribute's signal; the config and the view follow.
    pub fn attribute_changed(&self, name: &str, value: Option<String>) {
        if let Some((_, signal)) = self.attributes.iter().find(|(n, _)| *n == name) {
            signal.set(value);
        }
    }

    /// The languages the element should speak, most preferred first.
    pub fn languages(&self) -> Vec<String> {
        navigation::languages(&self.host)
    }

    /// The signed-in session, if any.
    pub fn session(&self) -> Option<Session> {
        match self.status.get_untracked() {
            Status::SignedIn(session) => Some(*session),
            _ => None,
        }
    }

    /// Reports every configuration error once, when it appears. Must run under the view's owner.
    pub fn watch_config(&self) {
        let this = self.clone();
        let look = self.clone();
        Effect::new(move |_| {
            if let Err(error) = this.config.get() {
                events::error(&this.host, &error);
            }
        });
        Effect::new(move |_| {
            if let Err(error) = look.appearance.get() {
                events::error(&look.host, &error);
            }
        });
    }

    /// First steps after connecting: finish a sign-in if this page is its callback, else restore a stored
    /// session; then fetch discovery ahead of the click.
    pub fn start(&self) {
        let Ok(config) = self.config.get_untracked() else {
            return;
        };
        // The redirect page in a sign-in popup only hands the response back: the opener finishes.
        if popup::return_to_opener() {
            navigation::clean_callback_url();
            self.status.set(Status::Working);
            return;
        }
        self.join(&config);
        match claim::from_address_bar(&config) {
            Found::Mine(claimed) => return self.complete(config, *claimed),
            Found::Refused(error) => self.fail(error),
            Found::Nothing => self.restore(&config),
            Found::Others => {
                // The elements of the page connect in this task (the parser, or `define` upgrading them).
                let this = self.clone();
                self.later(move || claim::refuse_unclaimed().map_or((), |e| this.fail(e)));
                self.restore(&config);
            }
        }
        // After this task, so that the first paint of the button does not wait for the request to start.
        let this = self.clone();
        self.later(move || {
            this.spawn(async move {
                let _ = metadata(&config).await;
            })
        });
    }

    /// Finishes a claimed callback, in the background.
    fn complete(&self, config: Config, (callback, pending): Claimed) {
        let this = self.clone();
        self.spawn(async move {
            let result = this.finish(&config, callback, pending).await;
            this.settle(&config, result);
        });
    }

    /// Checks the callback, exchanges the code and builds the session.
    async fn finish(
        &self,
        config: &Config,
        callback: Callback,
        pending: Option<PendingAttempt>,
    ) -> Result<Session, Error> {
        self.status.set(Status::Working);
        let metadata = metadata(config).await?;
        let (code_value, attempt) = callback.verify(pending, &metadata, now())?;
        let response = self.exchange(&code_value, &attempt).await?;
        response.validate(&attempt)?;
        let mut profile = Profile::default();
        if let Some(id_token) = &response.id_token {
            let id_token = IdToken::read(id_token, json::value)?;
            id_token.claims.validate(&attempt, now())?;
            profile = id_token.profile;
        }
        // Best effort, and soon given up: the name is a nicety, the sign-in already succeeded.
        if profile.name.is_none()
            && let Some(endpoint) = &metadata.userinfo_endpoint
            && let Ok(info) = http::get_json_with::<Profile>(
                endpoint,
                &response.access_token,
                http::USERINFO_TIMEOUT,
            )
            .await
        {
            profile.merge(info);
        }
        Ok(Session::new(response, profile, &attempt, now()))
    }

    /// The token response: from the page (if it cancels `anypoint-code-exchange`), the site's backend
    /// (`exchangeuri`), or the token endpoint as a public client; the last two where the attempt recorded.
    async fn exchange(
        &self,
        code_value: &str,
        attempt: &PendingAttempt,
    ) -> Result<TokenResponse, Error> {
        if let Some(answer) = events::code_exchange(&self.host, code_value, attempt)? {
            let value = JsFuture::from(js_sys::Promise::resolve(&answer))
                .await
                .map_err(|e| {
                    let why = js_sys::Error::from(e).message();
                    Error::new(
                        Code::TokenRequestFailed,
                        format!("The page's code exchange failed: {why}"),
                    )
                })?;
            return json::from_js(value)
                .map(TokenResponse::confidential)
                .map_err(|why| {
                    Error::new(
                        Code::InvalidTokenResponse,
                        format!("The page's token response is not valid: {why}."),
                    )
                });
        }
        match &attempt.exchange_uri {
            Some(uri) => {
                let body = json::stringify(&BackendExchange {
                    code: code_value,
                    code_verifier: &attempt.code_verifier,
                    redirect_uri: &attempt.redirect_uri,
                    client_id: &attempt.client_id,
                });
                http::post_json(uri, body)
                    .await
                    .map(TokenResponse::confidential)
                    .map_err(|f| f.into_error("the site's exchange backend"))
            }
            None => {
                let body = token::token_request_body(code_value, attempt);
                http::post_form(&attempt.token_endpoint, body)
                    .await
                    .map_err(|f| f.into_error("the token endpoint"))
            }
        }
    }

    /// A stored session for this configuration, unless it has expired.
    fn restore(&self, config: &Config) {
        match storage::load_session(config) {
            Some(session) if !session.is_expired(now()) => self.signed_in(session),
            Some(session) => self.revive(config, &session),
            // Another tab (or element) signed in may answer; asked after this task, as the answer comes later
            // anyway, so that the first paint does not wait for the question.
            None => {
                let (this, config) = (self.clone(), config.clone());
                self.later(move || this.tell(&config, Message::ask()));
            }
        }
    }

    fn settle(&self, config: &Config, result: Result<Session, Error>) {
        match result {
            Ok(session) => {
                storage::save_session(config, &session);
                self.signed_in(session);
                // The other elements and tabs after the page's event, which is what the page waits for; and
                // only while it lasts: a listener of that event may have signed out already.
                if let Some(session) = self.session() {
                    self.tell(config, Message::session(session));
                }
            }
            Err(error) => self.fail(error),
        }
    }

    /// Shows and announces `session`, and watches its expiry.
    pub(crate) fn signed_in(&self, session: Session) {
        self.status.set(Status::SignedIn(Box::new(session.clone())));
        events::signed_in(&self.host, &session);
        if let Ok(config) = self.config.get_untracked() {
            self.watch_expiry(&config, &session);
        }
    }

    /// Shows, logs and dispatches `error`; the button then offers to try again.
    fn fail(&self, error: Error) {
        events::error(&self.host, &error);
        self.status.set(Status::Failed(error));
    }

    /// Starts a sign-in: remembers a new attempt and leaves for the authorize endpoint.
    pub fn sign_in(&self) {
        let config = match self.config.get_untracked() {
            Ok(config) => config,
            Err(error) => return events::error(&self.host, &error),
        };
        if self.status.get_untracked() == Status::Working {
            return;
        }
        // The popup must open now, during the click; blocked, the tab signs in unless the page says no.
        let popup = match config.mode {
            Mode::Redirect => None,
            Mode::Popup => match popup::open() {
                Some(window) => Some(window),
                None => {
                    let blocked = Error::new(
                        Code::PopupBlocked,
                        "The browser blocked the sign-in window: signing in in this tab instead.",
                    );
                    if !events::fallback(&self.host, &blocked) {
                        return self.fail(blocked);
                    }
                    None
                }
            },
        };
        let this = self.clone();
        self.spawn(async move {
            let result = async {
                let metadata = metadata(&config).await?;
                let attempt = PendingAttempt::new(&config, &metadata, random()?, now());
                storage::save_pending(&attempt, &metadata)?;
                let url = attempt.authorize_url(&metadata);
                let refused = |_| {
                    Error::new(
                        Code::UnsupportedBrowser,
                        "The browser refused to open the sign-in page.",
                    )
                };
                let Some(window) = &popup else {
                    return navigation::assign(&url).map_err(refused);
                };
                window.location().set_href(&url).map_err(refused)?;
                let query = popup::response(window).await.ok_or_else(|| {
                    storage::remove_pending(&attempt.state);
                    Error::new(
                        Code::PopupClosed,
                        "The sign-in window was closed before the sign-in finished.",
                    )
                })?;
                this.complete(config.clone(), claim::from_popup(&config, &query)?);
                Ok(())
            }
            .await;
            if let Err(error) = result {
                if let Some(window) = &popup {
                    let _ = window.close();
                }
                this.fail(error);
            }
        });
        // Set after queueing the redirect: with discovery already fetched, the browser starts leaving before
        // the view re-renders (both wait for the same microtask queue).
        self.status.set(Status::Working);
    }

    /// Makes the button usable again after the user came back (Back button) from the authorize page.
    pub fn abandon_redirect(&self) {
        if self.status.get_untracked() == Status::Working {
            self.status.set(Status::Idle);
        }
    }

    /// Forgets the session and tells the page why.
    pub(crate) fn end(&self, config: &Config, why: SignOut) {
        self.stop_renewal();
        storage::clear_session(config);
        self.status.set(Status::SignedOut(why));
        events::signed_out(&self.host, why.reason());
    }

    /// Ends the session here and in the other elements and tabs.
    pub(crate) fn end_everywhere(&self, config: &Config, why: SignOut) {
        self.end(config, why);
        self.tell(config, Message::ended(why.reason()));
    }

    /// Signs out: forgets the session at once, then revokes its tokens where the server allows (best effort:
    /// the user is signed out of this site whatever the server answers).
    pub fn sign_out(&self) {
        let (Some(session), Ok(config)) = (self.session(), self.config.get_untracked()) else {
            return;
        };
        self.end_everywhere(&config, SignOut::User);
        self.spawn(async move {
            let Ok(Metadata {
                revocation_endpoint: Some(endpoint),
                ..
            }) = metadata(&config).await
            else {
                return;
            };
            let tokens = [
                Some((session.access_token, "access_token")),
                session.refresh_token.map(|t| (t, "refresh_token")),
            ];
            for (token, hint) in tokens.into_iter().flatten() {
                let body = token::revocation_body(&token, hint, &config.client_id);
                // RFC 7009 answers 200 with an empty body, which is not JSON: only reaching it matters.
                let _ = http::post_form::<()>(&endpoint, body).await;
            }
        });
    }
}

/// 96 bytes from the browser's CSPRNG: the verifier, the state and the nonce.
fn random() -> Result<[[u8; 32]; 3], Error> {
    let mut bytes = [[0u8; 32]; 3];
    let filled = navigation::window().crypto().and_then(|crypto| {
        bytes
            .iter_mut()
            .try_for_each(|chunk| crypto.get_random_values_with_u8_array(chunk).map(drop))
    });
    match filled {
        Ok(()) => Ok(bytes),
        Err(_) => Err(Error::new(
            Code::UnsupportedBrowser,
            "This browser has no Web Crypto.",
        )),
    }
}
