//! The page's hand in the code exchange: `anypoint-code-exchange` (cancel it and answer with
//! `respondWith`), then the earlier element's `anypointcodeexchange` (set `detail.result`), before the
//! element redeems the code itself.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::HtmlElement;

use crate::events::{CODE_EXCHANGE, EARLIER_CODE_EXCHANGE, dispatch, dispatch_with};
use crate::json::js;
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::json::Value;

/// Offers the code exchange to the page. `Ok(None)`: the element exchanges. `Ok(Some(answer))`: the page
/// cancelled the event and called `detail.respondWith(tokenResponseOrPromise)` during dispatch, as with
/// `FetchEvent`; cancelling without answering is an error.
pub fn offer(
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

/// Offers the code exchange as the earlier element did (after [`offer`], which the page did not
/// take): `event.code`, and a handler that sets `event.detail.result` to (a promise of) the token, camelCase.
/// The detail also carries the PKCE verifier, which a backend redeeming the code must now forward.
/// `Ok(None)`: no handler answered, the element exchanges.
pub fn offer_as_earlier(
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
