//! What the elements of a page and the tabs of a browser tell each other about a session, and what an element
//! does with it. The channel carries these as JSON; the decision is [`react`], with no browser in it.

use crate::json::Invalid;
use crate::json::object::{Spread, json_object};
use crate::session::Session;
use crate::session::sign_out::SignOut;

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

// The wire form, `{key, ask, session, reason}`, as every version of the element reads it.
json_object! {
    TabMessage {
        key: required,
        ..news {
            ask: or_default,
            session: optional,
            reason: optional,
        }
    }
}

impl<'a> Spread<'a> for News {
    type Read = (bool, Option<Session>, Option<String>);
    type Written = (bool, Option<&'a Session>, Option<&'static str>);

    fn gather(read: Self::Read) -> Result<News, Invalid> {
        match read {
            (true, _, _) => Ok(News::Ask),
            (false, Some(session), _) => Ok(News::Session(Box::new(session))),
            (false, None, Some(reason)) => Ok(News::Ended(SignOut::from_reason(&reason))),
            (false, None, None) => Err(Invalid::new("a message with no news")),
        }
    }

    fn spread(&'a self) -> Self::Written {
        match self {
            News::Ask => (true, None, None),
            News::Session(session) => (false, Some(session), None),
            News::Ended(why) => (false, None, Some(why.reason())),
        }
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
    use crate::json::{FromJson, ToJson, parse};

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
