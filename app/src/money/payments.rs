//! Payments ("règlements"): the paid ones of the last 35 days and the pending ones, with their
//! submission amount, fees and incentives, adjustments and net amount; a payment's detail
//! lists the submissions and the adjustments (chargebacks, reversals) it settles, each
//! adjustment with its case. Under gross pricing the fees are charged on the statement instead,
//! so the fee column shows 0.

use super::filter::Range;
use crate::db::Db;
use chrono::NaiveDate;
use sqlx::Row;

/// Which tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Paid,
    Pending,
}

impl Tab {
    pub fn parse(text: &str) -> Option<Tab> {
        match text {
            "" | "paid" => Some(Tab::Paid),
            "pending" => Some(Tab::Pending),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Paid => "paid",
            Tab::Pending => "pending",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub date: String,
    pub submission_amount: i64,
    pub fees_and_incentives: i64,
    pub adjustments: i64,
    pub net_amount: i64,
    pub currency: String,
}

/// A line of a payment's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    /// `submission`, `fee` or `adjustment`.
    pub kind: String,
    pub label: String,
    pub amount: i64,
    /// A submission's reference, date and number of transactions.
    pub submission: Option<(String, String, i64)>,
    /// An adjustment's kind (chargeback, chargeback_reversal, …) and its case number.
    pub adjustment: Option<(String, Option<String>)>,
}

const COLUMNS: &str =
    "id, reference, status, payment_date, submission_amount, fees_and_incentives, adjustments, net_amount, currency";

fn read(row: &sqlx::any::AnyRow) -> Result<Payment, sqlx::Error> {
    Ok(Payment {
        id: row.try_get(0)?,
        reference: row.try_get(1)?,
        status: row.try_get(2)?,
        date: row.try_get(3)?,
        submission_amount: row.try_get(4)?,
        fees_and_incentives: row.try_get(5)?,
        adjustments: row.try_get(6)?,
        net_amount: row.try_get(7)?,
        currency: row.try_get(8)?,
    })
}

/// A tab's payments, newest first: paid within `range` (at most the last 35 days), or every
/// pending one.
pub async fn list(db: &Db, establishment: i64, tab: Tab, range: Range) -> Result<Vec<Payment>, sqlx::Error> {
    let rows = match tab {
        Tab::Paid => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM payments WHERE establishment_id = $1 AND status = 'paid' \
                 AND payment_date >= $2 AND payment_date <= $3 ORDER BY payment_date DESC, id DESC"
            ))
            .bind(establishment)
            .bind(range.from.to_string())
            .bind(range.to.to_string())
            .fetch_all(&db.pool)
            .await?
        }
        Tab::Pending => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM payments WHERE establishment_id = $1 AND status = 'pending' ORDER BY payment_date, id"
            ))
            .bind(establishment)
            .fetch_all(&db.pool)
            .await?
        }
    };
    rows.iter().map(read).collect()
}

/// The payment `reference` of one of `establishments`, if it is still shown online (pending, or
/// paid within the last 35 days): with its lines.
pub async fn detail(
    db: &Db,
    establishments: &[i64],
    reference: &str,
    today: NaiveDate,
) -> Result<Option<(i64, Payment, Vec<PaymentLine>)>, sqlx::Error> {
    let Some(row) = sqlx::query(&format!("SELECT {COLUMNS}, establishment_id FROM payments WHERE reference = $1"))
        .bind(reference)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let establishment: i64 = row.try_get(9)?;
    let payment = read(&row)?;
    let online = Range::online(today);
    let shown = payment.status == "pending" || payment.date.as_str() >= online.from.to_string().as_str();
    if !establishments.contains(&establishment) || !shown {
        return Ok(None);
    }
    let lines = sqlx::query(
        "SELECT l.kind, l.label, l.amount, s.reference, s.submitted_on, s.transaction_count, a.kind, d.case_number \
         FROM payment_lines l \
         LEFT JOIN submissions s ON s.id = l.submission_id \
         LEFT JOIN adjustments a ON a.id = l.adjustment_id \
         LEFT JOIN disputes d ON d.id = a.dispute_id \
         WHERE l.payment_id = $1 ORDER BY l.id",
    )
    .bind(payment.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        let submission: Option<String> = row.try_get(3)?;
        let adjustment: Option<String> = row.try_get(6)?;
        Ok(PaymentLine {
            kind: row.try_get(0)?,
            label: row.try_get(1)?,
            amount: row.try_get(2)?,
            submission: match submission {
                Some(reference) => Some((reference, row.try_get(4)?, row.try_get(5)?)),
                None => None,
            },
            adjustment: match adjustment {
                Some(kind) => Some((kind, row.try_get(7)?)),
                None => None,
            },
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some((establishment, payment, lines)))
}
