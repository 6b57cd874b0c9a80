//! `element.fetch(input, init)`: the page's request with the session's access token (`Authorization: DPoP`
//! and a fresh proof when the tokens are bound, `Bearer` otherwise), sent only to an origin `fetchorigins`
//! allows. A token that is expired or about to be is renewed first; a 401 that refuses the token earns one
//! renewal and one retry, a nonce challenge one retry with its nonce: never a loop.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, Response};

use crate::controller::{Controller, now};
use crate::dpop::{key_store, nonces};
use crate::flows::renewal;
use crate::{address, events, page};
use anypoint_signin_core::dpop::challenge::{asks_for_nonce, refuses_token};
use anypoint_signin_core::dpop::nonce::Attempt;
use anypoint_signin_core::error::{Code, Error};

/// A token this close to its expiry is renewed before it is sent: it could expire on the way (a slow
/// request's round trip, with room to spare; the renewal timer renews well before this, so only a session
/// whose renewal failed or waited meets it).
const STALE_MS: f64 = 10_000.0;

/// Why a request was not answered.
enum Refusal {
    /// The element's: told to the page as every error is, and the promise rejects with it.
    Element(Error),
    /// The browser's `fetch` rejected (the network, or the page's own abort): the page's promise rejects as
    /// `fetch`'s would.
    Browser(JsValue),
}

/// The page's input is not a request `fetch` could make (a URL that does not parse or stringify, a GET with a
/// body, a body already read): nothing is sent.
fn unmade(e: JsValue) -> Refusal {
    Refusal::Element(Error::new(
        Code::FetchRefused,
        format!(
            "element.fetch() could not make the request: {}",
            js_sys::Error::from(e).message()
        ),
    ))
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Refusal {
        Refusal::Element(error)
    }
}

/// The response, or the rejection the page's promise gets: the browser's own, or an `Error` whose `code` is
/// the element's (also dispatched and logged).
pub(crate) async fn fetch(
    c: Controller,
    input: JsValue,
    init: JsValue,
) -> Result<JsValue, JsValue> {
    let (error, rejection) = match send(&c, &input, &init).await {
        Ok(response) => return Ok(response.into()),
        Err(Refusal::Browser(rejection)) => {
            // The page's own abort (its signal) is no failure; anything else is said, with a code.
            let name = js_sys::Reflect::get(&rejection, &"name".into()).ok();
            if name.and_then(|n| n.as_string()).as_deref() == Some("AbortError") {
                return Err(rejection);
            }
            let error = Error::new(
                Code::NetworkError,
                format!(
                    "element.fetch() got no answer ({}): the browser is offline, the server is down, or it \
                     does not allow this page's origin (CORS, with the Authorization and DPoP headers).",
                    js_sys::Error::from(rejection.clone()).message()
                ),
            );
            (error, rejection)
        }
        Err(Refusal::Element(error)) => {
            let rejection = js_sys::Error::new(error.message()).into();
            (error, rejection)
        }
    };
    events::error(&c.host, &error);
    let _ = js_sys::Reflect::set(&rejection, &"code".into(), &error.code().as_str().into());
    Err(rejection)
}

async fn send(c: &Controller, input: &JsValue, init: &JsValue) -> Result<Response, Refusal> {
    let config = c.config.get_untracked()?;
    // The request as `fetch` itself would make it: any input it takes, the URL resolved against the page.
    let constructor: js_sys::Function = js_sys::Reflect::get(&page::window(), &"Request".into())
        .map_err(unmade)?
        .unchecked_into();
    let request = js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(input, init))
        .map_err(unmade)?
        .unchecked_into::<Request>();
    let url = request.url();
    let origin = address::parse_url(&url, None)
        .map(|url| url.origin)
        .filter(|origin| config.fetch_origins.contains(origin))
        .ok_or_else(|| {
            Error::new(
                Code::FetchRefused,
                format!(
                    "element.fetch() sends the access token only to {}; \"{url}\" is elsewhere, so nothing was \
                     sent. List its origin in the fetchorigins attribute if it should have the token.",
                    config.fetch_origins.join(", ")
                ),
            )
        })?;
    let mut session = c.session().ok_or_else(|| {
        Error::new(
            Code::NotSignedIn,
            "element.fetch() needs a signed-in user, and no one is signed in: nothing was sent.",
        )
    })?;
    if session.expires_at.is_some_and(|at| at - now() < STALE_MS)
        && let Some(renewed) = renewal::fresh(c, &config, &session).await
    {
        session = renewed?;
    }
    // A renewal keeps the key (the session's `dpop_jkt`): found once.
    let key = match session.is_bound() {
        true => Some(key_store::find(&config, session.dpop_jkt.as_deref()).await?),
        false => None,
    };
    let mut attempt = Attempt::First;
    let mut renewed = false;
    loop {
        // A copy per try: a body is read once.
        let outgoing = Request::clone(&request).map_err(unmade)?;
        let headers = outgoing.headers();
        let authorization = format!("{} {}", session.token_type, session.access_token);
        headers
            .set("Authorization", &authorization)
            .map_err(unmade)?;
        // (A renewal answered with a Bearer token, which `auto` takes, is sent without a proof.)
        let key = key.as_ref().filter(|_| session.is_bound());
        let mut sent = None;
        if let Some(key) = key {
            let (proof, nonce) = key
                .proof(&outgoing.method(), &url, Some(&session.access_token))
                .await?;
            headers.set("DPoP", &proof).map_err(unmade)?;
            sent = nonce;
        }
        let response: Response = JsFuture::from(page::window().fetch_with_request(&outgoing))
            .await
            .map_err(Refusal::Browser)?
            .unchecked_into();
        let status = response.status();
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let challenge = header("WWW-Authenticate").unwrap_or_default();
        if key.is_some() {
            let challenged = asks_for_nonce(status, &challenge);
            if nonces::retry(
                &origin,
                attempt,
                sent.as_ref(),
                challenged,
                header("DPoP-Nonce"),
            ) {
                attempt = Attempt::Retry;
                continue;
            }
        }
        if !renewed
            && refuses_token(status, &challenge)
            && let Some(fresh) = renewal::fresh(c, &config, &session).await
        {
            session = fresh?;
            renewed = true;
            attempt = Attempt::First;
            continue;
        }
        return Ok(response);
    }
}
