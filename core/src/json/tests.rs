//! The tests of [`super`].

use super::*;
use crate::json::object::json_object;

#[derive(Debug, PartialEq)]
struct Sample {
    name: String,
    count: Option<u64>,
    tags: Vec<String>,
    on: bool,
}

json_object! {
    read Sample {
        name: required,
        count: optional,
        tags: or_default,
        on: or_default,
    }
}

#[test]
fn fields_are_read_with_their_types_and_unknown_ones_ignored() {
    assert_eq!(
        parse::<Sample>(r#"{"name":"a","count":3,"tags":["x","y"],"on":true,"other":[{}]}"#),
        Ok(Sample {
            name: "a".into(),
            count: Some(3),
            tags: vec!["x".into(), "y".into()],
            on: true,
        })
    );
    assert_eq!(
        parse::<Sample>(r#"{"name":"a","count":null}"#),
        Ok(Sample {
            name: "a".into(),
            count: None,
            tags: vec![],
            on: false,
        }),
        "null is absent"
    );
}

#[test]
fn what_does_not_fit_is_named() {
    for (json, why) in [
        ("[]", "it is not a JSON object"),
        ("null", "it is not a JSON object"),
        ("{}", "the `name` field is missing"),
        (r#"{"name":null}"#, "the `name` field is missing"),
        (r#"{"name":1}"#, "the `name` field is not a string"),
        (
            r#"{"name":"a","count":"3"}"#,
            "the `count` field is not a whole number",
        ),
        (
            r#"{"name":"a","count":1.5}"#,
            "the `count` field is not a whole number",
        ),
        (
            r#"{"name":"a","count":-1}"#,
            "the `count` field is not a whole number",
        ),
        (
            r#"{"name":"a","tags":"x"}"#,
            "the `tags` field is not an array",
        ),
        (
            r#"{"name":"a","tags":["x",2]}"#,
            "the `tags.1` field is not a string",
        ),
        (
            r#"{"name":"a","on":1}"#,
            "the `on` field is not true or false",
        ),
        (
            r#"{"name":1,"count":"x"}"#,
            "the `name` field is not a string",
        ),
        (r#"{"count":"x"}"#, "the `name` field is missing"),
    ] {
        assert_eq!(parse::<Sample>(json), Err(why.to_owned()), "{json}");
    }
    assert!(parse::<Sample>("{").unwrap_err().contains("EOF"));
}

/// Written and read back: a renamed field, one written as `null` when absent, one left out.
#[derive(Debug, PartialEq)]
struct Note {
    text: String,
    by: Option<String>,
    to: Option<String>,
}

json_object! {
    Note {
        text as "t": required,
        by: optional,
        to: skip_none,
    }
}

#[test]
fn built_values_leave_out_what_is_absent_only_when_asked() {
    let some: Option<&str> = Some("x");
    assert_eq!(
        Value::Object(vec![("a", some.into()), ("b", None::<&str>.into())]),
        Value::Object(vec![("a", "x".into()), ("b", Value::Null)])
    );
    let bare = Note {
        text: "x".into(),
        by: None,
        to: None,
    };
    assert_eq!(
        bare.to_json(),
        Value::Object(vec![("t", "x".into()), ("by", Value::Null)])
    );
    let full = Note {
        by: Some("a".into()),
        to: Some("b".into()),
        ..bare
    };
    assert_eq!(
        full.to_json(),
        Value::Object(vec![
            ("t", "x".into()),
            ("by", "a".into()),
            ("to", "b".into())
        ])
    );
    assert_eq!(Note::from_json(&full.to_json()), Ok(full));
}
