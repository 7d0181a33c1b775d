//! A secure-message thread's status, and which moves each status allows: the one place that
//! decides it (`threads` asks it before every write; `store` writes the status it gives).
//!
//! ```text
//!              merchant writes (new thread, or a reply)
//!        ┌─────────────────────────────────────────────┐
//!        ▼                                             │
//!   ┌─────────┐   customer service answers   ┌──────────┐
//!   │  open   │ ───────────────────────────▶ │ answered │ ◀─┐ customer service
//!   └─────────┘ ◀─┐ merchant writes again    └──────────┘ ──┘ answers again
//!        │  ▲─────┘                               │
//!        │ close (customer service)               │ close (customer service)
//!        ▼                                        ▼
//!   ┌──────────────────────────────────────────────────┐
//!   │ closed: nothing more is written; a new message    │
//!   │ starts a new thread                               │
//!   └──────────────────────────────────────────────────┘
//! ```

/// Where a thread stands. `Open`: waiting for customer service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Answered,
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Answered, Status::Closed];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == value)
    }
}

/// What someone does to a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A merchant writes in it (the first message opens it).
    MerchantWrites,
    /// Customer service answers.
    AgentAnswers,
    /// Customer service closes it.
    Close,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::MerchantWrites, Action::AgentAnswers, Action::Close];
}

/// A move the thread's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAllowed;

/// The status `action` leads to from `from`, if allowed.
pub fn transition(from: Status, action: Action) -> Result<Status, NotAllowed> {
    match (from, action) {
        (Status::Open | Status::Answered, Action::MerchantWrites) => Ok(Status::Open),
        (Status::Open | Status::Answered, Action::AgentAnswers) => Ok(Status::Answered),
        (Status::Open | Status::Answered, Action::Close) => Ok(Status::Closed),
        (Status::Closed, Action::MerchantWrites | Action::AgentAnswers | Action::Close) => Err(NotAllowed),
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
            (Open, MerchantWrites, Ok(Open)),
            (Open, AgentAnswers, Ok(Answered)),
            (Open, Close, Ok(Closed)),
            (Answered, MerchantWrites, Ok(Open)),
            (Answered, AgentAnswers, Ok(Answered)),
            (Answered, Close, Ok(Closed)),
            (Closed, MerchantWrites, Err(NotAllowed)),
            (Closed, AgentAnswers, Err(NotAllowed)),
            (Closed, Close, Err(NotAllowed)),
        ];
        assert_eq!(table.len(), Status::ALL.len() * Action::ALL.len(), "every pair is listed");
        for (from, action, expected) in table {
            assert_eq!(transition(from, action), expected, "{from:?} + {action:?}");
        }
    }

    #[test]
    fn stored_names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("waiting"), None);
    }
}
