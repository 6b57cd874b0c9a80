//! Finishing a sign-in on the redirect page (or after a popup): check the response, exchange the code where
//! the attempt says, check the tokens, build the session.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::authorize::PendingAttempt;
use crate::callback::Callback;
use crate::claim::Claimed;
use crate::config::Config;
use crate::controller::{Controller, Status, now};
use crate::discovery::Metadata;
use crate::discovery_cache::metadata;
use crate::error::{Code, Error};
use crate::flows::{signed_in, tab_sync};
use crate::id_token::IdToken;
use crate::session::{Profile, Renewal, Session};
use crate::tab_message::News;
use crate::token::{self, BackendExchange, EarlierTokenResponse, TokenResponse};
use crate::{events, http, json, storage};

/// Finishes a claimed response, in the background: the session it gives is kept and announced, or the
/// element shows why there is none.
pub(crate) fn finish(c: &Controller, config: Config, (callback, pending): Claimed) {
    let this = c.clone();
    c.spawn(async move {
        match session_from(&this, &config, callback, pending).await {
            Ok(session) => {
                storage::save_session(&config, &session);
                signed_in(&this, session);
                // The other elements and tabs after the page's event, which is what the page waits for;
                // and only while it lasts: a listener of that event may have signed out already.
                if let Some(session) = this.session() {
                    tab_sync::tell(&this, &config, News::Session(Box::new(session)));
                }
            }
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
    let (response, via_backend) = exchange(c, &code_value, &attempt).await?;
    response.validate(&attempt)?;
    let mut profile = Profile::default();
    if let Some(id_token) = &response.id_token {
        let id_token = IdToken::read(id_token, json::value)?;
        id_token.claims.validate(&attempt, now())?;
        profile = id_token.profile;
    }
    let profile = with_userinfo(profile, &metadata, &response.access_token).await;
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
    Ok(Session::new(
        response,
        profile,
        &attempt.scope,
        renewal,
        now(),
    ))
}

/// `profile` with the claims userinfo adds when it lacks a name. Best effort, and soon given up: the name is a
/// nicety, the sign-in already succeeded.
pub(crate) async fn with_userinfo(
    mut profile: Profile,
    metadata: &Metadata,
    access_token: &str,
) -> Profile {
    if profile.name.is_none()
        && let Some(endpoint) = &metadata.userinfo_endpoint
        && let Ok(info) =
            http::get_json_with::<Profile>(endpoint, access_token, http::USERINFO_TIMEOUT).await
    {
        profile.merge(info);
    }
    profile
}

/// The token response: from the page (if it cancels `anypoint-code-exchange`), the site's backend
/// (`exchangeuri`), or the token endpoint as a public client; the last two where the attempt recorded. And
/// whether it came from the backend.
async fn exchange(
    c: &Controller,
    code_value: &str,
    attempt: &PendingAttempt,
) -> Result<(TokenResponse, bool), Error> {
    if let Some(answer) = events::code_exchange(&c.host, code_value, attempt)? {
        let value = from_page(answer, events::CODE_EXCHANGE).await?;
        return json::from_js(value)
            .map(|token: TokenResponse| (token.confidential(), false))
            .map_err(|why| page_answer_invalid(events::CODE_EXCHANGE, why));
    }
    if let Some(answer) = events::earlier_code_exchange(&c.host, code_value, attempt)? {
        let value = from_page(answer, events::EARLIER_CODE_EXCHANGE).await?;
        return json::from_js(value)
            .map(|EarlierTokenResponse(token)| (token.confidential(), false))
            .map_err(|why| page_answer_invalid(events::EARLIER_CODE_EXCHANGE, why));
    }
    match &attempt.exchange_uri {
        Some(uri) => {
            let body = json::stringify(&BackendExchange {
                code: code_value,
                code_verifier: &attempt.code_verifier,
                redirect_uri: &attempt.redirect_uri,
                client_id: &attempt.client_id,
            });
            // The backend keeps the refresh token: renewals go through it too (flows::renewal).
            http::post_json(uri, body)
                .await
                .map(|token| (token, true))
                .map_err(|f| f.into_error(http::BACKEND))
        }
        None => {
            let body = token::token_request_body(code_value, attempt);
            http::post_form(&attempt.token_endpoint, body)
                .await
                .map(|token| (token, false))
                .map_err(|f| f.into_error("the token endpoint"))
        }
    }
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
