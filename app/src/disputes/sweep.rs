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
use super::model::Actor;
use super::reason_codes::NO_REPLY;
use super::state::{moves, Action, Stage, Status};
use super::store::{self, insert_event, insert_outbox, Adjustment, Claimed, NewCaseRow};
use crate::db::Db;
use chrono::{Datelike, NaiveDate};
use sqlx::{Any, Transaction};

/// What one sweep changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub expired_inquiries: u64,
    pub expired_chargebacks: u64,
    pub marked_urgent: u64,
}

/// Which cases a rule changes, one batch at a time.
#[derive(Debug, Clone, Copy)]
enum Claim {
    /// Cases of this stage past their reply-by date, moved as the state machine says the
    /// deadline passing moves them.
    Overdue(Stage),
    /// Cases awaiting the merchant that enter the urgent window, marked once.
    Urgent,
}

/// Claims one batch of the cases `claim` names: the ones this call changed.
async fn claim(
    db: &Db,
    transaction: &mut Transaction<'_, Any>,
    claim: Claim,
    today: NaiveDate,
    now: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    match claim {
        Claim::Overdue(stage) => {
            let moves = moves(stage, Action::DeadlinePassed);
            let closes = moves.iter().all(|(_, to)| to.is_closed());
            store::claim_overdue(db, transaction, stage, &moves, closes, today, now).await
        }
        Claim::Urgent => {
            let awaiting: Vec<Status> = Status::ALL.into_iter().filter(|status| status.awaits_merchant()).collect();
            let last_urgent_day = today + chrono::Duration::days(URGENT_DAYS);
            store::claim_urgent(db, transaction, &awaiting, today, last_urgent_day, now).await
        }
    }
}

/// Expires one batch of overdue inquiries and opens their R13 chargebacks; how many.
async fn expire_inquiries(db: &Db, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    let system = Actor::system();
    let mut transaction = db.write().await?;
    let claimed = claim(db, &mut transaction, Claim::Overdue(Stage::Inquiry), today, now).await?;
    let reply_by = default_reply_by(today);
    for inquiry in &claimed {
        let case_number = format!("LIT-{}-R13-{:07}", today.year(), inquiry.id);
        let r13 = NewCaseRow {
            case_number: &case_number,
            establishment: inquiry.establishment_id,
            transaction: inquiry.transaction_id,
            parent: Some(inquiry.id),
            stage: Stage::Chargeback,
            status: Status::OPENED,
            reason_code: NO_REPLY,
            amount: inquiry.amount,
            currency: &inquiry.currency,
            reply_by,
        };
        let chargeback = store::insert_case(&mut transaction, &r13, now).await?;
        let debit = Adjustment {
            establishment: inquiry.establishment_id,
            dispute: chargeback,
            kind: "chargeback",
            amount: -inquiry.amount,
            currency: &inquiry.currency,
            label: format!("Débit compensatoire {case_number}"),
        };
        store::insert_adjustment(&mut transaction, debit, now).await?;
        let detail = format!("R13: chargeback {case_number}");
        insert_event(&mut transaction, inquiry.id, &system, now, "expired", &detail).await?;
        let detail = format!("R13: inquiry {} unanswered", inquiry.case_number);
        insert_event(&mut transaction, chargeback, &system, now, "opened", &detail).await?;
        insert_outbox(&mut transaction, "new_chargeback", "opened", inquiry.establishment_id, chargeback, &system, now)
            .await?;
    }
    transaction.commit().await?;
    Ok(claimed.len() as u64)
}

/// A rule that only changes the case: which cases, and what to record.
struct Rule {
    claim: Claim,
    /// Timeline action and detail.
    event: (&'static str, &'static str),
    /// Outbox category and event.
    notify: (&'static str, &'static str),
}

/// Applies `rule` to one batch, with each case's event and outbox row; how many cases changed.
async fn apply(db: &Db, rule: &Rule, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    let system = Actor::system();
    let mut transaction = db.write().await?;
    let claimed = claim(db, &mut transaction, rule.claim, today, now).await?;
    for case in &claimed {
        insert_event(&mut transaction, case.id, &system, now, rule.event.0, rule.event.1).await?;
        insert_outbox(&mut transaction, rule.notify.0, rule.notify.1, case.establishment_id, case.id, &system, now)
            .await?;
    }
    transaction.commit().await?;
    Ok(claimed.len() as u64)
}

/// Overdue chargebacks expire, closed in the cardholder's favour.
const EXPIRED_CHARGEBACKS: Rule = Rule {
    claim: Claim::Overdue(Stage::Chargeback),
    event: ("expired", "unanswered: closed in the cardholder's favour"),
    notify: ("case_update", "expired"),
};

/// Cases entering the urgent window are marked, once.
const URGENT_CASES: Rule = Rule { claim: Claim::Urgent, event: ("urgent", ""), notify: ("urgent_case", "urgent") };

/// Runs every rule until nothing is left to change for `today`.
pub async fn sweep(db: &Db, today: NaiveDate) -> Result<SweepReport, sqlx::Error> {
    let mut report = SweepReport::default();
    loop {
        let now = crate::clock::now();
        let inquiries = expire_inquiries(db, today, now).await?;
        let chargebacks = apply(db, &EXPIRED_CHARGEBACKS, today, now).await?;
        let urgent = apply(db, &URGENT_CASES, today, now).await?;
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
