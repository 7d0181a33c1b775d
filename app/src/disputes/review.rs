//! The dispute team's back office: the queue of submitted responses, decisions (the merchant
//! wins: a chargeback's debit is reversed by a credit; the cardholder wins: the amount is debited
//! if it was not already), requests for more information with a new reply-by date, and new
//! inquiries or chargebacks opened on any transaction. Only dispute analysts reach these.

use super::answer::Refused;
use super::case::{self, Case};
use super::deadline;
use super::reason_codes::{self, CodeKind};
use super::state::{transition, Action, Stage, Status};
use super::store::{self, insert_event, insert_outbox, Adjustment, NewCaseRow};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Problem, UserKind};
use crate::db::Db;
use crate::AppError;
use chrono::{Datelike, NaiveDate};
use sqlx::{Any, Transaction};

/// Longest accepted note.
pub const MAX_NOTE: usize = 4_000;

/// Only the network's dispute analysts decide; anyone else is told the page does not exist.
pub fn require_analyst(caller: &Caller) -> Result<(), AppError> {
    if caller.kind == UserKind::DisputeAnalyst {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The analyst's answer to a submitted response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    ForMerchant,
    ForCardholder,
    /// Back to the merchant until the new reply-by date.
    MoreInformation(NaiveDate),
}

pub use super::model::ReviewRow;

/// Submitted responses, the longest waiting first (at most 200).
pub async fn queue(db: &Db, caller: &Caller) -> Result<Vec<ReviewRow>, AppError> {
    require_analyst(caller)?;
    Ok(store::review_rows(db, Status::UnderReview).await?)
}

/// Decides a submitted response, or asks the merchant for more.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    case_number: &str,
    verdict: Verdict,
    note: &str,
    version: i64,
    today: NaiveDate,
) -> Result<Status, Refused> {
    require_analyst(caller)?;
    let note = note.trim();
    if note.is_empty() {
        return Err(Refused::Problem(Problem::Required, "note".into()));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(Refused::Problem(Problem::CommentsTooLong, "note".into()));
    }
    if let Verdict::MoreInformation(reply_by) = verdict {
        if reply_by <= today {
            return Err(Refused::Problem(Problem::ReplyByInvalid, "reply_by".into()));
        }
    }
    let found = case::find(db, caller, case_number).await?;
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let case = case::lock(db, &mut transaction, found.id).await?;
    if case.version != version {
        return Err(Refused::Problem(Problem::StaleForm, String::new()));
    }
    let action = match verdict {
        Verdict::ForMerchant => Action::DecideForMerchant,
        Verdict::ForCardholder => Action::DecideForCardholder,
        Verdict::MoreInformation(_) => Action::RequestInfo,
    };
    let next = transition(case.stage, case.status, action)
        .map_err(|_| Refused::Problem(Problem::NotUnderReview, String::new()))?;
    let (outcome, new_reply_by) = match verdict {
        Verdict::ForMerchant => ("merchant", None),
        Verdict::ForCardholder => ("cardholder", None),
        Verdict::MoreInformation(date) => ("info_requested", Some(date)),
    };
    let closed_at = next.is_closed().then_some(now);
    if !store::set_status(&mut transaction, case.id, version, next, closed_at, new_reply_by, now).await? {
        return Err(Refused::Problem(Problem::StaleForm, String::new()));
    }
    store::insert_decision(&mut transaction, case.id, caller.user_id, outcome, note, new_reply_by, now).await?;
    settle(&mut transaction, &case, verdict, now).await?;
    let actor = case::actor(caller, case.establishment_id, &case.establishment_number);
    let (action, detail) = match verdict {
        Verdict::MoreInformation(date) => ("info_requested", format!("{date}: {note}")),
        _ => ("decided", format!("{outcome}: {note}")),
    };
    insert_event(&mut transaction, case.id, &actor, now, action, &detail).await?;
    insert_outbox(&mut transaction, "case_update", action, case.establishment_id, case.id, &actor, now).await?;
    transaction.commit().await?;
    Ok(next)
}

/// The money a decision moves: a won chargeback's debit is credited back; a lost case is
/// debited unless it already was.
async fn settle(
    transaction: &mut Transaction<'_, Any>,
    case: &Case,
    verdict: Verdict,
    now: i64,
) -> Result<(), sqlx::Error> {
    let was_debited = store::is_debited(transaction, case.id).await?;
    let (kind, amount, label) = match verdict {
        Verdict::ForMerchant if was_debited => ("chargeback_reversal", case.amount, "Recrédit litige"),
        Verdict::ForCardholder if !was_debited => ("chargeback", -case.amount, "Débit litige"),
        _ => return Ok(()),
    };
    let entry = Adjustment {
        establishment: case.establishment_id,
        dispute: case.id,
        kind,
        amount,
        currency: &case.currency,
        label: format!("{label} {}", case.case_number),
    };
    store::insert_adjustment(transaction, entry, now).await
}

/// A new case as the analyst's form describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// The transaction's reference.
    pub reference: String,
    pub stage: Stage,
    pub reason_code: String,
    /// `None`: the transaction's whole amount.
    pub amount: Option<i64>,
    pub reply_by: NaiveDate,
}

/// Opens an inquiry or a chargeback on a transaction; a chargeback debits its amount at once.
/// Returns the new case number.
pub async fn open_case(db: &Db, caller: &Caller, new: &NewCase, today: NaiveDate) -> Result<String, Refused> {
    require_analyst(caller)?;
    let reason = reason_codes::find(&new.reason_code)
        .filter(|reason| (reason.kind == CodeKind::Inquiry) == (new.stage == Stage::Inquiry))
        .ok_or(Refused::Problem(Problem::ReasonInvalid, "reason_code".into()))?;
    if new.reply_by <= today {
        return Err(Refused::Problem(Problem::ReplyByInvalid, "reply_by".into()));
    }
    let store::Charge {
        id: transaction_id,
        establishment_id: establishment,
        amount: charged,
        currency,
        language,
        number,
    } = store::charge_by_reference(db, new.reference.trim())
        .await?
        .ok_or(Refused::Problem(Problem::TransactionNotFound, "reference".into()))?;
    let locale = crate::format::locale(&language);
    let amount = new.amount.unwrap_or(charged);
    if amount <= 0 || amount > charged {
        return Err(Refused::Problem(Problem::AmountInvalid, "amount".into()));
    }
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let provisional = format!("NEW-{}", crate::accounts::tokens::new_secret());
    let row = NewCaseRow {
        case_number: &provisional,
        establishment,
        transaction: transaction_id,
        parent: None,
        stage: new.stage,
        status: Status::OPENED,
        reason_code: reason.code,
        amount,
        currency: &currency,
        reply_by: new.reply_by,
    };
    let id = store::insert_case(&mut transaction, &row, now).await?;
    let case_number = format!("LIT-{}-{id:07}", today.year());
    store::set_case_number(&mut transaction, id, &case_number).await?;
    store::insert_checklist(&mut transaction, id, &reason.document_list(locale)).await?;
    if new.stage == Stage::Chargeback {
        let debit = Adjustment {
            establishment,
            dispute: id,
            kind: "chargeback",
            amount: -amount,
            currency: &currency,
            label: format!("Débit litige {case_number}"),
        };
        store::insert_adjustment(&mut transaction, debit, now).await?;
    }
    let actor = case::actor(caller, establishment, &number);
    insert_event(&mut transaction, id, &actor, now, "opened", reason.code).await?;
    let category = if new.stage == Stage::Inquiry { "new_inquiry" } else { "new_chargeback" };
    insert_outbox(&mut transaction, category, "opened", establishment, id, &actor, now).await?;
    transaction.commit().await?;
    Ok(case_number)
}

/// Reads a reply-by date typed in a form.
pub fn parse_reply_by(text: &str) -> Option<NaiveDate> {
    deadline::parse(text.trim())
}
