//! How a session comes to an element, and what each way asks of it: the element's session lifecycle
//! (`src/flows/lifecycle.rs`) adopts every session in one order (keep it, show and announce it, watch its
//! expiry, tell the other elements and tabs) and skips the steps this table says are done already.

/// Where an element's new session comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// A sign-in finished on this page: its callback, or its popup's.
    SignIn,
    /// The `exchangeuri` backend's session, on a page that had none of its own.
    Backend,
    /// This element renewed the session's tokens.
    Renewal,
    /// Another element or tab brought it (signed in, renewed, or answering this page's question).
    OtherTab,
    /// This tab's storage kept it from an earlier page.
    Stored,
}

impl Arrival {
    /// Whether the session is written to storage: not when it was read from there.
    pub fn saves(self) -> bool {
        self != Arrival::Stored
    }

    /// Whether the other elements and tabs are told: not when they told us, nor when storage (which they
    /// share) had it.
    pub fn tells(self) -> bool {
        matches!(self, Arrival::SignIn | Arrival::Backend | Arrival::Renewal)
    }
}

#[cfg(test)]
mod tests {
    use super::Arrival::*;

    #[test]
    fn each_arrival_saves_and_tells_what_nobody_else_has() {
        // (arrival, saved, told): storage and the other tabs hear of a session once, from where it arose.
        let table = [
            (SignIn, true, true),
            (Backend, true, true),
            (Renewal, true, true),
            (OtherTab, true, false),
            (Stored, false, false),
        ];
        for (arrival, saves, tells) in table {
            assert_eq!(
                (arrival.saves(), arrival.tells()),
                (saves, tells),
                "{arrival:?}"
            );
        }
    }
}
