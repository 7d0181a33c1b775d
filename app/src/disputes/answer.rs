//! The merchant's answers to a case: a response (comments, documents, the checklist ticked)
//! saved as a draft or submitted, a document removed from a draft, a full refund accepted, and
//! the bulk acceptance of up to 100 cases. Each write checks, on the server and in this order,
//! that the caller may see the case, may answer it, that it still waits for the merchant, that
//! its reply-by date has not passed and that the form is not stale; then it changes the case,
//! its timeline, its outbox rows and its adjustments in one transaction, or nothing.

use super::case::{self, answer_refusal, AnswerRefusal, Case};
use super::documents::{self, UploadProblem};
use super::files::DocumentStore;
use super::record::{adjustment, event, is_debited, outbox, Actor, Adjustment};
use super::state::{transition, Action, Stage, Status};
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

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub content: Vec<u8>,
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
    pub files: Vec<Upload>,
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
    match answer_refusal(caller, case.establishment_id) {
        Some(AnswerRefusal::LocalConfiguration) => return Err(Refused::problem(Problem::AnsweredByEstablishment)),
        Some(AnswerRefusal::NetworkStaff) => return Err(Refused::problem(Problem::NotAllowed)),
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
    let changed = sqlx::query(
        "UPDATE disputes SET status = $1, closed_at = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 AND version = $5",
    )
    .bind(next.as_str())
    .bind(closed_at)
    .bind(now)
    .bind(case.id)
    .bind(version)
    .execute(&mut **transaction)
    .await?;
    if changed.rows_affected() != 1 {
        return Err(Refused::problem(Problem::StaleForm));
    }
    Ok(next)
}

/// The files' checks, all before anything is stored: (sanitised name, type, content).
fn check_files(files: Vec<Upload>, attached: usize) -> Result<Vec<(String, &'static str, Vec<u8>)>, Refused> {
    let mut checked = Vec::new();
    for (index, file) in files.into_iter().enumerate() {
        let kind = documents::check(&file.content, attached + index).map_err(|problem| {
            let problem = match problem {
                UploadProblem::Empty => Problem::FileEmpty,
                UploadProblem::TooLarge => Problem::FileTooLarge,
                UploadProblem::WrongType => Problem::FileWrongType,
                UploadProblem::TooMany => Problem::TooManyFiles,
            };
            Refused::Problem(problem, file.name.clone())
        })?;
        checked.push((documents::safe_name(&file.name, kind), kind.mime(), file.content));
    }
    Ok(checked)
}

/// Saves or submits the response of the case's current round.
pub async fn respond(
    db: &Db,
    store: &DocumentStore,
    caller: &Caller,
    case_number: &str,
    mut form: ResponseForm,
    today: NaiveDate,
) -> Result<Responded, Refused> {
    let case = case::find(db, caller, case_number).await?;
    if form.submit && !form.idempotency_key.is_empty() {
        let earlier: Option<i64> = sqlx::query_scalar("SELECT dispute_id FROM responses WHERE idempotency_key = $1")
            .bind(&form.idempotency_key)
            .fetch_optional(&db.pool)
            .await?;
        if earlier == Some(case.id) {
            return Ok(Responded::AlreadySubmitted);
        }
    }
    check_answerable(caller, &case, Some(form.version), today)?;
    if form.comments.chars().count() > MAX_COMMENTS {
        return Err(Refused::problem(Problem::CommentsTooLong));
    }
    let attached = case::documents(db, case.id).await?.len();
    let files = check_files(std::mem::take(&mut form.files), attached)?;
    if form.submit && form.comments.trim().is_empty() && attached + files.len() == 0 {
        return Err(Refused::problem(Problem::EmptyResponse));
    }

    // The files first, outside the transaction; if the transaction does not commit they are
    // deleted again, so the case shows the whole response or none of it.
    let mut stored = Vec::new();
    for (name, mime, content) in files {
        let key = DocumentStore::new_key(case.id);
        let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&content));
        let size = content.len() as i64;
        if let Err(error) = store.put(&key, content).await {
            tracing::error!(%error, "storing a document");
            discard(store, &stored).await;
            return Err(AppError::Internal.into());
        }
        stored.push(StoredFile { key, name, mime, size, digest });
    }
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    let written = write_response(db, caller, &case, &actor, &form, &stored).await;
    if written.is_err() {
        discard(store, &stored).await;
    }
    written
}

struct StoredFile {
    key: String,
    name: String,
    mime: &'static str,
    size: i64,
    digest: String,
}

async fn discard(store: &DocumentStore, stored: &[StoredFile]) {
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
    let round = case::current_round(&mut transaction, case.id).await?;
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM responses WHERE dispute_id = $1 AND round = $2")
        .bind(case.id)
        .bind(round)
        .fetch_optional(&mut **transaction)
        .await?;
    let response_id =
        match existing {
            Some(id) => {
                sqlx::query("UPDATE responses SET comments = $1, author_user_id = $2, updated_at = $3 WHERE id = $4")
                    .bind(&form.comments)
                    .bind(caller.user_id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut **transaction)
                    .await?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO responses (dispute_id, round, state, comments, author_user_id, created_at, updated_at) \
                 VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id",
            )
            .bind(case.id)
            .bind(round)
            .bind(&form.comments)
            .bind(caller.user_id)
            .bind(now)
            .fetch_one(&mut **transaction)
            .await?,
        };
    for file in stored {
        sqlx::query(
            "INSERT INTO documents (dispute_id, response_id, uploaded_by, original_name, storage_key, content_type, \
                 size_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(case.id)
        .bind(response_id)
        .bind(caller.user_id)
        .bind(&file.name)
        .bind(&file.key)
        .bind(file.mime)
        .bind(file.size)
        .bind(&file.digest)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
        event(&mut transaction, case.id, actor, now, "document_added", &file.name).await?;
    }
    // Positions are numbers parsed by the handler; only they are formatted into the SQL.
    let ticked = form.ticked.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let ticked_sql = if ticked.is_empty() { "FALSE".to_owned() } else { format!("position IN ({ticked})") };
    sqlx::query(&format!(
        "UPDATE requested_documents SET ticked = CASE WHEN {ticked_sql} THEN TRUE ELSE FALSE END WHERE dispute_id = $1"
    ))
    .bind(case.id)
    .execute(&mut **transaction)
    .await?;
    let outcome = if form.submit {
        let key = (!form.idempotency_key.is_empty()).then_some(form.idempotency_key.as_str());
        sqlx::query("UPDATE responses SET state = 'submitted', submitted_at = $1, idempotency_key = $2 WHERE id = $3")
            .bind(now)
            .bind(key)
            .bind(response_id)
            .execute(&mut **transaction)
            .await?;
        advance(&mut transaction, &current, Action::Submit, form.version, now).await?;
        event(&mut transaction, case.id, actor, now, "submitted", "").await?;
        outbox(&mut transaction, "case_update", "submitted", case.establishment_id, case.id, actor, now).await?;
        Responded::Submitted
    } else {
        advance(&mut transaction, &current, Action::SaveDraft, form.version, now).await?;
        event(&mut transaction, case.id, actor, now, "draft_saved", "").await?;
        if current.status != Status::DraftSaved {
            outbox(&mut transaction, "case_update", "draft_saved", case.establishment_id, case.id, actor, now).await?;
        }
        Responded::DraftSaved
    };
    transaction.commit().await?;
    Ok(outcome)
}

/// Removes a document from the current draft (a submitted one stays).
pub async fn remove_document(
    db: &Db,
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
    let name: Option<String> = sqlx::query_scalar(
        "UPDATE documents SET removed_at = $1 WHERE id = $2 AND dispute_id = $3 AND removed_at IS NULL \
             AND response_id IN (SELECT id FROM responses WHERE state = 'draft') RETURNING original_name",
    )
    .bind(now)
    .bind(document_id)
    .bind(case.id)
    .fetch_optional(&mut **transaction)
    .await?;
    let name = name.ok_or(Refused::Error(AppError::NotFound))?;
    let changed =
        sqlx::query("UPDATE disputes SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
            .bind(now)
            .bind(case.id)
            .bind(version)
            .execute(&mut **transaction)
            .await?;
    if changed.rows_affected() != 1 {
        return Err(Refused::problem(Problem::StaleForm));
    }
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    event(&mut transaction, case.id, &actor, now, "document_removed", &name).await?;
    transaction.commit().await?;
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
    if case.stage == Stage::Inquiry || !is_debited(transaction, case.id).await? {
        let refund = Adjustment {
            establishment: case.establishment_id,
            dispute: case.id,
            kind: "refund_accepted",
            amount: -case.amount,
            currency: &case.currency,
            label: format!("Remboursement accepté {}", case.case_number),
        };
        adjustment(transaction, refund, now).await?;
    }
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    event(transaction, case.id, &actor, now, "accepted", "").await?;
    outbox(transaction, "case_update", "accepted", case.establishment_id, case.id, &actor, now).await?;
    Ok(())
}
