//! The deadline sweep, run by a background worker (and safe with several server instances on
//! one PostgreSQL): past its reply-by date an unanswered inquiry expires and becomes exactly one
//! R13 chargeback (its amount debited as an adjustment); an unanswered chargeback expires,
//! closed in the cardholder's favour; a case entering the urgent window is marked once. Each
//! change writes its timeline event and its notification outbox row in the same transaction.
//!
//! Exclusivity comes from the guarded update: a case is changed only by the statement that
//! still finds it awaiting the merchant, so a second instance finds nothing left to do (and the
//! unique index on `parent_dispute_id` would refuse a second R13 anyway).

use super::deadline::{default_reply_by, URGENT_DAYS};
use super::record::{adjustment, event, outbox, Actor, Adjustment};
use super::state::{moves, Action, Stage, Status};
use crate::db::{Db, Engine};
use chrono::{Datelike, NaiveDate};
use sqlx::{Any, Transaction};

/// Cases changed in one transaction.
const BATCH: i64 = 200;

/// What the state machine says passing the reply-by date does to a case of `stage`: the SQL
/// setting each status it may leave to the status it goes to (with `closed_at = $2` when that
/// closes the case), and the condition naming those statuses.
fn deadline_passed(stage: Stage) -> (String, String) {
    let moves = moves(stage, Action::DeadlinePassed);
    let arms: String =
        moves.iter().map(|(from, to)| format!(" WHEN '{}' THEN '{}'", from.as_str(), to.as_str())).collect();
    let closes = moves.iter().all(|(_, to)| to.is_closed());
    let set = format!("status = CASE status{arms} END{}", if closes { ", closed_at = $2" } else { "" });
    let from = Status::sql_list(|status| moves.iter().any(|(from, _)| *from == status));
    (set, format!("stage = '{}' AND status IN {from} AND reply_by < $1", stage.as_str()))
}

/// What one sweep changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub expired_inquiries: u64,
    pub expired_chargebacks: u64,
    pub marked_urgent: u64,
}

/// One case a guarded update claimed.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    establishment_id: i64,
    transaction_id: i64,
    #[sqlx(rename = "disputed_amount")]
    amount: i64,
    currency: String,
    case_number: String,
}

/// Applies `set` to up to [`BATCH`] cases matching `condition` (`$1` is today, `$2` now) and
/// returns the ones this call changed. On PostgreSQL rows another instance holds are skipped;
/// the condition is checked again on the locked row, so a case changes only once.
async fn claim(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    set: &str,
    condition: &str,
    binds: (&str, i64),
) -> Result<Vec<Claimed>, sqlx::Error> {
    let skip_locked = if db.engine == Engine::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE disputes SET {set}, version = version + 1, updated_at = $2 \
         WHERE id IN (SELECT id FROM disputes WHERE {condition} ORDER BY id LIMIT {BATCH}{skip_locked}) AND {condition} \
         RETURNING id, establishment_id, transaction_id, disputed_amount, currency, case_number"
    );
    sqlx::query_as(&sql).bind(binds.0).bind(binds.1).fetch_all(&mut **transaction).await
}

/// Expires one batch of overdue inquiries and opens their R13 chargebacks; how many.
async fn expire_inquiries(db: &Db, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    let system = Actor::system();
    let mut transaction = db.write().await?;
    let (set, condition) = deadline_passed(Stage::Inquiry);
    let claimed = claim(db, &mut transaction, &set, &condition, (&today.to_string(), now)).await?;
    let reply_by = default_reply_by(today).to_string();
    let r13 = format!(
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, parent_dispute_id, stage, status, reason_code, \
             disputed_amount, currency, opened_at, reply_by, version, updated_at) \
         VALUES ($1, $2, $3, $4, '{}', '{}', 'R13', $5, $6, $7, $8, 0, $7) RETURNING id",
        Stage::Chargeback.as_str(),
        Status::OPENED.as_str()
    );
    for inquiry in &claimed {
        let case_number = format!("LIT-{}-R13-{:07}", today.year(), inquiry.id);
        let chargeback: i64 = sqlx::query_scalar(&r13)
            .bind(&case_number)
            .bind(inquiry.establishment_id)
            .bind(inquiry.transaction_id)
            .bind(inquiry.id)
            .bind(inquiry.amount)
            .bind(&inquiry.currency)
            .bind(now)
            .bind(&reply_by)
            .fetch_one(&mut **transaction)
            .await?;
        let debit = Adjustment {
            establishment: inquiry.establishment_id,
            dispute: chargeback,
            kind: "chargeback",
            amount: -inquiry.amount,
            currency: &inquiry.currency,
            label: format!("Débit compensatoire {case_number}"),
        };
        adjustment(&mut transaction, debit, now).await?;
        event(&mut transaction, inquiry.id, &system, now, "expired", &format!("R13: chargeback {case_number}")).await?;
        let detail = format!("R13: inquiry {} unanswered", inquiry.case_number);
        event(&mut transaction, chargeback, &system, now, "opened", &detail).await?;
        outbox(&mut transaction, "new_chargeback", "opened", inquiry.establishment_id, chargeback, &system, now)
            .await?;
    }
    transaction.commit().await?;
    Ok(claimed.len() as u64)
}

/// A rule that only changes the case: what to set, on which cases, and what to record.
struct Rule {
    set: String,
    condition: String,
    /// Timeline action and detail.
    event: (&'static str, &'static str),
    /// Outbox category and event.
    notify: (&'static str, &'static str),
}

/// Applies `rule` to one batch, with each case's event and outbox row; how many cases changed.
async fn apply(db: &Db, rule: &Rule, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    let system = Actor::system();
    let mut transaction = db.write().await?;
    let claimed = claim(db, &mut transaction, &rule.set, &rule.condition, (&today.to_string(), now)).await?;
    for case in &claimed {
        event(&mut transaction, case.id, &system, now, rule.event.0, rule.event.1).await?;
        outbox(&mut transaction, rule.notify.0, rule.notify.1, case.establishment_id, case.id, &system, now).await?;
    }
    transaction.commit().await?;
    Ok(claimed.len() as u64)
}

/// Overdue chargebacks expire, closed in the cardholder's favour.
fn expired_chargebacks() -> Rule {
    let (set, condition) = deadline_passed(Stage::Chargeback);
    Rule {
        set,
        condition,
        event: ("expired", "unanswered: closed in the cardholder's favour"),
        notify: ("case_update", "expired"),
    }
}

/// Cases entering the urgent window are marked, once.
fn urgent_cases(today: NaiveDate) -> Rule {
    let last_urgent_day = today + chrono::Duration::days(URGENT_DAYS);
    Rule {
        set: "urgent_marked_at = $2".into(),
        condition: format!(
            "status IN {} AND urgent_marked_at IS NULL AND reply_by >= $1 AND reply_by <= '{last_urgent_day}'",
            Status::sql_list(Status::awaits_merchant)
        ),
        event: ("urgent", ""),
        notify: ("urgent_case", "urgent"),
    }
}

/// Runs every rule until nothing is left to change for `today`.
pub async fn sweep(db: &Db, today: NaiveDate) -> Result<SweepReport, sqlx::Error> {
    let mut report = SweepReport::default();
    loop {
        let now = crate::clock::now();
        let inquiries = expire_inquiries(db, today, now).await?;
        let chargebacks = apply(db, &expired_chargebacks(), today, now).await?;
        let urgent = apply(db, &urgent_cases(today), today, now).await?;
        report.expired_inquiries += inquiries;
        report.expired_chargebacks += chargebacks;
        report.marked_urgent += urgent;
        if inquiries + chargebacks + urgent == 0 {
            return Ok(report);
        }
    }
}

/// Every `DEADLINE_SWEEP_SECONDS`: the deadline sweep for today in Paris (expired inquiries
/// become R13 chargebacks, unanswered chargebacks expire, urgent cases are marked). Several
/// instances may run it on one PostgreSQL.
pub async fn run(db: Db, period: std::time::Duration) {
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match sweep(&db, crate::clock::paris_today()).await {
            Ok(report) if report != Default::default() => tracing::info!(?report, "deadline sweep"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "deadline sweep failed; retried next minute"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_moves_come_from_the_state_machine() {
        let (set, condition) = deadline_passed(Stage::Inquiry);
        assert_eq!(
            set,
            "status = CASE status WHEN 'needs_response' THEN 'expired' WHEN 'draft_saved' THEN 'expired' \
             WHEN 'info_requested' THEN 'expired' END, closed_at = $2"
        );
        assert_eq!(
            condition,
            "stage = 'inquiry' AND status IN ('needs_response', 'draft_saved', 'info_requested') AND reply_by < $1"
        );
        assert!(deadline_passed(Stage::Chargeback).1.starts_with("stage = 'chargeback' AND"));
    }
}
