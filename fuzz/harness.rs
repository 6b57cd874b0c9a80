//! One input through every part of the pure core that reads what a URL, a server or the page's storage
//! hands it: the callback query, token and error responses, the id_token's payload and claims, discovery
//! metadata, and the stored attempt and session. Nothing may panic, and the properties asserted here must
//! hold for any input. Shared by the cargo-fuzz target (fuzz_targets/core.rs) and the corpus replay in
//! `cargo test` (core/tests/fuzz_corpus.rs).

use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::callback;
use anypoint_signin_core::discovery::Metadata;
use anypoint_signin_core::dpop::binding::{Algorithm, Binding, DpopMode};
use anypoint_signin_core::id_token::{IdTokenClaims, jwt_parts};
use anypoint_signin_core::json::FromJson;
use anypoint_signin_core::region::Region;
use anypoint_signin_core::session::profile::Profile;
use anypoint_signin_core::session::{Renewal, Session};
use anypoint_signin_core::token::request::token_request_body;
use anypoint_signin_core::token::response::{ErrorResponse, TokenResponse};
use anypoint_signin_core::web_url::parse_native;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// An attempt as the element would have stored it before the redirect.
fn attempt(state: &str) -> PendingAttempt {
    PendingAttempt {
        state: state.to_owned(),
        code_verifier: "v".repeat(43),
        nonce: Some("n".repeat(43)),
        redirect_uri: "https://app.example.com/".into(),
        issuer: Region::Us.issuer(),
        client_id: "client".into(),
        token_endpoint: Region::Us.documented_metadata().token_endpoint,
        exchange_uri: None,
        scope: "openid profile email".into(),
        created_at: 1_700_000_000_000.0,
    }
}

/// Runs `data` through the core; panics only when the core does or a property fails.
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let now = 1_700_000_060_000.0;
    let metadata = Region::Us.documented_metadata();

    // The callback query: parsed, checked against an attempt with its own state, and cleaned.
    if let Ok(Some(cb)) = callback::parse(&text) {
        let pending = attempt(&cb.state);
        if let Ok((code, _)) = cb.verify(Some(pending.clone()), &metadata, now) {
            assert!(!code.is_empty(), "an empty code is never exchanged");
        }
        let _ = token_request_body(&cb.state, &pending);
    }
    // Every URL-valued input: parsed as the browser parses it, and refused or an https (loopback http) URL.
    if let Ok(url) = anypoint_signin_core::web_url::check_web_url(&text, parse_native) {
        assert!(url.scheme == "https" || url.scheme == "http", "{url:?}");
        assert!(!url.has_credentials);
    }
    let cleaned = callback::without_callback_params(&text);
    assert_eq!(
        callback::parse(&cleaned),
        Ok(None),
        "a cleaned query is no callback: {cleaned:?}"
    );

    // The id_token: the input as a whole JWT, then as the payload of one (which must round-trip).
    let _ = jwt_parts(&text);
    let jwt = format!("eyJhbGciOiJub25lIn0.{}.sig", URL_SAFE_NO_PAD.encode(data));
    match jwt_parts(&jwt) {
        Ok((_, payload)) => assert_eq!(payload.as_bytes(), data),
        Err(_) => assert!(
            std::str::from_utf8(data).is_err(),
            "only non-UTF-8 is refused"
        ),
    }
    // Read as the element reads what the browser parsed, serde_json standing in for JSON.parse; text that is
    // not JSON reads as null, which every reader refuses.
    let json = serde_json::from_slice::<serde_json::Value>(data).unwrap_or_default();
    let pending = attempt("s");
    if let Ok(claims) = IdTokenClaims::from_json(&json) {
        let _ = claims.validate(&pending, now);
    }
    let profile = Profile::from_json(&json).unwrap_or_default();
    let _ = profile.display_name();

    // Server answers: the token response (into a session), an error, discovery.
    if let Ok(mut response) = TokenResponse::from_json(&json)
        && response
            .validate(&pending, DpopMode::Auto, Binding::Dpop(Algorithm::Es256))
            .is_ok()
    {
        let renewal = Renewal::after_exchange(response.refresh_token.clone(), false, false);
        let session = Session::new(response, profile.clone(), &pending.scope, renewal, now);
        assert_eq!(
            session.public().renewal,
            Renewal::Never,
            "no refresh token in events"
        );
        let _ = session.is_expired(now);
    }
    let _ = ErrorResponse::from_json(&json);
    if let Ok(found) = Metadata::from_json(&json)
        && found.validate(&Region::Us.issuer(), parse_native).is_ok()
    {
        let _ = pending.authorize_url(&found);
    }

    // What sessionStorage hands back, which another script of the page may have written.
    if let Ok(stored) = PendingAttempt::from_json(&json) {
        let _ = stored.is_expired(now);
        let _ = stored.authorize_url(&metadata);
    }
    if let Ok(mut stored) = Session::from_json(&json) {
        let _ = stored.is_expired(now);
        let _ = stored.profile.merge(profile);
    }
}
