//! The client as the protocol steps see it: the connected app's values an element was configured with (its
//! client ID, redirect URI, scope, issuer and backend), apart from what only the element needs (storage,
//! mode, look). The steps take this, as oauth4webapi's take its `Client`, not the element's whole
//! [`Config`](crate::config::Config).

/// One connected app at one authorization server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// The connected app's client ID.
    pub client_id: String,
    /// Where the authorization server sends the user back.
    pub redirect_uri: String,
    /// The requested scopes, as the space-separated `scope` parameter.
    pub scope: String,
    /// The authorization server's issuer identifier.
    pub issuer: String,
    /// The site's backend that redeems codes with the client secret, if any.
    pub exchange_uri: Option<String>,
}

impl Client {
    /// Whether the scope asks for OpenID Connect (an id_token, a nonce).
    pub fn is_openid(&self) -> bool {
        self.scope.split(' ').any(|s| s == "openid")
    }
}
