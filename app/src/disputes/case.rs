//! One case as its page shows it: the case, the original transaction, the reason code and its
//! checklist, the response of the current round with its documents, the timeline, and what the
//! caller may do with it. Loading a case checks that the caller may see it ("not found"
//! otherwise) and records the view in the timeline.

use super::reason_codes;
use super::record::{event, Actor};
use super::store;
use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::AppError;
use sqlx::{Any, Transaction};

pub use super::model::{
    AnswerRefusal, CardTransaction, Case, CaseFile, ChecklistItem, Decision, Document, TimelineEntry,
};

/// Whether the caller may see the case of `establishment_id`: the network's dispute analysts
/// see every case; merchants the cases of their establishments.
pub fn check_visible(caller: &Caller, establishment_id: i64) -> Result<(), AppError> {
    match caller.kind {
        UserKind::DisputeAnalyst => Ok(()),
        UserKind::Merchant => caller.establishment(establishment_id).map(|_| ()),
        _ => Err(AppError::NotFound),
    }
}

/// Whether the caller may answer (accept, respond) a case of `establishment_id` they can see.
pub fn answer_refusal(caller: &Caller, establishment_id: i64) -> Option<AnswerRefusal> {
    match caller.establishment(establishment_id) {
        Ok(scope) if scope.can_answer_disputes() => None,
        Ok(_) => Some(AnswerRefusal::LocalConfiguration),
        Err(_) => Some(AnswerRefusal::NetworkStaff),
    }
}

/// The case with this number, if the caller may see it.
pub async fn find(db: &Db, caller: &Caller, case_number: &str) -> Result<Case, AppError> {
    let case = store::case_by_number(db, case_number).await?.ok_or(AppError::NotFound)?;
    check_visible(caller, case.establishment_id)?;
    Ok(case)
}

/// The case again, inside a write's transaction (on PostgreSQL, locked until it ends).
pub async fn lock(db: &Db, transaction: &mut Transaction<'_, Any>, id: i64) -> Result<Case, AppError> {
    Ok(store::lock_case(db, transaction, id).await?)
}

pub use super::store::{current_round, documents, timeline};

/// The whole case file for its page; records the view.
pub async fn open(db: &Db, caller: &Caller, case_number: &str) -> Result<CaseFile, AppError> {
    let case = find(db, caller, case_number).await?;
    let mut transaction = db.write().await?;
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    event(&mut transaction, case.id, &actor, crate::clock::now(), "viewed", "").await?;
    let round = current_round(&mut transaction, case.id).await?;
    transaction.commit().await?;

    let transaction = store::card_transaction(db, case.transaction_id).await?;
    let checklist = store::checklist(db, case.id).await?;
    let (comments, submitted) = store::response(db, case.id, round).await?.unwrap_or_default();
    let documents = documents(db, case.id).await?;
    let timeline = timeline(db, case.id).await?;
    let last_decision = store::last_decision(db, case.id).await?;
    let refusal = answer_refusal(caller, case.establishment_id);
    let answerers = if refusal == Some(AnswerRefusal::LocalConfiguration) {
        store::answerers(db, case.establishment_id).await?
    } else {
        Vec::new()
    };
    Ok(CaseFile {
        reason: reason_codes::find(&case.reason_code),
        case,
        transaction,
        checklist,
        comments,
        submitted,
        documents,
        timeline,
        last_decision,
        refusal,
        answerers,
        is_analyst: caller.kind == UserKind::DisputeAnalyst,
    })
}
