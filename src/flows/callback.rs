//! Finishing a sign-in on the redirect page (or after a popup): check the response, exchange the code where
//! the attempt says, check the tokens, build the session.

use anypoint_signin_core::arrival::Arrival;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::authorization_response::Claimed;
use crate::controller::{Controller, Status, now};
use crate::discovery_cache::metadata;
use crate::dpop::key_store::{self, NewKey};
use crate::flows::lifecycle;
use crate::{code_exchange, events, http, json, storage, userinfo};
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::callback::Callback;
use anypoint_signin_core::config::Config;
use anypoint_signin_core::dpop::binding::{Binding, TokenType};
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::id_token::IdToken;
use anypoint_signin_core::session::profile::Profile;
use anypoint_signin_core::session::{Renewal, Session};
use anypoint_signin_core::token::earlier::EarlierTokenResponse;
use anypoint_signin_core::token::request::{Party, TokenRequest};
use anypoint_signin_core::token::response::TokenResponse;

/// Finishes a claimed response, in the background: the session it gives is kept and announced, or the
/// element shows why there is none.
pub(crate) fn finish(c: &Controller, config: Config, (callback, pending): Claimed) {
    let this = c.clone();
    c.spawn(async move {
        match session_from(&this, &config, callback, pending).await {
            Ok(session) => lifecycle::adopt(&this, &config, session, Arrival::SignIn),
            Err(error) => this.fail(error),
        }
    });
}

/// The session a response gives: the response checked, the code exchanged, the tokens checked.
async fn session_from(
    c: &Controller,
    config: &Config,
    callback: Callback,
    pending: Option<PendingAttempt>,
) -> Result<Session, Error> {
    c.status.set(Status::Working);
    let metadata = metadata(config).await?;
    let (code_value, attempt) = callback.verify(pending, &metadata, now())?;
    let binding = config.dpop_binding(&metadata)?;
    // Deleted on any failure from here on (dropped).
    let (mut response, via_backend, new_key) =
        exchange(c, config, &code_value, &attempt, binding).await?;
    let requested = match new_key {
        Some(_) => binding,
        None => Binding::Bearer,
    };
    if let Some(warning) = response.validate(&attempt, config.dpop, requested)? {
        events::warn(&warning);
    }
    // A key the server did not bind the tokens to is of no use: deleted.
    let new_key = new_key.filter(|_| response.token_type == TokenType::Dpop.scheme());
    let key = new_key.as_ref().and_then(NewKey::key);
    let mut profile = Profile::default();
    if let Some(id_token) = &response.id_token {
        let id_token = IdToken::read(id_token, json::value)?;
        id_token.claims.validate(&attempt, now())?;
        profile = id_token.profile;
    }
    let profile = userinfo::complete(profile, &metadata, &response.access_token, key).await;
    if via_backend && response.refresh_token.is_some() {
        // A backend of the earlier contract: its refresh token is dropped, so the session ends at expiry.
        events::warn(
            "The exchangeuri backend returned a refresh token, which the element does not keep: update it to anypoint-signin-server or anypoint-signin/server, which keep it in an HttpOnly cookie and renew with it.",
        );
    }
    let renewal = Renewal::after_exchange(
        response.refresh_token.clone(),
        via_backend,
        storage::backend_holds_session(),
    );
    Ok(Session {
        dpop_jkt: new_key.and_then(NewKey::keep),
        ..Session::new(response, profile, &attempt.scope, renewal, now())
    })
}

/// The token response: from the page (if it cancels `anypoint-code-exchange`), the site's backend
/// (`exchangeuri`), or the token endpoint as a public client; the last two where the attempt recorded. And
/// whether it came from the backend, and the new DPoP key its request was proved with (`binding` says
/// whether the token endpoint's is), deleted unless kept.
async fn exchange(
    c: &Controller,
    config: &Config,
    code_value: &str,
    attempt: &PendingAttempt,
    binding: Binding,
) -> Result<(TokenResponse, bool, Option<NewKey>), Error> {
    if let Some(answer) = code_exchange::offer(&c.host, code_value, attempt)? {
        let value = from_page(answer, events::CODE_EXCHANGE).await?;
        return json::from_js(value)
            .map(|token: TokenResponse| (token.confidential(), false, None))
            .map_err(|why| page_answer_invalid(events::CODE_EXCHANGE, why));
    }
    if let Some(answer) = code_exchange::offer_as_earlier(&c.host, code_value, attempt)? {
        let value = from_page(answer, events::EARLIER_CODE_EXCHANGE).await?;
        return json::from_js(value)
            .map(|EarlierTokenResponse(token)| (token.confidential(), false, None))
            .map_err(|why| page_answer_invalid(events::EARLIER_CODE_EXCHANGE, why));
    }
    let request = TokenRequest::code(code_value, attempt);
    let key = match (request.to, binding) {
        (Party::TokenEndpoint, Binding::Dpop(_)) => Some(key_store::create(config).await?),
        _ => None,
    };
    let response = http::request_tokens(&request, key.as_ref().and_then(NewKey::key)).await?;
    // Through the backend, which keeps the refresh token: renewals go through it too (flows::renewal).
    Ok((response, request.to == Party::Backend, key))
}

/// The value of the page's answer to `event` (a promise or a value).
async fn from_page(answer: JsValue, event: &str) -> Result<JsValue, Error> {
    JsFuture::from(js_sys::Promise::resolve(&answer))
        .await
        .map_err(|e| {
            let why = js_sys::Error::from(e).message();
            Error::new(
                Code::TokenRequestFailed,
                format!("The page's code exchange ({event}) failed: {why}"),
            )
        })
}

fn page_answer_invalid(event: &str, why: String) -> Error {
    Error::new(
        Code::InvalidTokenResponse,
        format!("The page's token response ({event}) is not valid: {why}."),
    )
}
