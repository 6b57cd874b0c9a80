//! How often a session may be renewed, and when renewal stops: bounded whatever the server answers (a server
//! that keeps issuing tokens that expire at once must not get a request loop).

use crate::error::{Code, Error};
use crate::session::Session;

/// Two renewal tries of one session start at least this far apart, whatever the tokens' `expires_in`.
pub const MIN_INTERVAL_MS: f64 = 5_000.0;
/// Network failures double the spacing, up to this.
pub const MAX_INTERVAL_MS: f64 = 60_000.0;
/// Renewed tokens that last less than [`MIN_INTERVAL_MS`] this many times in a row stop the renewal.
pub const MAX_SHORT_RENEWALS: u32 = 3;
/// A timer that fires this close before its time counts as on time.
pub const EARLY_MS: f64 = 1_000.0;

/// What a watched session needs next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Nothing, for now: its token does not expire, or another element renews it (this one waits in line).
    Idle,
    /// Nothing until this time (ms since the epoch), when the session is looked at again.
    Wait(f64),
    /// Renew it now.
    Renew,
    /// It expired with no way to renew (it cannot, renewal stopped, or the last try found the server
    /// unreachable): end it.
    Expire,
}

/// What a renewal try gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// A new token, lasting this long (ms), or `None` when it does not expire.
    Renewed(Option<f64>),
    /// The server could not be reached: worth another try while the token lasts.
    Unreachable,
    /// The server (or the element's checks) refused the renewal: trying again would get the same answer.
    Refused,
}

/// One session's renewal record, kept by the element that renews it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenewalPolicy {
    last_try: Option<f64>,
    failures: u32,
    short: u32,
    /// Renewal stopped (refused, or tokens that expire at once): the session ends at expiry.
    stopped: bool,
    /// When the session with this access token is to be renewed, once decided: its deadline depends on when
    /// it is asked (a quarter of what is left, for short tokens), so it is decided once per token and try.
    planned: Option<(String, f64)>,
}

impl RenewalPolicy {
    /// What `session` needs at `now_ms`, for an element that holds the session's lock (`leader`) or not.
    pub fn next(&mut self, session: &Session, leader: bool, now_ms: f64) -> Step {
        let (Some(expires_at), Some(deadline)) = (session.expires_at, session.deadline(now_ms))
        else {
            return Step::Idle;
        };
        let renews = session.renewal.renews();
        if renews && !leader {
            return Step::Idle;
        }
        // Expired while the server could not be reached: the session ends (a later try may yet succeed, but
        // the page would meanwhile hold a token that no longer works).
        let unreachable = self.failures > 0 && now_ms >= expires_at;
        let (due, then) = match renews && !self.stopped && !unreachable {
            true => (
                self.planned_for(&session.access_token, deadline),
                Step::Renew,
            ),
            false => (expires_at, Step::Expire),
        };
        match now_ms + EARLY_MS >= due {
            true => then,
            false => Step::Wait(due),
        }
    }

    /// When to try to renew a session whose own deadline is `deadline` (ms since the epoch): never sooner
    /// than the spacing after the last try.
    pub fn due_at(&self, deadline: f64) -> f64 {
        let spacing = (MIN_INTERVAL_MS * 2f64.powi(self.failures as i32)).min(MAX_INTERVAL_MS);
        self.last_try
            .map_or(deadline, |last| deadline.max(last + spacing))
    }

    /// The renewal time of the token `access_token`: decided at its first look, from `deadline` then.
    fn planned_for(&mut self, access_token: &str, deadline: f64) -> f64 {
        match &self.planned {
            Some((token, due)) if token == access_token => *due,
            _ => {
                let due = self.due_at(deadline);
                self.planned = Some((access_token.to_owned(), due));
                due
            }
        }
    }

    /// Notes a try starting at `now_ms`: the next one is planned afresh.
    pub fn started(&mut self, now_ms: f64) {
        self.last_try = Some(now_ms);
        self.planned = None;
    }

    /// Takes a try's outcome. `Err`: renewal stops for this session, which then ends when its token expires
    /// (the error says why, for the page; a refusal was reported already and stops without one more).
    pub fn finished(&mut self, outcome: Outcome) -> Result<(), Option<Error>> {
        let verdict = self.verdict(outcome);
        self.stopped |= verdict.is_err();
        verdict
    }

    fn verdict(&mut self, outcome: Outcome) -> Result<(), Option<Error>> {
        match outcome {
            Outcome::Renewed(lifetime) => {
                self.failures = 0;
                self.short = match lifetime {
                    Some(ms) if ms < MIN_INTERVAL_MS => self.short + 1,
                    _ => 0,
                };
                if self.short >= MAX_SHORT_RENEWALS {
                    return Err(Some(Error::new(
                        Code::RenewalFailed,
                        // Integers only: formatting a float would compile float printing into the wasm (size rule 2).
                        format!(
                            "Renewal stopped: the authorization server's last {MAX_SHORT_RENEWALS} tokens each lasted under {} seconds. The session ends when the current token expires.",
                            MIN_INTERVAL_MS as u32 / 1000
                        ),
                    )));
                }
                Ok(())
            }
            Outcome::Unreachable => {
                self.failures += 1;
                Ok(())
            }
            Outcome::Refused => Err(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Renewal;
    use crate::session::profile::Profile;

    #[test]
    fn tries_are_spaced_and_back_off_on_network_failures() {
        let mut p = RenewalPolicy::default();
        assert_eq!(
            p.due_at(1_000.0),
            1_000.0,
            "the first try is at the deadline"
        );
        p.started(1_000.0);
        assert_eq!(
            p.due_at(0.0),
            6_000.0,
            "a past deadline still waits the minimum interval"
        );
        assert_eq!(p.finished(Outcome::Unreachable), Ok(()));
        assert_eq!(p.due_at(0.0), 11_000.0, "doubled after a failure");
        for _ in 0..10 {
            let _ = p.finished(Outcome::Unreachable);
        }
        assert_eq!(p.due_at(0.0), 61_000.0, "capped");
        assert_eq!(p.finished(Outcome::Renewed(Some(3_600_000.0))), Ok(()));
        assert_eq!(p.due_at(0.0), 6_000.0, "a success resets the backoff");
        assert_eq!(p.due_at(50_000.0), 50_000.0, "a later deadline wins");
    }

    #[test]
    fn tokens_that_keep_expiring_at_once_stop_the_renewal() {
        let mut p = RenewalPolicy::default();
        assert_eq!(p.finished(Outcome::Renewed(Some(1_000.0))), Ok(()));
        assert_eq!(p.finished(Outcome::Renewed(Some(1_000.0))), Ok(()));
        let stop = p.finished(Outcome::Renewed(Some(1_000.0))).unwrap_err();
        assert_eq!(stop.unwrap().code(), Code::RenewalFailed);

        let mut p = RenewalPolicy::default();
        let _ = p.finished(Outcome::Renewed(Some(1_000.0)));
        let _ = p.finished(Outcome::Renewed(Some(1_000.0)));
        assert_eq!(
            p.finished(Outcome::Renewed(None)),
            Ok(()),
            "a healthy token resets the count"
        );
        assert_eq!(
            p.finished(Outcome::Renewed(Some(6_000.0))),
            Ok(()),
            "6 s tokens are short but usable"
        );
    }

    fn session(expires_at: Option<f64>, renewal: Renewal) -> Session {
        Session {
            access_token: "at".into(),
            token_type: "Bearer".into(),
            expires_at,
            scope: "openid".into(),
            id_token: None,
            profile: Profile::default(),
            renewal,
            dpop_jkt: None,
        }
    }

    #[test]
    fn the_next_step_of_a_session() {
        let hour = 3_600_000.0;
        let renewing = session(Some(hour), Renewal::RefreshToken("rt".into()));
        let ending = session(Some(hour), Renewal::Never);
        // (what, session, leader, now, step), each for a fresh record.
        let table = [
            (
                "no expiry",
                session(None, Renewal::Backend),
                true,
                0.0,
                Step::Idle,
            ),
            (
                "another element renews",
                renewing.clone(),
                false,
                0.0,
                Step::Idle,
            ),
            (
                "a minute before expiry",
                renewing.clone(),
                true,
                0.0,
                Step::Wait(hour - 60_000.0),
            ),
            (
                "a quarter of what is left, when shorter",
                renewing.clone(),
                true,
                hour - 40_000.0,
                Step::Wait(hour - 10_000.0),
            ),
            (
                "expired: renews at once",
                renewing.clone(),
                true,
                hour + 1.0,
                Step::Renew,
            ),
            (
                "no renewal: waits for expiry",
                ending.clone(),
                false,
                0.0,
                Step::Wait(hour),
            ),
            ("then ends it", ending.clone(), false, hour, Step::Expire),
        ];
        for (what, session, leader, now, step) in table {
            assert_eq!(
                RenewalPolicy::default().next(&session, leader, now),
                step,
                "{what}"
            );
        }

        // One token, looked at again: the time decided first holds (a timer a little early counts).
        let mut policy = RenewalPolicy::default();
        assert_eq!(
            policy.next(&renewing, true, 0.0),
            Step::Wait(hour - 60_000.0)
        );
        assert_eq!(
            policy.next(&renewing, true, hour - 70_000.0),
            Step::Wait(hour - 60_000.0)
        );
        assert_eq!(policy.next(&renewing, true, hour - 60_500.0), Step::Renew);
        let renewed = Session {
            access_token: "another".into(),
            expires_at: Some(2.0 * hour),
            ..renewing.clone()
        };
        assert_eq!(
            policy.next(&renewed, true, hour - 60_000.0),
            Step::Wait(2.0 * hour - 60_000.0),
            "a new token, a new time"
        );

        // A failed try: planned afresh, a quarter of what is left before expiry, and never within its spacing
        // (10 s after one failure).
        policy.started(hour - 60_000.0);
        let _ = policy.finished(Outcome::Unreachable);
        assert_eq!(
            policy.next(&renewing, true, hour - 59_000.0),
            Step::Wait(hour - 14_750.0)
        );
        let mut policy = RenewalPolicy::default();
        policy.started(hour - 12_000.0);
        let _ = policy.finished(Outcome::Unreachable);
        assert_eq!(
            policy.next(&renewing, true, hour - 11_000.0),
            Step::Wait(hour - 2_000.0)
        );

        assert_eq!(
            policy.next(&renewing, true, hour),
            Step::Expire,
            "expired, the server unreachable: ends"
        );

        let mut refused = RenewalPolicy::default();
        assert_eq!(refused.finished(Outcome::Refused), Err(None));
        assert_eq!(
            refused.next(&renewing, true, 0.0),
            Step::Wait(hour),
            "stopped: waits for expiry"
        );
        assert_eq!(
            refused.next(&renewing, true, hour),
            Step::Expire,
            "then ends it"
        );
    }

    #[test]
    fn a_refusal_stops_at_once() {
        assert_eq!(
            RenewalPolicy::default().finished(Outcome::Refused),
            Err(None)
        );
    }
}
