//! The token the earlier element's `anypointcodeexchange` handlers hand back, read as a token response.

use crate::json::object::json_object;
use crate::token::response::TokenResponse;

/// The token object the earlier element's `anypointcodeexchange` handlers hand back: the token response's
/// fields in camelCase (`tokenType` may be left out: Bearer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierTokenResponse(pub TokenResponse);

json_object! {
    read EarlierTokenResponse(TokenResponse) {
        token_type as "tokenType": or("Bearer".to_owned()),
        access_token as "accessToken": required,
        expires_in as "expiresIn": optional,
        scope: optional,
        id_token as "idToken": optional,
        refresh_token as "refreshToken": optional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn the_earlier_elements_camel_case_token_reads_as_a_token_response() {
        let EarlierTokenResponse(r) =
            parse(r#"{"accessToken":"at","expiresIn":60,"scope":"full","refreshToken":"rt"}"#)
                .unwrap();
        assert_eq!(
            (r.access_token.as_str(), r.token_type.as_str()),
            ("at", "Bearer")
        );
        assert_eq!(
            (r.expires_in, r.refresh_token.as_deref()),
            (Some(60), Some("rt"))
        );
        assert_eq!(
            parse::<EarlierTokenResponse>(r#"{"access_token":"snake"}"#),
            Err("the `accessToken` field is missing".to_owned())
        );
    }
}
