//! The merchant's answers to a case: a response (comments, documents, the checklist ticked)
//! saved as a draft or submitted, a document removed from a draft, a full refund accepted, and
//! the bulk acceptance of up to 100 cases. Each write checks, on the server and in this order,
//! that the caller may see the case, may answer it, that it still waits for the merchant, that
//! its reply-by date has not passed and that the form is not stale; then it changes the case,
//! its timeline, its outbox rows and its adjustments in one transaction, or nothing.

use super::case::{self, answer_refusal, Actor, AnswerRefusal, Case};
use super::documents::MAX_PER_CASE;
use super::files::DocumentStore;
use super::state::{transition, Action, Stage, Status};
use super::store::{self, insert_event, insert_outbox, Adjustment, NewDocument};
use crate::accounts::caller::Caller;
use crate::accounts::model::Problem;
use crate::db::Db;
use crate::AppError;
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

/// Longest accepted comments.
pub const MAX_COMMENTS: usize = 10_000;
/// Most cases one bulk acceptance may name.
pub const MAX_BULK: usize = 100;

/// Why a write changed nothing: a problem the user can fix or understand (with the file or
/// case it concerns, if any), or an error.
#[derive(Debug)]
pub enum Refused {
    Problem(Problem, String),
    Error(AppError),
}

impl Refused {
    fn problem(problem: Problem) -> Refused {
        Refused::Problem(problem, String::new())
    }

    /// The same refusal, naming `subject` (the case of a bulk acceptance it concerns).
    fn about(self, subject: &str) -> Refused {
        match self {
            Refused::Problem(problem, _) => Refused::Problem(problem, subject.to_owned()),
            error => error,
        }
    }
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Refused {
        Refused::Error(error)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Refused {
        Refused::Error(error.into())
    }
}

/// The response form as sent.
#[derive(Debug, Clone, Default)]
pub struct ResponseForm {
    pub comments: String,
    /// The case's version the form was shown with.
    pub version: i64,
    /// Submit for review (otherwise save as draft).
    pub submit: bool,
    /// Set once per form shown: a retried or double-clicked submission carries the same key.
    pub idempotency_key: String,
    /// Checklist positions ticked.
    pub ticked: Vec<i64>,
    /// The form's files, already checked and stored (see `intake`).
    pub files: Vec<StoredFile>,
}

impl ResponseForm {
    /// Masks any card number typed in the comments or the files' names (see `cards`); whether
    /// there was one.
    pub fn mask_card_numbers(&mut self) -> bool {
        let (comments, mut masked) = crate::cards::mask_numbers(&self.comments);
        self.comments = comments;
        for file in &mut self.files {
            let (name, in_name) = crate::cards::mask_numbers(&file.name);
            file.name = name;
            masked |= in_name;
        }
        masked
    }
}

/// What a response did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responded {
    DraftSaved,
    Submitted,
    /// The same submission arrived again; it was applied once, before.
    AlreadySubmitted,
}

/// The checks every merchant answer makes before touching anything.
fn check_answerable(caller: &Caller, case: &Case, version: Option<i64>, today: NaiveDate) -> Result<(), Refused> {
    match answer_refusal(caller, case) {
        Some(AnswerRefusal::LocalConfiguration) => return Err(Refused::problem(Problem::AnsweredByEstablishment)),
        Some(AnswerRefusal::NetworkStaff) => return Err(Refused::problem(Problem::NotAllowed)),
        Some(AnswerRefusal::NotSubscribed) => return Err(Refused::problem(Problem::SubscriptionRequired)),
        None => {}
    }
    if !case.status.awaits_merchant() {
        return Err(Refused::problem(Problem::CaseNotOpen));
    }
    if case.reply_by < today {
        return Err(Refused::problem(Problem::DeadlinePassed));
    }
    if version.is_some_and(|version| version != case.version) {
        return Err(Refused::problem(Problem::StaleForm));
    }
    Ok(())
}

/// Moves the case by `action` if it still has `version`; otherwise the form was stale.
async fn advance(
    transaction: &mut Transaction<'_, Any>,
    case: &Case,
    action: Action,
    version: i64,
    now: i64,
) -> Result<Status, Refused> {
    let next = transition(case.stage, case.status, action).map_err(|_| Refused::problem(Problem::CaseNotOpen))?;
    let closed_at = next.is_closed().then_some(now);
    if !store::set_status(transaction, case.id, version, next, closed_at, None, now).await? {
        return Err(Refused::problem(Problem::StaleForm));
    }
    Ok(next)
}

/// Before the form's body is read: the case, if the caller may answer it now, and how many
/// documents it has.
pub async fn may_answer(
    db: &Db,
    caller: &Caller,
    case_number: &str,
    today: NaiveDate,
) -> Result<(Case, usize), Refused> {
    let case = case::find(db, caller, case_number).await?;
    check_answerable(caller, &case, None, today)?;
    let attached = case::documents(db, case.id).await?.len();
    Ok((case, attached))
}

/// Whether `key` is the idempotency key of the submission recorded for the case: a form sent
/// again after its answer was lost.
pub async fn was_submitted(db: &Db, caller: &Caller, case_number: &str, key: &str) -> Result<bool, AppError> {
    let case = case::find(db, caller, case_number).await?;
    Ok(store::case_of_submission(db, key).await? == Some(case.id))
}

/// Saves or submits the response of the case's current round. Its files are stored already:
/// unless the response is recorded with them, they are deleted again, so the case shows the
/// whole response or none of it.
pub async fn respond(
    db: &Db,
    files: &DocumentStore,
    caller: &Caller,
    case_number: &str,
    form: ResponseForm,
    today: NaiveDate,
) -> Result<Responded, Refused> {
    let answered = respond_with_stored(db, caller, case_number, &form, today).await;
    if !matches!(answered, Ok(Responded::DraftSaved | Responded::Submitted)) {
        discard(files, &form.files).await;
    }
    answered
}

async fn respond_with_stored(
    db: &Db,
    caller: &Caller,
    case_number: &str,
    form: &ResponseForm,
    today: NaiveDate,
) -> Result<Responded, Refused> {
    let case = case::find(db, caller, case_number).await?;
    if form.submit && !form.idempotency_key.is_empty() {
        if store::case_of_submission(db, &form.idempotency_key).await? == Some(case.id) {
            return Ok(Responded::AlreadySubmitted);
        }
    }
    check_answerable(caller, &case, Some(form.version), today)?;
    if form.comments.chars().count() > MAX_COMMENTS {
        return Err(Refused::problem(Problem::CommentsTooLong));
    }
    let attached = case::documents(db, case.id).await?.len();
    if attached + form.files.len() > MAX_PER_CASE {
        return Err(Refused::problem(Problem::TooManyFiles));
    }
    if form.submit && form.comments.trim().is_empty() && attached + form.files.len() == 0 {
        return Err(Refused::problem(Problem::EmptyResponse));
    }
    let actor = case::actor(caller, case.establishment_id, &case.establishment_number);
    write_response(db, caller, &case, &actor, form, &form.files).await
}

/// A document stored for the response, not yet recorded.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub key: String,
    /// Its sanitised name.
    pub name: String,
    pub mime: &'static str,
    pub size: i64,
    pub digest: String,
}

/// Deletes stored files that no response recorded.
pub async fn discard(store: &DocumentStore, stored: &[StoredFile]) {
    for file in stored {
        if let Err(error) = store.delete(&file.key).await {
            tracing::warn!(%error, key = file.key, "could not delete an uncommitted document");
        }
    }
}

async fn write_response(
    db: &Db,
    caller: &Caller,
    case: &Case,
    actor: &Actor,
    form: &ResponseForm,
    stored: &[StoredFile],
) -> Result<Responded, Refused> {
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let current = case::lock(db, &mut transaction, case.id).await?;
    if current.version != form.version {
        return Err(Refused::problem(Problem::StaleForm));
    }
    let round = case::current_round(&mut **transaction, case.id).await?;
    let response_id =
        store::save_response(&mut transaction, case.id, round, &form.comments, caller.user_id, now).await?;
    for file in stored {
        let document = NewDocument {
            dispute: case.id,
            response: response_id,
            uploaded_by: caller.user_id,
            original_name: &file.name,
            storage_key: &file.key,
            content_type: file.mime,
            size_bytes: file.size,
            sha256: &file.digest,
        };
        store::insert_document(&mut transaction, &document, now).await?;
        insert_event(&mut transaction, case.id, actor, now, "document_added", &file.name).await?;
    }
    store::tick_checklist(&mut transaction, case.id, &form.ticked).await?;
    let outcome = if form.submit {
        let key = (!form.idempotency_key.is_empty()).then_some(form.idempotency_key.as_str());
        store::mark_response_submitted(&mut transaction, response_id, key, now).await?;
        advance(&mut transaction, &current, Action::Submit, form.version, now).await?;
        insert_event(&mut transaction, case.id, actor, now, "submitted", "").await?;
        insert_outbox(&mut transaction, "case_update", "submitted", case.establishment_id, case.id, actor, now).await?;
        Responded::Submitted
    } else {
        advance(&mut transaction, &current, Action::SaveDraft, form.version, now).await?;
        insert_event(&mut transaction, case.id, actor, now, "draft_saved", "").await?;
        if current.status != Status::DraftSaved {
            insert_outbox(&mut transaction, "case_update", "draft_saved", case.establishment_id, case.id, actor, now)
                .await?;
        }
        Responded::DraftSaved
    };
    transaction.commit().await?;
    Ok(outcome)
}

/// Removes a document from the current draft (a submitted one stays).
pub async fn remove_document(
    db: &Db,
    files: &DocumentStore,
    caller: &Caller,
    case_number: &str,
    document_id: i64,
    version: i64,
    today: NaiveDate,
) -> Result<(), Refused> {
    let case = case::find(db, caller, case_number).await?;
    check_answerable(caller, &case, Some(version), today)?;
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let removed = store::remove_draft_document(&mut transaction, case.id, document_id, now)
        .await?
        .ok_or(Refused::Error(AppError::NotFound))?;
    if !store::bump_version(&mut transaction, case.id, version, now).await? {
        return Err(Refused::problem(Problem::StaleForm));
    }
    let actor = case::actor(caller, case.establishment_id, &case.establishment_number);
    insert_event(&mut transaction, case.id, &actor, now, "document_removed", &removed.name).await?;
    transaction.commit().await?;
    // The row stays for the timeline; the file goes (a removed document no longer counts
    // toward the case's 20).
    if let Err(error) = files.delete(&removed.key).await {
        tracing::warn!(%error, key = removed.key, "could not delete a removed document");
    }
    Ok(())
}

/// Accepts a full refund to the cardholder on one case (the caller confirmed).
pub async fn accept(
    db: &Db,
    caller: &Caller,
    case_number: &str,
    version: i64,
    today: NaiveDate,
) -> Result<(), Refused> {
    let case = case::find(db, caller, case_number).await?;
    check_answerable(caller, &case, Some(version), today)?;
    let mut transaction = db.write().await?;
    accept_in(db, &mut transaction, caller, &case, Some(version)).await?;
    transaction.commit().await?;
    Ok(())
}

/// Accepts every named case, or none: the first that cannot be accepted is named.
pub async fn accept_many(
    db: &Db,
    caller: &Caller,
    case_numbers: &[String],
    today: NaiveDate,
) -> Result<usize, Refused> {
    if case_numbers.is_empty() {
        return Err(Refused::problem(Problem::NoCaseSelected));
    }
    if case_numbers.len() > MAX_BULK {
        return Err(Refused::problem(Problem::TooManyCases));
    }
    let mut cases = Vec::new();
    for number in case_numbers {
        // A case the caller cannot see is named like one that cannot be accepted; a database
        // error stays an error.
        let case = case::find(db, caller, number).await.map_err(|error| match error {
            AppError::NotFound => Refused::Problem(Problem::CaseNotOpen, number.clone()),
            error => Refused::Error(error),
        })?;
        check_answerable(caller, &case, None, today).map_err(|refused| refused.about(number))?;
        if !cases.iter().any(|known: &Case| known.id == case.id) {
            cases.push(case);
        }
    }
    let mut transaction = db.write().await?;
    for case in &cases {
        accept_in(db, &mut transaction, caller, case, None)
            .await
            .map_err(|refused| refused.about(&case.case_number))?;
    }
    transaction.commit().await?;
    Ok(cases.len())
}

/// The acceptance itself, inside the caller's transaction. An inquiry's refund is debited now;
/// a chargeback's amount was debited when it opened, so only a chargeback without that debit
/// gets one.
async fn accept_in(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    caller: &Caller,
    case: &Case,
    version: Option<i64>,
) -> Result<(), Refused> {
    let now = crate::clock::now();
    let current = case::lock(db, transaction, case.id).await?;
    let version = version.unwrap_or(current.version);
    advance(transaction, &current, Action::Accept, version, now).await?;
    if case.stage == Stage::Inquiry || !store::is_debited(transaction, case.id).await? {
        let refund = Adjustment {
            establishment: case.establishment_id,
            dispute: case.id,
            kind: "refund_accepted",
            amount: -case.amount,
            currency: &case.currency,
            label: format!("Remboursement accepté {}", case.case_number),
        };
        store::insert_adjustment(transaction, refund, now).await?;
    }
    let actor = case::actor(caller, case.establishment_id, &case.establishment_number);
    insert_event(transaction, case.id, &actor, now, "accepted", "").await?;
    insert_outbox(transaction, "case_update", "accepted", case.establishment_id, case.id, &actor, now).await?;
    Ok(())
}
