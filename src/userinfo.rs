//! The user's name from the userinfo endpoint, for an id_token without one.

use crate::dpop::DpopKey;
use crate::http;
use anypoint_signin_core::discovery::Metadata;
use anypoint_signin_core::session::profile::Profile;

/// `profile` with the claims userinfo adds when it lacks a name, asked with `access_token` (bound to `key`,
/// if given). Best effort, and soon given up: the name is a nicety, the sign-in already succeeded.
pub(crate) async fn complete(
    mut profile: Profile,
    metadata: &Metadata,
    access_token: &str,
    key: Option<&DpopKey>,
) -> Profile {
    if profile.name.is_none()
        && let Some(endpoint) = &metadata.userinfo_endpoint
        && let Ok(info) =
            http::get_json_with::<Profile>(endpoint, access_token, key, http::USERINFO_TIMEOUT)
                .await
    {
        profile.merge(info);
    }
    profile
}
