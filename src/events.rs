//! What the element tells the page: DOM events that bubble out of the shadow root, and the console.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::json::{js, to_js};
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::json::Value;
use anypoint_signin_core::session::Session;

/// Fired with the session (`{accessToken, tokenType, expiresAt, scope, idToken, profile}`) after a sign-in
/// or when a stored session is restored.
pub const SIGNIN: &str = "anypoint-signin";
/// Fired after sign-out, with `{reason}`: `user` or `expired`.
pub const SIGNOUT: &str = "anypoint-signout";
/// Fired with `{code, message}` on every failure.
pub const ERROR: &str = "anypoint-signin-error";
/// Cancelable, before the code exchange: a page that cancels it does the exchange itself.
pub const CODE_EXCHANGE: &str = "anypoint-code-exchange";
// The earlier Lit `<anypoint-signin>`'s events, fired beside ours: a page written for it keeps working when
// only its script changes (README, "Coming from the earlier element").
/// The earlier element's events, detail `{value}`.
pub const SIGNED_IN_CHANGE: &str = "signedinchange";
/// See [`SIGNED_IN_CHANGE`].
pub const ACCESS_TOKEN_CHANGE: &str = "accesstokenchange";
/// The earlier element's [`SIGNIN`], with the same detail.
pub const EARLIER_SIGNIN: &str = "anypointsignin";
/// The earlier element's [`SIGNOUT`], with the same detail.
pub const EARLIER_SIGNOUT: &str = "anypointsignout";
/// The earlier element's [`ERROR`]; its detail is the message.
pub const EARLIER_ERROR: &str = "anypointsigninawareerror";
/// The earlier element's code exchange: the code is `event.code`, and the page sets `event.detail.result` to
/// (a promise of) the token, camelCase.
pub const EARLIER_CODE_EXCHANGE: &str = "anypointcodeexchange";

/// Every event the element dispatches, as www/meta/registry.json lists them (src/registry.rs).
#[cfg(test)]
pub(crate) const ALL: [&str; 10] = [
    SIGNIN,
    SIGNOUT,
    ERROR,
    CODE_EXCHANGE,
    SIGNED_IN_CHANGE,
    ACCESS_TOKEN_CHANGE,
    EARLIER_SIGNIN,
    EARLIER_SIGNOUT,
    EARLIER_ERROR,
    EARLIER_CODE_EXCHANGE,
];

/// Dispatches `name` on the host, with `extra` properties on the event object itself; false when a listener
/// cancelled it.
fn dispatch_with(
    host: &HtmlElement,
    name: &str,
    detail: &JsValue,
    cancelable: bool,
    extra: &[(&str, &JsValue)],
) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) else {
        return true;
    };
    for (key, value) in extra {
        let _ = js_sys::Reflect::set(&event, &JsValue::from_str(key), value);
    }
    host.dispatch_event(&event).unwrap_or(true)
}

/// Dispatches `name` on the host; false when a listener cancelled it.
fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    dispatch_with(host, name, detail, cancelable, &[])
}

/// The earlier element's detail, `{value}`.
fn value(value: Value) -> JsValue {
    js(&Value::Object(vec![("value", value)]))
}

fn changed(host: &HtmlElement, session: Option<&Session>) {
    dispatch(
        host,
        SIGNED_IN_CHANGE,
        &value(session.is_some().into()),
        false,
    );
    let token = session.map(|s| s.access_token.as_str());
    dispatch(host, ACCESS_TOKEN_CHANGE, &value(token.into()), false);
}

/// Tells the page who signed in.
pub fn signin(host: &HtmlElement, session: &Session) {
    let detail = to_js(&session.public());
    dispatch(host, SIGNIN, &detail, false);
    dispatch(host, EARLIER_SIGNIN, &detail, false);
    changed(host, Some(session));
}

/// Tells the page the user signed out, and why: `user` or `expired`.
pub fn signout(host: &HtmlElement, reason: &str) {
    let detail = js(&Value::Object(vec![("reason", reason.into())]));
    dispatch(host, SIGNOUT, &detail, false);
    dispatch(host, EARLIER_SIGNOUT, &detail, false);
    changed(host, None);
}

/// Logs `error` and tells the page about it.
pub fn error(host: &HtmlElement, error: &Error) {
    report(host, error, false);
}

/// Like [`error`], for a failure the element can work around: the event is cancelable, and the element falls
/// back (returns true) unless the page cancels it.
pub fn cancelable_error(host: &HtmlElement, error: &Error) -> bool {
    report(host, error, true)
}

/// What the element's console lines start with.
const CONSOLE_PREFIX: &str = "anypoint-signin:";

/// A console warning for the developer, about something that works but not as it should.
pub fn warn(message: &str) {
    web_sys::console::warn_2(
        &JsValue::from_str(CONSOLE_PREFIX),
        &JsValue::from_str(message),
    );
}

fn report(host: &HtmlElement, error: &Error, cancelable: bool) -> bool {
    web_sys::console::error_2(
        &JsValue::from_str(CONSOLE_PREFIX),
        &JsValue::from_str(&error.to_string()),
    );
    let detail = Value::Object(vec![
        ("code", error.code().as_str().into()),
        ("message", error.message().into()),
    ]);
    let go_on = dispatch(host, ERROR, &js(&detail), cancelable);
    dispatch(host, EARLIER_ERROR, &error.message().into(), false);
    go_on
}

/// Offers the code exchange to the page. `Ok(None)`: the element exchanges. `Ok(Some(answer))`: the page
/// cancelled the event and called `detail.respondWith(tokenResponseOrPromise)` during dispatch, as with
/// `FetchEvent`; cancelling without answering is an error.
pub fn code_exchange(
    host: &HtmlElement,
    code_value: &str,
    attempt: &PendingAttempt,
) -> Result<Option<JsValue>, Error> {
    let detail = exchange_detail(code_value, attempt);
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
            Code::ExchangeNotHandled,
            "The page cancelled anypoint-code-exchange without calling detail.respondWith().",
        )
    })
}

/// What the page needs to exchange the code itself: the code, and the PKCE verifier the token endpoint checks.
fn exchange_detail(code_value: &str, attempt: &PendingAttempt) -> JsValue {
    js(&Value::Object(vec![
        ("code", code_value.into()),
        ("codeVerifier", attempt.code_verifier.as_str().into()),
        ("redirectUri", attempt.redirect_uri.as_str().into()),
        ("clientId", attempt.client_id.as_str().into()),
        ("tokenEndpoint", attempt.token_endpoint.as_str().into()),
    ]))
}

/// Offers the code exchange as the earlier element did (after [`code_exchange`], which the page did not
/// take): `event.code`, and a handler that sets `event.detail.result` to (a promise of) the token, camelCase.
/// The detail also carries the PKCE verifier, which a backend redeeming the code must now forward.
/// `Ok(None)`: no handler answered, the element exchanges.
pub fn earlier_code_exchange(
    host: &HtmlElement,
    code_value: &str,
    attempt: &PendingAttempt,
) -> Result<Option<JsValue>, Error> {
    let detail = exchange_detail(code_value, attempt);
    let code = JsValue::from_str(code_value);
    let go_on = dispatch_with(
        host,
        EARLIER_CODE_EXCHANGE,
        &detail,
        true,
        &[("code", &code)],
    );
    let result = js_sys::Reflect::get(&detail, &"result".into())
        .ok()
        .filter(|r| !r.is_undefined() && !r.is_null());
    match (result, go_on) {
        (Some(result), _) => Ok(Some(result)),
        (None, true) => Ok(None),
        (None, false) => Err(Error::new(
            Code::ExchangeNotHandled,
            "The page cancelled anypointcodeexchange without setting event.detail.result.",
        )),
    }
}
