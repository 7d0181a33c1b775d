//! A chat conversation's status, and which moves each status allows: the one place that decides
//! it (`conversations` asks it before every write; `store` writes the status it gives, guarded
//! by the status it read, so that of two agents taking a chat at once exactly one succeeds).
//!
//! ```text
//!                take (an agent)                  transfer (to another agent)
//!   ┌─────────┐ ─────────────────▶ ┌───────────┐ ◀──┐
//!   │ waiting │                    │ connected │ ───┘
//!   └─────────┘ ◀───────────────── └───────────┘
//!        │       back to the queue       │
//!        │ end (the merchant)            │ end (the merchant or its agent)
//!        ▼                               ▼
//!   ┌──────────────────────────────────────────┐
//!   │ ended: nothing more is written; the       │
//!   │ transcript is under the merchant's        │
//!   │ Messages                                  │
//!   └──────────────────────────────────────────┘
//! ```

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In the queue, waiting for an agent.
    Waiting,
    /// An agent has it.
    Connected,
    Ended,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Waiting, Status::Connected, Status::Ended];

    /// The stored name (the schema's `waiting`, `open`, `closed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Connected => "open",
            Status::Ended => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == value)
    }

    /// The name the live stream sends the page.
    pub fn live_name(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Connected => "connected",
            Status::Ended => "ended",
        }
    }
}

/// What someone does to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An agent takes a waiting chat.
    Take,
    /// Its agent hands it to another agent.
    Transfer,
    /// Its agent puts it back in the queue.
    Requeue,
    /// The merchant or its agent ends it.
    End,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Take, Action::Transfer, Action::Requeue, Action::End];
}

/// A move the conversation's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAllowed;

/// The status `action` leads to from `from`, if allowed.
pub fn transition(from: Status, action: Action) -> Result<Status, NotAllowed> {
    match (from, action) {
        (Status::Waiting, Action::Take) => Ok(Status::Connected),
        (Status::Connected, Action::Transfer) => Ok(Status::Connected),
        (Status::Connected, Action::Requeue) => Ok(Status::Waiting),
        (Status::Waiting | Status::Connected, Action::End) => Ok(Status::Ended),
        (Status::Waiting, Action::Transfer | Action::Requeue)
        | (Status::Connected, Action::Take)
        | (Status::Ended, Action::Take | Action::Transfer | Action::Requeue | Action::End) => Err(NotAllowed),
    }
}

/// Who writes in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Merchant,
    Agent,
}

impl Side {
    /// The letter the live stream tags a message with.
    pub fn letter(self) -> &'static str {
        match self {
            Side::Merchant => "m",
            Side::Agent => "a",
        }
    }
}

/// Whether `side` may write in a conversation of `status`: the merchant while waiting (the
/// agent reads it on taking the chat) and once connected; the agent once connected.
pub fn may_write(status: Status, side: Side) -> bool {
    match (status, side) {
        (Status::Waiting, Side::Merchant) | (Status::Connected, Side::Merchant | Side::Agent) => true,
        (Status::Waiting, Side::Agent) | (Status::Ended, Side::Merchant | Side::Agent) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_action_pair() {
        use Action::*;
        use Status::*;
        let table = [
            (Waiting, Take, Ok(Connected)),
            (Waiting, Transfer, Err(NotAllowed)),
            (Waiting, Requeue, Err(NotAllowed)),
            (Waiting, End, Ok(Ended)),
            (Connected, Take, Err(NotAllowed)),
            (Connected, Transfer, Ok(Connected)),
            (Connected, Requeue, Ok(Waiting)),
            (Connected, End, Ok(Ended)),
            (Ended, Take, Err(NotAllowed)),
            (Ended, Transfer, Err(NotAllowed)),
            (Ended, Requeue, Err(NotAllowed)),
            (Ended, End, Err(NotAllowed)),
        ];
        assert_eq!(table.len(), Status::ALL.len() * Action::ALL.len(), "every pair is listed");
        for (from, action, expected) in table {
            assert_eq!(transition(from, action), expected, "{from:?} + {action:?}");
        }
    }

    #[test]
    fn who_writes_when() {
        assert!(may_write(Status::Waiting, Side::Merchant));
        assert!(!may_write(Status::Waiting, Side::Agent));
        assert!(may_write(Status::Connected, Side::Agent) && may_write(Status::Connected, Side::Merchant));
        assert!(!may_write(Status::Ended, Side::Merchant) && !may_write(Status::Ended, Side::Agent));
    }

    #[test]
    fn stored_names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("connected"), None);
    }
}
