//! The dispute team's back office: the queue of submitted responses, decisions (the merchant
//! wins: a chargeback's debit is reversed by a credit; the cardholder wins: the amount is debited
//! if it was not already), requests for more information with a new reply-by date, and new
//! inquiries or chargebacks opened on any transaction. Only dispute analysts reach these.

use super::answer::Refused;
use super::case::{self, Case};
use super::deadline;
use super::reason_codes::{self, CodeKind};
use super::record::{adjustment, event, is_debited, outbox, Actor, Adjustment};
use super::state::{transition, Action, Stage, Status};
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

/// One submitted response waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub case_number: String,
    #[sqlx(rename = "trading_name")]
    pub establishment: String,
    #[sqlx(try_from = "String")]
    pub stage: Stage,
    pub reason_code: String,
    #[sqlx(rename = "disputed_amount")]
    pub amount: i64,
    pub currency: String,
    pub submitted_at: Option<i64>,
}

/// The charge a new case is opened on, with its establishment's number and language.
#[derive(sqlx::FromRow)]
struct ChargeRow {
    id: i64,
    establishment_id: i64,
    amount: i64,
    currency: String,
    language: String,
    number: String,
}

/// Submitted responses, the longest waiting first (at most 200).
pub async fn queue(db: &Db, caller: &Caller) -> Result<Vec<ReviewRow>, AppError> {
    require_analyst(caller)?;
    let rows = sqlx::query_as(
        "SELECT d.case_number, e.trading_name, d.stage, d.reason_code, d.disputed_amount, d.currency, \
             (SELECT MAX(r.submitted_at) FROM responses r WHERE r.dispute_id = d.id) AS submitted_at \
         FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE d.status = $1 ORDER BY d.updated_at, d.id LIMIT 200",
    )
    .bind(Status::UnderReview.as_str())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows)
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
        Verdict::MoreInformation(date) => ("info_requested", Some(date.to_string())),
    };
    // A request for more information restarts the clock: new date, urgent window not yet entered.
    let reply_by = if new_reply_by.is_some() { ", reply_by = $5, urgent_marked_at = NULL" } else { "" };
    let sql = format!(
        "UPDATE disputes SET status = $1, closed_at = $2, version = version + 1, updated_at = $3{reply_by} \
         WHERE id = $4 AND version = {version}"
    );
    let mut update =
        sqlx::query(&sql).bind(next.as_str()).bind(next.is_closed().then_some(now)).bind(now).bind(case.id);
    if let Some(date) = &new_reply_by {
        update = update.bind(date);
    }
    let changed = update.execute(&mut **transaction).await?;
    if changed.rows_affected() != 1 {
        return Err(Refused::Problem(Problem::StaleForm, String::new()));
    }
    sqlx::query(
        "INSERT INTO decisions (dispute_id, analyst_user_id, outcome, note, new_reply_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case.id)
    .bind(caller.user_id)
    .bind(outcome)
    .bind(note)
    .bind(new_reply_by.as_deref())
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    settle(&mut transaction, &case, verdict, now).await?;
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    let (action, detail) = match verdict {
        Verdict::MoreInformation(date) => ("info_requested", format!("{date}: {note}")),
        _ => ("decided", format!("{outcome}: {note}")),
    };
    event(&mut transaction, case.id, &actor, now, action, &detail).await?;
    outbox(&mut transaction, "case_update", action, case.establishment_id, case.id, &actor, now).await?;
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
    let was_debited = is_debited(transaction, case.id).await?;
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
    adjustment(transaction, entry, now).await
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
    let charge: ChargeRow = sqlx::query_as(
        "SELECT t.id, t.establishment_id, t.amount, t.currency, e.language, e.number FROM transactions t \
         JOIN establishments e ON e.id = t.establishment_id WHERE t.reference = $1 AND t.kind = 'charge' ORDER BY t.id LIMIT 1",
    )
    .bind(new.reference.trim())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Refused::Problem(Problem::TransactionNotFound, "reference".into()))?;
    let ChargeRow { id: transaction_id, establishment_id: establishment, amount: charged, currency, language, number } =
        charge;
    let locale = crate::format::locale(&language);
    let amount = new.amount.unwrap_or(charged);
    if amount <= 0 || amount > charged {
        return Err(Refused::Problem(Problem::AmountInvalid, "amount".into()));
    }
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let provisional = format!("NEW-{}", crate::accounts::tokens::new_secret());
    let sql = format!(
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, stage, status, reason_code, \
             disputed_amount, currency, opened_at, reply_by, version, updated_at) \
         VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8, $9, 0, $8) RETURNING id",
        Status::OPENED.as_str()
    );
    let id: i64 = sqlx::query_scalar(&sql)
        .bind(&provisional)
        .bind(establishment)
        .bind(transaction_id)
        .bind(new.stage.as_str())
        .bind(reason.code)
        .bind(amount)
        .bind(&currency)
        .bind(now)
        .bind(new.reply_by.to_string())
        .fetch_one(&mut **transaction)
        .await?;
    let case_number = format!("LIT-{}-{id:07}", today.year());
    sqlx::query("UPDATE disputes SET case_number = $1 WHERE id = $2")
        .bind(&case_number)
        .bind(id)
        .execute(&mut **transaction)
        .await?;
    for (position, description) in reason.document_list(locale).into_iter().enumerate() {
        sqlx::query(
            "INSERT INTO requested_documents (dispute_id, position, description, ticked) VALUES ($1, $2, $3, FALSE)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(description)
        .execute(&mut **transaction)
        .await?;
    }
    if new.stage == Stage::Chargeback {
        let debit = Adjustment {
            establishment,
            dispute: id,
            kind: "chargeback",
            amount: -amount,
            currency: &currency,
            label: format!("Débit litige {case_number}"),
        };
        adjustment(&mut transaction, debit, now).await?;
    }
    let actor = Actor::of(caller, establishment, &number);
    event(&mut transaction, id, &actor, now, "opened", reason.code).await?;
    let category = if new.stage == Stage::Inquiry { "new_inquiry" } else { "new_chargeback" };
    outbox(&mut transaction, category, "opened", establishment, id, &actor, now).await?;
    transaction.commit().await?;
    Ok(case_number)
}

/// Reads a reply-by date typed in a form.
pub fn parse_reply_by(text: &str) -> Option<NaiveDate> {
    deadline::parse(text.trim())
}
