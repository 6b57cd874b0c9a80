//! One element's sign-in state and the steps that change it: start, callback, restore, sign-out. Each step
//! runs the pure core against the browser shell; every failure is shown, logged and dispatched in one place (`fail`).

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use rustc_hash::FxHashMap;
use send_wrapper::SendWrapper;

use leptos::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::HtmlElement;

use crate::appearance::Appearance;
use crate::authorize::PendingAttempt;
use crate::callback::{self, Callback};
use crate::config::{Config, Mode, OBSERVED_ATTRIBUTES, Provider};
use crate::discovery::{Metadata, discovery_url};
use crate::error::{Error, code};
use crate::renewal::Renewal;
use crate::session::{Profile, Session};
use crate::tabs::Message;
use crate::token::{self, BackendExchange, IdTokenClaims, TokenResponse};
use crate::{events, http, json, navigation, popup, storage};

/// A callback taken by an element, with the attempt it answers (if this tab started one).
type Claimed = (Callback, Option<PendingAttempt>);

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
    attributes: [ArcRwSignal<Option<String>>; OBSERVED_ATTRIBUTES.len()],
    /// The validated attributes; an error is shown instead of the sign-in button.
    pub config: ArcMemo<Result<Config, Error>>,
    /// The validated look attributes; an error is shown like a config error.
    pub appearance: ArcMemo<Result<Appearance, Error>>,
    /// What the button shows.
    pub status: ArcRwSignal<Status>,
    /// Expiry, renewal and the other elements' news.
    pub(crate) renewal: Arc<SendWrapper<RefCell<Renewal>>>,
}

thread_local! {
    /// Discovery documents by issuer, fetched once per page (or brought along by the attempt a callback answers).
    static METADATA: RefCell<FxHashMap<String, Metadata>> = RefCell::default();
}

pub(crate) fn now() -> f64 {
    js_sys::Date::now()
}

impl Client {
    /// State for `host`, from its current attributes.
    pub fn new(host: HtmlElement) -> Client {
        let attributes = OBSERVED_ATTRIBUTES.map(|name| ArcRwSignal::new(host.get_attribute(name)));
        // Each memo tracks only the attributes it reads: a theme change does not re-validate the sign-in.
        let reader = |signals: [ArcRwSignal<Option<String>>; OBSERVED_ATTRIBUTES.len()]| {
            move |name: &str| {
                let i = OBSERVED_ATTRIBUTES.iter().position(|n| *n == name)?;
                signals[i].get()
            }
        };
        let page_url = navigation::page_url();
        let read = reader(attributes.clone());
        let config = ArcMemo::new(move |_| Config::from_attributes(&read, &page_url));
        let read = reader(attributes.clone());
        let appearance = ArcMemo::new(move |_| Appearance::from_attributes(&read));
        Client {
            host,
            attributes,
            config,
            appearance,
            status: ArcRwSignal::new(Status::Idle),
            renewal: Arc::new(SendWrapper::new(RefCell::default())),
        }
    }

    /// Updates one attribute's signal; the config and the view follow.
    pub fn attribute_changed(&self, name: &str, value: Option<String>) {
        if let Some(i) = OBSERVED_ATTRIBUTES.iter().position(|n| *n == name) {
            self.attributes[i].set(value);
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
        match self.claim_callback(&config) {
            Some(Ok(claimed)) => return self.complete(config, claimed),
            Some(Err(error)) => self.fail(error),
            None => self.restore(&config),
        }
        // After this task, so that the first paint of the button does not wait for the request to start.
        set_timeout(
            move || {
                spawn_local(async move {
                    let _ = metadata(&config).await;
                })
            },
            Duration::ZERO,
        );
    }

    /// Takes the callback in the address bar if it is this element's: the page is the redirect URI and the
    /// attempt is this client's (another element on the page may own it). Consumes the attempt and cleans
    /// the URL at once, before anything async, so no other element or reload can use it again.
    fn claim_callback(&self, config: &Config) -> Option<Result<Claimed, Error>> {
        let redirect_page = config
            .redirect_uri
            .split(['?', '#'])
            .next()
            .unwrap_or_default();
        if navigation::page_url() != redirect_page {
            return None;
        }
        let result = self.claim(config, &navigation::query())?;
        navigation::clean_callback_url();
        Some(result)
    }

    /// Takes the callback in `query` if it is this element's, consuming its attempt.
    fn claim(&self, config: &Config, query: &str) -> Option<Result<Claimed, Error>> {
        Some(match callback::parse(query) {
            Ok(None) => return None,
            Ok(Some(callback)) => {
                let pending = match storage::peek_pending(&callback.state) {
                    Ok(pending) => pending,
                    Err(error) => return Some(Err(error)),
                };
                if pending
                    .as_ref()
                    .is_some_and(|p| p.client_id != config.client_id)
                {
                    return None;
                }
                if let Some(kept) = storage::pending_metadata(&callback.state) {
                    adopt_metadata(config, kept);
                }
                storage::remove_pending(&callback.state);
                Ok((callback, pending))
            }
            Err(error) => Err(error),
        })
    }

    /// Finishes a claimed callback, in the background.
    fn complete(&self, config: Config, (callback, pending): Claimed) {
        let this = self.clone();
        spawn_local(async move {
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
        let response = self
            .exchange(config, &metadata, &code_value, &attempt)
            .await?;
        response.validate(&attempt)?;
        let mut profile = Profile::default();
        if let Some(id_token) = &response.id_token {
            let payload = token::jwt_payload(id_token)?;
            let invalid = |why: String| {
                Error::new(
                    code::INVALID_ID_TOKEN,
                    format!("The id_token's claims are invalid: {why}."),
                )
            };
            json::parse::<IdTokenClaims>(&payload)
                .map_err(invalid)?
                .validate(&attempt, now())?;
            profile = json::parse(&payload).map_err(invalid)?;
        }
        // Best effort: the name is a nicety, the sign-in already succeeded.
        if profile.name.is_none()
            && let Some(endpoint) = &metadata.userinfo_endpoint
            && let Ok(info) =
                http::get_json::<Profile>(endpoint, Some(&response.access_token)).await
        {
            profile.merge(info);
        }
        Ok(Session::new(response, profile, &attempt, now()))
    }

    /// The token response: from the page (if it cancels `anypoint-code-exchange`), the site's backend
    /// (`exchangeuri`), or the token endpoint as a public client.
    async fn exchange(
        &self,
        config: &Config,
        metadata: &Metadata,
        code_value: &str,
        attempt: &PendingAttempt,
    ) -> Result<TokenResponse, Error> {
        if let Some(answer) =
            events::code_exchange(&self.host, code_value, attempt, &metadata.token_endpoint)?
        {
            let value = JsFuture::from(js_sys::Promise::resolve(&answer))
                .await
                .map_err(|e| {
                    let why = js_sys::Error::from(e).message();
                    Error::new(
                        code::TOKEN_REQUEST_FAILED,
                        format!("The page's code exchange failed: {why}"),
                    )
                })?;
            return json::from_js(value)
                .map(TokenResponse::confidential)
                .map_err(|why| {
                    Error::new(
                        code::INVALID_TOKEN_RESPONSE,
                        format!("The page's token response is not valid: {why}."),
                    )
                });
        }
        match &config.exchange_uri {
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
                http::post_form(&metadata.token_endpoint, body)
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
                set_timeout(move || this.tell(&config, Message::ask()), Duration::ZERO);
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
                        code::POPUP_BLOCKED,
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
        spawn_local(async move {
            let result = async {
                let metadata = metadata(&config).await?;
                let attempt = PendingAttempt::new(&config, random()?, now());
                storage::save_pending(&attempt, &metadata)?;
                let url = attempt.authorize_url(&metadata);
                let refused = |_| {
                    Error::new(
                        code::UNSUPPORTED_BROWSER,
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
                        code::POPUP_CLOSED,
                        "The sign-in window was closed before the sign-in finished.",
                    )
                })?;
                match this.claim(&config, &query) {
                    Some(claimed) => {
                        this.complete(config.clone(), claimed?);
                        Ok(())
                    }
                    None => Err(Error::new(
                        code::INVALID_CALLBACK,
                        "The sign-in window came back without a sign-in response.",
                    )),
                }
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
        spawn_local(async move {
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
            code::UNSUPPORTED_BROWSER,
            "This browser has no Web Crypto.",
        )),
    }
}

/// Takes the discovery document kept with a callback's attempt as this page's copy (the callback page then
/// fetches none), when it passes the checks a fetched one must; else [`metadata`] fetches it. The copy is only
/// as trustworthy as this tab's sessionStorage, which also holds the attempt's verifier: whoever could alter it
/// could already take the code and the verifier, so fetching again would keep no one out (SECURITY.md).
fn adopt_metadata(config: &Config, kept: Metadata) {
    let issuer = config.provider.issuer();
    if kept.validate(&issuer).is_ok() {
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
    let metadata = match http::get_json::<Metadata>(&discovery_url(&issuer), None).await {
        Ok(metadata) => {
            metadata.validate(&issuer)?;
            metadata
        }
        Err(failure) => match config.provider {
            Provider::Anypoint(region) => region.documented_metadata(),
            Provider::Authority(_) => {
                let why = match failure {
                    http::Failure::Network => "it could not be reached".to_owned(),
                    http::Failure::Timeout => "it did not answer in time".to_owned(),
                    http::Failure::Status(status, _) => format!("it answered HTTP {status}"),
                    http::Failure::Body(why) => why,
                };
                return Err(Error::new(
                    code::DISCOVERY_FAILED,
                    format!("Could not load {}: {why}.", discovery_url(&issuer)),
                ));
            }
        },
    };
    METADATA.with_borrow_mut(|m| m.insert(issuer, metadata.clone()));
    Ok(metadata)
}
