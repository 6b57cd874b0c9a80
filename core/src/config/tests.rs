//! The tests of [`super`].

use super::*;
use crate::attributes::observed;
use crate::error::{Code, ErrorCode};
use crate::web_url::parse_native;
use std::collections::HashMap;

const PAGE: &str = "https://app.example.com/callback";

fn config(attrs: &[(&str, &str)]) -> Result<Config, Error> {
    let map: HashMap<String, String> = attrs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_attributes(|name| map.get(name).cloned(), PAGE, parse_native)
}

fn error_code(attrs: &[(&str, &str)]) -> ErrorCode {
    config(attrs).unwrap_err().code().clone()
}

#[test]
fn minimal_attributes_get_the_documented_defaults() {
    let c = config(&[("clientid", "abc")]).unwrap();
    assert_eq!(c.client_id, "abc");
    assert_eq!(c.redirect_uri, PAGE);
    assert_eq!(c.scopes, ["openid", "profile", "email"]);
    assert_eq!(c.provider, Provider::Anypoint(Region::Us));
    assert_eq!(c.storage, StorageKind::Session);
    assert_eq!(c.exchange_uri, None);
    assert!(c.is_openid());
}

#[test]
fn hyphenated_aliases_work_and_the_new_spelling_wins() {
    let c = config(&[
        ("client-id", "old"),
        ("redirect-uri", "https://a.example/cb"),
    ])
    .unwrap();
    assert_eq!(
        (c.client_id.as_str(), c.redirect_uri.as_str()),
        ("old", "https://a.example/cb")
    );
    let c = config(&[("client-id", "old"), ("clientid", "new")]).unwrap();
    assert_eq!(c.client_id, "new");
}

#[test]
fn missing_or_blank_client_id_is_an_error() {
    assert_eq!(error_code(&[]), Code::MissingClientId);
    assert_eq!(error_code(&[("clientid", "   ")]), Code::MissingClientId);
}

#[test]
fn redirect_uri_must_be_https_or_loopback_http() {
    for ok in [
        "https://app.example.com/cb",
        "http://127.0.0.1:8080/cb",
        "http://localhost/",
        "http://[::1]:3000/",
        "https://app.example.com:8443/a?x=1",
    ] {
        assert!(
            config(&[("clientid", "a"), ("redirecturi", ok)]).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        "http://app.example.com/cb",
        "/callback",
        "callback",
        "javascript:alert(1)",
        "https://",
        "https://user:pw@app.example.com/",
        "https://app.example.com/cb#frag",
        "https://app.example.com:80x/",
        "https://app example.com/",
        "http://127.0.0.1.evil.com/",
        "ftp://app.example.com/",
    ] {
        assert_eq!(
            error_code(&[("clientid", "a"), ("redirecturi", bad)]),
            Code::InvalidRedirectUri,
            "{bad}"
        );
    }
}

#[test]
fn scopes_are_split_deduplicated_and_checked() {
    let c = config(&[
        ("clientid", "a"),
        ("scopes", " read:full  openid read:full\tfull "),
    ])
    .unwrap();
    assert_eq!(c.scopes, ["read:full", "openid", "full"]);
    assert_eq!(c.scope_param(), "read:full openid full");
    assert!(
        !config(&[("clientid", "a"), ("scopes", "full")])
            .unwrap()
            .is_openid()
    );
    let blank = config(&[("clientid", "a"), ("scopes", " ")]).unwrap();
    assert_eq!(blank.scopes, ["openid", "profile", "email"]);
    assert_eq!(
        error_code(&[("clientid", "a"), ("scopes", "openid \"x\"")]),
        Code::InvalidScopes
    );
}

#[test]
fn region_and_authority_pick_the_provider() {
    let c = config(&[("clientid", "a"), ("region", "EU")]).unwrap();
    assert_eq!(c.provider, Provider::Anypoint(Region::Eu));
    assert_eq!(
        error_code(&[("clientid", "a"), ("region", "mars")]),
        Code::InvalidRegion
    );

    let c = config(&[
        ("clientid", "a"),
        ("region", "mars"),
        ("authority", "http://127.0.0.1:9000/accounts/api/v2/oauth2/"),
    ])
    .unwrap();
    assert_eq!(
        c.provider.issuer(),
        "http://127.0.0.1:9000/accounts/api/v2/oauth2",
        "authority overrides region and loses its trailing slash"
    );
    for bad in [
        "http://idp.example.com",
        "idp.example.com",
        "https://idp.example.com/?x=1",
    ] {
        assert_eq!(
            error_code(&[("clientid", "a"), ("authority", bad)]),
            Code::InvalidAuthority,
            "{bad}"
        );
    }
}

#[test]
fn exchange_uri_is_a_path_or_a_secure_url() {
    let c = config(&[("clientid", "a"), ("exchangeuri", "/api/exchange")]).unwrap();
    assert_eq!(
        c.exchange_uri.as_deref(),
        Some("https://app.example.com/api/exchange"),
        "resolved against the page"
    );
    assert!(
        config(&[
            ("clientid", "a"),
            ("exchangeuri", "https://api.example.com/x")
        ])
        .is_ok()
    );
    for bad in [
        "//evil.example/x",
        "/\\evil.example/steal",
        "/\t/evil.example/steal",
        "\\\\evil.example/steal",
        "\\/evil.example/steal",
        "javascript:alert(1)",
        "http://api.example.com/x",
        "https://user@api.example.com/x",
    ] {
        assert_eq!(
            error_code(&[("clientid", "a"), ("exchangeuri", bad)]),
            Code::InvalidExchangeUri,
            "{bad}"
        );
    }
}

#[test]
fn mode_is_redirect_or_popup() {
    assert_eq!(config(&[("clientid", "a")]).unwrap().mode, Mode::Redirect);
    assert_eq!(
        config(&[("clientid", "a"), ("mode", "popup")])
            .unwrap()
            .mode,
        Mode::Popup
    );
    assert_eq!(
        error_code(&[("clientid", "a"), ("mode", "window")]),
        Code::InvalidAttribute
    );
}

#[test]
fn storage_is_session_or_memory() {
    assert_eq!(
        config(&[("clientid", "a"), ("storage", "memory")])
            .unwrap()
            .storage,
        StorageKind::Memory
    );
    assert_eq!(
        error_code(&[("clientid", "a"), ("storage", "local")]),
        Code::InvalidStorage
    );
}

#[test]
fn every_observed_attribute_is_read() {
    // An attribute that is observed but never read would update nothing: catch the list drifting.
    let read = std::cell::RefCell::new(Vec::new());
    let _ = Config::from_attributes(
        |name| {
            read.borrow_mut().push(name.to_owned());
            None::<String>
        },
        PAGE,
        parse_native,
    );
    let _ = Config::from_attributes(
        |name| {
            read.borrow_mut().push(name.to_owned());
            (name == "clientid").then(|| "a".to_owned())
        },
        PAGE,
        parse_native,
    );
    let _ = crate::appearance::Appearance::from_attributes(|name| {
        read.borrow_mut().push(name.to_owned());
        None
    });
    for name in observed() {
        assert!(
            read.borrow().iter().any(|r| r == name),
            "{name} is observed but not read"
        );
    }
    for name in read.borrow().iter() {
        assert!(
            observed().any(|n| n == name),
            "{name} is read but not observed"
        );
    }
}

#[test]
fn the_earlier_elements_authtype_is_the_code_flow_or_refused() {
    assert!(config(&[("clientid", "a"), ("authtype", "authorization_code")]).is_ok());
    let implicit = config(&[("clientid", "a"), ("authtype", "implicit")]).unwrap_err();
    assert_eq!(implicit.code(), Code::InvalidAttribute);
    assert!(
        implicit.message().contains("RFC 9700"),
        "{}",
        implicit.message()
    );
    assert_eq!(
        error_code(&[("clientid", "a"), ("authtype", "password")]),
        Code::InvalidAttribute
    );
}

#[test]
fn dpop_is_auto_unless_set_and_on_is_refused_beside_a_backend() {
    assert_eq!(config(&[("clientid", "a")]).unwrap().dpop, DpopMode::Auto);
    let off = config(&[("clientid", "a"), ("dpop", "OFF")]).unwrap();
    assert_eq!(off.dpop, DpopMode::Off);
    assert_eq!(
        error_code(&[("clientid", "a"), ("dpop", "yes")]),
        Code::InvalidAttribute
    );
    let backend = [("clientid", "a"), ("exchangeuri", "/exchange")];
    assert_eq!(config(&backend).unwrap().dpop, DpopMode::Auto);
    let refused = config(&[backend[0], backend[1], ("dpop", "on")]).unwrap_err();
    assert_eq!(refused.code(), Code::InvalidAttribute);
    assert!(refused.message().contains("exchangeuri"), "{refused}");
}

#[test]
fn the_binding_follows_the_server_and_a_backend_gets_bearer_tokens() {
    use crate::dpop::binding::Algorithm;
    let mut metadata = Region::Us.documented_metadata();
    metadata.dpop_signing_alg_values_supported = Some(vec!["ES256".into()]);
    let browser = config(&[("clientid", "a")]).unwrap();
    assert_eq!(
        browser.dpop_binding(&metadata),
        Ok(Binding::Dpop(Algorithm::Es256))
    );
    let backend = config(&[("clientid", "a"), ("exchangeuri", "/exchange")]).unwrap();
    assert_eq!(backend.dpop_binding(&metadata), Ok(Binding::Bearer));
    metadata.dpop_signing_alg_values_supported = None;
    assert_eq!(browser.dpop_binding(&metadata), Ok(Binding::Bearer));
    let on = config(&[("clientid", "a"), ("dpop", "on")]).unwrap();
    assert_eq!(
        on.dpop_binding(&metadata).unwrap_err().code(),
        Code::DiscoveryFailed
    );
}

#[test]
fn fetch_origins_default_to_the_issuer_and_the_page_and_take_origins_only() {
    let default = config(&[("clientid", "a")]).unwrap();
    assert_eq!(
        default.fetch_origins,
        ["https://anypoint.mulesoft.com", "https://app.example.com"]
    );
    let listed = config(&[
        ("clientid", "a"),
        (
            "fetchorigins",
            " https://api.example.com  http://127.0.0.1:8080/ ",
        ),
    ])
    .unwrap();
    assert_eq!(
        listed.fetch_origins,
        ["https://api.example.com", "http://127.0.0.1:8080"]
    );
    for bad in [
        "https://api.example.com/v1",
        "https://api.example.com?x",
        "https://api.example.com/#top",
        "http://api.example.com",
        "https://user@api.example.com",
        "api.example.com",
        "javascript:alert(1)",
    ] {
        let error = config(&[("clientid", "a"), ("fetchorigins", bad)]).unwrap_err();
        assert_eq!(error.code(), Code::InvalidAttribute, "{bad}");
        assert!(error.message().contains("fetchorigins"), "{error}");
    }
}
