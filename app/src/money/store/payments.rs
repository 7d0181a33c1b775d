//! Payments and their lines: the tabs, a payment's detail, the payments file and its
//! reconciliation.

use crate::db::Db;
use crate::money::payments::{Payment, PaymentLine};
use crate::money::reports::ReconciliationLine;

/// Which payments a tab reads.
#[derive(Debug, Clone, Copy)]
pub enum PaymentTab<'a> {
    /// Paid between these dates (`YYYY-MM-DD`, inclusive): newest first.
    Paid { from: &'a str, to: &'a str },
    /// Every pending one: oldest first.
    Pending,
}

#[derive(sqlx::FromRow)]
struct ScopedPaymentRow {
    establishment_id: i64,
    #[sqlx(flatten)]
    payment: Payment,
}

#[derive(sqlx::FromRow)]
struct PaymentLineRow {
    kind: String,
    label: String,
    amount: i64,
    submission_reference: Option<String>,
    submitted_on: Option<String>,
    transaction_count: Option<i64>,
    adjustment_kind: Option<String>,
    case_number: Option<String>,
}

impl TryFrom<PaymentLineRow> for PaymentLine {
    type Error = sqlx::Error;

    /// A joined submission or adjustment comes with its columns; one without them is corrupt.
    fn try_from(row: PaymentLineRow) -> Result<Self, Self::Error> {
        let missing = |column: &str| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: "unexpected null; try decoding as an `Option`".into(),
        };
        let submission = match row.submission_reference {
            Some(reference) => Some((
                reference,
                row.submitted_on.ok_or_else(|| missing("submitted_on"))?,
                row.transaction_count.ok_or_else(|| missing("transaction_count"))?,
            )),
            None => None,
        };
        Ok(PaymentLine {
            kind: row.kind,
            label: row.label,
            amount: row.amount,
            submission,
            adjustment: row.adjustment_kind.map(|kind| (kind, row.case_number)),
        })
    }
}

const COLUMNS: &str =
    "id, reference, status, payment_date, submission_amount, fees_and_incentives, adjustments, net_amount, currency";

/// The establishment's payments of a tab.
pub async fn payments_of_tab(db: &Db, establishment: i64, tab: PaymentTab<'_>) -> Result<Vec<Payment>, sqlx::Error> {
    match tab {
        PaymentTab::Paid { from, to } => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM payments WHERE establishment_id = $1 AND status = 'paid' \
                 AND payment_date >= $2 AND payment_date <= $3 ORDER BY payment_date DESC, id DESC"
            ))
            .bind(establishment)
            .bind(from)
            .bind(to)
            .fetch_all(&db.pool)
            .await
        }
        PaymentTab::Pending => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM payments WHERE establishment_id = $1 AND status = 'pending' ORDER BY payment_date, id"
            ))
            .bind(establishment)
            .fetch_all(&db.pool)
            .await
        }
    }
}

/// The payment `reference` if it belongs to one of `establishments`, with its establishment.
/// Another establishment's payment is "not found", like one that does not exist.
pub async fn payment_for_establishments(
    db: &Db,
    establishments: &[i64],
    reference: &str,
) -> Result<Option<(i64, Payment)>, sqlx::Error> {
    let row: Option<ScopedPaymentRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS}, establishment_id FROM payments WHERE reference = $1"))
            .bind(reference)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.filter(|row| establishments.contains(&row.establishment_id)).map(|row| (row.establishment_id, row.payment)))
}

/// The lines of a payment that [`payment_for_establishments`] returned, in order.
pub async fn lines_of_payment(db: &Db, payment: i64) -> Result<Vec<PaymentLine>, sqlx::Error> {
    let rows: Vec<PaymentLineRow> = sqlx::query_as(
        "SELECT l.kind, l.label, l.amount, s.reference AS submission_reference, s.submitted_on, s.transaction_count, \
         a.kind AS adjustment_kind, d.case_number \
         FROM payment_lines l \
         LEFT JOIN submissions s ON s.id = l.submission_id \
         LEFT JOIN adjustments a ON a.id = l.adjustment_id \
         LEFT JOIN disputes d ON d.id = a.dispute_id \
         WHERE l.payment_id = $1 ORDER BY l.id",
    )
    .bind(payment)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(PaymentLine::try_from).collect()
}

/// The establishment's payments dated `from..=to` (`YYYY-MM-DD`) and every pending one, oldest
/// first.
pub async fn payments_for_file(db: &Db, establishment: i64, from: &str, to: &str) -> Result<Vec<Payment>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM payments WHERE establishment_id = $1 \
         AND ((payment_date >= $2 AND payment_date <= $3) OR status = 'pending') ORDER BY payment_date, id"
    ))
    .bind(establishment)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await
}

/// The lines of a payment that [`payments_for_file`] returned, in order, as the reconciliation
/// file needs them.
pub async fn reconciliation_lines_of_payment(db: &Db, payment: i64) -> Result<Vec<ReconciliationLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.kind, l.label, l.amount, s.id AS submission_id, s.reference AS submission_reference, \
         s.submitted_on, a.kind AS adjustment_kind, d.case_number \
         FROM payment_lines l LEFT JOIN submissions s ON s.id = l.submission_id \
         LEFT JOIN adjustments a ON a.id = l.adjustment_id LEFT JOIN disputes d ON d.id = a.dispute_id \
         WHERE l.payment_id = $1 ORDER BY l.id",
    )
    .bind(payment)
    .fetch_all(&db.pool)
    .await
}
