//! One case as its page shows it: the case, the original transaction, the reason code and its
//! checklist, the response of the current round with its documents, the timeline, and what the
//! caller may do with it and who they act as. Loading a case, or one of its documents, checks
//! that the caller may see it ("not found" otherwise) and records the view in the timeline.

use super::reason_codes::{self, ReasonCode};
use super::store;
use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::AppError;
use sqlx::{Any, Transaction};

pub use super::model::{
    Actor, AnswerRefusal, CardTransaction, Case, ChecklistItem, Decision, Document, StoredDocument, TimelineEntry,
};

/// Everything the case page shows.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: Case,
    pub transaction: CardTransaction,
    pub reason: Option<&'static ReasonCode>,
    pub checklist: Vec<ChecklistItem>,
    /// The current round's response: comments and whether it was submitted.
    pub comments: String,
    pub submitted: bool,
    pub documents: Vec<Document>,
    pub timeline: Vec<TimelineEntry>,
    pub last_decision: Option<Decision>,
    /// `None` when the caller may answer.
    pub refusal: Option<AnswerRefusal>,
    /// Who can answer when the caller cannot (local configuration).
    pub answerers: Vec<String>,
    pub is_analyst: bool,
}

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

/// The caller acting on a case of `establishment_id` (its number `establishment_number`): as one
/// of its own users, or from headquarters, or as the network's staff.
pub fn actor(caller: &Caller, establishment_id: i64, establishment_number: &str) -> Actor {
    if caller.kind != UserKind::Merchant {
        return Actor { user_id: Some(caller.user_id), role: caller.kind.as_str().into(), scope: "network".into() };
    }
    let scope = caller.establishments.iter().find(|scope| scope.id == establishment_id);
    match scope.and_then(|scope| if scope.own { None } else { scope.headquarters }) {
        Some(role) => Actor { user_id: Some(caller.user_id), role: role.as_str().into(), scope: "HQ".into() },
        None => Actor {
            user_id: Some(caller.user_id),
            role: "establishment_user".into(),
            scope: establishment_number.to_owned(),
        },
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
    let actor = actor(caller, case.establishment_id, &case.establishment_number);
    store::insert_event(&mut transaction, case.id, &actor, crate::clock::now(), "viewed", "").await?;
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

/// A document of a case the caller may see, unless it was removed: its name, type and where
/// its content is kept. Reading a document is a view of the case: the timeline records it too.
pub async fn open_document(db: &Db, caller: &Caller, case_number: &str, id: i64) -> Result<StoredDocument, AppError> {
    let case = find(db, caller, case_number).await?;
    let document = store::document_for_case(db, case.id, id).await?.ok_or(AppError::NotFound)?;
    let mut transaction = db.write().await?;
    let actor = actor(caller, case.establishment_id, &case.establishment_number);
    store::insert_event(&mut transaction, case.id, &actor, crate::clock::now(), "viewed", &document.name).await?;
    transaction.commit().await?;
    Ok(document)
}
