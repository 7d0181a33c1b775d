//! The secure messages' rules, without SQL or HTTP: who sees a thread, in which organisation a
//! new one goes, how a sender is named to merchants, what a message's text may hold, and who is
//! recorded as acting.
//!
//! A thread is seen by its author, by its organisation's headquarters users and administrators,
//! and by the users of the establishment it names; anyone else is told it does not exist. The
//! caller's header count (`store::unread_threads_sql`) and the reply emails' recipients
//! (`store::insert_reply_notices`) say the same in SQL; the integration tests hold them to it.

use super::model::{Actor, Sender, Thread};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Problem, Role, UserKind};
use crate::AppError;

/// Longest subject.
pub const MAX_SUBJECT: usize = 200;
/// Longest message.
pub const MAX_BODY: usize = 10_000;
/// Files one message may carry.
pub const FILES_PER_MESSAGE: usize = 5;

/// The threads a merchant may see: their own, their organisations' (as headquarters) and their
/// establishments'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadScope {
    pub user_id: i64,
    /// Organisations where the caller is a headquarters user or administrator.
    pub headquarters: Vec<i64>,
    /// Establishments the caller is a user of.
    pub establishments: Vec<i64>,
}

impl ThreadScope {
    /// The merchant's scope; "not found" for the network's staff (customer service reads
    /// threads from its console).
    pub fn of(caller: &Caller) -> Result<ThreadScope, AppError> {
        if caller.kind != UserKind::Merchant {
            return Err(AppError::NotFound);
        }
        Ok(ThreadScope {
            user_id: caller.user_id,
            headquarters: caller
                .organisations
                .iter()
                .filter(|(_, role)| *role >= Role::HqUser)
                .map(|(id, _)| *id)
                .collect(),
            establishments: caller.establishments.iter().filter(|scope| scope.own).map(|scope| scope.id).collect(),
        })
    }

    pub fn sees(&self, thread: &Thread) -> bool {
        thread.created_by == self.user_id
            || self.headquarters.contains(&thread.organisation_id)
            || thread.establishment_id.is_some_and(|id| self.establishments.contains(&id))
    }

    /// The thread, if the caller sees it; otherwise "not found".
    pub fn check(&self, thread: Option<Thread>) -> Result<Thread, AppError> {
        thread.filter(|thread| self.sees(thread)).ok_or(AppError::NotFound)
    }
}

/// Customer service only; anyone else is told the page does not exist.
pub fn require_agent(caller: &Caller) -> Result<(), AppError> {
    if caller.kind == UserKind::SupportAgent {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The organisation a new thread goes to: its establishment's, else the caller's first.
/// `None` for a merchant without an organisation.
pub fn organisation_for(caller: &Caller, establishment: Option<i64>) -> Option<i64> {
    match establishment {
        Some(id) => caller.establishment(id).ok().map(|scope| scope.organisation_id),
        None => caller.organisations.first().map(|(id, _)| *id),
    }
}

/// How a merchant reads who wrote a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderName {
    /// Customer service, with the agent's first name only (if known).
    CustomerService(Option<String>),
    /// A merchant user: their full name, or their username.
    Merchant(String),
}

pub fn sender_name(sender: &Sender) -> SenderName {
    if sender.kind == UserKind::SupportAgent.as_str() {
        let first = sender.full_name.split_whitespace().next().map(str::to_owned);
        SenderName::CustomerService(first)
    } else if sender.full_name.trim().is_empty() {
        SenderName::Merchant(sender.username.clone())
    } else {
        SenderName::Merchant(sender.full_name.trim().to_owned())
    }
}

/// Whether one of `texts` holds a card number (see `cards`): such a message is refused.
pub fn holds_card_number<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    texts.into_iter().any(|text| crate::cards::mask_numbers(text).1)
}

/// The checks of a message's text, with the field a problem concerns: a body, at most
/// [`MAX_BODY`] characters, and no card number (nor in the file names).
pub fn check_message(body: &str, file_names: &[&str]) -> Result<(), (Problem, &'static str)> {
    if body.trim().is_empty() {
        return Err((Problem::Required, "body"));
    }
    if body.chars().count() > MAX_BODY {
        return Err((Problem::TooLong, "body"));
    }
    if holds_card_number(std::iter::once(body).chain(file_names.iter().copied())) {
        return Err((Problem::CardNumberInText, "body"));
    }
    Ok(())
}

/// The checks of a new thread's subject: present, at most [`MAX_SUBJECT`] characters, no card
/// number.
pub fn check_subject(subject: &str) -> Result<(), (Problem, &'static str)> {
    if subject.trim().is_empty() {
        return Err((Problem::Required, "subject"));
    }
    if subject.chars().count() > MAX_SUBJECT {
        return Err((Problem::TooLong, "subject"));
    }
    if holds_card_number([subject]) {
        return Err((Problem::CardNumberInText, "subject"));
    }
    Ok(())
}

/// The caller acting on a thread of `establishment` (its id and number, if any): customer
/// service from the network, a user of the establishment from it, anyone else from
/// headquarters.
pub fn actor(caller: &Caller, establishment: Option<(i64, &str)>) -> Actor {
    if caller.kind != UserKind::Merchant {
        return Actor { user_id: caller.user_id, role: caller.kind.as_str().into(), scope: "network".into() };
    }
    let own = establishment
        .filter(|(id, _)| caller.establishments.iter().any(|scope| scope.id == *id && scope.own))
        .map(|(_, number)| number.to_owned());
    match own {
        Some(number) => Actor { user_id: caller.user_id, role: Role::EstablishmentUser.as_str().into(), scope: number },
        None => {
            let role = caller.organisations.iter().map(|(_, role)| *role).max().unwrap_or(Role::EstablishmentUser);
            Actor { user_id: caller.user_id, role: role.as_str().into(), scope: "HQ".into() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::caller::{DisputeConfig, EstablishmentScope};
    use crate::support::model::Topic;
    use crate::support::state::Status;

    fn establishment(id: i64, organisation_id: i64, own: bool) -> EstablishmentScope {
        EstablishmentScope {
            id,
            organisation_id,
            name: format!("E{id}"),
            dispute_config: DisputeConfig::Central,
            own,
            headquarters: (!own).then_some(Role::HqUser),
        }
    }

    fn caller(
        user_id: i64,
        kind: UserKind,
        organisations: Vec<(i64, Role)>,
        establishments: Vec<EstablishmentScope>,
    ) -> Caller {
        Caller {
            user_id,
            username: format!("u{user_id}"),
            email: String::new(),
            language: "fr".into(),
            kind,
            organisations,
            establishments,
            unread_notifications: 0,
            unread_threads: 0,
        }
    }

    fn thread(organisation_id: i64, establishment_id: Option<i64>, created_by: i64) -> Thread {
        Thread {
            id: 1,
            organisation_id,
            organisation: "O".into(),
            establishment_id,
            establishment: None,
            created_by,
            subject: "s".into(),
            topic: Topic::Website,
            status: Status::Open,
            dispute_id: None,
            case_number: None,
            created_at: 0,
            updated_at: 0,
            last_agent_message_id: None,
        }
    }

    #[test]
    fn who_sees_a_thread() {
        let opera = caller(1, UserKind::Merchant, vec![(1, Role::EstablishmentUser)], vec![establishment(11, 1, true)]);
        let hq = caller(
            2,
            UserKind::Merchant,
            vec![(1, Role::HqUser)],
            vec![establishment(11, 1, false), establishment(12, 1, false)],
        );
        let lyon = caller(3, UserKind::Merchant, vec![(1, Role::EstablishmentUser)], vec![establishment(12, 1, true)]);
        let other = caller(4, UserKind::Merchant, vec![(2, Role::OrgAdmin)], vec![establishment(21, 2, false)]);
        let scope = |caller: &Caller| ThreadScope::of(caller).unwrap();
        let operas = thread(1, Some(11), 1);
        let hqs_own = thread(1, None, 2);
        assert!(scope(&opera).sees(&operas) && scope(&hq).sees(&operas), "the author and headquarters");
        assert!(!scope(&lyon).sees(&operas), "another establishment's user");
        assert!(!scope(&other).sees(&operas), "another organisation");
        assert!(!scope(&opera).sees(&hqs_own), "a thread naming no establishment is headquarters'");
        assert!(scope(&opera).sees(&thread(1, Some(12), 1)), "the author, whatever it names");
        assert!(scope(&lyon).sees(&thread(1, Some(12), 2)), "the establishment's users");
        let agent = caller(5, UserKind::SupportAgent, vec![], vec![]);
        assert_eq!(ThreadScope::of(&agent), Err(AppError::NotFound));
        assert_eq!(require_agent(&opera), Err(AppError::NotFound));
        assert!(require_agent(&agent).is_ok());
    }

    #[test]
    fn customer_service_is_named_by_first_name_only() {
        let sender = |kind: &str, full_name: &str| Sender {
            user_id: 1,
            username: "login".into(),
            full_name: full_name.into(),
            kind: kind.into(),
        };
        assert_eq!(
            sender_name(&sender("support_agent", "Yanis Roux")),
            SenderName::CustomerService(Some("Yanis".into()))
        );
        assert_eq!(sender_name(&sender("support_agent", "")), SenderName::CustomerService(None));
        assert_eq!(sender_name(&sender("merchant", "Camille Martin")), SenderName::Merchant("Camille Martin".into()));
        assert_eq!(sender_name(&sender("merchant", " ")), SenderName::Merchant("login".into()));
    }

    #[test]
    fn text_with_a_card_number_is_refused() {
        assert_eq!(check_message("Bonjour", &[]), Ok(()));
        assert_eq!(check_message("  ", &[]), Err((Problem::Required, "body")));
        assert_eq!(check_message("carte 4111 1111 1111 1111", &[]), Err((Problem::CardNumberInText, "body")));
        assert_eq!(check_message("ok", &["4111111111111111.pdf"]), Err((Problem::CardNumberInText, "body")));
        assert_eq!(check_message(&"x".repeat(MAX_BODY + 1), &[]), Err((Problem::TooLong, "body")));
        assert_eq!(check_subject("Commande 1234567890123"), Ok(()));
        assert_eq!(check_subject("4111111111111111"), Err((Problem::CardNumberInText, "subject")));
        assert_eq!(check_subject(""), Err((Problem::Required, "subject")));
    }
}
