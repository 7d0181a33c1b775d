//! One case as its page shows it: the case, the original transaction, the reason code and its
//! checklist, the response of the current round with its documents, the timeline, and what the
//! caller may do with it and who they act as. Loading a case, or one of its documents, checks
//! that the caller may see it ("not found" otherwise) and records the view in the timeline
//! (once per user, case and hour; the page folds one user's views one after the other).

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
    /// What the gateway's operation added to it (plan terms, indicators, Level 3 lines).
    pub transaction_details: Option<crate::transaction_details::TransactionDetails>,
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
    /// The caller may activate online dispute management for the case's establishment.
    pub can_activate: bool,
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

/// Whether the caller may answer (accept, respond) a case they can see: as one who answers for
/// its establishment, and only once the establishment has activated online dispute management.
pub fn answer_refusal(caller: &Caller, case: &Case) -> Option<AnswerRefusal> {
    match caller.establishment(case.establishment_id) {
        Ok(scope) if scope.can_answer_disputes() && !case.subscribed => Some(AnswerRefusal::NotSubscribed),
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

/// The timeline with each run of one user's views of the same thing, one after the other,
/// folded into its last entry.
pub fn fold_views(entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    let mut folded: Vec<TimelineEntry> = Vec::with_capacity(entries.len());
    for entry in entries {
        if let Some(last) = folded.last_mut() {
            let same = |a: &TimelineEntry, b: &TimelineEntry| {
                (&a.action, &a.actor, &a.role, &a.scope, &a.detail)
                    == (&b.action, &b.actor, &b.role, &b.scope, &b.detail)
            };
            if entry.action == "viewed" && same(last, &entry) {
                *last = TimelineEntry { repeats: last.repeats + 1 + entry.repeats, ..entry };
                continue;
            }
        }
        folded.push(entry);
    }
    folded
}

/// The whole case file for its page; records the view. The file's parts are read at once, each
/// on its own connection (on PostgreSQL each read is a round trip).
pub async fn open(db: &Db, caller: &Caller, case_number: &str) -> Result<CaseFile, AppError> {
    let case = find(db, caller, case_number).await?;
    record_view(db, caller, &case, "").await?;
    let response = async { store::response(db, case.id, current_round(&db.pool, case.id).await?).await };
    let transaction_ids = [case.transaction_id];
    let details = crate::transaction_details::store::details_of(db, &transaction_ids);
    let (transaction, mut details, checklist, response, documents, timeline, last_decision) = tokio::try_join!(
        store::card_transaction(db, case.transaction_id),
        details,
        store::checklist(db, case.id),
        response,
        documents(db, case.id),
        timeline(db, case.id),
        store::last_decision(db, case.id),
    )?;
    let (comments, submitted) = response.unwrap_or_default();
    let timeline = fold_views(timeline);
    let refusal = answer_refusal(caller, &case);
    let can_activate =
        !case.subscribed && caller.establishment(case.establishment_id).is_ok_and(|scope| scope.can_manage());
    let answerers = if refusal == Some(AnswerRefusal::LocalConfiguration) {
        store::answerers(db, case.establishment_id).await?
    } else {
        Vec::new()
    };
    Ok(CaseFile {
        reason: reason_codes::find(&case.reason_code),
        transaction_details: details.remove(&case.transaction_id),
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
        can_activate,
        is_analyst: caller.kind == UserKind::DisputeAnalyst,
    })
}

/// A document of a case the caller may see, unless it was removed: its name, type and where
/// its content is kept. Reading a document is a view of the case: the timeline records it too
/// (once an hour).
pub async fn open_document(db: &Db, caller: &Caller, case_number: &str, id: i64) -> Result<StoredDocument, AppError> {
    let case = find(db, caller, case_number).await?;
    let document = store::document_for_case(db, case.id, id).await?.ok_or(AppError::NotFound)?;
    record_view(db, caller, &case, &document.name).await?;
    Ok(document)
}

/// Records the caller's view of the case (`detail`: a document's name, or empty for the page)
/// once an hour; a view already recorded this hour is found by a read and takes no writer's turn.
async fn record_view(db: &Db, caller: &Caller, case: &Case, detail: &str) -> Result<(), AppError> {
    let now = crate::clock::now();
    if store::viewed_this_hour(db, case.id, caller.user_id, now, detail).await? {
        return Ok(());
    }
    let mut transaction = db.write().await?;
    let actor = actor(caller, case.establishment_id, &case.establishment_number);
    // Still conditional: another request of the same user may have recorded it meanwhile.
    store::record_view(&mut transaction, case.id, &actor, now, detail).await?;
    transaction.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: i64, who: &str, action: &str) -> TimelineEntry {
        TimelineEntry {
            at,
            actor: Some(who.to_owned()),
            role: "establishment_user".into(),
            scope: "9421000011".into(),
            action: action.into(),
            detail: String::new(),
            repeats: 0,
        }
    }

    #[test]
    fn one_users_views_one_after_the_other_are_folded() {
        let entries = vec![
            entry(1, "opera", "viewed"),
            entry(2, "opera", "viewed"),
            entry(3, "opera", "viewed"),
            entry(4, "lemaire.hq", "viewed"),
            entry(5, "opera", "draft_saved"),
            entry(6, "opera", "viewed"),
            entry(7, "opera", "draft_saved"),
            entry(8, "opera", "draft_saved"),
        ];
        let folded: Vec<(i64, i64)> = fold_views(entries).iter().map(|entry| (entry.at, entry.repeats)).collect();
        assert_eq!(folded, [(3, 2), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0)]);
    }
}
