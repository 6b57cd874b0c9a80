//! Starting a sign-in: the pending attempt remembered across the redirect, and the authorize URL.

use crate::client::Client;
use crate::discovery::Metadata;
use crate::json::object::json_object;
use crate::pkce;

/// How long a started sign-in may take before its callback is refused.
pub const ATTEMPT_LIFETIME_MS: f64 = 10.0 * 60.0 * 1000.0;

/// What the redirect page needs to finish a sign-in: kept in sessionStorage under its `state`, read once.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingAttempt {
    /// The `state` sent, binding the callback to this browser tab.
    pub state: String,
    /// The PKCE verifier; only its hash left the browser.
    pub code_verifier: String,
    /// The OpenID Connect nonce, when `openid` was requested; the id_token must echo it.
    pub nonce: Option<String>,
    /// The exact redirect URI sent, which the token request must repeat.
    pub redirect_uri: String,
    /// The issuer the user was sent to; a callback from another one is a mix-up.
    pub issuer: String,
    /// The connected app, so that only the element configured for it finishes the sign-in.
    pub client_id: String,
    /// Where the code may be redeemed: the token endpoint the attempt's discovery document named.
    pub token_endpoint: String,
    /// Or the site's backend (`exchangeuri`, absolute), which redeems it with the client secret.
    pub exchange_uri: Option<String>,
    /// The scopes requested, the granted ones when the token response does not list them.
    pub scope: String,
    /// When the attempt started, in milliseconds since the epoch.
    pub created_at: f64,
}

json_object! {
    PendingAttempt {
        state: required,
        code_verifier: required,
        nonce: optional,
        redirect_uri: required,
        issuer: required,
        client_id: required,
        token_endpoint: required,
        exchange_uri: optional,
        scope: required,
        created_at: required,
    }
}

impl PendingAttempt {
    /// A new attempt for `client` at the server `metadata` describes, from 96 random bytes (verifier, state,
    /// nonce) and the current time.
    pub fn new(
        client: Client,
        metadata: &Metadata,
        random: [[u8; 32]; 3],
        now_ms: f64,
    ) -> PendingAttempt {
        let [verifier, state, nonce] = random;
        PendingAttempt {
            state: pkce::random_string(&state),
            code_verifier: pkce::random_string(&verifier),
            nonce: client.is_openid().then(|| pkce::random_string(&nonce)),
            redirect_uri: client.redirect_uri,
            issuer: client.issuer,
            client_id: client.client_id,
            token_endpoint: metadata.token_endpoint.clone(),
            exchange_uri: client.exchange_uri,
            scope: client.scope,
            created_at: now_ms,
        }
    }

    /// Whether `client` may finish this attempt: the same connected app, the same issuer and the same place to
    /// redeem the code. Any other element taking it would send the code and the verifier somewhere the user
    /// never signed in to (mix-up, RFC 9700 §4.4).
    pub fn is_for(&self, client: &Client) -> bool {
        self.client_id == client.client_id
            && self.issuer == client.issuer
            && self.exchange_uri == client.exchange_uri
    }

    /// Whether the attempt is too old to finish (or from a clock that went backwards by more than that).
    pub fn is_expired(&self, now_ms: f64) -> bool {
        (now_ms - self.created_at).abs() > ATTEMPT_LIFETIME_MS
    }

    /// The URL the user is sent to: an authorization-code request with PKCE S256, state and nonce.
    pub fn authorize_url(&self, metadata: &Metadata) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", &self.scope)
            .append_pair("state", &self.state)
            .append_pair("code_challenge", &pkce::challenge(&self.code_verifier))
            .append_pair("code_challenge_method", "S256");
        if let Some(nonce) = &self.nonce {
            query.append_pair("nonce", nonce);
        }
        // OpenID Connect Core §11: offline access is asked with prompt=consent (servers may drop it otherwise).
        if self.scope.split(' ').any(|s| s == "offline_access") {
            query.append_pair("prompt", "consent");
        }
        let endpoint = &metadata.authorization_endpoint;
        let separator = if endpoint.contains('?') { '&' } else { '?' };
        format!("{endpoint}{separator}{}", query.finish())
    }
}

#[cfg(test)]
mod tests;
