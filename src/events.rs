//! What the element tells the page: DOM events that bubble out of the shadow root, and the console.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::authorize::PendingAttempt;
use crate::error::{Error, code};
use crate::json::to_js;
use crate::session::Session;

/// Fired with the session (`{accessToken, tokenType, expiresAt, scope, idToken, profile}`) after a sign-in
/// or when a stored session is restored.
pub const SIGNIN: &str = "anypoint-signin";
/// Fired after sign-out, with `{reason}`: `user` or `expired`.
pub const SIGNOUT: &str = "anypoint-signout";
/// Fired with `{code, message}` on every failure.
pub const ERROR: &str = "anypoint-signin-error";
/// Cancelable, before the code exchange: a page that cancels it does the exchange itself.
pub const CODE_EXCHANGE: &str = "anypoint-code-exchange";
/// The earlier element's events, detail `{value}`.
pub const SIGNED_IN_CHANGE: &str = "signedinchange";
/// See [`SIGNED_IN_CHANGE`].
pub const ACCESS_TOKEN_CHANGE: &str = "accesstokenchange";

/// Dispatches `name` on the host; false when a listener cancelled it.
fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

#[derive(Serialize)]
struct Value<T> {
    value: T,
}

fn changed(host: &HtmlElement, session: Option<&Session>) {
    dispatch(
        host,
        SIGNED_IN_CHANGE,
        &to_js(&Value {
            value: session.is_some(),
        }),
        false,
    );
    let token = session.map(|s| s.access_token.as_str());
    dispatch(
        host,
        ACCESS_TOKEN_CHANGE,
        &to_js(&Value { value: token }),
        false,
    );
}

/// Tells the page who signed in.
pub fn signed_in(host: &HtmlElement, session: &Session) {
    dispatch(host, SIGNIN, &to_js(&session.public()), false);
    changed(host, Some(session));
}

#[derive(Serialize)]
struct SignOutDetail<'a> {
    reason: &'a str,
}

/// Tells the page the user signed out, and why: `user` or `expired`.
pub fn signed_out(host: &HtmlElement, reason: &str) {
    dispatch(host, SIGNOUT, &to_js(&SignOutDetail { reason }), false);
    changed(host, None);
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

/// Logs `error` and tells the page about it.
pub fn error(host: &HtmlElement, error: &Error) {
    report(host, error, false);
}

/// Like [`error`], for a failure the element can work around: the event is cancelable, and the element falls
/// back (returns true) unless the page cancels it.
pub fn fallback(host: &HtmlElement, error: &Error) -> bool {
    report(host, error, true)
}

fn report(host: &HtmlElement, error: &Error, cancelable: bool) -> bool {
    web_sys::console::error_2(
        &JsValue::from_str("anypoint-signin:"),
        &JsValue::from_str(&error.to_string()),
    );
    let detail = ErrorDetail {
        code: error.code(),
        message: error.message(),
    };
    dispatch(host, ERROR, &to_js(&detail), cancelable)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeDetail<'a> {
    code: &'a str,
    code_verifier: &'a str,
    redirect_uri: &'a str,
    client_id: &'a str,
    token_endpoint: &'a str,
}

/// Offers the code exchange to the page. `Ok(None)`: the element exchanges. `Ok(Some(answer))`: the page
/// cancelled the event and called `detail.respondWith(tokenResponseOrPromise)` during dispatch, as with
/// `FetchEvent`; cancelling without answering is an error.
pub fn code_exchange(
    host: &HtmlElement,
    code_value: &str,
    attempt: &PendingAttempt,
    token_endpoint: &str,
) -> Result<Option<JsValue>, Error> {
    let detail = to_js(&ExchangeDetail {
        code: code_value,
        code_verifier: &attempt.code_verifier,
        redirect_uri: &attempt.redirect_uri,
        client_id: &attempt.client_id,
        token_endpoint,
    });
    let answer = Rc::new(RefCell::new(None));
    let slot = answer.clone();
    let respond_with = Closure::<dyn Fn(JsValue)>::new(move |value| {
        slot.replace(Some(value));
    });
    let _ = js_sys::Reflect::set(&detail, &"respondWith".into(), respond_with.as_ref());
    if dispatch(host, CODE_EXCHANGE, &detail, true) {
        return Ok(None);
    }
    let answer = answer.take();
    answer.map(Some).ok_or_else(|| {
        Error::new(
            code::EXCHANGE_NOT_HANDLED,
            "The page cancelled anypoint-code-exchange without calling detail.respondWith().",
        )
    })
}
