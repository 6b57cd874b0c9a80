//! Revoking a token at sign-out (RFC 7009).

/// The form body of a revocation request (RFC 7009).
pub fn revocation_body(token: &str, hint: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .append_pair("token_type_hint", hint)
        .append_pair("client_id", client_id)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_revocation_request_is_form_encoded() {
        assert_eq!(
            revocation_body("t", "access_token", "client"),
            "token=t&token_type_hint=access_token&client_id=client"
        );
    }
}
