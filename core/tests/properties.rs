//! Property-based tests of the pure core (proptest): what a URL or a server hands the element never panics
//! it, and the security checks hold for every input, not only the examples in the unit tests.

use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::callback::{self, CALLBACK_PARAMS, Outcome};
use anypoint_signin_core::discovery::Metadata;
use anypoint_signin_core::dpop::binding::{Algorithm, Binding, DpopMode};
use anypoint_signin_core::error::{Code, ErrorCode};
use anypoint_signin_core::id_token::{IdTokenClaims, jwt_parts};
use anypoint_signin_core::json::FromJson;
use anypoint_signin_core::region::Region;
use anypoint_signin_core::token::response::TokenResponse;
use anypoint_signin_core::web_url::parse_native;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

fn attempt(state: &str) -> PendingAttempt {
    PendingAttempt {
        state: state.to_owned(),
        code_verifier: "verifier".into(),
        nonce: Some("nonce".into()),
        redirect_uri: "https://app.example.com/".into(),
        issuer: Region::Us.issuer(),
        client_id: "client".into(),
        token_endpoint: Region::Us.documented_metadata().token_endpoint,
        exchange_uri: None,
        scope: "openid".into(),
        created_at: 0.0,
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    query.finish()
}

/// Query parameters: the callback's own names (so collisions happen) and others, with any values.
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![
        prop::sample::select(CALLBACK_PARAMS.to_vec()).prop_map(str::to_owned),
        "[a-z_]{1,8}",
        any::<String>(),
    ];
    prop::collection::vec((key, any::<String>()), 0..8)
}

/// Any JSON, with object keys biased to the fields the token, claims and discovery types read.
/// Endpoint URLs, safe and not: https, loopback and other http, credentials, other schemes, junk.
fn endpoint() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "https://[a-z]{1,8}\\.example\\.com/[a-z/]{0,8}",
        3 => "http://(127\\.0\\.0\\.1|localhost|\\[::1\\]|127\\.9\\.8\\.7|10\\.0\\.0\\.1|idp\\.example\\.com)(:[0-9]{2,4})?/[a-z]{0,6}",
        1 => "https://[a-z]{1,4}(:[a-z]{0,4})?@idp\\.example\\.com/x",
        1 => "(javascript|data|ftp|file):[a-z/]{0,10}",
        1 => "https:// idp\\.example\\.com/x|https://idp\\.example\\.com/\\tx|/relative/path|https://",
        1 => any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::from),
        Just(json!("Bearer")),
        Just(json!("client")),
    ];
    let key = prop_oneof![
        prop::sample::select(vec![
            "access_token",
            "token_type",
            "expires_in",
            "scope",
            "id_token",
            "refresh_token",
            "iss",
            "sub",
            "aud",
            "exp",
            "nonce",
            "azp",
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "code_challenge_methods_supported",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    leaf.prop_recursive(3, 32, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_query_parses_without_a_panic(query in any::<String>()) {
        let _ = callback::parse(&query);
        let _ = callback::without_callback_params(&query);
    }

    #[test]
    fn a_callback_reads_back_exactly_what_was_sent(
        code_value in ".+", state in any::<String>(), iss in prop::option::of(any::<String>()),
        mut others in prop::collection::vec(("[a-z]{1,8}", any::<String>()), 0..4), at in any::<prop::sample::Index>(),
    ) {
        others.retain(|(k, _)| !CALLBACK_PARAMS.contains(&k.as_str()));
        let mut pairs = others.clone();
        pairs.push(("state".into(), state.clone()));
        pairs.insert(at.index(pairs.len()), ("code".into(), code_value.clone()));
        if let Some(iss) = &iss {
            pairs.push(("iss".into(), iss.clone()));
        }
        let cb = callback::parse(&encode(&pairs)).unwrap().unwrap();
        prop_assert_eq!(cb.outcome, Outcome::Code(code_value));
        prop_assert_eq!(cb.state, state);
        prop_assert_eq!(cb.iss, iss);
    }

    #[test]
    fn a_cleaned_query_is_no_callback_and_keeps_every_other_parameter(pairs in params()) {
        let cleaned = callback::without_callback_params(&encode(&pairs));
        prop_assert_eq!(callback::parse(&cleaned), Ok(None));
        let kept: Vec<(String, String)> = form_urlencoded::parse(cleaned.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
        let expected: Vec<(String, String)> =
            pairs.into_iter().filter(|(k, _)| !CALLBACK_PARAMS.contains(&k.as_str())).collect();
        prop_assert_eq!(kept, expected);
    }

    #[test]
    fn a_state_this_tab_did_not_create_is_always_refused(
        pairs in params(), state in any::<String>(), ours in any::<String>(),
    ) {
        prop_assume!(state != ours);
        let mut pairs = pairs;
        pairs.retain(|(k, _)| k != "state");
        pairs.push(("state".into(), state));
        if let Ok(Some(cb)) = callback::parse(&encode(&pairs)) {
            let refused = cb.verify(Some(attempt(&ours)), &Region::Us.documented_metadata(), 0.0).unwrap_err();
            prop_assert_eq!(refused.code(), Code::StateMismatch);
        }
    }

    #[test]
    fn a_callback_from_another_issuer_is_always_refused(iss in any::<String>(), promised in any::<bool>()) {
        prop_assume!(iss != Region::Us.issuer());
        let metadata = Metadata { authorization_response_iss_parameter_supported: promised, ..Region::Us.documented_metadata() };
        let query = encode(&[("code".into(), "c".into()), ("state".into(), "s".into()), ("iss".into(), iss)]);
        let cb = callback::parse(&query).unwrap().unwrap();
        let refused = cb.verify(Some(attempt("s")), &metadata, 0.0).unwrap_err();
        prop_assert_eq!(refused.code(), Code::IssuerMismatch);
    }

    #[test]
    fn a_server_error_becomes_an_event_code_only_when_it_is_a_legal_oauth_code(
        error in prop_oneof![any::<String>(), "[ -~]{0,24}"]
    ) {
        let query = encode(&[("error".into(), error.clone()), ("state".into(), "s".into())]);
        let refused = callback::parse(&query).unwrap().unwrap()
            .verify(Some(attempt("s")), &Region::Us.documented_metadata(), 0.0).unwrap_err();
        // RFC 6749 §4.1.2.1's charset, %x20-21 / %x23-5B / %x5D-7E, as characters: a space, `!`, and `#`
        // to `~` without the backslash.
        let legal = !error.is_empty()
            && error.chars().all(|c| c == ' ' || c == '!' || (('#'..='~').contains(&c) && c != '\\'));
        let expected = if legal { error.clone() } else { "server_error".to_owned() };
        prop_assert_eq!(refused.code(), &ErrorCode::Server(expected));
        prop_assert!(!refused.code().as_str().contains(['"', '\\', '\n', '\r']));
    }

    #[test]
    fn any_text_as_a_jwt_is_decoded_or_refused_without_a_panic(jwt in any::<String>()) {
        if let Err(e) = jwt_parts(&jwt) {
            prop_assert_eq!(e.code(), Code::InvalidIdToken);
        }
    }

    #[test]
    fn a_jwt_payload_round_trips(payload in any::<String>(), header in any::<String>(), signature in "[A-Za-z0-9_-]*") {
        let jwt = format!("{}.{}.{signature}", URL_SAFE_NO_PAD.encode(&header), URL_SAFE_NO_PAD.encode(&payload));
        prop_assert_eq!(jwt_parts(&jwt).unwrap(), (header, payload));
    }

    #[test]
    fn any_json_as_a_token_response_is_accepted_only_when_usable(value in json_value()) {
        if let Ok(mut response) = TokenResponse::from_json(&value)
            && response.validate(&attempt("s"), DpopMode::Auto, Binding::Dpop(Algorithm::Es256)).is_ok()
        {
            prop_assert!(!response.access_token.is_empty());
            // Written as requests present it.
            prop_assert!(response.token_type == "DPoP" || response.token_type == "Bearer");
            prop_assert!(response.id_token.is_some(), "an OpenID Connect sign-in needs its id_token");
        }
    }

    #[test]
    fn any_json_as_id_token_claims_passes_only_for_this_attempt(value in json_value()) {
        let pending = attempt("s");
        if let Ok(claims) = IdTokenClaims::from_json(&value)
            && claims.validate(&pending, 0.0).is_ok()
        {
            prop_assert_eq!(&claims.iss, &pending.issuer);
            prop_assert_eq!(&claims.nonce, &pending.nonce);
        }
    }

    #[test]
    fn claims_with_another_nonce_are_always_refused(nonce in prop::option::of(any::<String>())) {
        let pending = attempt("s");
        prop_assume!(nonce != pending.nonce);
        let claims = IdTokenClaims::from_json(&json!({
            "iss": pending.issuer, "sub": "u", "aud": "client", "exp": 1e12, "nonce": nonce,
        })).unwrap();
        let refused = claims.validate(&pending, 0.0).unwrap_err();
        prop_assert_eq!(refused.code(), Code::InvalidIdToken);
    }

    #[test]
    fn a_server_without_s256_is_always_refused(methods in prop::collection::vec(any::<String>(), 0..4)) {
        prop_assume!(!methods.iter().any(|m| m == "S256"));
        let metadata = Metadata { code_challenge_methods_supported: Some(methods), ..Region::Us.documented_metadata() };
        let refused = metadata.validate(&Region::Us.issuer(), parse_native).unwrap_err();
        prop_assert_eq!(refused.code(), Code::DiscoveryFailed);
    }

    #[test]
    fn any_json_as_discovery_metadata_is_checked_without_a_panic(value in json_value()) {
        if let Ok(metadata) = Metadata::from_json(&value) {
            let _ = metadata.validate(&Region::Us.issuer(), parse_native);
        }
    }

    #[test]
    fn discovery_is_accepted_only_when_every_endpoint_is_https_or_loopback_http(
        endpoints in prop::collection::vec(endpoint(), 5)
    ) {
        let issuer = Region::Us.issuer();
        let mut document = json!({
            "issuer": issuer,
            "authorization_endpoint": endpoints[0],
            "token_endpoint": endpoints[1],
            "userinfo_endpoint": endpoints[2],
            "revocation_endpoint": endpoints[3],
            "end_session_endpoint": endpoints[4],
        });
        let metadata = Metadata::from_json(&document).unwrap();
        // The oracle: the url crate's own reading, and the rule as README states it.
        let safe = |endpoint: &String| {
            !endpoint.chars().any(|c| c.is_whitespace() || c.is_control())
                && url::Url::parse(endpoint).is_ok_and(|url| {
                    url.username().is_empty() && url.password().is_none()
                        && match url.scheme() {
                            "https" => url.host().is_some(),
                            "http" => matches!(url.host_str(), Some("localhost" | "[::1]"))
                                || url.host_str().and_then(|h| h.parse::<std::net::Ipv4Addr>().ok()).is_some_and(|ip| ip.is_loopback()),
                            _ => false,
                        }
                })
        };
        prop_assert_eq!(metadata.validate(&issuer, parse_native).is_ok(), endpoints.iter().all(safe), "{:?}", endpoints);
        document["issuer"] = json!("https://evil.example.com");
        prop_assert!(Metadata::from_json(&document).unwrap().validate(&issuer, parse_native).is_err());
    }

}
