//! The tests of [`super`].

use super::*;

#[derive(Debug, PartialEq)]
struct Sample {
    name: String,
    count: Option<u64>,
    tags: Vec<String>,
    on: bool,
}

impl FromJson for Sample {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(Sample {
            name: f.required("name"),
            count: f.optional("count"),
            tags: f.or_default("tags"),
            on: f.or_default("on"),
        })
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

#[test]
fn built_values_leave_out_what_is_absent_only_when_asked() {
    let some: Option<&str> = Some("x");
    assert_eq!(
        Value::Object(vec![("a", some.into()), ("b", None::<&str>.into())]),
        Value::Object(vec![("a", "x".into()), ("b", Value::Null)])
    );
    assert_eq!(
        Value::present(vec![("a", some.map(Value::from)), ("b", None)]),
        Value::Object(vec![("a", "x".into())])
    );
}
