//! Reporting files for finance teams: the payments of a range (and every pending one), and the
//! same with reconciliation — each payment followed by the submissions it pays, their
//! transactions, its fees and the adjustments it settles, so each payment's net amount can be
//! traced to the card transactions behind it.

use super::export::{self, Sink, WriteError};
use super::filter::Range;
use super::{store, transactions};
use crate::db::Db;
use futures::TryStreamExt;

/// A payment's line as the reconciliation file shows it: a submission (with its id, to read its
/// transactions), a fee, or an adjustment (with its kind and case number).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReconciliationLine {
    /// `submission`, `fee` or `adjustment`.
    pub kind: String,
    pub label: String,
    pub amount: i64,
    pub submission_id: Option<i64>,
    pub submission_reference: Option<String>,
    pub submitted_on: Option<String>,
    pub adjustment_kind: Option<String>,
    pub case_number: Option<String>,
}

/// Writes the file; see the module's documentation.
pub async fn write_payments(
    db: &Db,
    establishment: i64,
    range: Range,
    reconciliation: bool,
    sink: &mut Sink,
) -> Result<(), WriteError> {
    let payments = store::payments_for_file(db, establishment, &range.from.to_string(), &range.to.to_string()).await?;
    for payment in &payments {
        let (reference, status, date, currency) =
            (&payment.reference, &payment.status, &payment.date, &payment.currency);
        let amounts: Vec<String> =
            [payment.submission_amount, payment.fees_and_incentives, payment.adjustments, payment.net_amount]
                .into_iter()
                .map(|minor| crate::format::plain(minor, currency))
                .collect();
        if !reconciliation {
            sink.row([
                &*export::text(reference),
                status,
                date,
                &amounts[0],
                &amounts[1],
                &amounts[2],
                &amounts[3],
                &*export::text(&currency),
            ])
            .await?;
            continue;
        }
        let reference = export::text(reference).into_owned();
        let currency = export::text(currency).into_owned();
        sink.row([
            "payment",
            &reference,
            date,
            &reference,
            "",
            status,
            &amounts[3],
            &currency,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ])
        .await?;
        reconcile(db, payment.id, &reference, &currency, sink).await?;
    }
    Ok(())
}

/// A payment's submissions with their transactions, then its fee and adjustment lines.
async fn reconcile(db: &Db, payment: i64, reference: &str, currency: &str, sink: &mut Sink) -> Result<(), WriteError> {
    let lines = store::reconciliation_lines_of_payment(db, payment).await?;
    for line in &lines {
        let (kind, label) = (&line.kind, &line.label);
        let amount = crate::format::plain(line.amount, currency);
        match kind.as_str() {
            "submission" => {
                let submission_reference =
                    export::text(line.submission_reference.as_deref().unwrap_or(label)).into_owned();
                let date = line.submitted_on.clone().unwrap_or_default();
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
                    "",
                    "",
                    "",
                    "",
                ])
                .await?;
                if let Some(submission) = line.submission_id {
                    write_transactions(db, submission, reference, sink).await?;
                }
            }
            "fee" => {
                sink.row([
                    "fee",
                    reference,
                    "",
                    &*export::text(label),
                    "",
                    "",
                    &amount,
                    currency,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ])
                .await?
            }
            _ => {
                sink.row([
                    "adjustment",
                    reference,
                    "",
                    &*export::text(label),
                    "",
                    line.adjustment_kind.as_deref().unwrap_or(""),
                    &amount,
                    currency,
                    "",
                    "",
                    &*export::text(line.case_number.as_deref().unwrap_or("")),
                    "",
                    "",
                    "",
                    "",
                ])
                .await?
            }
        }
    }
    Ok(())
}

/// A submission's transactions, oldest first, as they are read.
async fn write_transactions(db: &Db, submission: i64, reference: &str, sink: &mut Sink) -> Result<(), WriteError> {
    let mut rows = std::pin::pin!(store::transactions_of_submission(db, submission));
    while let Some(row) = rows.try_next().await? {
        let date = crate::clock::paris_date(row.occurred_at).to_string();
        let (plan, count) = transactions::plan_cells(&row);
        let [each, rate, interest, total] = transactions::terms_cells(&row);
        sink.row([
            "transaction",
            reference,
            &date,
            &*export::text(&row.reference),
            &*export::text(&row.card_masked),
            &row.kind,
            &crate::format::plain(row.amount, &row.currency),
            &*export::text(&row.currency),
            &plan,
            &count,
            &*export::text(row.case_number.as_deref().unwrap_or("")),
            &each,
            &rate,
            &interest,
            &total,
        ])
        .await?;
    }
    Ok(())
}
