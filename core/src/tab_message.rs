//! What the elements of a page and the tabs of a browser tell each other about a session, and what an element
//! does with it. The channel carries these as JSON; the decision is [`react`], with no browser in it.

use crate::fields::{Fields, FromJson, Invalid, Json, ToJson, Value};
use crate::session::{Session, SignOut};

/// One element's news about the session stored under `key`.
#[derive(Clone, Debug, PartialEq)]
pub struct TabMessage {
    /// The session's storage key (issuer and client): elements of other configurations ignore the message.
    pub key: String,
    /// What happened.
    pub news: News,
}

/// What one element tells the others.
#[derive(Clone, Debug, PartialEq)]
pub enum News {
    /// A new element asks for the session; signed-in elements answer with it.
    Ask,
    /// A new or renewed session, refresh token included (the channel never leaves the origin).
    Session(Box<Session>),
    /// The session ended.
    Ended(SignOut),
}

/// The wire form, `{key, ask, session, reason}`, as every version of the element reads it.
impl FromJson for TabMessage {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        let (key, ask, session, reason): (String, bool, Option<Session>, Option<String>) = (
            f.required("key"),
            f.or_default("ask"),
            f.optional("session"),
            f.optional("reason"),
        );
        let news = match (ask, session, reason) {
            (true, _, _) => News::Ask,
            (false, Some(session), _) => News::Session(Box::new(session)),
            (false, None, Some(reason)) => News::Ended(SignOut::from_reason(&reason)),
            (false, None, None) => return Err(Invalid::new("a message with no news")),
        };
        f.finish(TabMessage { key, news })
    }
}

impl ToJson for TabMessage {
    fn to_json(&self) -> Value {
        let (ask, session, reason) = match &self.news {
            News::Ask => (true, None, None),
            News::Session(session) => (false, Some(session.to_json()), None),
            News::Ended(why) => (false, None, Some(why.reason())),
        };
        Value::Object(vec![
            ("key", self.key.as_str().into()),
            ("ask", ask.into()),
            ("session", session.into()),
            ("reason", reason.into()),
        ])
    }
}

/// What an element does with a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Reaction {
    /// Nothing: another configuration's news, or news this element has already.
    Ignore,
    /// Answer a new element with this session.
    Answer(Box<Session>),
    /// Take this session as its own.
    Adopt(Box<Session>),
    /// End its session.
    End(SignOut),
}

/// The reaction of an element whose session key is `key`, showing `shown` (when signed in), to `message`;
/// `stored` reads the session in its storage, only for a question it may answer.
pub fn react(
    message: TabMessage,
    key: &str,
    shown: Option<&Session>,
    stored: impl FnOnce() -> Option<Session>,
) -> Reaction {
    if message.key != key {
        return Reaction::Ignore;
    }
    match message.news {
        News::Ask => match shown.and_then(|_| stored()) {
            Some(stored) => Reaction::Answer(Box::new(stored)),
            None => Reaction::Ignore,
        },
        News::Session(session) if shown.is_none_or(|s| s.access_token != session.access_token) => {
            Reaction::Adopt(session)
        }
        News::Ended(why) if shown.is_some() => Reaction::End(why),
        News::Session(_) | News::Ended(_) => Reaction::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::parse;

    fn session(token: &str) -> Session {
        parse(&format!(
            r#"{{"accessToken":"{token}","tokenType":"Bearer","expiresAt":1,"scope":"s","profile":{{}},"refreshToken":"r"}}"#
        ))
        .unwrap()
    }

    fn message(news: News) -> TabMessage {
        TabMessage {
            key: "k".into(),
            news,
        }
    }

    #[test]
    fn every_message_round_trips_in_the_wire_form() {
        for news in [
            News::Ask,
            News::Session(Box::new(session("a"))),
            News::Ended(SignOut::User),
            News::Ended(SignOut::Expired),
        ] {
            let sent = message(news);
            assert_eq!(TabMessage::from_json(&sent.to_json()), Ok(sent));
        }
        assert!(parse::<TabMessage>(r#"{"key":"k"}"#).is_err(), "no news");
        assert!(parse::<TabMessage>(r#"{"ask":true}"#).is_err(), "no key");
    }

    #[test]
    fn an_element_answers_adopts_and_ends_only_what_concerns_it() {
        let a = session("a");
        let ask = || message(News::Ask);
        assert_eq!(
            react(ask(), "k", Some(&a), || Some(a.clone())),
            Reaction::Answer(Box::new(a.clone()))
        );
        assert_eq!(
            react(ask(), "k", None, || Some(a.clone())),
            Reaction::Ignore,
            "signed out: no answer"
        );
        assert_eq!(
            react(ask(), "other", Some(&a), || Some(a.clone())),
            Reaction::Ignore
        );

        let b = session("b");
        let news = |s: &Session| message(News::Session(Box::new(s.clone())));
        assert_eq!(
            react(news(&b), "k", Some(&a), || None),
            Reaction::Adopt(Box::new(b.clone()))
        );
        assert_eq!(
            react(news(&b), "k", None, || None),
            Reaction::Adopt(Box::new(b.clone()))
        );
        assert_eq!(
            react(news(&a), "k", Some(&a), || None),
            Reaction::Ignore,
            "already shown"
        );

        let ended = message(News::Ended(SignOut::Expired));
        assert_eq!(
            react(ended.clone(), "k", Some(&a), || None),
            Reaction::End(SignOut::Expired)
        );
        assert_eq!(
            react(ended, "k", None, || None),
            Reaction::Ignore,
            "nothing to end"
        );
    }
}
