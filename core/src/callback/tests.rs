//! The tests of [`super`].

use super::*;
use crate::error::ErrorCode;
use crate::region::Region;

fn pending() -> PendingAttempt {
    PendingAttempt {
        state: "s1".into(),
        issuer: Region::Us.issuer(),
        ..crate::examples::attempt()
    }
}

fn metadata(iss_promised: bool) -> Metadata {
    Metadata {
        authorization_response_iss_parameter_supported: iss_promised,
        ..Region::Us.documented_metadata()
    }
}

fn verify(query: &str, iss_promised: bool) -> Result<String, Error> {
    parse(query)
        .unwrap()
        .unwrap()
        .verify(Some(pending()), &metadata(iss_promised), 1000.0)
        .map(|(code, _)| code)
}

#[test]
fn cleaning_removes_exactly_the_callback_parameters() {
    assert_eq!(without_callback_params("?code=a&state=b&iss=c"), "");
    assert_eq!(
        without_callback_params("?tab=2&code=a&state=b&q=a%20b+c&error_description=x&error_uri=y"),
        "?tab=2&q=a%20b+c"
    );
    assert_eq!(
        without_callback_params("?co%64e=a&keep"),
        "?keep",
        "encoded keys are decoded first"
    );
    assert_eq!(without_callback_params(""), "");
}

#[test]
fn parses_success_and_error_responses() {
    let cb = parse("?code=abc%20d&state=s1&iss=https%3A%2F%2Fx&other=1")
        .unwrap()
        .unwrap();
    assert_eq!(cb.outcome, Outcome::Code("abc d".into()));
    assert_eq!(cb.state, "s1");
    assert_eq!(cb.iss.as_deref(), Some("https://x"));

    let cb = parse("error=access_denied&error_description=User+said+no&state=s1")
        .unwrap()
        .unwrap();
    assert_eq!(
        cb.outcome,
        Outcome::Denied {
            error: "access_denied".into(),
            description: Some("User said no".into())
        }
    );
}

#[test]
fn a_query_without_state_or_result_is_not_a_callback() {
    assert_eq!(parse("").unwrap(), None);
    assert_eq!(parse("code=abc").unwrap(), None);
    assert_eq!(parse("state=s1").unwrap(), None);
    assert_eq!(parse("page=2&sort=asc").unwrap(), None);
}

#[test]
fn repeated_or_conflicting_parameters_are_refused() {
    for query in [
        "code=a&code=b&state=s1",
        "code=a&state=s1&state=s2",
        "code=a&error=x&state=s1",
        "code=&state=s1",
    ] {
        assert_eq!(
            parse(query).unwrap_err().code(),
            Code::InvalidCallback,
            "{query}"
        );
    }
}

#[test]
fn a_matching_callback_yields_its_code() {
    let iss = form_urlencoded::byte_serialize(Region::Us.issuer().as_bytes()).collect::<String>();
    assert_eq!(
        verify(&format!("code=abc&state=s1&iss={iss}"), true).unwrap(),
        "abc"
    );
    assert_eq!(verify("code=abc&state=s1", false).unwrap(), "abc");
}

#[test]
fn unknown_or_used_state_is_refused() {
    let cb = parse("code=abc&state=forged").unwrap().unwrap();
    assert_eq!(
        cb.verify(Some(pending()), &metadata(false), 0.0)
            .unwrap_err()
            .code(),
        Code::StateMismatch
    );
    let cb = parse("code=abc&state=s1").unwrap().unwrap();
    assert_eq!(
        cb.verify(None, &metadata(false), 0.0).unwrap_err().code(),
        Code::StateMismatch
    );
}

#[test]
fn expired_attempts_are_refused() {
    let cb = parse("code=abc&state=s1").unwrap().unwrap();
    let err = cb
        .verify(Some(pending()), &metadata(false), 11.0 * 60.0 * 1000.0)
        .unwrap_err();
    assert_eq!(err.code(), Code::AttemptExpired);
}

#[test]
fn issuer_mix_up_is_refused() {
    assert_eq!(
        verify("code=abc&state=s1&iss=https%3A%2F%2Fevil.example", false)
            .unwrap_err()
            .code(),
        Code::IssuerMismatch
    );
    assert_eq!(
        verify("code=abc&state=s1", true).unwrap_err().code(),
        Code::IssuerMismatch
    );
}

#[test]
fn server_errors_keep_their_code_but_not_hostile_text() {
    let err = verify("error=access_denied&state=s1", false).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Server("access_denied".into()));
    let err = verify(
        "error=invalid_scope&error_description=Scope+x+unknown&state=s1",
        false,
    )
    .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Server("invalid_scope".into()));
    assert!(
        err.message().ends_with("(invalid_scope). Scope x unknown"),
        "{}",
        err.message()
    );
    let err = verify(
        "error=%3Cimg%0A%3E&error_description=%22%5C&state=s1",
        false,
    )
    .unwrap_err();
    assert_eq!(err.code(), &ErrorCode::Server("server_error".into()));
    assert!(!err.message().contains('"'));
}

#[test]
fn a_server_error_for_another_attempt_is_still_a_state_mismatch() {
    let cb = parse("error=access_denied&state=forged").unwrap().unwrap();
    assert_eq!(
        cb.verify(Some(pending()), &metadata(false), 0.0)
            .unwrap_err()
            .code(),
        Code::StateMismatch
    );
}
