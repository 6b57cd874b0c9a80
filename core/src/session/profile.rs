//! The user's profile: the OpenID Connect standard claims the element shows and hands to the page.

use crate::json::object::json_object;
use crate::json::{Fields, Json};
use crate::text;

/// The user's profile, from id_token claims and the userinfo endpoint (OpenID Connect standard claims).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// The user's identifier at the issuer.
    pub sub: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Anypoint user name.
    pub preferred_username: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
}

/// The longest claim kept, in characters: a name is shown on one line anyway (its title shows it whole).
pub const MAX_CLAIM_CHARS: usize = 256;

// Claims come from a server: each is cleaned (`claim`) before it is shown or dispatched. Only the claims present
// are written.
json_object! {
    Profile {
        sub: skip_none => claim,
        name: skip_none => claim,
        given_name: skip_none => claim,
        family_name: skip_none => claim,
        preferred_username: skip_none => claim,
        email: skip_none => claim,
    }
}

/// Claim `name`, as it is kept: cleaned, at most [`MAX_CLAIM_CHARS`].
fn claim<V: Json>(fields: &Fields<V>, name: &str) -> Option<String> {
    let claim = fields.optional::<String>(name)?;
    Some(text::clean(&claim, MAX_CLAIM_CHARS))
}

impl Profile {
    /// The name to show: the most human of the claims present.
    pub fn display_name(&self) -> Option<&str> {
        [&self.name, &self.preferred_username, &self.email, &self.sub]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// Fills the claims this profile lacks from `other` (userinfo after id_token). Refuses to mix in another
    /// user's claims: OpenID Connect Core §5.3.2 requires userinfo's `sub` to match.
    pub fn merge(&mut self, other: Profile) -> bool {
        if self.sub.is_some() && other.sub.is_some() && self.sub != other.sub {
            return false;
        }
        let fill = |mine: &mut Option<String>, theirs: Option<String>| {
            if mine.is_none() {
                *mine = theirs;
            }
        };
        fill(&mut self.sub, other.sub);
        fill(&mut self.name, other.name);
        fill(&mut self.given_name, other.given_name);
        fill(&mut self.family_name, other.family_name);
        fill(&mut self.preferred_username, other.preferred_username);
        fill(&mut self.email, other.email);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn profile(json: &str) -> Profile {
        parse(json).unwrap()
    }

    #[test]
    fn display_name_prefers_the_full_name() {
        assert_eq!(
            profile(r#"{"sub":"u","name":"Max Mule","email":"m@x"}"#).display_name(),
            Some("Max Mule")
        );
        assert_eq!(
            profile(r#"{"sub":"u","name":" ","email":"m@x"}"#).display_name(),
            Some("m@x")
        );
        assert_eq!(profile(r#"{"sub":"u"}"#).display_name(), Some("u"));
        assert_eq!(profile("{}").display_name(), None);
    }

    #[test]
    fn claims_are_cleaned_and_capped() {
        let p = profile(&format!(
            r#"{{"name":"Eve\u202e lanreT\u0007","email":"{}"}}"#,
            "e".repeat(10_000)
        ));
        assert_eq!(p.name.as_deref(), Some("Eve lanreT"));
        assert_eq!(p.email.unwrap().chars().count(), MAX_CLAIM_CHARS);
    }

    #[test]
    fn merge_fills_gaps_from_the_same_user_only() {
        let mut p = profile(r#"{"sub":"u","email":"m@x"}"#);
        assert!(p.merge(profile(r#"{"sub":"u","name":"Max","email":"other@x"}"#)));
        assert_eq!(
            (p.name.as_deref(), p.email.as_deref()),
            (Some("Max"), Some("m@x"))
        );
        assert!(!p.merge(profile(r#"{"sub":"someone-else","given_name":"Eve"}"#)));
        assert_eq!(p.given_name, None);
    }
}
