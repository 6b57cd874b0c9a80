//! Anypoint Platform's control planes and their documented OAuth endpoints.
//!
//! Discovery is preferred; these are the fallback because Anypoint's discovery document may not answer CORS
//! requests from other origins.

use crate::attributes::choices;
use crate::discovery::Metadata;

choices! {
    /// An Anypoint Platform control plane, chosen with the `region` attribute.
    pub enum Region {
        /// `anypoint.mulesoft.com` (the default).
        Us = "us",
        /// `eu1.anypoint.mulesoft.com`.
        Eu = "eu",
        /// `ca1.platform.mulesoft.com`.
        Ca = "ca",
        /// `jp1.platform.mulesoft.com`.
        Jp = "jp",
        /// `gov.anypoint.mulesoft.com`.
        Gov = "gov",
    }
}

/// Anypoint's OAuth base path, the same on every control plane.
pub const OAUTH_PATH: &str = "/accounts/api/v2/oauth2";

impl Region {
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
            dpop_signing_alg_values_supported: None,
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
