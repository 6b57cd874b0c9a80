//! How often a session may be renewed, and when renewal stops: bounded whatever the server answers (a server
//! that keeps issuing tokens that expire at once must not get a request loop).

use crate::error::{Code, Error};

/// Two renewal tries of one session start at least this far apart, whatever the tokens' `expires_in`.
pub const MIN_INTERVAL_MS: f64 = 5_000.0;
/// Network failures double the spacing, up to this.
pub const MAX_INTERVAL_MS: f64 = 60_000.0;
/// Renewed tokens that last less than [`MIN_INTERVAL_MS`] this many times in a row stop the renewal.
pub const MAX_SHORT_RENEWALS: u32 = 3;

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
}

impl RenewalPolicy {
    /// When to try to renew a session whose own deadline is `deadline` (ms since the epoch): never sooner
    /// than the spacing after the last try.
    pub fn due_at(&self, deadline: f64) -> f64 {
        let spacing = (MIN_INTERVAL_MS * 2f64.powi(self.failures as i32)).min(MAX_INTERVAL_MS);
        self.last_try
            .map_or(deadline, |last| deadline.max(last + spacing))
    }

    /// Notes a try starting at `now_ms`.
    pub fn started(&mut self, now_ms: f64) {
        self.last_try = Some(now_ms);
    }

    /// Takes a try's outcome. `Err`: renewal stops for this session, which then ends when its token expires
    /// (the error says why, for the page; a refusal was reported already and stops without one more).
    pub fn finished(&mut self, outcome: Outcome) -> Result<(), Option<Error>> {
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

    #[test]
    fn a_refusal_stops_at_once() {
        assert_eq!(
            RenewalPolicy::default().finished(Outcome::Refused),
            Err(None)
        );
    }
}
