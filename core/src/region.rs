//! Anypoint Platform's control planes and their documented OAuth endpoints.
//!
//! Discovery is preferred; these are the fallback because Anypoint's discovery document may not answer CORS
//! requests from other origins.

use crate::discovery::Metadata;

/// An Anypoint Platform control plane, chosen with the `region` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// `anypoint.mulesoft.com` (the default).
    Us,
    /// `eu1.anypoint.mulesoft.com`.
    Eu,
    /// `ca1.platform.mulesoft.com`.
    Ca,
    /// `jp1.platform.mulesoft.com`.
    Jp,
    /// `gov.anypoint.mulesoft.com`.
    Gov,
}

/// The `region` attribute's words, the default first.
pub const NAMES: [&str; 5] = ["us", "eu", "ca", "jp", "gov"];

/// Anypoint's OAuth base path, the same on every control plane.
pub const OAUTH_PATH: &str = "/accounts/api/v2/oauth2";

impl Region {
    /// Every region, in the order of [`NAMES`].
    pub const ALL: [Region; 5] = [Region::Us, Region::Eu, Region::Ca, Region::Jp, Region::Gov];

    /// The control plane's host name.
    pub fn host(self) -> &'static str {
        match self {
            Region::Us => "anypoint.mulesoft.com",
            Region::Eu => "eu1.anypoint.mulesoft.com",
            Region::Ca => "ca1.platform.mulesoft.com",
            Region::Jp => "jp1.platform.mulesoft.com",
            Region::Gov => "gov.anypoint.mulesoft.com",
        }
    }

    /// The issuer identifier, whose discovery document is at `{issuer}/.well-known/openid-configuration`.
    pub fn issuer(self) -> String {
        ["https://", self.host(), OAUTH_PATH].concat()
    }

    /// The endpoints MuleSoft documents, used when discovery cannot be fetched.
    pub fn documented_metadata(self) -> Metadata {
        let issuer = self.issuer();
        let endpoint = |path: &str| issuer.clone() + path;
        Metadata {
            authorization_endpoint: endpoint("/authorize"),
            token_endpoint: endpoint("/token"),
            userinfo_endpoint: Some(endpoint("/userinfo")),
            revocation_endpoint: Some(endpoint("/revoke")),
            // Not documented by MuleSoft: only discovery can name one.
            end_session_endpoint: None,
            code_challenge_methods_supported: None,
            authorization_response_iss_parameter_supported: false,
            issuer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_documented_hosts() {
        assert_eq!(
            Region::Us.issuer(),
            "https://anypoint.mulesoft.com/accounts/api/v2/oauth2"
        );
        assert_eq!(Region::Ca.host(), "ca1.platform.mulesoft.com");
        let eu = Region::Eu.documented_metadata();
        assert_eq!(
            eu.authorization_endpoint,
            "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2/authorize"
        );
        assert_eq!(
            eu.token_endpoint,
            "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2/token"
        );
        assert_eq!(
            eu.revocation_endpoint.as_deref(),
            Some("https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2/revoke")
        );
        assert!(
            eu.validate(&Region::Eu.issuer(), crate::web_url::parse_native)
                .is_ok()
        );
    }
}
