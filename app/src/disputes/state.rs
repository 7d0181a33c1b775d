//! The case state machine, written once: which action may move a case from which status, and
//! to where. The server applies it to every change; pages use it to offer only the actions
//! that can succeed.

use serde::{Deserialize, Serialize};

/// An inquiry asks for documents; a chargeback has already debited the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    Inquiry,
    Chargeback,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Waiting for the merchant.
    NeedsResponse,
    /// The merchant saved a response without submitting it.
    DraftSaved,
    /// Submitted: the dispute team reviews it.
    UnderReview,
    /// The dispute team wants more: back to the merchant with a new reply-by date.
    InfoRequested,
    /// The merchant accepted a full refund to the cardholder.
    Accepted,
    /// Decided in the merchant's favour.
    Won,
    /// Decided in the cardholder's favour.
    Lost,
    /// Left unanswered past the reply-by date: an inquiry became an R13 chargeback; a chargeback
    /// closed in the cardholder's favour.
    Expired,
}

/// What can happen to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Merchant: keep the response as a draft.
    SaveDraft,
    /// Merchant: send the response for review.
    Submit,
    /// Merchant: accept a full refund to the cardholder.
    Accept,
    /// Dispute team: ask the merchant for more information.
    RequestInfo,
    /// Dispute team: the merchant wins.
    DecideForMerchant,
    /// Dispute team: the cardholder wins.
    DecideForCardholder,
    /// The deadline worker: the reply-by date passed without an answer.
    DeadlinePassed,
}

/// A stage or status name the state machine does not know (read from a corrupt row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage or status {0:?}")]
pub struct UnknownName(pub String);

impl TryFrom<String> for Stage {
    type Error = UnknownName;

    fn try_from(name: String) -> Result<Stage, UnknownName> {
        Stage::parse(&name).ok_or(UnknownName(name))
    }
}

impl TryFrom<String> for Status {
    type Error = UnknownName;

    fn try_from(name: String) -> Result<Status, UnknownName> {
        Status::parse(&name).ok_or(UnknownName(name))
    }
}

/// Why an action cannot apply to a case in its current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not possible on a {stage:?} in status {status:?}")]
pub struct InvalidTransition {
    pub stage: Stage,
    pub status: Status,
    pub action: Action,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Inquiry, Stage::Chargeback];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Inquiry => "inquiry",
            Stage::Chargeback => "chargeback",
        }
    }

    pub fn parse(value: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_str() == value)
    }
}

impl Status {
    /// Where every new case starts.
    pub const OPENED: Status = Status::NeedsResponse;

    pub const ALL: [Status; 8] = [
        Status::NeedsResponse,
        Status::DraftSaved,
        Status::UnderReview,
        Status::InfoRequested,
        Status::Accepted,
        Status::Won,
        Status::Lost,
        Status::Expired,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NeedsResponse => "needs_response",
            Status::DraftSaved => "draft_saved",
            Status::UnderReview => "under_review",
            Status::InfoRequested => "info_requested",
            Status::Accepted => "accepted",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == value)
    }

    /// Waiting for the merchant's answer (the "response needed" queue; its deadline runs).
    pub fn awaits_merchant(self) -> bool {
        matches!(self, Status::NeedsResponse | Status::DraftSaved | Status::InfoRequested)
    }

    /// No further action: accepted, decided or expired.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Accepted | Status::Won | Status::Lost | Status::Expired)
    }

    /// The stored names of the statuses for which `keep` holds, as an SQL list:
    /// `('needs_response', 'draft_saved', 'info_requested')`. Queries ask the state machine which
    /// statuses they mean instead of spelling them out.
    pub fn sql_list(keep: impl Fn(Status) -> bool) -> String {
        let names: Vec<String> = Status::ALL
            .into_iter()
            .filter(|status| keep(*status))
            .map(|status| format!("'{}'", status.as_str()))
            .collect();
        format!("({})", names.join(", "))
    }
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::SaveDraft,
        Action::Submit,
        Action::Accept,
        Action::RequestInfo,
        Action::DecideForMerchant,
        Action::DecideForCardholder,
        Action::DeadlinePassed,
    ];
}

/// The status a case moves to when `action` happens to it, or why it cannot.
pub fn transition(stage: Stage, status: Status, action: Action) -> Result<Status, InvalidTransition> {
    use Action::*;
    let next = match (action, status) {
        (SaveDraft, s) if s.awaits_merchant() => Some(Status::DraftSaved),
        (Submit, s) if s.awaits_merchant() => Some(Status::UnderReview),
        (Accept, s) if s.awaits_merchant() => Some(Status::Accepted),
        (RequestInfo, Status::UnderReview) => Some(Status::InfoRequested),
        (DecideForMerchant, Status::UnderReview) => Some(Status::Won),
        (DecideForCardholder, Status::UnderReview) => Some(Status::Lost),
        // An unanswered inquiry becomes an R13 chargeback (the caller opens it); an unanswered
        // chargeback closes in the cardholder's favour. Both read "expired".
        (DeadlinePassed, s) if s.awaits_merchant() => Some(Status::Expired),
        _ => None,
    };
    next.ok_or(InvalidTransition { stage, status, action })
}

/// Every status `action` may move a case of `stage` from, with the status it moves to: what a
/// change applied to many cases in one statement (the deadline sweep) may do.
pub fn moves(stage: Stage, action: Action) -> Vec<(Status, Status)> {
    Status::ALL.into_iter().filter_map(|from| transition(stage, from, action).ok().map(|to| (from, to))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Status::*;

    /// Every allowed move, for both stages unless the stage is named. Anything not listed must
    /// be refused.
    const ALLOWED: &[(Option<Stage>, Status, Action, Status)] = &[
        (None, NeedsResponse, SaveDraft, DraftSaved),
        (None, DraftSaved, SaveDraft, DraftSaved),
        (None, InfoRequested, SaveDraft, DraftSaved),
        (None, NeedsResponse, Submit, UnderReview),
        (None, DraftSaved, Submit, UnderReview),
        (None, InfoRequested, Submit, UnderReview),
        (None, NeedsResponse, Accept, Accepted),
        (None, DraftSaved, Accept, Accepted),
        (None, InfoRequested, Accept, Accepted),
        (None, UnderReview, RequestInfo, InfoRequested),
        (None, UnderReview, DecideForMerchant, Won),
        (None, UnderReview, DecideForCardholder, Lost),
        (None, NeedsResponse, DeadlinePassed, Expired),
        (None, DraftSaved, DeadlinePassed, Expired),
        (None, InfoRequested, DeadlinePassed, Expired),
    ];

    #[test]
    fn every_stage_status_and_action_follows_the_table() {
        let mut checked = 0;
        for stage in Stage::ALL {
            for status in Status::ALL {
                for action in Action::ALL {
                    let expected = ALLOWED
                        .iter()
                        .find(|(only, from, act, _)| {
                            only.is_none_or(|only| only == stage) && *from == status && *act == action
                        })
                        .map(|(_, _, _, to)| *to);
                    let got = transition(stage, status, action).ok();
                    assert_eq!(got, expected, "{stage:?} {status:?} {action:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 2 * 8 * 7);
    }

    #[test]
    fn closed_cases_accept_nothing() {
        for stage in Stage::ALL {
            for status in Status::ALL.into_iter().filter(|status| status.is_closed()) {
                for action in Action::ALL {
                    assert_eq!(transition(stage, status, action), Err(InvalidTransition { stage, status, action }));
                }
            }
        }
    }

    #[test]
    fn moves_and_status_lists_follow_the_table() {
        let expiring = [(NeedsResponse, Expired), (DraftSaved, Expired), (InfoRequested, Expired)];
        assert_eq!(moves(Stage::Inquiry, DeadlinePassed), expiring);
        assert_eq!(moves(Stage::Chargeback, DeadlinePassed), expiring);
        assert_eq!(moves(Stage::Inquiry, RequestInfo), [(UnderReview, InfoRequested)]);
        assert_eq!(Status::sql_list(Status::awaits_merchant), "('needs_response', 'draft_saved', 'info_requested')");
        assert_eq!(Status::sql_list(|_| false), "()");
    }

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        assert_eq!(Status::parse("closed"), None);
    }
}
