//! Reporting files for finance teams: the payments of a range (and every pending one), and the
//! same with reconciliation — each payment followed by the submissions it pays, their
//! transactions, its fees and the adjustments it settles, so each payment's net amount can be
//! traced to the card transactions behind it.

use super::export::{self, Sink, WriteError};
use super::filter::{decimal, Range};
use super::transactions;
use crate::db::Db;
use futures::TryStreamExt;
use sqlx::Row;

pub const PAYMENTS_HEADER: [&str; 8] =
    ["payment", "status", "date", "submission_amount", "fees_and_incentives", "adjustments", "net_amount", "currency"];

pub const RECONCILIATION_HEADER: [&str; 11] = [
    "record",
    "payment",
    "date",
    "reference",
    "card",
    "type",
    "amount",
    "currency",
    "installment_plan",
    "installments",
    "case",
];

/// Writes the file; see the module's documentation.
pub async fn write_payments(
    db: &Db,
    establishment: i64,
    range: Range,
    reconciliation: bool,
    sink: &mut Sink,
) -> Result<(), WriteError> {
    let payments = sqlx::query(
        "SELECT id, reference, status, payment_date, submission_amount, fees_and_incentives, adjustments, net_amount, currency \
         FROM payments WHERE establishment_id = $1 AND ((payment_date >= $2 AND payment_date <= $3) OR status = 'pending') \
         ORDER BY payment_date, id",
    )
    .bind(establishment)
    .bind(range.from.to_string())
    .bind(range.to.to_string())
    .fetch_all(&db.pool)
    .await?;
    for payment in &payments {
        let id: i64 = payment.try_get(0)?;
        let reference: String = payment.try_get(1)?;
        let status: String = payment.try_get(2)?;
        let date: String = payment.try_get(3)?;
        let currency: String = payment.try_get(8)?;
        let amounts: Vec<String> =
            (4..8).map(|i| payment.try_get::<i64, _>(i).map(decimal)).collect::<Result<_, _>>()?;
        if !reconciliation {
            sink.row([
                &*export::text(&reference),
                &status,
                &date,
                &amounts[0],
                &amounts[1],
                &amounts[2],
                &amounts[3],
                &*export::text(&currency),
            ])
            .await?;
            continue;
        }
        let reference = export::text(&reference).into_owned();
        let currency = export::text(&currency).into_owned();
        sink.row(["payment", &reference, &date, &reference, "", &status, &amounts[3], &currency, "", "", ""]).await?;
        reconcile(db, id, &reference, &currency, sink).await?;
    }
    Ok(())
}

/// A payment's submissions with their transactions, then its fee and adjustment lines.
async fn reconcile(db: &Db, payment: i64, reference: &str, currency: &str, sink: &mut Sink) -> Result<(), WriteError> {
    let lines = sqlx::query(
        "SELECT l.kind, l.label, l.amount, s.id, s.reference, s.submitted_on, a.kind, d.case_number \
         FROM payment_lines l LEFT JOIN submissions s ON s.id = l.submission_id \
         LEFT JOIN adjustments a ON a.id = l.adjustment_id LEFT JOIN disputes d ON d.id = a.dispute_id \
         WHERE l.payment_id = $1 ORDER BY l.id",
    )
    .bind(payment)
    .fetch_all(&db.pool)
    .await?;
    for line in &lines {
        let kind: String = line.try_get(0)?;
        let label: String = line.try_get(1)?;
        let amount = decimal(line.try_get(2)?);
        match kind.as_str() {
            "submission" => {
                let submission: Option<i64> = line.try_get(3)?;
                let submission_reference: Option<String> = line.try_get(4)?;
                let submitted_on: Option<String> = line.try_get(5)?;
                let submission_reference = export::text(submission_reference.as_deref().unwrap_or(&label)).into_owned();
                let date = submitted_on.unwrap_or_default();
                sink.row([
                    "submission",
                    reference,
                    &date,
                    &submission_reference,
                    "",
                    "",
                    &amount,
                    currency,
                    "",
                    "",
                    "",
                ])
                .await?;
                if let Some(submission) = submission {
                    write_transactions(db, submission, reference, sink).await?;
                }
            }
            "fee" => {
                sink.row(["fee", reference, "", &*export::text(&label), "", "", &amount, currency, "", "", ""]).await?
            }
            _ => {
                let adjustment_kind: Option<String> = line.try_get(6)?;
                let case: Option<String> = line.try_get(7)?;
                sink.row([
                    "adjustment",
                    reference,
                    "",
                    &*export::text(&label),
                    "",
                    adjustment_kind.as_deref().unwrap_or(""),
                    &amount,
                    currency,
                    "",
                    "",
                    &*export::text(case.as_deref().unwrap_or("")),
                ])
                .await?
            }
        }
    }
    Ok(())
}

/// A submission's transactions, oldest first, as they are read.
async fn write_transactions(db: &Db, submission: i64, reference: &str, sink: &mut Sink) -> Result<(), WriteError> {
    let sql = format!(
        "SELECT {} FROM transactions t WHERE t.submission_id = $1 ORDER BY t.occurred_at, t.id",
        transactions::COLUMNS
    );
    let mut rows = sqlx::query(&sql).bind(submission).fetch(&db.pool);
    while let Some(row) = rows.try_next().await? {
        let row = transactions::read(&row)?;
        let date = crate::clock::paris_date(row.occurred_at).to_string();
        let (plan, count) = transactions::plan_cells(&row);
        sink.row([
            "transaction",
            reference,
            &date,
            &*export::text(&row.reference),
            &*export::text(&row.card_masked),
            &row.kind,
            &decimal(row.amount),
            &*export::text(&row.currency),
            &plan,
            &count,
            &*export::text(row.case_number.as_deref().unwrap_or("")),
        ])
        .await?;
    }
    Ok(())
}
